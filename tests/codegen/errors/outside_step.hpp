// Error case: a relationship to a model whose header is not part of the generation step.
#pragma once
#include <cstdint>

#include "athanor/model.hpp"
#include "include_only/other.hpp"

namespace outside {
struct ATHANOR_TABLE("insiders") Insider {
  ATHANOR_COLUMN(primary_key) std::int64_t id = 0;
  ATHANOR_COLUMN(foreign_key = "others.id") std::int64_t other_id = 0;
  athanor::Reference<elsewhere::Other> other;
};
}  // namespace outside
