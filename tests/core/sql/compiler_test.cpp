// Unit tests for the SQL expression language and compiler: each statement is compiled for the
// sqlite, postgresql and mysql dialects and compared with the exact expected text; bound
// parameters are checked for their keys and values. No database is involved.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "athanor/core.hpp"
#include "athanor/core/detail/sql_ast.hpp"

namespace athanor {
namespace {

using detail::BindSlot;
using detail::Compiled;

// Compares one statement's SQL on all three backends.
#define EXPECT_SQL(statement, sqlite_sql, postgresql_sql, mysql_sql) \
  do {                                                               \
    const auto& stmt_ = (statement);                                 \
    EXPECT_EQ(to_string(stmt_, "sqlite"), sqlite_sql);               \
    EXPECT_EQ(to_string(stmt_, "postgresql"), postgresql_sql);       \
    EXPECT_EQ(to_string(stmt_, "mysql"), mysql_sql);                 \
  } while (false)

const Dialect& dialect(std::string_view name) {
  static const std::shared_ptr<Dialect> sqlite = make_dialect("sqlite");
  static const std::shared_ptr<Dialect> postgresql = make_dialect("postgresql");
  static const std::shared_ptr<Dialect> mysql = make_dialect("mysql");
  if (name == "sqlite") return *sqlite;
  if (name == "postgresql") return *postgresql;
  return *mysql;
}

// MySQL proper (not MariaDB): no RETURNING at all.
const Dialect& mysql8() {
  static const std::shared_ptr<Dialect> d = [] {
    std::shared_ptr<Dialect> made = make_dialect("mysql");
    made->initialize("8.0.36");
    return made;
  }();
  return *d;
}

std::shared_ptr<const Compiled> compiled(const Executable& statement, std::string_view name,
                                         const std::vector<std::string>& keys = {}) {
  return detail::compile(statement.state(), dialect(name), keys);
}

std::vector<std::string> keys_of(const Compiled& c) {
  std::vector<std::string> keys;
  for (const BindSlot& b : c.binds) keys.push_back(b.key);
  return keys;
}

std::vector<Value> literals_of(const Compiled& c) {
  std::vector<Value> values;
  for (const BindSlot& b : c.binds) values.push_back(b.literal.value_or(Value{}));
  return values;
}

using Names = std::vector<std::string>;
using Values = std::vector<Value>;

class CompilerTest : public ::testing::Test {
 protected:
  MetaData metadata;
  Table& users = metadata.table("users", {
                                             Column("id", Integer{}, {.primary_key = true}),
                                             Column("email", String{255}, {.nullable = false}),
                                             Column("name", String{50}),
                                         });
  Table& addresses =
      metadata.table("addresses", {
                                      Column("id", Integer{}, {.primary_key = true}),
                                      Column("user_id", Integer{}, ForeignKey("users.id")),
                                      Column("email_address", String{255}),
                                  });
  Table& orders =
      metadata.table("orders", {
                                   Column("id", Integer{}, {.primary_key = true}),
                                   Column("user_id", Integer{}, ForeignKey("users.id")),
                                   Column("address_id", Integer{}, ForeignKey("addresses.id")),
                                   Column("total", Integer{}),
                               });
  Table& messages =
      metadata.table("messages", {
                                     Column("id", Integer{}, {.primary_key = true}),
                                     Column("sender_id", Integer{}, ForeignKey("users.id")),
                                     Column("recipient_id", Integer{}, ForeignKey("users.id")),
                                 });
  Table& items = metadata.table(
      "items", {
                   Column("id", Integer{}, {.primary_key = true}),
                   Column("status", String{20}, {.default_value = Value{std::string("new")}}),
                   Column("qty", Integer{}),
               });
  Table& reserved = metadata.table("user", {
                                               Column("id", Integer{}, {.primary_key = true}),
                                               Column("order", Integer{}),
                                               Column("CamelCase", String{20}),
                                               Column("select", Integer{}),
                                           });
};

// ---- SELECT: WHERE, operators, precedence
// ---------------------------------------------------------

// A braced parameter list keeps its order and values (they are moved in, not copied), and the
// braced forms of insert().values() still tell one row from several.
TEST(ParamsTest, BracedListKeepsOrderAndValues) {
  const std::string long_text(100, 'x');
  Params params{{"b", long_text}, {"a", 7}, {"c", std::nullopt}};
  ASSERT_EQ(params.size(), 3u);
  EXPECT_EQ(params[0].name, "b");
  EXPECT_EQ(params[0].value, Value(long_text));
  EXPECT_EQ(params[1].name, "a");
  EXPECT_EQ(params[1].value, Value(std::int64_t{7}));
  EXPECT_EQ(params[2].name, "c");
  EXPECT_EQ(params[2].value, Value{});
  Params copied = params;
  ASSERT_EQ(copied.size(), 3u);
  EXPECT_EQ(copied[0].value, params[0].value);
  EXPECT_TRUE(Params{}.empty());
}

TEST_F(CompilerTest, SelectTableExpandsColumnsAndBindsWhereValue) {
  Select stmt = select(users).where(users.c("email") == "jan@sirus.ai");
  EXPECT_SQL(stmt, "SELECT users.id, users.email, users.name FROM users WHERE users.email = ?",
             "SELECT users.id, users.email, users.name FROM users WHERE users.email = $1",
             "SELECT users.id, users.email, users.name FROM users WHERE users.email = ?");
  auto c = compiled(stmt, "postgresql");
  EXPECT_EQ(keys_of(*c), Names{"email_1"});
  EXPECT_EQ(literals_of(*c), Values{Value{std::string("jan@sirus.ai")}});
  EXPECT_EQ(c->column_names, (Names{"id", "email", "name"}));
  EXPECT_TRUE(c->returns_rows);
  EXPECT_EQ(c->kind, detail::StatementKind::kSelect);
}

TEST_F(CompilerTest, ComparisonOperatorsNumberTheirParameters) {
  Select stmt = select(users.c("id"))
                    .where(users.c("id") > 5 && users.c("id") <= 10 && users.c("id") != 7 &&
                           1 < users.c("id"));
  EXPECT_SQL(stmt,
             "SELECT users.id FROM users WHERE users.id > ? AND users.id <= ? AND users.id != ? "
             "AND ? < users.id",
             "SELECT users.id FROM users WHERE users.id > $1 AND users.id <= $2 AND users.id != $3 "
             "AND $4 < users.id",
             "SELECT users.id FROM users WHERE users.id > ? AND users.id <= ? AND users.id != ? "
             "AND ? < users.id");
  auto c = compiled(stmt, "sqlite");
  EXPECT_EQ(keys_of(*c), (Names{"id_1", "id_2", "id_3", "id_4"}));
  EXPECT_EQ(literals_of(*c),
            (Values{std::int64_t{5}, std::int64_t{10}, std::int64_t{7}, std::int64_t{1}}));
}

TEST_F(CompilerTest, RepeatedWhereCallsAreAnded) {
  Select stmt = select(users.c("id")).where(users.c("name") == "a").where(users.c("email") == "b");
  EXPECT_EQ(to_string(stmt, "postgresql"),
            "SELECT users.id FROM users WHERE users.name = $1 AND users.email = $2");
}

TEST_F(CompilerTest, AndOrNotParenthesizeByPrecedence) {
  ColumnElement id = users.c("id") == 1;
  ColumnElement name = users.c("name") == "n";
  ColumnElement email = users.c("email") == "e";
  EXPECT_EQ(to_string(select(users.c("id")).where(or_({and_({id, name}), email})), "postgresql"),
            "SELECT users.id FROM users WHERE users.id = $1 AND users.name = $2 OR "
            "users.email = $3");
  EXPECT_EQ(to_string(select(users.c("id")).where(and_({or_({id, name}), email})), "postgresql"),
            "SELECT users.id FROM users WHERE (users.id = $1 OR users.name = $2) AND "
            "users.email = $3");
  EXPECT_EQ(to_string(select(users.c("id")).where((id || name) && (name || email)), "sqlite"),
            "SELECT users.id FROM users WHERE (users.id = ? OR users.name = ?) AND "
            "(users.name = ? OR users.email = ?)");
  EXPECT_EQ(to_string(select(users.c("id")).where(not_(id && name)), "sqlite"),
            "SELECT users.id FROM users WHERE NOT (users.id = ? AND users.name = ?)");
  // Nested lists of the same operator are flattened.
  EXPECT_EQ(to_string(select(users.c("id")).where(and_({and_({id, name}), email})), "sqlite"),
            "SELECT users.id FROM users WHERE users.id = ? AND users.name = ? AND users.email = ?");
}

TEST_F(CompilerTest, NotFoldsIntoNegatedOperators) {
  auto where = [&](const ColumnElement& e) {
    return to_string(select(users.c("id")).where(e), "sqlite");
  };
  EXPECT_EQ(where(!(users.c("id") == 1)), "SELECT users.id FROM users WHERE users.id != ?");
  EXPECT_EQ(where(!(users.c("id") < 1)), "SELECT users.id FROM users WHERE users.id >= ?");
  EXPECT_EQ(where(!users.c("name").is_null()),
            "SELECT users.id FROM users WHERE users.name IS NOT NULL");
  EXPECT_EQ(where(!users.c("name").like("a%")),
            "SELECT users.id FROM users WHERE users.name NOT LIKE ?");
  EXPECT_EQ(where(!!(users.c("id") + 1)), "SELECT users.id FROM users WHERE users.id + ?");
  EXPECT_EQ(where(not_(users.c("id"))), "SELECT users.id FROM users WHERE NOT users.id");
}

TEST_F(CompilerTest, ArithmeticParenthesizesByPrecedence) {
  auto where = [&](const ColumnElement& e) {
    return to_string(select(users.c("id")).where(e), "postgresql");
  };
  EXPECT_EQ(where((users.c("id") + 1) * 2 > 10),
            "SELECT users.id FROM users WHERE (users.id + $1) * $2 > $3");
  EXPECT_EQ(where(users.c("id") + 1 + 2 == 3),
            "SELECT users.id FROM users WHERE users.id + $1 + $2 = $3");
  EXPECT_EQ(where(users.c("id") - (users.c("id") - 1) == 1),
            "SELECT users.id FROM users WHERE users.id - (users.id - $1) = $2");
  EXPECT_EQ(where(-(users.c("id") + 1) < 0),
            "SELECT users.id FROM users WHERE -(users.id + $1) < $2");
  EXPECT_EQ(where(-(-users.c("id")) < 0), "SELECT users.id FROM users WHERE -(-users.id) < $1");
  EXPECT_EQ(where((users.c("id") == 1) == true_()),
            "SELECT users.id FROM users WHERE (users.id = $1) = true");
  EXPECT_EQ(where(users.c("name").op("||", users.c("email")) == "x"),
            "SELECT users.id FROM users WHERE users.name || users.email = $1");
  EXPECT_EQ(where(users.c("name").op("@@", literal("x")).op("AND", true_())),
            "SELECT users.id FROM users WHERE (users.name @@ $1) AND true");
}

TEST_F(CompilerTest, ComparingWithNullMeansIsNull) {
  EXPECT_EQ(to_string(select(users.c("id")).where(users.c("name") == nullptr), "sqlite"),
            "SELECT users.id FROM users WHERE users.name IS NULL");
  EXPECT_EQ(to_string(select(users.c("id")).where(users.c("name") != null()), "sqlite"),
            "SELECT users.id FROM users WHERE users.name IS NOT NULL");
  EXPECT_EQ(to_string(select(users.c("id")).where(users.c("name").is_null()), "mysql"),
            "SELECT users.id FROM users WHERE users.name IS NULL");
  EXPECT_EQ(to_string(select(users.c("id")).where(users.c("name").is_not_null()), "postgresql"),
            "SELECT users.id FROM users WHERE users.name IS NOT NULL");
}

TEST_F(CompilerTest, InListAndNotIn) {
  EXPECT_SQL(select(users.c("id")).where(users.c("id").in_({1, 2, 3})),
             "SELECT users.id FROM users WHERE users.id IN (?, ?, ?)",
             "SELECT users.id FROM users WHERE users.id IN ($1, $2, $3)",
             "SELECT users.id FROM users WHERE users.id IN (?, ?, ?)");
  Select not_in = select(users.c("id")).where(users.c("name").not_in({Value{"a"}, Value{"b"}}));
  EXPECT_EQ(to_string(not_in, "postgresql"),
            "SELECT users.id FROM users WHERE users.name NOT IN ($1, $2)");
  EXPECT_EQ(keys_of(*compiled(not_in, "postgresql")), (Names{"name_1", "name_2"}));
}

TEST_F(CompilerTest, EmptyInListIsAlwaysFalseAndStillValidSql) {
  Select in = select(users.c("id")).where(users.c("id").in_(std::vector<Value>{}));
  EXPECT_SQL(in, "SELECT users.id FROM users WHERE 1 != 1",
             "SELECT users.id FROM users WHERE 1 != 1", "SELECT users.id FROM users WHERE 1 != 1");
  EXPECT_TRUE(compiled(in, "sqlite")->binds.empty());
  Select not_in = select(users.c("id"))
                      .where(users.c("id").not_in(std::vector<Value>{}) && users.c("name") == "x");
  EXPECT_EQ(to_string(not_in, "postgresql"),
            "SELECT users.id FROM users WHERE 1 = 1 AND users.name = $1");
}

TEST_F(CompilerTest, InSubquery) {
  Select stmt =
      select(users.c("email"))
          .where(users.c("id").in_(
              select(addresses.c("user_id")).where(addresses.c("email_address").like("%@x"))));
  EXPECT_SQL(stmt,
             "SELECT users.email FROM users WHERE users.id IN (SELECT addresses.user_id FROM "
             "addresses WHERE addresses.email_address LIKE ?)",
             "SELECT users.email FROM users WHERE users.id IN (SELECT addresses.user_id FROM "
             "addresses WHERE addresses.email_address LIKE $1)",
             "SELECT users.email FROM users WHERE users.id IN (SELECT addresses.user_id FROM "
             "addresses WHERE addresses.email_address LIKE ?)");
  EXPECT_EQ(
      to_string(
          select(users.c("email")).where(users.c("id").not_in(select(addresses.c("user_id")))),
          "sqlite"),
      "SELECT users.email FROM users WHERE users.id NOT IN (SELECT addresses.user_id FROM "
      "addresses)");
}

TEST_F(CompilerTest, LikeAndIlikeNativeOnPostgresqlEmulatedElsewhere) {
  EXPECT_SQL(select(users.c("id")).where(users.c("email").like("%@sirus.ai")),
             "SELECT users.id FROM users WHERE users.email LIKE ?",
             "SELECT users.id FROM users WHERE users.email LIKE $1",
             "SELECT users.id FROM users WHERE users.email LIKE ?");
  EXPECT_SQL(select(users.c("id")).where(users.c("email").ilike("%JAN%")),
             "SELECT users.id FROM users WHERE lower(users.email) LIKE lower(?)",
             "SELECT users.id FROM users WHERE users.email ILIKE $1",
             "SELECT users.id FROM users WHERE lower(users.email) LIKE lower(?)");
  EXPECT_SQL(select(users.c("id")).where(users.c("email").not_ilike("%JAN%")),
             "SELECT users.id FROM users WHERE lower(users.email) NOT LIKE lower(?)",
             "SELECT users.id FROM users WHERE users.email NOT ILIKE $1",
             "SELECT users.id FROM users WHERE lower(users.email) NOT LIKE lower(?)");
  EXPECT_EQ(literals_of(
                *compiled(select(users.c("id")).where(users.c("email").ilike("%JAN%")), "sqlite")),
            Values{Value{std::string("%JAN%")}});
}

TEST_F(CompilerTest, Between) {
  EXPECT_SQL(select(users.c("id")).where(users.c("id").between(1, 10)),
             "SELECT users.id FROM users WHERE users.id BETWEEN ? AND ?",
             "SELECT users.id FROM users WHERE users.id BETWEEN $1 AND $2",
             "SELECT users.id FROM users WHERE users.id BETWEEN ? AND ?");
  EXPECT_EQ(to_string(select(users.c("id")).where(!users.c("id").between(1, 10)), "postgresql"),
            "SELECT users.id FROM users WHERE users.id NOT BETWEEN $1 AND $2");
}

TEST_F(CompilerTest, IsDistinctFromUsesTheDialectSpelling) {
  EXPECT_SQL(select(users.c("id")).where(users.c("name").is_distinct_from(literal("x"))),
             "SELECT users.id FROM users WHERE users.name IS NOT ?",
             "SELECT users.id FROM users WHERE users.name IS DISTINCT FROM $1",
             "SELECT users.id FROM users WHERE NOT (users.name <=> ?)");
  EXPECT_SQL(select(users.c("id")).where(!users.c("name").is_distinct_from(users.c("email"))),
             "SELECT users.id FROM users WHERE users.name IS users.email",
             "SELECT users.id FROM users WHERE users.name IS NOT DISTINCT FROM users.email",
             "SELECT users.id FROM users WHERE users.name <=> users.email");
}

TEST_F(CompilerTest, CastAndLiteralColumn) {
  EXPECT_EQ(to_string(select(cast(users.c("id"), "VARCHAR(20)").label("sid")), "postgresql"),
            "SELECT CAST(users.id AS VARCHAR(20)) AS sid FROM users");
  EXPECT_EQ(to_string(select(users.c("id"), literal_column("CURRENT_DATE")), "sqlite"),
            "SELECT users.id, CURRENT_DATE FROM users");
}

// and_() and or_() take their clauses as arguments, or as a list built up at run time.
TEST_F(CompilerTest, AndOrTakeClausesAsArgumentsOrAsAList) {
  ColumnElement id = users.c("id") == 1;
  ColumnElement name = users.c("name") == "n";
  ColumnElement email = users.c("email") == "e";
  EXPECT_EQ(to_string(select(users.c("id")).where(and_(id, name)), "postgresql"),
            "SELECT users.id FROM users WHERE users.id = $1 AND users.name = $2");
  EXPECT_EQ(to_string(select(users.c("id")).where(or_(id, name, email)), "postgresql"),
            "SELECT users.id FROM users WHERE users.id = $1 OR users.name = $2 OR "
            "users.email = $3");
  EXPECT_EQ(
      to_string(select(users.c("id")).where(and_(or_(id, name), email)), "sqlite"),
      "SELECT users.id FROM users WHERE (users.id = ? OR users.name = ?) AND users.email = ?");
  EXPECT_EQ(to_string(select(users.c("id")).where(and_(id)), "sqlite"),
            "SELECT users.id FROM users WHERE users.id = ?");
  std::vector<ColumnElement> built;
  built.push_back(id);
  built.push_back(email);
  EXPECT_EQ(to_string(select(users.c("id")).where(or_(built)), "sqlite"),
            "SELECT users.id FROM users WHERE users.id = ? OR users.email = ?");
  EXPECT_EQ(to_string(select(users.c("id")).where(and_(std::vector<ColumnElement>{})), "sqlite"),
            "SELECT users.id FROM users WHERE true");
}

// startswith / endswith / contains bind the whole pattern; with autoescape the value's % and _
// are escaped in the bound value and the LIKE gets an ESCAPE clause.
TEST_F(CompilerTest, StartswithEndswithContainsBindTheirPattern) {
  EXPECT_SQL(select(users.c("id")).where(users.c("name").startswith("ab")),
             "SELECT users.id FROM users WHERE users.name LIKE ?",
             "SELECT users.id FROM users WHERE users.name LIKE $1",
             "SELECT users.id FROM users WHERE users.name LIKE ?");
  auto pattern = [&](const ColumnElement& where) {
    auto c = compiled(select(users.c("id")).where(where), "sqlite");
    EXPECT_EQ(keys_of(*c), Names{"name_1"});
    return literals_of(*c).at(0);
  };
  EXPECT_EQ(pattern(users.c("name").startswith("a%b_c")), Value{std::string("a%b_c%")});
  EXPECT_EQ(pattern(users.c("name").endswith("a%b")), Value{std::string("%a%b")});
  EXPECT_EQ(pattern(users.c("name").contains("a_b")), Value{std::string("%a_b%")});
  EXPECT_EQ(pattern(users.c("name").startswith("5%/x_", {.autoescape = true})),
            Value{std::string("5/%//x/_%")});
  EXPECT_EQ(pattern(users.c("name").contains("100%", {.autoescape = true, .escape = '^'})),
            Value{std::string("%100^%%")});
  // An escape character alone is declared, the value left as given.
  EXPECT_EQ(pattern(users.c("name").endswith("a^_", {.escape = '^'})), Value{std::string("%a^_")});

  EXPECT_SQL(select(users.c("id")).where(users.c("name").contains("x", {.autoescape = true})),
             "SELECT users.id FROM users WHERE users.name LIKE ? ESCAPE '/'",
             "SELECT users.id FROM users WHERE users.name LIKE $1 ESCAPE '/'",
             "SELECT users.id FROM users WHERE users.name LIKE ? ESCAPE '/'");
  // The escape character is a string literal of the dialect: MySQL doubles a backslash.
  EXPECT_SQL(select(users.c("id")).where(!users.c("name").startswith("x", {.escape = '\\'})),
             "SELECT users.id FROM users WHERE users.name NOT LIKE ? ESCAPE '\\'",
             "SELECT users.id FROM users WHERE users.name NOT LIKE $1 ESCAPE '\\'",
             "SELECT users.id FROM users WHERE users.name NOT LIKE ? ESCAPE '\\\\'");
  EXPECT_THROW((void)users.c("name").contains("x", {.escape = '%'}), ArgumentError);
  EXPECT_THROW((void)users.c("name").startswith("x", {.autoescape = true, .escape = '_'}),
               ArgumentError);

  // With an expression, the wildcards are bound and concatenated.
  Select by_column = select(users.c("id")).where(users.c("email").startswith(users.c("name")));
  EXPECT_SQL(by_column, "SELECT users.id FROM users WHERE users.email LIKE users.name || ?",
             "SELECT users.id FROM users WHERE users.email LIKE users.name || $1",
             "SELECT users.id FROM users WHERE users.email LIKE CONCAT(users.name, ?)");
  EXPECT_EQ(literals_of(*compiled(by_column, "sqlite")), Values{std::string("%")});
  EXPECT_SQL(select(users.c("id")).where(users.c("email").contains(users.c("name"))),
             "SELECT users.id FROM users WHERE users.email LIKE ? || users.name || ?",
             "SELECT users.id FROM users WHERE users.email LIKE $1 || users.name || $2",
             "SELECT users.id FROM users WHERE users.email LIKE CONCAT(?, users.name, ?)");
  EXPECT_EQ(to_string(select(users.c("id")).where(users.c("email").endswith(users.c("name"))),
                      "postgresql"),
            "SELECT users.id FROM users WHERE users.email LIKE $1 || users.name");
}

TEST_F(CompilerTest, ConcatIsAnOperatorOrTheConcatFunction) {
  Select stmt =
      select(users.c("name").concat(" <").concat(users.c("email")).concat(">").label("who"));
  EXPECT_SQL(stmt, "SELECT users.name || ? || users.email || ? AS who FROM users",
             "SELECT users.name || $1 || users.email || $2 AS who FROM users",
             "SELECT CONCAT(users.name, ?, users.email, ?) AS who FROM users");
  auto c = compiled(stmt, "sqlite");
  // The first literal is named after the column; the last one follows a concatenation.
  EXPECT_EQ(keys_of(*c), (Names{"name_1", "param_1"}));
  EXPECT_EQ(literals_of(*c), (Values{std::string(" <"), std::string(">")}));
  EXPECT_EQ(c->column_names, Names{"who"});
  // Operands other than atoms are parenthesized (SQLite's || binds more tightly than * or +);
  // a concatenation compared or added to is not, or is, as its precedence says.
  EXPECT_SQL(select(users.c("id")).where((users.c("id") + 1).concat(users.c("name")) == "2x"),
             "SELECT users.id FROM users WHERE (users.id + ?) || users.name = ?",
             "SELECT users.id FROM users WHERE (users.id + $1) || users.name = $2",
             "SELECT users.id FROM users WHERE CONCAT(users.id + ?, users.name) = ?");
  EXPECT_EQ(to_string(select(literal(1) + users.c("name").concat("x")), "sqlite"),
            "SELECT ? + (users.name || ?) AS anon_1 FROM users");
}

TEST_F(CompilerTest, CollateQuotesTheCollationName) {
  EXPECT_SQL(select(users.c("id")).where(users.c("name").collate("NOCASE") == "jan"),
             "SELECT users.id FROM users WHERE users.name COLLATE \"NOCASE\" = ?",
             "SELECT users.id FROM users WHERE users.name COLLATE \"NOCASE\" = $1",
             "SELECT users.id FROM users WHERE users.name COLLATE `NOCASE` = ?");
  EXPECT_SQL(select(users.c("name")).order_by(users.c("name").collate("utf8mb4_bin")),
             "SELECT users.name FROM users ORDER BY users.name COLLATE utf8mb4_bin",
             "SELECT users.name FROM users ORDER BY users.name COLLATE utf8mb4_bin",
             "SELECT users.name FROM users ORDER BY users.name COLLATE utf8mb4_bin");
  // A name that is not a plain identifier cannot escape its quotes.
  EXPECT_EQ(to_string(select(users.c("name").collate("x\" OR 1=1 --").label("n")), "postgresql"),
            "SELECT users.name COLLATE \"x\"\" OR 1=1 --\" AS n FROM users");
  EXPECT_EQ(to_string(select(users.c("name").concat(users.c("email")).collate("C").label("n")),
                      "postgresql"),
            "SELECT (users.name || users.email) COLLATE \"C\" AS n FROM users");
  EXPECT_THROW((void)users.c("name").collate(""), ArgumentError);
}

TEST_F(CompilerTest, CastSpellsTheTypeForEachDialect) {
  auto cast_sql = [&](const TypeEngine& type, std::string_view dialect_name) {
    return to_string(select(cast(users.c("name"), type).label("v")), dialect_name);
  };
  struct Case {
    TypeEngine type;
    std::string sqlite, postgresql, mysql;
  };
  const std::vector<Case> cases = {
      {Integer{}, "INTEGER", "INTEGER", "SIGNED"},
      {BigInteger{}, "INTEGER", "BIGINT", "SIGNED"},
      {Boolean{}, "INTEGER", "BOOLEAN", "SIGNED"},
      {Double{}, "REAL", "DOUBLE PRECISION", "DOUBLE"},
      {Numeric{10, 2}, "NUMERIC", "NUMERIC(10, 2)", "DECIMAL(10, 2)"},
      {Numeric{}, "NUMERIC", "NUMERIC", "DECIMAL(65, 30)"},
      {String{20}, "TEXT", "VARCHAR(20)", "CHAR(20)"},
      {Text{}, "TEXT", "TEXT", "CHAR"},
      {Date{}, "TEXT", "DATE", "DATE"},
      {DateTime{}, "TEXT", "TIMESTAMP WITHOUT TIME ZONE", "DATETIME(6)"},
      {Time{}, "TEXT", "TIME WITHOUT TIME ZONE", "TIME(6)"},
      {LargeBinary{}, "BLOB", "BYTEA", "BINARY"},
      {Uuid{}, "TEXT", "UUID", "CHAR(36)"},
      {JSON{}, "TEXT", "JSONB", "CHAR"},  // the mysql dialect defaults to MariaDB
  };
  for (const Case& c : cases) {
    EXPECT_EQ(cast_sql(c.type, "sqlite"),
              "SELECT CAST(users.name AS " + c.sqlite + ") AS v FROM users");
    EXPECT_EQ(cast_sql(c.type, "postgresql"),
              "SELECT CAST(users.name AS " + c.postgresql + ") AS v FROM users");
    EXPECT_EQ(cast_sql(c.type, "mysql"),
              "SELECT CAST(users.name AS " + c.mysql + ") AS v FROM users");
  }
  EXPECT_EQ(to_string(select(cast(users.c("name"), JSON{}).label("v")), mysql8()),
            "SELECT CAST(users.name AS JSON) AS v FROM users");
  // The member form, and a cast compared with a bound value.
  EXPECT_EQ(to_string(select(users.c("id")).where(users.c("id").cast(String{10}) == "7"), "mysql"),
            "SELECT users.id FROM users WHERE CAST(users.id AS CHAR(10)) = ?");
}

// values() takes columns as keys as well as names; a column of another table is refused.
TEST_F(CompilerTest, ValuesTakeColumnsAsKeys) {
  Insert stmt = insert(users).values({{users.c("email"), "a@x"}, {users.column("name"), "A"}});
  EXPECT_EQ(to_string(stmt, "postgresql"), "INSERT INTO users (email, name) VALUES ($1, $2)");
  auto c = compiled(stmt, "postgresql");
  EXPECT_EQ(keys_of(*c), (Names{"email", "name"}));
  EXPECT_EQ(literals_of(*c), (Values{std::string("a@x"), std::string("A")}));
  EXPECT_EQ(to_string(insert(users).values(std::vector<Params>{{{users.c("email"), "a"}},
                                                               {{users.c("email"), "b"}}}),
                      "sqlite"),
            "INSERT INTO users (email) VALUES (?), (?)");
  try {
    (void)insert(users).values({{addresses.c("email_address"), "a@x"}});
    FAIL() << "expected ArgumentError";
  } catch (const ArgumentError& e) {
    EXPECT_STREQ(e.what(),
                 "values(): column 'addresses.email_address' is not a column of table 'users'");
  }
  EXPECT_THROW((void)insert(users).values({{func::lower(users.c("email")), "x"}}), ArgumentError);

  Update update_stmt = update(items)
                           .where(items.c("id") == 1)
                           .values({{items.c("status"), "done"}})
                           .values({{items.c("qty"), items.c("qty") + 1}});
  EXPECT_EQ(to_string(update_stmt, "sqlite"),
            "UPDATE items SET status=?, qty=qty + ? WHERE id = ?");
  EXPECT_THROW((void)update(items).values({{users.c("id"), users.c("id") + 1}}), ArgumentError);
}

// ---- FROM: joins, select_from ------------------------------------------------------------------

TEST_F(CompilerTest, ExplicitJoin) {
  Select stmt = select(users.c("email"), addresses.c("email_address"))
                    .select_from(users.join(addresses, users.c("id") == addresses.c("user_id")));
  EXPECT_SQL(stmt,
             "SELECT users.email, addresses.email_address FROM users JOIN addresses ON users.id "
             "= addresses.user_id",
             "SELECT users.email, addresses.email_address FROM users JOIN addresses ON users.id "
             "= addresses.user_id",
             "SELECT users.email, addresses.email_address FROM users JOIN addresses ON users.id "
             "= addresses.user_id");
}

TEST_F(CompilerTest, JoinConditionDerivedFromTheForeignKey) {
  EXPECT_EQ(to_string(select(users.c("id")).select_from(users.join(addresses)), "sqlite"),
            "SELECT users.id FROM users JOIN addresses ON users.id = addresses.user_id");
  EXPECT_EQ(to_string(select(users.c("id")).select_from(addresses.join(users)), "sqlite"),
            "SELECT users.id FROM addresses JOIN users ON users.id = addresses.user_id");
  EXPECT_EQ(to_string(select(users.c("id")).select_from(users.outerjoin(addresses)), "sqlite"),
            "SELECT users.id FROM users LEFT OUTER JOIN addresses ON users.id = "
            "addresses.user_id");
}

TEST_F(CompilerTest, SelectJoinStartsFromTheFirstFromItem) {
  EXPECT_EQ(to_string(select(users).join(addresses), "postgresql"),
            "SELECT users.id, users.email, users.name FROM users JOIN addresses ON users.id = "
            "addresses.user_id");
  // The most recently joined table is tried first: orders links to addresses.
  EXPECT_EQ(to_string(select(users.c("id")).join(addresses).outerjoin(orders), "postgresql"),
            "SELECT users.id FROM users JOIN addresses ON users.id = addresses.user_id LEFT "
            "OUTER JOIN orders ON addresses.id = orders.address_id");
  EXPECT_EQ(to_string(select(users.c("id"))
                          .where(addresses.c("id") == 1)
                          .join(orders, orders.c("user_id") == users.c("id")),
                      "postgresql"),
            "SELECT users.id FROM users JOIN orders ON orders.user_id = users.id, addresses "
            "WHERE addresses.id = $1");
}

TEST_F(CompilerTest, JoinWithoutUsableForeignKeyIsAnArgumentError) {
  try {
    (void)users.join(messages);
    FAIL() << "expected ArgumentError";
  } catch (const ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("more than one foreign key"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("'messages'"), std::string::npos) << e.what();
  }
  try {
    (void)users.join(items);
    FAIL() << "expected ArgumentError";
  } catch (const ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("no foreign key"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)select(literal(1)).join(users), ArgumentError);
}

TEST_F(CompilerTest, SelectFromPutsExplicitItemsFirst) {
  EXPECT_EQ(to_string(select(addresses.c("email_address")).select_from(users), "sqlite"),
            "SELECT addresses.email_address FROM users, addresses");
  EXPECT_EQ(to_string(select(users.c("id"), addresses.c("id")), "sqlite"),
            "SELECT users.id, addresses.id FROM users, addresses");
  EXPECT_EQ(
      to_string(select(users.c("id")).where(addresses.c("user_id") == users.c("id")), "sqlite"),
      "SELECT users.id FROM users, addresses WHERE addresses.user_id = users.id");
}

// ---- GROUP BY, ORDER BY, LIMIT, DISTINCT, functions, labels
// ---------------------------------------

TEST_F(CompilerTest, GroupByHaving) {
  Select stmt = select(users.c("name"), func::count(users.c("id")).label("n"))
                    .group_by(users.c("name"))
                    .having(func::count(users.c("id")) > 1);
  EXPECT_SQL(stmt,
             "SELECT users.name, count(users.id) AS n FROM users GROUP BY users.name HAVING "
             "count(users.id) > ?",
             "SELECT users.name, count(users.id) AS n FROM users GROUP BY users.name HAVING "
             "count(users.id) > $1",
             "SELECT users.name, count(users.id) AS n FROM users GROUP BY users.name HAVING "
             "count(users.id) > ?");
  EXPECT_EQ(keys_of(*compiled(stmt, "sqlite")), Names{"param_1"});
  EXPECT_EQ(compiled(stmt, "sqlite")->column_names, (Names{"name", "n"}));
}

TEST_F(CompilerTest, OrderByAscDescAndLabels) {
  EXPECT_SQL(select(users.c("id")).order_by(users.c("name").asc(), desc(users.c("id"))),
             "SELECT users.id FROM users ORDER BY users.name ASC, users.id DESC",
             "SELECT users.id FROM users ORDER BY users.name ASC, users.id DESC",
             "SELECT users.id FROM users ORDER BY users.name ASC, users.id DESC");
  ColumnElement n = func::count(users.c("id")).label("n");
  EXPECT_EQ(to_string(select(users.c("name"), n).group_by(users.c("name")).order_by(n.desc()),
                      "postgresql"),
            "SELECT users.name, count(users.id) AS n FROM users GROUP BY users.name ORDER BY n "
            "DESC");
  // A label that is not in the select list orders by its expression.
  EXPECT_EQ(to_string(select(users.c("name")).order_by(users.c("id").label("k")), "sqlite"),
            "SELECT users.name FROM users ORDER BY users.id");
}

TEST_F(CompilerTest, LimitAndOffsetForms) {
  EXPECT_SQL(select(users.c("id")).limit(10), "SELECT users.id FROM users LIMIT 10",
             "SELECT users.id FROM users LIMIT 10", "SELECT users.id FROM users LIMIT 10");
  EXPECT_SQL(select(users.c("id")).limit(10).offset(20),
             "SELECT users.id FROM users LIMIT 10 OFFSET 20",
             "SELECT users.id FROM users LIMIT 10 OFFSET 20",
             "SELECT users.id FROM users LIMIT 10 OFFSET 20");
  EXPECT_SQL(select(users.c("id")).offset(5), "SELECT users.id FROM users LIMIT -1 OFFSET 5",
             "SELECT users.id FROM users OFFSET 5",
             "SELECT users.id FROM users LIMIT 18446744073709551615 OFFSET 5");
  EXPECT_THROW((void)select(users.c("id")).limit(-1), ArgumentError);
}

TEST_F(CompilerTest, DistinctAndForUpdate) {
  EXPECT_SQL(select(users.c("name")).distinct(), "SELECT DISTINCT users.name FROM users",
             "SELECT DISTINCT users.name FROM users", "SELECT DISTINCT users.name FROM users");
  EXPECT_SQL(select(users.c("id")).where(users.c("id") == 1).with_for_update(),
             "SELECT users.id FROM users WHERE users.id = ?",
             "SELECT users.id FROM users WHERE users.id = $1 FOR UPDATE",
             "SELECT users.id FROM users WHERE users.id = ? FOR UPDATE");
}

TEST_F(CompilerTest, FunctionsGetAnonymousLabels) {
  Select count = select(func::count()).select_from(users);
  EXPECT_SQL(count, "SELECT count(*) AS count_1 FROM users",
             "SELECT count(*) AS count_1 FROM users", "SELECT count(*) AS count_1 FROM users");
  EXPECT_EQ(compiled(count, "sqlite")->column_names, Names{"count_1"});
  Select several = select(func::max(users.c("id")), func::min(users.c("id")),
                          func::max(users.c("name")), users.c("id") + 1);
  EXPECT_EQ(to_string(several, "sqlite"),
            "SELECT max(users.id) AS max_1, min(users.id) AS min_1, max(users.name) AS max_2, "
            "users.id + ? AS anon_1 FROM users");
  EXPECT_EQ(compiled(several, "sqlite")->column_names,
            (Names{"max_1", "min_1", "max_2", "anon_1"}));
  EXPECT_EQ(to_string(select(func::sum(orders.c("total")), func::avg(orders.c("total")),
                             func::coalesce({orders.c("total"), literal(0)}).label("t")),
                      "postgresql"),
            "SELECT sum(orders.total) AS sum_1, avg(orders.total) AS avg_1, "
            "coalesce(orders.total, $1) AS t FROM orders");
  EXPECT_EQ(to_string(select(func::now()), "postgresql"), "SELECT CURRENT_TIMESTAMP AS now_1");
  EXPECT_EQ(to_string(select(func::lower(users.c("email")).label("e"),
                             func::call("substr", {users.c("name"), literal(1), literal(2)})),
                      "sqlite"),
            "SELECT lower(users.email) AS e, substr(users.name, ?, ?) AS substr_1 FROM users");
}

TEST_F(CompilerTest, LabelNamesTheResultColumn) {
  Select stmt = select(users.c("email").label("e"), users.c("id"));
  EXPECT_SQL(stmt, "SELECT users.email AS e, users.id FROM users",
             "SELECT users.email AS e, users.id FROM users",
             "SELECT users.email AS e, users.id FROM users");
  EXPECT_EQ(compiled(stmt, "mysql")->column_names, (Names{"e", "id"}));
  // A label inside an expression stands for its expression.
  EXPECT_EQ(to_string(select(users.c("id")).where(users.c("name").label("x") == "a"), "sqlite"),
            "SELECT users.id FROM users WHERE users.name = ?");
}

// ---- subqueries
// ----------------------------------------------------------------------------------

TEST_F(CompilerTest, SubqueryInFromWithColumnsByName) {
  Subquery counts = select(addresses.c("user_id"), func::count().label("n"))
                        .group_by(addresses.c("user_id"))
                        .subquery("counts");
  Select stmt = select(users.c("email"), counts.c("n"))
                    .select_from(users.join(counts, users.c("id") == counts.c("user_id")))
                    .where(counts.c("n") > 2);
  EXPECT_SQL(stmt,
             "SELECT users.email, counts.n FROM users JOIN (SELECT addresses.user_id, count(*) "
             "AS n FROM addresses GROUP BY addresses.user_id) AS counts ON users.id = "
             "counts.user_id WHERE counts.n > ?",
             "SELECT users.email, counts.n FROM users JOIN (SELECT addresses.user_id, count(*) "
             "AS n FROM addresses GROUP BY addresses.user_id) AS counts ON users.id = "
             "counts.user_id WHERE counts.n > $1",
             "SELECT users.email, counts.n FROM users JOIN (SELECT addresses.user_id, count(*) "
             "AS n FROM addresses GROUP BY addresses.user_id) AS counts ON users.id = "
             "counts.user_id WHERE counts.n > ?");
  EXPECT_EQ(keys_of(*compiled(stmt, "sqlite")), Names{"n_1"});
  // Referenced without select_from(): the subquery becomes an implicit FROM item.
  EXPECT_EQ(to_string(select(counts), "sqlite"),
            "SELECT counts.user_id, counts.n FROM (SELECT addresses.user_id, count(*) AS n FROM "
            "addresses GROUP BY addresses.user_id) AS counts");
  EXPECT_THROW((void)counts.c("nope"), ArgumentError);
}

TEST_F(CompilerTest, BindsInsideSubqueriesKeepPlaceholderOrder) {
  Subquery big = select(orders.c("user_id")).where(orders.c("total") > 100).subquery("big");
  Select stmt = select(users.c("id"), big.c("user_id"))
                    .where(users.c("name") == "a")
                    .where(users.c("id") == big.c("user_id"));
  EXPECT_EQ(to_string(stmt, "postgresql"),
            "SELECT users.id, big.user_id FROM users, (SELECT orders.user_id FROM orders WHERE "
            "orders.total > $1) AS big WHERE users.name = $2 AND users.id = big.user_id");
  auto c = compiled(stmt, "postgresql");
  EXPECT_EQ(keys_of(*c), (Names{"total_1", "name_1"}));
  EXPECT_EQ(literals_of(*c), (Values{std::int64_t{100}, std::string("a")}));
}

TEST_F(CompilerTest, CorrelatedExists) {
  Select has_address = select(addresses.c("id")).where(addresses.c("user_id") == users.c("id"));
  EXPECT_SQL(select(users.c("id")).where(exists(has_address)),
             "SELECT users.id FROM users WHERE EXISTS (SELECT addresses.id FROM addresses WHERE "
             "addresses.user_id = users.id)",
             "SELECT users.id FROM users WHERE EXISTS (SELECT addresses.id FROM addresses WHERE "
             "addresses.user_id = users.id)",
             "SELECT users.id FROM users WHERE EXISTS (SELECT addresses.id FROM addresses WHERE "
             "addresses.user_id = users.id)");
  EXPECT_EQ(to_string(select(users.c("id")).where(!has_address.exists()), "sqlite"),
            "SELECT users.id FROM users WHERE NOT EXISTS (SELECT addresses.id FROM addresses "
            "WHERE addresses.user_id = users.id)");
  // Alone, the same SELECT keeps both tables.
  EXPECT_EQ(to_string(has_address, "sqlite"),
            "SELECT addresses.id FROM addresses, users WHERE addresses.user_id = users.id");
}

TEST_F(CompilerTest, ScalarSubqueryInSelectList) {
  ColumnElement address_count = select(func::count())
                                    .select_from(addresses)
                                    .where(addresses.c("user_id") == users.c("id"))
                                    .scalar_subquery()
                                    .label("address_count");
  Select stmt = select(users.c("email"), address_count);
  EXPECT_SQL(stmt,
             "SELECT users.email, (SELECT count(*) AS count_1 FROM addresses WHERE "
             "addresses.user_id = users.id) AS address_count FROM users",
             "SELECT users.email, (SELECT count(*) AS count_1 FROM addresses WHERE "
             "addresses.user_id = users.id) AS address_count FROM users",
             "SELECT users.email, (SELECT count(*) AS count_1 FROM addresses WHERE "
             "addresses.user_id = users.id) AS address_count FROM users");
  EXPECT_EQ(compiled(stmt, "sqlite")->column_names, (Names{"email", "address_count"}));
  EXPECT_EQ(to_string(select(users.c("id"))
                          .where(select(func::max(orders.c("total")))
                                     .where(orders.c("user_id") == users.c("id"))
                                     .scalar_subquery() > 10),
                      "postgresql"),
            "SELECT users.id FROM users WHERE (SELECT max(orders.total) AS max_1 FROM orders "
            "WHERE orders.user_id = users.id) > $1");
}

// ---- INSERT
// --------------------------------------------------------------------------------------

TEST_F(CompilerTest, InsertOneRow) {
  Insert stmt = insert(users).values({{"email", "jan@sirus.ai"}, {"name", "Jan"}});
  EXPECT_SQL(stmt, "INSERT INTO users (email, name) VALUES (?, ?)",
             "INSERT INTO users (email, name) VALUES ($1, $2)",
             "INSERT INTO users (email, name) VALUES (?, ?)");
  auto c = compiled(stmt, "postgresql");
  EXPECT_EQ(keys_of(*c), (Names{"email", "name"}));
  EXPECT_EQ(literals_of(*c), (Values{std::string("jan@sirus.ai"), std::string("Jan")}));
  EXPECT_EQ(c->kind, detail::StatementKind::kInsert);
  EXPECT_EQ(c->table, &users);
  EXPECT_FALSE(c->returns_rows);
  EXPECT_EQ(c->insert_columns, (Names{"email", "name"}));
}

TEST_F(CompilerTest, InsertColumnsFollowTableOrderAndUseClientDefaults) {
  Insert stmt = insert(items).values({{"qty", 2}});
  EXPECT_EQ(to_string(stmt, "postgresql"), "INSERT INTO items (status, qty) VALUES ($1, $2)");
  auto c = compiled(stmt, "postgresql");
  EXPECT_EQ(keys_of(*c), (Names{"status", "qty"}));
  EXPECT_EQ(literals_of(*c), (Values{std::string("new"), std::int64_t{2}}));
  // values() called again merges into the same row.
  EXPECT_EQ(to_string(insert(users).values({{"name", "a"}}).values({{"email", "b"}}), "sqlite"),
            "INSERT INTO users (email, name) VALUES (?, ?)");
}

TEST_F(CompilerTest, InsertManyRows) {
  Insert stmt = insert(users).values({{{"email", "a@x"}}, {{"email", "b@x"}}});
  EXPECT_SQL(stmt, "INSERT INTO users (email) VALUES (?), (?)",
             "INSERT INTO users (email) VALUES ($1), ($2)",
             "INSERT INTO users (email) VALUES (?), (?)");
  auto c = compiled(stmt, "sqlite");
  EXPECT_EQ(keys_of(*c), (Names{"email_m0", "email_m1"}));
  EXPECT_EQ(literals_of(*c), (Values{std::string("a@x"), std::string("b@x")}));
  EXPECT_THROW((void)insert(users).values(std::vector<Params>{{{"email", "a"}}, {{"name", "b"}}}),
               ArgumentError);
}

TEST_F(CompilerTest, InsertReturning) {
  Insert stmt = insert(users).values({{"email", "a@x"}}).returning(users.c("id"), users.c("email"));
  EXPECT_SQL(stmt, "INSERT INTO users (email) VALUES (?) RETURNING id, email",
             "INSERT INTO users (email) VALUES ($1) RETURNING id, email",
             "INSERT INTO users (email) VALUES (?) RETURNING id, email");
  auto c = compiled(stmt, "postgresql");
  EXPECT_TRUE(c->returns_rows);
  EXPECT_FALSE(c->emulated_returning);
  EXPECT_EQ(c->column_names, (Names{"id", "email"}));
}

TEST_F(CompilerTest, InsertReturningTheKeyIsEmulatedWithoutNativeReturning) {
  Insert stmt = insert(users).values({{"email", "a@x"}}).returning(users.c("id"));
  auto c = detail::compile(stmt.state(), mysql8());
  EXPECT_EQ(c->sql, "INSERT INTO users (email) VALUES (?)");
  EXPECT_TRUE(c->emulated_returning);
  EXPECT_TRUE(c->returns_rows);
  EXPECT_EQ(c->column_names, Names{"id"});
  try {
    (void)detail::compile(
        insert(users).values({{"email", "a@x"}}).returning(users.c("email")).state(), mysql8());
    FAIL() << "expected CompileError";
  } catch (const CompileError& e) {
    EXPECT_NE(std::string(e.what()).find("mysql"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'id'"), std::string::npos) << e.what();
  }
}

TEST_F(CompilerTest, InsertWithoutValuesTakesColumnsFromParameters) {
  Insert stmt = insert(users);
  auto c = compiled(stmt, "postgresql", {"name", "email"});
  EXPECT_EQ(c->sql, "INSERT INTO users (email, name) VALUES ($1, $2)");
  EXPECT_EQ(keys_of(*c), (Names{"email", "name"}));
  EXPECT_FALSE(c->binds[0].literal.has_value());
  EXPECT_EQ(c->insert_columns, (Names{"email", "name"}));
  EXPECT_THROW((void)compiled(stmt, "postgresql", {"email", "nope"}), ArgumentError);
  // No columns at all.
  EXPECT_SQL(stmt, "INSERT INTO users DEFAULT VALUES", "INSERT INTO users DEFAULT VALUES",
             "INSERT INTO users () VALUES ()");
}

TEST_F(CompilerTest, InsertUnknownColumnNamesTableAndColumn) {
  try {
    (void)insert(users).values({{"emial", "x"}});
    FAIL() << "expected ArgumentError";
  } catch (const ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("'users'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'emial'"), std::string::npos) << e.what();
  }
}

TEST_F(CompilerTest, InsertManyValuesForExecutemany) {
  Insert stmt = insert(items).values({{"qty", 1}});
  auto single = compiled(stmt, "postgresql", {"qty"});
  ASSERT_EQ(single->insert_columns, (Names{"status", "qty"}));
  auto many = detail::compile_insert_many(static_cast<const detail::InsertState&>(stmt.state()),
                                          dialect("postgresql"), single->insert_columns, 3);
  EXPECT_EQ(many->sql, "INSERT INTO items (status, qty) VALUES ($1, $2), ($3, $4), ($5, $6)");
  EXPECT_EQ(keys_of(*many), (Names{"status", "qty", "status", "qty", "status", "qty"}));
  EXPECT_EQ(many->binds[0].literal, Value{std::string("new")});
  EXPECT_EQ(many->insert_columns, (Names{"status", "qty"}));
  EXPECT_EQ(many, detail::compile_insert_many(static_cast<const detail::InsertState&>(stmt.state()),
                                              dialect("postgresql"), single->insert_columns, 3));
  auto returning = detail::compile_insert_many(
      static_cast<const detail::InsertState&>(insert(users).returning(users.c("id")).state()),
      dialect("sqlite"), {"email"}, 2);
  EXPECT_EQ(returning->sql, "INSERT INTO users (email) VALUES (?), (?) RETURNING id");
  EXPECT_TRUE(returning->returns_rows);
}

// ---- UPDATE / DELETE
// -----------------------------------------------------------------------------

TEST_F(CompilerTest, UpdateWithValues) {
  Update stmt = update(users).where(users.c("id") == 5).values({{"name", "x"}});
  EXPECT_SQL(stmt, "UPDATE users SET name=? WHERE id = ?", "UPDATE users SET name=$1 WHERE id = $2",
             "UPDATE users SET name=? WHERE id = ?");
  auto c = compiled(stmt, "sqlite");
  EXPECT_EQ(keys_of(*c), (Names{"name", "id_1"}));
  EXPECT_EQ(literals_of(*c), (Values{std::string("x"), std::int64_t{5}}));
  EXPECT_EQ(c->kind, detail::StatementKind::kUpdate);
  EXPECT_FALSE(c->returns_rows);
}

TEST_F(CompilerTest, UpdateWithExpressionValues) {
  Update stmt = update(items)
                    .values({{"qty", items.c("qty") + 1}, {"status", literal_column("'done'")}})
                    .where(items.c("id") == 3);
  EXPECT_SQL(stmt, "UPDATE items SET status='done', qty=qty + ? WHERE id = ?",
             "UPDATE items SET status='done', qty=qty + $1 WHERE id = $2",
             "UPDATE items SET status='done', qty=qty + ? WHERE id = ?");
  EXPECT_EQ(keys_of(*compiled(stmt, "sqlite")), (Names{"qty_1", "id_1"}));
}

TEST_F(CompilerTest, UpdateWithoutValuesTakesSetColumnsFromParameters) {
  Update stmt = update(users).where(users.c("id") == bindparam("id"));
  auto c = compiled(stmt, "postgresql", {"id", "name"});
  EXPECT_EQ(c->sql, "UPDATE users SET name=$1 WHERE id = $2");
  EXPECT_EQ(keys_of(*c), (Names{"name", "id"}));
  EXPECT_THROW((void)compiled(stmt, "postgresql", {"id", "nmae"}), ArgumentError);
  EXPECT_THROW((void)compiled(stmt, "postgresql", {"id"}), CompileError);
}

TEST_F(CompilerTest, UpdateSubqueryCorrelatesToTheTarget) {
  Update stmt =
      update(users)
          .values({{"name", "has orders"}})
          .where(exists(select(orders.c("id")).where(orders.c("user_id") == users.c("id"))));
  EXPECT_EQ(to_string(stmt, "postgresql"),
            "UPDATE users SET name=$1 WHERE EXISTS (SELECT orders.id FROM orders WHERE "
            "orders.user_id = users.id)");
}

TEST_F(CompilerTest, UpdateAndDeleteReturningFollowTheDialect) {
  Update upd = update(users).values({{"name", "x"}}).returning({users.c("id")});
  EXPECT_EQ(to_string(upd, "postgresql"), "UPDATE users SET name=$1 RETURNING id");
  try {
    (void)to_string(upd, "mysql");
    FAIL() << "expected CompileError";
  } catch (const CompileError& e) {
    EXPECT_NE(std::string(e.what()).find("mysql"), std::string::npos) << e.what();
  }
  Delete del =
      delete_(users).where(users.c("id") == 1).returning({users.c("id"), users.c("email")});
  EXPECT_SQL(del, "DELETE FROM users WHERE id = ? RETURNING id, email",
             "DELETE FROM users WHERE id = $1 RETURNING id, email",
             "DELETE FROM users WHERE id = ? RETURNING id, email");
  EXPECT_THROW((void)detail::compile(del.state(), mysql8()), CompileError);
}

TEST_F(CompilerTest, Delete) {
  EXPECT_SQL(delete_(users).where(users.c("email").like("%spam%")),
             "DELETE FROM users WHERE email LIKE ?", "DELETE FROM users WHERE email LIKE $1",
             "DELETE FROM users WHERE email LIKE ?");
  EXPECT_SQL(delete_(users), "DELETE FROM users", "DELETE FROM users", "DELETE FROM users");
  auto c = compiled(delete_(users).where(users.c("id") == 1), "sqlite");
  EXPECT_EQ(c->kind, detail::StatementKind::kDelete);
  EXPECT_EQ(keys_of(*c), Names{"id_1"});
}

// ---- text()
// --------------------------------------------------------------------------------------

TEST_F(CompilerTest, TextParametersBecomePlaceholders) {
  TextClause stmt = text("SELECT * FROM users WHERE id = :id AND (name = :name OR email = :name)");
  EXPECT_SQL(stmt, "SELECT * FROM users WHERE id = ? AND (name = ? OR email = ?)",
             "SELECT * FROM users WHERE id = $1 AND (name = $2 OR email = $3)",
             "SELECT * FROM users WHERE id = ? AND (name = ? OR email = ?)");
  auto c = compiled(stmt, "postgresql");
  EXPECT_EQ(keys_of(*c), (Names{"id", "name", "name"}));
  EXPECT_FALSE(c->binds[0].literal.has_value());
  EXPECT_TRUE(c->returns_rows);
}

TEST_F(CompilerTest, TextEscapedColonsCastsAndTimesAreNotParameters) {
  TextClause stmt = text("SELECT '10\\:30', '12:30', x::text, :v::int FROM t WHERE a = :a");
  EXPECT_EQ(to_string(stmt, "postgresql"),
            "SELECT '10:30', '12:30', x::text, $1::int FROM t WHERE a = $2");
  EXPECT_EQ(keys_of(*compiled(stmt, "postgresql")), (Names{"v", "a"}));
  EXPECT_FALSE(compiled(text("UPDATE t SET a = :a"), "sqlite")->returns_rows);
  EXPECT_TRUE(compiled(text("insert into t (a) values (:a) returning id"), "sqlite")->returns_rows);
}

// ---- quoting, parameters, caching
// ----------------------------------------------------------------

TEST_F(CompilerTest, ReservedWordsAndMixedCaseAreQuoted) {
  Select stmt = select(reserved).where(reserved.c("order") > 1);
  EXPECT_EQ(to_string(stmt, "postgresql"),
            "SELECT \"user\".id, \"user\".\"order\", \"user\".\"CamelCase\", \"user\".\"select\" "
            "FROM \"user\" WHERE \"user\".\"order\" > $1");
  EXPECT_EQ(to_string(stmt, "mysql"),
            "SELECT `user`.id, `user`.`order`, `user`.`CamelCase`, `user`.`select` FROM `user` "
            "WHERE `user`.`order` > ?");
  EXPECT_EQ(to_string(update(reserved).values({{"CamelCase", "x"}}), "postgresql"),
            "UPDATE \"user\" SET \"CamelCase\"=$1");
  EXPECT_EQ(
      to_string(select(users.c("id").label("a\"b"), users.c("name").label("2x")), "postgresql"),
      "SELECT users.id AS \"a\"\"b\", users.name AS \"2x\" FROM users");
  EXPECT_EQ(dialect("postgresql").quote_identifier("Group"), "\"Group\"");
  EXPECT_EQ(dialect("postgresql").quote_identifier("email"), "email");
  EXPECT_EQ(dialect("mysql").quote_identifier("a`b"), "`a``b`");
}

TEST_F(CompilerTest, BindparamReusedKeepsOnePlaceholderPerUse) {
  Select stmt =
      select(users.c("id"))
          .where(or_({users.c("email") == bindparam("e"), users.c("name") == bindparam("e")}));
  EXPECT_SQL(stmt, "SELECT users.id FROM users WHERE users.email = ? OR users.name = ?",
             "SELECT users.id FROM users WHERE users.email = $1 OR users.name = $2",
             "SELECT users.id FROM users WHERE users.email = ? OR users.name = ?");
  auto c = compiled(stmt, "postgresql");
  EXPECT_EQ(keys_of(*c), (Names{"e", "e"}));
  EXPECT_FALSE(c->binds[0].literal.has_value());
}

TEST_F(CompilerTest, HostileValuesNeverReachTheSqlText) {
  const std::string hostile = "x'); DROP TABLE users; -- \" ` \\ :id";
  std::vector<Executable> statements = {
      select(users).where(users.c("email") == hostile || users.c("name").like(hostile)),
      select(users.c("id")).where(users.c("name").in_({hostile, hostile})),
      insert(users).values({{"email", hostile}}),
      update(users).values({{"name", hostile}}).where(users.c("email").ilike(hostile)),
      delete_(users).where(users.c("email").between(hostile, hostile)),
  };
  for (const Executable& stmt : statements) {
    for (std::string_view name : {"sqlite", "postgresql", "mysql"}) {
      auto c = compiled(stmt, name);
      EXPECT_EQ(c->sql.find("DROP"), std::string::npos) << c->sql;
      EXPECT_EQ(c->sql.find('\''), std::string::npos) << c->sql;
      ASSERT_FALSE(c->binds.empty());
      EXPECT_EQ(c->binds.front().literal, Value{hostile});
    }
  }
}

TEST_F(CompilerTest, CompiledFormIsCachedPerStatementAndDialect) {
  Select stmt = select(users).where(users.c("id") == 1);
  auto first = compiled(stmt, "postgresql");
  EXPECT_EQ(first.get(), compiled(stmt, "postgresql").get());
  EXPECT_NE(first.get(), compiled(stmt, "sqlite").get());
  // A copy of the handle shares the cache; a derived statement does not.
  Select copy = stmt;
  EXPECT_EQ(first.get(), compiled(copy, "postgresql").get());
  EXPECT_NE(first.get(), compiled(stmt.limit(1), "postgresql").get());
  // INSERT forms depend on the parameter keys.
  Insert ins = insert(users);
  auto by_email = compiled(ins, "sqlite", {"email"});
  EXPECT_EQ(by_email.get(), compiled(ins, "sqlite", {"email"}).get());
  EXPECT_NE(by_email.get(), compiled(ins, "sqlite", {"email", "name"}).get());
}

TEST_F(CompilerTest, BuildersLeaveTheOriginalUnchanged) {
  Select base = select(users.c("id"));
  Select filtered = base.where(users.c("id") == 1).order_by(users.c("id")).limit(3);
  EXPECT_EQ(to_string(base, "sqlite"), "SELECT users.id FROM users");
  EXPECT_EQ(to_string(filtered, "sqlite"),
            "SELECT users.id FROM users WHERE users.id = ? ORDER BY users.id LIMIT 3");
  Insert one = insert(users).values({{"email", "a"}});
  Insert two = one.values({{"name", "b"}});
  EXPECT_EQ(to_string(one, "sqlite"), "INSERT INTO users (email) VALUES (?)");
  EXPECT_EQ(to_string(two, "sqlite"), "INSERT INTO users (email, name) VALUES (?, ?)");
}

TEST_F(CompilerTest, SelectWithoutFrom) {
  EXPECT_EQ(to_string(select(literal(1)), "postgresql"), "SELECT $1 AS anon_1");
  EXPECT_THROW((void)to_string(select(std::vector<SelectItem>{}), "sqlite"), CompileError);
}

// ---- Dialect defaults
// ------------------------------------------------------------------------------

// Only the standard-SQL defaults of the base class; nothing overridden but what must be.
class StandardDialect final : public Dialect {
 public:
  std::string_view name() const override { return "standard"; }
  std::unique_ptr<driver::Connection> connect(const URL&) const override { return nullptr; }
  std::string type_ddl(const Column&) const override { return "INTEGER"; }
  std::vector<std::string> get_table_names(Connection&) const override { return {}; }
  std::vector<ReflectedColumn> get_columns(Connection&, const std::string&) const override {
    return {};
  }
  ReflectedPrimaryKey get_pk_constraint(Connection&, const std::string&) const override {
    return {};
  }
  std::vector<ReflectedForeignKey> get_foreign_keys(Connection&,
                                                    const std::string&) const override {
    return {};
  }
  std::vector<ReflectedIndex> get_indexes(Connection&, const std::string&) const override {
    return {};
  }
  std::vector<ReflectedUniqueConstraint> get_unique_constraints(Connection&,
                                                                const std::string&) const override {
    return {};
  }
  std::string get_table_comment(Connection&, const std::string&) const override { return {}; }
};

TEST_F(CompilerTest, DialectDefaultsSpellStandardSql) {
  StandardDialect standard;
  EXPECT_EQ(to_string(select(users.c("id")).offset(5), standard),
            "SELECT users.id FROM users OFFSET 5");
  EXPECT_EQ(to_string(select(users.c("id")).limit(2).offset(5), standard),
            "SELECT users.id FROM users LIMIT 2 OFFSET 5");
  EXPECT_EQ(to_string(insert(users), standard), "INSERT INTO users DEFAULT VALUES");
  EXPECT_EQ(
      to_string(select(users.c("id")).where(users.c("name").is_distinct_from(users.c("email"))),
                standard),
      "SELECT users.id FROM users WHERE users.name IS DISTINCT FROM users.email");
  EXPECT_EQ(to_string(select(users.c("id")).where(users.c("id") == 1).with_for_update(), standard),
            "SELECT users.id FROM users WHERE users.id = ? FOR UPDATE");
  EXPECT_EQ(standard.quote_string_literal("it's"), "'it''s'");
  EXPECT_EQ(standard.quote_identifier("user"), "\"user\"");
  EXPECT_EQ(standard.quote_identifier("user_name"), "user_name");
  EXPECT_EQ(standard.quote_identifier("1st"), "\"1st\"");
  EXPECT_EQ(standard.quote_identifier("a b\"c"), "\"a b\"\"c\"");
  EXPECT_EQ(standard.quote_identifier(""), "\"\"");
  for (std::string_view word : {"select", "from", "where", "order", "group", "user", "table", "key",
                                "default", "check", "index", "desc", "asc", "limit"}) {
    EXPECT_TRUE(standard.is_reserved_word(word)) << word;
  }
  EXPECT_FALSE(standard.is_reserved_word("email"));
  try {
    standard.validate_url(URL::parse("postgresql://u@h/db?sslmode=require"));
    FAIL() << "expected ArgumentError";
  } catch (const ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("'sslmode'"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(standard.validate_url(URL::parse("postgresql://u@h/db")));
}

}  // namespace
}  // namespace athanor
