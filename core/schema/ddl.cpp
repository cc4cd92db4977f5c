// Athanor Core, schema: DDL generation (the Dialect's default DDL methods) and create_all /
// drop_all.
//
// The defaults spell standard SQL; dialects override the hooks where their backend differs (type
// names, autoincrement, comments, dropping a foreign key). A CREATE TABLE looks like
//
//   CREATE TABLE addresses (
//     id INTEGER NOT NULL,
//     user_id INTEGER NOT NULL,
//     PRIMARY KEY (id),
//     FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
//   )
//
// one item per line, so that dialects may append SQL comments to a column definition.
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "athanor/core/dialect.hpp"
#include "athanor/core/engine.hpp"
#include "athanor/core/schema.hpp"
#include "core/schema/internal.hpp"

namespace athanor {

namespace {

std::string quoted_list(const Dialect& dialect, const std::vector<std::string>& names) {
  std::string out = "(";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += dialect.quote_identifier(names[i]);
  }
  return out + ")";
}

std::string constraint_prefix(const Dialect& dialect, const std::string& name) {
  return name.empty() ? std::string() : "CONSTRAINT " + dialect.quote_identifier(name) + " ";
}

// "FOREIGN KEY (a) REFERENCES t (b) ON DELETE CASCADE", preceded by "CONSTRAINT name " when
// `name` is not empty.
std::string foreign_key_clause(const Dialect& dialect, const ForeignKeyConstraint& fk,
                               const std::string& name) {
  std::string out = constraint_prefix(dialect, name) + "FOREIGN KEY " +
                    quoted_list(dialect, fk.columns) + " REFERENCES " +
                    dialect.quote_identifier(fk.referred_table) + " " +
                    quoted_list(dialect, fk.referred_columns);
  if (!fk.options.ondelete.empty()) out += " ON DELETE " + fk.options.ondelete;
  if (!fk.options.onupdate.empty()) out += " ON UPDATE " + fk.options.onupdate;
  return out;
}

bool single_inline_primary_key(const Dialect& dialect, const Table& table) {
  const Column* key = table.autoincrement_column();
  return dialect.inline_autoincrement_primary_key() && key != nullptr &&
         table.primary_key().size() == 1;
}

}  // namespace

// ---- Dialect DDL defaults ----------------------------------------------------------------------

std::string Dialect::column_ddl(const Column& column) const {
  std::string out = quote_identifier(column.name()) + " " + type_ddl(column);
  if (column.server_default()) out += " DEFAULT " + *column.server_default();
  if (!column.nullable()) out += " NOT NULL";
  if (column.table() != nullptr && column.autoincrement() &&
      single_inline_primary_key(*this, *column.table())) {
    out += " PRIMARY KEY AUTOINCREMENT";
  }
  out += column_comment_ddl(column);
  return out;
}

std::string Dialect::column_comment_ddl(const Column& column) const {
  (void)column;
  return {};
}

std::string Dialect::table_suffix_ddl(const Table& table) const {
  (void)table;
  return {};
}

std::vector<std::string> Dialect::post_create_ddl(const Table& table) const {
  std::vector<std::string> out;
  for (const Index& index : table.indexes()) {
    out.push_back(fmt::format("CREATE {}INDEX {} ON {} {}", index.unique ? "UNIQUE " : "",
                              quote_identifier(index.name), quote_identifier(table.name()),
                              quoted_list(*this, index.columns)));
  }
  return out;
}

std::vector<std::string> Dialect::create_table_ddl(
    const Table& table, const std::vector<const ForeignKeyConstraint*>& deferred) const {
  std::vector<std::string> items;
  for (const Column& column : table.columns()) items.push_back(column_ddl(column));

  std::vector<const Column*> key = table.primary_key();
  if (!key.empty() && !single_inline_primary_key(*this, table)) {
    std::vector<std::string> names;
    for (const Column* column : key) names.push_back(column->name());
    items.push_back("PRIMARY KEY " + quoted_list(*this, names));
  }
  for (const UniqueConstraint& unique : table.unique_constraints()) {
    items.push_back(constraint_prefix(*this, unique.name) + "UNIQUE " +
                    quoted_list(*this, unique.columns));
  }
  for (const CheckConstraint& check : table.check_constraints()) {
    items.push_back(constraint_prefix(*this, check.name) + "CHECK (" + check.sqltext + ")");
  }
  if (!supports_native_enum()) {
    for (const Column& column : table.columns()) {
      const auto* labels = std::get_if<Enum>(&column.type());
      if (labels == nullptr) continue;
      std::string list;
      for (const std::string& label : labels->values) {
        if (!list.empty()) list += ", ";
        list += quote_string_literal(label);
      }
      items.push_back(fmt::format("CHECK ({} IN ({}))", quote_identifier(column.name()), list));
    }
  }
  for (const ForeignKeyConstraint& fk : table.foreign_keys()) {
    if (std::find(deferred.begin(), deferred.end(), &fk) != deferred.end()) continue;
    items.push_back(foreign_key_clause(*this, fk, fk.options.name));
  }

  std::string sql = "CREATE TABLE " + quote_identifier(table.name()) + " (";
  for (std::size_t i = 0; i < items.size(); ++i) {
    sql += (i == 0 ? "\n  " : ",\n  ") + items[i];
  }
  sql += "\n)" + table_suffix_ddl(table);

  std::vector<std::string> out{std::move(sql)};
  for (std::string& statement : post_create_ddl(table)) out.push_back(std::move(statement));
  return out;
}

std::vector<std::string> Dialect::drop_table_ddl(const Table& table) const {
  return {"DROP TABLE " + quote_identifier(table.name())};
}

std::string Dialect::add_foreign_key_ddl(const Table& table, const ForeignKeyConstraint& fk) const {
  return "ALTER TABLE " + quote_identifier(table.name()) + " ADD " +
         foreign_key_clause(*this, fk, foreign_key_name(table, fk));
}

std::string Dialect::drop_foreign_key_ddl(const Table& table,
                                          const ForeignKeyConstraint& fk) const {
  return "ALTER TABLE " + quote_identifier(table.name()) + " DROP CONSTRAINT " +
         quote_identifier(foreign_key_name(table, fk));
}

std::string Dialect::foreign_key_name(const Table& table, const ForeignKeyConstraint& fk) const {
  if (!fk.options.name.empty()) return fk.options.name;
  return detail::generated_name("fk", table.name(), fk.columns, fk.referred_table);
}

// ---- create_all / drop_all ---------------------------------------------------------------------

namespace {

// The deferred foreign keys of `table`, in its foreign-key order.
std::vector<const ForeignKeyConstraint*> deferred_of(const detail::TableOrder& order,
                                                     const Table* table) {
  std::vector<const ForeignKeyConstraint*> out;
  for (const detail::DeferredForeignKey& d : order.deferred) {
    if (d.table == table) out.push_back(d.foreign_key);
  }
  return out;
}

std::set<std::string> existing_tables(const Dialect& dialect, Connection& conn) {
  std::vector<std::string> names = dialect.get_table_names(conn);
  return {names.begin(), names.end()};
}

std::optional<std::string> existing_key_name(const std::vector<ReflectedForeignKey>& keys,
                                             const ForeignKeyConstraint& fk,
                                             const std::string& name) {
  for (const ReflectedForeignKey& key : keys) {
    if (key.name == name) return key.name;
  }
  for (const ReflectedForeignKey& key : keys) {
    if (!key.name.empty() && key.columns == fk.columns && key.referred_table == fk.referred_table) {
      return key.name;
    }
  }
  return std::nullopt;
}

}  // namespace

// Existence checks run on the connection that executes the DDL, so they see the transaction's
// own changes and need no second pooled connection.
void MetaData::create_all(const Engine& engine, CreateOptions options) const {
  const Dialect& dialect = engine.dialect();
  const detail::TableOrder order = detail::sort_tables(*this);
  // Without ALTER TABLE ... ADD CONSTRAINT (SQLite), cyclic keys are declared inline: the
  // backend does not check that the referenced table exists at CREATE time.
  const bool alter = dialect.supports_alter_add_constraint();
  engine.begin([&](Connection& conn) {
    std::set<std::string> existing;
    if (options.checkfirst) existing = existing_tables(dialect, conn);
    std::set<const Table*> created;
    for (const Table* table : order.tables) {
      if (existing.count(table->name()) != 0) continue;
      std::vector<const ForeignKeyConstraint*> deferred;
      if (alter) deferred = deferred_of(order, table);
      for (const std::string& sql : dialect.create_table_ddl(*table, deferred)) {
        conn.exec_driver_sql(sql);
      }
      created.insert(table);
    }
    if (!alter) return;
    for (const detail::DeferredForeignKey& d : order.deferred) {
      if (created.count(d.table) != 0) {
        conn.exec_driver_sql(dialect.add_foreign_key_ddl(*d.table, *d.foreign_key));
      }
    }
  });
}

void MetaData::drop_all(const Engine& engine, CreateOptions options) const {
  const Dialect& dialect = engine.dialect();
  const detail::TableOrder order = detail::sort_tables(*this);
  const bool alter = dialect.supports_alter_add_constraint();
  engine.begin([&](Connection& conn) {
    std::set<std::string> existing;
    if (options.checkfirst) existing = existing_tables(dialect, conn);
    auto present = [&](const Table* table) {
      return !options.checkfirst || existing.count(table->name()) != 0;
    };
    // Cyclic keys go first, so that every table can then be dropped after its dependents.
    if (alter) {
      for (auto it = order.deferred.rbegin(); it != order.deferred.rend(); ++it) {
        if (!present(it->table)) continue;
        ForeignKeyConstraint fk = *it->foreign_key;
        if (options.checkfirst) {
          // Drop the key the database has: by our name, else (created by other means) the one
          // on the same columns and table.
          std::optional<std::string> name =
              existing_key_name(dialect.get_foreign_keys(conn, it->table->name()), fk,
                                dialect.foreign_key_name(*it->table, fk));
          if (!name) continue;
          fk.options.name = *name;
        }
        conn.exec_driver_sql(dialect.drop_foreign_key_ddl(*it->table, fk));
      }
    }
    for (auto it = order.tables.rbegin(); it != order.tables.rend(); ++it) {
      if (!present(*it)) continue;
      for (const std::string& sql : dialect.drop_table_ddl(**it)) conn.exec_driver_sql(sql);
    }
  });
}

}  // namespace athanor
