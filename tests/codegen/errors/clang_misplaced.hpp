// Error case: ATHANOR_TABLE written before the struct keyword.
#pragma once
#include <cstdint>

#include "athanor/model.hpp"

ATHANOR_TABLE("users") struct User {
  ATHANOR_COLUMN(primary_key) std::int64_t id = 0;
};
