// Compliance, SQLite only: what the SQLite dialect does differently, seen through the engine.
// The SQL it emits (AUTOINCREMENT, LIMIT -1, no FOR UPDATE, comments kept in CREATE TABLE), the
// storage forms it chooses (timestamps as sortable UTC text), reflection of schemas Athanor did
// not create, in-memory engines, read-only files and busy timeouts. Every test skips on the other
// backends.
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

#include "tests/compliance/fixture.hpp"

namespace athanor::testing {
namespace {

using namespace std::chrono_literals;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class SqliteTest : public BackendTest {
 protected:
  void SetUp() override {
    if (backend() != "sqlite") GTEST_SKIP() << "SQLite-specific behaviour";
    BackendTest::SetUp();
  }

  // The first logged statement containing `part`, or "".
  std::string logged(const std::string& part) const {
    for (const std::string& line : statements()) {
      if (contains(line, part)) return line;
    }
    return {};
  }
};

// A database file of its own in the temporary directory, removed at scope end.
class ScratchFile {
 public:
  explicit ScratchFile(const std::string& tag)
      : path_(std::filesystem::temp_directory_path() /
              ("athanor_sqlite_" + tag + "_" + std::to_string(::getpid()) + ".db")) {
    std::filesystem::remove(path_);
  }
  ~ScratchFile() {
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
      std::filesystem::remove(path_.string() + suffix);
    }
  }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  std::string url(const std::string& query = "") const {
    return "sqlite:///" + path_.string() + (query.empty() ? "" : "?" + query);
  }

 private:
  std::filesystem::path path_;
};

TEST_F(SqliteTest, AutoincrementKeyIsAnIntegerRowidAlias) {
  MetaData md;
  const Table& events = md.table(
      "events", {Column("id", BigInteger{}, {.primary_key = true}), Column("name", String{50})});
  md.create_all(engine());
  const std::string create = logged("CREATE TABLE events");
  EXPECT_TRUE(contains(create, "id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT")) << create;

  auto conn = engine().connect();
  conn.execute(insert(events).values({{"name", "a"}}));
  Result second = conn.execute(insert(events).values({{"name", "b"}}));
  conn.commit();
  ASSERT_TRUE(second.inserted_primary_key().has_value());
  EXPECT_EQ(second.inserted_primary_key()->get<std::int64_t>(0), 2);
  // AUTOINCREMENT never reuses the key of a deleted last row.
  conn.execute(delete_(events).where(events.c("id") == 2));
  Result third = conn.execute(insert(events).values({{"name", "c"}}));
  conn.commit();
  EXPECT_EQ(third.inserted_primary_key()->get<std::int64_t>(0), 3);
}

TEST_F(SqliteTest, LimitOffsetAndForUpdateSpelling) {
  MetaData md;
  const Table& t = md.table("numbers", {Column("n", Integer{}, {.primary_key = true})});
  md.create_all(engine());
  auto conn = engine().connect();
  std::vector<Params> rows;
  for (int i = 1; i <= 5; ++i) rows.push_back({{"n", i}});
  conn.execute(insert(t), rows);
  conn.commit();
  clear_statements();

  EXPECT_EQ(conn.execute(select(t.c("n")).order_by(t.c("n")).offset(3)).scalars<int>(),
            (std::vector<int>{4, 5}));
  EXPECT_TRUE(contains(logged("SELECT"), "LIMIT -1 OFFSET ?") ||
              contains(logged("SELECT"), "LIMIT -1 OFFSET 3"))
      << logged("SELECT");
  clear_statements();
  EXPECT_EQ(conn.execute(select(t.c("n")).where(t.c("n") == 2).with_for_update()).scalar<int>(), 2);
  EXPECT_FALSE(contains(logged("SELECT"), "FOR UPDATE")) << logged("SELECT");
  conn.rollback();
}

TEST_F(SqliteTest, CommentsAreKeptInTheCreateTableText) {
  const std::string hostile = "it's \"quoted\" */ -- not SQL\nsecond line \xF0\x9F\x98\x80 /*";
  MetaData md;
  md.table("notes",
           {Column("id", Integer{}, {.primary_key = true, .comment = hostile}),
            Column("body", Text{}, {.comment = "Body text"}), Column("plain", Text{})},
           {.comment = "Table: " + hostile});
  md.create_all(engine());
  Inspector inspector = inspect(engine());
  EXPECT_EQ(inspector.get_table_comment("notes"), "Table: " + hostile);
  std::vector<ReflectedColumn> columns = inspector.get_columns("notes");
  ASSERT_EQ(columns.size(), 3u);
  EXPECT_EQ(columns[0].comment, hostile);
  EXPECT_EQ(columns[1].comment, "Body text");
  EXPECT_EQ(columns[2].comment, "");

  // The comments live in sqlite_master, where any SQLite tool shows them.
  auto conn = engine().connect();
  std::string sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = ?",
                                         {Value(std::string("notes"))})
                        .scalar<std::string>();
  EXPECT_TRUE(contains(sql, "/* comment: \"Body text\" */")) << sql;
}

TEST_F(SqliteTest, TimestampsAreStoredAsSortableUtcText) {
  MetaData md;
  const Table& t = md.table(
      "stamps", {Column("id", Integer{}, {.primary_key = true}), Column("at", DateTime{true})});
  md.create_all(engine());
  const Timestamp noon = Timestamp{std::chrono::sys_days{std::chrono::year{2024} / 3 / 1}} + 12h;
  auto conn = engine().connect();
  conn.execute(insert(t).values({{"id", 1}, {"at", noon}}));
  // Text written by other tools, with an offset: read back as the same instant.
  conn.exec_driver_sql("INSERT INTO stamps (id, at) VALUES (2, ?)",
                       {Value(std::string("2024-03-01T17:30:00+05:30"))});
  conn.commit();
  EXPECT_EQ(conn.exec_driver_sql("SELECT at FROM stamps WHERE id = 1").scalar<std::string>(),
            "2024-03-01 12:00:00.000000");
  EXPECT_EQ(conn.execute(select(t.c("at")).where(t.c("id") == 2)).scalar<Timestamp>(), noon);
  // Comparisons with a bound instant work on the stored text.
  EXPECT_EQ(conn.execute(select(t.c("id")).where(t.c("at") == noon)).scalars<int>(),
            std::vector<int>{1});
  EXPECT_EQ(conn.execute(select(t.c("id")).where(t.c("at") < noon + 1us)).scalars<int>(),
            std::vector<int>{1});
  conn.rollback();
}

TEST_F(SqliteTest, ForeignKeyCyclesAreDeclaredInline) {
  MetaData md;
  md.table("departments", {Column("id", Integer{}, {.primary_key = true}),
                           Column("head_id", Integer{}, ForeignKey("employees.id"))});
  md.table("employees", {Column("id", Integer{}, {.primary_key = true}),
                         Column("department_id", Integer{}, ForeignKey("departments.id"))});
  md.create_all(engine());
  EXPECT_EQ(logged("ALTER TABLE"), "");
  EXPECT_EQ(inspect(engine()).get_foreign_keys("departments").size(), 1u);
  EXPECT_EQ(inspect(engine()).get_foreign_keys("employees").size(), 1u);
  // Rows referring to each other both ways: neither table can be emptied first.
  engine().begin([&](Connection& conn) {
    conn.exec_driver_sql("INSERT INTO departments (id) VALUES (1)");
    conn.exec_driver_sql("INSERT INTO employees (id, department_id) VALUES (1, 1)");
    conn.exec_driver_sql("UPDATE departments SET head_id = 1");
  });
  md.drop_all(engine());
  EXPECT_TRUE(inspect(engine()).get_table_names().empty());
}

TEST_F(SqliteTest, ReflectsSchemasWrittenByHand) {
  {
    auto conn = engine().connect();
    conn.exec_driver_sql(
        "CREATE TABLE Parent (id INTEGER PRIMARY KEY, code TEXT, CONSTRAINT uq_code UNIQUE "
        "(code))");
    conn.exec_driver_sql(
        "CREATE TABLE child (\n"
        "  id integer primary key,\n"
        "  parent_id INT REFERENCES parent ON DELETE SET NULL,\n"
        "  parent_code TEXT,\n"
        "  amount money,\n"
        "  label nvarchar(30) UNIQUE,\n"
        "  ratio real,\n"
        "  CONSTRAINT fk_child_code FOREIGN KEY (parent_code) REFERENCES Parent (code)\n"
        ")");
    conn.exec_driver_sql("CREATE INDEX ix_child_lower ON child (lower(label))");
    conn.exec_driver_sql("CREATE INDEX ix_child_amount ON child (amount, ratio)");
    conn.commit();
  }
  Inspector inspector = inspect(engine());
  EXPECT_EQ(inspector.get_table_names(), (std::vector<std::string>{"Parent", "child"}));
  // Table names are case-insensitive in SQLite.
  EXPECT_EQ(inspector.get_pk_constraint("parent").columns, std::vector<std::string>{"id"});

  std::vector<ReflectedColumn> columns = inspector.get_columns("child");
  ASSERT_EQ(columns.size(), 6u);
  EXPECT_TRUE(columns[0].autoincrement);
  EXPECT_FALSE(columns[0].nullable);
  EXPECT_FALSE(columns[1].autoincrement);
  EXPECT_EQ(type_name(columns[1].type), "INTEGER");
  EXPECT_EQ(type_name(columns[3].type), "NUMERIC");  // affinity of an unknown name
  EXPECT_EQ(type_name(columns[4].type), "VARCHAR(30)");
  EXPECT_EQ(type_name(columns[5].type), "DOUBLE");

  std::vector<ReflectedForeignKey> keys = inspector.get_foreign_keys("child");
  ASSERT_EQ(keys.size(), 2u);
  // Declaration order; a key naming only the table refers to its primary key.
  EXPECT_EQ(keys[0].columns, std::vector<std::string>{"parent_id"});
  EXPECT_EQ(keys[0].referred_columns, std::vector<std::string>{"id"});
  EXPECT_EQ(keys[0].ondelete, "SET NULL");
  EXPECT_EQ(keys[0].name, "");
  EXPECT_EQ(keys[1].name, "fk_child_code");
  EXPECT_EQ(keys[1].referred_table, "Parent");
  EXPECT_EQ(keys[1].referred_columns, std::vector<std::string>{"code"});

  // The expression index has no column list to report and is left out.
  std::vector<ReflectedIndex> indexes = inspector.get_indexes("child");
  ASSERT_EQ(indexes.size(), 1u);
  EXPECT_EQ(indexes[0].name, "ix_child_amount");
  EXPECT_EQ(indexes[0].columns, (std::vector<std::string>{"amount", "ratio"}));

  std::vector<ReflectedUniqueConstraint> uniques = inspector.get_unique_constraints("child");
  ASSERT_EQ(uniques.size(), 1u);
  EXPECT_EQ(uniques[0].name, "");
  EXPECT_EQ(uniques[0].columns, std::vector<std::string>{"label"});
  uniques = inspector.get_unique_constraints("Parent");
  ASSERT_EQ(uniques.size(), 1u);
  EXPECT_EQ(uniques[0].name, "uq_code");
}

TEST_F(SqliteTest, MemoryEngineSharesOneDatabase) {
  Engine memory = create_engine("sqlite://");
  MetaData md;
  const Table& t =
      md.table("kv", {Column("k", String{10}, {.primary_key = true}), Column("v", Integer{})});
  md.create_all(memory);
  {
    auto conn = memory.connect();
    conn.execute(insert(t).values({{"k", "a"}, {"v", 1}}));
    conn.commit();
  }
  auto other = memory.connect();
  EXPECT_EQ(other.execute(select(t.c("v"))).scalar<int>(), 1);
}

// Results of one statement share their column names; a schema change that alters what
// SELECT * returns must show in the next result's keys and rows.
TEST_F(SqliteTest, ResultKeysFollowASchemaChange) {
  Engine memory = create_engine("sqlite://");
  auto conn = memory.connect();
  conn.exec_driver_sql("CREATE TABLE evolving (a INTEGER)");
  conn.exec_driver_sql("INSERT INTO evolving VALUES (1)");
  const auto star = text("SELECT * FROM evolving");
  EXPECT_EQ(conn.execute(star).keys(), (std::vector<std::string>{"a"}));
  EXPECT_EQ(conn.execute(star).keys(), (std::vector<std::string>{"a"}));
  conn.exec_driver_sql("ALTER TABLE evolving ADD COLUMN b TEXT DEFAULT 'new'");
  Result result = conn.execute(star);
  EXPECT_EQ(result.keys(), (std::vector<std::string>{"a", "b"}));
  std::optional<Row> row = result.first();
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->get<std::string>("b"), "new");
}

TEST_F(SqliteTest, ReadOnlyFileRejectsWrites) {
  ScratchFile file("readonly");
  MetaData md;
  const Table& t = md.table("items", {Column("id", Integer{}, {.primary_key = true})});
  Engine writer = create_engine(file.url());
  md.create_all(writer);
  writer.begin([&](Connection& conn) { conn.execute(insert(t).values({{"id", 1}})); });
  writer.dispose();

  Engine reader = create_engine(file.url("mode=ro"));
  auto conn = reader.connect();
  EXPECT_EQ(conn.execute(select(t.c("id"))).scalar<int>(), 1);
  try {
    conn.execute(insert(t).values({{"id", 2}}));
    FAIL() << "a read-only database accepted an INSERT";
  } catch (const OperationalError& e) {
    EXPECT_TRUE(contains(e.message(), "readonly")) << e.message();
  }
  conn.rollback();
}

TEST_F(SqliteTest, LockedDatabaseTimesOut) {
  ScratchFile file("locked");
  MetaData md;
  const Table& t = md.table("items", {Column("id", Integer{}, {.primary_key = true})});
  Engine first = create_engine(file.url("timeout=0.3"));
  Engine second = create_engine(file.url("timeout=0.3"));
  md.create_all(first);
  auto holder = first.connect();
  holder.execute(insert(t).values({{"id", 1}}));  // holds the write lock until commit
  auto waiter = second.connect();
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(waiter.execute(insert(t).values({{"id", 2}})), OperationalError);
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, 250ms);
  EXPECT_LT(waited, 10s);
  waiter.rollback();
  holder.commit();
  waiter.execute(insert(t).values({{"id", 2}}));
  waiter.commit();
}

TEST_F(SqliteTest, UnknownUrlOptionsAreRejected) {
  EXPECT_THROW(create_engine("sqlite:///x.db?cache=shared"), ArgumentError);
  EXPECT_THROW(create_engine("sqlite:///x.db?timeout=never"), ArgumentError);
  EXPECT_THROW(create_engine("sqlite://somehost/x.db"), ArgumentError);
  EXPECT_NO_THROW(create_engine("sqlite:///x.db?mode=rw&timeout=2&foreign_keys=on"));
  try {
    Engine missing = create_engine("sqlite:////nonexistent-dir/athanor.db");
    (void)missing.connect();
    FAIL() << "opening a file in a missing directory succeeded";
  } catch (const OperationalError& e) {
    EXPECT_TRUE(contains(e.message(), "/nonexistent-dir/athanor.db")) << e.message();
  }
}

}  // namespace
}  // namespace athanor::testing
