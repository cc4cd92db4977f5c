// Compliance: hostile input, on every backend.
//
// Values that look like SQL (quotes, statement separators, comment markers, backslashes,
// placeholders), Unicode, control characters and megabyte strings must round-trip exactly as
// bound parameters and never execute: afterwards the same tables exist and a canary row is
// untouched. Identifiers that are reserved words or mixed case must work everywhere a name
// appears: DDL, DML, queries and reflection. LIKE wildcards in stored values and patterns behave
// as wildcards only in the pattern.
#include <algorithm>
#include <string>
#include <vector>

#include "tests/compliance/fixture.hpp"

namespace athanor::testing {
namespace {

// Text values that would break or subvert a statement if they were spliced into SQL. No NUL
// characters: PostgreSQL text cannot hold them.
std::vector<std::string> hostile_values() {
  return {
      "'",
      "''",
      "\"",
      "O'Brien",
      "it''s doubled",
      "'; DROP TABLE canary; --",
      "\"; DROP TABLE canary; --",
      "'); DELETE FROM canary; --",
      "1; DELETE FROM canary",
      "x' OR '1'='1",
      "x\" OR \"1\"=\"1",
      "/* unterminated comment",
      "*/ closing comment",
      "-- line comment",
      "# MySQL line comment",
      "\\",
      "\\'",
      "\\\\'; DROP TABLE canary; -- ",
      "trailing backslash \\",
      "\\n is not a newline, \\0 is not NUL, \\x41 is not A",
      "%",
      "_",
      "100%_done",
      "?",
      "?, ?",
      ":name",
      "\\:escaped",
      "$1",
      "@session_var",
      "`backticks`",
      "[brackets]",
      "; SELECT 1; ",
      "\x01\x02\x03\x07\b\t\n\v\f\r\x1b\x1f\x7f",
      "line one\r\nline two\n",
      "Ünïcödé — ✓ 日本語 한국어 עברית العربية",
      "emoji 🎉🧪👩‍👩‍👧 outside the BMP",
      "\xE2\x80\xAE right-to-left override",
      "ＳＥＬＥＣＴ fullwidth",
      "",
      " ",
      "null",
      "NULL",
  };
}

class HostileInputTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    canary_ = &metadata_.table("canary", {
                                             Column("id", Integer{}, {.primary_key = true}),
                                             Column("note", String{50}, {.nullable = false}),
                                         });
    payloads_ = &metadata_.table("payloads", {
                                                 Column("id", Integer{}, {.primary_key = true}),
                                                 Column("body", Text{}),
                                                 Column("label", String{255}),
                                                 Column("data", LargeBinary{}),
                                             });
    metadata_.create_all(engine());
    engine().begin([&](Connection& conn) {
      conn.execute(insert(*canary_).values({{"id", 1}, {"note", "still here"}}));
    });
    tables_before_ = inspect(engine()).get_table_names();
    clear_statements();
  }

  // Nothing but the intended statements ran: same tables, canary row intact.
  void expect_nothing_else_executed() {
    EXPECT_EQ(inspect(engine()).get_table_names(), tables_before_);
    auto conn = engine().connect();
    auto notes = conn.execute(select(canary_->c("note"))).scalars<std::string>();
    EXPECT_EQ(notes, std::vector<std::string>{"still here"});
  }

  // The bodies of `payloads` by id, read on a fresh connection.
  std::vector<std::optional<std::string>> stored_bodies() {
    auto conn = engine().connect();
    return conn.execute(select(payloads_->c("body")).order_by(payloads_->c("id")))
        .scalars<std::optional<std::string>>();
  }

  MetaData metadata_;
  Table* canary_ = nullptr;
  Table* payloads_ = nullptr;
  std::vector<std::string> tables_before_;
};

TEST_F(HostileInputTest, SingleRowInsertsRoundTripExactly) {
  const auto values = hostile_values();
  {
    auto conn = engine().connect();
    for (std::size_t i = 0; i < values.size(); ++i) {
      conn.execute(
          insert(*payloads_)
              .values({{"id", static_cast<int>(i)}, {"body", values[i]}, {"label", values[i]}}));
    }
    conn.commit();
  }
  auto bodies = stored_bodies();
  ASSERT_EQ(bodies.size(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    ASSERT_TRUE(bodies[i].has_value()) << "row " << i;
    EXPECT_EQ(*bodies[i], values[i]) << "row " << i;
  }
  // The values travel as parameters: the SQL text never contains them.
  for (const std::string& line : statements()) {
    if (line.rfind("INSERT", 0) == 0) {
      EXPECT_EQ(line.find("DROP TABLE"), std::string::npos) << line;
    }
  }
  expect_nothing_else_executed();
}

TEST_F(HostileInputTest, ExecutemanyRoundTripsExactly) {
  const auto values = hostile_values();
  std::vector<Params> rows;
  for (std::size_t i = 0; i < values.size(); ++i) {
    rows.push_back({{"id", static_cast<int>(i)}, {"body", values[i]}, {"label", values[i]}});
  }
  engine().begin([&](Connection& conn) { conn.execute(insert(*payloads_), rows); });
  auto conn = engine().connect();
  auto labels = conn.execute(select(payloads_->c("label")).order_by(payloads_->c("id")))
                    .scalars<std::string>();
  EXPECT_EQ(labels, values);
  expect_nothing_else_executed();
}

TEST_F(HostileInputTest, HostileValuesInWhereMatchOnlyThemselves) {
  const auto values = hostile_values();
  std::vector<Params> rows;
  for (std::size_t i = 0; i < values.size(); ++i) {
    rows.push_back({{"id", static_cast<int>(i)}, {"body", values[i]}, {"label", values[i]}});
  }
  engine().begin([&](Connection& conn) { conn.execute(insert(*payloads_), rows); });

  auto conn = engine().connect();
  const auto by_label =
      select(payloads_->c("id")).where(payloads_->c("label") == bindparam("label"));
  for (std::size_t i = 0; i < values.size(); ++i) {
    auto ids = conn.execute(by_label, Params{{"label", values[i]}}).scalars<int>();
    // Backends may compare with trailing-space or case-insensitive collations; the row itself
    // must be among the matches and nothing may match "everything".
    EXPECT_NE(std::find(ids.begin(), ids.end(), static_cast<int>(i)), ids.end()) << values[i];
    EXPECT_LT(ids.size(), 4u) << values[i];
  }
  // The same through text() with a named parameter, and a hostile value in UPDATE and DELETE.
  auto found = conn.execute(text("SELECT id FROM payloads WHERE label = :label"),
                            Params{{"label", "x' OR '1'='1"}})
                   .scalars<int>();
  EXPECT_EQ(found.size(), 1u);
  EXPECT_EQ(conn.execute(update(*payloads_)
                             .where(payloads_->c("label") == "'; DROP TABLE canary; --")
                             .values({{"body", "1; DELETE FROM canary"}}))
                .rowcount(),
            1);
  EXPECT_EQ(
      conn.execute(delete_(*payloads_).where(payloads_->c("label") == "x' OR '1'='1")).rowcount(),
      1);
  conn.commit();
  EXPECT_EQ(conn.execute(select(func::count()).select_from(*payloads_)).scalar<std::int64_t>(),
            static_cast<std::int64_t>(values.size()) - 1);
  expect_nothing_else_executed();
}

TEST_F(HostileInputTest, MegabyteStringsAndBinaryRoundTrip) {
  // 1 MiB of text cycling through quotes, backslashes, separators, control characters and
  // multi-byte UTF-8, and 1 MiB of bytes with every value including NUL.
  const std::string pattern = "'\";--/*\\%_?\t\n\x01\x1f ÄÖÜ ✓ 🎉 ";
  std::string big;
  while (big.size() < (1u << 20)) big += pattern;
  Bytes blob(1u << 20);
  for (std::size_t i = 0; i < blob.size(); ++i) blob[i] = static_cast<std::byte>((i * 7 + 3) % 256);
  // A second, smaller text so the driver has to grow its buffers between rows.
  const std::string small = "small";

  {
    auto conn = engine().connect();
    conn.execute(insert(*payloads_).values({{"id", 1}, {"body", small}, {"data", Bytes{}}}));
    conn.execute(insert(*payloads_).values({{"id", 2}, {"body", big}, {"data", blob}}));
    conn.execute(insert(*payloads_).values({{"id", 3}, {"body", small}, {"data", blob}}));
    conn.commit();
  }
  auto conn = engine().connect();
  auto rows =
      conn.execute(select(payloads_->c("body"), payloads_->c("data")).order_by(payloads_->c("id")))
          .all();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].get<std::string>(0), small);
  EXPECT_TRUE(rows[0].get<Bytes>(1).empty());
  const std::string read_big = rows[1].get<std::string>(0);
  EXPECT_EQ(read_big.size(), big.size());
  EXPECT_TRUE(read_big == big) << "1 MiB text differs";
  EXPECT_TRUE(rows[1].get<Bytes>(1) == blob) << "1 MiB blob differs";
  EXPECT_EQ(rows[2].get<std::string>(0), small);
  EXPECT_TRUE(rows[2].get<Bytes>(1) == blob);
  // Found again by comparing with the whole megabyte as a parameter.
  EXPECT_EQ(
      conn.execute(select(payloads_->c("id")).where(payloads_->c("body") == big)).scalars<int>(),
      std::vector<int>{2});
  expect_nothing_else_executed();
}

TEST_F(HostileInputTest, ReservedWordAndMixedCaseIdentifiers) {
  MetaData md;
  Table& order = md.table("order",
                          {
                              Column("id", Integer{}, {.primary_key = true}),
                              Column("select", String{50}, {.nullable = false}),
                              Column("From", Integer{}, {.index = true}),
                              Column("group", Text{}),
                          },
                          {.comment = "table named order"});
  Table& mixed = md.table(
      "MixedCase", {
                       Column("Id", Integer{}, {.primary_key = true}),
                       Column("order_id", Integer{}, ForeignKey("order.id"), {.nullable = false}),
                       Column("Where", String{20}, {.unique = true}),
                   });
  md.create_all(engine());

  {
    auto conn = engine().connect();
    conn.execute(insert(order), std::vector<Params>{
                                    {{"id", 1}, {"select", "a"}, {"From", 10}, {"group", "g1"}},
                                    {{"id", 2}, {"select", "b"}, {"From", 20}, {"group", "g2"}},
                                    {{"id", 3}, {"select", "c"}, {"From", 30}, {"group", "g1"}},
                                });
    conn.execute(insert(mixed).values({{"Id", 1}, {"order_id", 2}, {"Where", "here"}}));
    conn.execute(update(order).where(order.c("select") == "c").values({{"From", 31}}));
    conn.execute(delete_(order).where(order.c("select") == "a"));
    conn.commit();

    auto rows = conn.execute(select(order.c("select"), order.c("From"), order.c("group"))
                                 .where(order.c("group") == "g1" || order.c("From") == 20)
                                 .order_by(order.c("From").desc()))
                    .all();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].keys(), (std::vector<std::string>{"select", "From", "group"}));
    EXPECT_EQ(rows[0].get<std::string>("select"), "c");
    EXPECT_EQ(rows[0].get<int>("From"), 31);
    EXPECT_EQ(rows[1].get<std::string>("group"), "g2");

    auto joined =
        conn.execute(select(mixed.c("Where"), order.c("select")).select_from(mixed.join(order)))
            .one();
    EXPECT_EQ(joined.get<std::string>("Where"), "here");
    EXPECT_EQ(joined.get<std::string>("select"), "b");
    EXPECT_EQ(conn.execute(select(func::count())
                               .select_from(order)
                               .group_by(order.c("group"))
                               .having(func::count() > 0))
                  .all()
                  .size(),
              2u);
  }

  auto inspector = inspect(engine());
  auto names = inspector.get_table_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "order"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "MixedCase"), names.end());
  std::vector<std::string> columns;
  for (const ReflectedColumn& c : inspector.get_columns("order")) columns.push_back(c.name);
  EXPECT_EQ(columns, (std::vector<std::string>{"id", "select", "From", "group"}));
  EXPECT_EQ(inspector.get_pk_constraint("MixedCase").columns, std::vector<std::string>{"Id"});
  auto fks = inspector.get_foreign_keys("MixedCase");
  ASSERT_EQ(fks.size(), 1u);
  EXPECT_EQ(fks[0].referred_table, "order");
  EXPECT_EQ(fks[0].columns, std::vector<std::string>{"order_id"});
  auto indexes = inspector.get_indexes("order");
  ASSERT_EQ(indexes.size(), 1u);
  EXPECT_EQ(indexes[0].columns, std::vector<std::string>{"From"});
  auto uniques = inspector.get_unique_constraints("MixedCase");
  ASSERT_EQ(uniques.size(), 1u);
  EXPECT_EQ(uniques[0].columns, std::vector<std::string>{"Where"});
  EXPECT_EQ(inspector.get_table_comment("order"), "table named order");

  // A reflected copy works for queries just like the declared table.
  MetaData reflected;
  Table& order_again = Table::autoload("order", reflected, engine());
  auto conn = engine().connect();
  EXPECT_EQ(conn.execute(select(order_again.c("select")).where(order_again.c("From") == 31))
                .scalar<std::string>(),
            "c");
  conn.close();
  md.drop_all(engine());
  expect_nothing_else_executed();
}

TEST_F(HostileInputTest, LikeWildcardsMatchOnlyInThePattern) {
  const std::vector<std::string> values = {
      "100%", "100 percent", "a_b", "axb", "ab", "'; DROP TABLE canary; --", "Percent%Sign"};
  std::vector<Params> rows;
  for (std::size_t i = 0; i < values.size(); ++i) {
    rows.push_back({{"id", static_cast<int>(i)}, {"label", values[i]}});
  }
  engine().begin([&](Connection& conn) { conn.execute(insert(*payloads_), rows); });

  auto conn = engine().connect();
  auto matching = [&](const ColumnElement& condition) {
    auto labels =
        conn.execute(select(payloads_->c("label")).where(condition)).scalars<std::string>();
    std::sort(labels.begin(), labels.end());
    return labels;
  };
  const ColumnElement label = payloads_->c("label");
  EXPECT_EQ(matching(label.like("100%")), (std::vector<std::string>{"100 percent", "100%"}));
  EXPECT_EQ(matching(label.like("a_b")), (std::vector<std::string>{"a_b", "axb"}));
  EXPECT_EQ(matching(label.like("%'; DROP TABLE%")),
            std::vector<std::string>{"'; DROP TABLE canary; --"});
  EXPECT_EQ(matching(label.not_like("%%%")), std::vector<std::string>{});
  EXPECT_EQ(matching(label.ilike("percent%sign")), std::vector<std::string>{"Percent%Sign"});
  // Equality treats % and _ literally.
  EXPECT_EQ(matching(label == "a_b"), std::vector<std::string>{"a_b"});
  EXPECT_EQ(matching(label == "100%"), std::vector<std::string>{"100%"});
  expect_nothing_else_executed();
}

}  // namespace
}  // namespace athanor::testing
