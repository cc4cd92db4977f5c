// Athanor Core, sqlite dialect: how SQL and DDL are spelled for SQLite, and the factory.
#include "core/dialects/sqlite/sqlite_dialect.hpp"

#include <sqlite3.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "athanor/core/schema.hpp"
#include "core/dialects/sqlite/sqlite_dialect_impl.hpp"
#include "core/dialects/sqlite/sqlite_driver.hpp"
#include "core/dialects/sqlite/sqlite_schema_text.hpp"

namespace athanor::detail {

namespace {

// SQLite 3.35.0, the first release with RETURNING.
constexpr int kReturningVersion = 3035000;

}  // namespace

SqliteDialect::SqliteDialect()
    : supports_returning_(sqlite3_libversion_number() >= kReturningVersion) {}

std::unique_ptr<driver::Connection> SqliteDialect::connect(const URL& url) const {
  return open_sqlite_connection(parse_sqlite_url(url));
}

void SqliteDialect::validate_url(const URL& url) const { (void)parse_sqlite_url(url); }

bool SqliteDialect::shares_one_connection(const URL& url) const {
  return parse_sqlite_url(url).path == ":memory:";
}

std::string SqliteDialect::placeholder(std::size_t index) const {
  (void)index;
  return "?";
}

bool SqliteDialect::is_reserved_word(std::string_view lower_case_word) const {
  return sqlite3_keyword_check(lower_case_word.data(), static_cast<int>(lower_case_word.size())) !=
             0 ||
         Dialect::is_reserved_word(lower_case_word);
}

std::string SqliteDialect::limit_offset_clause(std::optional<std::int64_t> limit,
                                               std::optional<std::int64_t> offset) const {
  if (!limit && !offset) return {};
  // SQLite has no OFFSET without LIMIT; a negative limit means none.
  std::string out = fmt::format(" LIMIT {}", limit.value_or(-1));
  if (offset) out += fmt::format(" OFFSET {}", *offset);
  return out;
}

std::string SqliteDialect::distinct_from(const std::string& lhs, const std::string& rhs,
                                         bool negate) const {
  // SQLite's IS / IS NOT compare like IS NOT DISTINCT FROM / IS DISTINCT FROM.
  return lhs + (negate ? " IS " : " IS NOT ") + rhs;
}

std::string SqliteDialect::type_ddl(const Column& column) const {
  // Only "INTEGER PRIMARY KEY" makes a column an alias of the rowid, which is what
  // AUTOINCREMENT requires, whatever the integer width asked for.
  if (column.autoincrement() && column.table() != nullptr &&
      column.table()->primary_key().size() == 1) {
    return "INTEGER";
  }
  return sqlite_type_name(column.type());
}

std::string SqliteDialect::cast_type(const TypeEngine& type) const {
  // A CAST converts to a storage class, chosen by the type name's affinity: a DDL name such as
  // DATETIME has NUMERIC affinity and would turn '2024-05-01' into 2024. So each type casts to
  // the class its values are stored as (dates, times, UUIDs and JSON as text).
  static constexpr TypeSpelling kSqliteCastTypes{.big_integer = "INTEGER",
                                                 .small_integer = "INTEGER",
                                                 .boolean = "INTEGER",
                                                 .float_type = "REAL",
                                                 .double_type = "REAL",
                                                 .date = "TEXT",
                                                 .datetime = "TEXT",
                                                 .datetime_tz = "TEXT",
                                                 .time = "TEXT",
                                                 .binary = "BLOB",
                                                 .json = "TEXT",
                                                 .uuid = "TEXT"};
  if (std::holds_alternative<String>(type) || std::holds_alternative<Enum>(type)) return "TEXT";
  if (std::holds_alternative<Numeric>(type)) return "NUMERIC";
  return render_type(type, kSqliteCastTypes);
}

std::string SqliteDialect::column_comment_ddl(const Column& column) const {
  return encode_sqlite_comment(column.comment());
}

std::vector<std::string> SqliteDialect::create_table_ddl(
    const Table& table, const std::vector<const ForeignKeyConstraint*>& deferred) const {
  std::vector<std::string> statements = Dialect::create_table_ddl(table, deferred);
  // SQLite drops text after the closing parenthesis from sqlite_master, but keeps a comment
  // placed after the table name.
  if (!statements.empty() && !table.comment().empty()) {
    statements.front() = insert_sqlite_table_comment(statements.front(), table.comment());
  }
  return statements;
}

std::vector<std::string> SqliteDialect::drop_table_ddl(const Table& table) const {
  std::vector<std::string> statements = {"PRAGMA defer_foreign_keys = ON"};
  for (std::string& sql : Dialect::drop_table_ddl(table)) statements.push_back(std::move(sql));
  return statements;
}

std::shared_ptr<Dialect> make_sqlite_dialect() { return std::make_shared<SqliteDialect>(); }

}  // namespace athanor::detail
