// Athanor Core: results of executing a statement (SQLAlchemy's Result and Row).
//
// A Result streams rows from its driver cursor as it is iterated; nothing is materialized unless
// asked for (all(), scalars(), as()). Typed access converts with value_from<T> and raises
// ArgumentError naming the column and both types when the value cannot be read as T.
//
// Rows into structs (Row::as<T>, Result::first/one/one_or_none/as/all<T>): a struct with a
// generated mapper is read through it, by column name (RowLoader<T> below); a plain aggregate
// field by field, column i into field i (Boost.PFR); any other T is a compile error whose one
// sentence says what to do.
//
// Result states (the function performing each transition in brackets):
//
//   streaming --[last row read: iteration, fetch*, all, as, scalars]--> exhausted
//   streaming --[close, first, one, one_or_none, scalar]-------------> closed
//   streaming --[the Connection executes another statement]---------> closed (by the driver)
//   buffered  --[last row read]--> exhausted         buffered --[close]--> closed
//   any       --[destructor]--> gone
//
// - streaming: rows come from the driver cursor, one per fetch. Made by Connection::execute; for
//   a statement that returns no rows it is exhausted from the start.
// - buffered: every row is held in the Result already (executemany ... RETURNING, an emulated
//   RETURNING, from_values). It holds no cursor, so it may outlive its Connection.
// - exhausted and closed are alike to the caller: the cursor is released (closed, so that the
//   Connection may run its next statement), fetches return nullopt or empty vectors, iteration
//   ends at once, one() raises NoResultFound and scalar<T>() raises NoResultFound (nullopt for
//   an optional T). keys(), returns_rows(), rowcount(), lastrowid() and inserted_primary_key()
//   keep answering in every state.
// - first(), one(), one_or_none() and scalar() read what they need and close, discarding the
//   rows left; the typed reads of as<T>() read to the end.
//
// A late server error (a later row of the statement failed: see driver::Cursor) surfaces from
// the fetch that reaches it, or from the close (explicit or by one of the methods above) that
// discards the rows holding it; close() may therefore throw. A streaming Result destroyed before
// its end leaves such an error to its Connection, whose next call raises it.
//
// REQUIRES: a streaming Result does not outlive the Connection that produced it.
// Thread-safety: a Result is used by one thread at a time, as its Connection is. The Row an
// iterator refers to is refilled by the next step; Rows returned by value are independent values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/pfr/core.hpp>
#include <nlohmann/json.hpp>

#include "athanor/core/detail/row_target.hpp"
#include "athanor/core/driver.hpp"
#include "athanor/core/error.hpp"
#include "athanor/core/row_metadata.hpp"
#include "athanor/core/value.hpp"

namespace athanor {

class Row;

// Customization point: reading rows into a T by column name. Core knows no such type: the
// primary template says "none", and the mapping support (athanor/mapping/mapper.hpp) specializes
// it for every struct that has a generated Mapper<T>. A specialization provides
//   static constexpr bool enabled = true;
//   // For each of T's columns, its position among the row's `keys`. Throws ArgumentError naming
//   // a column the row does not have.
//   static std::vector<std::size_t> layout(const std::vector<std::string>& keys);
//   // Reads `row`'s columns at the positions `layout` gives into `object`.
//   static void load(const Row& row, const std::vector<std::size_t>& layout, T& object);
template <class T>
struct RowLoader {
  static constexpr bool enabled = false;
};

class Row {
 public:
  Row() = default;
  Row(std::shared_ptr<const RowMetadata> metadata, std::vector<Value> values)
      : metadata_(std::move(metadata)), values_(std::move(values)) {}

  std::size_t size() const noexcept { return values_.size(); }
  // Throws ArgumentError when out of range.
  const Value& operator[](std::size_t index) const {
    if (index >= values_.size()) throw_index_out_of_range(index);
    return values_[index];
  }
  const Value& operator[](std::string_view name) const;  // throws ArgumentError when unknown
  const std::vector<Value>& values() const noexcept { return values_; }
  const std::vector<std::string>& keys() const;

  template <class T>
  requires FromValue<T> T get(std::size_t index)
  const {
    const Value& value = (*this)[index];
    try {
      return value_from<T>(value, {});
    } catch (const ArgumentError&) {
      // Name the column only on the error path, so that a successful read formats nothing.
      return value_from<T>(value, column_context(index));
    }
  }
  template <class T>
  requires FromValue<T> T get(std::string_view name)
  const { return get<T>(index_of(name)); }

  // The row as a T: a mapped struct (a generated mapper) by column name, every column of its
  // table required (ArgumentError naming a missing one); a plain aggregate field i taking column
  // i (Boost.PFR), the column count matching the field count (ArgumentError otherwise).
  template <class T>
  T as() const& {
    return read_as<T>([this](std::size_t i, auto* field) {
      *field = get<std::remove_pointer_t<decltype(field)>>(i);
    });
  }
  // Same, moving text out of the row instead of copying it: std::move(row).as<T>().
  template <class T>
  T as() && {
    return read_as<T>([this](std::size_t i, auto* field) {
      *field = take<std::remove_pointer_t<decltype(field)>>(i);
    });
  }

  // {"column": value, ...}; dates and times as ISO 8601 text, bytes as base64-free hex text,
  // decimals as text, JSON inline.
  nlohmann::json to_json() const;

  // The column names, shared by the rows of one result.
  const std::shared_ptr<const RowMetadata>& metadata() const noexcept { return metadata_; }

 private:
  friend class Result;
  // The value buffer Result iteration refills, reusing its capacity.
  std::vector<Value>& mutable_values() noexcept { return values_; }
  // as<T>(): a mapped T through RowLoader<T>; an aggregate T with field i set by
  // read(i, &field).
  template <class T, class Read>
  T read_as([[maybe_unused]] Read read) const {
    if constexpr (detail::row_target<T> == detail::RowTargetKind::kMapped) {
      T out{};
      RowLoader<T>::load(*this, RowLoader<T>::layout(keys()), out);
      return out;
    } else if constexpr (detail::row_target<T> == detail::RowTargetKind::kPositional) {
      return fill<T>(read);
    } else {
      detail::reject_row_target<T>();
    }
  }
  // An aggregate T whose field i is set by read(i, &field).
  template <class T, class Read>
  T fill(Read read) const {
    check_field_count(boost::pfr::tuple_size_v<T>);
    T out{};
    std::size_t i = 0;
    boost::pfr::for_each_field(out, [&](auto& field) { read(i++, &field); });
    return out;
  }
  // get<F>(index), but a text value read as text is moved out, leaving an empty string.
  template <class F>
  F take(std::size_t index) {
    if constexpr (std::is_same_v<F, std::string> || std::is_same_v<F, std::optional<std::string>>) {
      if (auto* text = std::get_if<std::string>(&values_[index])) return std::move(*text);
    }
    return get<F>(index);
  }
  std::size_t index_of(std::string_view name) const;
  [[noreturn]] void throw_index_out_of_range(std::size_t index) const;
  std::string column_context(std::size_t index) const;
  void check_field_count(std::size_t fields) const;

  std::shared_ptr<const RowMetadata> metadata_;
  std::vector<Value> values_;
};

nlohmann::json to_json(const Value& value);

class Connection;

namespace detail {
struct ResultAccess;  // core/result/result_access.hpp

// What only some Results use. Kept apart, so that a result that is executed, read into a struct
// and dropped (a lookup) is made and destroyed without visiting any of it.
struct ResultExtras {
  ResultExtras() = default;
  ResultExtras(const ResultExtras&) = delete;
  ResultExtras& operator=(const ResultExtras&) = delete;
  ResultExtras(ResultExtras&&) noexcept = default;
  ResultExtras& operator=(ResultExtras&&) noexcept = default;
  ~ResultExtras();  // out of line: not part of every result's destructor
  // Rows already fetched, stored flat (see Result::from_values); read once, front to back.
  std::vector<Value> buffered;
  std::size_t buffered_pos = 0;  // index of the next row's first value
  Row current;                   // the row iteration is at
  std::optional<Row> inserted_primary_key;
  std::optional<Value> scratch;  // a column read by read_value, its buffers reused
};
}  // namespace detail

class Result {
 public:
  Result();
  // A result streaming from `cursor`.
  Result(std::unique_ptr<driver::Cursor> cursor, std::int64_t rowcount = -1);
  // Same, with the cursor's column names as `metadata` (shared by results of one statement).
  Result(std::unique_ptr<driver::Cursor> cursor, std::shared_ptr<const RowMetadata> metadata,
         std::int64_t rowcount)
      : cursor_(std::move(cursor)),
        metadata_(std::move(metadata)),
        columns_(metadata_.get()),
        rowcount_(rowcount) {}
  // A result over rows already fetched. Each row has the metadata's column count.
  Result(std::shared_ptr<const RowMetadata> metadata, std::vector<Row> rows,
         std::int64_t rowcount = -1);
  // Same, the rows given one after another: row i is values[i * n, (i + 1) * n) for the n
  // columns of `metadata`. Reading it back allocates nothing per row.
  static Result from_values(std::shared_ptr<const RowMetadata> metadata, std::vector<Value> values,
                            std::int64_t rowcount = -1);
  Result(Result&&) noexcept;
  Result& operator=(Result&&) noexcept;
  ~Result();

  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Row;
    using difference_type = std::ptrdiff_t;
    using pointer = const Row*;
    using reference = const Row&;
    iterator() = default;
    explicit iterator(Result* result) : result_(result) { ++*this; }
    const Row& operator*() const { return result_->extras_->current; }
    const Row* operator->() const { return &result_->extras_->current; }
    iterator& operator++() {
      if (!result_->fetch_into(result_->extras().current)) result_ = nullptr;
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& a, const iterator& b) { return a.result_ == b.result_; }

   private:
    Result* result_ = nullptr;
  };
  iterator begin() { return iterator(this); }
  iterator end() { return iterator(); }

  const std::vector<std::string>& keys() const;
  bool returns_rows() const noexcept;

  std::optional<Row> fetchone();
  std::vector<Row> fetchmany(std::size_t n);
  std::vector<Row> all();
  // The first row (the rest are discarded), or nullopt.
  std::optional<Row> first();
  // Exactly one row: NoResultFound / MultipleResultsFound otherwise.
  Row one();
  std::optional<Row> one_or_none();
  // The same three, the row as T (see Row::as): conn.execute(stmt, {{"id", 7}}).first<User>().
  // A plain aggregate is read straight from the driver, as as<T>() reads it. For one column,
  // use scalar<T>().
  template <class T>
  std::optional<T> first() {
    if constexpr (detail::row_target<T> == detail::RowTargetKind::kMapped) {
      std::optional<Row> row = first();
      if (!row) return std::nullopt;
      return std::move(*row).template as<T>();
    } else if constexpr (detail::row_target<T> == detail::RowTargetKind::kPositional) {
      std::optional<T> out;
      if (!next_as(out.emplace())) out.reset();
      close();
      return out;
    } else {
      detail::reject_row_target<T>();
    }
  }
  template <class T>
  T one() {
    if constexpr (detail::row_target<T> == detail::RowTargetKind::kMapped) {
      return one().template as<T>();
    } else if constexpr (detail::row_target<T> == detail::RowTargetKind::kPositional) {
      std::optional<T> out = at_most_one<T>("one()");
      if (!out) throw_no_row("one()");
      return std::move(*out);
    } else {
      detail::reject_row_target<T>();
    }
  }
  template <class T>
  std::optional<T> one_or_none() {
    if constexpr (detail::row_target<T> == detail::RowTargetKind::kMapped) {
      std::optional<Row> row = one_or_none();
      if (!row) return std::nullopt;
      return std::move(*row).template as<T>();
    } else if constexpr (detail::row_target<T> == detail::RowTargetKind::kPositional) {
      return at_most_one<T>("one_or_none()");
    } else {
      detail::reject_row_target<T>();
    }
  }

  // First column of the first row. With T = std::optional<U>: nullopt when there is no row;
  // otherwise NoResultFound when there is no row.
  template <class T>
  requires FromValue<T> T scalar() {
    std::optional<Row> row = first();
    if (!row) {
      if constexpr (is_optional_v<T>) {
        return std::nullopt;
      } else {
        throw NoResultFound("scalar(): the statement returned no rows");
      }
    }
    return row->template get<T>(0);
  }
  // First column of every row.
  template <class T>
  requires FromValue<T> std::vector<T> scalars() {
    std::vector<T> out;
    out.reserve(buffered_rows_left());
    if (buffered_mode_) {
      // Rows fetched already (executemany RETURNING): their first values are read in place.
      const std::size_t width = metadata_->names().size();
      Extras& x = extras();
      for (; width > 0 && x.buffered_pos < x.buffered.size(); x.buffered_pos += width) {
        const Value& value = x.buffered[x.buffered_pos];
        try {
          out.push_back(value_from<T>(value, {}));
        } catch (const ArgumentError&) {
          out.push_back(value_from<T>(value, column_context(0)));  // throws, naming the column
        }
      }
      return out;
    }
    Row row;
    while (fetch_into(row)) out.push_back(row.template get<T>(0));
    return out;
  }
  // Every row as T (see Row::as). A mapped struct's columns are looked up by name once, in the
  // first row.
  template <class T>
  std::vector<T> as() {
    if constexpr (detail::row_target<T> == detail::RowTargetKind::kMapped) {
      return as_mapped<T>();
    } else if constexpr (detail::row_target<T> == detail::RowTargetKind::kPositional) {
      return as_fields<T>();
    } else {
      detail::reject_row_target<T>();
    }
  }
  // The same, named as all() is: result.all<User>().
  template <class T>
  std::vector<T> all() {
    return as<T>();
  }

  // Rows affected by INSERT/UPDATE/DELETE (summed over executemany); -1 when not applicable.
  std::int64_t rowcount() const noexcept { return rowcount_; }
  // The primary key generated by a single-row INSERT (from RETURNING or last-insert-id).
  const std::optional<Row>& inserted_primary_key() const noexcept;
  // The driver's last-insert-id of the statement (SQLite rowid, MariaDB AUTO_INCREMENT);
  // nullopt when the backend has none (PostgreSQL) or the statement was no INSERT.
  std::optional<std::int64_t> lastrowid() const noexcept { return lastrowid_; }

  // Releases the cursor; further fetches return nothing.
  void close() {
    if (cursor_) close_cursor();
    if (buffered_mode_) clear_buffered();
  }

 private:
  // The engine sets lastrowid and inserted_primary_key after execution, through this.
  friend struct detail::ResultAccess;
  void set_inserted_primary_key(Row key) { extras().inserted_primary_key = std::move(key); }
  void set_lastrowid(std::optional<std::int64_t> id) { lastrowid_ = id; }
  // Reads the next row into `row` (reusing its buffers). False when exhausted.
  bool fetch_into(Row& row);
  // Rows fetched already and not yet read, as far as known (see driver::Cursor::buffered_rows).
  std::size_t buffered_rows_left() const noexcept;
  // Moves the cursor to its next row for the typed reads below; false (and closed) at the end.
  bool advance() {
    if (cursor_ && cursor_->advance()) return true;
    if (cursor_) close_cursor();
    return false;
  }
  // Closes cursor_, and keeps it as closed_cursor_ when it holds the metadata. Closed rather
  // than only destroyed: an error that arrives with the rows it discards is raised here (a
  // destroyed cursor leaves it to the connection's next call).
  void close_cursor() {
    cursor_->close();
    if (metadata_) {
      cursor_.reset();
    } else {
      closed_cursor_ = std::move(cursor_);
    }
  }
  void clear_buffered();  // drops the buffered rows not read yet
  friend class Connection;
  // For Connection::execute: a result streaming from `cursor`, whose shared_metadata() is
  // `cursor_columns` (read there already). The shared pointer is copied only when a Row needs
  // it, so that a result read only into structs never copies it.
  Result(std::unique_ptr<driver::Cursor> cursor, const RowMetadata& cursor_columns,
         std::int64_t rowcount)
      : cursor_(std::move(cursor)), columns_(&cursor_columns), rowcount_(rowcount) {}
  // The column names: metadata_, else the cursor's (see the constructor above).
  const RowMetadata& columns() const { return *columns_; }
  // Same, as the pointer a Row shares (metadata_ set from the cursor's when null).
  const std::shared_ptr<const RowMetadata>& shared_columns();
  // as<T>() of a mapped T: rows by name, through RowLoader<T>.
  template <class T>
  std::vector<T> as_mapped() {
    std::vector<T> out;
    out.reserve(buffered_rows_left());
    std::vector<std::size_t> layout;
    Row row;
    for (bool first = true; fetch_into(row); first = false) {
      if (first) layout = RowLoader<T>::layout(row.keys());
      RowLoader<T>::load(row, layout, out.emplace_back());
    }
    return out;
  }
  // as<T>() of a plain aggregate T: column i into field i.
  template <class T>
  std::vector<T> as_fields() {
    std::vector<T> out;
    out.reserve(buffered_rows_left());
    if (!buffered_mode_) {
      // Streaming: each column goes from the driver straight into its field, without a Row.
      // (An exception leaves a half-read item in `out`, which goes with it.)
      bool first = true;
      while (advance()) {
        if (first) check_field_count(boost::pfr::tuple_size_v<T>);
        first = false;
        read_fields(out.emplace_back());
      }
      return out;
    }
    Row row;
    while (fetch_into(row)) out.push_back(std::move(row).template as<T>());
    return out;
  }
  // Reads the next row into `item`; false at the end.
  template <class T>
  bool next_as(T& item) {
    if (buffered_mode_) {
      Row row;
      if (!fetch_into(row)) return false;
      item = std::move(row).template as<T>();
      return true;
    }
    return fetch_fields(item);
  }
  // The next row into the fields of `item`, column i into field i; false (and closed) at the
  // end. The driver advances and makes its typed reads for the whole row in one call
  // (driver::Cursor::fetch_fields); the columns it did not store are then converted from their
  // Value as Row::get<F> would (with the same errors).
  template <class T>
  bool fetch_fields(T& item) {
    return fetch_fields(item, std::make_index_sequence<boost::pfr::tuple_size_v<T>>{});
  }
  template <class T, std::size_t... I>
  bool fetch_fields(T& item, std::index_sequence<I...> fields) {
    if (!cursor_) return false;
    if constexpr (sizeof...(I) > 0 && sizeof...(I) <= detail::kMaxFieldTargets) {
      if (sizeof...(I) == columns().names().size()) [[likely]] {
        const auto targets = detail::field_targets(item, fields);
        const driver::FieldsFetched fetched = cursor_->fetch_fields(targets);
        if (!fetched.row) {
          close_cursor();
          return false;
        }
        read_unread_fields(item, fetched.unread, fields);
        return true;
      }
    }
    // Any other width: more than 64 fields, or the error that names both counts (raised only
    // when there is a row, as for a matching width).
    if (!advance()) return false;
    check_field_count(sizeof...(I));
    read_fields(item, fields);
    return true;
  }
  // The current row into the fields of `item`, as fetch_fields reads it: what as<T>() makes
  // per row, after one advance() and one check of the width for the whole result.
  template <class T>
  void read_fields(T& item) {
    read_fields(item, std::make_index_sequence<boost::pfr::tuple_size_v<T>>{});
  }
  template <class T, std::size_t... I>
  void read_fields(T& item, std::index_sequence<I...> fields) {
    if constexpr (sizeof...(I) > 0 && sizeof...(I) <= detail::kMaxFieldTargets) {
      const auto targets = detail::field_targets(item, fields);
      read_unread_fields(item, cursor_->read_fields(targets), fields);
    } else {
      (read_converted_field(I, boost::pfr::get<I>(item)), ...);
    }
  }
  // The columns the driver's typed reads did not store (bit i: field i), converted from their
  // Value as Row::get<F> would (with the same errors).
  template <class T, std::size_t... I>
  void read_unread_fields(T& item, std::uint64_t unread, std::index_sequence<I...> fields) {
    detail::for_each_unread_field(item, unread, fields, [this](std::size_t index, auto& field) {
      read_converted_field(index, field);
    });
  }
  // The only row as T, or nullopt; MultipleResultsFound naming `method` when there are more.
  template <class T>
  std::optional<T> at_most_one(std::string_view method) {
    std::optional<T> out;
    if (!next_as(out.emplace())) {
      out.reset();
    } else if (buffered_mode_ ? buffered_rows_left() > 0 : advance()) {
      close();
      throw_multiple_rows(method);
    }
    close();
    return out;
  }
  [[noreturn]] static void throw_no_row(std::string_view method);
  [[noreturn]] static void throw_multiple_rows(std::string_view method);
  // Column `index` of the current row into `field`, converted from its Value.
  template <class F>
  void read_converted_field(std::size_t index, F& field) {
    Value& value = read_value(index);
    if constexpr (std::is_same_v<F, std::string>) {
      if (auto* text = std::get_if<std::string>(&value)) {
        field = std::move(*text);
        return;
      }
    }
    try {
      field = value_from<F>(value, {});
    } catch (const ArgumentError&) {
      field = value_from<F>(value, column_context(index));
    }
  }
  Value& read_value(std::size_t index) {  // into a scratch Value of the Result's
    std::optional<Value>& slot = extras().scratch;
    Value& scratch = slot ? *slot : slot.emplace();
    cursor_->read_value(index, scratch);
    return scratch;
  }
  void check_field_count(std::size_t fields) const {
    if (fields != columns().names().size()) throw_field_count(fields);
  }
  [[noreturn]] void throw_field_count(std::size_t fields) const;
  std::string column_context(std::size_t index) const;

  std::unique_ptr<driver::Cursor> cursor_;         // null once closed
  std::unique_ptr<driver::Cursor> closed_cursor_;  // cursor_ once closed, when metadata_ is null
  std::shared_ptr<const RowMetadata> metadata_;    // null: the cursor's (Connection's constructor)
  const RowMetadata* columns_ = nullptr;           // metadata_, or the cursor's: never null
  bool buffered_mode_ = false;                     // the rows are Extras::buffered
  std::int64_t rowcount_ = -1;
  std::optional<std::int64_t> lastrowid_;
  // What only some results use, made when first used (see detail::ResultExtras).
  using Extras = detail::ResultExtras;
  Extras& extras() { return extras_ ? *extras_ : extras_.emplace(); }
  std::optional<Extras> extras_;
};

}  // namespace athanor
