// Athanor Core, sqlite dialect: reflection.
//
// SQLite reports a table's columns, keys and indexes through PRAGMAs, queried here as their
// table-valued functions (pragma_table_xinfo(?) ...) so that the table name is a bound parameter.
// What the PRAGMAs do not know (comments, constraint names) is read from the CREATE TABLE text
// kept in sqlite_master (see sqlite_schema_text.hpp).
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "athanor/core/engine.hpp"
#include "athanor/core/reflection.hpp"
#include "core/dialects/sqlite/sqlite_dialect_impl.hpp"
#include "core/dialects/sqlite/sqlite_schema_text.hpp"

namespace athanor::detail {

namespace {

// The CREATE TABLE text of `table`; NoSuchTableError when there is no such table. SQLite
// compares table names case-insensitively, and so does this lookup.
std::string create_table_sql(Connection& conn, const std::string& table) {
  std::optional<Row> row =
      conn.exec_driver_sql(
              "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE",
              {Value(table)})
          .first();
  if (!row) throw NoSuchTableError("no such table: '" + table + "'");
  return row->get<std::optional<std::string>>(0).value_or("");
}

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

bool same_name(const std::string& a, const std::string& b) { return upper(a) == upper(b); }

bool same_columns(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), same_name);
}

// The name of the named constraint of `kind` on exactly `columns`, or "".
std::string constraint_name(const SqliteTableText& text, const std::string& kind,
                            const std::vector<std::string>& columns) {
  for (const SqliteTableText::NamedConstraint& c : text.constraints) {
    if (c.kind == kind && same_columns(c.columns, columns)) return c.name;
  }
  return {};
}

// SQLite reports the default action as "NO ACTION"; Athanor leaves it empty.
std::string referential_action(const std::optional<std::string>& action) {
  if (!action) return {};
  std::string out = upper(*action);
  return out == "NO ACTION" ? std::string() : out;
}

struct IndexEntry {
  std::string name;
  bool unique = false;
  std::string origin;  // "c": CREATE INDEX, "u": UNIQUE constraint, "pk": PRIMARY KEY
};

std::vector<IndexEntry> index_list(Connection& conn, const std::string& table) {
  std::vector<IndexEntry> out;
  for (const Row& row : conn.exec_driver_sql(
           "SELECT name, \"unique\", origin FROM pragma_index_list(?) ORDER BY seq DESC",
           {Value(table)})) {
    out.push_back({row.get<std::string>(0), row.get<bool>(1), row.get<std::string>(2)});
  }
  return out;
}

// The columns of index `index`; nullopt when one of its keys is an expression.
std::optional<std::vector<std::string>> index_columns(Connection& conn, const std::string& index) {
  std::vector<std::string> columns;
  for (const Row& row : conn.exec_driver_sql("SELECT name FROM pragma_index_info(?) ORDER BY seqno",
                                             {Value(index)})) {
    std::optional<std::string> name = row.get<std::optional<std::string>>(0);
    if (!name) return std::nullopt;
    columns.push_back(std::move(*name));
  }
  return columns;
}

struct PragmaColumn {
  std::string name;
  std::string type;
  bool not_null = false;
  std::optional<std::string> default_sql;
  int pk = 0;  // position in the primary key, 0 when not part of it
};

std::vector<PragmaColumn> table_columns(Connection& conn, const std::string& table) {
  std::vector<PragmaColumn> out;
  // hidden = 1 marks a virtual table's hidden columns; generated columns (2, 3) are kept.
  for (const Row& row : conn.exec_driver_sql(
           "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_xinfo(?) "
           "WHERE hidden <> 1 ORDER BY cid",
           {Value(table)})) {
    out.push_back({row.get<std::string>(0), row.get<std::optional<std::string>>(1).value_or(""),
                   row.get<bool>(2), row.get<std::optional<std::string>>(3), row.get<int>(4)});
  }
  return out;
}

}  // namespace

std::vector<std::string> SqliteDialect::get_table_names(Connection& conn) const {
  return conn
      .exec_driver_sql(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
          "ESCAPE '\\' ORDER BY name")
      .scalars<std::string>();
}

std::vector<ReflectedColumn> SqliteDialect::get_columns(Connection& conn,
                                                        const std::string& table) const {
  const SqliteTableText text = parse_sqlite_create_table(create_table_sql(conn, table));
  const std::vector<PragmaColumn> columns = table_columns(conn, table);
  const auto key_columns =
      std::count_if(columns.begin(), columns.end(), [](const PragmaColumn& c) { return c.pk > 0; });

  std::vector<ReflectedColumn> out;
  out.reserve(columns.size());
  for (const PragmaColumn& column : columns) {
    ReflectedColumn reflected;
    reflected.name = column.name;
    reflected.type = parse_sqlite_type(column.type);
    // "INTEGER PRIMARY KEY" (that exact type name, alone in the key) aliases the rowid, which
    // SQLite assigns when the insert leaves it out, and which can never be NULL.
    const bool rowid_alias = column.pk > 0 && key_columns == 1 && upper(column.type) == "INTEGER";
    reflected.autoincrement = rowid_alias;
    reflected.nullable = !column.not_null && !rowid_alias;
    reflected.server_default = column.default_sql;
    for (const auto& [name, comment] : text.column_comments) {
      if (same_name(name, column.name)) reflected.comment = comment;
    }
    out.push_back(std::move(reflected));
  }
  return out;
}

ReflectedPrimaryKey SqliteDialect::get_pk_constraint(Connection& conn,
                                                     const std::string& table) const {
  const SqliteTableText text = parse_sqlite_create_table(create_table_sql(conn, table));
  std::vector<PragmaColumn> columns = table_columns(conn, table);
  std::erase_if(columns, [](const PragmaColumn& c) { return c.pk == 0; });
  std::sort(columns.begin(), columns.end(),
            [](const PragmaColumn& a, const PragmaColumn& b) { return a.pk < b.pk; });
  ReflectedPrimaryKey out;
  for (const PragmaColumn& column : columns) out.columns.push_back(column.name);
  if (!out.columns.empty()) out.name = constraint_name(text, "PRIMARY KEY", out.columns);
  return out;
}

std::vector<ReflectedForeignKey> SqliteDialect::get_foreign_keys(Connection& conn,
                                                                 const std::string& table) const {
  const SqliteTableText text = parse_sqlite_create_table(create_table_sql(conn, table));
  // SQLite numbers a table's foreign keys from the last declared one; reverse to keep the
  // declaration order.
  std::map<std::int64_t, ReflectedForeignKey, std::greater<>> keys;
  for (const Row& row :
       conn.exec_driver_sql("SELECT id, \"table\", \"from\", \"to\", on_update, on_delete "
                            "FROM pragma_foreign_key_list(?) ORDER BY id, seq",
                            {Value(table)})) {
    ReflectedForeignKey& key = keys[row.get<std::int64_t>(0)];
    key.referred_table = row.get<std::string>(1);
    key.columns.push_back(row.get<std::string>(2));
    // "to" is NULL when the key names only the table: it then refers to that table's primary
    // key, filled in below.
    key.referred_columns.push_back(row.get<std::optional<std::string>>(3).value_or(""));
    key.onupdate = referential_action(row.get<std::optional<std::string>>(4));
    key.ondelete = referential_action(row.get<std::optional<std::string>>(5));
  }
  std::vector<ReflectedForeignKey> out;
  for (auto& [id, key] : keys) {
    (void)id;
    const bool implicit_target =
        std::any_of(key.referred_columns.begin(), key.referred_columns.end(),
                    [](const std::string& c) { return c.empty(); });
    if (implicit_target) {
      try {
        key.referred_columns = get_pk_constraint(conn, key.referred_table).columns;
      } catch (const NoSuchTableError&) {
        // A dangling reference (SQLite allows it): report the columns as unknown.
      }
    }
    key.name = constraint_name(text, "FOREIGN KEY", key.columns);
    out.push_back(std::move(key));
  }
  return out;
}

std::vector<ReflectedIndex> SqliteDialect::get_indexes(Connection& conn,
                                                       const std::string& table) const {
  (void)create_table_sql(conn, table);
  std::vector<ReflectedIndex> out;
  for (const IndexEntry& entry : index_list(conn, table)) {
    if (entry.origin != "c") continue;
    // Indexes on expressions have no column list to report.
    std::optional<std::vector<std::string>> columns = index_columns(conn, entry.name);
    if (!columns) continue;
    out.push_back({entry.name, std::move(*columns), entry.unique});
  }
  return out;
}

std::vector<ReflectedUniqueConstraint> SqliteDialect::get_unique_constraints(
    Connection& conn, const std::string& table) const {
  const SqliteTableText text = parse_sqlite_create_table(create_table_sql(conn, table));
  std::vector<ReflectedUniqueConstraint> out;
  for (const IndexEntry& entry : index_list(conn, table)) {
    if (entry.origin != "u") continue;
    std::optional<std::vector<std::string>> columns = index_columns(conn, entry.name);
    if (!columns) continue;
    // The index SQLite made for the constraint is "sqlite_autoindex_<table>_<n>"; the name the
    // constraint was declared with is only in the CREATE TABLE text.
    std::string name = constraint_name(text, "UNIQUE", *columns);
    out.push_back({std::move(name), std::move(*columns)});
  }
  return out;
}

std::string SqliteDialect::get_table_comment(Connection& conn, const std::string& table) const {
  return parse_sqlite_create_table(create_table_sql(conn, table)).comment;
}

}  // namespace athanor::detail
