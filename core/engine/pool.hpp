// Athanor Core (engine layer, private): the connection pool, with SQLAlchemy's QueuePool
// semantics.
//
// Invariants (under mutex_):
//   1. open_ == idle_.size() + checked_out_ (every open driver connection is idle or lent out);
//   2. open_ <= size_ + max_overflow_;
//   3. an idle connection is not in a transaction (it was rolled back on return);
//   4. a connection whose generation is older than generation_ (dispose() was called since it
//      was opened) is closed on return instead of going back to idle_.
// Checkout states of a connection: opened -> lent out -> returned (reset by rollback) -> idle
// -> lent out ... ; broken/invalidated, recycled (too old) or stale ones are closed instead.
// For SQLite :memory: the pool is "static": one connection shared by every checkout, since each
// new connection would be a new, empty database.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "athanor/core/detail/sql_ast.hpp"
#include "athanor/core/dialect.hpp"
#include "athanor/core/driver.hpp"
#include "athanor/core/engine.hpp"
#include "athanor/core/url.hpp"

namespace athanor::detail {

// A driver connection with the bookkeeping the pool and Connection need.
struct PoolEntry {
  std::unique_ptr<driver::Connection> conn;
  std::chrono::steady_clock::time_point created;
  std::uint64_t generation = 0;
  bool in_transaction = false;  // shared by every Connection using this entry
  std::string isolation_level;  // as set on the driver connection; empty: the server's default
  int users = 0;                // static pool: Connections currently holding it
};

class Pool {
 public:
  Pool(std::shared_ptr<Dialect> dialect, URL url, const EngineOptions& options);
  ~Pool();

  // Lends a connection. Throws PoolTimeoutError, OperationalError.
  std::shared_ptr<PoolEntry> checkout();
  // Takes a connection back; `discard` closes it (invalidated or broken).
  void checkin(std::shared_ptr<PoolEntry> entry, bool discard) noexcept;
  void dispose() noexcept;
  PoolStatus status() const;

 private:
  std::shared_ptr<PoolEntry> open_connection();  // called without the mutex held
  void reset(PoolEntry& entry) noexcept;         // rollback; marks broken on failure

  std::shared_ptr<Dialect> dialect_;
  URL url_;
  int size_;
  int max_overflow_;
  std::chrono::milliseconds timeout_;
  bool pre_ping_;
  std::chrono::seconds recycle_;
  bool static_;  // SQLite :memory:

  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::deque<std::shared_ptr<PoolEntry>> idle_;
  std::shared_ptr<PoolEntry> static_entry_;
  int open_ = 0;
  int checked_out_ = 0;
  std::uint64_t generation_ = 0;
  bool dialect_initialized_ = false;
};

class EngineImpl {
 public:
  EngineImpl(URL url, std::shared_ptr<Dialect> dialect, EngineOptions options);

  const URL& url() const noexcept { return url_; }
  Dialect& dialect() noexcept { return *dialect_; }
  const EngineOptions& options() const noexcept { return options_; }
  Pool& pool() noexcept { return pool_; }
  // Writes one echo line (when echo is on).
  void log(std::string_view line) const;
  bool echo() const noexcept { return options_.echo; }

 private:
  URL url_;
  std::shared_ptr<Dialect> dialect_;
  EngineOptions options_;
  Pool pool_;
  mutable std::mutex log_mutex_;
};

// What a Connection holds; heap-allocated so that Transactions can point at it across moves.
struct ConnectionState {
  std::shared_ptr<EngineImpl> engine;
  std::shared_ptr<PoolEntry> entry;  // null once closed
  bool invalidated = false;
  bool explicit_begin = false;      // begin() was called (vs. autobegin)
  std::uint64_t tx_generation = 1;  // bumped when the root transaction ends
  std::vector<std::string> savepoints;
  std::uint64_t savepoint_counter = 0;
  ExecutionOptions execution_options;
  std::vector<Value> bind_buffer;             // reused across executions
  std::vector<Value> bind_buffer_returned;    // the row of an implicit RETURNING
  std::vector<std::vector<Value>> bind_rows;  // executemany rows bound a chunk at a time
  // The last result columns and primary-key names, so that a statement executed over and over
  // shares one RowMetadata instead of allocating one per execution (when the driver does not
  // share one itself: driver::Cursor::shared_metadata).
  std::shared_ptr<const RowMetadata> last_metadata;
  std::shared_ptr<const RowMetadata> last_key_metadata;
  const Table* last_key_table = nullptr;

  // The statement compiled last on this Connection, so that one executed over and over skips
  // the statement's shared, locked cache. Holding the state keeps its address unique; a
  // statement's compiled form for one dialect, key set and RETURNING choice never changes.
  struct CompiledMemo {
    std::shared_ptr<const StatementState> state;
    const Dialect* dialect = nullptr;
    bool returning_key = false;
    std::vector<std::string> keys;  // parameter names, for INSERT and UPDATE
    std::shared_ptr<const Compiled> compiled;
  };
  CompiledMemo last_compiled;
  // The memo's compiled form when it matches; null otherwise.
  const Compiled* recall_compiled(const StatementState& statement, const Dialect& dialect,
                                  bool returning_key, std::span<const Param> keys) const {
    const CompiledMemo& memo = last_compiled;
    if (memo.state.get() != &statement || memo.dialect != &dialect ||
        memo.returning_key != returning_key || memo.keys.size() != keys.size()) {
      return nullptr;
    }
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (memo.keys[i] != keys[i].name) return nullptr;
    }
    return memo.compiled.get();
  }
  const Compiled* remember_compiled(std::shared_ptr<const StatementState> statement,
                                    const Dialect& dialect, bool returning_key,
                                    std::span<const Param> keys,
                                    std::shared_ptr<const Compiled> compiled);

  std::shared_ptr<const RowMetadata> metadata_for(const std::vector<std::string>& names);
  std::shared_ptr<const RowMetadata> metadata_for(const driver::Cursor& cursor);
  std::shared_ptr<const RowMetadata> primary_key_metadata(const Table& table);

  // Throws InvalidRequestError when closed or invalidated. (Inline, as it runs on every call; the
  // throwing is not.)
  void ensure_usable() const {
    if (!entry || invalidated) [[unlikely]]
      throw_unusable();
  }
  [[noreturn]] void throw_unusable() const;
  // The level this Connection asks for: its execution option, else the engine's.
  const std::string& wanted_isolation_level() const;
  // Sets `level` on the driver connection unless it is there already.
  void apply_isolation_level(const std::string& level);
  bool autocommit() const noexcept { return entry->isolation_level == "AUTOCOMMIT"; }
  void autobegin() {
    if (!entry->in_transaction) begin_implicitly();
  }
  void begin_implicitly();
  void commit();
  void rollback();
  void release_savepoint(const std::string& name);
  void rollback_to_savepoint(const std::string& name);
  void close() noexcept;
  // Runs `fn`; on a DBAPIError that invalidated the connection, marks this state invalidated.
  template <class F>
  decltype(auto) guard(F&& fn);
};

}  // namespace athanor::detail
