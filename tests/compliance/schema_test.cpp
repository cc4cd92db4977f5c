// Compliance: create_all / drop_all on every backend (dependency order, checkfirst, foreign-key
// cycles, self-references), and the constraints and comments the generated DDL declares.
#include <algorithm>
#include <string>
#include <vector>

#include "tests/compliance/fixture.hpp"

namespace athanor::testing {
namespace {

bool starts_with(const std::string& text, std::string_view prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

// The statements of `log` that start with `prefix`, in order.
std::vector<std::string> with_prefix(const std::vector<std::string>& log, std::string_view prefix) {
  std::vector<std::string> out;
  for (const std::string& line : log) {
    if (starts_with(line, prefix)) out.push_back(line);
  }
  return out;
}

// The table named right after `prefix` ("CREATE TABLE x (" -> "x").
std::string table_of(const std::string& statement, std::string_view prefix) {
  std::string rest = statement.substr(prefix.size());
  return rest.substr(0, rest.find_first_of(" (\n"));
}

std::vector<std::string> tables_in(const std::vector<std::string>& log, std::string_view prefix) {
  std::vector<std::string> out;
  for (const std::string& s : with_prefix(log, prefix)) out.push_back(table_of(s, prefix));
  return out;
}

class SchemaTest : public BackendTest {
 protected:
  std::vector<std::string> table_names() { return inspect(engine()).get_table_names(); }

  std::int64_t count(const Table& table) {
    auto conn = engine().connect();
    return conn.execute(select(func::count()).select_from(table)).scalar<std::int64_t>();
  }
};

// Tables defined children first, so that only sorting gets the order right.
void define_blog(MetaData& md) {
  md.table("comments",
           {Column("id", Integer{}, {.primary_key = true}),
            Column("post_id", Integer{}, ForeignKey("posts.id", {.ondelete = "CASCADE"}),
                   {.nullable = false}),
            Column("body", Text{})});
  md.table("posts", {Column("id", Integer{}, {.primary_key = true}),
                     Column("author_id", Integer{}, ForeignKey("authors.id"), {.nullable = false}),
                     Column("title", String{200}, {.nullable = false})});
  md.table("authors", {Column("id", Integer{}, {.primary_key = true}),
                       Column("email", String{255}, {.nullable = false, .unique = true})});
}

TEST_F(SchemaTest, CreateAllCreatesReferencedTablesFirst) {
  MetaData md;
  define_blog(md);
  md.create_all(engine());
  const std::vector<std::string> log = statements();
  EXPECT_EQ(tables_in(log, "CREATE TABLE "),
            (std::vector<std::string>{"authors", "posts", "comments"}));
  EXPECT_EQ(table_names(), (std::vector<std::string>{"authors", "comments", "posts"}));
  // One transaction around all of it.
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log.front(), "BEGIN (implicit)");
  EXPECT_EQ(log.back(), "COMMIT");
}

TEST_F(SchemaTest, CreateAllWithCheckfirstSkipsExistingTables) {
  MetaData md;
  define_blog(md);
  md.create_all(engine());
  clear_statements();
  md.create_all(engine());
  EXPECT_TRUE(with_prefix(statements(), "CREATE ").empty());

  // A new table is created next to the existing ones.
  md.table("tags", {Column("id", Integer{}, {.primary_key = true})});
  clear_statements();
  md.create_all(engine());
  EXPECT_EQ(tables_in(statements(), "CREATE TABLE "), std::vector<std::string>{"tags"});

  EXPECT_THROW(md.create_all(engine(), {.checkfirst = false}), DBAPIError);
}

TEST_F(SchemaTest, DropAllDropsDependentTablesFirst) {
  MetaData md;
  define_blog(md);
  md.create_all(engine());
  {
    auto conn = engine().connect();
    conn.execute(insert(md.get_table("authors")).values({{"id", 1}, {"email", "a@example.com"}}));
    conn.execute(
        insert(md.get_table("posts")).values({{"id", 1}, {"author_id", 1}, {"title", "t"}}));
    conn.execute(insert(md.get_table("comments")).values({{"post_id", 1}, {"body", "hi"}}));
    conn.commit();
  }
  clear_statements();
  md.drop_all(engine());
  EXPECT_EQ(tables_in(statements(), "DROP TABLE "),
            (std::vector<std::string>{"comments", "posts", "authors"}));
  EXPECT_TRUE(table_names().empty());

  clear_statements();
  md.drop_all(engine());  // checkfirst: nothing to do
  EXPECT_TRUE(with_prefix(statements(), "DROP ").empty());
  EXPECT_THROW(md.drop_all(engine(), {.checkfirst = false}), DBAPIError);
}

TEST_F(SchemaTest, ForeignKeyCycleIsCreatedAndDropped) {
  MetaData md;
  const Table& teams = md.table(
      "teams",
      {Column("id", Integer{}, {.primary_key = true}),
       Column("captain_id", Integer{}, ForeignKey("players.id", {.ondelete = "SET NULL"}))});
  const Table& players =
      md.table("players", {Column("id", Integer{}, {.primary_key = true}),
                           Column("team_id", Integer{}, ForeignKey("teams.id"))});
  md.create_all(engine());

  std::vector<std::string> alters = with_prefix(statements(), "ALTER TABLE ");
  if (engine().dialect().supports_alter_add_constraint()) {
    EXPECT_EQ(alters, (std::vector<std::string>{
                          "ALTER TABLE teams ADD CONSTRAINT fk_teams_captain_id_players FOREIGN "
                          "KEY (captain_id) REFERENCES players (id) ON DELETE SET NULL",
                          "ALTER TABLE players ADD CONSTRAINT fk_players_team_id_teams FOREIGN "
                          "KEY (team_id) REFERENCES teams (id)"}));
  } else {
    EXPECT_TRUE(alters.empty());
  }
  Inspector inspector = inspect(engine());
  ASSERT_EQ(inspector.get_foreign_keys("teams").size(), 1u);
  EXPECT_EQ(inspector.get_foreign_keys("teams")[0].referred_table, "players");
  EXPECT_EQ(inspector.get_foreign_keys("teams")[0].ondelete, "SET NULL");
  ASSERT_EQ(inspector.get_foreign_keys("players").size(), 1u);
  EXPECT_EQ(inspector.get_foreign_keys("players")[0].referred_table, "teams");

  // Both keys are enforced: a captain must be a player, and deleting the player clears it.
  {
    auto conn = engine().connect();
    conn.execute(insert(teams).values({{"id", 1}}));
    conn.execute(insert(players).values({{"id", 10}, {"team_id", 1}}));
    conn.execute(update(teams).values({{"captain_id", 10}}));
    conn.commit();
    EXPECT_THROW(conn.execute(update(teams).values({{"captain_id", 99}})), IntegrityError);
    conn.rollback();
    conn.execute(delete_(players));
    conn.commit();
    EXPECT_EQ(conn.execute(select(teams.c("captain_id"))).scalar<std::optional<int>>(),
              std::nullopt);
  }

  clear_statements();
  md.drop_all(engine());
  if (engine().dialect().supports_alter_add_constraint()) {
    // The cyclic keys are dropped before the tables.
    std::vector<std::string> log = statements();
    auto first_drop_table = std::find_if(
        log.begin(), log.end(), [](const std::string& s) { return starts_with(s, "DROP TABLE "); });
    EXPECT_EQ(std::count_if(log.begin(), first_drop_table,
                            [](const std::string& s) { return starts_with(s, "ALTER TABLE "); }),
              2);
  }
  EXPECT_TRUE(table_names().empty());
}

TEST_F(SchemaTest, CyclicSchemaReflectedFromTheDatabaseCanBeDropped) {
  MetaData md;
  md.table("a", {Column("id", Integer{}, {.primary_key = true}),
                 Column("b_id", Integer{}, ForeignKey("b.id"))});
  md.table("b", {Column("id", Integer{}, {.primary_key = true}),
                 Column("a_id", Integer{}, ForeignKey("a.id"))});
  md.create_all(engine());
  MetaData reflected;
  reflected.reflect(engine());
  reflected.drop_all(engine());
  EXPECT_TRUE(table_names().empty());
}

TEST_F(SchemaTest, SelfReferencingTableHoldsATree) {
  MetaData md;
  const Table& nodes = md.table(
      "nodes", {Column("id", Integer{}, {.primary_key = true}),
                Column("parent_id", Integer{}, ForeignKey("nodes.id", {.ondelete = "CASCADE"}))});
  md.create_all(engine());
  EXPECT_TRUE(with_prefix(statements(), "ALTER TABLE ").empty());
  {
    auto conn = engine().connect();
    conn.execute(insert(nodes).values({{"id", 1}}));
    conn.execute(insert(nodes).values({{"id", 2}, {"parent_id", 1}}));
    conn.execute(insert(nodes).values({{"id", 3}, {"parent_id", 2}}));
    conn.commit();
    conn.execute(delete_(nodes).where(nodes.c("id") == 1));
    conn.commit();
  }
  EXPECT_EQ(count(nodes), 0);
  md.drop_all(engine());
  EXPECT_TRUE(table_names().empty());
}

TEST_F(SchemaTest, DeclaredConstraintsAreEnforced) {
  MetaData md;
  const Table& accounts =
      md.table("accounts",
               {Column("id", Integer{}, {.primary_key = true}),
                Column("email", String{100}, {.nullable = false, .unique = true}),
                Column("balance", Numeric{10, 2}, {.nullable = false, .server_default = "0"}),
                Column("state", Enum{{"open", "closed"}, ""},
                       {.nullable = false, .server_default = "'open'"})},
               {.check_constraints = {CheckConstraint{"balance >= 0", "ck_accounts_balance"}}});
  const Table& members = md.table(
      "members", {Column("account_id", Integer{}, ForeignKey("accounts.id"), {.primary_key = true}),
                  Column("name", String{50}, {.primary_key = true})});
  md.create_all(engine());

  auto conn = engine().connect();
  conn.execute(insert(accounts).values({{"id", 1}, {"email", "x@example.com"}}));
  conn.commit();
  // Server defaults fill the columns left out.
  auto row = conn.execute(select(accounts.c("balance"), accounts.c("state"))).one();
  EXPECT_EQ(row.get<double>(0), 0.0);
  EXPECT_EQ(row.get<std::string>(1), "open");

  auto rejects = [&](const Executable& statement) {
    bool raised = false;
    try {
      conn.execute(statement);
    } catch (const IntegrityError&) {
      raised = true;
    } catch (const DBAPIError& e) {
      // A native ENUM column refuses unknown labels as bad data rather than a constraint.
      raised = engine().dialect().supports_native_enum();
      if (!raised) ADD_FAILURE() << e.what();
    }
    conn.rollback();
    return raised;
  };
  EXPECT_TRUE(rejects(insert(accounts).values({{"id", 2}, {"email", "x@example.com"}})));
  EXPECT_TRUE(rejects(insert(accounts).values(
      {{"id", 3}, {"email", "y@example.com"}, {"balance", Decimal{"-1"}}})));
  EXPECT_TRUE(rejects(
      insert(accounts).values({{"id", 4}, {"email", "z@example.com"}, {"state", "frozen"}})));
  EXPECT_TRUE(rejects(insert(accounts).values({{"id", 5}, {"email", nullptr}})));
  EXPECT_TRUE(rejects(insert(members).values({{"account_id", 99}, {"name", "n"}})));
  conn.execute(insert(members).values({{"account_id", 1}, {"name", "n"}}));
  EXPECT_TRUE(rejects(insert(members).values({{"account_id", 1}, {"name", "n"}})));
}

TEST_F(SchemaTest, CommentsAreStoredAndInfoStaysInTheMetadata) {
  MetaData md;
  const std::string tricky = "It's the \"users\" table: /* not a comment */ -- ünïcødé \\ done";
  md.table("users",
           {Column("id", Integer{}, {.primary_key = true, .comment = "Surrogate key"}),
            Column("email", String{255}, {.comment = tricky, .info = {{"pii", true}}}),
            Column("plain", Integer{})},
           {.comment = "End-user accounts table", .info = {{"owner", "accounts-team"}}});
  md.create_all(engine());

  Inspector inspector = inspect(engine());
  EXPECT_EQ(inspector.get_table_comment("users"), "End-user accounts table");
  std::vector<ReflectedColumn> columns = inspector.get_columns("users");
  ASSERT_EQ(columns.size(), 3u);
  EXPECT_EQ(columns[0].comment, "Surrogate key");
  EXPECT_EQ(columns[1].comment, tricky);
  EXPECT_EQ(columns[2].comment, "");

  nlohmann::json json = to_json(md);
  EXPECT_EQ(json["users"]["info"], (nlohmann::json{{"owner", "accounts-team"}}));
  EXPECT_EQ(json["users"]["columns"][1]["info"], (nlohmann::json{{"pii", true}}));
  EXPECT_EQ(json["users"]["columns"][1]["comment"], tricky);
}

TEST_F(SchemaTest, TablesWithoutCommentsReflectEmptyComments) {
  MetaData md;
  md.table("t", {Column("id", Integer{}, {.primary_key = true})});
  md.create_all(engine());
  EXPECT_EQ(inspect(engine()).get_table_comment("t"), "");
  EXPECT_EQ(inspect(engine()).get_columns("t").at(0).comment, "");
}

TEST_F(SchemaTest, AutoincrementKeysAreGeneratedByTheDatabase) {
  MetaData md;
  const Table& events = md.table(
      "events", {Column("id", BigInteger{}, {.primary_key = true}), Column("name", String{20})});
  const Table& manual =
      md.table("manual", {Column("id", Integer{}, {.primary_key = true, .autoincrement = false})});
  md.create_all(engine());
  EXPECT_TRUE(events.column("id").autoincrement());
  EXPECT_FALSE(manual.column("id").autoincrement());
  auto conn = engine().connect();
  conn.execute(insert(events).values({{"name", "a"}}));
  conn.execute(insert(events).values({{"name", "b"}}));
  conn.commit();
  EXPECT_EQ(conn.execute(select(events.c("id")).order_by(events.c("id"))).scalars<std::int64_t>(),
            (std::vector<std::int64_t>{1, 2}));
  conn.execute(insert(manual).values({{"id", 40}}));
  conn.commit();
  EXPECT_EQ(conn.execute(select(manual.c("id"))).scalar<int>(), 40);
}

}  // namespace
}  // namespace athanor::testing
