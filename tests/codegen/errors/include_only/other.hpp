// A model header that the step of outside_step.hpp does not list.
#pragma once
#include <cstdint>

#include "athanor/model.hpp"

namespace elsewhere {
struct ATHANOR_TABLE("others") Other {
  ATHANOR_COLUMN(primary_key) std::int64_t id = 0;
};
}  // namespace elsewhere
