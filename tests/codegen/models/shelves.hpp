// Test models: a composite primary key with data columns beside it, and server defaults on
// optional members that insert_object leaves to the database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "athanor/model.hpp"

namespace shelves {

struct ATHANOR_TABLE("shelf_slots") Slot {
  ATHANOR_COLUMN(primary_key, length = 8) std::string aisle;
  ATHANOR_COLUMN(primary_key) std::int32_t bay = 0;
  ATHANOR_COLUMN(length = 40) std::string label;
  ATHANOR_COLUMN(server_default = "5") std::optional<std::int32_t> capacity;
  ATHANOR_COLUMN(length = 20, server_default = "'empty'") std::optional<std::string> state;
};

}  // namespace shelves
