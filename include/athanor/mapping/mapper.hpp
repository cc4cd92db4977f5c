// Athanor mapping: Mapper<T>, the traits athanor-gen specialises for every mapped struct.
//
// A generated specialisation provides, as static members:
//   table()          the model's Table, defined once in model_metadata() (mapping/table.hpp)
//   values(o)        the member values as Values, in the table's column order (a ColumnWriter)
//   load(reader, o)  reads the columns a ColumnReader has into the members
//   primary_key(o)   the primary key values, in primary key order
//   relationships()  the relationship descriptors (RelationshipInfo), in member order
// and inherits from MapperBase<T> everything built from those: bind, insert_params, hydrate,
// snapshot and diff (change detection), a primary key condition, relationship lookup.
// Errors: reading a row raises ArgumentError naming the table and the column the row lacks, or
// the column whose value does not fit its member. Mapper<T> holds no state (its table is built
// once, on first use), so it is used from any thread.
//
// Layer: mapping support on top of Core; used by generated code and the ORM. Nothing in Core
// includes this header.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "athanor/core/detail/row_mapping.hpp"
#include "athanor/core/engine.hpp"
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
  static constexpr std::size_t kAbsent = detail::kAbsentColumn;

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

// ---- writing values ---------------------------------------------------------------------------

// Collects a model's column values, in the table's column order: what Mapper<T>::values() and
// primary_key() return. The Values are the ones to_db<Storage>(member) gives; those of the common
// member types are made by Core's compiled code, so a model's values() constructs none inline.
class ColumnWriter {
 public:
  explicit ColumnWriter(std::size_t count) { detail::reserve_values(values_, count); }

  template <class Storage = DefaultStorage, class M>
  ColumnWriter& write(const M& member) {
    if constexpr (is_optional_v<M>) {
      if (!member) {
        detail::append_null(values_);
      } else {
        write<Storage>(*member);
      }
    } else if constexpr (std::is_enum_v<M> && !std::is_same_v<Storage, IntegerStorage>) {
      detail::append_value(values_, enum_to_text(member));
    } else if constexpr (std::is_enum_v<M>) {
      detail::append_value(
          values_, static_cast<std::int64_t>(static_cast<std::underlying_type_t<M>>(member)));
    } else if constexpr (std::is_same_v<M, bool>) {
      detail::append_value(values_, member);
    } else if constexpr (std::is_integral_v<M>) {
      if constexpr (std::is_unsigned_v<M> && sizeof(M) >= sizeof(std::int64_t)) {
        // No SQL integer type holds it; a cast would store a negative number.
        if (member > static_cast<M>(std::numeric_limits<std::int64_t>::max())) {
          detail::throw_unsigned_out_of_range(member);
        }
      }
      detail::append_value(values_, static_cast<std::int64_t>(member));
    } else if constexpr (std::is_floating_point_v<M>) {
      detail::append_value(values_, static_cast<double>(member));
    } else if constexpr (std::is_same_v<M, std::string>) {
      detail::append_value(values_, member);
    } else {
      detail::append_value(values_, to_value(member));
    }
    return *this;
  }

  // The values written so far; the writer is left empty.
  std::vector<Value> take() noexcept { return std::move(values_); }

 private:
  std::vector<Value> values_;
};

// ---- MapperBase -------------------------------------------------------------------------------

// A snapshot of an object's column values (Mapper<T>::values at some point), for diff().
using Snapshot = std::vector<Value>;

// Everything derived from the generated members; Mapper<T> inherits it.
template <class T>
struct MapperBase {
  // Column name -> value for every column, for insert().values() / update().values().
  static Params bind(const T& object) {
    return detail::column_params(Mapper<T>::table(), Mapper<T>::values(object));
  }

  // bind() without what the database is to fill in: the autoincrement key when it is unset (NULL
  // or 0), and each unset std::optional member whose column has a server_default, so that the
  // default applies instead of NULL.
  static Params insert_params(const T& object) {
    return detail::insert_params(Mapper<T>::table(), Mapper<T>::values(object));
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
    return detail::changed_columns(before, Mapper<T>::values(object));
  }
  // Column name -> new value for the changed columns: the SET list of an UPDATE.
  static Params changes(const Snapshot& before, const T& object) {
    return detail::changed_params(Mapper<T>::table(), before, Mapper<T>::values(object));
  }

  // pk1 = :v1 AND pk2 = :v2 ... for the object's primary key.
  static ColumnElement match_primary_key(const T& object) {
    return detail::primary_key_condition(Mapper<T>::table(), Mapper<T>::primary_key(object));
  }

  // The relationship named `member`, or null.
  static const RelationshipInfo* find_relationship(std::string_view member) {
    for (const RelationshipInfo& info : Mapper<T>::relationships()) {
      if (info.name == member) return &info;
    }
    return nullptr;
  }
};

// ---- Core-level helpers -----------------------------------------------------------------------

// Core's Result and Row read a mapped struct through its mapper, columns by name:
// conn.execute(select(User_::table())).all<User>(), .one<User>(), row.as<User>().
template <Mapped T>
struct RowLoader<T> {
  static constexpr bool enabled = true;
  static std::vector<std::size_t> layout(const std::vector<std::string>& keys) {
    return detail::layout_by_name(Mapper<T>::table(), keys, true);
  }
  static void load(const Row& row, const std::vector<std::size_t>& layout, T& object) {
    Mapper<T>::load(ColumnReader(row, layout), object);
  }
};

// Every row of `result` as a T (columns by name, looked up once): result.all<T>().
template <Mapped T>
std::vector<T> hydrate_all(Result& result) {
  return result.template all<T>();
}
template <Mapped T>
std::vector<T> hydrate_all(Result&& result) {
  return result.template all<T>();
}

// These three are what a Core user with mapped structs writes by hand otherwise; the ORM's
// Session does more (identity map, only the changed columns, relationships, StaleDataError).
// Each runs one statement on `connection`, inside its transaction (autobegun as execute()
// does), and throws what Connection::execute throws.

// INSERT of `object`. What the database fills in is written back into `object`: a generated
// autoincrement key, and the server_default of every std::optional member left unset (such a
// column is left out of the INSERT, so its DEFAULT applies rather than NULL; to store NULL
// there, UPDATE it afterwards). The values come back with RETURNING where the backend has it
// and the table's implicit_returning is on, otherwise with a SELECT by primary key after the
// INSERT.
template <Mapped T>
void insert_object(Connection& connection, T& object) {
  std::optional<Row> row =
      detail::insert_row(connection, Mapper<T>::table(), Mapper<T>::insert_params(object));
  if (row) Mapper<T>::hydrate_partial(*row, object);
}

// UPDATE of every column of `object` but its primary key, WHERE the primary key is the
// object's (every key column, for a composite key); an unset std::optional member is stored as
// NULL. Returns the number of rows matched (SQLAlchemy's rowcount): 1, or 0 when no row has
// that key; nothing is raised for 0. Throws ArgumentError when every column is in the primary
// key (there is nothing to set).
template <Mapped T>
std::int64_t update_object(Connection& connection, const T& object) {
  return detail::update_row(connection, Mapper<T>::table(), Mapper<T>::values(object));
}

// DELETE of the row with `object`'s primary key. Returns the number of rows deleted: 1, or 0
// when no row has that key (nothing is raised). `object` itself is left as it is.
template <Mapped T>
std::int64_t delete_object(Connection& connection, const T& object) {
  return detail::delete_row(connection, Mapper<T>::table(), Mapper<T>::primary_key(object));
}

}  // namespace athanor
