// Athanor Core, postgresql dialect: Value <-> libpq wire forms (see postgresql_codec.hpp).
//
// Binary parameter formats follow the server's send/recv functions: integers and floats in
// network byte order, dates as days and timestamps/times as microseconds since 2000-01-01
// (integer datetimes, the only kind since PostgreSQL 10), uuid as its 16 bytes.
#include "core/dialects/postgresql/postgresql_codec.hpp"

#include <bit>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string_view>
#include <type_traits>

namespace athanor::detail::pg {

namespace {

// Days and microseconds between the Unix epoch and PostgreSQL's epoch (2000-01-01).
constexpr std::int64_t kEpochShiftDays = 10957;
constexpr std::int64_t kEpochShiftMicros = kEpochShiftDays * 86400LL * 1000000LL;

void put_be64(char* out, std::uint64_t v) noexcept {
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(v & 0xffU);
    v >>= 8;
  }
}

void put_be32(char* out, std::uint32_t v) noexcept {
  for (int i = 3; i >= 0; --i) {
    out[i] = static_cast<char>(v & 0xffU);
    v >>= 8;
  }
}

// The alternative of `out` as T, switching alternatives only when needed so that a row buffer
// reused across fetches keeps its string capacity.
template <class T>
T& reuse(Value& out) {
  if (auto* existing = std::get_if<T>(&out)) return *existing;
  return out.emplace<T>();
}

int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// bytea text output: "\x0a1b..." (hex, the default) or the legacy escape format.
bool decode_bytea(std::string_view text, Bytes& out) {
  out.clear();
  if (text.size() >= 2 && text[0] == '\\' && text[1] == 'x') {
    if (text.size() % 2 != 0) return false;
    out.resize((text.size() - 2) / 2);
    for (std::size_t i = 0; i < out.size(); ++i) {
      int hi = hex_digit(text[2 + 2 * i]);
      int lo = hex_digit(text[3 + 2 * i]);
      if (hi < 0 || lo < 0) return false;
      out[i] = static_cast<std::byte>(hi * 16 + lo);
    }
    return true;
  }
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out.push_back(static_cast<std::byte>(text[i]));
    } else if (i + 1 < text.size() && text[i + 1] == '\\') {
      out.push_back(std::byte{'\\'});
      ++i;
    } else if (i + 3 < text.size()) {
      int v = 0;
      for (int k = 1; k <= 3; ++k) {
        char c = text[i + k];
        if (c < '0' || c > '7') return false;
        v = v * 8 + (c - '0');
      }
      out.push_back(static_cast<std::byte>(v));
      i += 3;
    } else {
      return false;
    }
  }
  return true;
}

void append_hex(std::string& out, const Bytes& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  out.assign("\\x");
  out.reserve(2 + bytes.size() * 2);
  for (std::byte b : bytes) {
    auto v = std::to_integer<unsigned>(b);
    out.push_back(kDigits[v >> 4]);
    out.push_back(kDigits[v & 0xfU]);
  }
}

// PostgreSQL's spellings of the non-finite floats (float8in accepts them in any case).
const char* non_finite_text(double v) noexcept {
  if (v != v) return "NaN";
  if (v > 0) return "Infinity";
  return "-Infinity";
}

// PostgreSQL writes years before 1 AD as "0044-03-15 BC": year N BC is astronomical year 1 - N,
// the proleptic Gregorian year that std::chrono and the binary format use.
bool strip_bc(std::string_view& text) noexcept {
  if (!text.ends_with(" BC")) return false;
  text.remove_suffix(3);
  return true;
}

std::chrono::sys_days before_christ(std::chrono::sys_days day) noexcept {
  const std::chrono::year_month_day ymd{day};
  return std::chrono::sys_days{std::chrono::year{1 - static_cast<int>(ymd.year())} / ymd.month() /
                               ymd.day()};
}

template <class Clock>
std::chrono::time_point<Clock, std::chrono::microseconds> before_christ(
    std::chrono::time_point<Clock, std::chrono::microseconds> tp) noexcept {
  const auto day = std::chrono::floor<std::chrono::days>(tp);
  const auto time_of_day = tp - day;
  const std::chrono::sys_days shifted =
      before_christ(std::chrono::sys_days{day.time_since_epoch()});
  return std::chrono::time_point<Clock, std::chrono::microseconds>{shifted.time_since_epoch() +
                                                                   time_of_day};
}

}  // namespace

Oid natural_oid(const Value& value) noexcept {
  switch (value.index()) {
    case 1:
      return kBoolOid;
    case 2:
      return kInt8Oid;
    case 3:
      return kFloat8Oid;
    case 5:
      return kByteaOid;
    case 6:
      return kNumericOid;
    case 7:
      return kDateOid;
    case 8:
      return kTimestamptzOid;
    case 9:
      return kTimestampOid;
    case 10:
      return kTimeOid;
    case 11:
      return kUuidOid;
    default:  // null, string, JSON: let the server infer from context
      return kUnknownOid;
  }
}

void ParamEncoder::encode(std::span<const Value> params, std::span<const Oid> prepared_oids) {
  const std::size_t n = params.size();
  values_.resize(n);
  lengths_.resize(n);
  formats_.resize(n);
  if (slots_.size() < n) slots_.resize(n);
  if (texts_.size() < n) texts_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Value& v = params[i];
    lengths_[i] = 0;
    formats_[i] = 0;
    if (std::holds_alternative<Null>(v)) {
      values_[i] = nullptr;
      continue;
    }
    Oid natural = natural_oid(v);
    Oid prepared = i < prepared_oids.size() ? prepared_oids[i] : natural;
    if (natural == prepared) {
      encode_natural(v, i);
    } else {
      encode_text(v, i);
    }
  }
}

void ParamEncoder::encode_natural(const Value& value, std::size_t i) {
  char* slot = slots_[i].data();
  auto binary = [&](int length) {
    values_[i] = slot;
    lengths_[i] = length;
    formats_[i] = 1;
  };
  switch (value.index()) {
    case 1:
      slot[0] = std::get<bool>(value) ? 1 : 0;
      binary(1);
      return;
    case 2:
      put_be64(slot, static_cast<std::uint64_t>(std::get<std::int64_t>(value)));
      binary(8);
      return;
    case 3:
      put_be64(slot, std::bit_cast<std::uint64_t>(std::get<double>(value)));
      binary(8);
      return;
    case 4:
      values_[i] = std::get<std::string>(value).c_str();
      return;
    case 5: {
      const Bytes& bytes = std::get<Bytes>(value);
      // A non-null pointer even for an empty value: null would mean SQL NULL.
      values_[i] = bytes.empty() ? slot : reinterpret_cast<const char*>(bytes.data());
      lengths_[i] = static_cast<int>(bytes.size());
      formats_[i] = 1;
      return;
    }
    case 6:
      values_[i] = std::get<Decimal>(value).text.c_str();
      return;
    case 7: {
      auto days = std::get<std::chrono::sys_days>(value).time_since_epoch().count();
      put_be32(slot, static_cast<std::uint32_t>(static_cast<std::int32_t>(days - kEpochShiftDays)));
      binary(4);
      return;
    }
    case 8: {
      auto us = std::get<Timestamp>(value).time_since_epoch().count();
      put_be64(slot, static_cast<std::uint64_t>(us - kEpochShiftMicros));
      binary(8);
      return;
    }
    case 9: {
      auto us = std::get<LocalTimestamp>(value).time_since_epoch().count();
      put_be64(slot, static_cast<std::uint64_t>(us - kEpochShiftMicros));
      binary(8);
      return;
    }
    case 10:
      put_be64(slot, static_cast<std::uint64_t>(std::get<TimeOfDay>(value).since_midnight.count()));
      binary(8);
      return;
    case 11: {
      const auto& bytes = std::get<UuidValue>(value).bytes;
      std::memcpy(slot, bytes.data(), bytes.size());
      binary(static_cast<int>(bytes.size()));
      return;
    }
    default:
      encode_text(value, i);
      return;
  }
}

void ParamEncoder::encode_text(const Value& value, std::size_t i) {
  std::string& text = texts_[i];
  switch (value.index()) {
    case 1:
      values_[i] = std::get<bool>(value) ? "true" : "false";
      return;
    case 2: {
      char* slot = slots_[i].data();
      // 20 characters at most ("-9223372036854775808") plus the terminator: fits the slot.
      auto end = std::to_chars(slot, slot + kSlotSize - 1, std::get<std::int64_t>(value)).ptr;
      *end = '\0';
      values_[i] = slot;
      return;
    }
    case 3: {
      double d = std::get<double>(value);
      if (d != d || d == std::numeric_limits<double>::infinity() ||
          d == -std::numeric_limits<double>::infinity()) {
        values_[i] = non_finite_text(d);
        return;
      }
      char buffer[32];
      auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), d);
      text.assign(buffer, ec == std::errc{} ? end : buffer);
      break;
    }
    case 4:
      values_[i] = std::get<std::string>(value).c_str();
      return;
    case 5:
      append_hex(text, std::get<Bytes>(value));
      break;
    case 6:
      values_[i] = std::get<Decimal>(value).text.c_str();
      return;
    case 7:
      text = format_date(std::get<std::chrono::sys_days>(value));
      break;
    case 8:
      text = format_timestamp(std::get<Timestamp>(value), /*with_utc_offset=*/true);
      break;
    case 9:
      text = format_local_timestamp(std::get<LocalTimestamp>(value));
      break;
    case 10:
      text = format_time(std::get<TimeOfDay>(value));
      break;
    case 11:
      text = std::get<UuidValue>(value).to_string();
      break;
    case 12:
      text = std::get<JsonDocument>(value).document.dump();
      break;
    default:
      values_[i] = nullptr;
      return;
  }
  values_[i] = text.c_str();
}

ColumnKind column_kind(Oid type) noexcept {
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
      return ColumnKind::kInteger;
    case kOidOid:
      return ColumnKind::kOid;
    case kFloat4Oid:
    case kFloat8Oid:
      return ColumnKind::kFloat;
    case kBoolOid:
      return ColumnKind::kBool;
    case kNumericOid:
      return ColumnKind::kNumeric;
    case kTextOid:
    case kVarcharOid:
    case kBpcharOid:
    case kNameOid:
    case kCharOid:
      return ColumnKind::kText;
    case kByteaOid:
      return ColumnKind::kBytea;
    case kDateOid:
      return ColumnKind::kDate;
    case kTimestampOid:
      return ColumnKind::kTimestamp;
    case kTimestamptzOid:
      return ColumnKind::kTimestamptz;
    case kTimeOid:
      return ColumnKind::kTime;
    case kUuidOid:
      return ColumnKind::kUuid;
    case kJsonOid:
      return ColumnKind::kJson;
    case kJsonbOid:
      return ColumnKind::kJsonb;
    default:
      return ColumnKind::kOther;
  }
}

bool binary_decodable(ColumnKind kind) noexcept { return kind != ColumnKind::kOther; }

void decode_text(ColumnKind kind, const char* text, int length, Value& out) {
  const std::string_view sv(text, static_cast<std::size_t>(length));
  switch (kind) {
    case ColumnKind::kInteger:
    case ColumnKind::kOid: {
      std::int64_t v = 0;
      auto [ptr, ec] = std::from_chars(sv.data(), sv.data() + sv.size(), v);
      if (ec == std::errc{} && ptr == sv.data() + sv.size()) {
        out = v;
        return;
      }
      break;
    }
    case ColumnKind::kFloat: {
      double v = 0;
      auto [ptr, ec] = std::from_chars(sv.data(), sv.data() + sv.size(), v);
      if (ec == std::errc{} && ptr == sv.data() + sv.size()) {
        out = v;
        return;
      }
      break;
    }
    case ColumnKind::kBool:
      out = !sv.empty() && sv[0] == 't';
      return;
    case ColumnKind::kNumeric:
      reuse<Decimal>(out).text.assign(sv);
      return;
    case ColumnKind::kText:
    case ColumnKind::kOther:
      break;
    case ColumnKind::kBytea: {
      Bytes& bytes = reuse<Bytes>(out);
      if (decode_bytea(sv, bytes)) return;
      break;
    }
    case ColumnKind::kDate: {
      std::string_view date = sv;
      const bool bc = strip_bc(date);
      if (auto v = parse_date(date)) {
        out = bc ? before_christ(*v) : *v;
        return;
      }
      break;
    }
    case ColumnKind::kTimestamp: {
      std::string_view ts = sv;
      const bool bc = strip_bc(ts);
      if (auto v = parse_local_timestamp(ts)) {
        out = bc ? before_christ(*v) : *v;
        return;
      }
      break;
    }
    case ColumnKind::kTimestamptz: {
      std::string_view ts = sv;
      const bool bc = strip_bc(ts);
      if (auto v = parse_timestamp(ts)) {
        out = bc ? before_christ(*v) : *v;
        return;
      }
      break;
    }
    case ColumnKind::kTime:
      if (auto v = parse_time(sv)) {
        out = *v;
        return;
      }
      break;
    case ColumnKind::kUuid:
      out = UuidValue::parse(sv);
      return;
    case ColumnKind::kJson:
    case ColumnKind::kJsonb: {
      auto doc = nlohmann::json::parse(sv, nullptr, /*allow_exceptions=*/false);
      if (!doc.is_discarded()) {
        out = JsonDocument{std::move(doc)};
        return;
      }
      break;
    }
  }
  reuse<std::string>(out).assign(sv);
}

namespace {

// numeric's binary form: ndigits, weight, sign, dscale (16 bits each), then ndigits base-10000
// digits, the first of which has weight `weight`. Rendered exactly as numeric_out renders it.
bool numeric_text(const char* data, int length, std::string& out) {
  if (length < 8) return false;
  const auto ndigits = static_cast<int>(get_signed(data, 2));
  const auto weight = static_cast<int>(get_signed(data + 2, 2));
  const auto sign = static_cast<unsigned>(get_be(data + 4, 2));
  const auto dscale = static_cast<int>(get_be(data + 6, 2));
  if (ndigits < 0 || length != 8 + 2 * ndigits) return false;
  out.clear();
  switch (sign) {
    case 0xC000:
      out = "NaN";
      return true;
    case 0xD000:
      out = "Infinity";
      return true;
    case 0xF000:
      out = "-Infinity";
      return true;
    case 0x4000:
      out += '-';
      break;
    case 0x0000:
      break;
    default:
      return false;
  }
  auto digit = [&](int i) -> int {
    return i >= 0 && i < ndigits
               ? static_cast<int>(get_be(data + 8 + 2 * static_cast<std::ptrdiff_t>(i), 2))
               : 0;
  };
  char group[8];
  if (weight < 0) {
    out += '0';
  } else {
    for (int i = 0; i <= weight; ++i) {
      const int d = digit(i);
      if (i == 0) {
        out += std::to_string(d);
      } else {
        std::snprintf(group, sizeof(group), "%04d", d);
        out += group;
      }
    }
  }
  if (dscale > 0) {
    out += '.';
    int written = 0;
    for (int i = weight + 1; written < dscale; ++i) {
      std::snprintf(group, sizeof(group), "%04d", digit(i));
      for (int k = 0; k < 4 && written < dscale; ++k, ++written) out += group[k];
    }
  }
  return true;
}

}  // namespace

void decode_binary(ColumnKind kind, const char* data, int length, Value& out) {
  switch (kind) {
    case ColumnKind::kInteger:
      if (std::optional<std::int64_t> v = binary_integer(data, length)) {
        out = *v;
        return;
      }
      break;
    case ColumnKind::kOid:
      if (length == 4) {
        out = static_cast<std::int64_t>(get_be(data, 4));
        return;
      }
      break;
    case ColumnKind::kFloat:
      if (std::optional<double> v = binary_float(data, length)) {
        out = *v;
        return;
      }
      break;
    case ColumnKind::kBool:
      out = length > 0 && data[0] != 0;
      return;
    case ColumnKind::kNumeric: {
      Decimal& decimal = reuse<Decimal>(out);
      if (numeric_text(data, length, decimal.text)) return;
      break;
    }
    case ColumnKind::kText:
      // "char" sends its one byte even when it is the empty value '\0' (text types cannot
      // hold a NUL, so this is never a real character).
      if (length == 1 && data[0] == '\0') length = 0;
      reuse<std::string>(out).assign(data, static_cast<std::size_t>(length));
      return;
    case ColumnKind::kJson:  // json's binary form is its text
      decode_text(ColumnKind::kJson, data, length, out);
      return;
    case ColumnKind::kJsonb:
      // A version byte (1), then the document's text.
      if (length >= 1 && data[0] == 1) {
        decode_text(ColumnKind::kJson, data + 1, length - 1, out);
        return;
      }
      break;
    case ColumnKind::kBytea: {
      Bytes& bytes = reuse<Bytes>(out);
      bytes.resize(static_cast<std::size_t>(length));
      if (length > 0) std::memcpy(bytes.data(), data, static_cast<std::size_t>(length));
      return;
    }
    case ColumnKind::kDate:
      if (length == 4) {
        const auto days = static_cast<std::int32_t>(get_signed(data, 4));
        if (days == std::numeric_limits<std::int32_t>::max()) break;
        if (days == std::numeric_limits<std::int32_t>::min()) break;
        out = std::chrono::sys_days{std::chrono::days{days + kEpochShiftDays}};
        return;
      }
      break;
    case ColumnKind::kTimestamp:
    case ColumnKind::kTimestamptz:
      if (length == 8) {
        const std::int64_t us = get_signed(data, 8);
        if (us == std::numeric_limits<std::int64_t>::max() ||
            us == std::numeric_limits<std::int64_t>::min()) {
          break;
        }
        const std::chrono::microseconds since_epoch{us + kEpochShiftMicros};
        if (kind == ColumnKind::kTimestamp) {
          out = LocalTimestamp{since_epoch};
        } else {
          out = Timestamp{since_epoch};
        }
        return;
      }
      break;
    case ColumnKind::kTime:
      if (length == 8) {
        out = TimeOfDay{std::chrono::microseconds{get_signed(data, 8)}};
        return;
      }
      break;
    case ColumnKind::kUuid:
      if (length == 16) {
        UuidValue uuid;
        std::memcpy(uuid.bytes.data(), data, 16);
        out = uuid;
        return;
      }
      break;
    case ColumnKind::kOther:
      break;
  }
  // Infinite dates/timestamps, or a length no server sends for the type.
  const bool negative = length > 0 && (static_cast<unsigned char>(data[0]) & 0x80U) != 0;
  if (kind == ColumnKind::kDate || kind == ColumnKind::kTimestamp ||
      kind == ColumnKind::kTimestamptz) {
    reuse<std::string>(out).assign(negative ? "-infinity" : "infinity");
    return;
  }
  reuse<std::string>(out).assign(data, static_cast<std::size_t>(length));
}

}  // namespace athanor::detail::pg
