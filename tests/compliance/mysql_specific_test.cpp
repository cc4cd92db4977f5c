// Compliance, MariaDB/MySQL only: what the generic suite cannot ask of every backend.
//
// The driver's value mapping in both directions (binary protocol types, unsigned and bit
// columns, zero dates, FLOAT widening, long values growing the fetch buffers), the session
// contract (UTC, strict mode, found rows), error translation by native code, bulk execute_many,
// streaming and the statement cache, the dialect's SQL and DDL spelling, RETURNING support and
// reflection details (JSON on MariaDB, ENUM labels, foreign key rules). Skipped on other backends.
#include <algorithm>
#include <chrono>
#include <future>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "tests/compliance/fixture.hpp"

namespace athanor::testing {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_days;

class MySqlTest : public BackendTest {
 protected:
  void SetUp() override {
    if (backend() != "mariadb") GTEST_SKIP() << "MariaDB/MySQL-specific";
    BackendTest::SetUp();
  }

  // Runs `sql` in its own committed transaction.
  void run(const std::string& sql, const std::vector<Value>& params = {}) {
    auto conn = engine().connect();
    conn.exec_driver_sql(sql, params);
    conn.commit();
  }

  // The error `fn` throws, as type E; fails the test when it throws nothing or something else.
  template <class E, class F>
  static E error_of(F&& fn) {
    try {
      fn();
    } catch (const E& e) {
      return e;
    } catch (const std::exception& e) {
      ADD_FAILURE() << "unexpected exception: " << e.what();
      throw;
    }
    ADD_FAILURE() << "nothing thrown";
    throw std::logic_error("nothing thrown");
  }
};

// ---- session contract -------------------------------------------------------------------------

TEST_F(MySqlTest, SessionIsUtcStrictAndReportsFoundRows) {
  auto conn = engine().connect();
  Row row = conn.exec_driver_sql("SELECT @@session.time_zone, @@session.sql_mode").one();
  EXPECT_EQ(row.get<std::string>(0), "+00:00");
  const std::string mode = row.get<std::string>(1);
  EXPECT_NE(mode.find("STRICT_TRANS_TABLES"), std::string::npos) << mode;
  EXPECT_EQ(mode.find("NO_BACKSLASH_ESCAPES"), std::string::npos) << mode;

  conn.exec_driver_sql("CREATE TABLE flags (id INTEGER PRIMARY KEY, v INTEGER)");
  conn.exec_driver_sql("INSERT INTO flags VALUES (1, 5), (2, 5)");
  // CLIENT_FOUND_ROWS: rows matched, even when the new value equals the old one.
  EXPECT_EQ(conn.exec_driver_sql("UPDATE flags SET v = 5").rowcount(), 2);
  conn.commit();
}

TEST_F(MySqlTest, NoStatementMeansNoTransactionRoundTrip) {
  auto conn = engine().connect();
  conn.exec_driver_sql("SELECT 1");
  conn.commit();
  // Nothing ran since the commit: commit and rollback cost nothing and do not fail.
  conn.driver_connection().commit();
  conn.driver_connection().rollback();
  EXPECT_EQ(conn.exec_driver_sql("SELECT 2").scalar<int>(), 2);
}

// ---- values -----------------------------------------------------------------------------------

TEST_F(MySqlTest, EveryParameterKindRoundTrips) {
  run("CREATE TABLE kinds (id INTEGER PRIMARY KEY, b BOOL, i BIGINT, d DOUBLE, f FLOAT, "
      "n DECIMAL(30, 10), s VARCHAR(100), t LONGTEXT, y LONGBLOB, dt DATE, ldt DATETIME(6), "
      "ts TIMESTAMP(6) NULL DEFAULT NULL, tm TIME(6), u CHAR(36), j JSON)");
  const auto when = sys_days{std::chrono::year{2024} / 2 / 29};
  const LocalTimestamp local{std::chrono::local_days{std::chrono::year{1999} / 12 / 31} + 23h +
                             59min + 59s + 999999us};
  const Timestamp instant = sys_days{std::chrono::year{2021} / 3 / 4} + 5h + 6min + 7s + 123456us;
  const Bytes blob{std::byte{0}, std::byte{1}, std::byte{0}, std::byte{0xff}, std::byte{'\\'}};
  const UuidValue uuid = UuidValue::parse("0f8fad5b-d9cb-469f-a165-70867728950e");
  const nlohmann::json doc = {{"name", "jan"}, {"tags", {1, 2, 3}}, {"nested", {{"ok", true}}}};
  run("INSERT INTO kinds VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {std::int64_t{1}, true, std::numeric_limits<std::int64_t>::min(), 0.1, 0.1,
       Decimal{"12345678901234567890.0123456789"}, std::string("Zoë ✓ 日本"),
       std::string("it's \\ a \"text\""), blob, when, local, instant,
       TimeOfDay{13h + 14min + 15s + 16us}, uuid, JsonDocument{doc}});
  run("INSERT INTO kinds (id) VALUES (?)", {std::int64_t{2}});

  auto conn = engine().connect();
  auto rows = conn.exec_driver_sql("SELECT * FROM kinds ORDER BY id").all();
  ASSERT_EQ(rows.size(), 2u);
  const Row& r = rows[0];
  EXPECT_EQ(r["b"], Value(std::int64_t{1}));
  EXPECT_TRUE(r.get<bool>("b"));
  EXPECT_EQ(r["i"], Value(std::numeric_limits<std::int64_t>::min()));
  EXPECT_EQ(r["d"], Value(0.1));
  EXPECT_EQ(r["f"], Value(0.1));  // FLOAT widened through its shortest decimal form
  EXPECT_EQ(r["n"], Value(Decimal{"12345678901234567890.0123456789"}));
  EXPECT_EQ(r["s"], Value(std::string("Zoë ✓ 日本")));
  EXPECT_EQ(r["t"], Value(std::string("it's \\ a \"text\"")));
  EXPECT_EQ(r["y"], Value(blob));
  EXPECT_EQ(r["dt"], Value(when));
  EXPECT_EQ(r["ldt"], Value(local));
  EXPECT_EQ(r["ts"], Value(instant));
  EXPECT_EQ(r["tm"], Value(TimeOfDay{13h + 14min + 15s + 16us}));
  EXPECT_EQ(r["u"], Value(std::string("0f8fad5b-d9cb-469f-a165-70867728950e")));
  EXPECT_EQ(r.get<UuidValue>("u"), uuid);
  EXPECT_EQ(r.get<nlohmann::json>("j"), doc);
  for (std::size_t i = 1; i < rows[1].size(); ++i) {
    EXPECT_TRUE(is_null(rows[1][i])) << rows[1].keys()[i];
  }

  // The TIMESTAMP column holds the UTC instant: the server agrees on its epoch seconds.
  EXPECT_EQ(conn.exec_driver_sql("SELECT UNIX_TIMESTAMP(ts) FROM kinds WHERE id = 1")
                .scalar<Decimal>()
                .text,
            "1614834367.123456");
}

// DateTime(timezone=true) is a DATETIME(6) holding the instant's UTC wall clock: the whole
// range of years 1 to 9999 (a TIMESTAMP would end in 2038), unaffected by the session time zone.
TEST_F(MySqlTest, InstantsAreUtcDatetimesOverTheWholeRange) {
  MetaData md;
  Table& t = md.table("instants", {Column("id", Integer{}, {.primary_key = true}),
                                   Column("at", DateTime{true}, {.nullable = false})});
  md.create_all(engine());
  const auto log = statements();
  EXPECT_TRUE(std::any_of(log.begin(), log.end(), [](const std::string& s) {
    return s.find("`at` DATETIME(6) NOT NULL") != std::string::npos;
  }));
  const std::vector<Timestamp> instants = {
      Timestamp{sys_days{std::chrono::year{1} / 1 / 1}},
      sys_days{std::chrono::year{2040} / 1 / 1} + 12h,  // an ordinary expiry date
      *parse_timestamp("2024-03-01T12:00:00.000001+05:30"),
      sys_days{std::chrono::year{9999} / 12 / 31} + 23h + 59min + 59s + 999999us,
  };
  {
    auto conn = engine().connect();
    for (std::size_t i = 0; i < instants.size(); ++i) {
      conn.execute(insert(t).values({{"id", static_cast<int>(i + 1)}, {"at", instants[i]}}));
    }
    conn.commit();
  }
  auto conn = engine().connect();
  EXPECT_EQ(conn.exec_driver_sql("SELECT CAST(`at` AS CHAR) FROM instants ORDER BY id")
                .scalars<std::string>(),
            (std::vector<std::string>{"0001-01-01 00:00:00.000000", "2040-01-01 12:00:00.000000",
                                      "2024-03-01 06:30:00.000001", "9999-12-31 23:59:59.999999"}));
  // A DATETIME is not converted to the session's time zone (a TIMESTAMP would be).
  conn.exec_driver_sql("SET time_zone = '+05:30'");
  EXPECT_EQ(conn.execute(select(t.c("at")).order_by(t.c("id"))).scalars<Timestamp>(), instants);
  // Compared as instants too: a bound Timestamp is sent as its UTC wall clock.
  EXPECT_EQ(conn.execute(select(t.c("id")).where(t.c("at") > instants[2])).scalars<int>(),
            (std::vector<int>{2, 4}));
  conn.exec_driver_sql("SET time_zone = '+00:00'");  // the session contract, for the pool
  conn.rollback();
  // The catalog cannot tell it from a plain DateTime.
  EXPECT_EQ(type_name(inspect(engine()).get_columns("instants")[1].type), "DATETIME");
}

// A TIMESTAMP column of an existing table still reads and writes UTC instants, and a value
// outside its 1970-2038 range is a DataError naming the column.
TEST_F(MySqlTest, ATimestampColumnRefusesInstantsOutsideItsRangeByName) {
  run("CREATE TABLE legacy (id INTEGER PRIMARY KEY, ts TIMESTAMP(6) NULL DEFAULT NULL)");
  const Timestamp expiry = sys_days{std::chrono::year{2040} / 1 / 1};
  auto conn = engine().connect();
  const DataError e = error_of<DataError>([&] {
    conn.exec_driver_sql("INSERT INTO legacy VALUES (?, ?)", {std::int64_t{1}, expiry});
  });
  const std::string message = e.what();
  EXPECT_NE(message.find("`ts`"), std::string::npos) << message;
  EXPECT_NE(message.find("2040-01-01"), std::string::npos) << message;
  EXPECT_EQ(message.find("unknown"), std::string::npos) << message;
  EXPECT_EQ(e.native_code(), 1292) << message;
  conn.rollback();
}

TEST_F(MySqlTest, ResultTypesBeyondTheParameterKinds) {
  auto conn = engine().connect();
  Row row = conn.exec_driver_sql(
                    "SELECT CAST(18446744073709551615 AS UNSIGNED), CAST(42 AS UNSIGNED), NULL, "
                    "CAST('-01:30:00.5' AS TIME(1)), CAST('100:00:00' AS TIME), 2.50, "
                    "X'00FF00', 1.5e0, CAST('2020-01-02' AS DATE), CAST(? AS CHAR), ?, "
                    "CAST(-5 AS SIGNED), YEAR('2031-05-06')",
                    {std::string("x"), Bytes{std::byte{0}, std::byte{'a'}}})
                .one();
  EXPECT_EQ(row[0], Value(Decimal{"18446744073709551615"}));  // BIGINT UNSIGNED past INT64_MAX
  EXPECT_EQ(row[1], Value(std::int64_t{42}));
  EXPECT_TRUE(is_null(row[2]));
  EXPECT_EQ(row[3], Value(TimeOfDay{-(1h + 30min + 500ms)}));
  EXPECT_EQ(row[4], Value(TimeOfDay{100h}));
  EXPECT_EQ(row[5], Value(Decimal{"2.50"}));
  EXPECT_EQ(row[6], Value(Bytes{std::byte{0}, std::byte{0xff}, std::byte{0}}));
  EXPECT_EQ(row[7], Value(1.5));
  EXPECT_EQ(row[8], Value(sys_days{std::chrono::year{2020} / 1 / 2}));
  EXPECT_EQ(row[9], Value(std::string("x")));
  EXPECT_EQ(row[10], Value(Bytes{std::byte{0}, std::byte{'a'}}));  // bytes stay binary
  EXPECT_EQ(row[11], Value(std::int64_t{-5}));
  EXPECT_EQ(row[12], Value(std::int64_t{2031}));

  conn.exec_driver_sql(
      "CREATE TABLE odd (a BIT(1), b BIT(10), t TINYINT(1), z DATE, "
      "u BIGINT UNSIGNED, e ENUM('x', 'y'))");
  conn.exec_driver_sql(
      "INSERT INTO odd VALUES (b'1', b'1000000001', 1, '0000-00-00', "
      "18446744073709551615, 'y')");
  Row odd = conn.exec_driver_sql("SELECT * FROM odd").one();
  EXPECT_EQ(odd["a"], Value(std::int64_t{1}));
  EXPECT_TRUE(odd.get<bool>("a"));
  EXPECT_EQ(odd["b"], Value(std::int64_t{513}));
  EXPECT_TRUE(odd.get<bool>("t"));
  EXPECT_TRUE(is_null(odd["z"]));  // a zero date has no calendar day
  EXPECT_EQ(odd["u"], Value(Decimal{"18446744073709551615"}));
  EXPECT_EQ(odd["e"], Value(std::string("y")));
  conn.commit();
}

TEST_F(MySqlTest, LongValuesGrowTheFetchBuffers) {
  run("CREATE TABLE docs (id INTEGER PRIMARY KEY, body LONGTEXT, raw LONGBLOB, "
      "short_text VARCHAR(20), amount DECIMAL(65, 30))");
  const std::vector<std::size_t> sizes = {3, 5000, 300000, 10, 70000, 0, 2000000, 7};
  const std::string amount = "-12345678901234567890123456789012345.123456789012345678901234567891";
  {
    auto conn = engine().connect();
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      std::string body(sizes[i], 'a');
      for (std::size_t k = 0; k < body.size(); k += 97) body[k] = static_cast<char>('b' + i);
      Bytes raw(sizes[i], std::byte{static_cast<unsigned char>(i)});
      conn.exec_driver_sql(
          "INSERT INTO docs VALUES (?, ?, ?, ?, ?)",
          {static_cast<std::int64_t>(i), body, raw, std::string("short"), Decimal{amount}});
    }
    conn.commit();
  }
  auto conn = engine().connect();
  std::size_t i = 0;
  for (const Row& row :
       conn.exec_driver_sql("SELECT body, raw, short_text, amount FROM docs ORDER BY id")) {
    ASSERT_LT(i, sizes.size());
    const std::string body = row.get<std::string>(0);
    ASSERT_EQ(body.size(), sizes[i]) << "row " << i;
    for (std::size_t k = 0; k < body.size(); k += 97) {
      ASSERT_EQ(body[k], static_cast<char>('b' + i)) << "row " << i << " offset " << k;
    }
    EXPECT_EQ(row.get<Bytes>(1).size(), sizes[i]);
    EXPECT_EQ(row.get<std::string>(2), "short");
    EXPECT_EQ(row.get<Decimal>(3).text, amount);
    ++i;
  }
  EXPECT_EQ(i, sizes.size());
}

// ---- error translation ------------------------------------------------------------------------

class MySqlErrorTest : public MySqlTest {
 protected:
  void SetUp() override {
    MySqlTest::SetUp();
    if (IsSkipped()) return;
    run("CREATE TABLE parents (id INTEGER PRIMARY KEY, name VARCHAR(5) NOT NULL, "
        "qty TINYINT, born DATE, CONSTRAINT qty_positive CHECK (qty > 0)) ENGINE=InnoDB");
    run("CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL, "
        "FOREIGN KEY (parent_id) REFERENCES parents (id)) ENGINE=InnoDB");
    run("INSERT INTO parents VALUES (1, 'one', 1, NULL)");
    run("INSERT INTO children VALUES (1, 1)");
  }

  template <class E>
  void expect_error(const std::string& sql, const std::vector<Value>& params, int code,
                    const std::string& sqlstate) {
    SCOPED_TRACE(sql);
    auto conn = engine().connect();
    E e = error_of<E>([&] { conn.exec_driver_sql(sql, params); });
    EXPECT_EQ(e.native_code(), code) << e.what();
    EXPECT_EQ(e.sqlstate(), sqlstate) << e.what();
    EXPECT_EQ(e.sql(), sql);
    EXPECT_FALSE(e.message().empty());
    EXPECT_FALSE(e.connection_invalidated());
    if (!params.empty()) {
      EXPECT_FALSE(e.parameters().empty());
    }
    // The connection stays usable after the failed statement.
    conn.rollback();
    EXPECT_EQ(conn.exec_driver_sql("SELECT 1").scalar<int>(), 1);
  }
};

TEST_F(MySqlErrorTest, ConstraintViolationsAreIntegrityErrors) {
  expect_error<IntegrityError>("INSERT INTO parents VALUES (?, 'dup', 1, NULL)", {std::int64_t{1}},
                               1062, "23000");
  expect_error<IntegrityError>("INSERT INTO children VALUES (2, ?)", {std::int64_t{99}}, 1452,
                               "23000");
  expect_error<IntegrityError>("DELETE FROM parents WHERE id = ?", {std::int64_t{1}}, 1451,
                               "23000");
  expect_error<IntegrityError>("INSERT INTO parents VALUES (2, ?, 1, NULL)", {Value{}}, 1048,
                               "23000");
  expect_error<IntegrityError>("INSERT INTO parents (id) VALUES (?)", {std::int64_t{3}}, 1364,
                               "HY000");
  expect_error<IntegrityError>("INSERT INTO parents VALUES (4, 'x', ?, NULL)", {std::int64_t{-1}},
                               4025, "23000");
}

TEST_F(MySqlErrorTest, BadSqlIsAProgrammingError) {
  expect_error<ProgrammingError>("SELEKT 1", {}, 1064, "42000");
  expect_error<ProgrammingError>("SELECT * FROM no_such_table", {}, 1146, "42S02");
  expect_error<ProgrammingError>("SELECT no_such_column FROM parents", {}, 1054, "42S22");
  // Two statements in one: never executed, even when the first is valid.
  expect_error<ProgrammingError>("SELECT 1; DROP TABLE parents", {}, 1064, "42000");
  auto conn = engine().connect();
  auto e = error_of<ProgrammingError>([&] { conn.exec_driver_sql("SELECT ?, ?", {Value{1}}); });
  EXPECT_NE(std::string(e.what()).find("2 parameter placeholders but 1"), std::string::npos)
      << e.what();
}

TEST_F(MySqlErrorTest, BadValuesAreDataErrors) {
  expect_error<DataError>("INSERT INTO parents VALUES (5, ?, 1, NULL)", {std::string("too long")},
                          1406, "22001");
  expect_error<DataError>("INSERT INTO parents VALUES (6, 'x', ?, NULL)", {std::int64_t{1000}},
                          1264, "22003");
  expect_error<DataError>("INSERT INTO parents VALUES (7, 'x', ?, NULL)", {std::string("many")},
                          1366, "22007");
  expect_error<DataError>("INSERT INTO parents VALUES (8, 'x', 1, ?)", {std::string("2021-02-30")},
                          1292, "22007");
  // Dates and times outside MySQL's ranges are refused before they reach the server, which
  // would store them clamped or zeroed.
  auto conn = engine().connect();
  for (const Value& v : {Value{sys_days{std::chrono::year{-1000} / 1 / 1}},
                         Value{sys_days{std::chrono::year{10000} / 1 / 1}}, Value{TimeOfDay{839h}},
                         Value{TimeOfDay{-900h}}}) {
    auto e = error_of<DataError>(
        [&] { conn.exec_driver_sql("INSERT INTO parents VALUES (9, 'x', 1, ?)", {v}); });
    EXPECT_EQ(e.sqlstate(), "22008");
    EXPECT_NE(e.message().find("outside the range"), std::string::npos) << e.what();
    EXPECT_FALSE(e.parameters().empty());
  }
  std::vector<std::vector<Value>> rows = {{sys_days{std::chrono::year{2000} / 1 / 1}},
                                          {sys_days{std::chrono::year{12000} / 1 / 1}}};
  EXPECT_THROW(conn.driver_connection().execute_many(
                   "INSERT INTO parents (id, name, born) VALUES (10, 'y', ?)", rows),
               DataError);
  conn.rollback();
  EXPECT_EQ(conn.exec_driver_sql("SELECT COUNT(*) FROM parents").scalar<int>(), 1);
}

TEST_F(MySqlErrorTest, UnsupportedFeaturesAreNotSupportedErrors) {
  expect_error<NotSupportedError>(
      "SELECT id FROM parents WHERE id IN (SELECT id FROM parents LIMIT 1)", {}, 1235, "42000");
}

TEST_F(MySqlErrorTest, LockWaitTimeoutAndDeadlockAreOperationalErrors) {
  auto holder = engine().connect();
  holder.exec_driver_sql("UPDATE parents SET qty = 2 WHERE id = 1");
  {
    auto waiter = engine().connect();
    waiter.exec_driver_sql("SET SESSION innodb_lock_wait_timeout = 1");
    auto e = error_of<OperationalError>(
        [&] { waiter.exec_driver_sql("UPDATE parents SET qty = 3 WHERE id = 1"); });
    EXPECT_EQ(e.native_code(), 1205);
    EXPECT_FALSE(e.connection_invalidated());
    waiter.rollback();
    waiter.exec_driver_sql("SET SESSION innodb_lock_wait_timeout = DEFAULT");
  }
  holder.rollback();

  // Two transactions locking two rows in opposite order: InnoDB aborts one of them.
  run("INSERT INTO parents VALUES (2, 'two', 1, NULL)");
  auto a = engine().connect();
  auto b = engine().connect();
  a.exec_driver_sql("UPDATE parents SET qty = 5 WHERE id = 1");
  b.exec_driver_sql("UPDATE parents SET qty = 5 WHERE id = 2");
  auto blocked = std::async(std::launch::async, [&]() -> int {
    try {
      a.exec_driver_sql("UPDATE parents SET qty = 6 WHERE id = 2");
      return 0;
    } catch (const OperationalError& e) {
      return e.native_code();
    }
  });
  std::this_thread::sleep_for(300ms);
  int code_b = 0;
  try {
    b.exec_driver_sql("UPDATE parents SET qty = 6 WHERE id = 1");
  } catch (const OperationalError& e) {
    code_b = e.native_code();
  }
  if (code_b == 0) b.commit();  // b won: a's wait ends with the deadlock error
  const int code_a = blocked.get();
  EXPECT_TRUE(code_a == 1213 || code_b == 1213) << code_a << " " << code_b;
  a.rollback();
  b.rollback();
}

TEST_F(MySqlErrorTest, KilledConnectionIsInvalidatedAndReplaced) {
  auto victim = engine().connect();
  const auto id = victim.exec_driver_sql("SELECT CONNECTION_ID()").scalar<std::int64_t>();
  {
    auto killer = engine().connect();
    killer.exec_driver_sql("KILL CONNECTION " + std::to_string(id));
  }
  auto e = error_of<OperationalError>([&] { victim.exec_driver_sql("SELECT 1"); });
  EXPECT_TRUE(e.connection_invalidated()) << e.what();
  EXPECT_TRUE(victim.invalidated());
  victim.close();
  // The pool hands out working connections afterwards.
  for (int i = 0; i < 3; ++i) {
    auto conn = engine().connect();
    EXPECT_EQ(conn.exec_driver_sql("SELECT 1").scalar<int>(), 1);
  }
  EXPECT_EQ(engine().pool_status().checked_out, 0);
}

TEST_F(MySqlErrorTest, PrePingReplacesAConnectionKilledWhileIdle) {
  Engine pinged = make_engine({.pool_size = 1, .pool_pre_ping = true});
  std::int64_t first_id = 0;
  {
    auto conn = pinged.connect();
    first_id = conn.exec_driver_sql("SELECT CONNECTION_ID()").scalar<std::int64_t>();
  }
  run("KILL CONNECTION " + std::to_string(first_id));
  auto conn = pinged.connect();
  EXPECT_NE(conn.exec_driver_sql("SELECT CONNECTION_ID()").scalar<std::int64_t>(), first_id);
}

TEST_F(MySqlTest, ConnectFailuresAndBadUrls) {
  auto e = error_of<OperationalError>([] {
    auto bad = create_engine("mysql://nobody:wrong@127.0.0.1:1/none?connect_timeout=2");
    auto conn = bad.connect();
  });
  EXPECT_NE(std::string(e.what()).find("cannot connect to MySQL server"), std::string::npos)
      << e.what();
  EXPECT_NE(e.native_code(), 0);

  EXPECT_THROW(create_engine("mysql://u@127.0.0.1/db?bogus=1"), ArgumentError);
  EXPECT_THROW(create_engine("mariadb://u@127.0.0.1/db?connect_timeout=soon"), ArgumentError);
  EXPECT_THROW(create_engine("mariadb://u@127.0.0.1/db?ssl_mode=SOMETIMES"), ArgumentError);
  try {
    create_engine("mysql://u@127.0.0.1/db?charset=utf8mb4&sslmode=require");
    FAIL();
  } catch (const ArgumentError& a) {
    EXPECT_NE(std::string(a.what()).find("'sslmode'"), std::string::npos) << a.what();
  }
  // Known options are accepted and applied.
  std::string url = test_url();
  url += url.find('?') == std::string::npos ? "?" : "&";
  url += "charset=utf8mb4&connect_timeout=5&read_timeout=30&write_timeout=30&ssl_mode=DISABLED";
  auto ok = create_engine(url);
  auto conn = ok.connect();
  EXPECT_EQ(conn.exec_driver_sql("SELECT @@character_set_client").scalar<std::string>(), "utf8mb4");
}

// ---- execution --------------------------------------------------------------------------------

TEST_F(MySqlTest, ExecuteManyBatchesMixedRows) {
  run("CREATE TABLE bulk (id INTEGER PRIMARY KEY, n BIGINT, x DOUBLE, s LONGTEXT, "
      "d DATETIME(6), j JSON, u CHAR(36), b LONGBLOB)");
  std::vector<std::vector<Value>> rows;
  std::int64_t n_sum = 0;
  std::size_t s_length = 0;
  int d_count = 0, j_count = 0, u_count = 0, b_count = 0;
  double x_sum = 0;
  for (int i = 0; i < 6000; ++i) {
    // NULLs scattered everywhere; x switches between integers and doubles, which splits the
    // batch into runs of one parameter type; the ~1 KiB strings exceed one batch's byte budget.
    Value n = i % 7 == 0 ? Value{} : Value{std::int64_t{i}};
    if (!is_null(n)) n_sum += i;
    Value x = (i / 1000) % 2 == 0 ? Value{std::int64_t{i}} : Value{i + 0.5};
    x_sum += (i / 1000) % 2 == 0 ? i : i + 0.5;
    std::string s(i % 3 == 0 ? 1000 : 10, static_cast<char>('a' + i % 26));
    s_length += s.size();
    Value d = i % 5 == 0
                  ? Value{}
                  : Value{LocalTimestamp{std::chrono::local_days{std::chrono::year{2020} / 1 / 1}} +
                          std::chrono::seconds{i}};
    Value j = i % 11 == 0 ? Value{JsonDocument{{{"i", i}}}} : Value{};
    Value u =
        i % 13 == 0 ? Value{UuidValue::parse("0f8fad5b-d9cb-469f-a165-70867728950e")} : Value{};
    Value b = i % 17 == 0 ? Value{Bytes{std::byte{0}, std::byte{static_cast<unsigned char>(i)}}}
                          : Value{};
    d_count += !is_null(d);
    j_count += !is_null(j);
    u_count += !is_null(u);
    b_count += !is_null(b);
    rows.push_back({std::int64_t{i}, n, x, s, d, j, u, b});
  }
  auto conn = engine().connect();
  EXPECT_EQ(conn.driver_connection().execute_many(
                "INSERT INTO bulk VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows),
            6000);
  conn.commit();
  Row totals = conn.exec_driver_sql(
                       "SELECT COUNT(*), SUM(n), SUM(LENGTH(s)), COUNT(d), COUNT(j), COUNT(u), "
                       "COUNT(b), SUM(x) FROM bulk")
                   .one();
  EXPECT_EQ(totals.get<std::int64_t>(0), 6000);
  EXPECT_EQ(totals.get<Decimal>(1).text, std::to_string(n_sum));
  EXPECT_EQ(totals.get<Decimal>(2).text, std::to_string(s_length));
  EXPECT_EQ(totals.get<int>(3), d_count);
  EXPECT_EQ(totals.get<int>(4), j_count);
  EXPECT_EQ(totals.get<int>(5), u_count);
  EXPECT_EQ(totals.get<int>(6), b_count);
  EXPECT_DOUBLE_EQ(totals.get<double>(7), x_sum);
  Row sample = conn.exec_driver_sql("SELECT j, u, b, d FROM bulk WHERE id = 0").one();
  EXPECT_EQ(sample.get<nlohmann::json>(0), (nlohmann::json{{"i", 0}}));
  EXPECT_EQ(sample.get<std::string>(1), "0f8fad5b-d9cb-469f-a165-70867728950e");
  EXPECT_EQ(sample.get<Bytes>(2), (Bytes{std::byte{0}, std::byte{0}}));
  EXPECT_TRUE(is_null(sample[3]));
  EXPECT_EQ(conn.exec_driver_sql("SELECT d FROM bulk WHERE id = 1").scalar<LocalTimestamp>(),
            LocalTimestamp{std::chrono::local_days{std::chrono::year{2020} / 1 / 1}} + 1s);

  // UPDATE through the bulk path reports the rows matched in total.
  std::vector<std::vector<Value>> updates;
  for (int i = 0; i < 100; ++i) updates.push_back({std::string("u"), std::int64_t{i}});
  updates.push_back({std::string("u"), std::int64_t{999999}});  // matches nothing
  EXPECT_EQ(conn.driver_connection().execute_many("UPDATE bulk SET s = ? WHERE id = ?", updates),
            100);
  // A failing row raises; the transaction is then rolled back.
  std::vector<std::vector<Value>> clash = {{std::int64_t{7000}}, {std::int64_t{1}}};
  auto e = error_of<IntegrityError>(
      [&] { conn.driver_connection().execute_many("INSERT INTO bulk (id) VALUES (?)", clash); });
  EXPECT_EQ(e.native_code(), 1062);
  conn.rollback();
  EXPECT_EQ(conn.exec_driver_sql("SELECT COUNT(*) FROM bulk WHERE s = 'u'").scalar<int>(), 0);
}

TEST_F(MySqlTest, AbandonedStreamIsDrainedBeforeTheNextStatement) {
  run("CREATE TABLE numbers (n INTEGER PRIMARY KEY)");
  {
    auto conn = engine().connect();
    std::vector<std::vector<Value>> rows;
    for (int i = 0; i < 5000; ++i) rows.push_back({std::int64_t{i}});
    conn.driver_connection().execute_many("INSERT INTO numbers VALUES (?)", rows);
    conn.commit();
  }
  auto conn = engine().connect();
  {
    Result r = conn.exec_driver_sql("SELECT n FROM numbers ORDER BY n");
    EXPECT_EQ(r.fetchone()->get<int>(0), 0);
    // The result is still open with 4999 rows pending on the wire.
    EXPECT_EQ(conn.exec_driver_sql("SELECT COUNT(*) FROM numbers").scalar<int>(), 5000);
    EXPECT_FALSE(r.fetchone());  // closed by the next statement
  }
  Result r = conn.exec_driver_sql("SELECT n FROM numbers");
  (void)r.fetchone();
  conn.commit();  // also closes the stream first
  EXPECT_EQ(conn.exec_driver_sql("SELECT MAX(n) FROM numbers").scalar<int>(), 4999);
}

TEST_F(MySqlTest, StatementCacheSurvivesEvictionAndSchemaChanges) {
  run("CREATE TABLE evolving (id INTEGER PRIMARY KEY, a INTEGER)");
  run("INSERT INTO evolving VALUES (1, 10)");
  auto conn = engine().connect();
  const std::string star = "SELECT * FROM evolving";
  EXPECT_EQ(conn.exec_driver_sql(star).one().keys(), (std::vector<std::string>{"id", "a"}));
  conn.commit();
  conn.exec_driver_sql("ALTER TABLE evolving ADD COLUMN b VARCHAR(10) DEFAULT 'new'");
  Row row = conn.exec_driver_sql(star).one();
  EXPECT_EQ(row.keys(), (std::vector<std::string>{"id", "a", "b"}));
  EXPECT_EQ(row.get<std::string>("b"), "new");
  // More distinct statements than the cache holds; the first ones are prepared again.
  for (int i = 0; i < 300; ++i) {
    EXPECT_EQ(
        conn.exec_driver_sql("SELECT a + " + std::to_string(i) + " FROM evolving").scalar<int>(),
        10 + i);
  }
  EXPECT_EQ(conn.exec_driver_sql(star).one().get<int>("a"), 10);
}

// ---- dialect: SQL and DDL ---------------------------------------------------------------------

TEST_F(MySqlTest, SqlSpelling) {
  MetaData md;
  Table& t = md.table("items", {
                                   Column("id", Integer{}, {.primary_key = true}),
                                   Column("name", String{40}),
                                   Column("key", Integer{}),
                               });
  const Dialect& d = engine().dialect();
  EXPECT_EQ(d.name(), "mysql");
  const std::string offset_only = to_string(select(t.c("name")).offset(5), d);
  EXPECT_NE(offset_only.find(" LIMIT 18446744073709551615 OFFSET "), std::string::npos)
      << offset_only;
  EXPECT_EQ(d.quote_identifier("key"), "`key`");
  EXPECT_EQ(d.quote_identifier("Name"), "`Name`");
  EXPECT_EQ(d.quote_identifier("we`ird"), "`we``ird`");
  EXPECT_EQ(d.quote_string_literal("it's a \\ path"), "'it''s a \\\\ path'");
  EXPECT_EQ(d.distinct_from("a", "b", false), "NOT (a <=> b)");
  EXPECT_EQ(d.distinct_from("a", "b", true), "a <=> b");
  EXPECT_EQ(d.insert_default_values("`t`"), "INSERT INTO `t` () VALUES ()");

  md.create_all(engine());
  auto conn = engine().connect();
  conn.execute(insert(t), std::vector<Params>{{{"name", "Alpha"}, {"key", 1}},
                                              {{"name", nullptr}, {"key", 2}},
                                              {{"name", "beta"}, {"key", 3}}});
  EXPECT_EQ(conn.execute(select(t.c("key")).where(t.c("name").ilike("ALPHA"))).scalar<int>(), 1);
  EXPECT_EQ(conn.execute(select(t.c("key")).where(t.c("name").is_distinct_from(null())))
                .scalars<int>()
                .size(),
            2u);
  EXPECT_EQ(conn.execute(select(t.c("key")).order_by(t.c("key")).offset(2)).scalars<int>(),
            std::vector<int>{3});
}

TEST_F(MySqlTest, CreateTableDdl) {
  MetaData md;
  md.table("owners", {Column("id", Integer{}, {.primary_key = true})});
  Table& t =
      md.table("everything",
               {
                   Column("id", BigInteger{}, {.primary_key = true, .comment = "the key"}),
                   Column("small", SmallInteger{}, {.nullable = false, .server_default = "0"}),
                   Column("flag", Boolean{}),
                   Column("f", Float{}),
                   Column("d", Double{}),
                   Column("price", Numeric{10, 2}),
                   Column("any_number", Numeric{}),
                   Column("name", String{255}),
                   Column("body", Text{}),
                   Column("day", Date{}),
                   Column("at", DateTime{}),
                   Column("stamp", DateTime{true}),
                   Column("clock", Time{}),
                   Column("data", LargeBinary{}),
                   Column("doc", JSON{}),
                   Column("uid", Uuid{}),
                   Column("mood", Enum{{"happy", "it's \\ sad"}, "mood"}),
                   Column("owner_id", Integer{}, ForeignKey("owners.id", {.ondelete = "CASCADE"})),
               },
               {.comment = "every 'type'"});
  const auto ddl = engine().dialect().create_table_ddl(t, {});
  ASSERT_FALSE(ddl.empty());
  EXPECT_EQ(ddl[0],
            "CREATE TABLE everything (\n"
            "  id BIGINT NOT NULL AUTO_INCREMENT COMMENT 'the key',\n"
            "  small SMALLINT DEFAULT 0 NOT NULL,\n"
            "  flag BOOL,\n"
            "  f FLOAT,\n"
            "  d DOUBLE,\n"
            "  price NUMERIC(10, 2),\n"
            "  any_number NUMERIC(65, 30),\n"
            "  name VARCHAR(255),\n"
            "  body LONGTEXT,\n"
            "  `day` DATE,\n"
            "  `at` DATETIME(6),\n"
            "  stamp DATETIME(6),\n"
            "  clock TIME(6),\n"
            "  data LONGBLOB,\n"
            "  doc JSON,\n"
            "  uid CHAR(36),\n"
            "  mood ENUM('happy', 'it''s \\\\ sad'),\n"
            "  owner_id INTEGER,\n"
            "  PRIMARY KEY (id),\n"
            "  FOREIGN KEY (owner_id) REFERENCES owners (id) ON DELETE CASCADE\n"
            ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='every ''type'''")
      << ddl[0];

  md.create_all(engine());
  auto conn = engine().connect();
  conn.execute(insert(md.get_table("owners")).values({{"id", 1}}));
  conn.execute(insert(t).values({{"mood", "it's \\ sad"}, {"owner_id", 1}}));
  conn.commit();
  // ENUM enforces its labels natively (strict mode): no CHECK needed.
  EXPECT_THROW(conn.execute(insert(t).values({{"mood", "angry"}})), DataError);
  conn.rollback();
  EXPECT_EQ(conn.execute(select(t.c("mood"))).scalar<std::string>(), "it's \\ sad");

  MetaData strings;
  Table& bad = strings.table(
      "bad", {Column("id", Integer{}, {.primary_key = true}), Column("free", String{})});
  try {
    engine().dialect().create_table_ddl(bad, {});
    FAIL();
  } catch (const CompileError& e) {
    EXPECT_NE(std::string(e.what()).find("'free'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("mysql"), std::string::npos) << e.what();
  }
}

TEST_F(MySqlTest, ReturningWhereMariaDbHasIt) {
  MetaData md;
  Table& t = md.table("returning_rows", {
                                            Column("id", Integer{}, {.primary_key = true}),
                                            Column("name", String{20}),
                                        });
  md.create_all(engine());
  auto conn = engine().connect();
  Row inserted =
      conn.execute(insert(t).values({{"name", "a"}}).returning(t.c("id"), t.c("name"))).one();
  EXPECT_EQ(inserted.get<std::string>("name"), "a");
  EXPECT_GT(inserted.get<std::int64_t>("id"), 0);
  auto log = statements();
  EXPECT_TRUE(std::any_of(log.begin(), log.end(), [](const std::string& s) {
    return s.rfind("INSERT", 0) == 0 && s.find("RETURNING") != std::string::npos;
  }));
  auto deleted = conn.execute(delete_(t).where(t.c("name") == "a").returning({t.c("id")}))
                     .scalars<std::int64_t>();
  EXPECT_EQ(deleted, std::vector<std::int64_t>{inserted.get<std::int64_t>("id")});
  try {
    conn.execute(update(t).values({{"name", "b"}}).returning({t.c("id")}));
    FAIL();
  } catch (const CompileError& e) {
    EXPECT_NE(std::string(e.what()).find("UPDATE ... RETURNING"), std::string::npos) << e.what();
  }
}

// ---- reflection -------------------------------------------------------------------------------

TEST_F(MySqlTest, ReflectionReadsMySqlSpecifics) {
  run("CREATE TABLE authors (id INTEGER PRIMARY KEY AUTO_INCREMENT COMMENT 'author id', "
      "email VARCHAR(120) NOT NULL, UNIQUE KEY uq_email (email)) COMMENT 'people who write'");
  run("CREATE TABLE posts ("
      "id BIGINT NOT NULL AUTO_INCREMENT, author_id INTEGER, editor_id INTEGER, "
      "flag TINYINT(1) DEFAULT 1, tiny TINYINT, price DECIMAL(12, 3), ratio FLOAT, "
      "title VARCHAR(200) DEFAULT 'untitled', body MEDIUMTEXT, doc JSON, uid CHAR(36), "
      "code CHAR(3), made DATE, edited DATETIME(6), stamp TIMESTAMP(6) NULL DEFAULT NULL, "
      "at_time TIME, raw VARBINARY(16), data LONGBLOB, state ENUM('draft', 'it''s live'), "
      "created DATETIME DEFAULT CURRENT_TIMESTAMP, "
      "PRIMARY KEY (id), KEY ix_posts_title (title), KEY ix_posts_made_edited (made, edited), "
      "CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES authors (id) ON DELETE CASCADE, "
      "CONSTRAINT fk_editor FOREIGN KEY (editor_id) REFERENCES authors (id) "
      "ON DELETE SET NULL ON UPDATE RESTRICT)");
  // InnoDB's own index for an unnamed foreign key is named after the column.
  run("CREATE TABLE replies (id INTEGER PRIMARY KEY, author_id INTEGER, "
      "FOREIGN KEY (author_id) REFERENCES authors (id))");
  // Same name, other case: a different table on case-sensitive file systems.
  run("CREATE TABLE Posts (other INTEGER)");

  auto inspector = inspect(engine());
  auto names = inspector.get_table_names();
  EXPECT_EQ(names, (std::vector<std::string>{"Posts", "authors", "posts", "replies"}));
  EXPECT_TRUE(inspector.get_indexes("replies").empty());
  ASSERT_EQ(inspector.get_foreign_keys("replies").size(), 1u);
  EXPECT_EQ(inspector.get_foreign_keys("replies")[0].name, "replies_ibfk_1");

  auto columns = inspector.get_columns("posts");
  std::vector<std::string> types;
  for (const ReflectedColumn& c : columns) types.push_back(c.name + " " + type_name(c.type));
  EXPECT_EQ(types, (std::vector<std::string>{"id BIGINT",
                                             "author_id INTEGER",
                                             "editor_id INTEGER",
                                             "flag BOOLEAN",
                                             "tiny SMALLINT",
                                             "price NUMERIC(12, 3)",
                                             "ratio FLOAT",
                                             "title VARCHAR(200)",
                                             "body TEXT",
                                             "doc JSON",
                                             "uid UUID",
                                             "code VARCHAR(3)",
                                             "made DATE",
                                             "edited DATETIME",
                                             "stamp DATETIME(timezone=True)",
                                             "at_time TIME",
                                             "raw BLOB",
                                             "data BLOB",
                                             "state ENUM('draft', 'it''s live')",
                                             "created DATETIME"}));
  ASSERT_EQ(columns.size(), 20u);
  EXPECT_TRUE(columns[0].autoincrement);
  EXPECT_FALSE(columns[0].nullable);
  EXPECT_FALSE(columns[1].autoincrement);
  EXPECT_TRUE(columns[1].nullable);
  EXPECT_EQ(columns[3].server_default, std::optional<std::string>("1"));
  EXPECT_EQ(columns[4].server_default, std::nullopt);
  EXPECT_EQ(columns[7].server_default, std::optional<std::string>("'untitled'"));
  ASSERT_TRUE(columns[19].server_default);
  EXPECT_NE(columns[19].server_default->find("current_timestamp"), std::string::npos);
  const auto* state = std::get_if<Enum>(&columns[18].type);
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(state->values, (std::vector<std::string>{"draft", "it's live"}));
  EXPECT_EQ(inspector.get_columns("authors")[0].comment, "author id");
  EXPECT_EQ(inspector.get_columns("Posts").size(), 1u);

  EXPECT_EQ(inspector.get_pk_constraint("posts").columns, std::vector<std::string>{"id"});
  auto fks = inspector.get_foreign_keys("posts");
  ASSERT_EQ(fks.size(), 2u);
  EXPECT_EQ(fks[0].name, "fk_author");
  EXPECT_EQ(fks[0].columns, std::vector<std::string>{"author_id"});
  EXPECT_EQ(fks[0].referred_table, "authors");
  EXPECT_EQ(fks[0].referred_columns, std::vector<std::string>{"id"});
  EXPECT_EQ(fks[0].ondelete, "CASCADE");
  EXPECT_EQ(fks[0].onupdate, "");
  EXPECT_EQ(fks[1].ondelete, "SET NULL");
  EXPECT_EQ(fks[1].onupdate, "");

  // User indexes only: not the ones InnoDB made for the foreign keys, not the unique key.
  auto indexes = inspector.get_indexes("posts");
  ASSERT_EQ(indexes.size(), 2u);
  EXPECT_EQ(indexes[0].name, "ix_posts_made_edited");
  EXPECT_EQ(indexes[0].columns, (std::vector<std::string>{"made", "edited"}));
  EXPECT_EQ(indexes[1].name, "ix_posts_title");
  auto uniques = inspector.get_unique_constraints("authors");
  ASSERT_EQ(uniques.size(), 1u);
  EXPECT_EQ(uniques[0].name, "uq_email");
  EXPECT_TRUE(inspector.get_indexes("authors").empty());
  EXPECT_EQ(inspector.get_table_comment("authors"), "people who write");
  EXPECT_EQ(inspector.get_table_comment("posts"), "");
  EXPECT_THROW(inspector.get_columns("nope"), NoSuchTableError);
  EXPECT_THROW(inspector.get_columns("POSTS"), NoSuchTableError);
}

TEST_F(MySqlTest, DeclaredTablesRoundTripThroughReflection) {
  MetaData md;
  md.table("people", {Column("id", Integer{}, {.primary_key = true})});
  md.table("round_trip",
           {
               Column("id", Integer{}, {.primary_key = true}),
               Column("flag", Boolean{}, {.nullable = false, .server_default = "0"}),
               Column("doc", JSON{}),
               Column("uid", Uuid{}),
               Column("stamp", DateTime{true}, {.comment = "when"}),
               Column("mood", Enum{{"a", "b"}, ""}),
               Column("person_id", Integer{}, ForeignKey("people.id", {.ondelete = "SET NULL"}),
                      {.index = true}),
           },
           {.comment = "round trip"});
  md.create_all(engine());
  MetaData reflected;
  reflected.reflect(engine());
  const Table& t = reflected.get_table("round_trip");
  // DateTime(timezone=true) is a DATETIME(6) holding UTC, which the catalog cannot tell from a
  // plain DateTime: it reflects as one (as in SQLAlchemy). The foreign key, declared without a
  // name, has the one the server gave it once reflected. Everything else is as declared.
  nlohmann::json expected = to_json(md.get_table("round_trip"));
  ASSERT_EQ(expected["columns"][4]["name"], "stamp");
  expected["columns"][4]["type"] = "DATETIME";
  nlohmann::json reflected_json = to_json(t);
  nlohmann::json& fk = reflected_json["constraints"].at(1);
  ASSERT_EQ(fk["type"], "foreign_key") << reflected_json["constraints"];
  EXPECT_EQ(fk["name"], "round_trip_ibfk_1");
  fk["name"] = nullptr;
  EXPECT_EQ(reflected_json, expected);
  ASSERT_EQ(t.indexes().size(), 1u);
  EXPECT_EQ(t.indexes()[0].columns, std::vector<std::string>{"person_id"});
  // The reflected metadata re-creates the same tables.
  md.drop_all(engine());
  reflected.create_all(engine());
  EXPECT_EQ(inspect(engine()).get_table_names(),
            (std::vector<std::string>{"people", "round_trip"}));
}

}  // namespace
}  // namespace athanor::testing
