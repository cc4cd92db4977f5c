// Athanor Core (engine layer, private): ConnectionState, what a Connection holds: its pool
// entry, transaction and savepoint bookkeeping, execution options, and the buffers and memos a
// statement executed over and over reuses. Shared by engine.cpp and execute_many.cpp.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "athanor/core/detail/sql_ast.hpp"
#include "athanor/core/dialect.hpp"
#include "athanor/core/driver.hpp"
#include "athanor/core/engine.hpp"
#include "athanor/core/error.hpp"
#include "core/engine/engine_impl.hpp"
#include "core/engine/pool.hpp"

namespace athanor::detail {

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

// (Defined here, inline, as every execution runs it; the catch is taken only on errors.)
template <class F>
[[gnu::always_inline]] inline decltype(auto) ConnectionState::guard(F&& fn) {
  try {
    return std::forward<F>(fn)();
  } catch (const DBAPIError& e) {
    if (e.connection_invalidated() || (entry && entry->conn->is_broken())) {
      invalidated = true;
      if (entry) entry->in_transaction = false;
      savepoints.clear();
    }
    throw;
  }
}

}  // namespace athanor::detail
