// Athanor mapping: conversion hooks between `enum class` members and their stored form.
//
// An enum member is stored as its label text by default (a Core Enum type: native ENUM on MySQL,
// VARCHAR + CHECK elsewhere) or, on request, as its underlying integer. The labels come from
// EnumTraits<E>, which athanor-gen specialises for every enum a model uses; a hand-written
// specialisation (visible to athanor-gen) takes precedence and lets labels differ from names:
//
//   template <>
//   struct athanor::EnumTraits<shop::Color> {
//     static constexpr std::string_view name = "shop::Color";  // for error messages
//     static constexpr std::string_view sql_name = "color";     // the SQL enum type's name
//     static constexpr std::array<EnumLabel<shop::Color>, 2> labels{
//         {{shop::Color::kRed, "red"}, {shop::Color::kBlue, "blue"}}};
//   };
//
// Errors: storing a value that has no label, or reading a label the enum does not have, raises
// ArgumentError naming the enum (and, when reading, the column and the label).
//
// Layer: mapping support on top of Core; used by generated code and the ORM.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "athanor/core/error.hpp"
#include "athanor/core/types.hpp"

namespace athanor {

template <class E>
struct EnumLabel {
  E value;
  std::string_view label;
};

// Specialised per enum (see above). The primary template is deliberately undefined.
template <class E>
struct EnumTraits;

template <class E>
concept MappedEnum = std::is_enum_v<E> && requires {
  EnumTraits<E>::name;
  EnumTraits<E>::sql_name;
  EnumTraits<E>::labels;
};

namespace detail {
[[noreturn]] inline void throw_unknown_enum_value(std::string_view enum_name, std::int64_t value) {
  throw ArgumentError(std::string(enum_name) + " has no label for value " + std::to_string(value));
}
[[noreturn]] inline void throw_unknown_enum_label(std::string_view context,
                                                  std::string_view enum_name,
                                                  std::string_view label) {
  throw ArgumentError(std::string(context) + ": '" + std::string(label) + "' is not a label of " +
                      std::string(enum_name));
}
}  // namespace detail

// The label stored for `value`. Throws ArgumentError for a value without a label.
template <MappedEnum E>
std::string_view enum_to_text(E value) {
  for (const auto& entry : EnumTraits<E>::labels) {
    if (entry.value == value) return entry.label;
  }
  detail::throw_unknown_enum_value(
      EnumTraits<E>::name,
      static_cast<std::int64_t>(static_cast<std::underlying_type_t<E>>(value)));
}

// The enumerator stored as `text`, or nullopt when no label matches.
template <MappedEnum E>
std::optional<E> enum_from_text(std::string_view text) noexcept {
  for (const auto& entry : EnumTraits<E>::labels) {
    if (entry.label == text) return entry.value;
  }
  return std::nullopt;
}

// The Core column type for E stored as text: Enum{labels, sql_name}.
template <MappedEnum E>
Enum enum_type() {
  Enum type;
  type.name = std::string(EnumTraits<E>::sql_name);
  for (const auto& entry : EnumTraits<E>::labels) type.values.emplace_back(entry.label);
  return type;
}

}  // namespace athanor
