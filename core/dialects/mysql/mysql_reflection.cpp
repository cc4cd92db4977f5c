// Athanor Core, mysql dialect: reflection over information_schema, limited to the current
// database (DATABASE()).
//
// Table names are matched exactly: information_schema compares names case-insensitively, while
// table names are case-sensitive on the usual Unix setups (lower_case_table_names=0), so every
// query adds a binary comparison next to the plain one (which the server uses for its lookup).
//
// Mapping notes:
//   - MariaDB stores JSON as LONGTEXT with a CHECK (json_valid(`col`)); that check makes the
//     column JSON again. MySQL 8 reports json directly.
//   - TINYINT(1) and BIT(1) read as Boolean, DATETIME as DateTime{}, TIMESTAMP as
//     DateTime{timezone=true}, CHAR(36) as Uuid (the spelling this dialect gives Uuid), TEXT of
//     any size as Text, the BLOB family and (VAR)BINARY as LargeBinary. DateTime(timezone=true)
//     is created as DATETIME(6) (UTC wall clock), which the catalog cannot tell from a plain
//     DateTime: it reflects as DateTime{}, as in SQLAlchemy.
//   - A unique index is a unique constraint on MySQL (the two cannot be told apart), so unique
//     keys are reported by get_unique_constraints only; get_indexes lists the non-unique ones,
//     leaving out the indexes InnoDB creates by itself for foreign keys.
//   - ON DELETE/UPDATE RESTRICT and NO ACTION (the same thing in InnoDB, and what an unspecified
//     rule reads as) reflect as "".
//   - MariaDB reports defaults as SQL expressions ('text', 0, current_timestamp()) and "NULL"
//     for no default; MySQL 8 reports string defaults unquoted, so they are quoted here.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "athanor/core/engine.hpp"
#include "athanor/core/reflection.hpp"
#include "athanor/core/result.hpp"
#include "core/dialects/mysql/mysql_dialect_impl.hpp"

namespace athanor::detail {

namespace {

// `select` restricted to the table given by table_params(), then `rest` (ORDER BY, ...).
std::string for_table(std::string_view select, std::string_view rest = "") {
  return fmt::format(
      "{} WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND "
      "CAST(TABLE_NAME AS BINARY) = CAST(? AS BINARY){}",
      select, rest);
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::optional<std::string> text_of(const Row& row, std::size_t i) {
  return row.get<std::optional<std::string>>(i);
}

std::optional<int> int_of(const Row& row, std::size_t i) {
  auto v = row.get<std::optional<std::int64_t>>(i);
  if (!v || *v > std::numeric_limits<int>::max()) return std::nullopt;
  return static_cast<int>(*v);
}

// The labels of "enum('a','it''s')" (also set(...)).
std::vector<std::string> enum_labels(std::string_view column_type) {
  std::vector<std::string> labels;
  std::size_t i = column_type.find('(');
  if (i == std::string_view::npos) return labels;
  ++i;
  while (i < column_type.size()) {
    if (column_type[i] != '\'') {
      ++i;
      continue;
    }
    std::string label;
    ++i;
    while (i < column_type.size()) {
      char c = column_type[i];
      if (c == '\'' && i + 1 < column_type.size() && column_type[i + 1] == '\'') {
        label += '\'';
        i += 2;
      } else if (c == '\\' && i + 1 < column_type.size()) {
        label += column_type[i + 1];
        i += 2;
      } else if (c == '\'') {
        ++i;
        break;
      } else {
        label += c;
        ++i;
      }
    }
    labels.push_back(std::move(label));
  }
  return labels;
}

// "(n)" of a type like "tinyint(1)" or "bit(1)", if present.
std::optional<int> display_width(std::string_view column_type) {
  std::size_t open = column_type.find('(');
  std::size_t close = column_type.find(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return std::nullopt;
  }
  int value = 0;
  auto [p, ec] = std::from_chars(column_type.data() + open + 1, column_type.data() + close, value);
  if (ec != std::errc{}) return std::nullopt;
  return value;
}

bool is_textual(std::string_view data_type) {
  return data_type == "char" || data_type == "varchar" || data_type == "tinytext" ||
         data_type == "text" || data_type == "mediumtext" || data_type == "longtext" ||
         data_type == "enum" || data_type == "set" || data_type == "date" ||
         data_type == "datetime" || data_type == "timestamp" || data_type == "time" ||
         data_type == "year";
}

TypeEngine reflect_type(std::string_view data_type, std::string_view column_type,
                        std::optional<int> char_length, std::optional<int> precision,
                        std::optional<int> scale, bool json_check) {
  if (data_type == "int" || data_type == "integer" || data_type == "mediumint") return Integer{};
  if (data_type == "bigint") return BigInteger{};
  if (data_type == "smallint" || data_type == "year") return SmallInteger{};
  if (data_type == "tinyint") {
    if (display_width(column_type) == 1) return Boolean{};
    return SmallInteger{};
  }
  if (data_type == "bit") {
    if (display_width(column_type).value_or(1) == 1) return Boolean{};
    return BigInteger{};
  }
  if (data_type == "float") return Float{};
  if (data_type == "double" || data_type == "real" || data_type == "double precision") {
    return Double{};
  }
  if (data_type == "decimal" || data_type == "numeric") return Numeric{precision, scale};
  if (data_type == "char" && char_length == 36) return Uuid{};
  if (data_type == "varchar" || data_type == "char") return String{char_length};
  if (data_type == "longtext" && json_check) return JSON{};
  if (data_type == "tinytext" || data_type == "text" || data_type == "mediumtext" ||
      data_type == "longtext" || data_type == "set") {
    return Text{};
  }
  if (data_type == "json") return JSON{};
  if (data_type == "date") return Date{};
  if (data_type == "datetime") return DateTime{false};
  if (data_type == "timestamp") return DateTime{true};
  if (data_type == "time") return Time{};
  if (data_type == "tinyblob" || data_type == "blob" || data_type == "mediumblob" ||
      data_type == "longblob" || data_type == "binary" || data_type == "varbinary") {
    return LargeBinary{};
  }
  if (data_type == "uuid") return Uuid{};
  if (data_type == "enum") return Enum{enum_labels(column_type), ""};
  return Text{};
}

std::vector<Value> table_params(const std::string& table) { return {table, table}; }

}  // namespace

std::vector<std::string> MySqlDialect::get_table_names(Connection& conn) const {
  Result result = conn.exec_driver_sql(
      "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND "
      "TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')");
  std::vector<std::string> names = result.scalars<std::string>();
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<ReflectedColumn> MySqlDialect::get_columns(Connection& conn,
                                                       const std::string& table) const {
  std::vector<Row> rows =
      conn.exec_driver_sql(
              for_table("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, "
                        "EXTRA, COLUMN_COMMENT, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, "
                        "NUMERIC_SCALE FROM information_schema.COLUMNS",
                        " ORDER BY ORDINAL_POSITION"),
              table_params(table))
          .all();
  if (rows.empty()) return {};

  // MariaDB's JSON: the names of the LONGTEXT columns guarded by json_valid().
  std::vector<std::string> json_columns;
  const bool any_longtext = std::any_of(rows.begin(), rows.end(), [](const Row& row) {
    return lower(row.get<std::string>(1)) == "longtext";
  });
  if (version_.mariadb && any_longtext) {
    Result checks = conn.exec_driver_sql(
        "SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE "
        "CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = ? AND "
        "CAST(TABLE_NAME AS BINARY) = CAST(? AS BINARY)",
        table_params(table));
    for (const std::string& clause : checks.scalars<std::string>()) {
      constexpr std::string_view kPrefix = "json_valid(`";
      constexpr std::string_view kSuffix = "`)";
      if (clause.size() > kPrefix.size() + kSuffix.size() && clause.starts_with(kPrefix) &&
          clause.ends_with(kSuffix)) {
        std::string name =
            clause.substr(kPrefix.size(), clause.size() - kPrefix.size() - kSuffix.size());
        std::string unquoted;
        for (std::size_t i = 0; i < name.size(); ++i) {
          unquoted += name[i];
          if (name[i] == '`' && i + 1 < name.size() && name[i + 1] == '`') ++i;
        }
        json_columns.push_back(std::move(unquoted));
      }
    }
  }

  std::vector<ReflectedColumn> columns;
  columns.reserve(rows.size());
  for (const Row& row : rows) {
    ReflectedColumn c;
    c.name = row.get<std::string>(0);
    const std::string data_type = lower(row.get<std::string>(1));
    const std::string column_type = lower(row.get<std::string>(2));
    const bool json_check =
        std::find(json_columns.begin(), json_columns.end(), c.name) != json_columns.end();
    c.type = reflect_type(data_type, column_type, int_of(row, 7), int_of(row, 8), int_of(row, 9),
                          json_check);
    c.nullable = row.get<std::string>(3) == "YES";
    const std::string extra = lower(text_of(row, 5).value_or(""));
    std::optional<std::string> def = text_of(row, 4);
    if (def && version_.mariadb) {
      if (*def == "NULL") def.reset();
    } else if (def && is_textual(data_type) &&
               extra.find("default_generated") == std::string::npos) {
      def = quote_string_literal(*def);
    }
    c.server_default = std::move(def);
    c.autoincrement = extra.find("auto_increment") != std::string::npos;
    c.comment = text_of(row, 6).value_or("");
    columns.push_back(std::move(c));
  }
  return columns;
}

ReflectedPrimaryKey MySqlDialect::get_pk_constraint(Connection& conn,
                                                    const std::string& table) const {
  ReflectedPrimaryKey key;
  key.columns =
      conn.exec_driver_sql(for_table("SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE",
                                     " AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION"),
                           table_params(table))
          .scalars<std::string>();
  // MySQL names every primary key PRIMARY; that is no user-given name.
  return key;
}

std::vector<ReflectedForeignKey> MySqlDialect::get_foreign_keys(Connection& conn,
                                                                const std::string& table) const {
  std::vector<Row> rows =
      conn.exec_driver_sql(
              "SELECT k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_NAME, "
              "k.REFERENCED_COLUMN_NAME, r.DELETE_RULE, r.UPDATE_RULE "
              "FROM information_schema.KEY_COLUMN_USAGE k "
              "JOIN information_schema.REFERENTIAL_CONSTRAINTS r "
              "ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND "
              "r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME "
              "WHERE k.TABLE_SCHEMA = DATABASE() AND k.TABLE_NAME = ? AND "
              "CAST(k.TABLE_NAME AS BINARY) = CAST(? AS BINARY) AND "
              "k.REFERENCED_TABLE_NAME IS NOT NULL "
              "ORDER BY k.CONSTRAINT_NAME, k.ORDINAL_POSITION",
              table_params(table))
          .all();
  auto rule = [](std::optional<std::string> text) {
    std::string r = upper(text.value_or(""));
    return (r == "RESTRICT" || r == "NO ACTION") ? std::string() : r;
  };
  std::vector<ReflectedForeignKey> keys;
  for (const Row& row : rows) {
    std::string name = row.get<std::string>(0);
    if (keys.empty() || keys.back().name != name) {
      ReflectedForeignKey fk;
      fk.name = std::move(name);
      fk.referred_table = row.get<std::string>(2);
      fk.ondelete = rule(text_of(row, 4));
      fk.onupdate = rule(text_of(row, 5));
      keys.push_back(std::move(fk));
    }
    keys.back().columns.push_back(row.get<std::string>(1));
    keys.back().referred_columns.push_back(row.get<std::string>(3));
  }
  return keys;
}

std::vector<ReflectedIndex> MySqlDialect::get_indexes(Connection& conn,
                                                      const std::string& table) const {
  const std::string sql =
      for_table("SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS",
                " AND NON_UNIQUE = 1 ORDER BY INDEX_NAME, SEQ_IN_INDEX");
  std::vector<Row> rows = conn.exec_driver_sql(sql, table_params(table)).all();
  std::vector<ReflectedIndex> indexes;
  bool skip = false;  // an index with an expression part cannot be represented
  for (const Row& row : rows) {
    std::string name = row.get<std::string>(0);
    if (indexes.empty() || indexes.back().name != name) {
      if (skip) indexes.pop_back();
      skip = false;
      ReflectedIndex index;
      index.name = std::move(name);
      indexes.push_back(std::move(index));
    }
    std::optional<std::string> column = text_of(row, 1);
    if (!column) {
      skip = true;
    } else {
      indexes.back().columns.push_back(std::move(*column));
    }
  }
  if (skip) indexes.pop_back();
  if (indexes.empty()) return indexes;

  // InnoDB gives every foreign key an index on its columns, creating one (named after the
  // constraint, or after the first column when the constraint has no name) unless the table
  // already has one. Those are not the user's: re-creating the key brings them back.
  const std::vector<ReflectedForeignKey> keys = get_foreign_keys(conn, table);
  std::erase_if(indexes, [&](const ReflectedIndex& index) {
    return std::any_of(keys.begin(), keys.end(), [&](const ReflectedForeignKey& fk) {
      return index.columns == fk.columns &&
             (index.name == fk.name || (!fk.columns.empty() && index.name == fk.columns[0]));
    });
  });
  return indexes;
}

std::vector<ReflectedUniqueConstraint> MySqlDialect::get_unique_constraints(
    Connection& conn, const std::string& table) const {
  std::vector<Row> rows =
      conn.exec_driver_sql(
              for_table("SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS",
                        " AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' "
                        "ORDER BY INDEX_NAME, SEQ_IN_INDEX"),
              table_params(table))
          .all();
  std::vector<ReflectedUniqueConstraint> constraints;
  for (const Row& row : rows) {
    std::string name = row.get<std::string>(0);
    if (constraints.empty() || constraints.back().name != name) {
      ReflectedUniqueConstraint unique;
      unique.name = std::move(name);
      constraints.push_back(std::move(unique));
    }
    if (auto column = text_of(row, 1)) constraints.back().columns.push_back(std::move(*column));
  }
  return constraints;
}

std::string MySqlDialect::get_table_comment(Connection& conn, const std::string& table) const {
  auto comment =
      conn.exec_driver_sql(for_table("SELECT TABLE_COMMENT FROM information_schema.TABLES"),
                           table_params(table))
          .scalar<std::optional<std::string>>();
  return comment.value_or("");
}

}  // namespace athanor::detail
