// Generated mappers of every member type docs/codegen.md lists, and of its std::optional, on
// every backend: objects holding each type's extremes (and NULL for the optionals) are inserted
// with insert_object, read back through the mapper on a fresh connection, and compared member by
// member; a few stored values are also read back as the database renders them.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "every_type.athanor.hpp"
#include "tests/compliance/fixture.hpp"

namespace {

using namespace std::chrono_literals;
using athanor::Mapper;
using std::chrono::sys_days;
using std::chrono::year;
using TimePoint = std::chrono::system_clock::time_point;

// The members of both models, for comparing them one by one.
// clang-format off
#define EVERY_MEMBERS(X) \
  X(flag) X(tiny) X(small) X(octet) X(medium) X(word) X(big) X(dword) X(huge) X(single) \
  X(dbl) X(body) X(label) X(payload) X(price) X(day) X(birthday) X(created_at) X(seen_at) \
  X(local_at) X(opens_at) X(uuid) X(document) X(doc) X(shade) X(level)
// clang-format on

template <class T>
void expect_same(const T& actual, const T& expected) {
  EXPECT_EQ(actual.id, expected.id);
#define EVERY_EXPECT_MEMBER(member) EXPECT_EQ(actual.member, expected.member) << #member;
  EVERY_MEMBERS(EVERY_EXPECT_MEMBER)
#undef EVERY_EXPECT_MEMBER
}

athanor::Timestamp instant(int y, unsigned m, unsigned d, std::chrono::microseconds time_of_day) {
  return athanor::Timestamp{sys_days{year{y} / m / d}} + time_of_day;
}

athanor::LocalTimestamp wall_clock(int y, unsigned m, unsigned d,
                                   std::chrono::microseconds time_of_day) {
  return athanor::LocalTimestamp{sys_days{year{y} / m / d}.time_since_epoch()} + time_of_day;
}

constexpr auto kLastMicrosecond = 23h + 59min + 59s + 999999us;

// SQLite keeps the first 15 significant digits of a NUMERIC (its affinity makes the text a
// REAL); the other backends hold the column's whole precision.
std::string widest_price(bool negative) {
  const std::string digits = athanor::testing::backend() == "sqlite"
                                 ? "999999999.999999"
                                 : "9999999999999999999999.999999";
  return negative ? "-" + digits : digits;
}

every::Every lowest() {
  every::Every o;
  o.id = 1;
  o.flag = false;
  o.tiny = std::numeric_limits<std::int8_t>::min();
  o.small = std::numeric_limits<std::int16_t>::min();
  o.octet = 0;
  o.medium = std::numeric_limits<std::int32_t>::min();
  o.word = 0;
  o.big = std::numeric_limits<std::int64_t>::min();
  o.dword = 0;
  o.huge = 0;
  o.single = std::numeric_limits<float>::lowest();
  o.dbl = std::numeric_limits<double>::lowest();
  o.body = "";
  o.label = "";
  o.payload = {};
  o.price = athanor::Decimal{widest_price(true)};
  o.day = sys_days{year{1} / 1 / 1};
  o.birthday = year{1} / 1 / 1;
  o.created_at = instant(1, 1, 1, 0us);
  // system_clock counts nanoseconds in 64 bits: its earliest whole microsecond, in 1677.
  o.seen_at = TimePoint{std::chrono::ceil<std::chrono::microseconds>(TimePoint::min())};
  o.local_at = wall_clock(1, 1, 1, 0us);
  o.opens_at = athanor::TimeOfDay{0us};
  o.uuid = athanor::UuidValue{};
  o.document = nlohmann::json::object();
  o.doc = athanor::JsonDocument{nlohmann::json::array()};
  o.shade = every::Shade::kLight;
  o.level = every::Level::kLowest;
  return o;
}

every::Every highest() {
  every::Every o;
  o.id = 2;
  o.flag = true;
  o.tiny = std::numeric_limits<std::int8_t>::max();
  o.small = std::numeric_limits<std::int16_t>::max();
  o.octet = std::numeric_limits<std::uint8_t>::max();
  o.medium = std::numeric_limits<std::int32_t>::max();
  o.word = std::numeric_limits<std::uint16_t>::max();
  o.big = std::numeric_limits<std::int64_t>::max();
  o.dword = std::numeric_limits<std::uint32_t>::max();
  o.huge = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  o.single = std::numeric_limits<float>::max();
  o.dbl = std::numeric_limits<double>::max();
  o.body = "Zo\xC3\xAB \xE2\x9C\x93 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80 'quoted' \\ \n" +
           std::string(10000, 'x');
  o.label = std::string(36, 'L') + "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xE6\x97\xA5";  // 40 chars
  for (int i = 0; i < 256; ++i) o.payload.push_back(static_cast<std::byte>(i));
  o.price = athanor::Decimal{widest_price(false)};
  o.day = sys_days{year{9999} / 12 / 31};
  o.birthday = year{9999} / 12 / 31;
  o.created_at = instant(9999, 12, 31, kLastMicrosecond);
  o.seen_at = TimePoint{std::chrono::floor<std::chrono::microseconds>(TimePoint::max())};
  o.local_at = wall_clock(9999, 12, 31, kLastMicrosecond);
  o.opens_at = athanor::TimeOfDay{kLastMicrosecond};
  o.uuid = athanor::UuidValue::parse("ffffffff-ffff-ffff-ffff-ffffffffffff");
  o.document = {{"name", "Jan \xF0\x9F\x98\x80"}, {"list", {1, nullptr, true}}, {"n", -0.5}};
  o.doc = athanor::JsonDocument{nlohmann::json("just text")};
  o.shade = every::Shade::kDark;
  o.level = every::Level::kHighest;
  return o;
}

// Ordinary values around the epoch: before 1970, across 2038 (where a 32-bit TIMESTAMP ends),
// single microseconds, fractions binary floating point cannot hold exactly.
every::Every ordinary() {
  every::Every o = highest();
  o.id = 3;
  o.single = 0.1F;
  o.dbl = 0.1;
  o.price = athanor::Decimal{"-0.000001"};
  o.day = sys_days{year{1969} / 7 / 20};
  o.birthday = year{1900} / 2 / 28;
  o.created_at = instant(1969, 12, 31, kLastMicrosecond);
  o.seen_at = TimePoint{sys_days{year{2038} / 1 / 19}} + 3h + 14min + 8s + 1us;
  o.local_at = wall_clock(1970, 1, 1, 1us);
  o.opens_at = athanor::TimeOfDay{12h + 1us};
  return o;
}

every::EveryOptional optional_of(const every::Every& o) {
  every::EveryOptional out;
  out.id = o.id;
#define EVERY_COPY_MEMBER(member) out.member = o.member;
  EVERY_MEMBERS(EVERY_COPY_MEMBER)
#undef EVERY_COPY_MEMBER
  return out;
}

class CoreLevelEveryType : public athanor::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    athanor::model_metadata().create_all(engine());
    clear_statements();
  }

  template <class T>
  void insert_all(std::vector<T> objects) {
    auto conn = engine().connect();
    for (T& object : objects) athanor::insert_object(conn, object);
    conn.commit();
  }

  // Every row of T's table, by id, read on a fresh connection.
  template <class T>
  std::vector<T> read_all() {
    auto conn = engine().connect();
    const athanor::Table& table = Mapper<T>::table();
    return athanor::hydrate_all<T>(conn.execute(athanor::select(table).order_by(table.c("id"))));
  }
};

TEST_F(CoreLevelEveryType, EveryMemberTypeRoundTripsAtItsExtremes) {
  const std::vector<every::Every> objects = {lowest(), highest(), ordinary()};
  insert_all(objects);
  const std::vector<every::Every> back = read_all<every::Every>();
  ASSERT_EQ(back.size(), objects.size());
  for (std::size_t i = 0; i < objects.size(); ++i) {
    SCOPED_TRACE("id " + std::to_string(objects[i].id));
    expect_same(back[i], objects[i]);
  }

  // What the database holds, read as text: instants in UTC, at both ends of the calendar.
  const std::string& backend = athanor::testing::backend();
  std::string sql = "SELECT created_at FROM every_type ORDER BY id";  // SQLite: text already
  if (backend == "postgresql") {
    sql =
        "SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') "
        "FROM every_type ORDER BY id";
  } else if (backend == "mariadb") {
    sql = "SELECT CAST(created_at AS CHAR) FROM every_type ORDER BY id";
  }
  auto conn = engine().connect();
  const std::vector<std::string> stored = conn.exec_driver_sql(sql).scalars<std::string>();
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[0].substr(0, 19), "0001-01-01 00:00:00");
  EXPECT_EQ(stored[1], "9999-12-31 23:59:59.999999");
  EXPECT_EQ(stored[2], "1969-12-31 23:59:59.999999");
}

TEST_F(CoreLevelEveryType, EveryOptionalMemberRoundTripsValuesAndNull) {
  every::EveryOptional empty;
  empty.id = 10;
  std::vector<every::EveryOptional> objects = {empty};
  for (const every::Every& o : {lowest(), highest(), ordinary()}) objects.push_back(optional_of(o));
  insert_all(objects);
  const std::vector<every::EveryOptional> back = read_all<every::EveryOptional>();
  ASSERT_EQ(back.size(), objects.size());
  for (std::size_t i = 0; i < back.size(); ++i) {
    SCOPED_TRACE("id " + std::to_string(back[i].id));
    // read_all orders by id: 1, 2, 3, then the empty one (10).
    expect_same(back[i], objects[(i + 1) % objects.size()]);
  }
  // Every column of the empty object is NULL in the database, not an empty value.
  auto conn = engine().connect();
  athanor::Row row = conn.exec_driver_sql("SELECT * FROM every_optional WHERE id = 10").one();
  for (std::size_t i = 1; i < row.size(); ++i) {
    EXPECT_TRUE(athanor::is_null(row[i])) << row.keys()[i];
  }
  // Typed conditions on optional time points: a value, and NULL.
  using every::EveryOptional_;
  const auto found = [&](const athanor::ColumnElement& condition) {
    std::vector<std::int64_t> ids;
    for (const every::EveryOptional& o : athanor::hydrate_all<every::EveryOptional>(
             conn.execute(athanor::select(Mapper<every::EveryOptional>::table())
                              .where(condition)
                              .order_by(EveryOptional_::id)))) {
      ids.push_back(o.id);
    }
    return ids;
  };
  EXPECT_EQ(found(EveryOptional_::seen_at == objects[2].seen_at), std::vector<std::int64_t>{2});
  EXPECT_EQ(found(EveryOptional_::seen_at < objects[3].seen_at), std::vector<std::int64_t>{1});
  EXPECT_EQ(found(EveryOptional_::seen_at == std::nullopt), std::vector<std::int64_t>{10});
}

TEST_F(CoreLevelEveryType, AnUnsignedValueAboveInt64MaxIsRefused) {
  every::Every o = ordinary();
  o.huge = std::numeric_limits<std::uint64_t>::max();
  auto conn = engine().connect();
  try {
    athanor::insert_object(conn, o);
    FAIL() << "an unsigned value above INT64_MAX was stored";
  } catch (const athanor::ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("18446744073709551615"), std::string::npos) << e.what();
  }
  conn.rollback();
  EXPECT_TRUE(read_all<every::Every>().empty());
}

}  // namespace
