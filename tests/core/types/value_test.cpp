// Unit tests for runtime Values: UUIDs, rendering, ISO 8601 text forms and typed reads.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "athanor/core/error.hpp"
#include "athanor/core/types.hpp"
#include "athanor/core/value.hpp"

namespace athanor {
namespace {

using namespace std::chrono_literals;
namespace chrono = std::chrono;

chrono::sys_days ymd(int y, unsigned m, unsigned d) {
  return chrono::sys_days{chrono::year{y} / chrono::month{m} / chrono::day{d}};
}

Timestamp utc(int y, unsigned m, unsigned d, chrono::microseconds time = 0us) {
  return Timestamp{ymd(y, m, d)} + time;
}

Bytes bytes_of(std::initializer_list<int> values) {
  Bytes out;
  for (int v : values) out.push_back(static_cast<std::byte>(v));
  return out;
}

// Runs `fn` and returns the ArgumentError message it throws ("" when it does not throw).
template <class F>
std::string argument_error(F&& fn) {
  try {
    fn();
  } catch (const ArgumentError& e) {
    return e.what();
  }
  return {};
}

// ---- UUID --------------------------------------------------------------------------------------

TEST(UuidValueTest, ParsesHyphenatedBareAndBracedForms) {
  const std::string canonical = "123e4567-e89b-12d3-a456-426614174000";
  UuidValue u = UuidValue::parse(canonical);
  EXPECT_EQ(u.bytes[0], 0x12);
  EXPECT_EQ(u.bytes[15], 0x00);
  EXPECT_EQ(u.to_string(), canonical);
  EXPECT_EQ(UuidValue::parse("123E4567E89B12D3A456426614174000"), u);
  EXPECT_EQ(UuidValue::parse("{123e4567-e89b-12d3-a456-426614174000}"), u);
}

TEST(UuidValueTest, RejectsMalformedText) {
  EXPECT_THROW(UuidValue::parse(""), ArgumentError);
  EXPECT_THROW(UuidValue::parse("123e4567-e89b-12d3-a456-42661417400"), ArgumentError);
  EXPECT_THROW(UuidValue::parse("123e4567-e89b-12d3-a456-42661417400g"), ArgumentError);
  EXPECT_THROW(UuidValue::parse("123e4567e-89b-12d3-a456-426614174000"), ArgumentError);
  EXPECT_EQ(argument_error([] { UuidValue::parse("nope"); }), "malformed UUID 'nope'");
}

// ---- kinds and rendering -----------------------------------------------------------------------

TEST(ValueTest, KindNamesEveryAlternative) {
  EXPECT_EQ(value_kind(Value{}), "null");
  EXPECT_EQ(value_kind(Value{true}), "boolean");
  EXPECT_EQ(value_kind(Value{std::int64_t{1}}), "integer");
  EXPECT_EQ(value_kind(Value{1.5}), "float");
  EXPECT_EQ(value_kind(Value{std::string("x")}), "text");
  EXPECT_EQ(value_kind(Value{Bytes{}}), "bytes");
  EXPECT_EQ(value_kind(Value{Decimal{"1"}}), "decimal");
  EXPECT_EQ(value_kind(Value{ymd(2024, 1, 2)}), "date");
  EXPECT_EQ(value_kind(Value{utc(2024, 1, 2)}), "timestamp");
  EXPECT_EQ(value_kind(Value{LocalTimestamp{}}), "local timestamp");
  EXPECT_EQ(value_kind(Value{TimeOfDay{}}), "time");
  EXPECT_EQ(value_kind(Value{UuidValue{}}), "uuid");
  EXPECT_EQ(value_kind(Value{JsonDocument{}}), "json");
  EXPECT_TRUE(is_null(Value{}));
  EXPECT_FALSE(is_null(Value{std::int64_t{0}}));
}

TEST(ValueTest, RendersValuesForLogs) {
  EXPECT_EQ(render_value(Value{}), "NULL");
  EXPECT_EQ(render_value(to_value(true)), "true");
  EXPECT_EQ(render_value(to_value(-7)), "-7");
  EXPECT_EQ(render_value(to_value(2.5)), "2.5");
  EXPECT_EQ(render_value(to_value("jan")), "'jan'");
  EXPECT_EQ(render_value(to_value(std::string(100, 'a')), 10), "'aaaaaaaaaa...'");
  EXPECT_EQ(render_value(Value{bytes_of({0x00, 0xab, 0xff})}), "x'00abff'");
  EXPECT_EQ(render_value(Value{bytes_of({1, 2, 3, 4, 5})}, 4), "x'0102'...");
  EXPECT_EQ(render_value(Value{Decimal{"12.50"}}), "12.50");
  EXPECT_EQ(render_value(Value{ymd(2024, 2, 29)}), "'2024-02-29'");
  EXPECT_EQ(render_value(Value{utc(2024, 2, 29, 1h)}), "'2024-02-29 01:00:00+00:00'");
  EXPECT_EQ(render_value(to_value(nlohmann::json{{"a", 1}})), R"({"a":1})");
}

TEST(ValueTest, RendersParameterListsTruncated) {
  EXPECT_EQ(render_values({}), "[]");
  EXPECT_EQ(render_values({to_value(1), to_value("a"), Value{}}), "[1, 'a', NULL]");
  std::vector<Value> many;
  for (int i = 0; i < 12; ++i) many.push_back(to_value(i));
  EXPECT_EQ(render_values(many, 3), "[0, 1, 2, ... (9 more)]");
}

// ---- ISO 8601 ----------------------------------------------------------------------------------

TEST(Iso8601Test, FormatsDatesAcrossTheWholeRange) {
  EXPECT_EQ(format_date(ymd(1970, 1, 1)), "1970-01-01");
  EXPECT_EQ(format_date(ymd(1969, 12, 31)), "1969-12-31");
  EXPECT_EQ(format_date(ymd(1, 1, 1)), "0001-01-01");
  EXPECT_EQ(format_date(ymd(9999, 12, 31)), "9999-12-31");
  EXPECT_EQ(format_date(ymd(2000, 2, 29)), "2000-02-29");
}

TEST(Iso8601Test, FormatsTimestampsBeforeAndAfterTheEpoch) {
  EXPECT_EQ(format_timestamp(utc(1970, 1, 1), false), "1970-01-01 00:00:00");
  EXPECT_EQ(format_timestamp(Timestamp{-1us}, false), "1969-12-31 23:59:59.999999");
  EXPECT_EQ(format_timestamp(utc(1900, 3, 4, 5h + 6min + 7s + 80us), true),
            "1900-03-04 05:06:07.000080+00:00");
  EXPECT_EQ(format_timestamp(utc(9999, 12, 31, 23h + 59min + 59s), false), "9999-12-31 23:59:59");
  EXPECT_EQ(format_local_timestamp(LocalTimestamp{utc(1, 1, 1, 12h).time_since_epoch()}),
            "0001-01-01 12:00:00");
  EXPECT_EQ(format_time(TimeOfDay{13h + 5min + 1s + 500000us}), "13:05:01.500000");
  EXPECT_EQ(format_time(TimeOfDay{0us}), "00:00:00");
}

TEST(Iso8601Test, ParsesDates) {
  EXPECT_EQ(parse_date("2024-02-29"), ymd(2024, 2, 29));
  EXPECT_EQ(parse_date("0001-01-01"), ymd(1, 1, 1));
  EXPECT_EQ(parse_date("1969-07-20"), ymd(1969, 7, 20));
  EXPECT_EQ(parse_date("2023-02-29"), std::nullopt);
  EXPECT_EQ(parse_date("0000-01-01"), std::nullopt);
  EXPECT_EQ(parse_date("2024-13-01"), std::nullopt);
  EXPECT_EQ(parse_date("2024-1-01"), std::nullopt);
  EXPECT_EQ(parse_date("2024-01-01x"), std::nullopt);
  EXPECT_EQ(parse_date(""), std::nullopt);
}

TEST(Iso8601Test, ParsesTimestampsWithSeparatorsAndFractions) {
  EXPECT_EQ(parse_timestamp("2024-01-02 03:04:05"), utc(2024, 1, 2, 3h + 4min + 5s));
  EXPECT_EQ(parse_timestamp("2024-01-02T03:04:05"), utc(2024, 1, 2, 3h + 4min + 5s));
  EXPECT_EQ(parse_timestamp("2024-01-02 03:04"), utc(2024, 1, 2, 3h + 4min));
  EXPECT_EQ(parse_timestamp("2024-01-02"), utc(2024, 1, 2));
  EXPECT_EQ(parse_timestamp("2024-01-02 03:04:05.5"), utc(2024, 1, 2, 3h + 4min + 5s + 500ms));
  EXPECT_EQ(parse_timestamp("2024-01-02 03:04:05.000001"), utc(2024, 1, 2, 3h + 4min + 5s + 1us));
  EXPECT_EQ(parse_timestamp("2024-01-02 03:04:05.1234567"), std::nullopt);
  EXPECT_EQ(parse_timestamp("2024-01-02 03:04:05."), std::nullopt);
  EXPECT_EQ(parse_timestamp("2024-01-02 24:00:00"), std::nullopt);
  EXPECT_EQ(parse_timestamp("2024-01-02 23:60:00"), std::nullopt);
  EXPECT_EQ(parse_timestamp("2024-01-02X03:04:05"), std::nullopt);
  EXPECT_EQ(parse_timestamp("1960-06-15 12:00:00.25"), utc(1960, 6, 15, 12h + 250ms));
}

TEST(Iso8601Test, ConvertsOffsetsToUtc) {
  const Timestamp noon = utc(2024, 6, 1, 12h);
  EXPECT_EQ(parse_timestamp("2024-06-01 12:00:00Z"), noon);
  EXPECT_EQ(parse_timestamp("2024-06-01T12:00:00+00"), noon);
  EXPECT_EQ(parse_timestamp("2024-06-01 14:00:00+02"), noon);
  EXPECT_EQ(parse_timestamp("2024-06-01 14:30:00+02:30"), noon);
  EXPECT_EQ(parse_timestamp("2024-06-01 14:30:00+0230"), noon);
  EXPECT_EQ(parse_timestamp("2024-06-01 06:30:00-05:30"), noon);
  // The offset moves the instant across a day (and a year) boundary.
  EXPECT_EQ(parse_timestamp("2024-01-01 01:00:00+02:00"), utc(2023, 12, 31, 23h));
  EXPECT_EQ(parse_timestamp("1969-12-31 22:00:00-03"), utc(1970, 1, 1, 1h));
  EXPECT_EQ(parse_timestamp("2024-06-01 12:00:00+2"), std::nullopt);
  EXPECT_EQ(parse_timestamp("2024-06-01 12:00:00+02:0"), std::nullopt);
  EXPECT_EQ(parse_timestamp("2024-06-01 12:00:00 +02"), std::nullopt);
  // Local timestamps with an offset are brought to UTC wall-clock time as well.
  EXPECT_EQ(parse_local_timestamp("2024-06-01 14:00:00+02"),
            LocalTimestamp{noon.time_since_epoch()});
}

TEST(Iso8601Test, ParsesTimesOfDay) {
  EXPECT_EQ(parse_time("13:05:01.5"), TimeOfDay{13h + 5min + 1s + 500ms});
  EXPECT_EQ(parse_time("00:00"), TimeOfDay{0us});
  EXPECT_EQ(parse_time("23:59:59.999999"), TimeOfDay{24h - 1us});
  EXPECT_EQ(parse_time("01:00:00+02"), TimeOfDay{23h});
  EXPECT_EQ(parse_time("25:00:00"), std::nullopt);
  EXPECT_EQ(parse_time("1:00:00"), std::nullopt);
}

TEST(Iso8601Test, RoundTripsEveryFewMonthsFromYearOneToTenThousand) {
  for (chrono::sys_days day = ymd(1, 1, 1); day <= ymd(9999, 12, 31); day += chrono::days{101}) {
    ASSERT_EQ(parse_date(format_date(day)), day);
    Timestamp ts = Timestamp{day} + 12h + 34min + 56s + 789us;
    ASSERT_EQ(parse_timestamp(format_timestamp(ts, true)), ts);
    ASSERT_EQ(parse_timestamp(format_timestamp(ts, false)), ts);
  }
}

// ---- typed reads -------------------------------------------------------------------------------

TEST(ValueFromTest, ReadsIntegersLeniently) {
  EXPECT_EQ(value_from<std::int64_t>(to_value(42)), 42);
  EXPECT_EQ(value_from<std::int64_t>(to_value(true)), 1);
  EXPECT_EQ(value_from<std::int64_t>(to_value(-3.0)), -3);
  EXPECT_EQ(value_from<std::int64_t>(to_value("-17")), -17);
  EXPECT_EQ(value_from<std::int64_t>(Value{Decimal{"6.000"}}), 6);
  EXPECT_EQ(value_from<int>(to_value(std::int64_t{-2147483648})), -2147483648);
  EXPECT_EQ(value_from<std::int64_t>(to_value("9223372036854775807")),
            std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(value_from<std::int64_t>(to_value("-9223372036854775808")),
            std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(value_from<std::int64_t>(to_value(-9223372036854775808.0)),
            std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(value_from<std::uint64_t>(Value{Decimal{"18446744073709551615"}}),
            std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(value_from<std::uint16_t>(to_value(65535)), 65535);
}

TEST(ValueFromTest, RejectsIntegersThatDoNotFit) {
  EXPECT_EQ(argument_error([] { value_from<std::int64_t>(to_value(1.5), "column 'n'"); }),
            "column 'n': cannot read float value as std::int64_t: it is not an integral number "
            "in range");
  EXPECT_THROW(value_from<std::int64_t>(to_value(9223372036854775808.0)), ArgumentError);
  EXPECT_THROW(value_from<std::int64_t>(to_value("9223372036854775808")), ArgumentError);
  EXPECT_THROW(value_from<std::int64_t>(Value{Decimal{"1.5"}}), ArgumentError);
  EXPECT_THROW(value_from<std::int64_t>(to_value("1e3")), ArgumentError);
  EXPECT_EQ(argument_error([] { value_from<std::int8_t>(to_value(300), "column 'n'"); }),
            "column 'n': value is out of range for integer of this width");
  EXPECT_THROW(value_from<std::uint32_t>(to_value(-1)), ArgumentError);
  EXPECT_EQ(argument_error([] { value_from<std::uint64_t>(to_value(-1), "column 'n'"); }),
            "column 'n': value is out of range for std::uint64_t");
  EXPECT_EQ(argument_error([] { value_from<std::int64_t>(to_value("abc"), "column 'n'"); }),
            "column 'n': cannot read text value as std::int64_t: 'abc' is not an integer in "
            "range");
  EXPECT_EQ(argument_error([] { value_from<std::int64_t>(Value{Bytes{}}, "column 'n'"); }),
            "column 'n': cannot read bytes value as std::int64_t");
}

TEST(ValueFromTest, ReadsBooleansFromBackendForms) {
  EXPECT_TRUE(value_from<bool>(to_value(true)));
  EXPECT_TRUE(value_from<bool>(to_value(1)));
  EXPECT_FALSE(value_from<bool>(to_value(0)));
  for (const char* yes : {"t", "true", "TRUE", "1"}) EXPECT_TRUE(value_from<bool>(to_value(yes)));
  for (const char* no : {"f", "false", "False", "0"}) EXPECT_FALSE(value_from<bool>(to_value(no)));
  EXPECT_THROW(value_from<bool>(to_value(2)), ArgumentError);
  EXPECT_THROW(value_from<bool>(to_value("yes")), ArgumentError);
  EXPECT_THROW(value_from<bool>(to_value(1.0)), ArgumentError);
}

TEST(ValueFromTest, ReadsDoublesFromNumbersAndText) {
  EXPECT_DOUBLE_EQ(value_from<double>(to_value(2.25)), 2.25);
  EXPECT_DOUBLE_EQ(value_from<double>(to_value(7)), 7.0);
  EXPECT_DOUBLE_EQ(value_from<double>(Value{Decimal{"-1.5"}}), -1.5);
  EXPECT_DOUBLE_EQ(value_from<double>(to_value("1e3")), 1000.0);
  EXPECT_FLOAT_EQ(value_from<float>(to_value(0.5)), 0.5f);
  EXPECT_THROW(value_from<double>(to_value("1.5x")), ArgumentError);
  EXPECT_THROW(value_from<double>(to_value(true)), ArgumentError);
}

TEST(ValueFromTest, ReadsDecimalsExactly) {
  EXPECT_EQ(value_from<Decimal>(Value{Decimal{"12.50"}}).text, "12.50");
  EXPECT_EQ(value_from<Decimal>(to_value("+12.50")).text, "12.50");
  EXPECT_EQ(value_from<Decimal>(to_value("-0.001")).text, "-0.001");
  EXPECT_EQ(value_from<Decimal>(to_value(-42)).text, "-42");
  EXPECT_EQ(value_from<Decimal>(to_value(0.1)).text, "0.1");
  EXPECT_EQ(value_from<Decimal>(to_value(1e20)).text, "100000000000000000000");
  EXPECT_EQ(value_from<Decimal>(to_value(1.5e-7)).text, "0.00000015");
  EXPECT_EQ(value_from<Decimal>(to_value(-2.5)).text, "-2.5");
  EXPECT_EQ(value_from<Decimal>(to_value(0.0)).text, "0");
  EXPECT_THROW(value_from<Decimal>(to_value("12,5")), ArgumentError);
  EXPECT_THROW(value_from<Decimal>(to_value(std::numeric_limits<double>::infinity())),
               ArgumentError);
}

TEST(ValueFromTest, ReadsStringsAndBytes) {
  EXPECT_EQ(value_from<std::string>(to_value("x")), "x");
  EXPECT_EQ(value_from<std::string>(Value{Decimal{"1.5"}}), "1.5");
  EXPECT_EQ(value_from<std::string>(Value{ymd(1999, 12, 31)}), "1999-12-31");
  EXPECT_EQ(value_from<std::string>(Value{bytes_of({'h', 'i'})}), "hi");
  EXPECT_EQ(argument_error([] { value_from<std::string>(to_value(5), "column 'name'"); }),
            "column 'name': cannot read integer value as std::string");
  EXPECT_EQ(value_from<Bytes>(Value{bytes_of({1, 2})}), bytes_of({1, 2}));
  EXPECT_EQ(value_from<Bytes>(to_value("ab")), bytes_of({'a', 'b'}));
  EXPECT_THROW(value_from<Bytes>(to_value(1)), ArgumentError);
}

TEST(ValueFromTest, ReadsDatesAndTimesFromText) {
  EXPECT_EQ(value_from<chrono::sys_days>(to_value("1969-07-20")), ymd(1969, 7, 20));
  EXPECT_EQ(value_from<chrono::sys_days>(to_value("1969-07-20 00:00:00")), ymd(1969, 7, 20));
  EXPECT_EQ(value_from<chrono::year_month_day>(Value{ymd(2024, 2, 29)}),
            chrono::year{2024} / 2 / 29);
  EXPECT_EQ(argument_error([] {
              value_from<chrono::sys_days>(to_value("1969-07-20 10:00:00"), "column 'd'");
            }),
            "column 'd': cannot read text value as std::chrono::sys_days: '1969-07-20 "
            "10:00:00' is not an ISO 8601 date");
  EXPECT_THROW(value_from<chrono::sys_days>(to_value(20240101)), ArgumentError);

  EXPECT_EQ(value_from<Timestamp>(to_value("2024-06-01T14:00:00+02:00")), utc(2024, 6, 1, 12h));
  EXPECT_EQ(value_from<Timestamp>(Value{LocalTimestamp{utc(1950, 1, 1).time_since_epoch()}}),
            utc(1950, 1, 1));
  EXPECT_EQ(value_from<Timestamp>(Value{ymd(2000, 1, 1)}), utc(2000, 1, 1));
  EXPECT_EQ(value_from<chrono::system_clock::time_point>(Value{utc(2000, 1, 1, 1us)}),
            utc(2000, 1, 1, 1us));
  EXPECT_EQ(value_from<LocalTimestamp>(Value{utc(1950, 1, 1, 1s)}),
            LocalTimestamp{utc(1950, 1, 1, 1s).time_since_epoch()});
  EXPECT_EQ(value_from<LocalTimestamp>(to_value("1950-01-01 00:00:01")),
            LocalTimestamp{utc(1950, 1, 1, 1s).time_since_epoch()});
  EXPECT_THROW(value_from<Timestamp>(to_value("yesterday")), ArgumentError);
  EXPECT_THROW(value_from<Timestamp>(to_value(0)), ArgumentError);

  EXPECT_EQ(value_from<TimeOfDay>(to_value("08:30:00")), TimeOfDay{8h + 30min});
  EXPECT_THROW(value_from<TimeOfDay>(to_value("8:30")), ArgumentError);
}

TEST(ValueFromTest, ReadsUuidsFromTextAndSixteenBytes) {
  const UuidValue u = UuidValue::parse("123e4567-e89b-12d3-a456-426614174000");
  EXPECT_EQ(value_from<UuidValue>(Value{u}), u);
  EXPECT_EQ(value_from<UuidValue>(to_value("123E4567E89B12D3A456426614174000")), u);
  Bytes raw;
  for (std::uint8_t b : u.bytes) raw.push_back(static_cast<std::byte>(b));
  EXPECT_EQ(value_from<UuidValue>(Value{raw}), u);
  EXPECT_EQ(value_from<Bytes>(Value{u}), raw);
  EXPECT_EQ(argument_error([] {
              value_from<UuidValue>(Value{bytes_of({1, 2, 3})}, "c");
            }),
            "c: cannot read bytes value as athanor::UuidValue: a UUID has 16 bytes, not 3");
  EXPECT_THROW(value_from<UuidValue>(to_value("not-a-uuid")), ArgumentError);
}

TEST(ValueFromTest, ReadsJsonFromDocumentsTextAndScalars) {
  const nlohmann::json doc = {{"a", {1, 2}}, {"b", nullptr}};
  EXPECT_EQ(value_from<nlohmann::json>(to_value(doc)), doc);
  EXPECT_EQ(value_from<nlohmann::json>(to_value(R"({"a":[1,2],"b":null})")), doc);
  EXPECT_EQ(value_from<JsonDocument>(to_value("[1]")).document, nlohmann::json::array({1}));
  EXPECT_EQ(value_from<nlohmann::json>(to_value(3)), nlohmann::json(3));
  EXPECT_EQ(argument_error([] { value_from<nlohmann::json>(to_value("{oops"), "c"); }),
            "c: cannot read text value as nlohmann::json: '{oops' is not a JSON document");
  EXPECT_EQ(argument_error([] { value_from<JsonDocument>(to_value("{oops"), "c"); }),
            "c: cannot read text value as athanor::JsonDocument: '{oops' is not a JSON "
            "document");
}

TEST(ValueFromTest, NullNeedsAnOptional) {
  EXPECT_EQ(value_from<std::optional<std::string>>(Value{}), std::nullopt);
  EXPECT_EQ(value_from<std::optional<std::int64_t>>(to_value(5)), 5);
  EXPECT_EQ(argument_error([] { value_from<std::string>(Value{}, "column 'name'"); }),
            "column 'name': is NULL; read it as std::optional<std::string>");
  EXPECT_EQ(argument_error([] { value_from<int>(Value{}, "column 'n'"); }),
            "column 'n': is NULL; read it as std::optional<std::int64_t>");
  EXPECT_EQ(argument_error([] { value_from<JsonDocument>(Value{}, "c"); }),
            "c: is NULL; read it as std::optional<athanor::JsonDocument>");
}

TEST(ValueFromTest, ToValueRoundTrips) {
  EXPECT_EQ(value_from<std::optional<int>>(to_value(std::optional<int>{})), std::nullopt);
  EXPECT_EQ(value_from<std::string>(to_value(std::string_view("sv"))), "sv");
  EXPECT_EQ(value_from<chrono::sys_days>(to_value(chrono::year{1} / 1 / 1)), ymd(1, 1, 1));
}

TEST(ValueFromTest, SystemClockTimePointsAndTheirOptionals) {
  using TimePoint = chrono::system_clock::time_point;
  const TimePoint t = TimePoint{ymd(2040, 1, 1)} + 1us;
  EXPECT_EQ(to_value(t), Value{utc(2040, 1, 1, 1us)});
  EXPECT_EQ(to_value(std::optional<TimePoint>{t}), Value{utc(2040, 1, 1, 1us)});
  EXPECT_EQ(to_value(std::optional<TimePoint>{}), Value{});
  EXPECT_EQ(value_from<TimePoint>(Value{utc(2040, 1, 1, 1us)}), t);
  EXPECT_EQ(value_from<std::optional<TimePoint>>(Value{utc(2040, 1, 1, 1us)}), t);
  EXPECT_EQ(value_from<std::optional<TimePoint>>(Value{}), std::nullopt);
  // Floored, not truncated towards the epoch: 1 ns before 1970 is in 1969.
  EXPECT_EQ(to_value(TimePoint{} - 1ns), Value{utc(1969, 12, 31, 23h + 59min + 59s + 999999us)});
  // system_clock's span ends in 1677 and 2262; Timestamp's goes on, and the read says so.
  const TimePoint latest{chrono::floor<chrono::microseconds>(TimePoint::max())};
  EXPECT_EQ(value_from<TimePoint>(to_value(latest)), latest);
  const std::string message = [] {
    try {
      (void)value_from<TimePoint>(Value{utc(9999, 12, 31)}, "column 'at'");
    } catch (const ArgumentError& e) {
      return std::string(e.what());
    }
    return std::string("nothing thrown");
  }();
  EXPECT_EQ(message,
            "column 'at': '9999-12-31 00:00:00+00:00' is out of range for "
            "std::chrono::system_clock::time_point (1677-09-21 00:12:43.145225 to "
            "2262-04-11 23:47:16.854775 UTC); read it as athanor::Timestamp, which holds every "
            "instant of the years 1 to 9999");
  EXPECT_THROW((void)value_from<TimePoint>(Value{utc(1, 1, 1)}), ArgumentError);
}

TEST(ToValueTest, UnsignedValuesAboveInt64MaxAreRefused) {
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(to_value(kMax), Value{std::numeric_limits<std::int64_t>::max()});
  try {
    (void)to_value(kMax + 1);
    FAIL() << "2^63 was converted";
  } catch (const ArgumentError& e) {
    EXPECT_EQ(std::string(e.what()),
              "unsigned value 9223372036854775808 is above INT64_MAX (9223372036854775807), the "
              "largest value an SQL integer column holds");
  }
  EXPECT_THROW((void)to_value(std::optional<std::uint64_t>{~std::uint64_t{0}}), ArgumentError);
}

// ---- type names --------------------------------------------------------------------------------

TEST(TypeNameTest, SpellsGenericNames) {
  EXPECT_EQ(type_name(Integer{}), "INTEGER");
  EXPECT_EQ(type_name(BigInteger{}), "BIGINT");
  EXPECT_EQ(type_name(SmallInteger{}), "SMALLINT");
  EXPECT_EQ(type_name(Boolean{}), "BOOLEAN");
  EXPECT_EQ(type_name(Float{}), "FLOAT");
  EXPECT_EQ(type_name(Double{}), "DOUBLE");
  EXPECT_EQ(type_name(Numeric{10, 2}), "NUMERIC(10, 2)");
  EXPECT_EQ(type_name(Numeric{10, std::nullopt}), "NUMERIC(10)");
  EXPECT_EQ(type_name(Numeric{}), "NUMERIC");
  EXPECT_EQ(type_name(String{255}), "VARCHAR(255)");
  EXPECT_EQ(type_name(String{}), "VARCHAR");
  EXPECT_EQ(type_name(Text{}), "TEXT");
  EXPECT_EQ(type_name(Date{}), "DATE");
  EXPECT_EQ(type_name(DateTime{}), "DATETIME");
  EXPECT_EQ(type_name(DateTime{true}), "DATETIME(timezone=True)");
  EXPECT_EQ(type_name(Time{}), "TIME");
  EXPECT_EQ(type_name(LargeBinary{}), "BLOB");
  EXPECT_EQ(type_name(JSON{}), "JSON");
  EXPECT_EQ(type_name(Uuid{}), "UUID");
  EXPECT_EQ(type_name(Enum{{"a", "it's"}, ""}), "ENUM('a', 'it''s')");
  EXPECT_TRUE(is_integer_type(BigInteger{}));
  EXPECT_FALSE(is_integer_type(Numeric{}));
}

}  // namespace
}  // namespace athanor
