// Athanor Core: Engine, Connection and Transaction (SQLAlchemy 2.0 semantics).
//
// An Engine owns a connection pool and a dialect; it is cheap to copy (shared) and thread-safe.
// A Connection is checked out of the pool by Engine::connect() and returned when closed or
// destroyed; it is used by one thread at a time.
//
// Connection states:
//   idle --execute()--> in transaction (autobegin) --commit()/rollback()--> idle
//   idle --begin()--> in transaction (explicit Transaction) --Transaction::commit/rollback--> idle
//   in transaction --begin_nested()--> savepoint (nested Transaction), any depth
//   With isolation_level AUTOCOMMIT the states are the same, but the database commits each
//   statement as it runs: BEGIN/COMMIT/ROLLBACK are not sent, and begin_nested() is refused.
//   any --close()/destructor--> closed: an open transaction is rolled back, the driver connection
//        goes back to the pool (or is discarded when it was invalidated)
// A Transaction object that is destroyed while still active rolls back.
// A DBAPIError with connection_invalidated() leaves the Connection invalidated: further use
// raises InvalidRequestError until rollback()/close(); the pool replaces the driver connection.
// REQUIRES: a Connection is used by one thread at a time.
// REQUIRES: a streaming Result does not outlive the Connection that produced it; the
//           Connection's next statement closes it (result.hpp has the Result states).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "athanor/core/param_sets.hpp"
#include "athanor/core/result.hpp"
#include "athanor/core/sql.hpp"
#include "athanor/core/url.hpp"

namespace athanor {

class Dialect;
class Connection;

namespace driver {
class Connection;
}
namespace detail {
class EngineImpl;
struct ConnectionState;
}  // namespace detail

struct EngineOptions {
  // Log every statement and its parameters (to echo_callback, or stderr when it is empty).
  bool echo = false;
  std::function<void(std::string_view line)> echo_callback;
  int pool_size = 5;
  int max_overflow = 10;
  std::chrono::milliseconds pool_timeout{30'000};
  // Test each connection with a round trip at checkout and replace it when dead.
  bool pool_pre_ping = false;
  // Replace connections older than this at checkout; zero or negative: never.
  std::chrono::seconds pool_recycle{-1};
  // Transaction isolation of every connection: "AUTOCOMMIT", "READ UNCOMMITTED",
  // "READ COMMITTED", "REPEATABLE READ" or "SERIALIZABLE" (case-insensitive, '_' for ' '), as
  // far as the backend has it (Dialect::isolation_levels); empty: the server's default.
  // AUTOCOMMIT makes the database commit each statement by itself: transactions still autobegin
  // and commit() works, but nothing is sent for them and nothing can be rolled back.
  std::string isolation_level;
};

struct PoolStatus {
  int size = 0;         // configured pool_size
  int checked_out = 0;  // connections in use
  int idle = 0;         // connections waiting in the pool
  int overflow = 0;     // connections beyond pool_size currently open
};

class Transaction {
 public:
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();  // rolls back when still active

  void commit();    // REQUIRES: is_active(); savepoints are released
  void rollback();  // no-op when no longer active
  bool is_active() const noexcept;
  bool is_nested() const noexcept { return savepoint_.size() > 0; }

 private:
  friend class Connection;
  Transaction(detail::ConnectionState* state, std::string savepoint, std::uint64_t generation);
  detail::ConnectionState* state_;  // owned by the Connection; stable across Connection moves
  std::string savepoint_;           // empty: the root transaction
  std::uint64_t generation_;
  bool active_ = true;
};

struct ExecutionOptions {
  bool stream_results = false;  // see driver::ExecuteOptions
  // This connection's isolation level (see EngineOptions::isolation_level); nullopt: the
  // engine's. Applied at once; it may not change while a transaction is in progress. Returned
  // to the pool, the connection takes the engine's level again.
  std::optional<std::string> isolation_level;
};

class Connection {
 public:
  Connection(Connection&&) noexcept;
  Connection& operator=(Connection&&) noexcept;
  Connection(const Connection&) = delete;
  ~Connection();

  // Executes a statement; named parameters fill bindparam()s and text() parameters, and give the
  // columns of an insert()/update() without values(). Autobegins a transaction.
  Result execute(const Executable& statement, const Params& params = {}) {
    return execute_params(statement, params);
  }
  // Same, for a braced list: execute(stmt, {{"id", 7}}) (also unambiguous with two strings). The
  // parameters are read in place; no Params vector is built.
  Result execute(const Executable& statement, std::initializer_list<Param> params) {
    return execute_params(statement, std::span<const Param>(params.begin(), params.size()));
  }
  // executemany: one statement, many parameter sets, batched. RETURNING rows of all batches are
  // returned in order.
  Result execute(const Executable& statement, const std::vector<Params>& param_sets);
  // Same, moving the values out of `param_sets` instead of copying them.
  Result execute(const Executable& statement, std::vector<Params>&& param_sets);
  // executemany with parameter sets read from objects where they are: param_sets(objects,
  // field("name", &T::name), ...) (athanor/core/param_sets.hpp). Batched the same way.
  Result execute(const Executable& statement, const ParamSetSource& param_sets);
  // Raw SQL in the driver's paramstyle with positional parameters.
  Result exec_driver_sql(const std::string& sql, const std::vector<Value>& params = {});

  void commit();               // commits the autobegun or explicit transaction, if any
  void rollback();             // rolls it back, if any; also clears an invalidated state
  Transaction begin();         // InvalidRequestError if a transaction is already in progress
  Transaction begin_nested();  // SAVEPOINT; autobegins the outer transaction when needed
  bool in_transaction() const noexcept;
  bool in_nested_transaction() const noexcept;

  // Replaces this connection's execution options. Throws ArgumentError for an isolation level
  // the backend does not have, InvalidRequestError when it would change inside a transaction.
  void set_execution_options(ExecutionOptions options);
  const ExecutionOptions& execution_options() const noexcept;
  // The isolation level in effect (normalized, e.g. "READ COMMITTED"); empty: server default.
  const std::string& isolation_level() const;
  void close();  // idempotent
  bool closed() const noexcept;
  // Discards the driver connection (not returned to the pool); the Connection is unusable.
  void invalidate();
  bool invalidated() const noexcept;

  const Dialect& dialect() const;
  // The underlying driver connection. REQUIRES: not closed.
  driver::Connection& driver_connection();

 private:
  friend class Engine;
  friend class Transaction;
  explicit Connection(std::unique_ptr<detail::ConnectionState> state);
  Result execute_params(const Executable& statement, std::span<const Param> params);
  std::unique_ptr<detail::ConnectionState> state_;
};

class Engine {
 public:
  explicit Engine(std::shared_ptr<detail::EngineImpl> impl) : impl_(std::move(impl)) {}

  // Checks a connection out of the pool. Throws PoolTimeoutError when none frees up within
  // pool_timeout, OperationalError when a new connection cannot be opened.
  Connection connect() const;

  // Runs fn(Connection&) in a transaction: commits when fn returns, rolls back and rethrows
  // when it throws. Returns what fn returns.
  template <class F>
  decltype(auto) begin(F&& fn) const {
    Connection conn = connect();
    Transaction tx = conn.begin();
    if constexpr (std::is_void_v<std::invoke_result_t<F, Connection&>>) {
      std::forward<F>(fn)(conn);
      tx.commit();
    } else {
      auto result = std::forward<F>(fn)(conn);
      tx.commit();
      return result;
    }
  }

  // Closes all idle pooled connections; checked-out ones are discarded when returned.
  void dispose() const;
  PoolStatus pool_status() const;
  const Dialect& dialect() const;
  const URL& url() const;
  const EngineOptions& options() const;
  const std::shared_ptr<detail::EngineImpl>& impl() const noexcept { return impl_; }

 private:
  std::shared_ptr<detail::EngineImpl> impl_;
};

// Parses `url`, picks the dialect and builds an Engine with its pool. No connection is opened
// until first use. Throws ArgumentError for a malformed URL, an unknown backend or bad options.
Engine create_engine(std::string_view url, EngineOptions options = {});

}  // namespace athanor
