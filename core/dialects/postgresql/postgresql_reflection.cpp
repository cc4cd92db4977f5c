// Athanor Core, postgresql dialect: reflection (SQLAlchemy's Inspector queries) over pg_catalog.
//
// Tables are looked up in current_schema() (the first existing schema of search_path, `public`
// by default). Each question first resolves the table's OID, so that a missing table raises
// NoSuchTableError instead of answering "no columns" or "no keys". Column lists come back in
// key order via unnest(...) WITH ORDINALITY.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "athanor/core/engine.hpp"
#include "athanor/core/reflection.hpp"
#include "core/dialects/postgresql/postgresql_dialect_impl.hpp"

namespace athanor::detail {

namespace {

std::int64_t table_oid(Connection& conn, const std::string& table) {
  Result result = conn.exec_driver_sql(
      "SELECT c.oid FROM pg_catalog.pg_class c "
      "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "WHERE c.relname = $1 AND n.nspname = current_schema() "
      "AND c.relkind IN ('r', 'p', 'v', 'm', 'f')",
      {Value{table}});
  std::optional<Row> row = result.first();
  if (!row) throw NoSuchTableError(table);
  return row->get<std::int64_t>(0);
}

// numeric's typmod packs precision and scale (scale may be negative since PostgreSQL 15).
Numeric numeric_type(std::int64_t typmod) {
  if (typmod < 4) return Numeric{};
  const std::int64_t packed = typmod - 4;
  return Numeric{static_cast<int>((packed >> 16) & 0xffff),
                 static_cast<int>(((packed & 0x7ff) ^ 1024) - 1024)};
}

std::optional<int> char_length(std::int64_t typmod) {
  if (typmod < 4) return std::nullopt;
  return static_cast<int>(typmod - 4);
}

TypeEngine type_of(std::string_view typname, std::int64_t typmod) {
  if (typname == "int4") return Integer{};
  if (typname == "int8") return BigInteger{};
  if (typname == "int2") return SmallInteger{};
  if (typname == "bool") return Boolean{};
  if (typname == "float4") return Float{};
  if (typname == "float8") return Double{};
  if (typname == "numeric") return numeric_type(typmod);
  if (typname == "varchar" || typname == "bpchar") return String{char_length(typmod)};
  if (typname == "name") return String{63};
  if (typname == "text") return Text{};
  if (typname == "date") return Date{};
  if (typname == "timestamp") return DateTime{false};
  if (typname == "timestamptz") return DateTime{true};
  if (typname == "time" || typname == "timetz") return Time{};
  if (typname == "bytea") return LargeBinary{};
  if (typname == "json" || typname == "jsonb") return JSON{};
  if (typname == "uuid") return Uuid{};
  // No generic counterpart (arrays, intervals, network types, ...): its values arrive as text.
  return Text{};
}

std::vector<std::string> enum_labels(Connection& conn, std::int64_t type_oid) {
  Result result = conn.exec_driver_sql(
      "SELECT e.enumlabel FROM pg_catalog.pg_enum e WHERE e.enumtypid = $1 "
      "ORDER BY e.enumsortorder",
      {Value{type_oid}});
  return result.scalars<std::string>();
}

// confdeltype / confupdtype codes; NO ACTION ('a') is the default and reported as "".
std::string referential_action(std::string_view code) {
  if (code == "c") return "CASCADE";
  if (code == "n") return "SET NULL";
  if (code == "d") return "SET DEFAULT";
  if (code == "r") return "RESTRICT";
  return {};
}

}  // namespace

std::vector<std::string> PostgresqlDialect::get_table_names(Connection& conn) const {
  Result result = conn.exec_driver_sql(
      "SELECT c.relname FROM pg_catalog.pg_class c "
      "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') "
      "AND NOT c.relispartition ORDER BY c.relname");
  return result.scalars<std::string>();
}

std::vector<ReflectedColumn> PostgresqlDialect::get_columns(Connection& conn,
                                                            const std::string& table) const {
  const std::int64_t oid = table_oid(conn, table);
  // Domains are reported as their base type.
  Result result = conn.exec_driver_sql(
      "SELECT a.attname, bt.typname, bt.typtype, bt.oid, "
      "CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END, "
      "a.attnotnull, pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity, "
      "a.attgenerated, pg_catalog.col_description(a.attrelid, a.attnum) "
      "FROM pg_catalog.pg_attribute a "
      "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
      "JOIN pg_catalog.pg_type bt "
      "ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END "
      "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
      "WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped "
      "ORDER BY a.attnum",
      {Value{oid}});

  struct EnumColumn {
    std::size_t index;
    std::int64_t type_oid;
    std::string type_name;
  };
  std::vector<ReflectedColumn> columns;
  std::vector<EnumColumn> enums;
  for (const Row& row : result) {
    ReflectedColumn column;
    column.name = row.get<std::string>(0);
    const auto typname = row.get<std::string>(1);
    const auto typtype = row.get<std::string>(2);
    column.type = type_of(typname, row.get<std::int64_t>(4));
    if (typtype == "e") enums.push_back({columns.size(), row.get<std::int64_t>(3), typname});
    column.nullable = !row.get<bool>(5);
    const auto identity = row.get<std::string>(7);
    const auto generated = row.get<std::string>(8);
    if (generated.empty()) column.server_default = row.get<std::optional<std::string>>(6);
    column.autoincrement = identity == "a" || identity == "d" ||
                           (is_integer_type(column.type) && column.server_default &&
                            column.server_default->starts_with("nextval("));
    column.comment = row.get<std::optional<std::string>>(9).value_or("");
    columns.push_back(std::move(column));
  }
  for (EnumColumn& e : enums) {
    columns[e.index].type = Enum{enum_labels(conn, e.type_oid), std::move(e.type_name)};
  }
  return columns;
}

ReflectedPrimaryKey PostgresqlDialect::get_pk_constraint(Connection& conn,
                                                         const std::string& table) const {
  const std::int64_t oid = table_oid(conn, table);
  Result result = conn.exec_driver_sql(
      "SELECT con.conname, a.attname FROM pg_catalog.pg_constraint con "
      "CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord) "
      "JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum "
      "WHERE con.conrelid = $1 AND con.contype = 'p' ORDER BY k.ord",
      {Value{oid}});
  ReflectedPrimaryKey key;
  for (const Row& row : result) {
    key.name = row.get<std::string>(0);
    key.columns.push_back(row.get<std::string>(1));
  }
  return key;
}

std::vector<ReflectedForeignKey> PostgresqlDialect::get_foreign_keys(
    Connection& conn, const std::string& table) const {
  const std::int64_t oid = table_oid(conn, table);
  Result result = conn.exec_driver_sql(
      "SELECT con.conname, rc.relname, con.confdeltype, con.confupdtype, la.attname, ra.attname "
      "FROM pg_catalog.pg_constraint con "
      "JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid "
      "CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY "
      "AS k(attnum, fattnum, ord) "
      "JOIN pg_catalog.pg_attribute la ON la.attrelid = con.conrelid AND la.attnum = k.attnum "
      "JOIN pg_catalog.pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = k.fattnum "
      "WHERE con.conrelid = $1 AND con.contype = 'f' ORDER BY con.conname, k.ord",
      {Value{oid}});
  std::vector<ReflectedForeignKey> keys;
  for (const Row& row : result) {
    std::string name = row.get<std::string>(0);
    if (keys.empty() || keys.back().name != name) {
      ReflectedForeignKey key;
      key.name = std::move(name);
      key.referred_table = row.get<std::string>(1);
      key.ondelete = referential_action(row.get<std::string>(2));
      key.onupdate = referential_action(row.get<std::string>(3));
      keys.push_back(std::move(key));
    }
    keys.back().columns.push_back(row.get<std::string>(4));
    keys.back().referred_columns.push_back(row.get<std::string>(5));
  }
  return keys;
}

std::vector<ReflectedIndex> PostgresqlDialect::get_indexes(Connection& conn,
                                                           const std::string& table) const {
  const std::int64_t oid = table_oid(conn, table);
  // Key columns only (not INCLUDE ones); an expression key is reported as its SQL text.
  Result result = conn.exec_driver_sql(
      "SELECT ic.relname, i.indisunique, "
      "COALESCE(a.attname, pg_catalog.pg_get_indexdef(i.indexrelid, k.ord::int, true)) "
      "FROM pg_catalog.pg_index i "
      "JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
      "CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) "
      "LEFT JOIN pg_catalog.pg_attribute a "
      "ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0 "
      "WHERE i.indrelid = $1 AND NOT i.indisprimary AND k.ord <= i.indnkeyatts "
      "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c "
      "WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x')) "
      "ORDER BY ic.relname, k.ord",
      {Value{oid}});
  std::vector<ReflectedIndex> indexes;
  for (const Row& row : result) {
    std::string name = row.get<std::string>(0);
    if (indexes.empty() || indexes.back().name != name) {
      indexes.push_back(ReflectedIndex{std::move(name), {}, row.get<bool>(1)});
    }
    indexes.back().columns.push_back(row.get<std::string>(2));
  }
  return indexes;
}

std::vector<ReflectedUniqueConstraint> PostgresqlDialect::get_unique_constraints(
    Connection& conn, const std::string& table) const {
  const std::int64_t oid = table_oid(conn, table);
  Result result = conn.exec_driver_sql(
      "SELECT con.conname, a.attname FROM pg_catalog.pg_constraint con "
      "CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord) "
      "JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum "
      "WHERE con.conrelid = $1 AND con.contype = 'u' ORDER BY con.conname, k.ord",
      {Value{oid}});
  std::vector<ReflectedUniqueConstraint> constraints;
  for (const Row& row : result) {
    std::string name = row.get<std::string>(0);
    if (constraints.empty() || constraints.back().name != name) {
      constraints.push_back(ReflectedUniqueConstraint{std::move(name), {}});
    }
    constraints.back().columns.push_back(row.get<std::string>(1));
  }
  return constraints;
}

std::string PostgresqlDialect::get_table_comment(Connection& conn, const std::string& table) const {
  const std::int64_t oid = table_oid(conn, table);
  Result result =
      conn.exec_driver_sql("SELECT pg_catalog.obj_description($1::oid, 'pg_class')", {Value{oid}});
  return result.scalar<std::optional<std::string>>().value_or("");
}

}  // namespace athanor::detail
