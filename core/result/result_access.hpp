// Athanor Core (private): what the engine sets on a Result after executing its statement.
//
// Result's lastrowid and inserted_primary_key are read-only to users; the engine fills them in
// once the driver has reported them, through this struct (a friend of Result). Inline and
// header-only, so that setting them costs what the member assignments cost.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>

#include "athanor/core/result.hpp"

namespace athanor::detail {

struct ResultAccess {
  static void set_lastrowid(Result& result, std::optional<std::int64_t> id) {
    result.set_lastrowid(id);
  }
  static void set_inserted_primary_key(Result& result, Row key) {
    result.set_inserted_primary_key(std::move(key));
  }
};

}  // namespace athanor::detail
