// Athanor mapping: Mapper<T>, the traits athanor-gen specialises for every mapped struct.
//
// A generated specialisation provides, as static members:
//   table()          the model's Table, defined once in model_metadata() (mapping/table.hpp)
//   values(o)        the member values as Values, in the table's column order
//   load(reader, o)  reads the columns a ColumnReader has into the members
//   primary_key(o)   the primary key values, in primary key order
//   relationships()  the relationship descriptors (RelationshipInfo), in member order
// and inherits from MapperBase<T> everything built from those: bind, insert_params, hydrate,
// snapshot and diff (change detection), a primary key condition, relationship lookup.
//
// Layer: mapping support on top of Core; used by generated code and the ORM. Nothing in Core
// includes this header.
#pragma once

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "athanor/core/engine.hpp"
#include "athanor/core/error.hpp"
#include "athanor/core/result.hpp"
#include "athanor/core/schema.hpp"
#include "athanor/core/sql.hpp"
#include "athanor/mapping/column.hpp"
#include "athanor/mapping/table.hpp"

namespace athanor {

// Specialised by generated code, one per mapped struct. The primary template is undefined.
template <class T>
struct Mapper;

template <class T>
concept Mapped = requires(const T& object) {
  { Mapper<T>::table() } -> std::same_as<const Table&>;
  { Mapper<T>::values(object) } -> std::same_as<std::vector<Value>>;
};

// ---- relationships ----------------------------------------------------------------------------

enum class RelationshipDirection { kManyToOne, kOneToMany, kOneToOne, kManyToMany };

// Default loading strategy of a relationship (the ORM's loaders; a query option overrides it).
enum class Lazy { kSelect, kSelectIn, kJoined, kRaise };

// Cascade flags, SQLAlchemy's names: "save-update", "merge", "delete", "delete-orphan",
// "refresh-expire", "expunge"; "all" is every flag but delete-orphan.
enum class Cascade : unsigned {
  kNone = 0,
  kSaveUpdate = 1u << 0,
  kMerge = 1u << 1,
  kDelete = 1u << 2,
  kDeleteOrphan = 1u << 3,
  kRefreshExpire = 1u << 4,
  kExpunge = 1u << 5,
};
constexpr Cascade operator|(Cascade a, Cascade b) noexcept {
  return static_cast<Cascade>(static_cast<unsigned>(a) | static_cast<unsigned>(b));
}
constexpr bool has_cascade(Cascade set, Cascade flag) noexcept {
  return (static_cast<unsigned>(set) & static_cast<unsigned>(flag)) != 0;
}

// Two columns that are equal along a relationship's join: `local` in the table on this side,
// `remote` in the table on the other side (the target, or the association table).
struct ColumnPair {
  std::string_view local;
  std::string_view remote;
};

struct OrderByColumn {
  std::string_view column;  // a column of the target table
  bool descending = false;
};

// What athanor-gen resolved about one relationship member.
//   kManyToOne   this table holds the foreign key:          join = {(this.fk, target.key)}
//   kOneToMany   the target holds the foreign key:           join = {(this.key, target.fk)}
//   kOneToOne    either side holds a unique foreign key:     local_foreign_key says which
//   kManyToMany  the association table `secondary` holds both: join = {(this.key, secondary.fk)},
//                secondary_join = {(secondary.fk, target.key)}
struct RelationshipInfo {
  std::string_view name;    // the member
  std::string_view target;  // the target table
  RelationshipDirection direction = RelationshipDirection::kManyToOne;
  bool uselist = false;            // Collection<T> (true) or Reference<T>
  bool local_foreign_key = false;  // the foreign key columns are in this table
  std::span<const ColumnPair> join;
  std::string_view secondary;
  std::span<const ColumnPair> secondary_join;
  // The foreign key columns this relationship sets, as "table.column".
  std::span<const std::string_view> foreign_keys;
  std::string_view back_populates;  // the member on the target that mirrors this one, or empty
  Cascade cascade = Cascade::kSaveUpdate | Cascade::kMerge;
  Lazy lazy = Lazy::kSelect;
  std::span<const OrderByColumn> order_by;
  bool post_update = false;
};

// A typed handle on a relationship member, for the ORM's loader options (User_::posts).
template <class Model, class Member>
struct RelationshipRef {
  using model_type = Model;
  using member_type = Member;
  using target_type = typename Member::element_type;

  Member Model::*member;
  std::size_t index;  // into Mapper<Model>::relationships()

  const RelationshipInfo& info() const { return Mapper<Model>::relationships()[index]; }
};

// ---- reading rows -----------------------------------------------------------------------------

// Reads a row into a model's members. Column ordinal i (the table's column order) is read from
// row position positions[i], or skipped when that is kAbsent.
class ColumnReader {
 public:
  static constexpr std::size_t kAbsent = static_cast<std::size_t>(-1);

  ColumnReader(const Row& row, std::span<const std::size_t> positions) noexcept
      : row_(row), positions_(positions) {}

  template <class Storage = DefaultStorage, class M>
  void read(std::size_t ordinal, M& member) const {
    std::size_t position = positions_[ordinal];
    if (position != kAbsent) from_db<Storage>(row_, position, member);
  }

 private:
  const Row& row_;
  std::span<const std::size_t> positions_;
};

namespace detail {
// Positions of `table`'s columns among `keys` (by name). Missing columns are kAbsent, or raise
// ArgumentError when `require_all`.
inline std::vector<std::size_t> layout_by_name(const Table& table,
                                               const std::vector<std::string>& keys,
                                               bool require_all) {
  std::vector<std::size_t> positions;
  positions.reserve(table.columns().size());
  for (const Column& column : table.columns()) {
    std::size_t found = ColumnReader::kAbsent;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] == column.name()) {
        found = i;
        break;
      }
    }
    if (found == ColumnReader::kAbsent && require_all) {
      throw ArgumentError("cannot load a '" + table.name() + "' object: the row has no column '" +
                          column.name() + "'");
    }
    positions.push_back(found);
  }
  return positions;
}

// Positions of `table`'s columns in a row where they start at `offset`, in column order.
inline std::vector<std::size_t> layout_at(const Table& table, std::size_t offset,
                                          std::size_t row_size) {
  std::size_t count = table.columns().size();
  if (offset + count > row_size) {
    throw ArgumentError("cannot load a '" + table.name() + "' object: the row has " +
                        std::to_string(row_size) + " columns, the table needs " +
                        std::to_string(count) + " from position " + std::to_string(offset));
  }
  std::vector<std::size_t> positions(count);
  for (std::size_t i = 0; i < count; ++i) positions[i] = offset + i;
  return positions;
}
}  // namespace detail

// ---- MapperBase -------------------------------------------------------------------------------

// A snapshot of an object's column values (Mapper<T>::values at some point), for diff().
using Snapshot = std::vector<Value>;

// Everything derived from the generated members; Mapper<T> inherits it.
template <class T>
struct MapperBase {
  // Column name -> value for every column, for insert().values() / update().values().
  static Params bind(const T& object) {
    const Table& table = Mapper<T>::table();
    std::vector<Value> values = Mapper<T>::values(object);
    Params params;
    params.reserve(values.size());
    std::size_t i = 0;
    for (const Column& column : table.columns()) params.emplace_back(column.name(), values[i++]);
    return params;
  }

  // bind() without the autoincrement key when it is unset (NULL or 0), so the database
  // generates it.
  static Params insert_params(const T& object) {
    const Table& table = Mapper<T>::table();
    const Column* autoincrement = table.autoincrement_column();
    std::vector<Value> values = Mapper<T>::values(object);
    Params params;
    params.reserve(values.size());
    std::size_t i = 0;
    for (const Column& column : table.columns()) {
      const Value& value = values[i++];
      if (&column == autoincrement && is_unset_key(value)) continue;
      params.emplace_back(column.name(), value);
    }
    return params;
  }

  // A new object from a row holding every column by name (select(table) or any select that
  // names them). Throws ArgumentError naming a missing column or a value that does not fit.
  static T hydrate(const Row& row) {
    T object{};
    hydrate(row, object);
    return object;
  }
  static void hydrate(const Row& row, T& object) {
    std::vector<std::size_t> positions =
        detail::layout_by_name(Mapper<T>::table(), row.keys(), true);
    Mapper<T>::load(ColumnReader(row, positions), object);
  }
  // Reads only the columns the row has (e.g. a returned primary key); the rest stay as they are.
  static void hydrate_partial(const Row& row, T& object) {
    std::vector<std::size_t> positions =
        detail::layout_by_name(Mapper<T>::table(), row.keys(), false);
    Mapper<T>::load(ColumnReader(row, positions), object);
  }
  // A new object from the table's columns found in order at row[offset...] (joined rows).
  static T hydrate_at(const Row& row, std::size_t offset) {
    T object{};
    std::vector<std::size_t> positions = detail::layout_at(Mapper<T>::table(), offset, row.size());
    Mapper<T>::load(ColumnReader(row, positions), object);
    return object;
  }

  static Snapshot snapshot(const T& object) { return Mapper<T>::values(object); }

  // Ordinals (table column order) of the columns whose value differs from `before`.
  static std::vector<std::size_t> diff(const Snapshot& before, const T& object) {
    std::vector<Value> now = Mapper<T>::values(object);
    std::vector<std::size_t> changed;
    for (std::size_t i = 0; i < now.size(); ++i) {
      if (i >= before.size() || !(before[i] == now[i])) changed.push_back(i);
    }
    return changed;
  }
  // Column name -> new value for the changed columns: the SET list of an UPDATE.
  static Params changes(const Snapshot& before, const T& object) {
    const Table& table = Mapper<T>::table();
    std::vector<Value> now = Mapper<T>::values(object);
    Params params;
    for (std::size_t i = 0; i < now.size(); ++i) {
      if (i >= before.size() || !(before[i] == now[i])) {
        params.emplace_back(table.columns()[i].name(), std::move(now[i]));
      }
    }
    return params;
  }

  // pk1 = :v1 AND pk2 = :v2 ... for the object's primary key.
  static ColumnElement match_primary_key(const T& object) {
    std::vector<const Column*> key_columns = Mapper<T>::table().primary_key();
    std::vector<Value> key = Mapper<T>::primary_key(object);
    std::vector<ColumnElement> terms;
    for (std::size_t i = 0; i < key_columns.size(); ++i) {
      terms.push_back(binary(ColumnElement(*key_columns[i]), "=", literal(key[i])));
    }
    return terms.size() == 1 ? terms.front() : and_(std::move(terms));
  }

  // The relationship named `member`, or null.
  static const RelationshipInfo* find_relationship(std::string_view member) {
    for (const RelationshipInfo& info : Mapper<T>::relationships()) {
      if (info.name == member) return &info;
    }
    return nullptr;
  }

 private:
  static bool is_unset_key(const Value& value) {
    if (is_null(value)) return true;
    const auto* number = std::get_if<std::int64_t>(&value);
    return number != nullptr && *number == 0;
  }
};

// ---- Core-level helpers -----------------------------------------------------------------------

// Every row of `result` as a T (columns by name, looked up once).
template <Mapped T>
std::vector<T> hydrate_all(Result& result) {
  std::vector<T> out;
  std::vector<std::size_t> positions;
  Row row;
  while (result.fetch_into(row)) {
    if (positions.empty()) positions = detail::layout_by_name(Mapper<T>::table(), row.keys(), true);
    T object{};
    Mapper<T>::load(ColumnReader(row, positions), object);
    out.push_back(std::move(object));
  }
  return out;
}
template <Mapped T>
std::vector<T> hydrate_all(Result&& result) {
  return hydrate_all<T>(result);
}

// Inserts `object` and, when the database generated its autoincrement key, writes it back.
template <Mapped T>
void insert_object(Connection& connection, T& object) {
  const Table& table = Mapper<T>::table();
  Params params = Mapper<T>::insert_params(object);
  const Column* autoincrement = table.autoincrement_column();
  bool generated = autoincrement != nullptr &&
                   std::none_of(params.begin(), params.end(),
                                [&](const Param& p) { return p.name == autoincrement->name(); });
  if (!generated) {
    connection.execute(insert(table).values(std::move(params)));
    return;
  }
  Result result =
      connection.execute(insert(table).values(std::move(params)).returning(*autoincrement));
  if (std::optional<Row> row = result.first()) Mapper<T>::hydrate_partial(*row, object);
}

}  // namespace athanor
