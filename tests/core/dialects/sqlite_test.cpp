// Unit tests: the SQLite dialect (core/dialects/sqlite/): its driver used directly through the
// driver interface on in-memory and temporary-file databases, its URL options, its SQL and DDL
// spelling, and the schema text it keeps in CREATE TABLE (types, comments, constraint names).
#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include <unistd.h>

#include "athanor/core/dialect.hpp"
#include "athanor/core/driver.hpp"
#include "athanor/core/error.hpp"
#include "athanor/core/schema.hpp"
#include "athanor/core/url.hpp"
#include "athanor/core/value.hpp"
#include "core/dialects/sqlite/sqlite_driver.hpp"
#include "core/dialects/sqlite/sqlite_errors.hpp"
#include "core/dialects/sqlite/sqlite_schema_text.hpp"

namespace athanor {
namespace {

using namespace std::chrono_literals;
using driver::Cursor;
using Rows = std::vector<std::vector<Value>>;

std::unique_ptr<driver::Connection> connect(const std::string& url = "sqlite://") {
  return make_dialect("sqlite")->connect(URL::parse(url));
}

Rows fetch_all(Cursor& cursor) {
  Rows rows;
  std::vector<Value> row;
  while (cursor.fetch(row)) rows.push_back(row);
  return rows;
}

Rows query(driver::Connection& conn, const std::string& sql, std::vector<Value> params = {}) {
  auto cursor = conn.execute(sql, params);
  return fetch_all(*cursor);
}

// A file name in the temporary directory, removed (with its journal files) at scope end.
class TempDatabase {
 public:
  explicit TempDatabase(const std::string& tag)
      : path_(std::filesystem::temp_directory_path() /
              ("athanor_sqlite_test_" + tag + "_" + std::to_string(::getpid()) + ".db")) {
    remove();
  }
  ~TempDatabase() { remove(); }
  TempDatabase(const TempDatabase&) = delete;
  TempDatabase& operator=(const TempDatabase&) = delete;

  std::string path() const { return path_.string(); }
  std::string url(const std::string& query = "") const {
    return "sqlite:///" + path() + (query.empty() ? "" : "?" + query);
  }

 private:
  void remove() const {
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
      std::filesystem::remove(path_.string() + suffix);
    }
  }
  std::filesystem::path path_;
};

Bytes bytes_of(std::initializer_list<int> values) {
  Bytes out;
  for (int v : values) out.push_back(static_cast<std::byte>(v));
  return out;
}

// ---- binding and fetching ----------------------------------------------------------------------

TEST(SqliteDriverTest, FetchesEachStorageClass) {
  auto conn = connect();
  Rows rows = query(*conn, "SELECT 42, 2.5, 'text', x'00ff', NULL");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], Value(std::int64_t{42}));
  EXPECT_EQ(rows[0][1], Value(2.5));
  EXPECT_EQ(rows[0][2], Value(std::string("text")));
  EXPECT_EQ(rows[0][3], Value(bytes_of({0x00, 0xff})));
  EXPECT_TRUE(std::holds_alternative<Null>(rows[0][4]));
}

TEST(SqliteDriverTest, ColumnNamesIncludingEmptyResults) {
  auto conn = connect();
  conn->execute("CREATE TABLE t (a INTEGER, b TEXT)", {});
  auto cursor = conn->execute("SELECT a, b AS renamed FROM t", {});
  EXPECT_EQ(cursor->column_names(), (std::vector<std::string>{"a", "renamed"}));
  std::vector<Value> row;
  EXPECT_FALSE(cursor->fetch(row));
  EXPECT_EQ(cursor->rowcount(), -1);
  EXPECT_TRUE(conn->execute("CREATE TABLE u (x INTEGER)", {})->column_names().empty());
}

TEST(SqliteDriverTest, BindsEveryValueKindAndStoresItsTextForm) {
  auto conn = connect();
  const auto day = std::chrono::sys_days{std::chrono::year{1969} / 7 / 20};
  const Timestamp instant =
      std::chrono::sys_days{std::chrono::year{2024} / 2 / 29} + 13h + 5min + 7s + 123456us;
  const LocalTimestamp wall{
      std::chrono::sys_days{std::chrono::year{1999} / 12 / 31}.time_since_epoch() + 23h + 59min +
      59s};
  const TimeOfDay time{9h + 30min + 1s + 5us};
  const UuidValue uuid = UuidValue::parse("123e4567-e89b-12d3-a456-426614174000");
  const JsonDocument json{nlohmann::json{{"k", {1, "two", nullptr}}}};
  std::vector<Value> params = {Value(),
                               Value(true),
                               Value(false),
                               Value(std::numeric_limits<std::int64_t>::min()),
                               Value(std::numeric_limits<std::int64_t>::max()),
                               Value(-0.125),
                               Value(std::string("h\xC3\xA9llo \xF0\x9F\x98\x80")),
                               Value(bytes_of({0, 1, 0, 255, 0})),
                               Value(Bytes{}),
                               Value(Decimal{"-12345678901234567890.50"}),
                               Value(day),
                               Value(instant),
                               Value(wall),
                               Value(time),
                               Value(uuid),
                               Value(json)};
  std::string sql = "SELECT ";
  for (std::size_t i = 0; i < params.size(); ++i) {
    sql += (i ? ", typeof(?" : "typeof(?") + std::to_string(i + 1) + "), ?" + std::to_string(i + 1);
  }
  Rows rows = query(*conn, sql, params);
  ASSERT_EQ(rows.size(), 1u);
  auto type_of = [&](std::size_t i) { return std::get<std::string>(rows[0][2 * i]); };
  auto value_of = [&](std::size_t i) { return rows[0][2 * i + 1]; };

  EXPECT_EQ(type_of(0), "null");
  EXPECT_EQ(value_of(1), Value(std::int64_t{1}));
  EXPECT_EQ(value_of(2), Value(std::int64_t{0}));
  EXPECT_EQ(value_of(3), Value(std::numeric_limits<std::int64_t>::min()));
  EXPECT_EQ(value_of(4), Value(std::numeric_limits<std::int64_t>::max()));
  EXPECT_EQ(value_of(5), Value(-0.125));
  EXPECT_EQ(value_of(6), Value(std::string("h\xC3\xA9llo \xF0\x9F\x98\x80")));
  EXPECT_EQ(type_of(7), "blob");
  EXPECT_EQ(value_of(7), Value(bytes_of({0, 1, 0, 255, 0})));
  EXPECT_EQ(type_of(8), "blob") << "an empty blob must not become NULL";
  EXPECT_EQ(value_of(8), Value(Bytes{}));
  EXPECT_EQ(type_of(9), "text");
  EXPECT_EQ(value_of(9), Value(std::string("-12345678901234567890.50")));
  EXPECT_EQ(value_of(10), Value(std::string("1969-07-20")));
  EXPECT_EQ(value_of(11), Value(std::string("2024-02-29 13:05:07.123456")));
  EXPECT_EQ(value_of(12), Value(std::string("1999-12-31 23:59:59.000000")));
  EXPECT_EQ(value_of(13), Value(std::string("09:30:01.000005")));
  EXPECT_EQ(value_of(14), Value(std::string("123e4567-e89b-12d3-a456-426614174000")));
  EXPECT_EQ(nlohmann::json::parse(std::get<std::string>(value_of(15))), json.document);

  // The text forms read back as the values they came from.
  EXPECT_EQ(value_from<Timestamp>(value_of(11)), instant);
  EXPECT_EQ(value_from<LocalTimestamp>(value_of(12)), wall);
  EXPECT_EQ(value_from<TimeOfDay>(value_of(13)), time);
  EXPECT_EQ(value_from<std::chrono::sys_days>(value_of(10)), day);
  EXPECT_EQ(value_from<UuidValue>(value_of(14)), uuid);
}

TEST(SqliteDriverTest, TimestampTextSortsInTimeOrder) {
  auto conn = connect();
  conn->execute("CREATE TABLE t (at DATETIME)", {});
  const Timestamp base = std::chrono::sys_days{std::chrono::year{2020} / 1 / 1};
  std::vector<std::vector<Value>> rows = {
      {Value(base + 10s)}, {Value(base + 9s + 999999us)}, {Value(base - 1us)}, {Value(base)}};
  conn->execute_many("INSERT INTO t (at) VALUES (?)", rows);
  Rows sorted = query(*conn, "SELECT at FROM t ORDER BY at");
  ASSERT_EQ(sorted.size(), 4u);
  EXPECT_EQ(value_from<Timestamp>(sorted[0][0]), base - 1us);
  EXPECT_EQ(value_from<Timestamp>(sorted[1][0]), base);
  EXPECT_EQ(value_from<Timestamp>(sorted[2][0]), base + 9s + 999999us);
  EXPECT_EQ(value_from<Timestamp>(sorted[3][0]), base + 10s);
  // An instant compares equal to its stored text.
  EXPECT_EQ(query(*conn, "SELECT count(*) FROM t WHERE at = ?", {Value(base)})[0][0],
            Value(std::int64_t{1}));
}

TEST(SqliteDriverTest, NumericColumnsReadAsDecimalsWithTheirScale) {
  auto conn = connect();
  conn->execute("CREATE TABLE t (price NUMERIC(10, 2), whole NUMERIC(12), loose NUMERIC)", {});
  conn->execute(
      "INSERT INTO t VALUES (?, ?, ?)",
      std::vector<Value>{Value(Decimal{"12.50"}), Value(Decimal{"7"}), Value(Decimal{"1.5"})});
  conn->execute("INSERT INTO t VALUES (?, ?, ?)",
                std::vector<Value>{Value(Decimal{"-3"}), Value(), Value(Decimal{"2"})});
  Rows rows = query(*conn, "SELECT price, whole, loose FROM t ORDER BY price");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], Value(Decimal{"-3.00"}));
  EXPECT_TRUE(std::holds_alternative<Null>(rows[0][1]));
  EXPECT_EQ(rows[0][2], Value(std::int64_t{2})) << "no declared scale: left as stored";
  EXPECT_EQ(rows[1][0], Value(Decimal{"12.50"}));
  EXPECT_EQ(rows[1][1], Value(Decimal{"7"}));
  EXPECT_EQ(rows[1][2], Value(1.5));
  EXPECT_EQ(value_from<double>(rows[1][0]), 12.5);
}

TEST(SqliteDriverTest, StreamsRowsOneStepPerFetch) {
  auto conn = connect();
  conn->execute("CREATE TABLE t (n INTEGER)", {});
  std::vector<std::vector<Value>> rows;
  for (int i = 0; i < 1000; ++i) rows.push_back({Value(std::int64_t{i})});
  EXPECT_EQ(conn->execute_many("INSERT INTO t (n) VALUES (?)", rows), 1000);
  auto cursor = conn->execute("SELECT n FROM t ORDER BY n", {}, {.stream_results = true});
  std::vector<Value> row;
  std::int64_t expected = 0;
  while (cursor->fetch(row)) EXPECT_EQ(row.at(0), Value(expected++));
  EXPECT_EQ(expected, 1000);
  EXPECT_FALSE(cursor->fetch(row)) << "fetch after the end stays false";
}

TEST(SqliteDriverTest, NextExecuteClosesTheOpenCursor) {
  auto conn = connect();
  conn->execute("CREATE TABLE t (n INTEGER)", {});
  conn->execute("INSERT INTO t VALUES (1), (2), (3)", {});
  auto first = conn->execute("SELECT n FROM t ORDER BY n", {});
  std::vector<Value> row;
  ASSERT_TRUE(first->fetch(row));
  // The same SQL again reuses the cached statement: the first cursor must not see its rows.
  auto second = conn->execute("SELECT n FROM t ORDER BY n", {});
  EXPECT_FALSE(first->fetch(row));
  EXPECT_EQ(fetch_all(*second).size(), 3u);
  first.reset();  // destroying a closed cursor leaves the statement alone
  EXPECT_EQ(query(*conn, "SELECT n FROM t ORDER BY n").size(), 3u);

  // A cursor still streaming while the ended one goes away keeps its rows.
  auto ended = conn->execute("SELECT n FROM t ORDER BY n", {});
  auto streaming =
      conn->execute("SELECT n * 10 FROM t WHERE n >= ? ORDER BY n", std::vector<Value>{Value(2)});
  ended.reset();
  ASSERT_TRUE(streaming->fetch(row));
  EXPECT_EQ(row[0], Value(std::int64_t{20}));
  ASSERT_TRUE(streaming->fetch(row));
  EXPECT_EQ(row[0], Value(std::int64_t{30}));
  EXPECT_FALSE(streaming->fetch(row));
}

// The typed reads: exact storage classes are read directly; anything else (a NULL, another
// class, a NUMERIC(p, s) column) is refused and then read as a Value. Streaming cursors read
// SQLite's row in place; the buffered rows of an INSERT ... RETURNING go through the defaults.
TEST(SqliteDriverTest, TypedReadsTakeExactTypesAndReferTheRestToValues) {
  auto conn = connect();
  conn->execute("CREATE TABLE t (n INTEGER, x REAL, s TEXT, m NUMERIC(10, 2))", {});
  conn->execute("INSERT INTO t VALUES (1, 2.5, 'one', 3.25), (NULL, 4, 'two', NULL)", {});
  auto cursor = conn->execute("SELECT n, x, s, m FROM t ORDER BY rowid", {});
  std::int64_t n = 0;
  double x = 0;
  std::string text;
  Value value;
  ASSERT_TRUE(cursor->advance());
  EXPECT_TRUE(cursor->read_int64(0, n));
  EXPECT_EQ(n, 1);
  EXPECT_TRUE(cursor->read_double(1, x));
  EXPECT_EQ(x, 2.5);
  EXPECT_TRUE(cursor->read_text(2, text));
  EXPECT_EQ(text, "one");
  EXPECT_FALSE(cursor->read_double(3, x));  // NUMERIC(10, 2) reads as a Decimal
  cursor->read_value(3, value);
  EXPECT_EQ(value, Value(Decimal{"3.25"}));
  ASSERT_TRUE(cursor->advance());
  EXPECT_FALSE(cursor->read_int64(0, n));  // NULL
  cursor->read_value(0, value);
  EXPECT_EQ(value, Value{});
  EXPECT_TRUE(cursor->read_double(1, x));  // REAL affinity stored the 4 as 4.0
  EXPECT_EQ(x, 4.0);
  EXPECT_FALSE(cursor->read_int64(2, n));  // text is not an integer
  cursor->read_value(2, value);
  EXPECT_EQ(value, Value("two"));
  EXPECT_FALSE(cursor->read_int64(4, n));  // beyond the row: refused, then an error
  EXPECT_THROW(cursor->read_value(4, value), InterfaceError);
  EXPECT_FALSE(cursor->advance());

  auto returning = conn->execute("INSERT INTO t (n, s) VALUES (9, 'nine') RETURNING n, s", {});
  ASSERT_TRUE(returning->advance());
  EXPECT_TRUE(returning->read_int64(0, n));
  EXPECT_EQ(n, 9);
  EXPECT_TRUE(returning->read_text(1, text));
  EXPECT_EQ(text, "nine");
  EXPECT_THROW(returning->read_value(2, value), InterfaceError);
  EXPECT_FALSE(returning->advance());
}

TEST(SqliteDriverTest, ReadFieldsStoresExactTypesAndReportsTheRest) {
  using Kind = driver::FieldTarget::Kind;
  auto conn = connect();
  conn->execute("CREATE TABLE t (n INTEGER, x REAL, s TEXT, m NUMERIC(10, 2), b BLOB)", {});
  conn->execute("INSERT INTO t VALUES (1, 2.5, 'one', 3.25, x'00'), (NULL, 4, x'07', NULL, NULL)",
                {});
  auto cursor = conn->execute("SELECT n, x, s, m, b FROM t ORDER BY rowid", {});
  std::int64_t n = 0;
  double x = 0;
  std::string text = "previous";
  double m = 0;
  const driver::FieldTarget targets[] = {{Kind::kInt64, &n},
                                         {Kind::kDouble, &x},
                                         {Kind::kText, &text},
                                         {Kind::kDouble, &m},
                                         {Kind::kOther, nullptr}};
  ASSERT_TRUE(cursor->advance());
  // NUMERIC(10, 2) is a Decimal, never a double; kOther is never stored.
  EXPECT_EQ(cursor->read_fields(targets), 0b11000u);
  EXPECT_EQ(n, 1);
  EXPECT_EQ(x, 2.5);
  EXPECT_EQ(text, "one");
  Value value;
  cursor->read_value(3, value);
  EXPECT_EQ(value, Value(Decimal{"3.25"}));
  ASSERT_TRUE(cursor->advance());
  // NULL, a blob where text is wanted: left alone, and reported.
  EXPECT_EQ(cursor->read_fields(targets), 0b11101u);
  EXPECT_EQ(n, 1);
  EXPECT_EQ(x, 4.0);
  EXPECT_EQ(text, "one");
  cursor->read_value(2, value);
  EXPECT_EQ(value, Value(Bytes{std::byte{7}}));
  EXPECT_FALSE(cursor->advance());

  // A buffered cursor (RETURNING) answers through the default, column by column.
  auto returning = conn->execute("INSERT INTO t (n, s) VALUES (9, 'nine') RETURNING n, x, s", {});
  ASSERT_TRUE(returning->advance());
  EXPECT_EQ(returning->read_fields(std::span(targets).first(3)), 0b010u);
  EXPECT_EQ(n, 9);
  EXPECT_EQ(text, "nine");
}

TEST(SqliteDriverTest, StatementIdsNameTheirText) {
  auto conn = connect();
  auto first_value = [&](const std::string& sql, std::uint64_t id) {
    auto cursor = conn->execute(sql, {}, driver::ExecuteOptions{.statement_id = id});
    std::vector<Value> row;
    EXPECT_TRUE(cursor->fetch(row));
    return row.at(0);
  };
  // Two statements by number, alternating; then by text only; then one text under a new number.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(first_value("SELECT 1", 101), Value(std::int64_t{1}));
    EXPECT_EQ(first_value("SELECT 2", 102), Value(std::int64_t{2}));
  }
  EXPECT_EQ(first_value("SELECT 1", 0), Value(std::int64_t{1}));
  EXPECT_EQ(first_value("SELECT 2", 103), Value(std::int64_t{2}));
  EXPECT_EQ(first_value("SELECT 2", 103), Value(std::int64_t{2}));
  EXPECT_EQ(first_value("SELECT 1", 101), Value(std::int64_t{1}));
}

TEST(SqliteDriverTest, AnOpenReadDoesNotBlockCommit) {
  auto conn = connect();
  conn->execute("CREATE TABLE t (n INTEGER)", {});
  conn->begin();
  conn->execute("INSERT INTO t VALUES (1), (2)", {});
  auto cursor = conn->execute("SELECT n FROM t", {});
  std::vector<Value> row;
  ASSERT_TRUE(cursor->fetch(row));
  EXPECT_NO_THROW(conn->commit());
  EXPECT_FALSE(cursor->fetch(row));
}

TEST(SqliteDriverTest, FetchFieldsAdvancesAndReadsInOneCall) {
  using Kind = driver::FieldTarget::Kind;
  auto conn = connect();
  conn->execute("CREATE TABLE t (n INTEGER, s TEXT)", {});
  conn->execute("INSERT INTO t VALUES (1, 'one'), (NULL, 'two')", {});
  auto cursor = conn->execute("SELECT n, s FROM t ORDER BY rowid", {});
  std::int64_t n = 0;
  std::string text;
  const driver::FieldTarget targets[] = {{Kind::kInt64, &n}, {Kind::kText, &text}};
  driver::FieldsFetched fetched = cursor->fetch_fields(targets);
  EXPECT_TRUE(fetched.row);
  EXPECT_EQ(fetched.unread, 0u);
  EXPECT_EQ(n, 1);
  EXPECT_EQ(text, "one");
  fetched = cursor->fetch_fields(targets);
  EXPECT_TRUE(fetched.row);
  EXPECT_EQ(fetched.unread, 0b01u);  // the NULL is left for read_value
  EXPECT_EQ(text, "two");
  Value value;
  cursor->read_value(0, value);
  EXPECT_EQ(value, Value(Null{}));
  EXPECT_FALSE(cursor->fetch_fields(targets).row);

  // The default (a buffered cursor): advance, then read_fields.
  auto returning = conn->execute("INSERT INTO t VALUES (7, 'seven') RETURNING n, s", {});
  fetched = returning->fetch_fields(targets);
  EXPECT_TRUE(fetched.row);
  EXPECT_EQ(fetched.unread, 0u);
  EXPECT_EQ(n, 7);
  EXPECT_EQ(text, "seven");
  EXPECT_FALSE(returning->fetch_fields(targets).row);
}

// Each streamed execution has a stream of its own while an older cursor is kept: the kept
// cursor is finished by the next call, keeps its column names, and frees its stream itself.
TEST(SqliteDriverTest, KeptCursorsKeepTheirStreams) {
  auto conn = connect();
  conn->execute("CREATE TABLE t (n INTEGER, s TEXT)", {});
  conn->execute("INSERT INTO t VALUES (1, 'one'), (2, 'two')", {});
  auto first = conn->execute("SELECT n FROM t WHERE s = ?", std::vector<Value>{Value("one")});
  auto second = conn->execute("SELECT s, n FROM t ORDER BY n", {});
  std::vector<Value> row;
  EXPECT_FALSE(first->fetch(row));  // finished by the next execution
  ASSERT_TRUE(first->shared_metadata());
  EXPECT_EQ(first->shared_metadata()->names(), (std::vector<std::string>{"n"}));
  ASSERT_TRUE(second->fetch(row));
  EXPECT_EQ(row, (std::vector<Value>{Value("one"), Value(std::int64_t{1})}));
  second.reset();
  // The stream the dropped cursor released is reused; the kept one is still the first's.
  auto third = conn->execute("SELECT s FROM t WHERE n = ?", std::vector<Value>{Value(2)});
  ASSERT_TRUE(third->fetch(row));
  EXPECT_EQ(row, (std::vector<Value>{Value("two")}));
  EXPECT_EQ(first->shared_metadata()->names(), (std::vector<std::string>{"n"}));
  conn.reset();  // both cursors outlive the connection
  EXPECT_FALSE(third->fetch(row));
  EXPECT_EQ(third->shared_metadata()->names(), (std::vector<std::string>{"s"}));
  first.reset();
}

TEST(SqliteDriverTest, CursorMayOutliveItsConnection) {
  auto conn = connect();
  conn->execute("CREATE TABLE t (n INTEGER)", {});
  conn->execute("INSERT INTO t VALUES (1), (2)", {});
  auto cursor = conn->execute("SELECT n FROM t", {});
  conn.reset();
  std::vector<Value> row;
  EXPECT_FALSE(cursor->fetch(row));
  cursor->close();
}

TEST(SqliteDriverTest, RowcountAndLastrowid) {
  auto conn = connect();
  auto ddl = conn->execute("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER)", {});
  EXPECT_EQ(ddl->rowcount(), -1);
  auto insert = conn->execute("INSERT INTO t (n) VALUES (?)", std::vector<Value>{Value(10)});
  EXPECT_EQ(insert->rowcount(), 1);
  EXPECT_EQ(insert->lastrowid(), 1);
  insert = conn->execute("INSERT INTO t (n) VALUES (20), (30)", {});
  EXPECT_EQ(insert->rowcount(), 2);
  EXPECT_EQ(insert->lastrowid(), 3);
  auto update = conn->execute("UPDATE t SET n = n + 1 WHERE n > ?", std::vector<Value>{Value(15)});
  EXPECT_EQ(update->rowcount(), 2);
  EXPECT_FALSE(update->lastrowid());
  auto none = conn->execute("UPDATE t SET n = 0 WHERE id = 99", {});
  EXPECT_EQ(none->rowcount(), 0);
  auto del = conn->execute("DELETE FROM t WHERE id = ?", std::vector<Value>{Value(1)});
  EXPECT_EQ(del->rowcount(), 1);
  auto ignored = conn->execute("INSERT OR IGNORE INTO t (id, n) VALUES (2, 0)", {});
  EXPECT_EQ(ignored->rowcount(), 0);
  EXPECT_FALSE(ignored->lastrowid());
  EXPECT_EQ(conn->execute("SELECT 1", {})->rowcount(), -1);
}

TEST(SqliteDriverTest, ReturningRowsWithRowcount) {
  auto conn = connect();
  conn->execute("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER)", {});
  auto cursor = conn->execute("INSERT INTO t (n) VALUES (?), (?) RETURNING id, n",
                              std::vector<Value>{Value(5), Value(6)});
  EXPECT_EQ(cursor->column_names(), (std::vector<std::string>{"id", "n"}));
  EXPECT_EQ(cursor->rowcount(), 2);
  EXPECT_EQ(cursor->lastrowid(), 2);
  Rows rows = fetch_all(*cursor);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<Value>{Value(std::int64_t{1}), Value(std::int64_t{5})}));
  EXPECT_EQ(rows[1], (std::vector<Value>{Value(std::int64_t{2}), Value(std::int64_t{6})}));
  // The change happened at execute, whether or not the rows are fetched.
  auto del = conn->execute("DELETE FROM t RETURNING id", {});
  EXPECT_EQ(del->rowcount(), 2);
  EXPECT_EQ(query(*conn, "SELECT count(*) FROM t")[0][0], Value(std::int64_t{0}));
}

TEST(SqliteDriverTest, ExecuteManyRebindsOneStatement) {
  auto conn = connect();
  conn->execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, data BLOB)", {});
  std::vector<std::vector<Value>> rows = {
      {Value(std::string("a")), Value(bytes_of({0}))},
      {Value(std::string("b")), Value()},
      {Value(std::string("c")), Value(Bytes{})},
  };
  EXPECT_EQ(conn->execute_many("INSERT INTO t (name, data) VALUES (?, ?)", rows), 3);
  Rows stored = query(*conn, "SELECT name, data, typeof(data) FROM t ORDER BY id");
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[0][1], Value(bytes_of({0})));
  EXPECT_TRUE(std::holds_alternative<Null>(stored[1][1]));
  EXPECT_EQ(stored[2][2], Value(std::string("blob")));
  std::vector<std::vector<Value>> updates = {{Value(std::string("a"))}, {Value(std::string("z"))}};
  EXPECT_EQ(conn->execute_many("UPDATE t SET data = NULL WHERE name = ?", updates), 1);
  EXPECT_EQ(conn->execute_many("INSERT INTO t (name) VALUES (?)", {}), 0);
}

TEST(SqliteDriverTest, PreparedStatementsAreReusedAndResetCleanly) {
  auto conn = connect();
  conn->execute("CREATE TABLE t (n INTEGER)", {});
  for (int i = 0; i < 300; ++i) {
    // 300 distinct texts: more than the cache holds, so entries are evicted on the way.
    conn->execute("INSERT INTO t (n) VALUES (?) -- " + std::to_string(i),
                  std::vector<Value>{Value(i)});
    // One text re-executed with new values: stale bindings or an un-reset statement would show.
    Rows rows = query(*conn, "SELECT count(*), max(n) FROM t WHERE n <= ?", {Value(i)});
    EXPECT_EQ(rows[0][0], Value(std::int64_t{i + 1}));
    EXPECT_EQ(rows[0][1], Value(std::int64_t{i}));
  }
}

TEST(SqliteDriverTest, CachedStatementSurvivesSchemaChange) {
  auto conn = connect();
  conn->execute("CREATE TABLE t (a INTEGER)", {});
  conn->execute("INSERT INTO t VALUES (1)", {});
  auto before = conn->execute("SELECT * FROM t", {})->shared_metadata();
  ASSERT_NE(before, nullptr);
  EXPECT_EQ(before->names().size(), 1u);
  // The same statement again shares its metadata: every result of it uses the one object.
  EXPECT_EQ(conn->execute("SELECT * FROM t", {})->shared_metadata(), before);
  conn->execute("ALTER TABLE t ADD COLUMN b TEXT DEFAULT 'x'", {});
  auto cursor = conn->execute("SELECT * FROM t", {});
  EXPECT_EQ(cursor->column_names(), (std::vector<std::string>{"a", "b"}));
  EXPECT_NE(cursor->shared_metadata(), before);
  EXPECT_EQ(cursor->shared_metadata()->names(), cursor->column_names());
  Rows rows = fetch_all(*cursor);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].size(), 2u);
  // A statement that lists its columns keeps them; one with `t.*` follows the table.
  EXPECT_EQ(query(*conn, "SELECT a FROM t")[0].size(), 1u);
  EXPECT_EQ(query(*conn, "SELECT t.* FROM t")[0].size(), 2u);
  conn->execute("ALTER TABLE t ADD COLUMN c INTEGER DEFAULT 7", {});
  EXPECT_EQ(conn->execute("SELECT a FROM t", {})->column_names(), (std::vector<std::string>{"a"}));
  EXPECT_EQ(conn->execute("SELECT t.* FROM t", {})->column_names(),
            (std::vector<std::string>{"a", "b", "c"}));
  conn->execute("DROP TABLE t", {});
  EXPECT_THROW(conn->execute("SELECT * FROM t", {}), ProgrammingError);
}

TEST(SqliteDriverTest, EmptyStatementAndTrailingComments) {
  auto conn = connect();
  auto cursor = conn->execute("  -- nothing\n", {});
  std::vector<Value> row;
  EXPECT_FALSE(cursor->fetch(row));
  EXPECT_EQ(query(*conn, "SELECT 1; -- trailing\n  /* and more */ ;").size(), 1u);
}

// ---- errors ------------------------------------------------------------------------------------

TEST(SqliteDriverTest, ConstraintViolationIsIntegrityError) {
  auto conn = connect();
  conn->execute("CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE)", {});
  conn->execute("INSERT INTO t (email) VALUES (?)", std::vector<Value>{Value("a@b.c")});
  try {
    conn->execute("INSERT INTO t (email) VALUES (?)", std::vector<Value>{Value("a@b.c")});
    FAIL() << "expected IntegrityError";
  } catch (const IntegrityError& e) {
    EXPECT_NE(e.message().find("UNIQUE constraint failed: t.email"), std::string::npos)
        << e.message();
    EXPECT_EQ(e.sql(), "INSERT INTO t (email) VALUES (?)");
    EXPECT_NE(e.parameters().find("a@b.c"), std::string::npos) << e.parameters();
    EXPECT_EQ(e.sqlstate(), "23000");
    EXPECT_EQ(e.native_code(), 2067);  // SQLITE_CONSTRAINT_UNIQUE
    EXPECT_FALSE(e.connection_invalidated());
  }
  EXPECT_THROW(conn->execute("INSERT INTO t (email) VALUES (NULL)", {}), IntegrityError);
  // The failed statement left nothing behind: the connection keeps working.
  EXPECT_EQ(query(*conn, "SELECT count(*) FROM t")[0][0], Value(std::int64_t{1}));
}

TEST(SqliteDriverTest, ForeignKeysAreEnforcedByDefault) {
  auto conn = connect();
  conn->execute("CREATE TABLE p (id INTEGER PRIMARY KEY)", {});
  conn->execute("CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p (id))", {});
  try {
    conn->execute("INSERT INTO c (p_id) VALUES (?)", std::vector<Value>{Value(7)});
    FAIL() << "expected IntegrityError";
  } catch (const IntegrityError& e) {
    EXPECT_EQ(e.native_code(), 787);  // SQLITE_CONSTRAINT_FOREIGNKEY
  }
  auto off = connect("sqlite://?foreign_keys=off");
  off->execute("CREATE TABLE p (id INTEGER PRIMARY KEY)", {});
  off->execute("CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p (id))", {});
  EXPECT_NO_THROW(off->execute("INSERT INTO c (p_id) VALUES (7)", {}));
}

TEST(SqliteDriverTest, SqlErrorsAreProgrammingErrors) {
  auto conn = connect();
  try {
    conn->execute("SELEC 1", {});
    FAIL() << "expected ProgrammingError";
  } catch (const ProgrammingError& e) {
    EXPECT_NE(e.message().find("syntax error"), std::string::npos) << e.message();
    EXPECT_EQ(e.sql(), "SELEC 1");
    EXPECT_EQ(e.native_code(), 1);  // SQLITE_ERROR
    EXPECT_EQ(e.sqlstate(), "");
  }
  try {
    conn->execute("SELECT * FROM missing WHERE id = ?", std::vector<Value>{Value(3)});
    FAIL() << "expected ProgrammingError";
  } catch (const ProgrammingError& e) {
    EXPECT_NE(e.message().find("no such table: missing"), std::string::npos) << e.message();
    EXPECT_EQ(e.parameters(), "[3]");
  }
  conn->execute("CREATE TABLE t (a INTEGER)", {});
  EXPECT_THROW(conn->execute("SELECT nope FROM t", {}), ProgrammingError);
  EXPECT_THROW(conn->execute("SELECT 1; SELECT 2", {}), ProgrammingError);
  try {
    conn->execute("SELECT ?, ?", std::vector<Value>{Value(1)});
    FAIL() << "expected ProgrammingError";
  } catch (const ProgrammingError& e) {
    EXPECT_NE(e.message().find("uses 2, and 1 was supplied"), std::string::npos) << e.message();
  }
}

TEST(SqliteDriverTest, RuntimeErrorsAreOperationalOrData) {
  auto conn = connect();
  // Runs fine when compiled, fails while stepping.
  EXPECT_THROW(conn->execute("SELECT abs(?)",
                             std::vector<Value>{Value(std::numeric_limits<std::int64_t>::min())}),
               OperationalError);
  EXPECT_THROW(
      conn->execute("SELECT zeroblob(?)", std::vector<Value>{Value(std::int64_t{1} << 40)}),
      DataError);
}

TEST(SqliteDriverTest, ErrorTranslationTable) {
  using detail::SqliteErrorPhase;
  auto raises = [](int code, SqliteErrorPhase phase = SqliteErrorPhase::kExecute) {
    try {
      detail::raise_sqlite_error(code, "msg", "SQL", "[1]", phase);
    } catch (const IntegrityError&) {
      return std::string("integrity");
    } catch (const ProgrammingError&) {
      return std::string("programming");
    } catch (const OperationalError&) {
      return std::string("operational");
    } catch (const DataError&) {
      return std::string("data");
    } catch (const InterfaceError&) {
      return std::string("interface");
    } catch (const InternalError&) {
      return std::string("internal");
    }
    return std::string("none");
  };
  EXPECT_EQ(raises(19), "integrity");    // SQLITE_CONSTRAINT
  EXPECT_EQ(raises(1299), "integrity");  // SQLITE_CONSTRAINT_NOTNULL
  EXPECT_EQ(raises(275), "integrity");   // SQLITE_CONSTRAINT_CHECK
  EXPECT_EQ(raises(1, SqliteErrorPhase::kPrepare), "programming");
  EXPECT_EQ(raises(1), "operational");
  EXPECT_EQ(raises(5), "operational");     // SQLITE_BUSY
  EXPECT_EQ(raises(6), "operational");     // SQLITE_LOCKED
  EXPECT_EQ(raises(10), "operational");    // SQLITE_IOERR
  EXPECT_EQ(raises(3850), "operational");  // SQLITE_IOERR_LOCK
  EXPECT_EQ(raises(13), "operational");    // SQLITE_FULL
  EXPECT_EQ(raises(14), "operational");    // SQLITE_CANTOPEN
  EXPECT_EQ(raises(8), "operational");     // SQLITE_READONLY
  EXPECT_EQ(raises(20), "data");           // SQLITE_MISMATCH
  EXPECT_EQ(raises(18), "data");           // SQLITE_TOOBIG
  EXPECT_EQ(raises(25), "data");           // SQLITE_RANGE
  EXPECT_EQ(raises(21), "interface");      // SQLITE_MISUSE
  EXPECT_EQ(raises(11), "internal");       // SQLITE_CORRUPT
  EXPECT_EQ(raises(2), "internal");        // SQLITE_INTERNAL
  EXPECT_EQ(raises(19, SqliteErrorPhase::kConnect), "operational");
  try {
    detail::raise_sqlite_error(2067, "UNIQUE constraint failed: t.a", "INSERT", "[1]",
                               SqliteErrorPhase::kExecute);
  } catch (const DBAPIError& e) {
    EXPECT_EQ(e.native_code(), 2067);
    EXPECT_EQ(e.sql(), "INSERT");
    EXPECT_EQ(e.parameters(), "[1]");
    EXPECT_EQ(e.message(), "UNIQUE constraint failed: t.a");
  }
}

TEST(SqliteDriverTest, BusyDatabaseTimesOutInsteadOfHanging) {
  TempDatabase db("busy");
  auto writer = connect(db.url("timeout=0.2"));
  auto other = connect(db.url("timeout=0.2"));
  writer->execute("CREATE TABLE t (n INTEGER)", {});
  writer->begin();
  writer->execute("INSERT INTO t VALUES (1)", {});
  other->begin();
  const auto start = std::chrono::steady_clock::now();
  try {
    other->execute("INSERT INTO t VALUES (2)", {});
    FAIL() << "expected OperationalError";
  } catch (const OperationalError& e) {
    EXPECT_EQ(e.native_code() & 0xff, 5) << e.message();  // SQLITE_BUSY
    EXPECT_NE(e.message().find("locked"), std::string::npos) << e.message();
  }
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, 150ms);
  EXPECT_LT(waited, 5s);
  other->rollback();
  writer->commit();
}

// ---- transactions ------------------------------------------------------------------------------

TEST(SqliteDriverTest, TransactionsAndSavepoints) {
  auto conn = connect();
  conn->execute("CREATE TABLE t (n INTEGER)", {});
  conn->begin();
  conn->execute("INSERT INTO t VALUES (1)", {});
  conn->savepoint("sp_1");
  conn->execute("INSERT INTO t VALUES (2)", {});
  conn->rollback_to_savepoint("sp_1");
  conn->release_savepoint("sp_1");
  conn->savepoint("odd \"name\"");
  conn->execute("INSERT INTO t VALUES (3)", {});
  conn->release_savepoint("odd \"name\"");
  conn->commit();
  Rows rows = query(*conn, "SELECT n FROM t ORDER BY n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], Value(std::int64_t{1}));
  EXPECT_EQ(rows[1][0], Value(std::int64_t{3}));

  conn->begin();
  conn->execute("DELETE FROM t", {});
  conn->rollback();
  EXPECT_EQ(query(*conn, "SELECT count(*) FROM t")[0][0], Value(std::int64_t{2}));
  EXPECT_THROW(conn->commit(), OperationalError);  // no transaction is active
  EXPECT_THROW(conn->release_savepoint("unknown"), DBAPIError);
}

TEST(SqliteDriverTest, PingVersionAndHealth) {
  auto conn = connect();
  EXPECT_TRUE(conn->ping());
  EXPECT_FALSE(conn->is_broken());
  EXPECT_EQ(conn->server_version().substr(0, 2), "3.");
}

// ---- connecting --------------------------------------------------------------------------------

TEST(SqliteDriverTest, FileDatabasePersistsAcrossConnections) {
  TempDatabase db("file");
  {
    auto conn = connect(db.url());
    conn->execute("CREATE TABLE t (n INTEGER)", {});
    conn->execute("INSERT INTO t VALUES (7)", {});
  }
  auto again = connect(db.url("mode=ro"));
  EXPECT_EQ(query(*again, "SELECT n FROM t")[0][0], Value(std::int64_t{7}));
  EXPECT_THROW(again->execute("INSERT INTO t VALUES (8)", {}), OperationalError);
}

TEST(SqliteDriverTest, MemoryDatabasesAreSeparate) {
  auto a = connect("sqlite://");
  auto b = connect("sqlite:///:memory:");
  a->execute("CREATE TABLE t (n INTEGER)", {});
  EXPECT_THROW(b->execute("SELECT * FROM t", {}), ProgrammingError);
  auto dialect = make_dialect("sqlite");
  EXPECT_TRUE(dialect->shares_one_connection(URL::parse("sqlite://")));
  EXPECT_TRUE(dialect->shares_one_connection(URL::parse("sqlite:///:memory:")));
  EXPECT_FALSE(dialect->shares_one_connection(URL::parse("sqlite:///app.db")));
}

TEST(SqliteDriverTest, JournalModeOption) {
  TempDatabase db("wal");
  auto conn = connect(db.url("journal_mode=wal"));
  EXPECT_EQ(query(*conn, "PRAGMA journal_mode")[0][0], Value(std::string("wal")));
  EXPECT_EQ(query(*conn, "PRAGMA foreign_keys")[0][0], Value(std::int64_t{1}));
}

TEST(SqliteDriverTest, CannotOpenNamesThePath) {
  const std::string missing = "/nonexistent-dir/athanor/app.db";
  try {
    connect("sqlite:///" + missing);
    FAIL() << "expected OperationalError";
  } catch (const OperationalError& e) {
    EXPECT_NE(e.message().find(missing), std::string::npos) << e.message();
    EXPECT_EQ(e.native_code() & 0xff, 14);  // SQLITE_CANTOPEN
  }
  TempDatabase db("missing");
  EXPECT_THROW(connect(db.url("mode=rw")), OperationalError);
  EXPECT_FALSE(std::filesystem::exists(db.path()));
}

TEST(SqliteDriverTest, NotADatabaseFailsAtConnect) {
  TempDatabase db("garbage");
  {
    std::ofstream out(db.path(), std::ios::binary);
    out << std::string(4096, 'x');
  }
  try {
    connect(db.url());
    FAIL() << "expected OperationalError";
  } catch (const OperationalError& e) {
    EXPECT_NE(e.message().find(db.path()), std::string::npos) << e.message();
    EXPECT_EQ(e.native_code(), 26);  // SQLITE_NOTADB
  }
}

TEST(SqliteDialectTest, ValidatesUrlOptions) {
  auto dialect = make_dialect("sqlite");
  auto valid = [&](const std::string& url) { dialect->validate_url(URL::parse(url)); };
  EXPECT_NO_THROW(valid("sqlite://"));
  EXPECT_NO_THROW(valid("sqlite:///rel/app.db?mode=rwc&timeout=1.5&foreign_keys=off"));
  EXPECT_NO_THROW(valid("sqlite:////abs/app.db?journal_mode=WAL"));
  EXPECT_THROW(valid("sqlite:///app.db?cache=shared"), ArgumentError);
  EXPECT_THROW(valid("sqlite:///app.db?mode=memory"), ArgumentError);
  EXPECT_THROW(valid("sqlite:///app.db?timeout=-1"), ArgumentError);
  EXPECT_THROW(valid("sqlite:///app.db?timeout=soon"), ArgumentError);
  EXPECT_THROW(valid("sqlite:///app.db?foreign_keys=maybe"), ArgumentError);
  EXPECT_THROW(valid("sqlite:///app.db?journal_mode=fast"), ArgumentError);
  EXPECT_THROW(valid("sqlite://host/app.db"), ArgumentError);
  try {
    valid("sqlite:///app.db?cache=shared");
  } catch (const ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("'cache'"), std::string::npos) << e.what();
  }
  detail::SqliteConnectOptions options =
      detail::parse_sqlite_url(URL::parse("sqlite:///x.db?timeout=0.25&journal_mode=wal"));
  EXPECT_EQ(options.path, "x.db");
  EXPECT_EQ(options.busy_timeout, 250ms);
  EXPECT_EQ(options.journal_mode, "WAL");
  EXPECT_TRUE(options.foreign_keys);
  EXPECT_EQ(detail::parse_sqlite_url(URL::parse("sqlite://")).path, ":memory:");
  EXPECT_EQ(detail::parse_sqlite_url(URL::parse("sqlite:////tmp/a.db")).path, "/tmp/a.db");
}

// ---- SQL spelling ------------------------------------------------------------------------------

TEST(SqliteDialectTest, CompilerHooks) {
  auto dialect = make_dialect("sqlite");
  EXPECT_EQ(dialect->name(), "sqlite");
  EXPECT_EQ(dialect->placeholder(3), "?");
  EXPECT_EQ(dialect->identifier_quote(), '"');
  EXPECT_EQ(dialect->limit_offset_clause(std::nullopt, std::nullopt), "");
  EXPECT_EQ(dialect->limit_offset_clause(10, std::nullopt), " LIMIT 10");
  EXPECT_EQ(dialect->limit_offset_clause(10, 20), " LIMIT 10 OFFSET 20");
  EXPECT_EQ(dialect->limit_offset_clause(std::nullopt, 20), " LIMIT -1 OFFSET 20");
  EXPECT_EQ(dialect->distinct_from("a", "b", false), "a IS NOT b");
  EXPECT_EQ(dialect->distinct_from("a", "b", true), "a IS b");
  EXPECT_TRUE(dialect->supports_returning());
  EXPECT_FALSE(dialect->supports_native_ilike());
  EXPECT_FALSE(dialect->supports_for_update());
  EXPECT_FALSE(dialect->supports_alter_add_constraint());
  EXPECT_TRUE(dialect->inline_autoincrement_primary_key());
  EXPECT_EQ(dialect->max_bind_parameters(), 32766u);
  EXPECT_TRUE(dialect->is_reserved_word("select"));
  EXPECT_TRUE(dialect->is_reserved_word("autoincrement"));
  EXPECT_FALSE(dialect->is_reserved_word("email"));
}

// ---- DDL and schema text -----------------------------------------------------------------------

TEST(SqliteDialectTest, TypeNames) {
  using detail::sqlite_type_name;
  EXPECT_EQ(sqlite_type_name(Integer{}), "INTEGER");
  EXPECT_EQ(sqlite_type_name(BigInteger{}), "BIGINT");
  EXPECT_EQ(sqlite_type_name(SmallInteger{}), "SMALLINT");
  EXPECT_EQ(sqlite_type_name(Boolean{}), "BOOLEAN");
  EXPECT_EQ(sqlite_type_name(Float{}), "FLOAT");
  EXPECT_EQ(sqlite_type_name(Double{}), "DOUBLE");
  EXPECT_EQ(sqlite_type_name(Numeric{10, 2}), "NUMERIC(10, 2)");
  EXPECT_EQ(sqlite_type_name(Numeric{8, std::nullopt}), "NUMERIC(8)");
  EXPECT_EQ(sqlite_type_name(Numeric{}), "NUMERIC");
  EXPECT_EQ(sqlite_type_name(String{255}), "VARCHAR(255)");
  EXPECT_EQ(sqlite_type_name(String{}), "VARCHAR");
  EXPECT_EQ(sqlite_type_name(Text{}), "TEXT");
  EXPECT_EQ(sqlite_type_name(Date{}), "DATE");
  EXPECT_EQ(sqlite_type_name(DateTime{}), "DATETIME");
  EXPECT_EQ(sqlite_type_name(DateTime{true}), "TIMESTAMP WITH TIME ZONE");
  EXPECT_EQ(sqlite_type_name(Time{}), "TIME");
  EXPECT_EQ(sqlite_type_name(LargeBinary{}), "BLOB");
  EXPECT_EQ(sqlite_type_name(JSON{}), "JSON");
  EXPECT_EQ(sqlite_type_name(Uuid{}), "VARCHAR(36)");
  EXPECT_EQ(sqlite_type_name(Enum{{"draft", "published"}, "status"}), "VARCHAR(9)");
}

TEST(SqliteDialectTest, DeclaredTypesParseBack) {
  using detail::parse_sqlite_type;
  const std::vector<TypeEngine> emitted = {
      Integer{},     BigInteger{}, SmallInteger{}, Boolean{},
      Float{},       Double{},     Numeric{10, 2}, Numeric{8, std::nullopt},
      Numeric{},     String{255},  String{},       Text{},
      Date{},        DateTime{},   DateTime{true}, Time{},
      LargeBinary{}, JSON{},       Uuid{}};
  for (const TypeEngine& type : emitted) {
    EXPECT_EQ(type_name(parse_sqlite_type(detail::sqlite_type_name(type))), type_name(type));
  }
  EXPECT_EQ(type_name(parse_sqlite_type("numeric( 12 ,4 )")), type_name(Numeric{12, 4}));
  EXPECT_EQ(type_name(parse_sqlite_type("varchar(20)")), type_name(String{20}));
  EXPECT_EQ(type_name(parse_sqlite_type("CHARACTER VARYING(5)")), type_name(String{5}));
  EXPECT_EQ(type_name(parse_sqlite_type("int")), type_name(Integer{}));
  EXPECT_EQ(type_name(parse_sqlite_type("TIMESTAMP")), type_name(DateTime{}));
  EXPECT_EQ(type_name(parse_sqlite_type("REAL")), type_name(Double{}));
  EXPECT_EQ(type_name(parse_sqlite_type("")), type_name(LargeBinary{}));
  // Other names follow SQLite's affinity rules.
  EXPECT_EQ(type_name(parse_sqlite_type("UNSIGNED MEDIUM INTEGER")), type_name(Integer{}));
  EXPECT_EQ(type_name(parse_sqlite_type("NATIVE CLOB")), type_name(Text{}));
  EXPECT_EQ(type_name(parse_sqlite_type("FLOAT8")), type_name(Double{}));
  // SQLite's own example: "INT" comes first, so this is an integer column.
  EXPECT_EQ(type_name(parse_sqlite_type("FLOATING POINT")), type_name(Integer{}));
  EXPECT_EQ(type_name(parse_sqlite_type("MONEY")), type_name(Numeric{}));
}

TEST(SqliteDialectTest, CommentsRoundTripAnyText) {
  const std::vector<std::string> texts = {
      "plain",
      "it's \"quoted\"",
      "ends the comment */ early /* and opens another",
      "*/",
      "back\\slash *\\/ \\*/",
      "line one\nline two\r\n\ttabbed",
      "\x01\x1f control",
      "Unicode: \xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80 \xE4\xB8\xAD\xE6\x96\x87",
      "comment: \"nested\" */ ) , CONSTRAINT x UNIQUE (a)",
      "-- not a line comment",
  };
  for (const std::string& text : texts) {
    const std::string encoded = detail::encode_sqlite_comment(text);
    EXPECT_EQ(encoded.find("*/"), encoded.size() - 2) << encoded;
    const std::string create = detail::insert_sqlite_table_comment(
        "CREATE TABLE \"t\" (\n  \"a\" INTEGER" + encoded + ",\n  b TEXT\n)", text);
    detail::SqliteTableText parsed = detail::parse_sqlite_create_table(create);
    EXPECT_EQ(parsed.comment, text) << create;
    ASSERT_EQ(parsed.column_comments.size(), 1u) << create;
    EXPECT_EQ(parsed.column_comments[0].first, "a");
    EXPECT_EQ(parsed.column_comments[0].second, text);
  }
  EXPECT_EQ(detail::encode_sqlite_comment(""), "");
  EXPECT_EQ(detail::insert_sqlite_table_comment("CREATE TABLE t (a INTEGER)", ""),
            "CREATE TABLE t (a INTEGER)");
  EXPECT_EQ(detail::insert_sqlite_table_comment("CREATE TABLE t (a INTEGER)", "x"),
            "CREATE TABLE t /* comment: \"x\" */ (a INTEGER)");
}

TEST(SqliteDialectTest, CommentsSurviveInSqliteMaster) {
  auto conn = connect();
  const std::string text = "a */ b \"c\"\nd \xF0\x9F\x98\x80";
  const std::string create = detail::insert_sqlite_table_comment(
      "CREATE TABLE \"weird \"\"name\"\"\" (\n  \"id\" INTEGER NOT NULL PRIMARY KEY" +
          detail::encode_sqlite_comment(text) +
          ",\n  [b] TEXT CHECK (b <> ',') /* unrelated */,\n  `c` TEXT" +
          detail::encode_sqlite_comment("second") + "\n)",
      "table " + text);
  conn->execute(create, {});
  Rows rows = query(*conn, "SELECT sql FROM sqlite_master WHERE type = 'table'");
  ASSERT_EQ(rows.size(), 1u);
  detail::SqliteTableText parsed =
      detail::parse_sqlite_create_table(std::get<std::string>(rows[0][0]));
  EXPECT_EQ(parsed.comment, "table " + text);
  ASSERT_EQ(parsed.column_comments.size(), 2u);
  EXPECT_EQ(parsed.column_comments[0], (std::pair<std::string, std::string>{"id", text}));
  EXPECT_EQ(parsed.column_comments[1], (std::pair<std::string, std::string>{"c", "second"}));
}

TEST(SqliteDialectTest, NamedConstraintsAreFoundInCreateTableText) {
  detail::SqliteTableText parsed = detail::parse_sqlite_create_table(
      "CREATE TABLE t (\n"
      "  id INTEGER CONSTRAINT pk_t PRIMARY KEY,\n"
      "  a TEXT, b TEXT, \"Odd\" TEXT,\n"
      "  CONSTRAINT \"uq_t_a_b\" UNIQUE (a, \"b\" COLLATE NOCASE),\n"
      "  UNIQUE (\"Odd\"),\n"
      "  CONSTRAINT fk_t_a FOREIGN KEY (a) REFERENCES other (x) ON DELETE CASCADE,\n"
      "  CONSTRAINT ck_t CHECK (a IN ('(', ','))\n"
      ")");
  ASSERT_EQ(parsed.constraints.size(), 4u);
  EXPECT_EQ(parsed.constraints[0].kind, "PRIMARY KEY");
  EXPECT_EQ(parsed.constraints[0].name, "pk_t");
  EXPECT_EQ(parsed.constraints[0].columns, std::vector<std::string>{"id"});
  EXPECT_EQ(parsed.constraints[1].kind, "UNIQUE");
  EXPECT_EQ(parsed.constraints[1].name, "uq_t_a_b");
  EXPECT_EQ(parsed.constraints[1].columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(parsed.constraints[2].kind, "FOREIGN KEY");
  EXPECT_EQ(parsed.constraints[2].name, "fk_t_a");
  EXPECT_EQ(parsed.constraints[2].columns, std::vector<std::string>{"a"});
  EXPECT_EQ(parsed.constraints[3].kind, "CHECK");
  EXPECT_EQ(parsed.constraints[3].name, "ck_t");
  EXPECT_TRUE(parsed.column_comments.empty());
}

TEST(SqliteDialectTest, CreateTableDdl) {
  auto dialect = make_dialect("sqlite");
  MetaData metadata;
  Table& users = metadata.table(
      "users",
      {
          Column("id", BigInteger{}, {.primary_key = true, .comment = "Surrogate */ key"}),
          Column("email", String{255}, {.nullable = false}),
          Column("price", Numeric{10, 2}),
          Column("token", Uuid{}),
      },
      {.comment = "End-user accounts"});
  std::vector<std::string> ddl = dialect->create_table_ddl(users, {});
  ASSERT_FALSE(ddl.empty());
  const std::string& create = ddl.front();
  EXPECT_EQ(create.find("CREATE TABLE users /* comment: \"End-user accounts\" */ ("), 0u) << create;
  EXPECT_NE(create.find("id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT /* comment: \"Surrogate "
                        "*\\/ key\" */"),
            std::string::npos)
      << create;
  EXPECT_NE(create.find("email VARCHAR(255) NOT NULL"), std::string::npos) << create;
  EXPECT_NE(create.find("price NUMERIC(10, 2)"), std::string::npos) << create;
  EXPECT_NE(create.find("token VARCHAR(36)"), std::string::npos) << create;
  EXPECT_EQ(create.find("PRIMARY KEY (id)"), std::string::npos) << create;

  // And SQLite accepts it and keeps the comments.
  auto conn = connect();
  for (const std::string& sql : ddl) conn->execute(sql, {});
  Rows rows = query(*conn, "SELECT sql FROM sqlite_master WHERE name = 'users'");
  detail::SqliteTableText parsed =
      detail::parse_sqlite_create_table(std::get<std::string>(rows.at(0).at(0)));
  EXPECT_EQ(parsed.comment, "End-user accounts");
  ASSERT_EQ(parsed.column_comments.size(), 1u);
  EXPECT_EQ(parsed.column_comments[0].second, "Surrogate */ key");
}

}  // namespace
}  // namespace athanor
