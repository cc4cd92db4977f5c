// Athanor Core (detail): how Row::as<T> and Result's typed reads take a T apart.
//
// The compile-time half of reading a row into a struct: which way a T is read (through its
// generated mapper, field by field, or not at all), the compile error for a T that cannot hold a
// row, and the typed reads a driver makes straight into a struct's fields (driver::FieldTarget,
// with a bitmask of the fields it left for Value conversion). Everything here is a constant
// expression or an inline template the compiler folds into the read it serves: it adds no call
// to a per-row path. Not part of the stable API: use athanor/core/result.hpp.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <type_traits>
#include <utility>

#include <boost/pfr/core.hpp>

#include "athanor/core/driver.hpp"
#include "athanor/core/value.hpp"

namespace athanor {

template <class T>
struct RowLoader;  // athanor/core/result.hpp

namespace detail {

// How a row is read into a T: through RowLoader<T> (by column name), field by field (Boost.PFR,
// column i into field i), or not at all.
enum class RowTargetKind { kMapped, kPositional, kNone };

template <class T, std::size_t... I>
constexpr bool fields_from_value(std::index_sequence<I...>) {
  return (FromValue<boost::pfr::tuple_element_t<I, T>> && ...);
}

// Decided in this order so that no Boost.PFR template is instantiated for a mapped struct (its
// relationship members are no columns) nor for a type PFR cannot take apart.
template <class T>
constexpr RowTargetKind row_target_kind() {
  if constexpr (RowLoader<T>::enabled) {
    return RowTargetKind::kMapped;
  } else if constexpr (!std::is_class_v<T> || std::is_union_v<T> || !std::is_aggregate_v<T> ||
                       std::is_const_v<T> || std::is_volatile_v<T>) {
    return RowTargetKind::kNone;
  } else if constexpr (fields_from_value<T>(
                           std::make_index_sequence<boost::pfr::tuple_size_v<T>>{})) {
    return RowTargetKind::kPositional;
  } else {
    return RowTargetKind::kNone;
  }
}
template <class T>
inline constexpr RowTargetKind row_target = row_target_kind<T>();

// The compile error of Row::as<T> and Result's typed reads for a T that cannot hold a row.
// Instantiated only in that case, so it is the only error the user sees.
template <class T>
[[noreturn]] void reject_row_target() {
  static_assert(row_target<T> != RowTargetKind::kNone,
                "this type cannot hold a row: for a model (ATHANOR_TABLE), list its header in "
                "athanor_generate() and include the generated .athanor.hpp; otherwise use a plain "
                "aggregate whose fields are all column value types (bool, integers, floating "
                "point, std::string, Bytes, Decimal, dates and times, UuidValue, JSON, or "
                "std::optional of one)");
  std::terminate();  // not reached: T is rejected at compile time
}

// The widest struct whose fields a driver reads in one call: the bits of the `unread` mask.
inline constexpr std::size_t kMaxFieldTargets = 64;

// Where a driver's typed read of a column may store it: the field itself for the types the
// drivers read without a Value (kOther otherwise: converted from its Value).
template <class F>
driver::FieldTarget field_target(F& field) {
  using Kind = driver::FieldTarget::Kind;
  if constexpr (std::is_same_v<F, std::int64_t>) {
    return {Kind::kInt64, &field};
  } else if constexpr (std::is_same_v<F, double>) {
    return {Kind::kDouble, &field};
  } else if constexpr (std::is_same_v<F, std::string>) {
    return {Kind::kText, &field};
  } else {
    return {Kind::kOther, nullptr};
  }
}

// The targets of fields I... of `item`, target i for column i.
template <class T, std::size_t... I>
std::array<driver::FieldTarget, sizeof...(I)> field_targets(T& item, std::index_sequence<I...>) {
  return {field_target(boost::pfr::get<I>(item))...};
}

// Calls read(i, field i of `item`) for each field i whose bit is set in `unread` (bit i: field
// i), the fields a driver's typed reads did not store.
template <class T, std::size_t... I, class Read>
void for_each_unread_field(T& item, std::uint64_t unread, std::index_sequence<I...>, Read&& read) {
  static_assert(sizeof...(I) <= kMaxFieldTargets);
  if (unread == 0) return;
  ((((unread >> I) & 1U) != 0 ? read(I, boost::pfr::get<I>(item)) : void()), ...);
}

}  // namespace detail
}  // namespace athanor
