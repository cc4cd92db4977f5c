// Athanor Core (detail): the type-erased half of mapping objects to table rows and back.
//
// athanor::MapperBase<T> (athanor/mapping/mapper.hpp) turns an object into its column values and
// a row into an object; everything that does not depend on T (making the Values of the common
// member types, pairing values with column names, comparing snapshots, finding columns in a row,
// the INSERT of an object) is here, compiled once in the library instead of in every translation
// unit for every model. Values are always in the table's column order. Not part of the stable
// API: use athanor/mapping.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "athanor/core/result.hpp"
#include "athanor/core/sql.hpp"
#include "athanor/core/value.hpp"

namespace athanor {

class Connection;
class Table;

namespace detail {

// A column the row does not have (in a layout).
inline constexpr std::size_t kAbsentColumn = static_cast<std::size_t>(-1);

// Building an object's values (athanor::ColumnWriter). These are compiled, not inline: C++20 makes
// std::vector's members constexpr, and compilers instantiate a constexpr function template where
// it is named, even in an inline function that is never called, so an inline reserve() or
// push_back() of a Value would compile vector<Value>'s growth (and Value's copy and move) in
// every translation unit that includes the mapping headers.
//
// Reserves room for `count` more values.
void reserve_values(std::vector<Value>& out, std::size_t count);
// Append one member's Value to `out`, as to_value() makes it (ColumnWriter picks the overload).
// The last one takes a Value made by the caller, for the less common types.
void append_null(std::vector<Value>& out);
void append_value(std::vector<Value>& out, bool value);
void append_value(std::vector<Value>& out, std::int64_t value);
void append_value(std::vector<Value>& out, double value);
void append_value(std::vector<Value>& out, const std::string& value);
void append_value(std::vector<Value>& out, std::string_view value);
void append_value(std::vector<Value>& out, Value&& value);

// Column name -> value for every column of `table`.
// REQUIRES: `values` holds one value per column.
Params column_params(const Table& table, std::vector<Value> values);

// column_params() without what the database is to fill in: the autoincrement key when it is
// unset (NULL or 0), and every NULL value of a column with a server default (an unset
// std::optional member), so that the default applies.
Params insert_params(const Table& table, std::vector<Value> values);

// Ordinals of the values in `now` that differ from `before` (or that `before` does not have).
std::vector<std::size_t> changed_columns(const std::vector<Value>& before,
                                         const std::vector<Value>& now);

// Column name -> value in `now` for the columns changed_columns() finds: an UPDATE's SET list.
Params changed_params(const Table& table, const std::vector<Value>& before, std::vector<Value> now);

// pk1 = :v1 AND pk2 = :v2 ... for the primary key values `key`, in primary key order.
ColumnElement primary_key_condition(const Table& table, const std::vector<Value>& key);

// Positions of `table`'s columns among `keys` (by name). Missing columns are kAbsentColumn, or
// raise ArgumentError when `require_all`.
std::vector<std::size_t> layout_by_name(const Table& table, const std::vector<std::string>& keys,
                                        bool require_all);

// Positions of `table`'s columns in a row where they start at `offset`, in column order. Throws
// ArgumentError when the row is too short.
std::vector<std::size_t> layout_at(const Table& table, std::size_t offset, std::size_t row_size);

// Executes INSERT of `params` (as insert_params() gives them) into `table` on `connection`. When
// the database fills in columns (the autoincrement key, server defaults of columns `params`
// leaves out), returns a row of those columns as stored: RETURNING them where the dialect has
// RETURNING and the table's implicit_returning is on, otherwise a SELECT by primary key after
// the INSERT (the generated key itself from RETURNING or the last-insert-id). nullopt when the
// database fills in nothing. Throws what Connection::execute throws, and InvalidRequestError
// when the defaults must be selected back but a primary key column was neither given nor
// returned.
std::optional<Row> insert_row(Connection& connection, const Table& table, Params params);

// Executes UPDATE `table` SET <every column not in the primary key> WHERE <primary key> from
// `values` (one per column, in column order). Returns the number of rows matched. Throws
// ArgumentError when every column is in the primary key, and what Connection::execute throws.
std::int64_t update_row(Connection& connection, const Table& table, std::vector<Value> values);

// Executes DELETE FROM `table` WHERE <primary key> = `key` (in primary key order). Returns the
// number of rows deleted. Throws what Connection::execute throws.
std::int64_t delete_row(Connection& connection, const Table& table, const std::vector<Value>& key);

}  // namespace detail
}  // namespace athanor
