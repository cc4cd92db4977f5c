// Athanor Core, postgresql dialect: the driver (athanor::driver::Connection over libpq).
//
// PgConnection owns one PGconn. DML and queries run as named prepared statements, cached per
// connection by SQL text (LRU) and described when prepared, so that their results can come in
// binary format; other statements (DDL, SET, ...) run unnamed, with text results. execute_many
// uses libpq's pipeline mode. Results are buffered by default (one PGresult holding every row,
// converted row by row as fetched) or streamed in single-row mode.
//
// Connection states:
//   ready --begin()--> begin pending (nothing sent) --first statement--> in transaction (BEGIN
//         pipelined with the statement); commit()/rollback() while pending send nothing
//   ready --execute(stream_results)--> streaming: a PgCursor still reads rows from the socket;
//         any other call on the connection first drains it (PgCursor::close) --> ready
//   any --libpq reports CONNECTION_BAD, a shutdown/connection SQLSTATE--> broken (is_broken();
//         every call fails with OperationalError, connection_invalidated set)
// Invariants: at most one streaming cursor (active_stream_) exists, and it points back to this
// connection; every cached statement name exists on the server, except names queued in
// pending_deallocate_, which are deallocated before the next prepare.
// Thread-safety: one thread at a time, as for every driver connection.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <libpq-fe.h>

#include "athanor/core/driver.hpp"
#include "athanor/core/error.hpp"
#include "athanor/core/url.hpp"
#include "core/dialects/postgresql/postgresql_codec.hpp"

namespace athanor::detail::pg {

struct ResultDeleter {
  void operator()(PGresult* result) const noexcept { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// The columns of a result: names, how to convert each, and the result format. Shared by the
// cursors of one prepared statement, whose row type never changes.
struct ResultShape {
  std::vector<std::string> names;
  std::vector<ColumnKind> kinds;
  bool binary = false;  // results are requested in binary format

  // The shape of `result`'s columns (a result or a statement description). Binary format is
  // chosen when `allow_binary` and every column has a binary decoder.
  static std::shared_ptr<const ResultShape> of(const PGresult* result, bool allow_binary);
  int result_format() const noexcept { return binary ? 1 : 0; }
};

class PgConnection;

class PgCursor final : public driver::Cursor {
 public:
  // A cursor over a complete result (or a command result without rows).
  PgCursor(ResultPtr result, std::shared_ptr<const ResultShape> shape);
  // A cursor streaming from `conn` in single-row mode; `first` holds the first row.
  PgCursor(PgConnection* conn, ResultPtr first, std::shared_ptr<const ResultShape> shape,
           std::string sql, std::string parameters);
  ~PgCursor() override;
  PgCursor(const PgCursor&) = delete;
  PgCursor& operator=(const PgCursor&) = delete;

  const std::vector<std::string>& column_names() const override;
  bool fetch(std::vector<Value>& row) override;
  // Typed reads straight from the PGresult for binary results; text results and other kinds
  // are read with read_value.
  bool advance() override;
  bool read_int64(std::size_t index, std::int64_t& out) override;
  bool read_double(std::size_t index, double& out) override;
  bool read_text(std::size_t index, std::string& out) override;
  void read_value(std::size_t index, Value& out) override;
  std::uint64_t read_fields(std::span<const driver::FieldTarget> targets) override;
  driver::FieldsFetched fetch_fields(std::span<const driver::FieldTarget> targets) override {
    if (!PgCursor::advance()) return {};
    return {.row = true, .unread = PgCursor::read_fields(targets)};
  }
  std::size_t buffered_rows() const noexcept override {
    // A streaming cursor holds one row at a time: the total is not known.
    return conn_ == nullptr && row_ < rows_ ? static_cast<std::size_t>(rows_ - row_) : 0;
  }
  void close() override;

 private:
  friend class PgConnection;
  // Makes row_ a row of result_, reading the next single-row result when streaming; false at
  // the end of the rows.
  bool next_row();
  // Column `column` of row `row` of result_ as a Value.
  void decode_cell(int row, std::size_t column, Value& out) const;
  // The binary data of column `index` of the current row when it is a non-NULL `kind`; null
  // otherwise.
  const char* typed_cell(std::size_t index, ColumnKind kind, int& length) const;
  // Reads the remaining results of a streaming query without converting them; returns the
  // error among them (the query failed on a row not read), if any.
  std::optional<DBAPIError::Details> drain() noexcept;
  // close(), leaving such an error pending on the connection instead of raising it.
  void close_deferring() noexcept;
  // The connection is going away; stop streaming without touching it.
  void detach() noexcept;
  void finish_stream(const PGresult* last) noexcept;

  PgConnection* conn_ = nullptr;  // non-null while streaming
  ResultPtr result_;
  std::shared_ptr<const ResultShape> shape_;
  int row_ = 0;  // the next row fetch() or advance() takes
  int rows_ = 0;
  int current_ = 0;         // the row advance() took, which the typed reads read
  std::string sql_;         // streaming only: for errors raised while fetching
  std::string parameters_;  // streaming only
};

class PgConnection final : public driver::Connection {
 public:
  // Maximum number of prepared statements kept per connection.
  static constexpr std::size_t kStatementCacheSize = 128;

  // Connects to the server `url` names. REQUIRES: the URL's query options were validated.
  // Throws OperationalError with libpq's message when the connection cannot be made.
  static std::unique_ptr<PgConnection> open(const URL& url);
  ~PgConnection() override;
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  std::unique_ptr<driver::Cursor> execute(const std::string& sql, std::span<const Value> params,
                                          const driver::ExecuteOptions& options) override;
  std::int64_t execute_many(const std::string& sql,
                            std::span<const std::vector<Value>> rows) override;

  void begin() override;
  void commit() override;
  void rollback() override;
  void savepoint(const std::string& name) override;
  void release_savepoint(const std::string& name) override;
  void rollback_to_savepoint(const std::string& name) override;
  void set_isolation_level(std::string_view level) override;

  bool ping() noexcept override;
  bool is_broken() const noexcept override;
  std::string server_version() const override;

 private:
  friend class PgCursor;

  struct PreparedStatement {
    std::string sql;
    std::string name;
    std::vector<Oid> param_oids;
    std::shared_ptr<const ResultShape> shape;  // null for statements that return no rows
  };
  using StatementList = std::list<PreparedStatement>;

  static int result_format(const PreparedStatement* statement) noexcept {
    return statement->shape != nullptr ? statement->shape->result_format() : 0;
  }

  explicit PgConnection(PGconn* conn) : conn_(conn) {}

  // Prepared statement for `sql`, preparing and describing it with `oids` on a cache miss.
  PreparedStatement& statement_for(const std::string& sql, std::span<const Oid> oids,
                                   std::span<const Value> params_for_errors);
  void evict(StatementList::iterator it) noexcept;
  void clear_statement_cache() noexcept;
  void deallocate(const std::string& name) noexcept;
  void flush_pending_deallocations() noexcept;

  std::unique_ptr<driver::Cursor> execute_buffered(PreparedStatement* statement,
                                                   const std::string& sql,
                                                   std::span<const Value> params);
  std::unique_ptr<driver::Cursor> execute_streaming(PreparedStatement* statement,
                                                    const std::string& sql,
                                                    std::span<const Value> params);
  // Sends a deferred BEGIN and the statement encoded in encoder_ (prepared, or unnamed with
  // oid_scratch_) in one pipeline: one round trip for both.
  ResultPtr execute_after_begin(const PreparedStatement* statement, const std::string& sql,
                                std::span<const Value> params);
  // Sends a deferred BEGIN on its own.
  void flush_begin();
  // Runs a statement without parameters over the simple query protocol.
  void run_command(const char* sql);
  // Ends a streaming cursor, if any, so the connection can take a new command, and raises an
  // error that the stream or an earlier one left pending (see driver::Cursor).
  void finish_active_stream();
  // Same, without raising: the error is forgotten (rollback) or kept pending (ping).
  void abandon_active_stream(bool keep_error) noexcept;
  // Keeps the error of a dropped stream for the next call (the first one wins).
  void defer_error(DBAPIError::Details details) noexcept;
  void check_usable(std::string_view sql) const;

  // The single error exit of the driver: translates and throws, marking the connection broken
  // when libpq lost it.
  [[noreturn]] void fail(const PGresult* result, std::string_view sql,
                         std::span<const Value> params);
  [[noreturn]] void fail_rendered(const PGresult* result, std::string_view sql,
                                  std::string parameters);

  PGconn* conn_;
  bool broken_ = false;
  // begin() was called but BEGIN not sent yet: it goes out with the next statement, and a
  // transaction that runs nothing costs no round trip at all.
  bool begin_pending_ = false;
  bool autocommit_ = false;  // no BEGIN is ever sent: the server commits each statement
  std::string isolation_;    // the session's default_transaction_isolation; empty: the server's
  PgCursor* active_stream_ = nullptr;
  std::optional<DBAPIError::Details> pending_error_;  // see defer_error
  ParamEncoder encoder_;
  StatementList statements_;  // most recently used first
  std::unordered_map<std::string_view, StatementList::iterator> statement_index_;
  std::vector<std::string> pending_deallocate_;
  std::vector<Oid> oid_scratch_;
  std::uint64_t statement_counter_ = 0;
};

}  // namespace athanor::detail::pg
