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
#include <string>

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

}  // namespace athanor::detail
