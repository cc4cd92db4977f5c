// Test models: a member of every member type docs/codegen.md lists (Every), and the
// std::optional of each (EveryOptional), to round-trip the whole range of every type, and NULL,
// through generated mappers on every backend.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "athanor/model.hpp"

namespace every {

enum class Shade { kLight ATHANOR_ENUM_VALUE("light"), kDark ATHANOR_ENUM_VALUE("dark \xC3\xA9") };
enum class Level : std::int32_t { kLowest = -2147483647 - 1, kHighest = 2147483647 };

struct ATHANOR_TABLE("every_type") Every {
  ATHANOR_COLUMN(primary_key, autoincrement = false) std::int64_t id = 0;
  bool flag = false;
  std::int8_t tiny = 0;
  std::int16_t small = 0;
  std::uint8_t octet = 0;
  std::int32_t medium = 0;
  std::uint16_t word = 0;
  std::int64_t big = 0;
  std::uint32_t dword = 0;
  std::uint64_t huge = 0;
  float single = 0;
  double dbl = 0;
  std::string body;
  ATHANOR_COLUMN(length = 40) std::string label;
  athanor::Bytes payload;
  ATHANOR_COLUMN(type = Numeric(28, 6)) athanor::Decimal price;
  std::chrono::sys_days day{};
  std::chrono::year_month_day birthday{};
  athanor::Timestamp created_at{};
  std::chrono::system_clock::time_point seen_at{};
  athanor::LocalTimestamp local_at{};
  athanor::TimeOfDay opens_at{};
  athanor::UuidValue uuid{};
  nlohmann::json document;
  athanor::JsonDocument doc;
  Shade shade = Shade::kLight;
  ATHANOR_COLUMN(type = Integer) Level level = Level::kLowest;
};

struct ATHANOR_TABLE("every_optional") EveryOptional {
  ATHANOR_COLUMN(primary_key, autoincrement = false) std::int64_t id = 0;
  std::optional<bool> flag;
  std::optional<std::int8_t> tiny;
  std::optional<std::int16_t> small;
  std::optional<std::uint8_t> octet;
  std::optional<std::int32_t> medium;
  std::optional<std::uint16_t> word;
  std::optional<std::int64_t> big;
  std::optional<std::uint32_t> dword;
  std::optional<std::uint64_t> huge;
  std::optional<float> single;
  std::optional<double> dbl;
  std::optional<std::string> body;
  ATHANOR_COLUMN(length = 40) std::optional<std::string> label;
  std::optional<athanor::Bytes> payload;
  ATHANOR_COLUMN(type = Numeric(28, 6)) std::optional<athanor::Decimal> price;
  std::optional<std::chrono::sys_days> day;
  std::optional<std::chrono::year_month_day> birthday;
  std::optional<athanor::Timestamp> created_at;
  std::optional<std::chrono::system_clock::time_point> seen_at;
  std::optional<athanor::LocalTimestamp> local_at;
  std::optional<athanor::TimeOfDay> opens_at;
  std::optional<athanor::UuidValue> uuid;
  std::optional<nlohmann::json> document;
  std::optional<athanor::JsonDocument> doc;
  std::optional<Shade> shade;
  ATHANOR_COLUMN(type = Integer) std::optional<Level> level;
};

}  // namespace every
