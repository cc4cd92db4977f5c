// Compliance: every generic type round-trips through Core insert() and select() on every backend.
// Each value is written in one transaction and read back on a fresh connection, so what is
// checked is what the database stored, not a value cached on the client. Also: NULL as
// std::optional, and reading a value as the wrong C++ type raising ArgumentError naming the
// column.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "tests/compliance/fixture.hpp"

namespace athanor::testing {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_days;
using std::chrono::year;

Timestamp instant(int y, unsigned m, unsigned d, std::chrono::microseconds time_of_day) {
  return Timestamp{sys_days{year{y} / m / d}} + time_of_day;
}

LocalTimestamp wall_clock(int y, unsigned m, unsigned d, std::chrono::microseconds time_of_day) {
  return LocalTimestamp{sys_days{year{y} / m / d}.time_since_epoch()} + time_of_day;
}

class TypesTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    table_ = &metadata_.table(
        "typed", {
                     Column("id", Integer{}, {.primary_key = true, .autoincrement = false}),
                     Column("big", BigInteger{}),
                     Column("int32", Integer{}),
                     Column("small", SmallInteger{}),
                     Column("flag", Boolean{}),
                     Column("single", Float{}),
                     Column("dbl", Double{}),
                     Column("money", Numeric{10, 2}),
                     Column("exact", Numeric{15, 4}),
                     Column("name", String{200}),
                     Column("body", Text{}),
                     Column("day", Date{}),
                     Column("at", DateTime{}),
                     Column("at_tz", DateTime{true}),
                     Column("clock", Time{}),
                     Column("data", LargeBinary{}),
                     Column("doc", JSON{}),
                     Column("uid", Uuid{}),
                     Column("status", Enum{{"draft", "published"}, "typed_status"}),
                 });
    metadata_.create_all(engine());
    clear_statements();
  }

  // Inserts a row with `column` = `value` and reads the column back on another connection.
  template <class Read, class Write>
  Read round_trip_as(const std::string& column, const Write& value) {
    const int id = ++last_id_;
    {
      auto conn = engine().connect();
      conn.execute(insert(*table_).values({{"id", id}, {column, value}}));
      conn.commit();
    }
    auto conn = engine().connect();
    return conn.execute(select(table_->c(column)).where(table_->c("id") == id)).scalar<Read>();
  }
  template <class T>
  T round_trip(const std::string& column, const T& value) {
    return round_trip_as<T>(column, value);
  }

  MetaData metadata_;
  Table* table_ = nullptr;
  int last_id_ = 0;
};

TEST_F(TypesTest, Integers) {
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(round_trip("big", kMin), kMin);
  EXPECT_EQ(round_trip("big", kMax), kMax);
  EXPECT_EQ(round_trip("big", std::int64_t{0}), 0);
  EXPECT_EQ(round_trip("int32", std::numeric_limits<std::int32_t>::min()),
            std::numeric_limits<std::int32_t>::min());
  EXPECT_EQ(round_trip("int32", std::numeric_limits<std::int32_t>::max()),
            std::numeric_limits<std::int32_t>::max());
  EXPECT_EQ(round_trip("small", std::int16_t{-32768}), -32768);
  EXPECT_EQ(round_trip("small", std::int16_t{32767}), 32767);
  // Read back into a narrower or unsigned C++ type when the value fits.
  EXPECT_EQ((round_trip_as<std::uint8_t>("big", std::int64_t{255})), 255);
  EXPECT_EQ((round_trip_as<std::uint64_t>("big", kMax)), static_cast<std::uint64_t>(kMax));
}

TEST_F(TypesTest, ReadingAnIntegerIntoATooNarrowTypeIsAnError) {
  EXPECT_THROW((round_trip_as<std::int16_t>("big", std::int64_t{70000})), ArgumentError);
  EXPECT_THROW((round_trip_as<std::uint32_t>("big", std::int64_t{-1})), ArgumentError);
}

TEST_F(TypesTest, FloatingPoint) {
  for (double v : {0.0, -0.5, 0.1, 3.141592653589793, 1e300, -1e-300,
                   std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest(),
                   std::numeric_limits<double>::min(), std::numeric_limits<double>::epsilon()}) {
    EXPECT_EQ(round_trip("dbl", v), v);
  }
  for (float v : {0.0F, 1.5F, 0.1F, -2.75e-10F, std::numeric_limits<float>::max()}) {
    EXPECT_EQ(round_trip("single", v), v);
  }
}

TEST_F(TypesTest, Booleans) {
  EXPECT_TRUE(round_trip("flag", true));
  EXPECT_FALSE(round_trip("flag", false));
  // And they can be filtered on with a bound boolean.
  auto conn = engine().connect();
  EXPECT_EQ(
      conn.execute(select(func::count()).select_from(*table_).where(table_->c("flag") == true))
          .scalar<std::int64_t>(),
      1);
}

TEST_F(TypesTest, NumericIsExact) {
  // Values that binary floating point cannot hold exactly, at the full declared scale.
  for (const char* text : {"0.10", "0.20", "0.30", "-12.34", "99999999.99", "0.01", "-0.99"}) {
    EXPECT_EQ(round_trip("money", Decimal{text}), Decimal{text}) << text;
  }
  for (const char* text : {"12345678901.2345", "-99999999999.9999", "0.0001", "1.1000"}) {
    EXPECT_EQ(round_trip("exact", Decimal{text}), Decimal{text}) << text;
  }
  // A value given with fewer decimals comes back at the column's scale.
  EXPECT_EQ(round_trip("money", Decimal{"7"}), Decimal{"7.00"});
  EXPECT_EQ(round_trip("money", Decimal{"2.5"}), Decimal{"2.50"});
  // Readable as a double, too.
  EXPECT_EQ((round_trip_as<double>("money", Decimal{"12.25"})), 12.25);
}

TEST_F(TypesTest, UnicodeAndControlCharacters) {
  const std::vector<std::string> texts = {
      "",
      "plain ascii",
      "caf\xC3\xA9 na\xC3\xAFve \xC3\x85ngstr\xC3\xB6m",                     // Latin-1 range
      "\xE4\xB8\xAD\xE6\x96\x87 \xD0\xA0\xD1\x83\xD1\x81 \xD8\xB9\xD8\xB1",  // CJK, Cyrillic,
                                                                             // Arabic
      "emoji \xF0\x9F\x98\x80\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD \xF0\x9F\x87\xA7\xF0\x9F\x87\xAA",
      "e\xCC\x81 combining",
      "quotes ' \" ` and backslash \\ and percent % and underscore _",
      "'; DROP TABLE typed; --",
      "\x01\x02\x07\x08\t\n\v\f\r\x1b\x1f\x7f control characters",
      "trailing spaces   ",
  };
  for (const std::string& text : texts) {
    EXPECT_EQ(round_trip("name", text), text);
    EXPECT_EQ(round_trip("body", text), text);
  }
  std::string long_text;
  for (int i = 0; i < 20000; ++i) long_text += "line " + std::to_string(i) + " \xE2\x82\xAC\n";
  EXPECT_EQ(round_trip("body", long_text), long_text);
}

TEST_F(TypesTest, BinaryWithZeroBytes) {
  Bytes every_byte;
  for (int i = 0; i < 4096; ++i) every_byte.push_back(static_cast<std::byte>(i % 256));
  EXPECT_EQ(round_trip("data", every_byte), every_byte);
  const Bytes zeros(100, std::byte{0});
  EXPECT_EQ(round_trip("data", zeros), zeros);
  EXPECT_EQ(round_trip("data", Bytes{}), Bytes{});
  EXPECT_FALSE((round_trip_as<std::optional<Bytes>>("data", Bytes{})) == std::nullopt)
      << "an empty blob must not read back as NULL";
}

TEST_F(TypesTest, Dates) {
  for (sys_days day : {sys_days{year{1969} / 7 / 20}, sys_days{year{1900} / 2 / 28},
                       sys_days{year{1970} / 1 / 1}, sys_days{year{2000} / 2 / 29},
                       sys_days{year{1000} / 1 / 1}, sys_days{year{9999} / 12 / 31}}) {
    EXPECT_EQ(round_trip("day", day), day);
  }
  EXPECT_EQ((round_trip_as<std::chrono::year_month_day>("day", year{1955} / 11 / 5)),
            year{1955} / 11 / 5);
}

TEST_F(TypesTest, TimestampsWithoutTimeZone) {
  for (LocalTimestamp t :
       {wall_clock(2024, 2, 29, 13h + 5min + 7s + 123456us),
        wall_clock(1969, 12, 31, 23h + 59min + 59s + 999999us), wall_clock(1900, 1, 1, 0us),
        wall_clock(2038, 1, 19, 3h + 14min + 8s), wall_clock(9999, 12, 31, 23h + 59min + 59s)}) {
    EXPECT_EQ(round_trip("at", t), t);
  }
}

TEST_F(TypesTest, TimestampsWithTimeZoneKeepTheInstant) {
  for (Timestamp t : {instant(2024, 6, 30, 23h + 59min + 59s + 999999us), instant(1970, 1, 2, 0us),
                      instant(2001, 9, 9, 1h + 46min + 40s + 1us)}) {
    EXPECT_EQ(round_trip("at_tz", t), t);
  }
  // 12:00 at +05:30 is 06:30 UTC, whatever the session's time zone.
  std::optional<Timestamp> india = parse_timestamp("2024-03-01T12:00:00.250000+05:30");
  ASSERT_TRUE(india.has_value());
  const Timestamp read = round_trip("at_tz", *india);
  EXPECT_EQ(read, instant(2024, 3, 1, 6h + 30min + 250ms));
  EXPECT_EQ((round_trip_as<std::chrono::system_clock::time_point>("at_tz", *india)),
            std::chrono::system_clock::time_point(*india));
}

// The whole range of Date and DateTime, with and without a time zone: year 1 to the last
// microsecond of 9999, instants before 1970, around 2038 (where a 32-bit TIMESTAMP ends) and
// 2106 (where an unsigned one does).
TEST_F(TypesTest, DatesAndTimestampsKeepTheirWholeRange) {
  for (sys_days day : {sys_days{year{1} / 1 / 1}, sys_days{year{1} / 12 / 31},
                       sys_days{year{1582} / 10 / 4}, sys_days{year{9999} / 12 / 31}}) {
    EXPECT_EQ(round_trip("day", day), day);
  }
  struct Moment {
    int y;
    unsigned m, d;
    std::chrono::microseconds time_of_day;
  };
  for (const Moment& t :
       {Moment{1, 1, 1, 0us}, Moment{1, 1, 1, 23h + 59min + 59s + 999999us},
        Moment{1969, 12, 31, 23h + 59min + 59s + 999999us}, Moment{1970, 1, 1, 1us},
        Moment{2038, 1, 19, 3h + 14min + 7s}, Moment{2038, 1, 19, 3h + 14min + 8s + 1us},
        Moment{2106, 2, 7, 6h}, Moment{9999, 12, 31, 23h + 59min + 59s + 999999us}}) {
    const Timestamp at = instant(t.y, t.m, t.d, t.time_of_day);
    EXPECT_EQ(round_trip("at_tz", at), at) << format_timestamp(at, true);
    const LocalTimestamp local = wall_clock(t.y, t.m, t.d, t.time_of_day);
    EXPECT_EQ(round_trip("at", local), local) << format_local_timestamp(local);
  }
}

// std::chrono::system_clock::time_point, as a value and as an optional: floored to microseconds,
// and read back only when it fits system_clock's range (1677 to 2262).
TEST_F(TypesTest, SystemClockTimePointsAndTheirOptionals) {
  using TimePoint = std::chrono::system_clock::time_point;
  const TimePoint expiry = TimePoint{sys_days{year{2040} / 1 / 1}} + 12h + 1us;
  EXPECT_EQ(round_trip("at_tz", expiry), expiry);
  EXPECT_EQ((round_trip_as<std::optional<TimePoint>>("at_tz", std::optional<TimePoint>{expiry})),
            expiry);
  EXPECT_EQ((round_trip_as<std::optional<TimePoint>>("at_tz", std::optional<TimePoint>{})),
            std::nullopt);
  // 500 ns before 1970 is the microsecond before it, not the epoch.
  const TimePoint before_epoch = TimePoint{} - 500ns;
  EXPECT_EQ(round_trip("at_tz", before_epoch), TimePoint{} - 1us);
  const TimePoint earliest{std::chrono::ceil<std::chrono::microseconds>(TimePoint::min())};
  const TimePoint latest{std::chrono::floor<std::chrono::microseconds>(TimePoint::max())};
  EXPECT_EQ(round_trip("at_tz", earliest), earliest);
  EXPECT_EQ(round_trip("at_tz", latest), latest);

  // Year 1 is stored, but is no system_clock time point: the error names the column and says
  // what to read it as.
  const Timestamp year_one = instant(1, 1, 1, 0us);
  EXPECT_EQ(round_trip("at_tz", year_one), year_one);
  auto conn = engine().connect();
  Row row = conn.execute(select(table_->c("at_tz")).where(table_->c("id") == last_id_)).one();
  try {
    (void)row.get<std::optional<TimePoint>>("at_tz");
    FAIL() << "year 1 was read as a system_clock time point";
  } catch (const ArgumentError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("'at_tz'"), std::string::npos) << message;
    EXPECT_NE(message.find("0001-01-01"), std::string::npos) << message;
    EXPECT_NE(message.find("athanor::Timestamp"), std::string::npos) << message;
  }
}

// Every C++ type Core documents, and its std::optional, at its extremes: value, optional value
// and empty optional (NULL) each stored and read back.
TEST_F(TypesTest, EveryTypeAndItsOptionalAtTheirExtremes) {
  auto check = [this](const std::string& column, const auto& value) {
    using T = std::decay_t<decltype(value)>;
    SCOPED_TRACE(column + " = " + render_value(to_value(value)));
    EXPECT_EQ(round_trip(column, value), value);
    EXPECT_EQ((round_trip_as<std::optional<T>>(column, std::optional<T>{value})), value);
    EXPECT_EQ((round_trip_as<std::optional<T>>(column, std::optional<T>{})), std::nullopt);
  };
  check("flag", true);
  check("flag", false);
  check("small", std::numeric_limits<std::int8_t>::min());
  check("small", std::numeric_limits<std::int8_t>::max());
  check("small", std::numeric_limits<std::uint8_t>::max());
  check("small", std::numeric_limits<std::int16_t>::min());
  check("small", std::numeric_limits<std::int16_t>::max());
  check("int32", std::numeric_limits<std::uint16_t>::max());
  check("int32", std::numeric_limits<std::int32_t>::min());
  check("int32", std::numeric_limits<std::int32_t>::max());
  check("big", std::numeric_limits<std::uint32_t>::max());
  check("big", std::numeric_limits<std::int64_t>::min());
  check("big", std::numeric_limits<std::int64_t>::max());
  check("big", static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
  check("single", std::numeric_limits<float>::lowest());
  check("single", std::numeric_limits<float>::max());
  check("single", std::numeric_limits<float>::min());
  check("dbl", std::numeric_limits<double>::lowest());
  check("dbl", std::numeric_limits<double>::max());
  check("dbl", std::numeric_limits<double>::min());
  check("dbl", -0.1);
  check("money", Decimal{"-99999999.99"});
  check("exact", Decimal{"-99999999999.9999"});  // 15 digits: all SQLite's NUMERIC keeps
  check("name", std::string());
  check("name", std::string(200, 'n'));
  check("name", std::string("\xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80 \xC3\xA9"));
  check("body", std::string());
  check("body", std::string("Zo\xC3\xAB \xE2\x9C\x93\n") + std::string(70000, 'b'));
  check("day", sys_days{year{1} / 1 / 1});
  check("day", sys_days{year{9999} / 12 / 31});
  check("day", std::chrono::year_month_day{year{1} / 1 / 1});
  check("day", std::chrono::year_month_day{year{9999} / 12 / 31});
  check("at", wall_clock(1, 1, 1, 0us));
  check("at", wall_clock(9999, 12, 31, 23h + 59min + 59s + 999999us));
  check("at_tz", instant(1, 1, 1, 0us));
  check("at_tz", instant(9999, 12, 31, 23h + 59min + 59s + 999999us));
  check("at_tz", std::chrono::system_clock::time_point{sys_days{year{1900} / 1 / 1}} + 1us);
  check("clock", TimeOfDay{0us});
  check("clock", TimeOfDay{23h + 59min + 59s + 999999us});
  check("data", Bytes{});
  check("data", Bytes{std::byte{0}, std::byte{0xff}});
  check("doc", nlohmann::json::object());
  check("doc", nlohmann::json{{"k", "\xC3\xA9"}, {"n", nullptr}});
  check("doc", JsonDocument{nlohmann::json::array()});
  check("uid", UuidValue{});
  check("uid", UuidValue::parse("ffffffff-ffff-ffff-ffff-ffffffffffff"));
  check("status", std::string("draft"));
}

// A date or time the backend cannot store is refused with a DataError naming the value, never
// stored clamped, as zero, or as text no reader takes back. PostgreSQL's own range reaches the
// year 294276, so there the value is kept.
TEST_F(TypesTest, DatesBeyondTheBackendsRangeAreRefusedByName) {
  const Timestamp year_10000 = instant(10000, 1, 1, 0us);
  const sys_days day_10000{year{10000} / 1 / 1};
  if (backend() == "postgresql") {
    EXPECT_EQ(round_trip("at_tz", year_10000), year_10000);
    EXPECT_EQ(round_trip("day", day_10000), day_10000);
    return;
  }
  auto expect_refused = [&](const std::string& column, const Value& value,
                            const std::string& shown) {
    auto conn = engine().connect();
    try {
      conn.execute(insert(*table_).values({{"id", ++last_id_}, {column, value}}));
      ADD_FAILURE() << column << " = " << shown << " was stored";
    } catch (const DataError& e) {
      EXPECT_EQ(e.sqlstate(), "22008") << e.what();
      EXPECT_NE(e.message().find(shown), std::string::npos) << e.what();
    }
    conn.rollback();
  };
  expect_refused("at_tz", Value{year_10000}, "10000-01-01 00:00:00");
  expect_refused("at", Value{LocalTimestamp{year_10000.time_since_epoch()}},
                 "10000-01-01 00:00:00");
  expect_refused("day", Value{day_10000}, "10000-01-01");
  auto conn = engine().connect();
  EXPECT_EQ(conn.execute(select(func::count()).select_from(*table_)).scalar<std::int64_t>(), 0);
}

TEST_F(TypesTest, AnUnsignedValueAboveInt64MaxIsRefused) {
  auto conn = engine().connect();
  try {
    conn.execute(
        insert(*table_).values({{"id", 1}, {"big", std::numeric_limits<std::uint64_t>::max()}}));
    FAIL() << "an unsigned value above INT64_MAX was stored";
  } catch (const ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("18446744073709551615"), std::string::npos) << e.what();
  }
}

TEST_F(TypesTest, TimesOfDay) {
  for (TimeOfDay t : {TimeOfDay{0us}, TimeOfDay{23h + 59min + 59s + 999999us},
                      TimeOfDay{12h + 34min + 56s + 1us}, TimeOfDay{9h + 5min}}) {
    EXPECT_EQ(round_trip("clock", t), t);
  }
}

TEST_F(TypesTest, Json) {
  const nlohmann::json document = {
      {"name", "Jan \xF0\x9F\x98\x80"},
      {"tags", {"a", "b", nullptr}},
      {"nested", {{"depth", 2}, {"ok", true}, {"ratio", 0.5}}},
      {"quote", "\"'\\"},
      {"big", std::int64_t{1} << 53},
  };
  EXPECT_EQ(round_trip("doc", document), document);
  EXPECT_EQ(round_trip("doc", nlohmann::json::array({1, 2, 3})), nlohmann::json::array({1, 2, 3}));
  EXPECT_EQ(round_trip("doc", nlohmann::json::object()), nlohmann::json::object());
  EXPECT_EQ(round_trip("doc", JsonDocument{nlohmann::json("just text")}),
            JsonDocument{nlohmann::json("just text")});
}

TEST_F(TypesTest, Uuids) {
  const UuidValue uuid = UuidValue::parse("123E4567-E89B-12D3-A456-426614174000");
  EXPECT_EQ(round_trip("uid", uuid), uuid);
  EXPECT_EQ((round_trip_as<std::string>("uid", uuid)), "123e4567-e89b-12d3-a456-426614174000");
  const UuidValue nil{};
  EXPECT_EQ(round_trip("uid", nil), nil);
}

TEST_F(TypesTest, EnumsKeepTheirLabelsAndRejectOthers) {
  EXPECT_EQ(round_trip("status", std::string("published")), "published");
  auto conn = engine().connect();
  EXPECT_THROW(conn.execute(insert(*table_).values({{"id", 999}, {"status", "bogus"}})),
               DBAPIError);
  conn.rollback();
}

TEST_F(TypesTest, NullReadsAsEmptyOptional) {
  {
    auto conn = engine().connect();
    conn.execute(insert(*table_).values({{"id", 1}}));  // every other column NULL
    conn.execute(insert(*table_).values({{"id", 2},
                                         {"big", std::optional<std::int64_t>{}},
                                         {"name", std::optional<std::string>{"set"}}}));
    conn.commit();
  }
  auto conn = engine().connect();
  Row row = conn.execute(select(*table_).where(table_->c("id") == 1)).one();
  EXPECT_EQ(row.get<std::optional<std::int64_t>>("big"), std::nullopt);
  EXPECT_EQ(row.get<std::optional<bool>>("flag"), std::nullopt);
  EXPECT_EQ(row.get<std::optional<double>>("dbl"), std::nullopt);
  EXPECT_EQ(row.get<std::optional<Decimal>>("money"), std::nullopt);
  EXPECT_EQ(row.get<std::optional<std::string>>("name"), std::nullopt);
  EXPECT_EQ(row.get<std::optional<Bytes>>("data"), std::nullopt);
  EXPECT_EQ(row.get<std::optional<sys_days>>("day"), std::nullopt);
  EXPECT_EQ(row.get<std::optional<LocalTimestamp>>("at"), std::nullopt);
  EXPECT_EQ(row.get<std::optional<Timestamp>>("at_tz"), std::nullopt);
  EXPECT_EQ(row.get<std::optional<TimeOfDay>>("clock"), std::nullopt);
  EXPECT_EQ(row.get<std::optional<nlohmann::json>>("doc"), std::nullopt);
  EXPECT_EQ(row.get<std::optional<UuidValue>>("uid"), std::nullopt);
  EXPECT_TRUE(is_null(row["status"]));

  Row second = conn.execute(select(*table_).where(table_->c("id") == 2)).one();
  EXPECT_EQ(second.get<std::optional<std::int64_t>>("big"), std::nullopt);
  EXPECT_EQ(second.get<std::optional<std::string>>("name"), "set");

  // NULL into a non-optional type is an error that says what to do.
  try {
    (void)row.get<std::int64_t>("big");
    FAIL() << "NULL was read as an integer";
  } catch (const ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("'big'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("std::optional"), std::string::npos) << e.what();
  }
  // A NULL compares with IS NULL, not "= NULL".
  EXPECT_EQ(
      conn.execute(select(func::count()).select_from(*table_).where(table_->c("big").is_null()))
          .scalar<std::int64_t>(),
      2);
}

TEST_F(TypesTest, WrongTypeReadNamesTheColumn) {
  {
    auto conn = engine().connect();
    conn.execute(insert(*table_).values({{"id", 1},
                                         {"name", "not a number"},
                                         {"data", Bytes{std::byte{1}}},
                                         {"day", sys_days{year{2020} / 1 / 1}}}));
    conn.commit();
  }
  auto conn = engine().connect();
  Row row = conn.execute(select(table_->c("name"), table_->c("data"), table_->c("day"))
                             .where(table_->c("id") == 1))
                .one();
  auto expect_argument_error = [](auto read, const std::string& column) {
    try {
      read();
      ADD_FAILURE() << "reading column " << column << " as the wrong type succeeded";
    } catch (const ArgumentError& e) {
      EXPECT_NE(std::string(e.what()).find("'" + column + "'"), std::string::npos) << e.what();
    }
  };
  expect_argument_error([&] { (void)row.get<std::int64_t>("name"); }, "name");
  expect_argument_error([&] { (void)row.get<UuidValue>("name"); }, "name");
  expect_argument_error([&] { (void)row.get<double>(0); }, "name");
  expect_argument_error([&] { (void)row.get<std::int64_t>("data"); }, "data");
  expect_argument_error([&] { (void)row.get<TimeOfDay>("day"); }, "day");
  EXPECT_THROW((void)row.get<std::string>("no_such_column"), ArgumentError);
}

// Result::as<T> reads a streamed row column by column into the aggregate's fields: exact types
// directly, everything else converted as Row::get would, with the same errors.
struct TypedRow {
  std::int64_t id;
  int small;
  bool flag;
  double dbl;
  double money;
  std::string name;
  std::optional<std::string> body;
  Decimal exact;
  std::string uid;
};
struct TooFewFields {
  std::int64_t id;
};
struct NameAsNumber {
  std::int64_t id;
  std::int64_t name;
};

TEST_F(TypesTest, AsReadsEachColumnIntoItsField) {
  {
    auto conn = engine().connect();
    conn.execute(
        insert(*table_),
        std::vector<Params>{{{"id", 1},
                             {"small", 7},
                             {"flag", true},
                             {"dbl", 2.0},
                             {"money", Decimal{"12.25"}},
                             {"name", "first"},
                             {"body", nullptr},
                             {"exact", Decimal{"3.1250"}},
                             {"uid", UuidValue::parse("123e4567-e89b-12d3-a456-426614174000")}},
                            {{"id", 2},
                             {"small", -3},
                             {"flag", false},
                             {"dbl", 0.5},
                             {"money", Decimal{"-1.00"}},
                             {"name", std::string(100, 'n')},
                             {"body", "text"},
                             {"exact", Decimal{"0.0001"}},
                             {"uid", UuidValue::parse("00000000-0000-0000-0000-000000000001")}}});
    conn.commit();
  }
  auto conn = engine().connect();
  const auto columns = select(table_->c("id"), table_->c("small"), table_->c("flag"),
                              table_->c("dbl"), table_->c("money"), table_->c("name"),
                              table_->c("body"), table_->c("exact"), table_->c("uid"))
                           .order_by(table_->c("id"));
  std::vector<TypedRow> rows = conn.execute(columns).as<TypedRow>();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].id, 1);
  EXPECT_EQ(rows[0].small, 7);
  EXPECT_TRUE(rows[0].flag);
  EXPECT_EQ(rows[0].dbl, 2.0);
  EXPECT_EQ(rows[0].money, 12.25);
  EXPECT_EQ(rows[0].name, "first");
  EXPECT_EQ(rows[0].body, std::nullopt);
  EXPECT_EQ(rows[0].exact.text, "3.1250");
  EXPECT_EQ(rows[0].uid, "123e4567-e89b-12d3-a456-426614174000");
  EXPECT_EQ(rows[1].small, -3);
  EXPECT_FALSE(rows[1].flag);
  EXPECT_EQ(rows[1].dbl, 0.5);
  EXPECT_EQ(rows[1].money, -1.0);
  EXPECT_EQ(rows[1].name, std::string(100, 'n'));
  EXPECT_EQ(rows[1].body, "text");
  EXPECT_EQ(rows[1].exact.text, "0.0001");

  // An enum column (text results on PostgreSQL, whose enum has no binary decoder here).
  struct WithStatus {
    std::int64_t id;
    std::string status;
    double dbl;
    std::optional<std::string> body;
  };
  conn.execute(update(*table_).values({{"status", "published"}}));
  std::vector<WithStatus> statuses =
      conn.execute(select(table_->c("id"), table_->c("status"), table_->c("dbl"), table_->c("body"))
                       .order_by(table_->c("id")))
          .as<WithStatus>();
  ASSERT_EQ(statuses.size(), 2u);
  EXPECT_EQ(statuses[0].id, 1);
  EXPECT_EQ(statuses[0].status, "published");
  EXPECT_EQ(statuses[0].dbl, 2.0);
  EXPECT_EQ(statuses[0].body, std::nullopt);
  EXPECT_EQ(statuses[1].dbl, 0.5);
  EXPECT_EQ(statuses[1].body, "text");

  const auto two = select(table_->c("id"), table_->c("name")).order_by(table_->c("id"));
  try {
    (void)conn.execute(two).as<NameAsNumber>();
    ADD_FAILURE() << "reading text into an integer field succeeded";
  } catch (const ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("'name'"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)conn.execute(two).as<TooFewFields>(), ArgumentError);
  // The field count is checked against the rows there are: no rows, no error.
  EXPECT_TRUE(conn.execute(two.where(table_->c("id") == 99)).as<TooFewFields>().empty());
}

TEST_F(TypesTest, ExecuteManyBindsEveryType) {
  std::vector<Params> rows;
  for (int i = 1; i <= 3; ++i) {
    rows.push_back(
        {{"id", i},
         {"big", std::int64_t{1} << (40 + i)},
         {"flag", i % 2 == 0},
         {"dbl", i / 4.0},
         {"money", Decimal{std::to_string(i) + ".05"}},
         {"name", "row " + std::to_string(i) + " \xF0\x9F\x98\x80"},
         {"data", Bytes(static_cast<std::size_t>(i), std::byte{0})},
         {"day", sys_days{year{1960 + i} / 1 / 1}},
         {"at", wall_clock(1960 + i, 6, 1, 12h + 1us)},
         {"at_tz", instant(2000 + i, 6, 1, 12h + 1us)},
         {"clock", TimeOfDay{std::chrono::hours{i}}},
         {"doc", nlohmann::json{{"i", i}}},
         {"uid", UuidValue::parse("00000000-0000-0000-0000-00000000000" + std::to_string(i))}});
  }
  {
    auto conn = engine().connect();
    EXPECT_EQ(conn.execute(insert(*table_), rows).rowcount(), 3);
    conn.commit();
  }
  auto conn = engine().connect();
  std::vector<Row> stored = conn.execute(select(*table_).order_by(table_->c("id"))).all();
  ASSERT_EQ(stored.size(), 3u);
  for (int i = 1; i <= 3; ++i) {
    const Row& row = stored[static_cast<std::size_t>(i - 1)];
    EXPECT_EQ(row.get<std::int64_t>("big"), std::int64_t{1} << (40 + i));
    EXPECT_EQ(row.get<bool>("flag"), i % 2 == 0);
    EXPECT_EQ(row.get<double>("dbl"), i / 4.0);
    EXPECT_EQ(row.get<Decimal>("money"), Decimal{std::to_string(i) + ".05"});
    EXPECT_EQ(row.get<std::string>("name"), "row " + std::to_string(i) + " \xF0\x9F\x98\x80");
    EXPECT_EQ(row.get<Bytes>("data"), Bytes(static_cast<std::size_t>(i), std::byte{0}));
    EXPECT_EQ(row.get<sys_days>("day"), sys_days{year{1960 + i} / 1 / 1});
    EXPECT_EQ(row.get<LocalTimestamp>("at"), wall_clock(1960 + i, 6, 1, 12h + 1us));
    EXPECT_EQ(row.get<Timestamp>("at_tz"), instant(2000 + i, 6, 1, 12h + 1us));
    EXPECT_EQ(row.get<TimeOfDay>("clock"), TimeOfDay{std::chrono::hours{i}});
    EXPECT_EQ(row.get<nlohmann::json>("doc"), (nlohmann::json{{"i", i}}));
    EXPECT_EQ(row.get<UuidValue>("uid").to_string(),
              "00000000-0000-0000-0000-00000000000" + std::to_string(i));
  }
}

}  // namespace
}  // namespace athanor::testing
