// Compliance: the string operators (startswith, endswith, contains with autoescape, concat,
// collate) and cast to a type descriptor, on every backend. Each test stores rows whose text holds
// LIKE's wildcards (% and _) and the escape character, and checks which rows each operator
// matches or what it computes, read back from the database.
#include <optional>
#include <string>
#include <vector>

#include "tests/compliance/fixture.hpp"

namespace athanor::testing {
namespace {

class StringOperatorsTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    metadata_.create_all(engine());
    auto conn = engine().connect();
    std::vector<Params> rows;
    for (const std::string& word : kWords) rows.push_back({{"word", word}});
    conn.execute(insert(words_), rows);
    conn.commit();
  }

  // The words the condition matches, in insertion order.
  std::vector<std::string> matching(const ColumnElement& condition) {
    auto conn = engine().connect();
    return conn.execute(select(words_.c("word")).where(condition).order_by(words_.c("id")))
        .scalars<std::string>();
  }

  ColumnElement word() const { return words_.c("word"); }

  static inline const std::vector<std::string> kWords = {
      "100%", "100% off", "1000", "a_b", "axb", "a_b_c", "50% a_b", "path/to", "c:\\dir", "abc"};
  MetaData metadata_;
  Table& words_ = metadata_.table(
      "words", {Column("id", Integer{}, {.primary_key = true}),
                Column("word", String{40}, {.nullable = false}), Column("note", String{40})});
};

using Words = std::vector<std::string>;

TEST_F(StringOperatorsTest, WithoutAutoescapeWildcardsInTheValueStayWildcards) {
  EXPECT_EQ(matching(word().startswith("100%")), (Words{"100%", "100% off", "1000"}));
  EXPECT_EQ(matching(word().endswith("_b")), (Words{"a_b", "axb", "50% a_b"}));
  EXPECT_EQ(matching(word().contains("b")), (Words{"a_b", "axb", "a_b_c", "50% a_b", "abc"}));
  EXPECT_EQ(matching(word().startswith("a")), (Words{"a_b", "axb", "a_b_c", "abc"}));
}

TEST_F(StringOperatorsTest, AutoescapeMatchesPercentUnderscoreAndTheEscapeCharacterLiterally) {
  EXPECT_EQ(matching(word().startswith("100%", {.autoescape = true})), (Words{"100%", "100% off"}));
  EXPECT_EQ(matching(word().endswith("_b", {.autoescape = true})), (Words{"a_b", "50% a_b"}));
  EXPECT_EQ(matching(word().contains("_b_", {.autoescape = true})), (Words{"a_b_c"}));
  EXPECT_EQ(matching(word().contains("% a", {.autoescape = true})), (Words{"50% a_b"}));
  EXPECT_EQ(matching(word().contains("/", {.autoescape = true})), (Words{"path/to"}));
  // A backslash is an ordinary character once the ESCAPE clause names another one (it is the
  // default escape character of LIKE on PostgreSQL and MySQL).
  EXPECT_EQ(matching(word().contains("\\", {.autoescape = true})), (Words{"c:\\dir"}));
  EXPECT_EQ(matching(word().contains("_", {.autoescape = true, .escape = '^'})),
            (Words{"a_b", "a_b_c", "50% a_b"}));
  EXPECT_EQ(matching(!word().contains("%", {.autoescape = true})),
            (Words{"1000", "a_b", "axb", "a_b_c", "path/to", "c:\\dir", "abc"}));
  // An escape character without autoescape: the value is a pattern written with it.
  EXPECT_EQ(matching(word().startswith("a^_", {.escape = '^'})), (Words{"a_b", "a_b_c"}));
}

TEST_F(StringOperatorsTest, ExpressionOperandsAreConcatenatedWithTheWildcards) {
  auto conn = engine().connect();
  conn.execute(update(words_).where(words_.c("word") == "a_b_c").values({{"note", "b_c"}}));
  conn.execute(update(words_).where(words_.c("word") == "abc").values({{"note", "ab"}}));
  conn.execute(update(words_).where(words_.c("word") == "axb").values({{"note", "zz"}}));
  conn.commit();
  EXPECT_EQ(matching(word().endswith(words_.c("note"))), (Words{"a_b_c"}));
  EXPECT_EQ(matching(word().startswith(words_.c("note"))), (Words{"abc"}));
  EXPECT_EQ(matching(word().contains(words_.c("note"))), (Words{"a_b_c", "abc"}));
}

TEST_F(StringOperatorsTest, ConcatJoinsTextAndIsNullWithANullOperand) {
  auto conn = engine().connect();
  conn.execute(update(words_).where(words_.c("word") == "abc").values({{"note", "n"}}));
  conn.commit();
  auto joined = [&](const ColumnElement& expr, const std::string& which) {
    return conn.execute(select(expr.label("j")).where(words_.c("word") == which))
        .scalar<std::optional<std::string>>();
  };
  EXPECT_EQ(joined(word().concat(" [").concat(words_.c("note")).concat("]"), "abc"), "abc [n]");
  EXPECT_EQ(joined(word().concat(words_.c("note")), "axb"), std::nullopt);
  EXPECT_EQ(joined(literal("<").concat(word()).concat(">"), "100%"), "<100%>");
  // A concatenation used in a condition, with values bound.
  EXPECT_EQ(matching(word().concat("!") == "axb!"), (Words{"axb"}));
}

// Each backend compares with its own collation names: a binary one tells case apart where the
// default one (SQLite's LIKE, MariaDB's utf8mb4 default) does not, or the other way round.
TEST_F(StringOperatorsTest, CollateUsesTheBackendsCollation) {
  auto conn = engine().connect();
  conn.execute(insert(words_).values({{"word", "ABC"}}));
  conn.commit();
  std::string case_insensitive;
  std::string case_sensitive;
  if (backend() == "sqlite") {
    case_insensitive = "NOCASE";
    case_sensitive = "BINARY";
  } else if (backend() == "postgresql") {
    case_sensitive = "C";
  } else {
    case_insensitive = "utf8mb4_general_ci";
    case_sensitive = "utf8mb4_bin";
  }
  EXPECT_EQ(matching(word().collate(case_sensitive) == "abc"), (Words{"abc"}));
  if (!case_insensitive.empty()) {
    EXPECT_EQ(matching(word().collate(case_insensitive) == "abc"), (Words{"abc", "ABC"}));
  } else {
    // PostgreSQL 15 has no case-insensitive collation without ICU; "C" orders upper case first.
    EXPECT_EQ(conn.execute(select(word())
                               .where(word().in_({"abc", "ABC", "axb"}))
                               .order_by(word().collate("C")))
                  .scalars<std::string>(),
              (Words{"ABC", "abc", "axb"}));
  }
  // An unknown collation is the database's error, not swallowed.
  EXPECT_THROW((void)matching(word().collate("no_such_collation") == "abc"), DBAPIError);
}

TEST_F(StringOperatorsTest, CastConvertsToTheTypesValues) {
  auto conn = engine().connect();
  conn.execute(insert(words_).values({{"word", "42"}, {"note", "2024-05-01"}}));
  conn.commit();
  auto one = [&](const ColumnElement& expr) {
    return conn.execute(select(expr.label("v")).where(words_.c("word") == "42")).one();
  };
  EXPECT_EQ(one(cast(word(), Integer{})).get<std::int64_t>(0), 42);
  EXPECT_EQ(one(cast(word(), Integer{}) + 1).get<std::int64_t>(0), 43);
  EXPECT_EQ(one(word().cast(Numeric{10, 2})).get<double>(0), 42.0);
  // (The key is read back: MariaDB's bulk insert may leave gaps in the numbering.)
  const auto id = conn.execute(select(words_.c("id")).where(word() == "42")).scalar<std::int64_t>();
  EXPECT_EQ(one(cast(words_.c("id"), String{10})).get<std::string>(0), std::to_string(id));
  // Dates cast from their ISO text compare as dates (on SQLite: as the text they are kept as).
  EXPECT_EQ(one(cast(words_.c("note"), Date{})).get<std::chrono::sys_days>(0),
            std::chrono::sys_days{std::chrono::year{2024} / 5 / 1});
  EXPECT_EQ(matching(cast(words_.c("note"), Date{}) ==
                     std::chrono::sys_days{std::chrono::year{2024} / 5 / 1}),
            (Words{"42"}));
  // A value the database cannot convert is its error.
  if (backend() == "postgresql") {
    EXPECT_THROW((void)one(cast(words_.c("note"), Integer{})), DataError);
  }
}

}  // namespace
}  // namespace athanor::testing
