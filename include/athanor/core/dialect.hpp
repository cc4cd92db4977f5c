// Athanor Core: the Dialect, the one place where a backend's differences live.
//
// A Dialect tells the compiler how to spell SQL for its backend (placeholders, quoting, LIMIT,
// RETURNING, ILIKE, types and DDL), opens driver connections, and answers reflection queries.
// The generic compiler (core/sql/) and DDL generator (core/schema/) call these hooks; nothing
// outside core/dialects/ asks which backend it is talking to.
// Thread-safety: dialects are immutable after creation and shared by all connections.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "athanor/core/driver.hpp"
#include "athanor/core/reflection.hpp"
#include "athanor/core/types.hpp"
#include "athanor/core/url.hpp"

namespace athanor {

class Column;
class Table;
class Connection;
struct ForeignKeyConstraint;

class Dialect {
 public:
  virtual ~Dialect() = default;

  // "sqlite", "postgresql" or "mysql" (MariaDB uses the mysql dialect).
  virtual std::string_view name() const = 0;

  // ---- connecting ----
  // Opens a driver connection. Throws ArgumentError for bad URL options, OperationalError when
  // the server cannot be reached.
  virtual std::unique_ptr<driver::Connection> connect(const URL& url) const = 0;
  // Rejects URL query options the dialect does not know (ArgumentError naming the option).
  virtual void validate_url(const URL& url) const;
  // True when every checkout must share one connection (SQLite :memory:, where each new
  // connection would be a new, empty database); the pool then lends the same one to all.
  virtual bool shares_one_connection(const URL& url) const {
    (void)url;
    return false;
  }
  // Called once with a fresh connection's server version, before the first statement.
  virtual void initialize(const std::string& server_version) { (void)server_version; }

  // ---- SQL compiler hooks ----
  // Placeholder for the `index`-th (1-based) bound parameter: "?" or "$1".
  virtual std::string placeholder(std::size_t index) const {
    (void)index;
    return "?";
  }
  virtual char identifier_quote() const { return '"'; }
  virtual bool is_reserved_word(std::string_view lower_case_word) const;
  // Quotes `name` when it is a reserved word, has upper-case letters, or is not a plain
  // identifier; doubles embedded quote characters.
  std::string quote_identifier(std::string_view name) const;
  // A string literal for DDL (comments, enum labels, defaults): quotes doubled, and backslashes
  // escaped where the backend treats them specially. DML never uses literals.
  virtual std::string quote_string_literal(std::string_view text) const;
  // " LIMIT n OFFSET m" (with the leading space), or "" when both are empty.
  virtual std::string limit_offset_clause(std::optional<std::int64_t> limit,
                                          std::optional<std::int64_t> offset) const;
  virtual bool supports_returning() const { return true; }
  // Whether the driver reports the autoincrement value of a single-row INSERT (last-insert-id).
  // When false, the engine adds RETURNING of that column to fill inserted_primary_key.
  virtual bool postfetch_lastrowid() const { return true; }
  // RETURNING on UPDATE and DELETE, where a backend has it only for INSERT (MariaDB: no UPDATE
  // ... RETURNING). Default: same as supports_returning().
  virtual bool supports_update_returning() const { return supports_returning(); }
  virtual bool supports_delete_returning() const { return supports_returning(); }
  virtual bool supports_native_ilike() const { return false; }
  virtual bool supports_for_update() const { return true; }
  // "a IS [NOT] DISTINCT FROM b" by default.
  virtual std::string distinct_from(const std::string& lhs, const std::string& rhs,
                                    bool negate) const;
  // Whether strings concatenate with the || operator (SQL's); when false, with
  // CONCAT(a, b, ...) (MySQL/MariaDB, where || is a logical OR).
  virtual bool supports_concat_operator() const { return true; }
  // The type written in CAST(x AS type) for `type`. Default: standard SQL names. Throws
  // CompileError for a type the backend cannot cast to.
  virtual std::string cast_type(const TypeEngine& type) const;
  // INSERT statement for a row with no column values.
  virtual std::string insert_default_values(const std::string& quoted_table) const;
  // Maximum number of bound parameters in one statement, for multi-row INSERT batching.
  virtual std::size_t max_bind_parameters() const { return 32766; }
  // Rows per multi-row INSERT batch in executemany.
  virtual std::size_t insertmanyvalues_page_size() const { return 1000; }
  // Whether executemany of INSERT without RETURNING should use multi-row VALUES (true) or the
  // driver's execute_many with the single-row statement (false).
  virtual bool prefer_multirow_insert() const { return true; }
  // Whether an executemany INSERT whose RETURNING asks only for the autoincrement key is
  // cheaper as the plain INSERT re-executed per row, reading each row's last-insert-id
  // (driver::Connection::execute_many_lastrowids), than as multi-row INSERT ... RETURNING.
  virtual bool returning_key_from_lastrowid() const { return false; }
  // The transaction isolation levels driver::Connection::set_isolation_level accepts, including
  // "AUTOCOMMIT" (SQLAlchemy's spelling; EngineOptions/ExecutionOptions::isolation_level).
  virtual std::vector<std::string> isolation_levels() const {
    return {"AUTOCOMMIT", "READ UNCOMMITTED", "READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE"};
  }

  // ---- DDL hooks (default implementations in core/schema/ddl.cpp) ----
  // The column's SQL type, e.g. "VARCHAR(255)"; autoincrement columns may get a special type
  // (SERIAL) here.
  virtual std::string type_ddl(const Column& column) const = 0;
  // The full column definition inside CREATE TABLE.
  virtual std::string column_ddl(const Column& column) const;
  // Whether the single autoincrement primary key is declared inline in column_ddl (SQLite's
  // INTEGER PRIMARY KEY AUTOINCREMENT) instead of a separate PRIMARY KEY clause.
  virtual bool inline_autoincrement_primary_key() const { return false; }
  // Text appended to a column definition for its comment ("" when comments are separate DDL).
  virtual std::string column_comment_ddl(const Column& column) const;
  // Whether type_ddl renders Enum as a native type that enforces its labels (MySQL's ENUM).
  // When false, create_table_ddl adds CHECK (col IN ('a', 'b')) for every Enum column.
  virtual bool supports_native_enum() const { return false; }
  // Text appended after the closing parenthesis of CREATE TABLE (table options, comment).
  virtual std::string table_suffix_ddl(const Table& table) const;
  // Statements run after CREATE TABLE (COMMENT ON ..., CREATE INDEX ...).
  virtual std::vector<std::string> post_create_ddl(const Table& table) const;
  // CREATE TABLE plus post_create_ddl. Foreign keys in `deferred` are left out (added later by
  // add_foreign_key_ddl).
  virtual std::vector<std::string> create_table_ddl(
      const Table& table, const std::vector<const ForeignKeyConstraint*>& deferred) const;
  virtual std::vector<std::string> drop_table_ddl(const Table& table) const;
  virtual bool supports_alter_add_constraint() const { return true; }
  virtual std::string add_foreign_key_ddl(const Table& table, const ForeignKeyConstraint& fk) const;
  virtual std::string drop_foreign_key_ddl(const Table& table,
                                           const ForeignKeyConstraint& fk) const;
  // The constraint name used for an unnamed foreign key (deterministic, so it can be dropped).
  std::string foreign_key_name(const Table& table, const ForeignKeyConstraint& fk) const;

  // ---- reflection (implemented per dialect with Core queries) ----
  virtual std::vector<std::string> get_table_names(Connection& conn) const = 0;
  virtual std::vector<ReflectedColumn> get_columns(Connection& conn,
                                                   const std::string& table) const = 0;
  virtual ReflectedPrimaryKey get_pk_constraint(Connection& conn,
                                                const std::string& table) const = 0;
  virtual std::vector<ReflectedForeignKey> get_foreign_keys(Connection& conn,
                                                            const std::string& table) const = 0;
  virtual std::vector<ReflectedIndex> get_indexes(Connection& conn,
                                                  const std::string& table) const = 0;
  virtual std::vector<ReflectedUniqueConstraint> get_unique_constraints(
      Connection& conn, const std::string& table) const = 0;
  virtual std::string get_table_comment(Connection& conn, const std::string& table) const = 0;
};

// The dialect for a URL's drivername ("sqlite", "postgresql"/"postgres", "mysql"/"mariadb").
// Throws ArgumentError naming the unsupported name, or, for a backend this build was configured
// without, the CMake option that leaves it out.
std::shared_ptr<Dialect> make_dialect(std::string_view drivername);

// The backends this build of the library contains: some of "sqlite", "postgresql", "mysql"
// (CMake options ATHANOR_WITH_SQLITE, ATHANOR_WITH_POSTGRESQL, ATHANOR_WITH_MYSQL).
std::vector<std::string> available_backends();

}  // namespace athanor
