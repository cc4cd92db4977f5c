// Athanor Core (engine layer): executemany, Connection::execute with a list of parameter sets.
//
// The sets are read through one of two readers (std::vector<Params>, or a ParamSetSource that
// writes objects' values straight into the bind buffers) and sent one of three ways: an INSERT
// whose RETURNING asks only for the generated key, on a backend where each row's last-insert-id
// is cheaper, re-executed per row; other INSERTs as pages of multi-row INSERT ... VALUES
// ("insertmanyvalues", with RETURNING where the backend has it); everything else through the
// driver's batch path.
#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <utility>

#include "athanor/core/detail/sql_ast.hpp"
#include "athanor/core/dialect.hpp"
#include "athanor/core/engine.hpp"
#include "athanor/core/error.hpp"
#include "athanor/core/param_sets.hpp"
#include "athanor/core/schema.hpp"
#include "core/engine/connection_state.hpp"
#include "core/engine/param_lookup.hpp"

namespace athanor {

namespace detail {

namespace {

// Assigns `param`'s value to `out`. `P` is Param when the caller gave its parameter sets up
// (std::vector<Params>&&), const Param otherwise; the value is moved only in the first case and
// when `move` says no other placeholder reads the same key.
template <class P>
void transfer(P& param, Value& out, bool move) {
  if constexpr (!std::is_const_v<P>) {
    if (move) {
      out = std::move(param.value);
      return;
    }
  }
  out = param.value;
}

// Whether no two placeholders read the same key (so values may be moved into them).
bool keys_are_unique(std::span<const BindSlot> slots) {
  std::vector<std::string_view> keys;
  keys.reserve(slots.size());
  for (const BindSlot& slot : slots) keys.push_back(slot.key);
  std::sort(keys.begin(), keys.end());
  return std::adjacent_find(keys.begin(), keys.end()) == keys.end();
}

ArgumentError missing_parameter(std::size_t set, const std::string& key) {
  return ArgumentError(fmt::format(
      "parameter set {} of the executemany has no value for bound parameter '{}' (every set "
      "must have the keys of the first)",
      set, key));
}

// The two inputs of an executemany, read the same way: keys() names the parameters (those of
// the first set), prepare() gives the placeholders one set fills (a statement's, or one row's of
// a multi-row INSERT page), then bind() writes a set's values for those placeholders.

// Parameter sets given as std::vector<Params>; `Sets` is const when the caller keeps them,
// otherwise the values are moved out (unless two placeholders read the same key).
template <class Sets>
class ParamsReader {
 public:
  explicit ParamsReader(Sets& sets) : sets_(sets) {}

  std::size_t size() const noexcept { return sets_.size(); }
  std::span<const Param> keys() const { return sets_.front(); }
  Result execute_single(Connection& conn, const Executable& statement) const {
    return conn.execute(statement, sets_.front());
  }

  void prepare(std::span<const BindSlot> slots) {
    slots_ = slots;
    move_ = keys_are_unique(slots);
  }

  void bind(std::size_t set, std::span<Value> out) {
    auto& params = sets_[set];
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      const BindSlot& slot = slots_[i];
      if (auto* found = find_param(params, slot.key, i)) {
        transfer(*found, out[i], move_);
      } else if (slot.literal) {
        out[i] = *slot.literal;
      } else {
        throw missing_parameter(set, slot.key);
      }
    }
  }

 private:
  Sets& sets_;
  std::span<const BindSlot> slots_;
  bool move_ = false;
};

// Parameter sets read from objects (param_sets()): the source writes each set's values straight
// into the placeholders; which name goes where is worked out once per prepare().
class SourceReader {
 public:
  explicit SourceReader(const ParamSetSource& source) : source_(source) {
    keys_.reserve(source.names().size());
    for (const std::string& name : source.names()) keys_.emplace_back(name, Null{});
  }

  std::size_t size() const noexcept { return source_.size(); }
  std::span<const Param> keys() const noexcept { return keys_; }
  Result execute_single(Connection& conn, const Executable& statement) const {
    std::vector<Value> values(keys_.size());
    std::vector<std::size_t> in_order(keys_.size());
    std::iota(in_order.begin(), in_order.end(), std::size_t{0});
    source_.write(0, values, in_order);
    Params params = keys_;
    for (std::size_t k = 0; k < params.size(); ++k) params[k].value = std::move(values[k]);
    return conn.execute(statement, params);
  }

  void prepare(std::span<const BindSlot> slots) {
    slots_ = slots;
    targets_.assign(keys_.size(), ParamSetSource::kUnused);
    copies_.clear();
    literals_.clear();
    for (std::size_t i = 0; i < slots.size(); ++i) {
      const auto named = std::find_if(keys_.begin(), keys_.end(),
                                      [&](const Param& p) { return p.name == slots[i].key; });
      if (named != keys_.end()) {
        std::size_t& target = targets_[static_cast<std::size_t>(named - keys_.begin())];
        if (target == ParamSetSource::kUnused) {
          target = i;
        } else {
          copies_.emplace_back(i, target);  // a second placeholder of the same name
        }
      } else if (slots[i].literal) {
        literals_.push_back(i);
      } else {
        throw ArgumentError("param_sets: no field gives bound parameter '" + slots[i].key + "'");
      }
    }
  }

  void bind(std::size_t set, std::span<Value> out) const {
    source_.write(set, out, targets_);
    for (const auto& [to, from] : copies_) out[to] = out[from];
    for (std::size_t i : literals_) out[i] = *slots_[i].literal;
  }

 private:
  const ParamSetSource& source_;
  Params keys_;  // the names, with null values
  std::span<const BindSlot> slots_;
  std::vector<std::size_t> targets_;                         // per name: its placeholder
  std::vector<std::pair<std::size_t, std::size_t>> copies_;  // (placeholder, filled from)
  std::vector<std::size_t> literals_;                        // placeholders with no name given
};

// The autoincrement column when `compiled` is an INSERT whose RETURNING asks for that column
// alone, the parameters do not give it, and the dialect prefers last-insert-id for it.
const Column* lastrowid_returning_key(const StatementState& statement, const Compiled& compiled,
                                      const Dialect& dialect, std::span<const Param> first) {
  if (compiled.kind != StatementKind::kInsert || !compiled.returns_rows ||
      !dialect.returning_key_from_lastrowid()) {
    return nullptr;
  }
  const auto& insert = static_cast<const InsertState&>(statement);
  const Column* key = insert.table ? insert.table->autoincrement_column() : nullptr;
  if (key == nullptr || !insert.rows.empty() || insert.returning.size() != 1 ||
      insert.returning.front()->kind != NodeKind::kColumn ||
      insert.returning.front()->column != key) {
    return nullptr;
  }
  const bool given = std::any_of(first.begin(), first.end(),
                                 [&](const Param& p) { return p.name == key->name(); });
  return given ? nullptr : key;
}

}  // namespace

}  // namespace detail

using detail::Compiled;
using detail::ConnectionState;
using detail::StatementKind;

namespace {

// executemany, reading its parameter sets through `reader` (a ParamsReader or SourceReader).
template <class Reader>
Result execute_many(Connection& conn, ConnectionState& s, const Executable& statement,
                    Reader& reader) {
  const std::size_t set_count = reader.size();
  if (set_count == 0) {
    throw ArgumentError("executemany needs at least one parameter set");
  }
  if (set_count == 1) return reader.execute_single(conn, statement);
  s.ensure_usable();
  detail::EngineImpl& engine = *s.engine;
  const Dialect& dialect = engine.dialect();
  const detail::StatementState& st = statement.state();
  std::shared_ptr<const Compiled> compiled = detail::compile(st, dialect, reader.keys());

  s.autobegin();
  if (const Column* key = detail::lastrowid_returning_key(st, *compiled, dialect, reader.keys())) {
    // RETURNING of the generated key only, on a backend where reading each row's
    // last-insert-id is cheaper: the plain INSERT, re-executed per row.
    std::shared_ptr<const Compiled> plain = detail::compile_without_returning(
        static_cast<const detail::InsertState&>(st), dialect, reader.keys());
    // The rows are bound a chunk at a time into buffers the connection keeps, so that no row
    // allocates.
    constexpr std::size_t kChunk = 256;
    reader.prepare(plain->binds);
    std::vector<std::vector<Value>>& rows = s.bind_rows;
    std::vector<std::int64_t> ids;
    ids.reserve(set_count);
    std::int64_t total = 0;
    for (std::size_t begin = 0; begin < set_count; begin += kChunk) {
      const std::size_t count = std::min(kChunk, set_count - begin);
      if (rows.size() < count) rows.resize(count);
      for (std::size_t r = 0; r < count; ++r) {
        rows[r].resize(plain->binds.size());
        reader.bind(begin + r, rows[r]);
      }
      if (begin == 0 && engine.echo()) {
        engine.log(plain->sql);
        engine.log(
            fmt::format("[executemany: {} parameter sets, {} from last-insert-id; first: {}]",
                        set_count, key->name(), render_values(rows.front())));
      }
      const std::span<const std::vector<Value>> chunk(rows.data(), count);
      total +=
          s.guard([&] { return s.entry->conn->execute_many_lastrowids(plain->sql, chunk, ids); });
    }
    for (std::vector<Value>& row : rows) row.clear();  // keeps the capacity, not the values
    std::vector<Value> returned(ids.begin(), ids.end());
    return Result::from_values(s.metadata_for(compiled->column_names), std::move(returned), total);
  }
  bool insert_many = compiled->kind == StatementKind::kInsert &&
                     !compiled->insert_columns.empty() && !compiled->emulated_returning &&
                     (compiled->returns_rows || dialect.prefer_multirow_insert());
  if (insert_many) {
    // "insertmanyvalues": pages of multi-row INSERT ... VALUES (...), (...) [RETURNING].
    const auto& insert_state = static_cast<const detail::InsertState&>(st);
    const std::size_t columns = compiled->insert_columns.size();
    std::size_t page = std::max<std::size_t>(
        1, std::min(dialect.insertmanyvalues_page_size(),
                    dialect.max_bind_parameters() / std::max<std::size_t>(columns, 1)));
    std::shared_ptr<const RowMetadata> metadata;
    std::vector<Value> returned;  // the RETURNING rows, one after another
    std::vector<Value> buffer;
    std::int64_t total = 0;
    // Assigned over page after page, so that text values reuse their buffers.
    std::vector<Value>& values = s.bind_buffer;
    for (std::size_t begin = 0; begin < set_count; begin += page) {
      std::size_t count = std::min(page, set_count - begin);
      std::shared_ptr<const Compiled> batch =
          detail::compile_insert_many(insert_state, dialect, compiled->insert_columns, count);
      // Every row of a page has the first row's placeholders, under the same keys.
      reader.prepare(std::span<const detail::BindSlot>(batch->binds.data(), columns));
      values.resize(count * columns);
      for (std::size_t r = 0; r < count; ++r) {
        reader.bind(begin + r, std::span<Value>(values.data() + r * columns, columns));
      }
      if (engine.echo()) {
        engine.log(batch->sql);
        engine.log(fmt::format("[insertmanyvalues batch {} of {} rows; parameters: {}]",
                               begin / page + 1, count, render_values(values)));
      }
      auto cursor = s.guard([&] { return s.entry->conn->execute(batch->sql, values); });
      if (batch->returns_rows) {
        if (!metadata) metadata = s.metadata_for(*cursor);
        while (s.guard([&] { return cursor->fetch(buffer); })) {
          for (Value& value : buffer) returned.push_back(std::move(value));
        }
      }
      std::int64_t n = cursor->rowcount();
      total += n > 0 ? n : static_cast<std::int64_t>(count);
      s.guard([&] { cursor->close(); });  // raises an error that came with unread rows
    }
    if (metadata) return Result::from_values(std::move(metadata), std::move(returned), total);
    return Result::from_values(RowMetadata::empty(), {}, total);
  }

  if (compiled->returns_rows) {
    throw CompileError(
        "executemany with RETURNING is supported for INSERT only; execute the statement once "
        "per parameter set instead");
  }
  reader.prepare(compiled->binds);
  std::vector<std::vector<Value>> rows(set_count);
  for (std::size_t i = 0; i < set_count; ++i) {
    rows[i].resize(compiled->binds.size());
    reader.bind(i, rows[i]);
  }
  if (engine.echo()) {
    engine.log(compiled->sql);
    engine.log(fmt::format("[executemany: {} parameter sets; first: {}]", rows.size(),
                           render_values(rows.front())));
  }
  std::int64_t total = s.guard([&] { return s.entry->conn->execute_many(compiled->sql, rows); });
  return Result::from_values(RowMetadata::empty(), {}, total);
}

}  // namespace

Result Connection::execute(const Executable& statement, const std::vector<Params>& param_sets) {
  detail::ParamsReader reader(param_sets);
  return execute_many(*this, *state_, statement, reader);
}

Result Connection::execute(const Executable& statement, std::vector<Params>&& param_sets) {
  detail::ParamsReader reader(param_sets);
  return execute_many(*this, *state_, statement, reader);
}

Result Connection::execute(const Executable& statement, const ParamSetSource& param_sets) {
  detail::SourceReader reader(param_sets);
  return execute_many(*this, *state_, statement, reader);
}

}  // namespace athanor
