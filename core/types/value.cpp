// Athanor Core, types: runtime Values, their ISO 8601 text forms, and typed reads.
//
// Drivers hand over whatever their backend's wire form is (SQLite keeps dates as text and
// booleans as 0/1, MySQL returns DECIMAL as text, PostgreSQL sends UUIDs natively), so the typed
// reads here accept every faithful conversion into the requested C++ type and reject lossy ones
// with an ArgumentError that names the context, the value's kind and the C++ type.
// Date arithmetic uses std::chrono's proleptic Gregorian calendar, valid for years 1..9999 and
// instants before 1970.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "athanor/core/error.hpp"
#include "athanor/core/value.hpp"

namespace athanor {

namespace chrono = std::chrono;

namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// ---- ISO 8601 scanning -------------------------------------------------------------------------

// A cursor over text being parsed; every reader returns false without consuming on mismatch of
// the expected shape, so callers can reject malformed input precisely.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool done() const noexcept { return pos_ == text_.size(); }
  char peek() const noexcept { return done() ? '\0' : text_[pos_]; }
  bool consume(char c) noexcept {
    if (peek() != c || done()) return false;
    ++pos_;
    return true;
  }
  // Exactly `count` decimal digits.
  bool digits(int count, int& out) noexcept {
    if (text_.size() - pos_ < static_cast<std::size_t>(count)) return false;
    int value = 0;
    for (int i = 0; i < count; ++i) {
      char c = text_[pos_ + static_cast<std::size_t>(i)];
      if (!is_digit(c)) return false;
      value = value * 10 + (c - '0');
    }
    pos_ += static_cast<std::size_t>(count);
    out = value;
    return true;
  }
  // One to `max_count` digits as a fraction of a second, scaled to microseconds.
  bool fraction(int max_count, std::int64_t& micros) noexcept {
    int count = 0;
    std::int64_t value = 0;
    while (!done() && is_digit(peek())) {
      if (++count > max_count) return false;
      value = value * 10 + (text_[pos_] - '0');
      ++pos_;
    }
    if (count == 0) return false;
    for (int i = count; i < 6; ++i) value *= 10;
    micros = value;
    return true;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

bool scan_date(Scanner& s, chrono::sys_days& out) {
  int year = 0, month = 0, day = 0;
  if (!s.digits(4, year) || !s.consume('-') || !s.digits(2, month) || !s.consume('-') ||
      !s.digits(2, day)) {
    return false;
  }
  if (year < 1) return false;
  chrono::year_month_day ymd{chrono::year{year}, chrono::month{static_cast<unsigned>(month)},
                             chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return false;
  out = chrono::sys_days{ymd};
  return true;
}

// HH:MM[:SS[.ffffff]]
bool scan_time(Scanner& s, chrono::microseconds& out) {
  int hours = 0, minutes = 0, seconds = 0;
  std::int64_t micros = 0;
  if (!s.digits(2, hours) || !s.consume(':') || !s.digits(2, minutes)) return false;
  if (s.consume(':')) {
    if (!s.digits(2, seconds)) return false;
    if (s.consume('.') && !s.fraction(6, micros)) return false;
  }
  if (hours > 23 || minutes > 59 || seconds > 59) return false;
  out = chrono::hours{hours} + chrono::minutes{minutes} + chrono::seconds{seconds} +
        chrono::microseconds{micros};
  return true;
}

// Z | +hh | +hh:mm | +hhmm | +hh:mm:ss, or nothing. `offset` is the zone's distance east of UTC.
bool scan_offset(Scanner& s, std::optional<chrono::seconds>& offset) {
  if (s.done()) return true;
  if (s.consume('Z') || s.consume('z')) {
    offset = chrono::seconds{0};
    return true;
  }
  int sign = 0;
  if (s.consume('+')) {
    sign = 1;
  } else if (s.consume('-')) {
    sign = -1;
  } else {
    return false;
  }
  int hours = 0, minutes = 0, seconds = 0;
  if (!s.digits(2, hours)) return false;
  if (s.consume(':')) {
    if (!s.digits(2, minutes)) return false;
    if (s.consume(':') && !s.digits(2, seconds)) return false;
  } else if (!s.done()) {
    if (!s.digits(2, minutes)) return false;
  }
  if (hours > 23 || minutes > 59 || seconds > 59) return false;
  offset = sign * (chrono::hours{hours} + chrono::minutes{minutes} + chrono::seconds{seconds});
  return true;
}

// A date with an optional time and offset; the result is the wall clock shifted to UTC when an
// offset is present.
std::optional<chrono::microseconds> parse_date_time(std::string_view text) {
  Scanner s(text);
  chrono::sys_days day;
  if (!scan_date(s, day)) return std::nullopt;
  chrono::microseconds time_of_day{0};
  std::optional<chrono::seconds> offset;
  if (!s.done()) {
    if (!(s.consume(' ') || s.consume('T') || s.consume('t'))) return std::nullopt;
    if (!scan_time(s, time_of_day)) return std::nullopt;
    if (!scan_offset(s, offset)) return std::nullopt;
  }
  if (!s.done()) return std::nullopt;
  chrono::microseconds since_epoch =
      chrono::duration_cast<chrono::microseconds>(day.time_since_epoch()) + time_of_day;
  if (offset) since_epoch -= *offset;
  return since_epoch;
}

std::string format_day(chrono::sys_days day) {
  chrono::year_month_day ymd{day};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

// HH:MM:SS, with .ffffff only when the fraction is not zero.
std::string format_clock(chrono::microseconds since_midnight) {
  auto count = since_midnight.count();
  auto micros = count % 1'000'000;
  auto seconds = count / 1'000'000;
  std::string out =
      fmt::format("{:02}:{:02}:{:02}", seconds / 3600, (seconds / 60) % 60, seconds % 60);
  if (micros != 0) out += fmt::format(".{:06}", micros);
  return out;
}

std::string format_micros_since_epoch(chrono::microseconds since_epoch) {
  auto day = chrono::floor<chrono::days>(since_epoch);
  return format_day(chrono::sys_days{day}) + ' ' + format_clock(since_epoch - day);
}

// ---- numbers -----------------------------------------------------------------------------------

// [+-]digits[.digits][(e|E)[+-]digits] or [+-].digits...; the whole text.
bool is_decimal_text(std::string_view text) {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  std::size_t int_digits = 0, frac_digits = 0;
  while (i < text.size() && is_digit(text[i])) ++i, ++int_digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && is_digit(text[i])) ++i, ++frac_digits;
  }
  if (int_digits + frac_digits == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    std::size_t exp_digits = 0;
    while (i < text.size() && is_digit(text[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == text.size();
}

// The integral part of decimal text whose fraction is all zeros ("12", "-12.000"); nullopt when
// the text has a non-zero fraction, an exponent or is not a number.
std::optional<std::string_view> integral_part(std::string_view text) {
  std::size_t start = (!text.empty() && (text[0] == '+' || text[0] == '-')) ? 1 : 0;
  std::size_t dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  if (whole.size() <= start) return std::nullopt;
  if (!std::all_of(whole.begin() + static_cast<std::ptrdiff_t>(start), whole.end(), is_digit)) {
    return std::nullopt;
  }
  if (dot != std::string_view::npos) {
    std::string_view fraction = text.substr(dot + 1);
    if (!std::all_of(fraction.begin(), fraction.end(), [](char c) { return c == '0'; })) {
      return std::nullopt;
    }
  }
  if (whole[0] == '+') whole.remove_prefix(1);
  return whole;
}

template <class Int>
std::optional<Int> parse_integer(std::string_view text) {
  std::optional<std::string_view> whole = integral_part(text);
  if (!whole) return std::nullopt;
  Int value{};
  auto [end, ec] = std::from_chars(whole->data(), whole->data() + whole->size(), value);
  if (ec != std::errc() || end != whole->data() + whole->size()) return std::nullopt;
  return value;
}

std::optional<double> parse_double(std::string_view text) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// Plain decimal text for a finite double: the shortest digits that round-trip, never an exponent.
std::string decimal_text(double value) {
  char buffer[64];
  auto [end, ec] =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  std::string_view sci(buffer, static_cast<std::size_t>(end - buffer));
  (void)ec;  // 64 bytes always suffice for a double
  bool negative = sci[0] == '-';
  if (negative) sci.remove_prefix(1);
  std::size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c != '.') digits += c;
  }
  int exponent = std::stoi(std::string(sci.substr(e + 1)));
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  // digits is d1 d2 ... with the decimal point after d1, moved by `exponent`.
  int point = exponent + 1;
  std::string out;
  if (point <= 0) {
    out = "0." + std::string(static_cast<std::size_t>(-point), '0') + digits;
  } else if (static_cast<std::size_t>(point) >= digits.size()) {
    out = digits + std::string(static_cast<std::size_t>(point) - digits.size(), '0');
  } else {
    out = digits.substr(0, static_cast<std::size_t>(point)) + "." +
          digits.substr(static_cast<std::size_t>(point));
  }
  if (out == "0") negative = false;
  return negative ? "-" + out : out;
}

// ---- errors ------------------------------------------------------------------------------------

template <class T>
constexpr std::string_view cpp_type_name() {
  if constexpr (std::is_same_v<T, bool>) return "bool";
  if constexpr (std::is_same_v<T, std::int64_t>) return "std::int64_t";
  if constexpr (std::is_same_v<T, std::uint64_t>) return "std::uint64_t";
  if constexpr (std::is_same_v<T, double>) return "double";
  if constexpr (std::is_same_v<T, std::string>) return "std::string";
  if constexpr (std::is_same_v<T, Bytes>) return "athanor::Bytes";
  if constexpr (std::is_same_v<T, Decimal>) return "athanor::Decimal";
  if constexpr (std::is_same_v<T, chrono::sys_days>) return "std::chrono::sys_days";
  if constexpr (std::is_same_v<T, Timestamp>) return "athanor::Timestamp";
  if constexpr (std::is_same_v<T, LocalTimestamp>) return "athanor::LocalTimestamp";
  if constexpr (std::is_same_v<T, TimeOfDay>) return "athanor::TimeOfDay";
  if constexpr (std::is_same_v<T, UuidValue>) return "athanor::UuidValue";
  if constexpr (std::is_same_v<T, nlohmann::json>) return "nlohmann::json";
  if constexpr (std::is_same_v<T, JsonDocument>) return "athanor::JsonDocument";
}

template <class T>
[[noreturn]] void throw_cannot_read(const Value& value, std::string_view context,
                                    std::string_view why = {}) {
  if (is_null(value)) detail::throw_null_value(context, cpp_type_name<T>());
  std::string message =
      fmt::format("{}: cannot read {} value as {}", context, value_kind(value), cpp_type_name<T>());
  if (!why.empty()) message += fmt::format(": {}", why);
  throw ArgumentError(message);
}

// The text of a text or decimal value (the forms in which backends send numbers as strings).
const std::string* numeric_text(const Value& value) noexcept {
  if (const auto* s = std::get_if<std::string>(&value)) return s;
  if (const auto* d = std::get_if<Decimal>(&value)) return &d->text;
  return nullptr;
}

std::string malformed(std::string_view text, std::string_view what) {
  return fmt::format("{} is not {}", render_value(Value{std::string(text)}), what);
}

// Reads a JSON document; `Target` only names the requested type in errors.
template <class Target>
nlohmann::json read_json(const Value& value, std::string_view context) {
  auto parse = [&](std::string_view text) {
    nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) {
      throw_cannot_read<Target>(value, context, malformed(text, "a JSON document"));
    }
    return parsed;
  };
  if (const auto* j = std::get_if<JsonDocument>(&value)) return j->document;
  if (const auto* s = std::get_if<std::string>(&value)) return parse(*s);
  if (const auto* b = std::get_if<Bytes>(&value)) {
    return parse(std::string_view(reinterpret_cast<const char*>(b->data()), b->size()));
  }
  // Backends that store JSON as text hand back scalars extracted from it natively.
  if (const auto* flag = std::get_if<bool>(&value)) return *flag;
  if (const auto* i = std::get_if<std::int64_t>(&value)) return *i;
  if (const auto* d = std::get_if<double>(&value)) return *d;
  throw_cannot_read<Target>(value, context);
}

}  // namespace

// ---- UuidValue ---------------------------------------------------------------------------------

UuidValue UuidValue::parse(std::string_view text) {
  std::string_view body = text;
  if (body.size() >= 2 && body.front() == '{' && body.back() == '}') {
    body = body.substr(1, body.size() - 2);
  }
  // Either 32 bare hex digits or the canonical 8-4-4-4-12 grouping.
  bool hyphenated = body.size() == 36;
  if (!hyphenated && body.size() != 32) {
    throw ArgumentError(fmt::format("malformed UUID '{}'", text));
  }
  UuidValue out;
  std::size_t nibble = 0;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (hyphenated && (i == 8 || i == 13 || i == 18 || i == 23)) {
      if (body[i] != '-') throw ArgumentError(fmt::format("malformed UUID '{}'", text));
      continue;
    }
    int v = hex_value(body[i]);
    if (v < 0) throw ArgumentError(fmt::format("malformed UUID '{}'", text));
    auto& byte = out.bytes[nibble / 2];
    byte = static_cast<std::uint8_t>(nibble % 2 == 0 ? v << 4 : byte | v);
    ++nibble;
  }
  return out;
}

std::string UuidValue::to_string() const {
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHexDigits[bytes[i] >> 4];
    out += kHexDigits[bytes[i] & 0x0f];
  }
  return out;
}

// ---- inspection and rendering ------------------------------------------------------------------

void detail::copy_other_value(Value& out, const Value& from) { out = from; }

std::string_view value_kind(const Value& value) noexcept {
  static constexpr std::string_view kNames[] = {
      "null", "boolean",   "integer",         "float", "text", "bytes", "decimal",
      "date", "timestamp", "local timestamp", "time",  "uuid", "json"};
  static_assert(std::size(kNames) == std::variant_size_v<Value>);
  return kNames[value.index()];
}

bool is_null(const Value& value) noexcept { return std::holds_alternative<Null>(value); }

std::string render_value(const Value& value, std::size_t max_length) {
  auto cut = [max_length](std::string text) {
    if (text.size() > max_length) {
      text.resize(max_length);
      text += "...";
    }
    return text;
  };
  auto quoted = [&](const std::string& text) {
    std::string out(1, '\'');
    out += cut(text);
    out += '\'';
    return out;
  };
  return std::visit(
      [&](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, Null>) {
          return "NULL";
        } else if constexpr (std::is_same_v<T, bool>) {
          return v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return std::to_string(v);
        } else if constexpr (std::is_same_v<T, double>) {
          return fmt::format("{}", v);
        } else if constexpr (std::is_same_v<T, std::string>) {
          return quoted(v);
        } else if constexpr (std::is_same_v<T, Bytes>) {
          std::string hex;
          std::size_t shown = std::min(v.size(), (max_length + 1) / 2);
          for (std::size_t i = 0; i < shown; ++i) {
            auto b = std::to_integer<unsigned>(v[i]);
            hex += kHexDigits[b >> 4];
            hex += kHexDigits[b & 0x0f];
          }
          return "x'" + hex + (shown < v.size() ? "'..." : "'");
        } else if constexpr (std::is_same_v<T, Decimal>) {
          return v.text;
        } else if constexpr (std::is_same_v<T, chrono::sys_days>) {
          return quoted(format_date(v));
        } else if constexpr (std::is_same_v<T, Timestamp>) {
          return quoted(format_timestamp(v, true));
        } else if constexpr (std::is_same_v<T, LocalTimestamp>) {
          return quoted(format_local_timestamp(v));
        } else if constexpr (std::is_same_v<T, TimeOfDay>) {
          return quoted(format_time(v));
        } else if constexpr (std::is_same_v<T, UuidValue>) {
          return quoted(v.to_string());
        } else {
          static_assert(std::is_same_v<T, JsonDocument>);
          return cut(v.document.dump());
        }
      },
      value);
}

std::string render_values(const std::vector<Value>& values, std::size_t max_items) {
  std::string out = "[";
  std::size_t shown = std::min(values.size(), max_items);
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0) out += ", ";
    out += render_value(values[i]);
  }
  if (shown < values.size()) {
    out += fmt::format(", ... ({} more)", values.size() - shown);
  }
  return out + "]";
}

// ---- ISO 8601 ----------------------------------------------------------------------------------

std::string format_date(chrono::sys_days day) { return format_day(day); }

std::string format_timestamp(Timestamp ts, bool with_utc_offset) {
  std::string out = format_micros_since_epoch(ts.time_since_epoch());
  if (with_utc_offset) out += "+00:00";
  return out;
}

std::string format_local_timestamp(LocalTimestamp ts) {
  return format_micros_since_epoch(ts.time_since_epoch());
}

std::string format_time(TimeOfDay t) { return format_clock(t.since_midnight); }

std::optional<chrono::sys_days> parse_date(std::string_view text) {
  Scanner s(text);
  chrono::sys_days day;
  if (!scan_date(s, day) || !s.done()) return std::nullopt;
  return day;
}

std::optional<Timestamp> parse_timestamp(std::string_view text) {
  std::optional<chrono::microseconds> since_epoch = parse_date_time(text);
  if (!since_epoch) return std::nullopt;
  return Timestamp{*since_epoch};
}

std::optional<LocalTimestamp> parse_local_timestamp(std::string_view text) {
  std::optional<chrono::microseconds> since_epoch = parse_date_time(text);
  if (!since_epoch) return std::nullopt;
  return LocalTimestamp{*since_epoch};
}

std::optional<TimeOfDay> parse_time(std::string_view text) {
  Scanner s(text);
  chrono::microseconds since_midnight;
  std::optional<chrono::seconds> offset;
  if (!scan_time(s, since_midnight) || !scan_offset(s, offset) || !s.done()) return std::nullopt;
  if (offset) {
    constexpr chrono::microseconds kDay = chrono::days{1};
    since_midnight = ((since_midnight - *offset) % kDay + kDay) % kDay;
  }
  return TimeOfDay{since_midnight};
}

// ---- typed reads -------------------------------------------------------------------------------

namespace detail {

void throw_null_value(std::string_view context, std::string_view type_name) {
  throw ArgumentError(fmt::format("{}: is NULL; read it as std::optional<{}>", context, type_name));
}

void throw_out_of_range(std::string_view context, std::string_view type_name) {
  throw ArgumentError(fmt::format("{}: value is out of range for {}", context, type_name));
}

void read_value(const Value& value, bool& out, std::string_view context) {
  if (const auto* b = std::get_if<bool>(&value)) {
    out = *b;
  } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
    if (*i != 0 && *i != 1) throw_cannot_read<bool>(value, context, "only 0 and 1 are booleans");
    out = *i == 1;
  } else if (const std::string* text = numeric_text(value)) {
    std::string lower = lower_ascii(*text);
    if (lower == "t" || lower == "true" || lower == "1") {
      out = true;
    } else if (lower == "f" || lower == "false" || lower == "0") {
      out = false;
    } else {
      throw_cannot_read<bool>(value, context, malformed(*text, "a boolean"));
    }
  } else {
    throw_cannot_read<bool>(value, context);
  }
}

void read_value(const Value& value, std::int64_t& out, std::string_view context) {
  if (const auto* i = std::get_if<std::int64_t>(&value)) {
    out = *i;
  } else if (const auto* b = std::get_if<bool>(&value)) {
    out = *b ? 1 : 0;
  } else if (const auto* d = std::get_if<double>(&value)) {
    // 2^63 is exactly representable; every double below it in magnitude converts exactly.
    constexpr double kLimit = 9223372036854775808.0;
    if (std::trunc(*d) != *d || !(*d >= -kLimit && *d < kLimit)) {
      throw_cannot_read<std::int64_t>(value, context, "it is not an integral number in range");
    }
    out = static_cast<std::int64_t>(*d);
  } else if (const std::string* text = numeric_text(value)) {
    std::optional<std::int64_t> parsed = parse_integer<std::int64_t>(*text);
    if (!parsed) {
      throw_cannot_read<std::int64_t>(value, context, malformed(*text, "an integer in range"));
    }
    out = *parsed;
  } else {
    throw_cannot_read<std::int64_t>(value, context);
  }
}

void read_value(const Value& value, std::uint64_t& out, std::string_view context) {
  if (const auto* i = std::get_if<std::int64_t>(&value)) {
    if (*i < 0) throw_out_of_range(context, "std::uint64_t");
    out = static_cast<std::uint64_t>(*i);
  } else if (const auto* b = std::get_if<bool>(&value)) {
    out = *b ? 1 : 0;
  } else if (const auto* d = std::get_if<double>(&value)) {
    constexpr double kLimit = 18446744073709551616.0;  // 2^64
    if (std::trunc(*d) != *d || !(*d >= 0 && *d < kLimit)) {
      throw_cannot_read<std::uint64_t>(value, context, "it is not an integral number in range");
    }
    out = static_cast<std::uint64_t>(*d);
  } else if (const std::string* text = numeric_text(value)) {
    std::optional<std::uint64_t> parsed = parse_integer<std::uint64_t>(*text);
    if (!parsed) {
      throw_cannot_read<std::uint64_t>(value, context,
                                       malformed(*text, "an unsigned integer in range"));
    }
    out = *parsed;
  } else {
    throw_cannot_read<std::uint64_t>(value, context);
  }
}

void read_value(const Value& value, double& out, std::string_view context) {
  if (const auto* d = std::get_if<double>(&value)) {
    out = *d;
  } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
    out = static_cast<double>(*i);
  } else if (const std::string* text = numeric_text(value)) {
    std::optional<double> parsed = parse_double(*text);
    if (!parsed) throw_cannot_read<double>(value, context, malformed(*text, "a number"));
    out = *parsed;
  } else {
    throw_cannot_read<double>(value, context);
  }
}

void read_value(const Value& value, std::string& out, std::string_view context) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          out = v;
        } else if constexpr (std::is_same_v<T, Bytes>) {
          out.assign(reinterpret_cast<const char*>(v.data()), v.size());
        } else if constexpr (std::is_same_v<T, Decimal>) {
          out = v.text;
        } else if constexpr (std::is_same_v<T, chrono::sys_days>) {
          out = format_date(v);
        } else if constexpr (std::is_same_v<T, Timestamp>) {
          out = format_timestamp(v, true);
        } else if constexpr (std::is_same_v<T, LocalTimestamp>) {
          out = format_local_timestamp(v);
        } else if constexpr (std::is_same_v<T, TimeOfDay>) {
          out = format_time(v);
        } else if constexpr (std::is_same_v<T, UuidValue>) {
          out = v.to_string();
        } else if constexpr (std::is_same_v<T, JsonDocument>) {
          out = v.document.dump();
        } else {
          throw_cannot_read<std::string>(value, context);
        }
      },
      value);
}

void read_value(const Value& value, Bytes& out, std::string_view context) {
  if (const auto* b = std::get_if<Bytes>(&value)) {
    out = *b;
  } else if (const auto* s = std::get_if<std::string>(&value)) {
    const auto* data = reinterpret_cast<const std::byte*>(s->data());
    out.assign(data, data + s->size());
  } else if (const auto* u = std::get_if<UuidValue>(&value)) {
    const auto* data = reinterpret_cast<const std::byte*>(u->bytes.data());
    out.assign(data, data + u->bytes.size());
  } else {
    throw_cannot_read<Bytes>(value, context);
  }
}

void read_value(const Value& value, Decimal& out, std::string_view context) {
  if (const auto* d = std::get_if<Decimal>(&value)) {
    out = *d;
  } else if (const auto* s = std::get_if<std::string>(&value)) {
    if (!is_decimal_text(*s)) throw_cannot_read<Decimal>(value, context, malformed(*s, "a number"));
    out.text = (*s)[0] == '+' ? s->substr(1) : *s;
  } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
    out.text = std::to_string(*i);
  } else if (const auto* d = std::get_if<double>(&value)) {
    if (!std::isfinite(*d)) throw_cannot_read<Decimal>(value, context, "it is not finite");
    out.text = decimal_text(*d);
  } else {
    throw_cannot_read<Decimal>(value, context);
  }
}

void read_value(const Value& value, chrono::sys_days& out, std::string_view context) {
  if (const auto* d = std::get_if<chrono::sys_days>(&value)) {
    out = *d;
  } else if (const auto* s = std::get_if<std::string>(&value)) {
    std::optional<chrono::sys_days> parsed = parse_date(*s);
    if (!parsed) {
      // A DATETIME-affine backend may hand a date back as midnight of that day.
      std::optional<LocalTimestamp> ts = parse_local_timestamp(*s);
      if (ts && ts->time_since_epoch() % chrono::days{1} == chrono::microseconds{0}) {
        parsed = chrono::sys_days{chrono::floor<chrono::days>(ts->time_since_epoch())};
      }
    }
    if (!parsed) {
      throw_cannot_read<chrono::sys_days>(value, context, malformed(*s, "an ISO 8601 date"));
    }
    out = *parsed;
  } else {
    throw_cannot_read<chrono::sys_days>(value, context);
  }
}

void read_value(const Value& value, Timestamp& out, std::string_view context) {
  if (const auto* t = std::get_if<Timestamp>(&value)) {
    out = *t;
  } else if (const auto* l = std::get_if<LocalTimestamp>(&value)) {
    out = Timestamp{l->time_since_epoch()};
  } else if (const auto* d = std::get_if<chrono::sys_days>(&value)) {
    out = Timestamp{*d};
  } else if (const auto* s = std::get_if<std::string>(&value)) {
    std::optional<Timestamp> parsed = parse_timestamp(*s);
    if (!parsed) {
      throw_cannot_read<Timestamp>(value, context, malformed(*s, "an ISO 8601 timestamp"));
    }
    out = *parsed;
  } else {
    throw_cannot_read<Timestamp>(value, context);
  }
}

void read_value(const Value& value, chrono::system_clock::time_point& out,
                std::string_view context) {
  using TimePoint = chrono::system_clock::time_point;
  Timestamp instant{};
  read_value(value, instant, context);
  // The limits of TimePoint in microseconds, rounded inwards so that the conversion below
  // cannot overflow.
  constexpr Timestamp kMin = chrono::ceil<chrono::microseconds>(TimePoint::min());
  constexpr Timestamp kMax = chrono::floor<chrono::microseconds>(TimePoint::max());
  if (instant < kMin || instant > kMax) {
    throw ArgumentError(fmt::format(
        "{}: {} is out of range for std::chrono::system_clock::time_point ({} to {} UTC); read "
        "it as athanor::Timestamp, which holds every instant of the years 1 to 9999",
        context, render_value(value), format_timestamp(kMin, false),
        format_timestamp(kMax, false)));
  }
  out = chrono::time_point_cast<TimePoint::duration>(instant);
}

void throw_unsigned_out_of_range(std::uint64_t value) {
  throw ArgumentError(fmt::format(
      "unsigned value {} is above INT64_MAX ({}), the largest value an SQL integer column holds",
      value, std::numeric_limits<std::int64_t>::max()));
}

void read_value(const Value& value, LocalTimestamp& out, std::string_view context) {
  if (const auto* l = std::get_if<LocalTimestamp>(&value)) {
    out = *l;
  } else if (const auto* t = std::get_if<Timestamp>(&value)) {
    out = LocalTimestamp{t->time_since_epoch()};
  } else if (const auto* d = std::get_if<chrono::sys_days>(&value)) {
    out = LocalTimestamp{chrono::microseconds{d->time_since_epoch()}};
  } else if (const auto* s = std::get_if<std::string>(&value)) {
    std::optional<LocalTimestamp> parsed = parse_local_timestamp(*s);
    if (!parsed) {
      throw_cannot_read<LocalTimestamp>(value, context, malformed(*s, "an ISO 8601 timestamp"));
    }
    out = *parsed;
  } else {
    throw_cannot_read<LocalTimestamp>(value, context);
  }
}

void read_value(const Value& value, TimeOfDay& out, std::string_view context) {
  if (const auto* t = std::get_if<TimeOfDay>(&value)) {
    out = *t;
  } else if (const auto* s = std::get_if<std::string>(&value)) {
    std::optional<TimeOfDay> parsed = parse_time(*s);
    if (!parsed) throw_cannot_read<TimeOfDay>(value, context, malformed(*s, "an ISO 8601 time"));
    out = *parsed;
  } else {
    throw_cannot_read<TimeOfDay>(value, context);
  }
}

void read_value(const Value& value, UuidValue& out, std::string_view context) {
  if (const auto* u = std::get_if<UuidValue>(&value)) {
    out = *u;
  } else if (const auto* s = std::get_if<std::string>(&value)) {
    try {
      out = UuidValue::parse(*s);
    } catch (const ArgumentError&) {
      throw_cannot_read<UuidValue>(value, context, malformed(*s, "a UUID"));
    }
  } else if (const auto* b = std::get_if<Bytes>(&value)) {
    if (b->size() != 16) {
      throw_cannot_read<UuidValue>(value, context,
                                   fmt::format("a UUID has 16 bytes, not {}", b->size()));
    }
    std::transform(b->begin(), b->end(), out.bytes.begin(),
                   [](std::byte x) { return std::to_integer<std::uint8_t>(x); });
  } else {
    throw_cannot_read<UuidValue>(value, context);
  }
}

void read_value(const Value& value, nlohmann::json& out, std::string_view context) {
  out = read_json<nlohmann::json>(value, context);
}

void read_value(const Value& value, JsonDocument& out, std::string_view context) {
  out.document = read_json<JsonDocument>(value, context);
}

}  // namespace detail

}  // namespace athanor

// The one instantiation of std::vector<Value> that value.hpp declares extern.
template class std::vector<athanor::Value>;
