// Athanor Core, types: generic names of the SQL type descriptors.
//
// These names are backend-neutral (SQLAlchemy's generic spelling); each dialect renders its own
// DDL type in type_ddl(). They appear in to_json(metadata) and in error messages.
#include <algorithm>
#include <string>
#include <type_traits>
#include <variant>

#include <fmt/format.h>

#include "athanor/core/types.hpp"

namespace athanor {

std::string render_type(const TypeEngine& type, const TypeSpelling& spelling) {
  return std::visit(
      [&](const auto& t) -> std::string {
        using T = std::decay_t<decltype(t)>;
        if constexpr (std::is_same_v<T, Integer>) {
          return std::string(spelling.integer);
        } else if constexpr (std::is_same_v<T, BigInteger>) {
          return std::string(spelling.big_integer);
        } else if constexpr (std::is_same_v<T, SmallInteger>) {
          return std::string(spelling.small_integer);
        } else if constexpr (std::is_same_v<T, Boolean>) {
          return std::string(spelling.boolean);
        } else if constexpr (std::is_same_v<T, Float>) {
          return std::string(spelling.float_type);
        } else if constexpr (std::is_same_v<T, Double>) {
          return std::string(spelling.double_type);
        } else if constexpr (std::is_same_v<T, Numeric>) {
          if (t.precision && t.scale) return fmt::format("NUMERIC({}, {})", *t.precision, *t.scale);
          if (t.precision) return fmt::format("NUMERIC({})", *t.precision);
          return "NUMERIC";
        } else if constexpr (std::is_same_v<T, String>) {
          return t.length ? fmt::format("VARCHAR({})", *t.length) : std::string("VARCHAR");
        } else if constexpr (std::is_same_v<T, Text>) {
          return std::string(spelling.text);
        } else if constexpr (std::is_same_v<T, Date>) {
          return std::string(spelling.date);
        } else if constexpr (std::is_same_v<T, DateTime>) {
          return std::string(t.timezone ? spelling.datetime_tz : spelling.datetime);
        } else if constexpr (std::is_same_v<T, Time>) {
          return std::string(spelling.time);
        } else if constexpr (std::is_same_v<T, LargeBinary>) {
          return std::string(spelling.binary);
        } else if constexpr (std::is_same_v<T, JSON>) {
          return std::string(spelling.json);
        } else if constexpr (std::is_same_v<T, Uuid>) {
          return std::string(spelling.uuid);
        } else {
          static_assert(std::is_same_v<T, Enum>);
          if (spelling.enum_as_varchar) {
            std::size_t longest = 1;
            for (const std::string& label : t.values) longest = std::max(longest, label.size());
            return fmt::format("VARCHAR({})", longest);
          }
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

std::string type_name(const TypeEngine& type) { return render_type(type, TypeSpelling{}); }

bool is_integer_type(const TypeEngine& type) noexcept {
  return std::holds_alternative<Integer>(type) || std::holds_alternative<BigInteger>(type) ||
         std::holds_alternative<SmallInteger>(type);
}

}  // namespace athanor
