// Athanor Core (engine layer): the connection pool. See pool.hpp for its invariants.
#include "core/engine/pool.hpp"

#include <fmt/format.h>

#include <utility>

#include "athanor/core/error.hpp"

namespace athanor::detail {

Pool::Pool(std::shared_ptr<Dialect> dialect, URL url, const EngineOptions& options)
    : dialect_(std::move(dialect)),
      url_(std::move(url)),
      size_(options.pool_size),
      max_overflow_(options.max_overflow),
      timeout_(options.pool_timeout),
      pre_ping_(options.pool_pre_ping),
      recycle_(options.pool_recycle),
      static_(dialect_->shares_one_connection(url_)) {
  if (size_ < 1) throw ArgumentError("pool_size must be at least 1");
  if (max_overflow_ < 0) throw ArgumentError("max_overflow must not be negative");
}

Pool::~Pool() { dispose(); }

std::shared_ptr<PoolEntry> Pool::open_connection() {
  auto entry = std::make_shared<PoolEntry>();
  entry->conn = dialect_->connect(url_);
  entry->created = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  entry->generation = generation_;
  if (!dialect_initialized_) {
    // The dialect adapts to the server it talks to (capabilities by version) once.
    dialect_->initialize(entry->conn->server_version());
    dialect_initialized_ = true;
  }
  return entry;
}

std::shared_ptr<PoolEntry> Pool::checkout() {
  if (static_) {
    std::unique_lock lock(mutex_);
    if (!static_entry_ || static_entry_->conn->is_broken()) {
      lock.unlock();
      auto entry = open_connection();
      lock.lock();
      if (!static_entry_ || static_entry_->conn->is_broken()) {
        static_entry_ = std::move(entry);
        open_ = 1;
      }
    }
    ++static_entry_->users;
    checked_out_ = static_entry_->users;
    return static_entry_;
  }

  auto deadline = std::chrono::steady_clock::now() + timeout_;
  std::unique_lock lock(mutex_);
  for (;;) {
    if (!idle_.empty()) {
      std::shared_ptr<PoolEntry> entry = std::move(idle_.front());
      idle_.pop_front();
      ++checked_out_;
      bool too_old =
          recycle_.count() > 0 && std::chrono::steady_clock::now() - entry->created > recycle_;
      lock.unlock();
      bool alive = !too_old && !entry->conn->is_broken() && (!pre_ping_ || entry->conn->ping());
      if (alive) return entry;
      // Replace the stale or dead connection in place: the slot stays reserved for us.
      entry.reset();
      try {
        return open_connection();
      } catch (...) {
        lock.lock();
        --checked_out_;
        --open_;
        available_.notify_one();
        throw;
      }
    }
    if (open_ < size_ + max_overflow_) {
      ++open_;
      ++checked_out_;
      lock.unlock();
      try {
        return open_connection();
      } catch (...) {
        lock.lock();
        --open_;
        --checked_out_;
        available_.notify_one();
        throw;
      }
    }
    if (available_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= size_ + max_overflow_) {
      throw PoolTimeoutError(fmt::format(
          "QueuePool limit of size {} overflow {} reached: no connection became free within "
          "{:.2f} s ({} checked out); return connections sooner (close them) or raise "
          "pool_size/max_overflow/pool_timeout",
          size_, max_overflow_, timeout_.count() / 1000.0, checked_out_));
    }
  }
}

void Pool::reset(PoolEntry& entry) noexcept {
  if (!entry.in_transaction || entry.conn->is_broken()) return;
  try {
    entry.conn->rollback();
  } catch (...) {
    // The connection could not be reset; is_broken() tells the pool to discard it.
  }
  entry.in_transaction = false;
}

void Pool::checkin(std::shared_ptr<PoolEntry> entry, bool discard) noexcept {
  if (!entry) return;
  if (static_) {
    std::lock_guard lock(mutex_);
    if (--entry->users == 0) {
      reset(*entry);
      if (discard || entry->conn->is_broken()) {
        if (static_entry_ == entry) static_entry_.reset();
        open_ = 0;
      }
    }
    checked_out_ = static_entry_ ? static_entry_->users : 0;
    return;
  }
  if (!discard) reset(*entry);
  std::unique_lock lock(mutex_);
  --checked_out_;
  bool keep =
      !discard && !entry->conn->is_broken() && entry->generation == generation_ && open_ <= size_;
  if (keep) {
    idle_.push_back(std::move(entry));
  } else {
    --open_;
    lock.unlock();
    entry.reset();  // closes the driver connection outside the lock
    lock.lock();
  }
  available_.notify_one();
}

void Pool::dispose() noexcept {
  std::deque<std::shared_ptr<PoolEntry>> closing;
  {
    std::lock_guard lock(mutex_);
    closing.swap(idle_);
    open_ -= static_cast<int>(closing.size());
    ++generation_;
    if (static_ && static_entry_ && static_entry_->users == 0) {
      static_entry_.reset();
      open_ = 0;
    }
  }
  available_.notify_all();
}

PoolStatus Pool::status() const {
  std::lock_guard lock(mutex_);
  PoolStatus s;
  s.size = static_ ? 1 : size_;
  s.checked_out = checked_out_;
  s.idle = static_ ? (static_entry_ && static_entry_->users == 0 ? 1 : 0)
                   : static_cast<int>(idle_.size());
  s.overflow = static_ ? 0 : std::max(0, open_ - size_);
  return s;
}

}  // namespace athanor::detail
