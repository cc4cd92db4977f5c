// Athanor Core (engine layer, private): finding a parameter by name in a parameter set, shared
// by the single execution's bind (engine.cpp) and executemany's readers (execute_many.cpp).
//
// The functions are in an unnamed namespace, as they were when engine.cpp alone had them: each
// translation unit keeps its own copy, which the compiler is free to inline into the bind loop
// of every execution.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace athanor::detail {

namespace {

// Whether two parameter names are equal. (Names are short: compared here, character by
// character, rather than by a call to memcmp.)
bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

// The parameter of `params` named `key`, or null. `hint` is where it is expected: parameter
// sets are usually written in one order, the placeholders' or the previous set's.
template <class ParamsT>
auto* find_param(ParamsT& params, const std::string& key, std::size_t hint) {
  if (hint < params.size() && same_name(params[hint].name, key)) return &params[hint];
  for (auto& param : params) {
    if (same_name(param.name, key)) return &param;
  }
  return static_cast<decltype(&params[0])>(nullptr);
}

}  // namespace

}  // namespace athanor::detail
