// Athanor Core: SQL type descriptors (SQLAlchemy's generic types).
//
// A type describes a column for DDL and reflection; it does not constrain the C++ side, which is
// handled by Value conversions (value.hpp). Each dialect renders a type as its own DDL spelling.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace athanor {

struct Integer {};       // 32-bit
struct BigInteger {};    // 64-bit
struct SmallInteger {};  // 16-bit
struct Boolean {};
struct Float {};   // single precision
struct Double {};  // double precision
struct Numeric {   // exact decimal
  std::optional<int> precision;
  std::optional<int> scale;
};
struct String {  // VARCHAR(length); no length means unbounded where the backend allows it
  std::optional<int> length;
};
struct Text {};
struct Date {};
struct DateTime {
  bool timezone = false;  // true: an instant (TIMESTAMPTZ on PostgreSQL)
};
struct Time {};
struct LargeBinary {};
struct JSON {};
struct Uuid {};
struct Enum {  // a fixed set of labels; native ENUM on MySQL, VARCHAR + CHECK elsewhere
  std::vector<std::string> values;
  std::string name;  // type name where the backend names enum types; may be empty
};

using TypeEngine = std::variant<Integer, BigInteger, SmallInteger, Boolean, Float, Double, Numeric,
                                String, Text, Date, DateTime, Time, LargeBinary, JSON, Uuid, Enum>;

// Generic name of a type, SQLAlchemy's repr style: "INTEGER", "VARCHAR(255)", "NUMERIC(10, 2)",
// "DATETIME(timezone=True)". Used by to_json(metadata) and error messages.
std::string type_name(const TypeEngine& type);

bool is_integer_type(const TypeEngine& type) noexcept;

}  // namespace athanor
