// Compliance, PostgreSQL only: the libpq driver and the postgresql dialect.
//
// Value round trips through every column type, parameter typing, the prepared statement cache,
// streaming, pipelined executemany, error classes the generic suite cannot provoke portably,
// URL options, the DDL spelling and reflection of what PostgreSQL itself created.
#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "tests/compliance/fixture.hpp"

namespace athanor::testing {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_days;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class PostgresqlTest : public BackendTest {
 protected:
  void SetUp() override {
    if (backend() != "postgresql") GTEST_SKIP() << "PostgreSQL-specific";
    BackendTest::SetUp();
  }

  // Runs `sql` on a connection of its own and returns the first column of the first row as
  // text: an independent read of what was stored.
  std::string read_text(const std::string& sql) {
    auto conn = engine().connect();
    return conn.exec_driver_sql(sql).scalar<std::string>();
  }

  bool any_statement(const std::string& part) {
    auto log = statements();
    return std::any_of(log.begin(), log.end(),
                       [&](const std::string& s) { return contains(s, part); });
  }
};

// ---- values ---------------------------------------------------------------------------------

class PostgresqlValuesTest : public PostgresqlTest {
 protected:
  void SetUp() override {
    PostgresqlTest::SetUp();
    if (IsSkipped()) return;
    all_ = &metadata_.table("all_types", {
                                             Column("id", Integer{}, {.primary_key = true}),
                                             Column("i32", Integer{}),
                                             Column("i64", BigInteger{}),
                                             Column("i16", SmallInteger{}),
                                             Column("flag", Boolean{}),
                                             Column("f32", Float{}),
                                             Column("f64", Double{}),
                                             Column("price", Numeric{12, 3}),
                                             Column("name", String{50}),
                                             Column("body", Text{}),
                                             Column("day", Date{}),
                                             Column("local_ts", DateTime{false}),
                                             Column("instant", DateTime{true}),
                                             Column("at", Time{}),
                                             Column("blob", LargeBinary{}),
                                             Column("doc", JSON{}),
                                             Column("uid", Uuid{}),
                                             Column("mood", Enum{{"happy", "sad"}, "mood"}),
                                         });
    metadata_.create_all(engine());
  }

  MetaData metadata_;
  Table* all_ = nullptr;
};

TEST_F(PostgresqlValuesTest, EveryTypeRoundTrips) {
  Bytes blob;
  for (int i = 0; i < 256; ++i) blob.push_back(static_cast<std::byte>(i));
  const auto day = sys_days{std::chrono::year{2024} / 2 / 29};
  const LocalTimestamp local{std::chrono::local_days{std::chrono::year{1999} / 12 / 31} + 23h +
                             59min + 58s + 123456us};
  const Timestamp instant{sys_days{std::chrono::year{2030} / 6 / 1} + 12h + 1us};
  const TimeOfDay at{13h + 14min + 15s + 500us};
  const UuidValue uid = UuidValue::parse("123e4567-e89b-12d3-a456-426614174000");
  const nlohmann::json doc = {{"a", 1}, {"b", {true, nullptr, "x"}}};

  auto conn = engine().connect();
  conn.execute(insert(*all_).values({{"id", 1},
                                     {"i32", -2147483647},
                                     {"i64", std::int64_t{9'000'000'000'000'000'000}},
                                     {"i16", 32767},
                                     {"flag", true},
                                     {"f32", 1.5},
                                     {"f64", 0.1},
                                     {"price", Decimal{"-12345.678"}},
                                     {"name", "Zoë 'quoted' \\ back"},
                                     {"body", std::string(100'000, 'x')},
                                     {"day", day},
                                     {"local_ts", local},
                                     {"instant", instant},
                                     {"at", at},
                                     {"blob", blob},
                                     {"doc", doc},
                                     {"uid", uid},
                                     {"mood", "sad"}}));
  conn.execute(insert(*all_).values({{"id", 2}, {"blob", Bytes{}}}));
  conn.commit();

  Row row = conn.execute(select(*all_).where(all_->c("id") == 1)).one();
  EXPECT_EQ(row.get<int>("i32"), -2147483647);
  EXPECT_EQ(row.get<std::int64_t>("i64"), 9'000'000'000'000'000'000);
  EXPECT_EQ(row.get<int>("i16"), 32767);
  EXPECT_TRUE(row.get<bool>("flag"));
  EXPECT_EQ(row.get<float>("f32"), 1.5F);
  EXPECT_EQ(row.get<double>("f64"), 0.1);
  EXPECT_EQ(row.get<Decimal>("price").text, "-12345.678");
  EXPECT_EQ(row.get<std::string>("name"), "Zoë 'quoted' \\ back");
  EXPECT_EQ(row.get<std::string>("body").size(), 100'000U);
  EXPECT_EQ(row.get<sys_days>("day"), day);
  EXPECT_EQ(row.get<LocalTimestamp>("local_ts"), local);
  EXPECT_EQ(row.get<Timestamp>("instant"), instant);
  EXPECT_EQ(row.get<TimeOfDay>("at"), at);
  EXPECT_EQ(row.get<Bytes>("blob"), blob);
  EXPECT_EQ(row.get<nlohmann::json>("doc"), doc);
  EXPECT_EQ(row.get<UuidValue>("uid"), uid);
  EXPECT_EQ(row.get<std::string>("mood"), "sad");
  // The driver hands out the natural Value alternative for each column type.
  EXPECT_TRUE(std::holds_alternative<std::int64_t>(row["i16"]));
  EXPECT_TRUE(std::holds_alternative<double>(row["f32"]));
  EXPECT_TRUE(std::holds_alternative<Decimal>(row["price"]));
  EXPECT_TRUE(std::holds_alternative<Bytes>(row["blob"]));
  EXPECT_TRUE(std::holds_alternative<JsonDocument>(row["doc"]));

  Row sparse = conn.execute(select(*all_).where(all_->c("id") == 2)).one();
  EXPECT_EQ(sparse.get<Bytes>("blob"), Bytes{});
  EXPECT_FALSE(is_null(sparse["blob"]));
  for (const char* column : {"i32", "flag", "price", "day", "instant", "doc", "uid", "mood"}) {
    EXPECT_TRUE(is_null(sparse[column])) << column;
  }

  // Stored as the server sees it, read independently as text.
  EXPECT_EQ(read_text("SELECT instant::text FROM all_types WHERE id = 1"),
            "2030-06-01 12:00:00.000001+00");
  EXPECT_EQ(read_text("SELECT encode(blob, 'hex') FROM all_types WHERE id = 1").substr(0, 8),
            "00010203");
  EXPECT_EQ(read_text("SELECT doc->>'a' FROM all_types WHERE id = 1"), "1");
}

TEST_F(PostgresqlValuesTest, TimestampsKeepTheirInstantAndWallClock) {
  const Timestamp instant{sys_days{std::chrono::year{2021} / 3 / 28} + 1h + 30min};
  auto conn = engine().connect();
  // An instant into a column without time zone keeps its UTC wall clock; a wall clock into a
  // column with time zone is taken as UTC (the session's zone).
  conn.execute(insert(*all_).values({{"id", 1}, {"local_ts", instant}, {"instant", instant}}));
  conn.execute(
      insert(*all_).values({{"id", 2}, {"instant", LocalTimestamp{instant.time_since_epoch()}}}));
  conn.commit();
  EXPECT_EQ(read_text("SELECT local_ts::text FROM all_types WHERE id = 1"), "2021-03-28 01:30:00");
  EXPECT_EQ(read_text("SELECT (instant AT TIME ZONE 'Europe/Amsterdam')::text FROM all_types "
                      "WHERE id = 1"),
            "2021-03-28 03:30:00");
  auto rows = conn.execute(select(all_->c("instant")).order_by(all_->c("id"))).scalars<Timestamp>();
  EXPECT_EQ(rows, (std::vector<Timestamp>{instant, instant}));
  EXPECT_EQ(conn.exec_driver_sql("SELECT current_setting('TimeZone')").scalar<std::string>(),
            "UTC");
  // Comparing a timestamp column with an instant parameter.
  EXPECT_EQ(
      conn.execute(select(func::count()).select_from(*all_).where(all_->c("local_ts") == instant))
          .scalar<int>(),
      1);
}

TEST_F(PostgresqlValuesTest, SpecialValuesWithoutACppCounterpartArriveAsText) {
  auto conn = engine().connect();
  Row row = conn.exec_driver_sql(
                    "SELECT 'infinity'::date, '-infinity'::timestamptz, 'NaN'::numeric, "
                    "'NaN'::float8, '1 day'::interval, ARRAY[1, 2], '0044-03-15 BC'::date")
                .one();
  EXPECT_EQ(row.get<std::string>(0), "infinity");
  EXPECT_EQ(row.get<std::string>(1), "-infinity");
  EXPECT_EQ(row.get<Decimal>(2).text, "NaN");
  EXPECT_TRUE(std::isnan(row.get<double>(3)));
  EXPECT_EQ(row.get<std::string>(4), "1 day");
  EXPECT_EQ(row.get<std::string>(5), "{1,2}");
  EXPECT_EQ(row.get<sys_days>(6), sys_days{std::chrono::year{-43} / 3 / 15});  // 44 BC
}

// Statements whose columns all have binary decoders get binary results; one column of another
// type (here an interval) makes the statement use text. Both must give the same Values.
TEST_F(PostgresqlTest, BinaryAndTextResultsAgree) {
  const std::vector<std::string> expressions = {"0::numeric",
                                                "0.00::numeric",
                                                "-1.5::numeric",
                                                "12345678901234567890.000123::numeric",
                                                "0.0001::numeric",
                                                "100::numeric",
                                                "10000::numeric",
                                                "-0.001::numeric",
                                                "1e-20::numeric",
                                                "123.4500::numeric(10, 4)",
                                                "'NaN'::numeric",
                                                "'Infinity'::numeric",
                                                "-5::int2",
                                                "2147483647::int4",
                                                "(-9223372036854775807 - 1)::int8",
                                                "4294967295::oid",
                                                "1.5::float4",
                                                "-0.1::float8",
                                                "'-Infinity'::float8",
                                                "true",
                                                "'é ü'::text",
                                                "'abc'::char(5)",
                                                "'\\x00ff10'::bytea",
                                                "''::bytea",
                                                "'2024-02-29'::date",
                                                "'1900-01-01'::date",
                                                "'0001-01-01 BC'::date",
                                                "'infinity'::date",
                                                "'1969-12-31 23:59:59.999999'::timestamp",
                                                "'-infinity'::timestamp",
                                                "'2001-02-03 04:05:06.7+02'::timestamptz",
                                                "'0100-06-01 12:00 BC'::timestamptz",
                                                "'23:59:59.999999'::time",
                                                "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid",
                                                "'{\"a\": [1, 2.5, null]}'::json",
                                                "'{\"b\": {\"c\": \"d\"}}'::jsonb",
                                                "'x'::name",
                                                "''::\"char\"",
                                                "'d'::\"char\""};
  auto conn = engine().connect();
  for (const std::string& e : expressions) {
    Row binary = conn.exec_driver_sql("SELECT " + e + ", (" + e + ")::text").one();
    Row text = conn.exec_driver_sql("SELECT " + e + ", '1 day'::interval").one();
    EXPECT_EQ(binary[0], text[0]) << e << ": binary " << render_value(binary[0]) << ", text "
                                  << render_value(text[0]);
    if (const auto* decimal = std::get_if<Decimal>(&binary[0])) {
      EXPECT_EQ(decimal->text, binary.get<std::string>(1)) << e;
    }
  }
}

// ---- parameters -----------------------------------------------------------------------------

TEST_F(PostgresqlTest, ParametersAreTypedByTheirValue) {
  auto conn = engine().connect();
  Row row = conn.exec_driver_sql("SELECT $1, $2, $3, $4, $5, $6",
                                 {Value{std::int64_t{1} << 40}, Value{2.5}, Value{true},
                                  Value{Decimal{"1.10"}}, Value{std::string("text")},
                                  Value{UuidValue::parse("00000000-0000-0000-0000-000000000001")}})
                .one();
  EXPECT_EQ(std::get<std::int64_t>(row[0]), std::int64_t{1} << 40);
  EXPECT_EQ(std::get<double>(row[1]), 2.5);
  EXPECT_EQ(std::get<bool>(row[2]), true);
  EXPECT_EQ(std::get<Decimal>(row[3]).text, "1.10");
  EXPECT_EQ(std::get<std::string>(row[4]), "text");
  EXPECT_TRUE(std::holds_alternative<UuidValue>(row[5]));
}

TEST_F(PostgresqlTest, ParameterKindsMayChangeBetweenExecutionsOfOneStatement) {
  auto conn = engine().connect();
  conn.exec_driver_sql("CREATE TABLE kinds (id INTEGER PRIMARY KEY, n INTEGER, d DATE)");
  const std::string sql = "INSERT INTO kinds (id, n, d) VALUES ($1, $2, $3)";
  // First prepared with nulls (types inferred by the server), then given typed values, then
  // values of another kind than the first execution's.
  conn.exec_driver_sql(sql, {Value{std::int64_t{1}}, Value{}, Value{}});
  conn.exec_driver_sql(sql, {Value{std::int64_t{2}}, Value{std::int64_t{7}},
                             Value{sys_days{std::chrono::year{2020} / 1 / 2}}});
  conn.exec_driver_sql(
      sql, {Value{std::string("3")}, Value{std::string("8")}, Value{std::string("2020-01-03")}});
  conn.exec_driver_sql(sql, {Value{std::int64_t{4}}, Value{2.0}, Value{Timestamp{}}});
  auto rows = conn.exec_driver_sql("SELECT n, d::text FROM kinds ORDER BY id").all();
  ASSERT_EQ(rows.size(), 4U);
  EXPECT_TRUE(is_null(rows[0][0]));
  EXPECT_EQ(rows[1].get<int>(0), 7);
  EXPECT_EQ(rows[1].get<std::string>(1), "2020-01-02");
  EXPECT_EQ(rows[2].get<int>(0), 8);
  EXPECT_EQ(rows[2].get<std::string>(1), "2020-01-03");
  EXPECT_EQ(rows[3].get<int>(0), 2);
  EXPECT_EQ(rows[3].get<std::string>(1), "1970-01-01");
  // A string compared with an integer column is parsed by the server.
  EXPECT_EQ(
      conn.exec_driver_sql("SELECT count(*) FROM kinds WHERE id = $1", {Value{std::string("2")}})
          .scalar<int>(),
      1);
}

TEST_F(PostgresqlTest, StringsAreUntypedSoTheServerInfersJsonAndEnums) {
  auto conn = engine().connect();
  conn.exec_driver_sql("DROP TYPE IF EXISTS color");  // left over by an interrupted run
  conn.exec_driver_sql("CREATE TYPE color AS ENUM ('red', 'green')");
  conn.exec_driver_sql("CREATE TABLE things (id INTEGER PRIMARY KEY, c color, j JSONB, u UUID)");
  conn.exec_driver_sql(
      "INSERT INTO things VALUES ($1, $2, $3, $4)",
      {Value{std::int64_t{1}}, Value{std::string("green")}, Value{std::string(R"({"k": [1, 2]})")},
       Value{std::string("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")}});
  Row row = conn.exec_driver_sql("SELECT c, j, u FROM things").one();
  EXPECT_EQ(row.get<std::string>(0), "green");
  EXPECT_EQ(row.get<nlohmann::json>(1), nlohmann::json::parse(R"({"k": [1, 2]})"));
  EXPECT_EQ(row.get<UuidValue>(2).to_string(), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  conn.rollback();
  conn.exec_driver_sql("DROP TABLE IF EXISTS things");
  conn.exec_driver_sql("DROP TYPE IF EXISTS color");
  conn.commit();
}

// ---- the prepared statement cache -----------------------------------------------------------

TEST_F(PostgresqlTest, StatementsArePreparedOncePerConnection) {
  auto conn = engine().connect();
  const std::string sql = "SELECT $1::int + 1";
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(conn.exec_driver_sql(sql, {Value{std::int64_t{i}}}).scalar<int>(), i + 1);
  }
  EXPECT_EQ(conn.exec_driver_sql("SELECT count(*) FROM pg_prepared_statements WHERE statement = $1",
                                 {Value{sql}})
                .scalar<int>(),
            1);
}

TEST_F(PostgresqlTest, StatementCacheIsBounded) {
  auto conn = engine().connect();
  for (int i = 0; i < 300; ++i) {
    conn.exec_driver_sql("SELECT " + std::to_string(i) + " + $1", {Value{std::int64_t{i}}});
  }
  const int prepared =
      conn.exec_driver_sql("SELECT count(*) FROM pg_prepared_statements").scalar<int>();
  EXPECT_LE(prepared, 129);
  EXPECT_GE(prepared, 100);
}

TEST_F(PostgresqlTest, RecreatingATableDoesNotBreakCachedStatements) {
  auto conn = engine().connect();
  conn.exec_driver_sql("CREATE TABLE shifting (a INTEGER)");
  conn.exec_driver_sql("INSERT INTO shifting VALUES (1)");
  EXPECT_EQ(conn.exec_driver_sql("SELECT * FROM shifting").one().size(), 1U);
  conn.exec_driver_sql("DROP TABLE shifting");
  conn.exec_driver_sql("CREATE TABLE shifting (a INTEGER, b TEXT)");
  conn.exec_driver_sql("INSERT INTO shifting VALUES (1, 'x')");
  Row row = conn.exec_driver_sql("SELECT * FROM shifting").one();
  EXPECT_EQ(row.size(), 2U);
  EXPECT_EQ(row.get<std::string>("b"), "x");
  conn.commit();
}

TEST_F(PostgresqlTest, StatementChangedByAnotherSessionFailsOnceThenWorks) {
  engine().begin([](Connection& c) { c.exec_driver_sql("CREATE TABLE moving (a INTEGER)"); });
  auto conn = engine().connect();
  conn.exec_driver_sql("SELECT * FROM moving").all();
  conn.commit();
  {
    Engine other = make_engine();
    other.begin([](Connection& c) { c.exec_driver_sql("ALTER TABLE moving ADD COLUMN b TEXT"); });
    other.dispose();
  }
  EXPECT_THROW(conn.exec_driver_sql("SELECT * FROM moving").all(), NotSupportedError);
  conn.rollback();
  EXPECT_EQ(conn.exec_driver_sql("SELECT * FROM moving").keys().size(), 2U);
}

// ---- results --------------------------------------------------------------------------------

TEST_F(PostgresqlTest, StreamedResultsArriveRowByRow) {
  auto conn = engine().connect();
  conn.set_execution_options({.stream_results = true});
  std::int64_t sum = 0;
  std::int64_t count = 0;
  for (const Row& row :
       conn.exec_driver_sql("SELECT g, 'row ' || g FROM generate_series(1, 20000) g")) {
    sum += row.get<std::int64_t>(0);
    ++count;
  }
  EXPECT_EQ(count, 20000);
  EXPECT_EQ(sum, 20000LL * 20001 / 2);

  // A streamed result abandoned half way is drained by the next statement.
  Result partial = conn.exec_driver_sql("SELECT g FROM generate_series(1, 5000) g");
  EXPECT_EQ(partial.fetchone()->get<int>(0), 1);
  EXPECT_EQ(conn.exec_driver_sql("SELECT 42").scalar<int>(), 42);
  EXPECT_FALSE(partial.fetchone().has_value());

  // An error after some rows surfaces from the fetch.
  Result failing = conn.exec_driver_sql("SELECT 10 / (5000 - g) FROM generate_series(1, 10000) g");
  EXPECT_THROW(failing.all(), DataError);
  conn.rollback();
  EXPECT_EQ(conn.exec_driver_sql("SELECT 7").scalar<int>(), 7);
}

// A buffered result tells how many rows it still holds, so that materializing them allocates
// once; a streamed one cannot tell.
TEST_F(PostgresqlTest, BufferedResultsKnowHowManyRowsAreLeft) {
  auto conn = engine().connect();
  driver::Connection& driver = conn.driver_connection();
  const std::string sql = "SELECT g FROM generate_series(1, 3) g";
  std::unique_ptr<driver::Cursor> buffered = driver.execute(sql, {});
  EXPECT_EQ(buffered->buffered_rows(), 3u);
  std::vector<Value> row;
  ASSERT_TRUE(buffered->fetch(row));
  EXPECT_EQ(buffered->buffered_rows(), 2u);
  ASSERT_TRUE(buffered->advance());
  EXPECT_EQ(buffered->buffered_rows(), 1u);
  buffered->close();
  EXPECT_EQ(buffered->buffered_rows(), 0u);

  std::unique_ptr<driver::Cursor> streamed =
      driver.execute(sql, {}, driver::ExecuteOptions{.stream_results = true});
  EXPECT_EQ(streamed->buffered_rows(), 0u);
  streamed->close();
}

TEST_F(PostgresqlTest, RowcountAndLastrowid) {
  auto conn = engine().connect();
  conn.exec_driver_sql("CREATE TABLE counted (id INTEGER GENERATED BY DEFAULT AS IDENTITY, v INT)");
  Result inserted =
      conn.exec_driver_sql("INSERT INTO counted (v) SELECT g FROM generate_series(1, 7) g");
  EXPECT_EQ(inserted.rowcount(), 7);
  EXPECT_FALSE(inserted.lastrowid().has_value());
  EXPECT_EQ(
      conn.exec_driver_sql("UPDATE counted SET v = v + 1 WHERE v > $1", {Value{std::int64_t{4}}})
          .rowcount(),
      3);
  Result returning = conn.exec_driver_sql("DELETE FROM counted WHERE v <= 2 RETURNING id");
  EXPECT_EQ(returning.all().size(), 2U);
  EXPECT_EQ(returning.rowcount(), 2);
  conn.rollback();
}

// ---- executemany ----------------------------------------------------------------------------

class PostgresqlBulkTest : public PostgresqlTest {
 protected:
  void SetUp() override {
    PostgresqlTest::SetUp();
    if (IsSkipped()) return;
    items_ = &metadata_.table("items",
                              {
                                  Column("id", Integer{}, {.primary_key = true}),
                                  Column("label", String{40}, {.nullable = false, .unique = true}),
                                  Column("weight", Double{}),
                              });
    metadata_.create_all(engine());
    clear_statements();
  }

  std::vector<Params> rows(int n, int duplicate_at = -1) {
    std::vector<Params> out;
    for (int i = 0; i < n; ++i) {
      std::string label = i == duplicate_at ? "item 0" : "item " + std::to_string(i);
      out.push_back(
          {{"id", i + 1}, {"label", label}, {"weight", i % 3 == 0 ? Value{} : Value{i * 0.5}}});
    }
    return out;
  }

  MetaData metadata_;
  Table* items_ = nullptr;
};

TEST_F(PostgresqlBulkTest, ExecuteManyInsertsEveryRow) {
  auto conn = engine().connect();
  Result result = conn.execute(insert(*items_), rows(5500));
  EXPECT_EQ(result.rowcount(), 5500);
  conn.commit();
  EXPECT_EQ(read_text("SELECT count(*)::text FROM items"), "5500");
  EXPECT_EQ(read_text("SELECT count(*)::text FROM items WHERE weight IS NULL"), "1834");
  EXPECT_EQ(read_text("SELECT weight::text FROM items WHERE id = 5"), "2");
}

TEST_F(PostgresqlBulkTest, ExecuteManyFailureReportsTheRowAndLeavesTheConnectionUsable) {
  auto conn = engine().connect();
  try {
    conn.execute(insert(*items_), rows(3000, 2500));
    FAIL() << "the duplicate label was accepted";
  } catch (const IntegrityError& e) {
    EXPECT_EQ(e.sqlstate(), "23505");
    EXPECT_TRUE(contains(e.message(), "item 0")) << e.message();
  }
  conn.rollback();
  EXPECT_EQ(read_text("SELECT count(*)::text FROM items"), "0");
  conn.execute(insert(*items_), rows(10));
  conn.commit();
  EXPECT_EQ(read_text("SELECT count(*)::text FROM items"), "10");
}

TEST_F(PostgresqlBulkTest, ExecuteManyOfUpdatesSumsTheRowcounts) {
  auto conn = engine().connect();
  conn.execute(insert(*items_), rows(100));
  std::vector<Params> updates;
  for (int i = 1; i <= 100; i += 2) updates.push_back({{"w", 1.0}, {"k", i}});
  Result result = conn.execute(
      update(*items_).where(items_->c("id") == bindparam("k")).values({{"weight", bindparam("w")}}),
      updates);
  EXPECT_EQ(result.rowcount(), 50);
  conn.commit();
  EXPECT_EQ(read_text("SELECT count(*)::text FROM items WHERE weight = 1"), "50");
}

// The driver's pipelined execute_many, below the engine's choice of batching.
TEST_F(PostgresqlBulkTest, DriverExecuteManyPipelinesEveryRow) {
  auto conn = engine().connect();
  driver::Connection& driver = conn.driver_connection();
  conn.exec_driver_sql("SELECT 1");  // the transaction is open
  const std::string sql = "INSERT INTO items (id, label, weight) VALUES ($1, $2, $3)";
  std::vector<std::vector<Value>> rows;
  for (int i = 0; i < 4321; ++i) {
    // A null in the first row: the parameter type comes from a later row.
    rows.push_back({Value{std::int64_t{i + 1}}, Value{"label " + std::to_string(i)},
                    i == 0 ? Value{} : Value{i * 0.25}});
  }
  EXPECT_EQ(driver.execute_many(sql, rows), 4321);
  EXPECT_EQ(driver.execute_many(sql, {}), 0);
  conn.commit();
  EXPECT_EQ(read_text("SELECT count(*)::text FROM items"), "4321");
  EXPECT_EQ(read_text("SELECT weight::text FROM items WHERE id = 4321"), "1080");

  // A failure in a later batch: the failing row's parameters, nothing kept after rollback.
  std::vector<std::vector<Value>> more;
  for (int i = 0; i < 3000; ++i) {
    more.push_back({Value{std::int64_t{10'000 + i}},
                    Value{i == 2500 ? std::string("label 7") : "more " + std::to_string(i)},
                    Value{}});
  }
  conn.exec_driver_sql("SELECT 1");
  try {
    driver.execute_many(sql, more);
    FAIL() << "the duplicate label was accepted";
  } catch (const IntegrityError& e) {
    EXPECT_EQ(e.sqlstate(), "23505");
    EXPECT_EQ(e.sql(), sql);
    EXPECT_EQ(e.parameters(), "[12500, 'label 7', NULL]") << e.parameters();
  }
  conn.rollback();
  EXPECT_EQ(read_text("SELECT count(*)::text FROM items"), "4321");
  EXPECT_EQ(conn.exec_driver_sql("SELECT count(*) FROM items").scalar<int>(), 4321);
}

// ---- errors ---------------------------------------------------------------------------------

TEST_F(PostgresqlTest, ErrorClassesFollowTheSqlstateClass) {
  auto conn = engine().connect();
  try {
    conn.exec_driver_sql("SELECT 1 / $1", {Value{std::int64_t{0}}});
    FAIL();
  } catch (const DataError& e) {
    EXPECT_EQ(e.sqlstate(), "22012");
    EXPECT_EQ(e.parameters(), "[0]");
    EXPECT_EQ(e.sql(), "SELECT 1 / $1");
  }
  conn.rollback();
  try {
    conn.exec_driver_sql("DO $$ BEGIN RAISE EXCEPTION 'custom' USING ERRCODE = '40001'; END $$");
    FAIL();
  } catch (const OperationalError& e) {
    EXPECT_EQ(e.sqlstate(), "40001");
    EXPECT_EQ(e.message(), "custom");
    EXPECT_FALSE(e.connection_invalidated());
  }
  conn.rollback();
  try {
    conn.exec_driver_sql(
        "DO $$ BEGIN RAISE EXCEPTION 'nope' USING ERRCODE = '0A000', "
        "DETAIL = 'more', HINT = 'try'; END $$");
    FAIL();
  } catch (const NotSupportedError& e) {
    EXPECT_EQ(e.message(), "nope\nDETAIL: more\nHINT: try");
  }
  conn.rollback();
  try {
    conn.exec_driver_sql("DO $$ BEGIN RAISE EXCEPTION 'broken' USING ERRCODE = 'XX000'; END $$");
    FAIL();
  } catch (const InternalError& e) {
    EXPECT_EQ(e.sqlstate(), "XX000");
  }
  conn.rollback();
}

TEST_F(PostgresqlTest, UniqueViolationCarriesTheServerDetail) {
  auto conn = engine().connect();
  conn.exec_driver_sql("CREATE TABLE uniq (k TEXT UNIQUE)");
  conn.exec_driver_sql("INSERT INTO uniq VALUES ($1)", {Value{std::string("a")}});
  try {
    conn.exec_driver_sql("INSERT INTO uniq VALUES ($1)", {Value{std::string("a")}});
    FAIL();
  } catch (const IntegrityError& e) {
    EXPECT_TRUE(contains(e.message(), "duplicate key value violates unique constraint"))
        << e.message();
    EXPECT_TRUE(contains(e.message(), "DETAIL: Key (k)=(a) already exists.")) << e.message();
    EXPECT_EQ(e.parameters(), "['a']");
  }
  conn.rollback();
}

TEST_F(PostgresqlTest, LockTimeoutIsOperationalError) {
  engine().begin([](Connection& c) {
    c.exec_driver_sql("CREATE TABLE locked (id INTEGER PRIMARY KEY)");
    c.exec_driver_sql("INSERT INTO locked VALUES (1)");
  });
  auto holder = engine().connect();
  holder.exec_driver_sql("UPDATE locked SET id = 1 WHERE id = 1");
  auto waiter = engine().connect();
  waiter.exec_driver_sql("SET LOCAL lock_timeout = '100ms'");
  try {
    waiter.exec_driver_sql("UPDATE locked SET id = 2 WHERE id = 1");
    FAIL();
  } catch (const OperationalError& e) {
    EXPECT_EQ(e.sqlstate(), "55P03");
    EXPECT_FALSE(e.connection_invalidated());
  }
  waiter.rollback();
  holder.rollback();
}

TEST_F(PostgresqlTest, CommitOfAnAbortedTransactionIsReported) {
  auto conn = engine().connect();
  conn.exec_driver_sql("CREATE TABLE t_abort (id INTEGER PRIMARY KEY)");
  conn.commit();
  conn.exec_driver_sql("INSERT INTO t_abort VALUES (1)");
  EXPECT_THROW(conn.exec_driver_sql("SELEC"), ProgrammingError);
  // Further statements are refused by the server until the transaction ends.
  EXPECT_THROW(conn.exec_driver_sql("SELECT 1"), InternalError);
  EXPECT_THROW(conn.commit(), InternalError);
  EXPECT_EQ(read_text("SELECT count(*)::text FROM t_abort"), "0");
  EXPECT_EQ(conn.exec_driver_sql("SELECT 1").scalar<int>(), 1);
}

TEST_F(PostgresqlTest, TerminatedBackendInvalidatesTheConnection) {
  auto conn = engine().connect();
  const auto pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar<std::int64_t>();
  {
    auto killer = engine().connect();
    killer.exec_driver_sql("SELECT pg_terminate_backend($1::int)", {Value{pid}});
    killer.commit();
  }
  try {
    conn.exec_driver_sql("SELECT 1");
    FAIL() << "a terminated backend answered";
  } catch (const OperationalError& e) {
    EXPECT_TRUE(e.connection_invalidated()) << e.what();
  }
  EXPECT_TRUE(conn.invalidated());
  conn.rollback();  // continues on a fresh connection
  EXPECT_EQ(conn.exec_driver_sql("SELECT 1").scalar<int>(), 1);
  EXPECT_NE(conn.exec_driver_sql("SELECT pg_backend_pid()").scalar<std::int64_t>(), pid);
}

TEST_F(PostgresqlTest, DriverConnectionPingAndVersion) {
  auto conn = engine().connect();
  driver::Connection& raw = conn.driver_connection();
  EXPECT_TRUE(raw.ping());
  EXPECT_FALSE(raw.is_broken());
  const std::string version = raw.server_version();
  EXPECT_TRUE(version.rfind("1", 0) == 0 || version.rfind("9", 0) == 0) << version;
  EXPECT_NE(version.find('.'), std::string::npos);
}

// ---- URL options ----------------------------------------------------------------------------

TEST_F(PostgresqlTest, UrlQueryOptionsReachTheSession) {
  std::string url = test_url();
  url += (url.find('?') == std::string::npos ? "?" : "&");
  url += "application_name=athanor%20tests&connect_timeout=5&options=-c%20statement_timeout%3D1234";
  Engine configured = create_engine(url);
  {
    auto conn = configured.connect();
    EXPECT_EQ(
        conn.exec_driver_sql("SELECT current_setting('application_name')").scalar<std::string>(),
        "athanor tests");
    EXPECT_EQ(
        conn.exec_driver_sql("SELECT current_setting('statement_timeout')").scalar<std::string>(),
        "1234ms");
    EXPECT_EQ(conn.exec_driver_sql("SELECT current_setting('TimeZone')").scalar<std::string>(),
              "UTC");
  }
  configured.dispose();
}

TEST_F(PostgresqlTest, BadUrlOptionsAreArgumentErrors) {
  const std::string base = test_url() + (test_url().find('?') == std::string::npos ? "?" : "&");
  EXPECT_THROW(create_engine(base + "no_such_option=1"), ArgumentError);
  EXPECT_THROW(create_engine(base + "connect_timeout=soon"), ArgumentError);
  EXPECT_THROW(create_engine(base + "sslmode=sometimes"), ArgumentError);
}

TEST_F(PostgresqlTest, WrongPasswordIsOperationalErrorWithTheServerMessage) {
  URL url = URL::parse(test_url());
  url.password = "definitely-wrong";
  Engine wrong = create_engine(url.render(false));
  try {
    wrong.connect().exec_driver_sql("SELECT 1");
    FAIL() << "connected with a wrong password";
  } catch (const OperationalError& e) {
    EXPECT_TRUE(contains(e.message(), "authentication failed") || contains(e.message(), "password"))
        << e.message();
    EXPECT_EQ(e.message().find("definitely-wrong"), std::string::npos);
  }
}

// ---- DDL and reflection ---------------------------------------------------------------------

TEST_F(PostgresqlTest, DdlUsesIdentityColumnsAndCommentStatements) {
  MetaData md;
  Table& authors = md.table(
      "authors",
      {
          Column("id", BigInteger{}, {.primary_key = true, .comment = "Surrogate key"}),
          Column("name", String{}, {.nullable = false, .comment = "It's the name"}),
          Column("born", DateTime{true}),
          Column("kind", Enum{{"a", "bb"}}),
      },
      {.comment = "People who write", .indexes = {Index{"ix_authors_name", {"name"}, false}}});
  md.create_all(engine());
  EXPECT_TRUE(any_statement("id BIGINT GENERATED BY DEFAULT AS IDENTITY NOT NULL"));
  EXPECT_TRUE(any_statement("name VARCHAR NOT NULL"));
  EXPECT_TRUE(any_statement("born TIMESTAMP WITH TIME ZONE"));
  EXPECT_TRUE(any_statement("kind VARCHAR(2)"));
  EXPECT_TRUE(any_statement("CHECK (kind IN ('a', 'bb'))"));
  EXPECT_TRUE(any_statement("CREATE INDEX ix_authors_name ON authors (name)"));
  EXPECT_TRUE(any_statement("COMMENT ON TABLE authors IS 'People who write'"));
  EXPECT_TRUE(any_statement("COMMENT ON COLUMN authors.name IS 'It''s the name'"));

  // Identity columns generate keys and still accept explicit ones.
  auto conn = engine().connect();
  Result r = conn.execute(insert(authors).values({{"name", "Ada"}}).returning({authors.c("id")}));
  EXPECT_EQ(r.scalar<std::int64_t>(), 1);
  conn.execute(insert(authors).values({{"id", 100}, {"name", "Bob"}}));
  conn.commit();
  EXPECT_EQ(read_text("SELECT string_agg(name, ',' ORDER BY id) FROM authors"), "Ada,Bob");
}

TEST_F(PostgresqlTest, ReflectionReadsWhatTheServerHas) {
  auto conn = engine().connect();
  conn.exec_driver_sql("DROP TYPE IF EXISTS mood");  // left over by an interrupted run
  conn.exec_driver_sql("CREATE TYPE mood AS ENUM ('ok', 'meh')");
  conn.exec_driver_sql(
      "CREATE TABLE parents (id SERIAL PRIMARY KEY, code CHAR(3) NOT NULL, "
      "  a INT, b INT, CONSTRAINT uq_parents_ab UNIQUE (a, b))");
  conn.exec_driver_sql(
      "CREATE TABLE children ("
      "  id BIGINT GENERATED ALWAYS AS IDENTITY, "
      "  parent_id INTEGER NOT NULL REFERENCES parents (id) ON DELETE CASCADE ON UPDATE SET NULL, "
      "  pa INT, pb INT, "
      "  price NUMERIC(10, 2) DEFAULT 0, ratio REAL, score DOUBLE PRECISION, small SMALLINT, "
      "  label VARCHAR(30) DEFAULT 'x', notes TEXT, born DATE, seen TIMESTAMP, at TIMESTAMPTZ, "
      "  t TIME, data BYTEA, doc JSON, docb JSONB, uid UUID, m mood, flag BOOLEAN, "
      "  span INTERVAL, "
      "  PRIMARY KEY (id), "
      "  CONSTRAINT fk_children_pair FOREIGN KEY (pa, pb) REFERENCES parents (a, b))");
  conn.exec_driver_sql("CREATE INDEX ix_children_label ON children (label, born)");
  conn.exec_driver_sql("CREATE UNIQUE INDEX ix_children_lower ON children (lower(notes))");
  conn.exec_driver_sql("COMMENT ON TABLE children IS 'Kids'");
  conn.exec_driver_sql("COMMENT ON COLUMN children.label IS 'A label'");
  conn.commit();

  Inspector inspector = inspect(engine());
  auto names = inspector.get_table_names();
  EXPECT_EQ(names, (std::vector<std::string>{"children", "parents"}));
  EXPECT_TRUE(inspector.has_table("children"));
  EXPECT_FALSE(inspector.has_table("nobody"));
  EXPECT_THROW(inspector.get_columns("nobody"), NoSuchTableError);
  EXPECT_THROW(inspector.get_pk_constraint("nobody"), NoSuchTableError);

  auto parents = inspector.get_columns("parents");
  ASSERT_EQ(parents.size(), 4U);
  EXPECT_TRUE(parents[0].autoincrement);
  ASSERT_TRUE(parents[0].server_default.has_value());
  EXPECT_TRUE(parents[0].server_default->starts_with("nextval(")) << *parents[0].server_default;
  EXPECT_EQ(std::get<String>(parents[1].type).length, 3);
  EXPECT_FALSE(parents[1].nullable);

  auto columns = inspector.get_columns("children");
  ASSERT_EQ(columns.size(), 21U);
  auto col = [&](const std::string& name) -> const ReflectedColumn& {
    for (const auto& c : columns) {
      if (c.name == name) return c;
    }
    throw std::runtime_error("no column " + name);
  };
  EXPECT_TRUE(std::holds_alternative<BigInteger>(col("id").type));
  EXPECT_TRUE(col("id").autoincrement);
  EXPECT_FALSE(col("id").server_default.has_value());
  EXPECT_FALSE(col("id").nullable);
  EXPECT_TRUE(std::holds_alternative<Integer>(col("parent_id").type));
  EXPECT_FALSE(col("parent_id").autoincrement);
  const auto& price = std::get<Numeric>(col("price").type);
  EXPECT_EQ(price.precision, 10);
  EXPECT_EQ(price.scale, 2);
  EXPECT_EQ(col("price").server_default, "0");
  EXPECT_TRUE(std::holds_alternative<Float>(col("ratio").type));
  EXPECT_TRUE(std::holds_alternative<Double>(col("score").type));
  EXPECT_TRUE(std::holds_alternative<SmallInteger>(col("small").type));
  EXPECT_EQ(std::get<String>(col("label").type).length, 30);
  EXPECT_EQ(col("label").server_default, "'x'::character varying");
  EXPECT_EQ(col("label").comment, "A label");
  EXPECT_TRUE(std::holds_alternative<Text>(col("notes").type));
  EXPECT_TRUE(std::holds_alternative<Date>(col("born").type));
  EXPECT_FALSE(std::get<DateTime>(col("seen").type).timezone);
  EXPECT_TRUE(std::get<DateTime>(col("at").type).timezone);
  EXPECT_TRUE(std::holds_alternative<Time>(col("t").type));
  EXPECT_TRUE(std::holds_alternative<LargeBinary>(col("data").type));
  EXPECT_TRUE(std::holds_alternative<JSON>(col("doc").type));
  EXPECT_TRUE(std::holds_alternative<JSON>(col("docb").type));
  EXPECT_TRUE(std::holds_alternative<Uuid>(col("uid").type));
  EXPECT_TRUE(std::holds_alternative<Boolean>(col("flag").type));
  EXPECT_TRUE(std::holds_alternative<Text>(col("span").type));
  const auto& mood = std::get<Enum>(col("m").type);
  EXPECT_EQ(mood.values, (std::vector<std::string>{"ok", "meh"}));
  EXPECT_EQ(mood.name, "mood");

  auto pk = inspector.get_pk_constraint("children");
  EXPECT_EQ(pk.name, "children_pkey");
  EXPECT_EQ(pk.columns, std::vector<std::string>{"id"});

  auto fks = inspector.get_foreign_keys("children");
  ASSERT_EQ(fks.size(), 2U);
  EXPECT_EQ(fks[0].name, "children_parent_id_fkey");
  EXPECT_EQ(fks[0].columns, std::vector<std::string>{"parent_id"});
  EXPECT_EQ(fks[0].referred_table, "parents");
  EXPECT_EQ(fks[0].referred_columns, std::vector<std::string>{"id"});
  EXPECT_EQ(fks[0].ondelete, "CASCADE");
  EXPECT_EQ(fks[0].onupdate, "SET NULL");
  EXPECT_EQ(fks[1].name, "fk_children_pair");
  EXPECT_EQ(fks[1].columns, (std::vector<std::string>{"pa", "pb"}));
  EXPECT_EQ(fks[1].referred_columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(fks[1].ondelete, "");
  EXPECT_EQ(fks[1].onupdate, "");

  auto indexes = inspector.get_indexes("children");
  ASSERT_EQ(indexes.size(), 2U);
  EXPECT_EQ(indexes[0].name, "ix_children_label");
  EXPECT_EQ(indexes[0].columns, (std::vector<std::string>{"label", "born"}));
  EXPECT_FALSE(indexes[0].unique);
  EXPECT_EQ(indexes[1].name, "ix_children_lower");
  EXPECT_EQ(indexes[1].columns, std::vector<std::string>{"lower(notes)"});
  EXPECT_TRUE(indexes[1].unique);
  EXPECT_TRUE(inspector.get_indexes("parents").empty());  // pk and unique constraint excluded

  auto uniques = inspector.get_unique_constraints("parents");
  ASSERT_EQ(uniques.size(), 1U);
  EXPECT_EQ(uniques[0].name, "uq_parents_ab");
  EXPECT_EQ(uniques[0].columns, (std::vector<std::string>{"a", "b"}));

  EXPECT_EQ(inspector.get_table_comment("children"), "Kids");
  EXPECT_EQ(inspector.get_table_comment("parents"), "");

  engine().begin([](Connection& c) {
    c.exec_driver_sql("DROP TABLE children");
    c.exec_driver_sql("DROP TABLE parents");
    c.exec_driver_sql("DROP TYPE mood");
  });
}

TEST_F(PostgresqlTest, MetadataRoundTripsThroughReflection) {
  MetaData md;
  md.table(
      "owners",
      {
          Column("id", Integer{}, {.primary_key = true}),
          Column("email", String{120}, {.nullable = false, .unique = true, .comment = "Login"}),
      },
      {.comment = "Account owners"});
  md.table("pets",
           {
               Column("id", BigInteger{}, {.primary_key = true}),
               Column("owner_id", Integer{}, ForeignKey("owners.id", {.ondelete = "CASCADE"}),
                      {.nullable = false, .index = true}),
               Column("born", DateTime{true}),
           });
  md.create_all(engine());

  MetaData reflected;
  reflected.reflect(engine());
  const Table& owners = reflected.get_table("owners");
  EXPECT_EQ(owners.comment(), "Account owners");
  EXPECT_EQ(owners.column("email").comment(), "Login");
  EXPECT_TRUE(owners.column("id").autoincrement());
  const Table& pets = reflected.get_table("pets");
  ASSERT_EQ(pets.foreign_keys().size(), 1U);
  EXPECT_EQ(pets.foreign_keys()[0].referred_table, "owners");
  EXPECT_EQ(pets.foreign_keys()[0].options.ondelete, "CASCADE");
  EXPECT_TRUE(std::get<DateTime>(pets.column("born").type()).timezone);

  // The reflected metadata creates the same schema again.
  reflected.drop_all(engine());
  reflected.create_all(engine());
  auto conn = engine().connect();
  conn.execute(insert(owners).values({{"email", "a@b.c"}}));
  conn.execute(insert(pets).values({{"owner_id", 1}}));
  conn.commit();
  EXPECT_EQ(read_text("SELECT count(*)::text FROM pets"), "1");
}

}  // namespace
}  // namespace athanor::testing
