// Error cases: enum members.
#pragma once
#include <cstdint>

#include "athanor/model.hpp"

namespace enums {

enum class Twice { kA ATHANOR_ENUM_VALUE("same"), kB ATHANOR_ENUM_VALUE("same") };
enum class BadLabel { kA ATHANOR_ENUM_VALUE(5), kB ATHANOR_ENUM_VALUE() };
enum class Empty {};

struct ATHANOR_TABLE("e") E {
  ATHANOR_COLUMN(primary_key) int id = 0;
  Twice twice = Twice::kA;
  BadLabel bad = BadLabel::kA;
  Empty empty{};
};

}  // namespace enums
