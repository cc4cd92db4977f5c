// Athanor mapping: member <-> Value conversion and typed column descriptors.
//
// A TypedColumn is a Core ColumnElement (usable wherever Core takes a column: select lists,
// where, order_by, joins) that also knows the C++ type of the member it maps. Comparing it with a
// value or column of an unrelated type does not compile:
//
//   User_::email == "jan@sirus.ai"     // ok: a string column and text
//   User_::id > 7                      // ok: an integer column and an integer of any width
//   User_::id == "7"                   // error: use of deleted function
//   Post_::status == Status::kDraft    // ok: bound as the enum's label
//   User_::name == std::nullopt        // ok: IS NULL
//   insert(users).values({{User_::email, "x"}})   // ok; {User_::id, "7"} does not compile
//   User_::email.startswith("jan")     // text columns only: startswith, endswith, contains,
//                                      // like, ilike, concat, collate
//
// Generated code declares one descriptor per column (User_::email); they are built once, when the
// generated header's static data is initialised, and are immutable afterwards (thread-safe).
//
// Layer: mapping support on top of Core; used by generated code and the ORM.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "athanor/core/result.hpp"
#include "athanor/core/schema.hpp"
#include "athanor/core/sql.hpp"
#include "athanor/core/value.hpp"
#include "athanor/mapping/enum.hpp"

namespace athanor {

// How a member is stored. DefaultStorage: enums as their label text, everything else as Core's
// Value conversions do it. IntegerStorage: enums as their underlying integer.
struct DefaultStorage {};
struct IntegerStorage {};

namespace detail {
template <class T>
struct unwrap_optional {
  using type = T;
};
template <class T>
struct unwrap_optional<std::optional<T>> {
  using type = T;
};

[[noreturn]] inline void throw_unknown_label(const Row& row, std::size_t index,
                                             std::string_view enum_name, std::string_view label) {
  const auto& keys = row.keys();
  std::string context =
      index < keys.size() ? "column '" + keys[index] + "'" : "column " + std::to_string(index);
  throw_unknown_enum_label(context, enum_name, label);
}
}  // namespace detail

// The member type without std::optional.
template <class T>
using column_value_t = typename detail::unwrap_optional<std::remove_cvref_t<T>>::type;

// A member value as the Value bound for it.
template <class Storage = DefaultStorage, class T>
Value to_db(const T& value) {
  if constexpr (is_optional_v<T>) {
    if (!value) return Value{};
    return to_db<Storage>(*value);
  } else if constexpr (std::is_enum_v<T>) {
    if constexpr (std::is_same_v<Storage, IntegerStorage>) {
      return Value{static_cast<std::int64_t>(static_cast<std::underlying_type_t<T>>(value))};
    } else {
      return Value{std::string(enum_to_text(value))};
    }
  } else {
    return to_value(value);
  }
}

// Reads row[index] into a member. Throws ArgumentError (naming the column) when the value does not
// fit, is NULL for a non-optional member, or is not a label of the member's enum.
template <class Storage = DefaultStorage, class T>
void from_db(const Row& row, std::size_t index, T& out) {
  if constexpr (is_optional_v<T> && std::is_enum_v<column_value_t<T>>) {
    if (is_null(row[index])) {
      out.reset();
    } else {
      typename T::value_type value{};
      from_db<Storage>(row, index, value);
      out = value;
    }
  } else if constexpr (std::is_enum_v<T>) {
    if constexpr (std::is_same_v<Storage, IntegerStorage>) {
      out = static_cast<T>(row.get<std::underlying_type_t<T>>(index));
    } else {
      std::string label = row.get<std::string>(index);
      std::optional<T> value = enum_from_text<T>(label);
      if (!value) detail::throw_unknown_label(row, index, EnumTraits<T>::name, label);
      out = *value;
    }
  } else {
    out = row.get<T>(index);
  }
}

template <class T, class Storage = DefaultStorage>
class TypedColumn;

namespace detail {
template <class T>
struct is_typed_column : std::false_type {};
template <class T, class S>
struct is_typed_column<TypedColumn<T, S>> : std::true_type {};

template <class T>
concept TypedColumnLike = is_typed_column<std::remove_cvref_t<T>>::value;

template <class T>
inline constexpr bool kIsCharacter =
    std::is_same_v<T, char> || std::is_same_v<T, wchar_t> || std::is_same_v<T, char8_t> ||
    std::is_same_v<T, char16_t> || std::is_same_v<T, char32_t>;
template <class T>
inline constexpr bool kIsInteger =
    std::is_integral_v<T> && !std::is_same_v<T, bool> && !kIsCharacter<T>;

// Whether a value of (decayed, non-optional) type V may be compared with a column holding U.
// The rules are functions rather than concept expressions on purpose: each concept below is then
// one atomic constraint, which keeps overload resolution between the operators cheap and
// unambiguous (no subsumption between them).
template <class V, class U>
constexpr bool same_kind() {
  if constexpr (std::is_same_v<U, bool>) {
    return std::is_same_v<V, bool>;
  } else if constexpr (kIsInteger<U>) {
    return kIsInteger<V>;
  } else if constexpr (std::is_floating_point_v<U>) {
    return kIsInteger<V> || std::is_floating_point_v<V>;
  } else if constexpr (std::is_same_v<U, std::string>) {
    return std::is_convertible_v<const V&, std::string_view>;
  } else if constexpr (std::is_enum_v<U>) {
    return std::is_same_v<V, U>;
  } else {
    return !std::is_arithmetic_v<V> && std::is_convertible_v<const V&, U>;
  }
}

// A value of the column's kind, or an optional one.
template <class V, class U>
constexpr bool is_value_operand() {
  using D = std::remove_cvref_t<V>;
  if constexpr (is_optional_v<D>) {
    return same_kind<typename D::value_type, U>();
  } else {
    return same_kind<D, U>();
  }
}

// A value operand, a typed column of the same kind, or an untyped Core expression.
template <class V, class U>
constexpr bool is_operand() {
  using D = std::remove_cvref_t<V>;
  if constexpr (is_typed_column<D>::value) {
    return same_kind<typename D::column_type, U>() || same_kind<U, typename D::column_type>();
  } else if constexpr (std::is_base_of_v<ColumnElement, D>) {
    return true;
  } else {
    return is_value_operand<V, U>();
  }
}

template <class V>
constexpr bool is_null_operand() {
  using D = std::remove_cvref_t<V>;
  return std::is_same_v<D, std::nullopt_t> || std::is_same_v<D, std::nullptr_t>;
}

// A value bound for a column whose member has type T (T may be std::optional): a value of the
// column's kind, or NULL (std::nullopt, nullptr, an empty optional) when T is optional.
template <class V, class T>
constexpr bool is_bind_operand() {
  using D = std::remove_cvref_t<V>;
  if constexpr (is_null_operand<D>()) {
    return is_optional_v<T>;
  } else if constexpr (is_optional_v<D>) {
    return is_optional_v<T> && same_kind<typename D::value_type, column_value_t<T>>();
  } else {
    return same_kind<D, column_value_t<T>>();
  }
}

template <class V, class U>
concept ValueOperand = is_value_operand<V, U>();
template <class V, class T>
concept BindOperand = is_bind_operand<V, T>();
template <class V, class T>
concept NotBindOperand = !is_bind_operand<V, T>();
template <class V, class U>
concept Operand = is_operand<V, U>();
template <class V, class U>
concept NotOperand = !is_operand<V, U>();
// Left operands of `value OP column` (a typed column on the left is handled by its own class).
template <class V, class U>
concept LeftOperand = !is_typed_column<std::remove_cvref_t<V>>::value && is_operand<V, U>();
template <class V, class U>
concept NotLeftOperand = !is_typed_column<std::remove_cvref_t<V>>::value && !is_operand<V, U>();
// Equality also takes std::nullopt / nullptr (IS NULL).
template <class V, class U>
concept EqualityOperand = is_operand<V, U>() || is_null_operand<V>();
template <class V, class U>
concept NotEqualityOperand = !(is_operand<V, U>() || is_null_operand<V>());
template <class V, class U>
concept LeftEqualityOperand =
    !is_typed_column<std::remove_cvref_t<V>>::value && (is_operand<V, U>() || is_null_operand<V>());
template <class V, class U>
concept NotLeftEqualityOperand = !is_typed_column<std::remove_cvref_t<V>>::value &&
                                 !(is_operand<V, U>() || is_null_operand<V>());
}  // namespace detail

// A column of a mapped table whose member has type T (possibly std::optional).
template <class T, class Storage>
class TypedColumn : public ColumnElement {
 public:
  using value_type = T;
  using column_type = column_value_t<T>;
  using storage = Storage;

  // REQUIRES: `table` has a column `name` (ArgumentError otherwise).
  TypedColumn(const Table& table, std::string_view name) : TypedColumn(table.column(name)) {}
  explicit TypedColumn(const Column& column) : ColumnElement(column), column_(&column) {}

  const Column& column() const noexcept { return *column_; }
  const std::string& name() const noexcept { return column_->name(); }

  // An operand as an expression: values become bound parameters converted like the member.
  template <class V>
  requires detail::Operand<V, column_type> ColumnElement operand(const V& value)
  const {
    using D = std::remove_cvref_t<V>;
    if constexpr (std::derived_from<D, ColumnElement>) {
      return value;
    } else if constexpr (is_optional_v<D>) {
      if (!value) return null();
      return operand(*value);
    } else if constexpr (std::is_arithmetic_v<D>) {
      return literal(to_value(value));
    } else {
      return literal(to_db<Storage>(static_cast<column_type>(value)));
    }
  }

  // A value as the parameter bound for this column in insert().values() / update().values()
  // ({User_::email, "x"}): only a value of the column's kind, or NULL for an optional member.
  template <class V>
  requires detail::BindOperand<V, value_type> Value bind_value(const V& value)
  const { return value_of(value); }
  template <class V>
  requires detail::NotBindOperand<V, value_type> Value bind_value(const V& value)
  const = delete;

  template <class V>
  requires detail::ValueOperand<V, column_type> ColumnElement in_(std::initializer_list<V> values)
  const { return ColumnElement::in_(literal_values(values)); }
  template <class V>
  requires detail::ValueOperand<V, column_type> ColumnElement in_(const std::vector<V>& values)
  const { return ColumnElement::in_(literal_values(values)); }
  ColumnElement in_(const Select& subquery) const { return ColumnElement::in_(subquery); }
  template <class V>
  requires detail::ValueOperand<V, column_type> ColumnElement
  not_in(std::initializer_list<V> values)
  const { return ColumnElement::not_in(literal_values(values)); }
  template <class V>
  requires detail::ValueOperand<V, column_type> ColumnElement not_in(const std::vector<V>& values)
  const { return ColumnElement::not_in(literal_values(values)); }
  ColumnElement not_in(const Select& subquery) const { return ColumnElement::not_in(subquery); }

  template <class L, class H>
  requires detail::ValueOperand<L, column_type> && detail::ValueOperand<H, column_type>
      ColumnElement between(const L& low, const H& high)
  const { return ColumnElement::between(value_of(low), value_of(high)); }

  // Pattern matching, for text columns only.
  ColumnElement like(std::string pattern) const requires std::is_same_v<column_type, std::string> {
    return ColumnElement::like(std::move(pattern));
  }
  ColumnElement not_like(
      std::string pattern) const requires std::is_same_v<column_type, std::string> {
    return ColumnElement::not_like(std::move(pattern));
  }
  ColumnElement ilike(std::string pattern) const requires std::is_same_v<column_type, std::string> {
    return ColumnElement::ilike(std::move(pattern));
  }
  ColumnElement not_ilike(
      std::string pattern) const requires std::is_same_v<column_type, std::string> {
    return ColumnElement::not_ilike(std::move(pattern));
  }
  ColumnElement startswith(std::string prefix, LikeOptions options = {})
      const requires std::is_same_v<column_type, std::string> {
    return ColumnElement::startswith(std::move(prefix), options);
  }
  ColumnElement endswith(std::string suffix, LikeOptions options = {})
      const requires std::is_same_v<column_type, std::string> {
    return ColumnElement::endswith(std::move(suffix), options);
  }
  ColumnElement contains(std::string text, LikeOptions options = {})
      const requires std::is_same_v<column_type, std::string> {
    return ColumnElement::contains(std::move(text), options);
  }
  // The same with an expression (a typed one must be a text column too).
  template <class E>
  requires std::is_same_v<column_type, std::string> && std::derived_from<E, ColumnElement> &&
      detail::Operand<E, column_type>
          ColumnElement startswith(const E& prefix)
  const { return ColumnElement::startswith(ColumnElement(prefix)); }
  template <class E>
  requires std::is_same_v<column_type, std::string> && std::derived_from<E, ColumnElement> &&
      detail::Operand<E, column_type>
          ColumnElement endswith(const E& suffix)
  const { return ColumnElement::endswith(ColumnElement(suffix)); }
  template <class E>
  requires std::is_same_v<column_type, std::string> && std::derived_from<E, ColumnElement> &&
      detail::Operand<E, column_type>
          ColumnElement contains(const E& text)
  const { return ColumnElement::contains(ColumnElement(text)); }
  // Concatenation with text or a text expression (x || y; CONCAT(x, y) on MySQL/MariaDB).
  template <class V>
  requires std::is_same_v<column_type, std::string> && detail::Operand<V, column_type> ColumnElement
  concat(const V& other)
  const { return ColumnElement::concat(operand(other)); }
  ColumnElement collate(
      std::string collation) const requires std::is_same_v<column_type, std::string> {
    return ColumnElement::collate(std::move(collation));
  }

  // Comparisons. Each operator has a deleted twin taking every operand that does not fit, so
  // that Core's untyped operators (which accept any value) are never chosen instead.
#define ATHANOR_DETAIL_TYPED_COMPARISON(OP, SQL, FIT, NOT_FIT, LEFT_FIT, NOT_LEFT_FIT, EXPR, \
                                        REVERSED_EXPR)                                       \
  template <class V>                                                                         \
  requires detail::FIT<V, column_type>                                                       \
  friend ColumnElement operator OP(const TypedColumn& a, V&& b) { return EXPR; }             \
  template <class V>                                                                         \
  requires detail::NOT_FIT<V, column_type>                                                   \
  friend ColumnElement operator OP(const TypedColumn& a, V&& b) = delete;                    \
  template <class V>                                                                         \
  requires detail::LEFT_FIT<V, column_type>                                                  \
  friend ColumnElement operator OP(V&& a, const TypedColumn& b) { return REVERSED_EXPR; }    \
  template <class V>                                                                         \
  requires detail::NOT_LEFT_FIT<V, column_type>                                              \
  friend ColumnElement operator OP(V&& a, const TypedColumn& b) = delete;
#define ATHANOR_DETAIL_TYPED_ORDERING(OP, SQL)                                               \
  ATHANOR_DETAIL_TYPED_COMPARISON(OP, SQL, Operand, NotOperand, LeftOperand, NotLeftOperand, \
                                  binary(a, SQL, a.operand(b)), binary(b.operand(a), SQL, b))
  ATHANOR_DETAIL_TYPED_ORDERING(<, "<")
  ATHANOR_DETAIL_TYPED_ORDERING(<=, "<=")
  ATHANOR_DETAIL_TYPED_ORDERING(>, ">")
  ATHANOR_DETAIL_TYPED_ORDERING(>=, ">=")
  // Equality; comparing with std::nullopt (or an empty optional) is IS [NOT] NULL, as in
  // SQLAlchemy where `column == None` renders IS NULL.
  ATHANOR_DETAIL_TYPED_COMPARISON(==, "=", EqualityOperand, NotEqualityOperand, LeftEqualityOperand,
                                  NotLeftEqualityOperand, a.equals(b, false), b.equals(a, false))
  ATHANOR_DETAIL_TYPED_COMPARISON(!=, "!=", EqualityOperand, NotEqualityOperand,
                                  LeftEqualityOperand, NotLeftEqualityOperand, a.equals(b, true),
                                  b.equals(a, true))
#undef ATHANOR_DETAIL_TYPED_ORDERING
#undef ATHANOR_DETAIL_TYPED_COMPARISON

 private:
  template <class V>
  ColumnElement equals(const V& b, bool negated) const {
    using D = std::remove_cvref_t<V>;
    if constexpr (detail::is_null_operand<D>()) {
      return negated ? is_not_null() : is_null();
    } else if constexpr (is_optional_v<D>) {
      if (!b) return negated ? is_not_null() : is_null();
      return binary(*this, negated ? "!=" : "=", operand(*b));
    } else {
      return binary(*this, negated ? "!=" : "=", operand(b));
    }
  }

  template <class V>
  Value value_of(const V& value) const {
    using D = std::remove_cvref_t<V>;
    if constexpr (detail::is_null_operand<D>()) {
      return Value{};
    } else if constexpr (is_optional_v<D>) {
      if (!value) return Value{};
      return value_of(*value);
    } else if constexpr (std::is_arithmetic_v<D>) {
      return to_value(value);
    } else {
      return to_db<Storage>(static_cast<column_type>(value));
    }
  }

  template <class Range>
  std::vector<Value> literal_values(const Range& values) const {
    std::vector<Value> out;
    out.reserve(values.size());
    for (const auto& v : values) out.push_back(value_of(v));
    return out;
  }

  const Column* column_;
};

}  // namespace athanor
