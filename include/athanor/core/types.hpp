// Athanor Core: SQL type descriptors (SQLAlchemy's generic types).
//
// A type describes a column for DDL and reflection; it does not constrain the C++ side, which is
// handled by Value conversions (value.hpp). Each dialect renders a type as its own DDL spelling.
// Types are plain values (copies are independent): nothing here talks to a database or throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
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

// How one spelling of SQL types (the generic names, or a dialect's DDL) names each type. The
// parametrized forms are common to all: NUMERIC(p[, s]) and VARCHAR[(n)].
struct TypeSpelling {
  std::string_view integer = "INTEGER";
  std::string_view big_integer = "BIGINT";
  std::string_view small_integer = "SMALLINT";
  std::string_view boolean = "BOOLEAN";
  std::string_view float_type = "FLOAT";
  std::string_view double_type = "DOUBLE";
  std::string_view text = "TEXT";
  std::string_view date = "DATE";
  std::string_view datetime = "DATETIME";
  std::string_view datetime_tz = "DATETIME(timezone=True)";
  std::string_view time = "TIME";
  std::string_view binary = "BLOB";
  std::string_view json = "JSON";
  std::string_view uuid = "UUID";
  // An Enum as VARCHAR(longest label), its labels left to a CHECK constraint; otherwise
  // ENUM('label', ...).
  bool enum_as_varchar = false;
};

// `type` in `spelling`.
std::string render_type(const TypeEngine& type, const TypeSpelling& spelling);

bool is_integer_type(const TypeEngine& type) noexcept;

}  // namespace athanor
