// Athanor Core (engine layer): Engine, Connection and Transaction.
//
// Every statement goes through Connection::execute: compile (cached on the statement), bind the
// parameters in placeholder order, autobegin, echo, hand to the driver, wrap the cursor in a
// Result. Driver errors arrive already translated (core/dialects/<db>/); here they only decide
// whether the connection must be invalidated. executemany (a list of parameter sets) is in
// execute_many.cpp; the state the two share, in connection_state.hpp.
#include "athanor/core/engine.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <utility>

#include "athanor/core/detail/sql_ast.hpp"
#include "athanor/core/dialect.hpp"
#include "athanor/core/error.hpp"
#include "athanor/core/schema.hpp"
#include "core/engine/connection_state.hpp"
#include "core/engine/engine_impl.hpp"
#include "core/engine/param_lookup.hpp"
#include "core/result/result_access.hpp"

namespace athanor {

namespace detail {

EngineImpl::EngineImpl(URL url, std::shared_ptr<Dialect> dialect, EngineOptions options)
    : url_(std::move(url)),
      dialect_(std::move(dialect)),
      options_(std::move(options)),
      pool_(dialect_, url_, options_) {}

void EngineImpl::log(std::string_view line) const {
  if (!options_.echo) return;
  std::lock_guard lock(log_mutex_);
  if (options_.echo_callback) {
    options_.echo_callback(line);
  } else {
    std::cerr << "[athanor] " << line << '\n';
  }
}

void ConnectionState::throw_unusable() const {
  if (!entry) throw InvalidRequestError("this Connection is closed");
  throw InvalidRequestError(
      "this Connection was invalidated after its database connection was lost; call "
      "rollback() to continue with a new connection, or close() it");
}

std::shared_ptr<const RowMetadata> ConnectionState::metadata_for(
    const std::vector<std::string>& names) {
  if (names.empty()) return RowMetadata::empty();
  if (!last_metadata || last_metadata->names() != names) {
    last_metadata = std::make_shared<const RowMetadata>(names);
  }
  return last_metadata;
}

std::shared_ptr<const RowMetadata> ConnectionState::metadata_for(const driver::Cursor& cursor) {
  if (const std::shared_ptr<const RowMetadata>& shared = cursor.shared_metadata()) return shared;
  return metadata_for(cursor.column_names());
}

const Compiled* ConnectionState::remember_compiled(std::shared_ptr<const StatementState> statement,
                                                   const Dialect& dialect, bool returning_key,
                                                   std::span<const Param> keys,
                                                   std::shared_ptr<const Compiled> compiled) {
  CompiledMemo& memo = last_compiled;
  memo.state = std::move(statement);
  memo.dialect = &dialect;
  memo.returning_key = returning_key;
  memo.keys.resize(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) memo.keys[i] = keys[i].name;
  memo.compiled = std::move(compiled);
  return memo.compiled.get();
}

std::shared_ptr<const RowMetadata> ConnectionState::primary_key_metadata(const Table& table) {
  // Keyed by the Table's address, which is stable while its MetaData lives; the names are
  // compared as well, as another Table may later live at the same address.
  if (last_key_table == &table && last_key_metadata) {
    const std::vector<std::string>& cached = last_key_metadata->names();
    std::size_t i = 0;
    bool same = true;
    for (const Column& column : table.columns()) {
      if (!column.primary_key()) continue;
      same = same && i < cached.size() && cached[i] == column.name();
      ++i;
    }
    if (same && i == cached.size()) return last_key_metadata;
  }
  std::vector<std::string> names;
  for (const Column& column : table.columns()) {
    if (column.primary_key()) names.push_back(column.name());
  }
  last_key_table = &table;
  last_key_metadata = std::make_shared<const RowMetadata>(std::move(names));
  return last_key_metadata;
}

const std::string& ConnectionState::wanted_isolation_level() const {
  return execution_options.isolation_level ? *execution_options.isolation_level
                                           : engine->options().isolation_level;
}

void ConnectionState::apply_isolation_level(const std::string& level) {
  if (entry->isolation_level == level) return;
  if (entry->in_transaction) {
    throw InvalidRequestError(
        "the isolation level cannot change while a transaction is in progress (it autobegins on "
        "execute); commit() or rollback() first");
  }
  guard([&] { entry->conn->set_isolation_level(level); });
  entry->isolation_level = level;
}

void ConnectionState::begin_implicitly() {
  engine->log(autocommit() ? "BEGIN (implicit; AUTOCOMMIT, nothing sent)" : "BEGIN (implicit)");
  guard([&] { entry->conn->begin(); });
  entry->in_transaction = true;
}

void ConnectionState::commit() {
  ensure_usable();
  if (!entry->in_transaction) return;
  engine->log(autocommit() ? "COMMIT (AUTOCOMMIT, nothing sent)" : "COMMIT");
  savepoints.clear();
  explicit_begin = false;
  ++tx_generation;
  try {
    guard([&] { entry->conn->commit(); });
  } catch (...) {
    // The commit raised (the server refused it, or a statement's error was still pending and
    // nothing was sent): whatever the transaction holds must not stay open for the next user of
    // the pooled connection to commit.
    entry->in_transaction = false;
    if (!invalidated) {
      try {
        entry->conn->rollback();
      } catch (...) {
        // Reported by the commit's error; a connection that cannot roll back reports is_broken.
      }
    }
    throw;
  }
  entry->in_transaction = false;
}

void ConnectionState::rollback() {
  if (!entry) return;
  savepoints.clear();
  explicit_begin = false;
  ++tx_generation;
  if (invalidated) {
    // Swap the dead driver connection for a fresh one; the transaction died with the old one.
    auto engine_impl = engine;
    engine_impl->pool().checkin(std::move(entry), /*discard=*/true);
    invalidated = false;
    entry = engine_impl->pool().checkout();
    apply_isolation_level(wanted_isolation_level());
    return;
  }
  if (!entry->in_transaction) return;
  engine->log(autocommit() ? "ROLLBACK (AUTOCOMMIT, nothing sent)" : "ROLLBACK");
  entry->in_transaction = false;
  guard([&] { entry->conn->rollback(); });
}

void ConnectionState::release_savepoint(const std::string& name) {
  ensure_usable();
  engine->log("RELEASE SAVEPOINT " + name);
  guard([&] { entry->conn->release_savepoint(name); });
  auto it = std::find(savepoints.begin(), savepoints.end(), name);
  savepoints.erase(it, savepoints.end());
}

void ConnectionState::rollback_to_savepoint(const std::string& name) {
  ensure_usable();
  engine->log("ROLLBACK TO SAVEPOINT " + name);
  guard([&] { entry->conn->rollback_to_savepoint(name); });
  auto it = std::find(savepoints.begin(), savepoints.end(), name);
  savepoints.erase(it, savepoints.end());
}

void ConnectionState::close() noexcept {
  if (!entry) return;
  if (entry->in_transaction && !invalidated) engine->log("ROLLBACK (connection returned to pool)");
  engine->pool().checkin(std::move(entry), invalidated);
  entry.reset();
  savepoints.clear();
  ++tx_generation;
}

namespace {

bool needs_parameter_keys(const StatementState& s) {
  if (s.kind == StatementKind::kInsert) {
    return static_cast<const InsertState&>(s).rows.empty();
  }
  if (s.kind == StatementKind::kUpdate) {
    return static_cast<const UpdateState&>(s).values.empty();
  }
  return false;
}

// "read_committed" -> "READ COMMITTED"; ArgumentError unless the dialect has the level.
std::string normalize_isolation_level(std::string_view level, const Dialect& dialect) {
  std::string name(level);
  for (char& c : name) {
    c = c == '_' ? ' ' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (name.empty()) return name;
  std::vector<std::string> levels = dialect.isolation_levels();
  if (std::find(levels.begin(), levels.end(), name) == levels.end()) {
    throw ArgumentError(fmt::format("isolation_level '{}' is not supported by {}; use one of: {}",
                                    level, dialect.name(), fmt::join(levels, ", ")));
  }
  return name;
}

// The value of a placeholder that no parameter names: its bindparam's value, else an error.
[[gnu::noinline]] void bind_literal(const BindSlot& slot, Value& out) {
  if (!slot.literal) throw ArgumentError("no value given for bound parameter '" + slot.key + "'");
  out = *slot.literal;
}

// Fills `out` with the statement's parameters in placeholder order. Values are assigned over
// the previous execution's, so that strings reuse their buffers. (Inline: a step of every
// execution.)
[[gnu::always_inline]] inline void bind_parameters(const Compiled& compiled,
                                                   std::span<const Param> params,
                                                   std::vector<Value>& out) {
  if (out.size() != compiled.binds.size()) out.resize(compiled.binds.size());
  for (std::size_t i = 0; i < compiled.binds.size(); ++i) {
    const BindSlot& slot = compiled.binds[i];
    if (const Param* found = find_param(params, slot.key, i)) {
      copy_value(out[i], found->value);
    } else {
      bind_literal(slot, out[i]);
    }
  }
}

}  // namespace

}  // namespace detail

using detail::Compiled;
using detail::ConnectionState;
using detail::StatementKind;

// ---- Transaction --------------------------------------------------------------------------------

Transaction::Transaction(detail::ConnectionState* state, std::string savepoint,
                         std::uint64_t generation)
    : state_(state), savepoint_(std::move(savepoint)), generation_(generation) {}

Transaction::Transaction(Transaction&& other) noexcept
    : state_(other.state_),
      savepoint_(std::move(other.savepoint_)),
      generation_(other.generation_),
      active_(other.active_) {
  other.active_ = false;
}

Transaction::~Transaction() {
  if (!is_active()) return;
  try {
    rollback();
  } catch (...) {
    // A destructor must not throw; the pool discards a connection it cannot reset.
  }
}

bool Transaction::is_active() const noexcept {
  if (!active_ || !state_->entry || state_->tx_generation != generation_) return false;
  if (savepoint_.empty()) return state_->entry->in_transaction || state_->invalidated;
  return std::find(state_->savepoints.begin(), state_->savepoints.end(), savepoint_) !=
         state_->savepoints.end();
}

void Transaction::commit() {
  if (!is_active()) throw InvalidRequestError("this transaction is no longer active");
  active_ = false;
  if (savepoint_.empty()) {
    state_->commit();
  } else {
    state_->release_savepoint(savepoint_);
  }
}

void Transaction::rollback() {
  if (!is_active()) {
    active_ = false;
    return;
  }
  active_ = false;
  if (savepoint_.empty()) {
    state_->rollback();
  } else {
    state_->rollback_to_savepoint(savepoint_);
  }
}

// ---- Connection ---------------------------------------------------------------------------------

Connection::Connection(std::unique_ptr<detail::ConnectionState> state) : state_(std::move(state)) {}
Connection::Connection(Connection&&) noexcept = default;
Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    if (state_) state_->close();
    state_ = std::move(other.state_);
  }
  return *this;
}
Connection::~Connection() {
  if (state_) state_->close();
}

const Dialect& Connection::dialect() const { return state_->engine->dialect(); }

driver::Connection& Connection::driver_connection() {
  state_->ensure_usable();
  return *state_->entry->conn;
}

void Connection::set_execution_options(ExecutionOptions options) {
  ConnectionState& s = *state_;
  s.ensure_usable();
  if (options.isolation_level) {
    options.isolation_level =
        detail::normalize_isolation_level(*options.isolation_level, s.engine->dialect());
  }
  s.apply_isolation_level(options.isolation_level ? *options.isolation_level
                                                  : s.engine->options().isolation_level);
  s.execution_options = std::move(options);
}

const ExecutionOptions& Connection::execution_options() const noexcept {
  return state_->execution_options;
}

const std::string& Connection::isolation_level() const {
  state_->ensure_usable();
  return state_->entry->isolation_level;
}

namespace {

// The result of an INSERT ... RETURNING <key> on a backend without RETURNING: the key read from
// the last-insert-id. (Its own function, so that execute_insert returns one named Result.)
Result emulated_returning_result(const std::vector<std::string>& names,
                                 std::optional<std::int64_t> lastrowid, std::int64_t rowcount) {
  auto metadata = std::make_shared<RowMetadata>(names);
  const Value key = lastrowid ? Value{*lastrowid} : Value{};
  Result result = Result::from_values(metadata, {key}, rowcount);
  detail::ResultAccess::set_lastrowid(result, lastrowid);
  detail::ResultAccess::set_inserted_primary_key(result, Row(metadata, {key}));
  return result;
}

// The compiled form of `statement` when the connection's memo does not have it: from the
// statement's cache, or compiled now; remembered in the memo. With `returning_key_of` (the same
// statement, an INSERT), it is compiled with a RETURNING of its autoincrement column `autoinc`.
//
// This and the other [[gnu::noinline]] helpers below hold what a statement executed over and
// over does not run, or runs only for inserts: kept out of the common path, they leave it few
// instructions and calls.
[[gnu::noinline]] const Compiled* compile_and_remember(ConnectionState& s,
                                                       const Executable& statement,
                                                       const detail::InsertState* returning_key_of,
                                                       const Column* autoinc,
                                                       std::span<const Param> params) {
  const Dialect& dialect = s.engine->dialect();
  const detail::StatementState& st = statement.state();
  const bool keyed = detail::needs_parameter_keys(st);
  const std::span<const Param> keys = keyed ? params : std::span<const Param>();
  std::shared_ptr<const Compiled> fresh =
      returning_key_of ? detail::compile_returning_key(*returning_key_of, dialect, *autoinc, keys)
      : keyed          ? detail::compile(st, dialect, params)
                       : detail::compile(st, dialect);
  return s.remember_compiled(statement.state_ptr(), dialect, returning_key_of != nullptr, keys,
                             std::move(fresh));
}

// The memo's compiled form of `statement`, else compile_and_remember's. (Inlined, as is
// run_compiled: each is a step of every execution.)
[[gnu::always_inline]] inline const Compiled* compiled_for(
    ConnectionState& s, const Executable& statement, const detail::InsertState* returning_key_of,
    const Column* autoinc, std::span<const Param> params) {
  const detail::StatementState& st = statement.state();
  const std::span<const Param> keys =
      detail::needs_parameter_keys(st) ? params : std::span<const Param>();
  const Compiled* compiled =
      s.recall_compiled(st, s.engine->dialect(), returning_key_of != nullptr, keys);
  if (compiled != nullptr) return compiled;
  return compile_and_remember(s, statement, returning_key_of, autoinc, params);
}

// The echo of one execution: its SQL, then its parameters.
[[gnu::noinline]] void echo_execution(const detail::EngineImpl& engine, const std::string& sql,
                                      const std::vector<Value>& values) {
  engine.log(sql);
  if (!values.empty()) engine.log("[parameters: " + render_values(values) + "]");
}

// Binds `params` to `compiled`'s placeholders, autobegins, echoes and hands the statement to
// the driver.
[[gnu::always_inline]] inline std::unique_ptr<driver::Cursor> run_compiled(
    ConnectionState& s, const Compiled& compiled, std::span<const Param> params,
    bool stream_results) {
  detail::bind_parameters(compiled, params, s.bind_buffer);
  s.autobegin();
  if (s.engine->echo()) echo_execution(*s.engine, compiled.sql, s.bind_buffer);
  const driver::ExecuteOptions options{.stream_results = stream_results,
                                       .statement_id = compiled.id};
  return s.guard([&] { return s.entry->conn->execute(compiled.sql, s.bind_buffer, options); });
}

// Connection::execute of an insert(): fetches the generated key (RETURNING where the backend
// has no last-insert-id, else the last-insert-id) for inserted_primary_key.
[[gnu::noinline]] Result execute_insert(ConnectionState& s, const Executable& statement,
                                        std::span<const Param> params) {
  const Dialect& dialect = s.engine->dialect();
  const auto& ins = static_cast<const detail::InsertState&>(statement.state());
  const detail::InsertState* returning_key_of = nullptr;
  const Column* autoinc = nullptr;
  if (!dialect.postfetch_lastrowid() && dialect.supports_returning()) {
    // No last-insert-id on this backend: fetch a generated key with RETURNING instead, unless
    // the key is given or the statement returns something already.
    autoinc =
        ins.table && ins.table->implicit_returning() ? ins.table->autoincrement_column() : nullptr;
    auto names_key = [&](std::string_view name) { return autoinc && name == autoinc->name(); };
    if (autoinc && ins.returning.empty() && ins.rows.size() <= 1 &&
        std::none_of(params.begin(), params.end(),
                     [&](const Param& p) { return names_key(p.name); }) &&
        (ins.rows.empty() || std::none_of(ins.rows[0].begin(), ins.rows[0].end(),
                                          [&](const auto& kv) { return names_key(kv.first); }))) {
      returning_key_of = &ins;
    }
  }
  const bool returning_key = returning_key_of != nullptr;  // RETURNING for the key only
  const Compiled* compiled = compiled_for(s, statement, returning_key_of, autoinc, params);
  std::unique_ptr<driver::Cursor> cursor =
      run_compiled(s, *compiled, params, s.execution_options.stream_results && !returning_key);

  const std::optional<std::int64_t> lastrowid = cursor->lastrowid();
  const std::int64_t rowcount = cursor->rowcount();
  std::optional<Value> generated_key;  // the autoincrement value the INSERT produced
  if (returning_key) {
    std::vector<Value>& row = s.bind_buffer_returned;
    if (s.guard([&] { return cursor->fetch(row); })) generated_key = std::move(row.front());
    cursor->close();
  } else if (lastrowid) {
    generated_key = Value{*lastrowid};
  }

  // The backend has no RETURNING when it is emulated: the one requested column is the
  // autoincrement key, read from the last-insert-id.
  const bool emulated = compiled->emulated_returning;
  const bool returns_rows = compiled->returns_rows && !returning_key && !emulated;
  if (!returns_rows) {
    cursor->close();
  }
  std::shared_ptr<const RowMetadata> metadata =
      returns_rows ? s.metadata_for(*cursor) : RowMetadata::empty();
  // One Result object, returned on every path, so that it is built in place.
  Result result = emulated ? emulated_returning_result(compiled->column_names, lastrowid, rowcount)
                           : Result(std::move(cursor), std::move(metadata), rowcount);
  if (emulated) return result;
  detail::ResultAccess::set_lastrowid(result, lastrowid);
  if (compiled->table && !returns_rows) {
    // inserted_primary_key: the given key values, the generated one from last-insert-id or
    // RETURNING.
    std::vector<Value> values;
    bool complete = true;
    for (const Column& pk : compiled->table->columns()) {
      if (!pk.primary_key()) continue;
      auto it = std::find_if(compiled->binds.begin(), compiled->binds.end(),
                             [&](const detail::BindSlot& b) { return b.key == pk.name(); });
      if (it != compiled->binds.end()) {
        values.push_back(s.bind_buffer[static_cast<std::size_t>(it - compiled->binds.begin())]);
      } else if (pk.autoincrement() && generated_key) {
        values.push_back(*generated_key);
      } else {
        complete = false;
        break;
      }
    }
    if (complete && !values.empty()) {
      detail::ResultAccess::set_inserted_primary_key(
          result, Row(s.primary_key_metadata(*compiled->table), std::move(values)));
    }
  }
  return result;
}

}  // namespace

Result Connection::execute_params(const Executable& statement, std::span<const Param> params) {
  ConnectionState& s = *state_;
  s.ensure_usable();
  if (statement.state().kind == StatementKind::kInsert) return execute_insert(s, statement, params);
  const Compiled& compiled = *compiled_for(s, statement, nullptr, nullptr, params);
  std::unique_ptr<driver::Cursor> cursor =
      run_compiled(s, compiled, params, s.execution_options.stream_results);
  const std::int64_t rowcount = cursor->rowcount();
  if (compiled.returns_rows) {
    // The driver's metadata, when it shares one, stays with the cursor: the Result copies the
    // pointer only if it builds a Row.
    if (const RowMetadata* shared = cursor->shared_metadata().get()) {
      return Result(std::move(cursor), *shared, rowcount);
    }
    std::shared_ptr<const RowMetadata> metadata = s.metadata_for(cursor->column_names());
    return Result(std::move(cursor), std::move(metadata), rowcount);
  }
  cursor->close();
  return Result(std::move(cursor), RowMetadata::empty(), rowcount);
}

Result Connection::exec_driver_sql(const std::string& sql, const std::vector<Value>& params) {
  ConnectionState& s = *state_;
  s.ensure_usable();
  s.autobegin();
  if (s.engine->echo()) {
    s.engine->log(sql);
    if (!params.empty()) s.engine->log("[parameters: " + render_values(params) + "]");
  }
  driver::ExecuteOptions options{.stream_results = s.execution_options.stream_results};
  auto cursor = s.guard([&] { return s.entry->conn->execute(sql, params, options); });
  std::int64_t rowcount = cursor->rowcount();
  auto lastrowid = cursor->lastrowid();
  if (cursor->column_names().empty()) cursor->close();
  std::shared_ptr<const RowMetadata> metadata = s.metadata_for(*cursor);
  Result result(std::move(cursor), std::move(metadata), rowcount);
  detail::ResultAccess::set_lastrowid(result, lastrowid);
  return result;
}

void Connection::commit() { state_->commit(); }
void Connection::rollback() { state_->rollback(); }

Transaction Connection::begin() {
  ConnectionState& s = *state_;
  s.ensure_usable();
  if (s.entry->in_transaction) {
    throw InvalidRequestError(
        "a transaction is already begun on this Connection (it autobegins on execute); commit() "
        "or rollback() it first, or use begin_nested() for a savepoint");
  }
  s.autobegin();
  s.explicit_begin = true;
  return Transaction(&s, "", s.tx_generation);
}

Transaction Connection::begin_nested() {
  ConnectionState& s = *state_;
  s.ensure_usable();
  if (s.autocommit()) {
    throw InvalidRequestError(
        "begin_nested() needs a transaction, and this Connection's isolation level is "
        "AUTOCOMMIT");
  }
  s.autobegin();
  std::string name = "sa_savepoint_" + std::to_string(++s.savepoint_counter);
  s.engine->log("SAVEPOINT " + name);
  s.guard([&] { s.entry->conn->savepoint(name); });
  s.savepoints.push_back(name);
  return Transaction(&s, name, s.tx_generation);
}

bool Connection::in_transaction() const noexcept {
  return state_ && state_->entry && state_->entry->in_transaction;
}
bool Connection::in_nested_transaction() const noexcept {
  return in_transaction() && !state_->savepoints.empty();
}

void Connection::close() {
  if (state_) state_->close();
}
bool Connection::closed() const noexcept { return !state_ || !state_->entry; }

void Connection::invalidate() {
  if (!state_ || !state_->entry) return;
  state_->invalidated = true;
  state_->entry->in_transaction = false;
  state_->savepoints.clear();
}
bool Connection::invalidated() const noexcept { return state_ && state_->invalidated; }

// ---- Engine -------------------------------------------------------------------------------------

Connection Engine::connect() const {
  auto state = std::make_unique<detail::ConnectionState>();
  state->engine = impl_;
  state->entry = impl_->pool().checkout();
  try {
    state->apply_isolation_level(impl_->options().isolation_level);
  } catch (...) {
    state->close();
    throw;
  }
  return Connection(std::move(state));
}

void Engine::dispose() const { impl_->pool().dispose(); }
PoolStatus Engine::pool_status() const { return impl_->pool().status(); }
const Dialect& Engine::dialect() const { return impl_->dialect(); }
const URL& Engine::url() const { return impl_->url(); }
const EngineOptions& Engine::options() const { return impl_->options(); }

Engine create_engine(std::string_view url_text, EngineOptions options) {
  URL url = URL::parse(url_text);
  std::shared_ptr<Dialect> dialect = make_dialect(url.drivername);
  dialect->validate_url(url);
  if (options.pool_timeout.count() < 0) throw ArgumentError("pool_timeout must not be negative");
  options.isolation_level = detail::normalize_isolation_level(options.isolation_level, *dialect);
  return Engine(
      std::make_shared<detail::EngineImpl>(std::move(url), std::move(dialect), std::move(options)));
}

}  // namespace athanor
