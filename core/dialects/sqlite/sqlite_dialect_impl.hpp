// Athanor Core, sqlite dialect (private): the Dialect for SQLite.
//
// SQL spelling (sqlite_dialect.cpp) and reflection (sqlite_reflection.cpp); the driver lives in
// sqlite_driver.cpp. Immutable after construction, shared by every connection of an engine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "athanor/core/dialect.hpp"

namespace athanor::detail {

class SqliteDialect final : public Dialect {
 public:
  SqliteDialect();

  std::string_view name() const override { return "sqlite"; }

  // ---- connecting ----
  std::unique_ptr<driver::Connection> connect(const URL& url) const override;
  void validate_url(const URL& url) const override;
  // Every new connection to ":memory:" would open a new, empty database.
  bool shares_one_connection(const URL& url) const override;

  // ---- SQL compiler hooks ----
  std::string placeholder(std::size_t index) const override;
  char identifier_quote() const override { return '"'; }
  bool is_reserved_word(std::string_view lower_case_word) const override;
  std::string limit_offset_clause(std::optional<std::int64_t> limit,
                                  std::optional<std::int64_t> offset) const override;
  // RETURNING arrived in SQLite 3.35.0.
  bool supports_returning() const override { return supports_returning_; }
  bool supports_native_ilike() const override { return false; }
  // SQLite locks the whole database, never rows: FOR UPDATE is left out.
  bool supports_for_update() const override { return false; }
  std::string distinct_from(const std::string& lhs, const std::string& rhs,
                            bool negate) const override;
  std::size_t max_bind_parameters() const override { return kMaxBindParameters; }
  // SQLite collects RETURNING rows in a temporary table first; re-running one prepared INSERT
  // and reading sqlite3_last_insert_rowid() writes no such table.
  bool returning_key_from_lastrowid() const override { return true; }
  // SQLite transactions are serializable; READ UNCOMMITTED matters only with a shared cache.
  std::vector<std::string> isolation_levels() const override {
    return {"AUTOCOMMIT", "READ UNCOMMITTED", "SERIALIZABLE"};
  }

  // ---- DDL hooks ----
  std::string type_ddl(const Column& column) const override;
  std::string cast_type(const TypeEngine& type) const override;
  bool inline_autoincrement_primary_key() const override { return true; }
  std::string column_comment_ddl(const Column& column) const override;
  std::vector<std::string> create_table_ddl(
      const Table& table, const std::vector<const ForeignKeyConstraint*>& deferred) const override;
  // Foreign keys are declared inline even in cycles: SQLite checks them only when rows change.
  bool supports_alter_add_constraint() const override { return false; }
  // DROP TABLE deletes the table's rows first, which would break the foreign keys of rows in
  // tables not dropped yet (always the case in a cycle); deferring the checks to COMMIT lets a
  // whole set of tables go, and still fails if rows elsewhere keep referring to them.
  std::vector<std::string> drop_table_ddl(const Table& table) const override;

  // ---- reflection ----
  std::vector<std::string> get_table_names(Connection& conn) const override;
  std::vector<ReflectedColumn> get_columns(Connection& conn,
                                           const std::string& table) const override;
  ReflectedPrimaryKey get_pk_constraint(Connection& conn, const std::string& table) const override;
  std::vector<ReflectedForeignKey> get_foreign_keys(Connection& conn,
                                                    const std::string& table) const override;
  std::vector<ReflectedIndex> get_indexes(Connection& conn,
                                          const std::string& table) const override;
  std::vector<ReflectedUniqueConstraint> get_unique_constraints(
      Connection& conn, const std::string& table) const override;
  std::string get_table_comment(Connection& conn, const std::string& table) const override;

 private:
  // SQLITE_MAX_VARIABLE_NUMBER's default since SQLite 3.32.0.
  static constexpr std::size_t kMaxBindParameters = 32766;

  bool supports_returning_;
};

}  // namespace athanor::detail
