// Athanor Core: runtime values exchanged with the database.
//
// A Value is what one bound parameter or one fetched column holds. Drivers (core/dialects/) turn
// native results into Values; typed access (Row::get<T>) converts a Value into the C++ type the
// caller asks for, and raises ArgumentError naming both types when the conversion is impossible.
// Values are plain values (copies are independent) and the conversions are pure functions, safe
// to call from any thread.
//
// Mapping between C++ types and Values (both directions):
//   bool                         <-> bool
//   all integer types            <-> std::int64_t (range checked both ways: an unsigned value
//                                    above INT64_MAX raises ArgumentError instead of wrapping)
//   float, double                <-> double
//   std::string, string_view, const char*  -> std::string
//   Bytes (std::vector<std::byte>)        <-> Bytes
//   Decimal                      <-> Decimal (exact text, as NUMERIC is exact)
//   std::chrono::sys_days, year_month_day <-> Date
//   Timestamp (UTC instant)      <-> Timestamp
//   std::chrono::system_clock::time_point <-> Timestamp (floored to microseconds; reading an
//                                    instant outside 1677-09-21..2262-04-11 raises ArgumentError)
//   LocalTimestamp (no time zone)<-> LocalTimestamp
//   TimeOfDay                    <-> TimeOfDay
//   UuidValue                    <-> UuidValue
//   nlohmann::json               <-> JsonDocument
//   std::optional<T>             <-> Null or T
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace athanor {

using Bytes = std::vector<std::byte>;

// An exact decimal number kept as its canonical text ("-12.50"), as NUMERIC columns are exact.
struct Decimal {
  std::string text;
  friend bool operator==(const Decimal&, const Decimal&) = default;
};

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;         // an instant (UTC)
using LocalTimestamp = std::chrono::local_time<std::chrono::microseconds>;  // wall clock, no zone

// A time of day with microsecond precision.
struct TimeOfDay {
  std::chrono::microseconds since_midnight{0};
  friend bool operator==(const TimeOfDay&, const TimeOfDay&) = default;
};

// A 128-bit UUID value. (The SQL type descriptor is athanor::Uuid, in types.hpp.)
struct UuidValue {
  std::array<std::uint8_t, 16> bytes{};

  // Parses "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (hyphens optional, any case, optional braces).
  // Throws ArgumentError on malformed text.
  static UuidValue parse(std::string_view text);
  std::string to_string() const;  // lower-case, hyphenated
  friend bool operator==(const UuidValue&, const UuidValue&) = default;
};

// A JSON document. Wrapped so that Value is not implicitly constructible from everything that
// nlohmann::json accepts.
struct JsonDocument {
  nlohmann::json document;
  friend bool operator==(const JsonDocument&, const JsonDocument&) = default;
};

using Null = std::monostate;

// One database value. The alternatives' order is part of the ABI of drivers; do not reorder.
using Value = std::variant<Null, bool, std::int64_t, double, std::string, Bytes, Decimal,
                           std::chrono::sys_days, Timestamp, LocalTimestamp, TimeOfDay, UuidValue,
                           JsonDocument>;

}  // namespace athanor

// Lists of Values are built, copied and destroyed all over the library and in every translation
// unit that maps objects: the library instantiates std::vector<Value> once (core/types/value.cpp),
// so those translation units do not compile its members again. Declared before any use below.
extern template class std::vector<athanor::Value>;

namespace athanor {

namespace detail {
void copy_other_value(Value& out, const Value& from);  // `out = from`, out of line
// `out = from`, with the alternatives parameters mostly hold assigned without the variant's
// dispatch table, and text over `out`'s own buffer.
inline void copy_value(Value& out, const Value& from) {
  if (const auto* integer = std::get_if<std::int64_t>(&from)) {
    if (auto* held = std::get_if<std::int64_t>(&out)) {
      *held = *integer;
      return;
    }
  } else if (const auto* text = std::get_if<std::string>(&from)) {
    if (auto* held = std::get_if<std::string>(&out)) {
      *held = *text;
      return;
    }
  }
  copy_other_value(out, from);
}
}  // namespace detail

// Name of the alternative a Value holds ("null", "integer", "text", ...), for error messages.
std::string_view value_kind(const Value& value) noexcept;
bool is_null(const Value& value) noexcept;

// Renders a value for logs and error messages (strings quoted, bytes as hex, long text cut).
std::string render_value(const Value& value, std::size_t max_length = 60);
// Renders a list of parameters, truncated after `max_items` entries.
std::string render_values(const std::vector<Value>& values, std::size_t max_items = 10);

// Canonical text forms used by drivers that speak text (ISO 8601 for dates and times).
std::string format_date(std::chrono::sys_days day);
std::string format_timestamp(Timestamp ts, bool with_utc_offset);
std::string format_local_timestamp(LocalTimestamp ts);
std::string format_time(TimeOfDay t);
// Parsers accept ISO 8601 with ' ' or 'T', fractional seconds, and an optional offset (Z, +hh,
// +hh:mm, +hhmm). They return nullopt on malformed text.
std::optional<std::chrono::sys_days> parse_date(std::string_view text);
std::optional<Timestamp> parse_timestamp(std::string_view text);  // no offset: taken as UTC
std::optional<LocalTimestamp> parse_local_timestamp(std::string_view text);
std::optional<TimeOfDay> parse_time(std::string_view text);

// ---- C++ value -> Value -------------------------------------------------------------------------

namespace detail {
// ArgumentError: an unsigned value above INT64_MAX, which no SQL integer type holds (a cast would
// store it as a negative number).
[[noreturn]] void throw_unsigned_out_of_range(std::uint64_t value);
}  // namespace detail

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
template <class T>
inline constexpr bool is_optional_v = is_optional<std::remove_cvref_t<T>>::value;

// Types a Value can be made from (and, with value_from, read back into); each of them also as
// std::optional<T>.
template <class T>
concept ValueType =
    std::is_same_v<T, bool> || std::is_integral_v<T> || std::is_floating_point_v<T> ||
    std::is_same_v<T, std::string> || std::is_same_v<T, Bytes> || std::is_same_v<T, Decimal> ||
    std::is_same_v<T, std::chrono::sys_days> || std::is_same_v<T, std::chrono::year_month_day> ||
    std::is_same_v<T, Timestamp> || std::is_same_v<T, std::chrono::system_clock::time_point> ||
    std::is_same_v<T, LocalTimestamp> || std::is_same_v<T, TimeOfDay> ||
    std::is_same_v<T, UuidValue> || std::is_same_v<T, nlohmann::json> ||
    std::is_same_v<T, JsonDocument> || std::is_same_v<T, Value>;

template <class T>
concept ToValue = ValueType<std::remove_cvref_t<T>> || std::is_convertible_v<T, std::string_view> ||
                  (is_optional_v<T>&& ValueType<typename std::remove_cvref_t<T>::value_type>) ||
                  std::is_same_v<std::remove_cvref_t<T>, std::nullopt_t> ||
                  std::is_same_v<std::remove_cvref_t<T>, std::nullptr_t> ||
                  std::is_same_v<std::remove_cvref_t<T>, Null>;

template <ToValue T>
Value to_value(T&& v) {
  using U = std::remove_cvref_t<T>;
  if constexpr (std::is_same_v<U, Value>) {
    return std::forward<T>(v);
  } else if constexpr (std::is_same_v<U, std::nullopt_t> || std::is_same_v<U, std::nullptr_t> ||
                       std::is_same_v<U, Null>) {
    return Value{};
  } else if constexpr (is_optional_v<U>) {
    if (!v) return Value{};
    return to_value(*std::forward<T>(v));
  } else if constexpr (std::is_same_v<U, bool>) {
    return Value{v};
  } else if constexpr (std::is_integral_v<U>) {
    if constexpr (std::is_unsigned_v<U> && sizeof(U) >= sizeof(std::int64_t)) {
      if (v > static_cast<U>(std::numeric_limits<std::int64_t>::max())) {
        detail::throw_unsigned_out_of_range(v);
      }
    }
    return Value{static_cast<std::int64_t>(v)};
  } else if constexpr (std::is_floating_point_v<U>) {
    return Value{static_cast<double>(v)};
  } else if constexpr (std::is_same_v<U, std::chrono::year_month_day>) {
    return Value{std::chrono::sys_days{v}};
  } else if constexpr (std::is_same_v<U, std::chrono::system_clock::time_point>) {
    // floor, not a cast: a cast rounds instants before 1970 towards the epoch, into the next
    // microsecond (and possibly the next second or day).
    return Value{std::chrono::floor<std::chrono::microseconds>(v)};
  } else if constexpr (std::is_same_v<U, std::string> || std::is_same_v<U, Bytes> ||
                       std::is_same_v<U, Decimal> || std::is_same_v<U, std::chrono::sys_days> ||
                       std::is_same_v<U, Timestamp> || std::is_same_v<U, LocalTimestamp> ||
                       std::is_same_v<U, TimeOfDay> || std::is_same_v<U, UuidValue> ||
                       std::is_same_v<U, JsonDocument>) {
    return Value{std::forward<T>(v)};
  } else if constexpr (std::is_same_v<U, nlohmann::json>) {
    return Value{JsonDocument{std::forward<T>(v)}};
  } else {
    return Value{std::string(std::string_view(v))};
  }
}

// ---- Value -> C++ value -------------------------------------------------------------------------
// Each reads `value` into `out` or throws ArgumentError "cannot read <kind> as <type>" prefixed
// by `context` (usually "column 'name'"). Lenient where the backend's wire form differs from the
// C++ type: text -> date/time/uuid/json/decimal, integer -> bool, 0/1 text -> bool, etc.
namespace detail {
void read_value(const Value& value, bool& out, std::string_view context);
void read_value(const Value& value, std::int64_t& out, std::string_view context);
void read_value(const Value& value, std::uint64_t& out, std::string_view context);
void read_value(const Value& value, double& out, std::string_view context);
void read_value(const Value& value, std::string& out, std::string_view context);
void read_value(const Value& value, Bytes& out, std::string_view context);
void read_value(const Value& value, Decimal& out, std::string_view context);
void read_value(const Value& value, std::chrono::sys_days& out, std::string_view context);
void read_value(const Value& value, Timestamp& out, std::string_view context);
// ArgumentError naming the value when it is outside system_clock's range (nanoseconds in 64 bits:
// 1677-09-21 to 2262-04-11); Timestamp holds every instant of years 1 to 9999.
void read_value(const Value& value, std::chrono::system_clock::time_point& out,
                std::string_view context);
void read_value(const Value& value, LocalTimestamp& out, std::string_view context);
void read_value(const Value& value, TimeOfDay& out, std::string_view context);
void read_value(const Value& value, UuidValue& out, std::string_view context);
void read_value(const Value& value, nlohmann::json& out, std::string_view context);
void read_value(const Value& value, JsonDocument& out, std::string_view context);
[[noreturn]] void throw_null_value(std::string_view context, std::string_view type_name);
[[noreturn]] void throw_out_of_range(std::string_view context, std::string_view type_name);
}  // namespace detail

template <class T>
concept FromValue = ValueType<T> ||(is_optional_v<T>&& ValueType<typename T::value_type>);

template <class T>
requires FromValue<T> T value_from(const Value& value, std::string_view context = "value") {
  if constexpr (std::is_same_v<T, Value>) {
    return value;
  } else if constexpr (is_optional_v<T>) {
    if (is_null(value)) return std::nullopt;
    return value_from<typename T::value_type>(value, context);
  } else if constexpr (std::is_same_v<T, bool>) {
    bool out{};
    detail::read_value(value, out, context);
    return out;
  } else if constexpr (std::is_integral_v<T> && std::is_unsigned_v<T> && sizeof(T) == 8) {
    std::uint64_t out{};
    detail::read_value(value, out, context);
    return out;
  } else if constexpr (std::is_integral_v<T>) {
    // The common cases are read inline; conversions and errors go to the compiled read_value.
    std::int64_t out{};
    if (const auto* exact = std::get_if<std::int64_t>(&value)) {
      out = *exact;
    } else {
      detail::read_value(value, out, context);
    }
    if (out < static_cast<std::int64_t>(std::numeric_limits<T>::min()) ||
        (out > 0 && static_cast<std::uint64_t>(out) > std::numeric_limits<T>::max()))
      detail::throw_out_of_range(context, "integer of this width");
    return static_cast<T>(out);
  } else if constexpr (std::is_floating_point_v<T>) {
    double out{};
    if (const auto* exact = std::get_if<double>(&value)) {
      out = *exact;
    } else {
      detail::read_value(value, out, context);
    }
    return static_cast<T>(out);
  } else if constexpr (std::is_same_v<T, std::chrono::year_month_day>) {
    std::chrono::sys_days out{};
    detail::read_value(value, out, context);
    return std::chrono::year_month_day{out};
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (const auto* exact = std::get_if<std::string>(&value)) return *exact;
    std::string out;
    detail::read_value(value, out, context);
    return out;
  } else {
    T out{};
    detail::read_value(value, out, context);
    return out;
  }
}

}  // namespace athanor
