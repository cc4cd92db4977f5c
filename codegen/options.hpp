// athanor-gen: the option language inside the annotation macros.
//
// ATHANOR_COLUMN(primary_key, type = Numeric(10, 2), comment = "Price") reaches the generator as
// the annotation string `primary_key, type = Numeric(10, 2), comment = "Price"` (the macro
// stringizes its arguments). This file turns that string into items:
//
//   items := item (',' item)*
//   item  := identifier '=' value | value            a lone identifier is a flag
//   value := string+ | ['-'] number | identifier ['(' items ')'] | '{' [value (',' value)*] '}'
//
// Strings are C++ literals (escapes, raw strings R"(...)", adjacent literals joined). Each item
// carries the location of its text in the model header, found by reading the macro invocation's
// arguments back from the source, so errors point at the option itself.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "codegen/diagnostics.hpp"

namespace athanor::gen {

struct OptionItem;

struct OptionValue {
  enum class Kind { kString, kNumber, kIdentifier, kCall, kList };
  Kind kind = Kind::kIdentifier;
  std::string text;  // decoded string, identifier, callee name, or number as written
  std::int64_t number = 0;
  std::vector<OptionItem> args;  // call arguments; list items (positional)
  SourceLocation location;
};

struct OptionItem {
  std::string key;  // empty for a positional value
  OptionValue value;
  SourceLocation location;  // of the key, or of the value when positional

  bool positional() const noexcept { return key.empty(); }
  // A lone identifier: `unique` in ATHANOR_COLUMN(unique).
  bool is_flag() const noexcept {
    return positional() && value.kind == OptionValue::Kind::kIdentifier;
  }
};

// Where an annotation came from, to locate its options in the source.
struct AnnotationSite {
  std::string text;         // the option string (annotation minus its "athanor:kind:" prefix)
  SourceLocation location;  // the macro name's position
  const std::string* source = nullptr;  // contents of location.file, when readable
};

// Parses an annotation's options. Syntax errors go to `diagnostics`; returns false then.
bool parse_options(const AnnotationSite& site, std::vector<OptionItem>& items,
                   Diagnostics& diagnostics);

// A readable rendering of a value, for messages: "Numeric(10, 2)", "{\"a\", \"b\"}".
std::string describe(const OptionValue& value);

}  // namespace athanor::gen
