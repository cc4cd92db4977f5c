// Athanor Core, mysql dialect (private): the Dialect for MySQL and MariaDB.
//
// SQL and DDL spelling (mysql_dialect.cpp) and reflection over information_schema
// (mysql_reflection.cpp); the driver lives in mysql_driver.cpp. Capabilities that differ between
// servers (RETURNING, the bulk protocol) are settled by initialize() from the first connection's
// server version; after that the dialect is immutable and shared by every connection.
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

// A server version string split into what the dialect needs ("10.11.19-MariaDB-0+deb12u1",
// "8.0.36", or "5.5.5-10.11.19-MariaDB" as some proxies report MariaDB).
struct MySqlServerVersion {
  bool mariadb = false;
  int major = 0;
  int minor = 0;
  int patch = 0;

  static MySqlServerVersion parse(std::string_view text);
  bool at_least(int maj, int min, int pat = 0) const noexcept;
};

class MySqlDialect final : public Dialect {
 public:
  std::string_view name() const override { return "mysql"; }

  // ---- connecting ----
  std::unique_ptr<driver::Connection> connect(const URL& url) const override;
  void validate_url(const URL& url) const override;
  void initialize(const std::string& server_version) override;

  // ---- SQL compiler hooks ----
  char identifier_quote() const override { return '`'; }
  bool is_reserved_word(std::string_view lower_case_word) const override;
  // Backslashes are escape characters in MySQL string literals (the session clears
  // NO_BACKSLASH_ESCAPES), so they are doubled along with quotes.
  std::string quote_string_literal(std::string_view text) const override;
  // MySQL has no OFFSET without LIMIT: the largest LIMIT stands in for "no limit".
  std::string limit_offset_clause(std::optional<std::int64_t> limit,
                                  std::optional<std::int64_t> offset) const override;
  // INSERT ... RETURNING arrived in MariaDB 10.5; MySQL has none.
  bool supports_returning() const override { return supports_returning_; }
  // MariaDB has no UPDATE ... RETURNING.
  bool supports_update_returning() const override { return false; }
  // DELETE ... RETURNING exists in every supported MariaDB (10.0.5 on).
  bool supports_delete_returning() const override { return version_.mariadb; }
  bool supports_native_ilike() const override { return false; }
  // The NULL-safe equality operator <=>.
  std::string distinct_from(const std::string& lhs, const std::string& rhs,
                            bool negate) const override;
  std::string insert_default_values(const std::string& quoted_table) const override;
  bool supports_concat_operator() const override { return false; }
  std::string cast_type(const TypeEngine& type) const override;
  std::size_t max_bind_parameters() const override { return 65535; }
  std::size_t insertmanyvalues_page_size() const override { return 1000; }
  // With MariaDB's bulk protocol the driver sends all parameter rows of one prepared INSERT in
  // a single round trip, which beats building multi-row VALUES statements; MySQL lacks it.
  bool prefer_multirow_insert() const override { return !bulk_protocol_; }

  // ---- DDL hooks ----
  std::string type_ddl(const Column& column) const override;
  std::string column_ddl(const Column& column) const override;
  std::string column_comment_ddl(const Column& column) const override;
  bool supports_native_enum() const override { return true; }
  // ENGINE=InnoDB (foreign keys, transactions), utf8mb4, and the table comment.
  std::string table_suffix_ddl(const Table& table) const override;
  std::string drop_foreign_key_ddl(const Table& table,
                                   const ForeignKeyConstraint& fk) const override;

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
  // Until initialize() runs, assume a current MariaDB (the target server).
  MySqlServerVersion version_{true, 10, 11, 0};
  bool supports_returning_ = true;
  bool bulk_protocol_ = true;
};

}  // namespace athanor::detail
