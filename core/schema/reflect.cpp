// Athanor Core, schema: reflection (Inspector, MetaData::reflect, Table::autoload).
//
// The queries themselves are the dialect's (core/dialects/<db>/); this file checks a connection
// out for each call, reports missing tables as NoSuchTableError, and turns reflected descriptions
// into Table objects that can be used in statements and re-created with create_all.
#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "athanor/core/dialect.hpp"
#include "athanor/core/engine.hpp"
#include "athanor/core/reflection.hpp"
#include "athanor/core/schema.hpp"

namespace athanor {

namespace {

bool contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// An empty answer is what dialects give for a table that does not exist; only then is it worth
// a second query to tell "nothing there" from "no such table".
void require_table(const Dialect& dialect, Connection& conn, const std::string& table) {
  if (!contains(dialect.get_table_names(conn), table)) {
    throw NoSuchTableError(fmt::format("table '{}' does not exist", table));
  }
}

template <class F>
auto with_connection(const Engine& engine, F&& fn) {
  Connection conn = engine.connect();
  return std::forward<F>(fn)(engine.dialect(), conn);
}

// Builds the definition of one reflected table. Keys that cannot be represented (expression
// indexes, columns the column list does not know) are left out.
struct TableDefinition {
  std::vector<Column> columns;
  TableOptions options;
};

TableDefinition reflect_table(const Dialect& dialect, Connection& conn, const std::string& name) {
  std::vector<ReflectedColumn> reflected = dialect.get_columns(conn, name);
  if (reflected.empty()) require_table(dialect, conn, name);
  ReflectedPrimaryKey key = dialect.get_pk_constraint(conn, name);
  std::vector<ReflectedForeignKey> foreign_keys = dialect.get_foreign_keys(conn, name);

  std::vector<std::string> column_names;
  for (const ReflectedColumn& c : reflected) column_names.push_back(c.name);
  auto known = [&](const std::vector<std::string>& names) {
    return !names.empty() && std::all_of(names.begin(), names.end(), [&](const std::string& n) {
      return contains(column_names, n);
    });
  };

  TableDefinition def;
  // A single-column key becomes the column's ForeignKey (as when declared in code), unless its
  // target cannot be spelled "table.column" unambiguously.
  std::vector<bool> on_column(foreign_keys.size(), false);
  for (const ReflectedColumn& c : reflected) {
    ColumnOptions options;
    options.primary_key = contains(key.columns, c.name);
    options.nullable = c.nullable;
    options.autoincrement = c.autoincrement;
    // An autoincrement column's generated default (nextval(...) of its sequence) comes back with
    // autoincrement; spelling it out would make the table impossible to re-create elsewhere.
    if (!c.autoincrement) options.server_default = c.server_default;
    options.comment = c.comment;

    std::optional<std::size_t> fk_index;
    for (std::size_t i = 0; i < foreign_keys.size() && !fk_index; ++i) {
      const ReflectedForeignKey& fk = foreign_keys[i];
      if (!on_column[i] && fk.columns.size() == 1 && fk.columns[0] == c.name &&
          fk.referred_columns.size() == 1 && fk.referred_table.find('.') == std::string::npos &&
          fk.referred_columns[0].find('.') == std::string::npos) {
        fk_index = i;
      }
    }
    if (fk_index) {
      const ReflectedForeignKey& fk = foreign_keys[*fk_index];
      on_column[*fk_index] = true;
      def.columns.emplace_back(
          c.name, c.type,
          ForeignKey(fk.referred_table + "." + fk.referred_columns[0],
                     ForeignKeyOptions{fk.ondelete, fk.onupdate, fk.name, false}),
          std::move(options));
    } else {
      def.columns.emplace_back(c.name, c.type, std::move(options));
    }
  }
  for (std::size_t i = 0; i < foreign_keys.size(); ++i) {
    const ReflectedForeignKey& fk = foreign_keys[i];
    if (on_column[i] || !known(fk.columns) || fk.referred_columns.size() != fk.columns.size()) {
      continue;
    }
    def.options.foreign_keys.push_back(
        ForeignKeyConstraint{fk.columns, fk.referred_table, fk.referred_columns,
                             ForeignKeyOptions{fk.ondelete, fk.onupdate, fk.name, false}});
  }
  for (ReflectedUniqueConstraint& unique : dialect.get_unique_constraints(conn, name)) {
    if (!known(unique.columns)) continue;
    def.options.unique_constraints.push_back(
        UniqueConstraint{std::move(unique.columns), std::move(unique.name)});
  }
  for (ReflectedIndex& index : dialect.get_indexes(conn, name)) {
    if (!known(index.columns)) continue;
    def.options.indexes.push_back(
        Index{std::move(index.name), std::move(index.columns), index.unique});
  }
  def.options.comment = dialect.get_table_comment(conn, name);
  return def;
}

}  // namespace

// ---- Inspector ---------------------------------------------------------------------------------

Inspector::Inspector(const Engine& engine) : engine_(&engine) {}

Inspector inspect(const Engine& engine) { return Inspector(engine); }

std::vector<std::string> Inspector::get_table_names() const {
  return with_connection(*engine_, [](const Dialect& dialect, Connection& conn) {
    std::vector<std::string> names = dialect.get_table_names(conn);
    std::sort(names.begin(), names.end());
    return names;
  });
}

bool Inspector::has_table(const std::string& table) const {
  return contains(get_table_names(), table);
}

std::vector<ReflectedColumn> Inspector::get_columns(const std::string& table) const {
  return with_connection(*engine_, [&](const Dialect& dialect, Connection& conn) {
    std::vector<ReflectedColumn> columns = dialect.get_columns(conn, table);
    if (columns.empty()) require_table(dialect, conn, table);
    return columns;
  });
}

ReflectedPrimaryKey Inspector::get_pk_constraint(const std::string& table) const {
  return with_connection(*engine_, [&](const Dialect& dialect, Connection& conn) {
    ReflectedPrimaryKey key = dialect.get_pk_constraint(conn, table);
    if (key.columns.empty()) require_table(dialect, conn, table);
    return key;
  });
}

std::vector<ReflectedForeignKey> Inspector::get_foreign_keys(const std::string& table) const {
  return with_connection(*engine_, [&](const Dialect& dialect, Connection& conn) {
    std::vector<ReflectedForeignKey> keys = dialect.get_foreign_keys(conn, table);
    if (keys.empty()) require_table(dialect, conn, table);
    return keys;
  });
}

std::vector<ReflectedIndex> Inspector::get_indexes(const std::string& table) const {
  return with_connection(*engine_, [&](const Dialect& dialect, Connection& conn) {
    std::vector<ReflectedIndex> indexes = dialect.get_indexes(conn, table);
    if (indexes.empty()) require_table(dialect, conn, table);
    return indexes;
  });
}

std::vector<ReflectedUniqueConstraint> Inspector::get_unique_constraints(
    const std::string& table) const {
  return with_connection(*engine_, [&](const Dialect& dialect, Connection& conn) {
    std::vector<ReflectedUniqueConstraint> uniques = dialect.get_unique_constraints(conn, table);
    if (uniques.empty()) require_table(dialect, conn, table);
    return uniques;
  });
}

std::string Inspector::get_table_comment(const std::string& table) const {
  return with_connection(*engine_, [&](const Dialect& dialect, Connection& conn) {
    std::string comment = dialect.get_table_comment(conn, table);
    if (comment.empty()) require_table(dialect, conn, table);
    return comment;
  });
}

// ---- MetaData::reflect / Table::autoload -------------------------------------------------------

void MetaData::reflect(const Engine& engine, ReflectOptions options) {
  Connection conn = engine.connect();
  const Dialect& dialect = engine.dialect();
  std::vector<std::string> available = dialect.get_table_names(conn);
  std::sort(available.begin(), available.end());

  std::vector<std::string> names;
  if (options.only.empty()) {
    names = std::move(available);
  } else {
    std::vector<std::string> missing;
    for (const std::string& name : options.only) {
      if (contains(names, name)) continue;
      (contains(available, name) ? names : missing).push_back(name);
    }
    if (!missing.empty()) {
      throw NoSuchTableError(fmt::format("cannot reflect table(s) '{}': not found in the database",
                                         fmt::join(missing, "', '")));
    }
  }

  for (const std::string& name : names) {
    if (find_table(name) != nullptr) continue;  // defined or reflected before: left alone
    TableDefinition def = reflect_table(dialect, conn, name);
    table(name, std::move(def.columns), std::move(def.options));
  }
}

Table& Table::autoload(std::string_view name, MetaData& metadata, const Engine& engine) {
  if (metadata.find_table(name) == nullptr) {
    metadata.reflect(engine, ReflectOptions{{std::string(name)}});
  }
  // Every Table is created non-const by its MetaData, which the caller holds mutably.
  return const_cast<Table&>(metadata.get_table(name));
}

}  // namespace athanor
