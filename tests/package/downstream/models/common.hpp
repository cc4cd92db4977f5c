// Shared declarations of the downstream models; included by library.hpp, not generated itself.
#pragma once

#include <athanor/model.hpp>

namespace shelf {
enum class Condition { kGood ATHANOR_ENUM_VALUE("good"), kLost ATHANOR_ENUM_VALUE("lost") };
}  // namespace shelf
