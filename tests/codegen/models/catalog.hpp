// Test models: one struct with a member of every storable type, plain and optional, used to
// round-trip values through every backend.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "athanor/model.hpp"

namespace catalog {

enum class Color { kRed ATHANOR_ENUM_VALUE("red"), kGreen ATHANOR_ENUM_VALUE("green"), kBlue };
enum class Priority : std::int16_t { kLow = 1, kHigh = 10 };

struct ATHANOR_TABLE("items", comment = "Every member type") Item {
  ATHANOR_COLUMN(primary_key) std::int64_t id = 0;
  bool flag = false;
  std::int8_t tiny = 0;
  std::int16_t small = 0;
  std::int32_t medium = 0;
  std::uint32_t unsigned_medium = 0;
  std::int64_t big = 0;
  float ratio = 0;
  double amount = 0;
  ATHANOR_COLUMN(length = 80) std::string label;
  std::string body;
  athanor::Bytes payload;
  ATHANOR_COLUMN(type = Numeric(10, 2)) athanor::Decimal price;
  std::chrono::sys_days day{};
  std::chrono::year_month_day birthday{};
  athanor::Timestamp created_at{};
  athanor::LocalTimestamp local_at{};
  athanor::TimeOfDay opens_at{};
  athanor::UuidValue uuid{};
  nlohmann::json document;
  Color color = Color::kRed;
  ATHANOR_COLUMN(type = SmallInteger) Priority priority = Priority::kLow;
  ATHANOR_TRANSIENT int cached_rank = -1;
};

struct ATHANOR_TABLE("maybe_items") MaybeItem {
  ATHANOR_COLUMN(primary_key) std::int64_t id = 0;
  std::optional<bool> flag;
  std::optional<std::int32_t> medium;
  std::optional<double> amount;
  std::optional<std::string> body;
  std::optional<athanor::Bytes> payload;
  std::optional<std::chrono::sys_days> day;
  std::optional<athanor::Timestamp> created_at;
  std::optional<athanor::TimeOfDay> opens_at;
  std::optional<athanor::UuidValue> uuid;
  std::optional<nlohmann::json> document;
  std::optional<Color> color;
  ATHANOR_COLUMN(type = Integer) std::optional<Priority> priority;
};

}  // namespace catalog
