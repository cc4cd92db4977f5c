// Athanor Core, postgresql dialect: conversion between Values and libpq's wire forms.
//
// Parameters go out typed where the type is unambiguous (int8, float8, bool, bytea, date,
// timestamp[tz], time, uuid in binary; numeric as text) and untyped (OID 0) for strings and JSON,
// so the server infers text, varchar, json, enum or a date from the column it meets. Results are
// converted by the column's type OID, from binary format where every column of a statement has a
// binary decoder here and from text format otherwise. Private to this folder.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "athanor/core/value.hpp"

namespace athanor::detail::pg {

using Oid = unsigned int;  // libpq's Oid (postgres_ext.h), without including the C headers here

// Built-in type OIDs (pg_type.dat); stable across server versions.
inline constexpr Oid kUnknownOid = 0;
inline constexpr Oid kBoolOid = 16;
inline constexpr Oid kByteaOid = 17;
inline constexpr Oid kCharOid = 18;
inline constexpr Oid kNameOid = 19;
inline constexpr Oid kInt8Oid = 20;
inline constexpr Oid kInt2Oid = 21;
inline constexpr Oid kInt4Oid = 23;
inline constexpr Oid kTextOid = 25;
inline constexpr Oid kOidOid = 26;
inline constexpr Oid kJsonOid = 114;
inline constexpr Oid kFloat4Oid = 700;
inline constexpr Oid kFloat8Oid = 701;
inline constexpr Oid kBpcharOid = 1042;
inline constexpr Oid kVarcharOid = 1043;
inline constexpr Oid kDateOid = 1082;
inline constexpr Oid kTimeOid = 1083;
inline constexpr Oid kTimestampOid = 1114;
inline constexpr Oid kTimestamptzOid = 1184;
inline constexpr Oid kNumericOid = 1700;
inline constexpr Oid kUuidOid = 2950;
inline constexpr Oid kJsonbOid = 3802;

// The OID a parameter holding `value` is prepared with (0 for null, strings and JSON).
Oid natural_oid(const Value& value) noexcept;

// Fills libpq's parallel parameter arrays (values, lengths, formats) for one execution. A value
// whose natural OID matches the OID the statement was prepared with travels in its natural form
// (mostly binary); any other value travels as text, which the server parses as the parameter's
// actual type (e.g. an int64 for a parameter the server inferred as integer). Buffers are reused
// across calls, so steady-state encoding does not allocate.
class ParamEncoder {
 public:
  // The arrays point into `params` and into this encoder: valid until the next encode() call
  // and while `params` is alive.
  void encode(std::span<const Value> params, std::span<const Oid> prepared_oids);

  int count() const noexcept { return static_cast<int>(values_.size()); }
  const char* const* values() const noexcept { return values_.data(); }
  const int* lengths() const noexcept { return lengths_.data(); }
  const int* formats() const noexcept { return formats_.data(); }

 private:
  void encode_natural(const Value& value, std::size_t i);
  void encode_text(const Value& value, std::size_t i);

  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
  static constexpr std::size_t kSlotSize = 24;
  std::vector<std::array<char, kSlotSize>>
      slots_;                       // fixed-width encodings (binary or integer text)
  std::vector<std::string> texts_;  // text encodings that need storage
};

// How a result column is turned into a Value, chosen once per column from its type OID.
enum class ColumnKind : std::uint8_t {
  kInteger,      // int2, int4, int8 -> int64
  kOid,          // oid (unsigned 32-bit) -> int64
  kFloat,        // float4, float8 -> double
  kBool,         // bool
  kNumeric,      // numeric -> Decimal
  kText,         // text, varchar, bpchar, name, "char" -> string
  kBytea,        // bytea -> Bytes
  kDate,         // date -> sys_days
  kTimestamp,    // timestamp -> LocalTimestamp
  kTimestamptz,  // timestamptz -> Timestamp (the session runs in UTC)
  kTime,         // time -> TimeOfDay
  kUuid,         // uuid -> UuidValue
  kJson,         // json -> JsonDocument
  kJsonb,        // jsonb -> JsonDocument
  kOther,        // any other type (interval, arrays, enums, ...) -> its text
};

ColumnKind column_kind(Oid type) noexcept;

// Whether decode_binary() understands the kind. A result is requested in binary format only
// when every column is such a kind (libpq takes one format for all columns).
bool binary_decodable(ColumnKind kind) noexcept;

// Converts the text form of one non-null column into `out`, reusing the string/byte buffer
// `out` already holds when the kinds match. Years BC become proleptic Gregorian years (1 BC is
// year 0); special values without a C++ counterpart (a date of 'infinity', a numeric NaN kept as
// Decimal "NaN") are kept as their text.
void decode_text(ColumnKind kind, const char* text, int length, Value& out);

// The big-endian unsigned integer in the `length` (at most 8) bytes at `data`.
inline std::uint64_t get_be(const char* data, int length) noexcept {
  std::uint64_t v = 0;
  for (int i = 0; i < length; ++i) v = (v << 8) | static_cast<unsigned char>(data[i]);
  return v;
}
// Same, signed: sign-extended from `length` bytes.
inline std::int64_t get_signed(const char* data, int length) noexcept {
  const std::uint64_t v = get_be(data, length);
  const int unused_bits = 64 - 8 * length;
  return static_cast<std::int64_t>(v << unused_bits) >> unused_bits;
}
// The binary form of an int2, int4 or int8; nullopt for another length.
inline std::optional<std::int64_t> binary_integer(const char* data, int length) noexcept {
  if (length != 2 && length != 4 && length != 8) return std::nullopt;
  return get_signed(data, length);
}
// The binary form of a float4 or float8; nullopt for another length.
inline std::optional<double> binary_float(const char* data, int length) noexcept {
  if (length == 8) return std::bit_cast<double>(get_be(data, 8));
  if (length == 4) {
    return static_cast<double>(std::bit_cast<float>(static_cast<std::uint32_t>(get_be(data, 4))));
  }
  return std::nullopt;
}

// Converts the binary form of one non-null column (a binary_decodable kind) into `out`.
// Infinite dates and timestamps become the text "infinity" / "-infinity", as in text results.
void decode_binary(ColumnKind kind, const char* data, int length, Value& out);

}  // namespace athanor::detail::pg
