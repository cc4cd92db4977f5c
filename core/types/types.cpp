// Athanor Core, types: generic names of the SQL type descriptors.
//
// These names are backend-neutral (SQLAlchemy's generic spelling); each dialect renders its own
// DDL type in type_ddl(). They appear in to_json(metadata) and in error messages.
#include <string>
#include <type_traits>
#include <variant>

#include <fmt/format.h>

#include "athanor/core/types.hpp"

namespace athanor {

std::string type_name(const TypeEngine& type) {
  return std::visit(
      [](const auto& t) -> std::string {
        using T = std::decay_t<decltype(t)>;
        if constexpr (std::is_same_v<T, Integer>) {
          return "INTEGER";
        } else if constexpr (std::is_same_v<T, BigInteger>) {
          return "BIGINT";
        } else if constexpr (std::is_same_v<T, SmallInteger>) {
          return "SMALLINT";
        } else if constexpr (std::is_same_v<T, Boolean>) {
          return "BOOLEAN";
        } else if constexpr (std::is_same_v<T, Float>) {
          return "FLOAT";
        } else if constexpr (std::is_same_v<T, Double>) {
          return "DOUBLE";
        } else if constexpr (std::is_same_v<T, Numeric>) {
          if (t.precision && t.scale) return fmt::format("NUMERIC({}, {})", *t.precision, *t.scale);
          if (t.precision) return fmt::format("NUMERIC({})", *t.precision);
          return "NUMERIC";
        } else if constexpr (std::is_same_v<T, String>) {
          return t.length ? fmt::format("VARCHAR({})", *t.length) : std::string("VARCHAR");
        } else if constexpr (std::is_same_v<T, Text>) {
          return "TEXT";
        } else if constexpr (std::is_same_v<T, Date>) {
          return "DATE";
        } else if constexpr (std::is_same_v<T, DateTime>) {
          return t.timezone ? "DATETIME(timezone=True)" : "DATETIME";
        } else if constexpr (std::is_same_v<T, Time>) {
          return "TIME";
        } else if constexpr (std::is_same_v<T, LargeBinary>) {
          return "BLOB";
        } else if constexpr (std::is_same_v<T, JSON>) {
          return "JSON";
        } else if constexpr (std::is_same_v<T, Uuid>) {
          return "UUID";
        } else {
          static_assert(std::is_same_v<T, Enum>);
          std::string out = "ENUM(";
          for (std::size_t i = 0; i < t.values.size(); ++i) {
            if (i > 0) out += ", ";
            out += '\'';
            for (char c : t.values[i]) {
              out += c;
              if (c == '\'') out += '\'';
            }
            out += '\'';
          }
          return out + ")";
        }
      },
      type);
}

bool is_integer_type(const TypeEngine& type) noexcept {
  return std::holds_alternative<Integer>(type) || std::holds_alternative<BigInteger>(type) ||
         std::holds_alternative<SmallInteger>(type);
}

}  // namespace athanor
