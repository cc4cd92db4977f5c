// Unit tests for schema metadata: validation, defaults, dependency order, JSON, and the DDL text
// each dialect generates (compared to the exact expected statements).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "athanor/core/detail/sql_ast.hpp"
#include "athanor/core/dialect.hpp"
#include "athanor/core/error.hpp"
#include "athanor/core/schema.hpp"
#include "core/schema/internal.hpp"

namespace athanor {
namespace {

template <class F>
std::string argument_error(F&& fn) {
  try {
    fn();
  } catch (const ArgumentError& e) {
    return e.what();
  }
  return {};
}

std::vector<std::string> names_of(const std::vector<const Table*>& tables) {
  std::vector<std::string> out;
  for (const Table* t : tables) out.push_back(t->name());
  return out;
}

Column id_column() { return Column("id", Integer{}, {.primary_key = true}); }

// ---- columns and tables ------------------------------------------------------------------------

TEST(ColumnTest, NullableDefaultsToFalseOnlyForPrimaryKeys) {
  MetaData md;
  const Table& t =
      md.table("t", {id_column(), Column("a", Text{}), Column("b", Text{}, {.nullable = false}),
                     Column("c", Integer{}, {.primary_key = true, .nullable = true})});
  EXPECT_FALSE(t.column("id").nullable());
  EXPECT_TRUE(t.column("a").nullable());
  EXPECT_FALSE(t.column("b").nullable());
  EXPECT_TRUE(t.column("c").nullable());
  EXPECT_EQ(t.column("a").table(), &t);
  EXPECT_EQ(&t.metadata(), &md);
}

TEST(ColumnTest, AutoincrementIsTheSingleIntegerPrimaryKeyWithoutForeignKey) {
  MetaData md;
  const Table& plain = md.table(
      "plain", {Column("id", BigInteger{}, {.primary_key = true}), Column("n", Integer{})});
  EXPECT_EQ(plain.autoincrement_column(), &plain.column("id"));
  EXPECT_TRUE(plain.column("id").autoincrement());
  EXPECT_FALSE(plain.column("n").autoincrement());

  const Table& text_key = md.table("text_key", {Column("code", String{8}, {.primary_key = true})});
  EXPECT_EQ(text_key.autoincrement_column(), nullptr);

  const Table& composite = md.table("composite", {Column("a", Integer{}, {.primary_key = true}),
                                                  Column("b", Integer{}, {.primary_key = true})});
  EXPECT_EQ(composite.autoincrement_column(), nullptr);

  const Table& child =
      md.table("child", {Column("id", Integer{}, ForeignKey("plain.id"), {.primary_key = true})});
  EXPECT_EQ(child.autoincrement_column(), nullptr);

  const Table& child_by_constraint =
      md.table("child2", {Column("id", Integer{}, {.primary_key = true})},
               {.foreign_keys = {ForeignKeyConstraint{{"id"}, "plain", {"id"}, {}}}});
  EXPECT_EQ(child_by_constraint.autoincrement_column(), nullptr);

  const Table& off =
      md.table("off", {Column("id", Integer{}, {.primary_key = true, .autoincrement = false})});
  EXPECT_EQ(off.autoincrement_column(), nullptr);

  const Table& forced =
      md.table("forced", {Column("a", Integer{}, {.primary_key = true}),
                          Column("b", Integer{}, {.primary_key = true, .autoincrement = true})});
  EXPECT_EQ(forced.autoincrement_column(), &forced.column("b"));

  const Table& forced_fk =
      md.table("forced_fk", {Column("id", Integer{}, ForeignKey("plain.id"),
                                    {.primary_key = true, .autoincrement = true})});
  EXPECT_EQ(forced_fk.autoincrement_column(), &forced_fk.column("id"));

  // Not a primary key: never the autoincrement column.
  const Table& no_key = md.table("no_key", {Column("n", Integer{}, {.autoincrement = true})});
  EXPECT_EQ(no_key.autoincrement_column(), nullptr);
}

TEST(ColumnTest, ResolvesAutoincrementBeforeBeingAddedToATable) {
  EXPECT_TRUE(id_column().autoincrement());
  EXPECT_FALSE(Column("id", Integer{}, ForeignKey("a.id"), {.primary_key = true}).autoincrement());
  EXPECT_FALSE(Column("n", Integer{}).autoincrement());
  EXPECT_EQ(id_column().table(), nullptr);
}

TEST(TableTest, ExpandsColumnLevelConstraints) {
  MetaData md;
  md.table("users", {id_column()});
  const Table& t = md.table(
      "posts",
      {id_column(),
       Column("author_id", Integer{}, ForeignKey("users.id", {.ondelete = "cascade"}),
              {.index = true}),
       Column("slug", String{80}, {.unique = true}),
       Column("code", String{8}, {.unique = true, .index = true})},
      {.unique_constraints = {UniqueConstraint{{"author_id", "slug"}, ""}},
       .indexes = {Index{"", {"slug", "author_id"}, false}},
       .foreign_keys = {ForeignKeyConstraint{{"author_id", "id"}, "pairs", {"a", "b"}, {}}}});

  ASSERT_EQ(t.foreign_keys().size(), 2u);
  EXPECT_EQ(t.foreign_keys()[0].columns, std::vector<std::string>{"author_id"});
  EXPECT_EQ(t.foreign_keys()[0].referred_table, "users");
  EXPECT_EQ(t.foreign_keys()[0].referred_columns, std::vector<std::string>{"id"});
  EXPECT_EQ(t.foreign_keys()[0].options.ondelete, "CASCADE");
  EXPECT_EQ(t.foreign_keys()[1].referred_table, "pairs");

  ASSERT_EQ(t.unique_constraints().size(), 2u);
  EXPECT_EQ(t.unique_constraints()[0].name, "uq_posts_slug");
  EXPECT_EQ(t.unique_constraints()[0].columns, std::vector<std::string>{"slug"});
  EXPECT_EQ(t.unique_constraints()[1].name, "uq_posts_author_id_slug");

  ASSERT_EQ(t.indexes().size(), 3u);
  EXPECT_EQ(t.indexes()[0].name, "ix_posts_author_id");
  EXPECT_FALSE(t.indexes()[0].unique);
  EXPECT_EQ(t.indexes()[1].name, "ix_posts_code");  // unique + index: one unique index
  EXPECT_TRUE(t.indexes()[1].unique);
  EXPECT_EQ(t.indexes()[2].name, "ix_posts_slug_author_id");

  EXPECT_EQ(t.column("author_id").foreign_keys().at(0).target_table(), "users");
  EXPECT_EQ(t.column("author_id").foreign_keys().at(0).target_column(), "id");
}

TEST(TableTest, LooksUpColumns) {
  MetaData md;
  const Table& t = md.table("t", {id_column(), Column("name", Text{})});
  EXPECT_EQ(t.find_column("name"), &t.columns()[1]);
  EXPECT_EQ(t.find_column("nope"), nullptr);
  EXPECT_EQ(argument_error([&] { t.column("nope"); }), "table 't' has no column 'nope'");
  EXPECT_EQ(argument_error([&] { t.c("nope"); }), "table 't' has no column 'nope'");
  EXPECT_EQ(t.c("name").node().column, &t.column("name"));
  EXPECT_EQ(t.column("name").expr().node().column, &t.column("name"));
  std::vector<const Column*> key = t.primary_key();
  ASSERT_EQ(key.size(), 1u);
  EXPECT_EQ(key[0], &t.column("id"));
}

TEST(TableTest, IsAFromItem) {
  MetaData md;
  const Table& t = md.table("t", {id_column()});
  FromClause from = t;
  EXPECT_EQ(from.node().kind, detail::FromKind::kTable);
  EXPECT_EQ(from.node().table, &t);
}

TEST(TableTest, RejectsInvalidDefinitions) {
  MetaData md;
  md.table("users", {id_column()});
  EXPECT_EQ(argument_error([&] { md.table("users", {id_column()}); }),
            "table 'users' is already defined in this MetaData");
  EXPECT_EQ(argument_error([&] {
              md.table("t1", {id_column(), Column("id", Text{})});
            }),
            "table 't1': duplicate column 'id'");
  EXPECT_EQ(argument_error([&] {
              md.table("t2", {id_column()}, {.unique_constraints = {{{"email"}, ""}}});
            }),
            "table 't2': unique constraint (email) names unknown column 'email'");
  EXPECT_EQ(argument_error([&] {
              md.table("t3", {id_column()}, {.indexes = {Index{"ix_x", {"x"}, false}}});
            }),
            "table 't3': index 'ix_x' names unknown column 'x'");
  EXPECT_EQ(argument_error([&] {
              md.table("t4", {id_column()}, {.indexes = {Index{"", {}, false}}});
            }),
            "table 't4': index () names no columns");
  EXPECT_EQ(argument_error([&] {
              md.table("t5", {id_column()},
                       {.foreign_keys = {ForeignKeyConstraint{{"a"}, "users", {"id"}, {}}}});
            }),
            "table 't5': foreign key (a) names unknown column 'a'");
  EXPECT_EQ(argument_error([&] {
              md.table("t6", {id_column()},
                       {.foreign_keys = {ForeignKeyConstraint{{"id"}, "users", {}, {}}}});
            }),
            "table 't6': foreign key (id) must refer to as many columns of 'users' as it has");
  EXPECT_EQ(argument_error([&] { md.table("t7", {Column("u", Integer{}, ForeignKey("users"))}); }),
            "table 't7', column 'u': foreign key target 'users' is not of the form "
            "'table.column'");
  EXPECT_EQ(argument_error([&] { md.table("t8", {Column("u", Integer{}, ForeignKey("users."))}); }),
            "table 't8', column 'u': foreign key target 'users.' is not of the form "
            "'table.column'");
  EXPECT_EQ(argument_error([&] {
              md.table("t9",
                       {Column("u", Integer{}, ForeignKey("users.id", {.ondelete = "DROP"}))});
            }),
            "table 't9', column 'u': ondelete 'DROP' is not one of CASCADE, SET NULL, SET "
            "DEFAULT, RESTRICT, NO ACTION");
  EXPECT_EQ(argument_error([&] {
              md.table("t10", {Column("a", Integer{}, {.index = true})},
                       {.indexes = {Index{"ix_t10_a", {"a"}, false}}});
            }),
            "table 't10': duplicate index name 'ix_t10_a'");
  EXPECT_EQ(argument_error([] { Column("", Integer{}); }), "a column needs a name");
  EXPECT_EQ(argument_error([] { Column("e", Enum{}); }),
            "column 'e': Enum needs at least one value");
  EXPECT_EQ(argument_error([] { Column("s", String{-1}); }),
            "column 's': String length must not be negative, not -1");
  EXPECT_EQ(argument_error([] {
              Column("n", Numeric{0, 0});
            }),
            "column 'n': Numeric precision must be positive, not 0");
  EXPECT_EQ(argument_error([] {
              Column("n", Numeric{std::nullopt, 2});
            }),
            "column 'n': Numeric scale needs a precision");
  // Failed definitions leave nothing behind.
  EXPECT_EQ(names_of(md.tables()), std::vector<std::string>{"users"});
}

TEST(MetaDataTest, FindsTables) {
  MetaData md;
  const Table& a = md.table("a", {id_column()});
  EXPECT_EQ(&md.get_table("a"), &a);
  EXPECT_EQ(md.find_table("b"), nullptr);
  EXPECT_EQ(argument_error([&] { md.get_table("b"); }), "no table named 'b' in this MetaData");
}

// ---- dependency order --------------------------------------------------------------------------

TEST(SortedTablesTest, PutsReferencedTablesFirstAndKeepsDefinitionOrderOtherwise) {
  MetaData md;
  md.table("comments", {id_column(), Column("post_id", Integer{}, ForeignKey("posts.id")),
                        Column("user_id", Integer{}, ForeignKey("users.id"))});
  md.table("tags", {id_column()});
  md.table("posts", {id_column(), Column("user_id", Integer{}, ForeignKey("users.id"))});
  md.table("users", {id_column()});
  md.table("audit", {id_column(), Column("x", Integer{}, ForeignKey("elsewhere.id"))});
  EXPECT_EQ(names_of(md.sorted_tables()),
            (std::vector<std::string>{"tags", "users", "posts", "comments", "audit"}));
  EXPECT_EQ(names_of(md.tables()),
            (std::vector<std::string>{"comments", "tags", "posts", "users", "audit"}));
  EXPECT_TRUE(detail::sort_tables(md).deferred.empty());
}

TEST(SortedTablesTest, IgnoresSelfReferences) {
  MetaData md;
  md.table("nodes", {id_column(), Column("parent_id", Integer{}, ForeignKey("nodes.id"))});
  md.table("roots", {id_column()});
  EXPECT_EQ(names_of(md.sorted_tables()), (std::vector<std::string>{"nodes", "roots"}));
  EXPECT_TRUE(detail::sort_tables(md).deferred.empty());
}

TEST(SortedTablesTest, BreaksCyclesAndDefersTheirForeignKeys) {
  MetaData md;
  md.table("extra", {id_column(), Column("b_id", Integer{}, ForeignKey("b.id"))});
  md.table("b", {id_column(), Column("a_id", Integer{}, ForeignKey("a.id"))});
  md.table("a", {id_column(), Column("b_id", Integer{}, ForeignKey("b.id")),
                 Column("base_id", Integer{}, ForeignKey("base.id"))});
  md.table("base", {id_column()});
  detail::TableOrder order = detail::sort_tables(md);
  // a and b form a cycle, so only base -> a and b -> extra order anything; otherwise the
  // earliest-defined table that is ready comes first.
  EXPECT_EQ(names_of(order.tables), (std::vector<std::string>{"b", "extra", "base", "a"}));
  ASSERT_EQ(order.deferred.size(), 2u);
  EXPECT_EQ(order.deferred[0].table->name(), "b");
  EXPECT_EQ(order.deferred[0].foreign_key->referred_table, "a");
  EXPECT_EQ(order.deferred[1].table->name(), "a");
  EXPECT_EQ(order.deferred[1].foreign_key->referred_table, "b");
  EXPECT_EQ(names_of(md.sorted_tables()), names_of(order.tables));
}

TEST(SortedTablesTest, DefersEveryForeignKeyOfALongerCycle) {
  MetaData md;
  md.table("x", {id_column(), Column("z_id", Integer{}, ForeignKey("z.id"))});
  md.table("y", {id_column(), Column("x_id", Integer{}, ForeignKey("x.id"))});
  md.table("z", {id_column(), Column("y_id", Integer{}, ForeignKey("y.id"))});
  md.table("w", {id_column(), Column("z_id", Integer{}, ForeignKey("z.id"))});
  detail::TableOrder order = detail::sort_tables(md);
  EXPECT_EQ(names_of(order.tables), (std::vector<std::string>{"x", "y", "z", "w"}));
  EXPECT_EQ(order.deferred.size(), 3u);
}

TEST(SortedTablesTest, UseAlterKeysDoNotOrderAndAreDeferred) {
  MetaData md;
  md.table("a", {id_column(), Column("b_id", Integer{}, ForeignKey("b.id", {.use_alter = true}))});
  md.table("b", {id_column()});
  detail::TableOrder order = detail::sort_tables(md);
  EXPECT_EQ(names_of(order.tables), (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(order.deferred.size(), 1u);
  EXPECT_EQ(order.deferred[0].table->name(), "a");
}

// ---- JSON --------------------------------------------------------------------------------------

TEST(SchemaJsonTest, SerializesLikeSqlAlchemyApplicationsDo) {
  MetaData md;
  md.table(
      "users",
      {Column("id", Integer{}, {.primary_key = true, .comment = "Surrogate key"}),
       Column("email", String{255}, {.nullable = false, .unique = true, .info = {{"pii", true}}}),
       Column("status", String{10}, {.index = true, .server_default = "'active'"})},
      {.comment = "End-user accounts table",
       .info = {{"pii", true}},
       .check_constraints = {{.sqltext = "status <> ''", .name = "ck_users_status"}}});
  md.table(
      "memberships",
      {Column("user_id", Integer{}, ForeignKey("users.id", {.ondelete = "CASCADE"}),
              {.primary_key = true}),
       Column("org", String{}, {.primary_key = true}), Column("since", DateTime{true})},
      {.unique_constraints = {{.columns = {"org", "since"}}},
       .indexes = {{.name = "ix_since_org", .columns = {"since", "org"}, .unique = true}},
       .check_constraints = {{.sqltext = "org <> ''"}},
       .foreign_keys = {ForeignKeyConstraint{
           {"user_id", "org"}, "roles", {"uid", "org"}, {.onupdate = "CASCADE", .name = "fk_r"}}}});
  const nlohmann::json expected = R"json({
    "users": {
      "comment": "End-user accounts table",
      "info": {"pii": true},
      "columns": [
        {"name": "id", "type": "INTEGER", "primary_key": true, "nullable": false,
         "comment": "Surrogate key", "info": {}, "server_default": null, "autoincrement": true},
        {"name": "email", "type": "VARCHAR(255)", "primary_key": false, "nullable": false,
         "comment": null, "info": {"pii": true}, "server_default": null, "autoincrement": false},
        {"name": "status", "type": "VARCHAR(10)", "primary_key": false, "nullable": true,
         "comment": null, "info": {}, "server_default": "'active'", "autoincrement": false}
      ],
      "foreign_keys": [],
      "constraints": [
        {"type": "primary_key", "name": null, "columns": ["id"]},
        {"type": "unique", "name": "uq_users_email", "columns": ["email"]},
        {"type": "check", "name": "ck_users_status", "columns": [], "sqltext": "status <> ''"}
      ],
      "indexes": [{"name": "ix_users_status", "columns": ["status"], "unique": false}]
    },
    "memberships": {
      "comment": null,
      "info": {},
      "columns": [
        {"name": "user_id", "type": "INTEGER", "primary_key": true, "nullable": false,
         "comment": null, "info": {}, "server_default": null, "autoincrement": false},
        {"name": "org", "type": "VARCHAR", "primary_key": true, "nullable": false,
         "comment": null, "info": {}, "server_default": null, "autoincrement": false},
        {"name": "since", "type": "DATETIME(timezone=True)", "primary_key": false,
         "nullable": true, "comment": null, "info": {}, "server_default": null,
         "autoincrement": false}
      ],
      "foreign_keys": [
        {"column": "user_id", "references": "users.id", "ondelete": "CASCADE", "onupdate": null},
        {"column": "user_id", "references": "roles.uid", "ondelete": null, "onupdate": "CASCADE"},
        {"column": "org", "references": "roles.org", "ondelete": null, "onupdate": "CASCADE"}
      ],
      "constraints": [
        {"type": "primary_key", "name": null, "columns": ["user_id", "org"]},
        {"type": "unique", "name": "uq_memberships_org_since", "columns": ["org", "since"]},
        {"type": "check", "name": null, "columns": [], "sqltext": "org <> ''"},
        {"type": "foreign_key", "name": null, "columns": ["user_id"], "referred_table": "users",
         "referred_columns": ["id"], "ondelete": "CASCADE", "onupdate": null},
        {"type": "foreign_key", "name": "fk_r", "columns": ["user_id", "org"],
         "referred_table": "roles", "referred_columns": ["uid", "org"], "ondelete": null,
         "onupdate": "CASCADE"}
      ],
      "indexes": [{"name": "ix_since_org", "columns": ["since", "org"], "unique": true}]
    }
  })json"_json;
  EXPECT_EQ(to_json(md), expected);
  EXPECT_EQ(to_json(md.get_table("users")), expected["users"]);
  // The table names are the top-level keys: there is no wrapping object.
  EXPECT_FALSE(to_json(md).contains("tables"));
}

// ---- DDL ---------------------------------------------------------------------------------------

// A schema exercising every DDL feature, built once per test.
class DdlTest : public ::testing::Test {
 protected:
  DdlTest() {
    md_.table("users",
              {Column("id", Integer{}, {.primary_key = true, .comment = "Surrogate key"}),
               Column("email", String{255}, {.nullable = false, .unique = true}),
               Column("status", Enum{{"active", "disabled"}, ""},
                      {.nullable = false, .server_default = "'active'"}),
               Column("order", Integer{}, {.index = true})},
              {.comment = "End-user accounts"});
    md_.table(
        "addresses",
        {id_column(), Column("user_id", Integer{}, ForeignKey("users.id", {.ondelete = "CASCADE"}),
                             {.nullable = false})},
        {.check_constraints = {CheckConstraint{"user_id > 0", "ck_addresses_user"}}});
    md_.table(
        "grants",
        {Column("user_id", Integer{}, {.primary_key = true}),
         Column("role", String{20}, {.primary_key = true}), Column("granted_by", Integer{})},
        {.unique_constraints = {UniqueConstraint{{"role", "granted_by"}, "uq_role_grantor"}},
         .foreign_keys = {ForeignKeyConstraint{
             {"granted_by"}, "users", {"id"}, {.onupdate = "set null", .name = "fk_grantor"}}}});
  }

  std::vector<std::string> ddl(const std::string& dialect, const std::string& table,
                               const std::vector<const ForeignKeyConstraint*>& deferred = {}) {
    return make_dialect(dialect)->create_table_ddl(md_.get_table(table), deferred);
  }

  MetaData md_;
};

TEST_F(DdlTest, SqliteDeclaresTheAutoincrementKeyInlineAndKeepsComments) {
  EXPECT_EQ(
      ddl("sqlite", "users"),
      (std::vector<std::string>{
          "CREATE TABLE users /* comment: \"End-user accounts\" */ (\n"
          "  id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT /* comment: \"Surrogate key\" */,\n"
          "  email VARCHAR(255) NOT NULL,\n"
          "  status VARCHAR(8) DEFAULT 'active' NOT NULL,\n"
          "  \"order\" INTEGER,\n"
          "  CONSTRAINT uq_users_email UNIQUE (email),\n"
          "  CHECK (status IN ('active', 'disabled'))\n"
          ")",
          "CREATE INDEX ix_users_order ON users (\"order\")"}));
  EXPECT_EQ(
      ddl("sqlite", "addresses"),
      (std::vector<std::string>{"CREATE TABLE addresses (\n"
                                "  id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n"
                                "  user_id INTEGER NOT NULL,\n"
                                "  CONSTRAINT ck_addresses_user CHECK (user_id > 0),\n"
                                "  FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE\n"
                                ")"}));
  EXPECT_EQ(ddl("sqlite", "grants"),
            (std::vector<std::string>{
                "CREATE TABLE grants (\n"
                "  user_id INTEGER NOT NULL,\n"
                "  role VARCHAR(20) NOT NULL,\n"
                "  granted_by INTEGER,\n"
                "  PRIMARY KEY (user_id, role),\n"
                "  CONSTRAINT uq_role_grantor UNIQUE (role, granted_by),\n"
                "  CONSTRAINT fk_grantor FOREIGN KEY (granted_by) REFERENCES users (id) ON UPDATE "
                "SET NULL\n"
                ")"}));
}

TEST_F(DdlTest, PostgresqlUsesIdentityColumnsAndCommentStatements) {
  EXPECT_EQ(ddl("postgresql", "users"),
            (std::vector<std::string>{"CREATE TABLE users (\n"
                                      "  id INTEGER GENERATED BY DEFAULT AS IDENTITY NOT NULL,\n"
                                      "  email VARCHAR(255) NOT NULL,\n"
                                      "  status VARCHAR(8) DEFAULT 'active' NOT NULL,\n"
                                      "  \"order\" INTEGER,\n"
                                      "  PRIMARY KEY (id),\n"
                                      "  CONSTRAINT uq_users_email UNIQUE (email),\n"
                                      "  CHECK (status IN ('active', 'disabled'))\n"
                                      ")",
                                      "CREATE INDEX ix_users_order ON users (\"order\")",
                                      "COMMENT ON TABLE users IS 'End-user accounts'",
                                      "COMMENT ON COLUMN users.id IS 'Surrogate key'"}));
  EXPECT_EQ(
      ddl("postgresql", "addresses"),
      (std::vector<std::string>{"CREATE TABLE addresses (\n"
                                "  id INTEGER GENERATED BY DEFAULT AS IDENTITY NOT NULL,\n"
                                "  user_id INTEGER NOT NULL,\n"
                                "  PRIMARY KEY (id),\n"
                                "  CONSTRAINT ck_addresses_user CHECK (user_id > 0),\n"
                                "  FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE\n"
                                ")"}));
}

TEST_F(DdlTest, MysqlUsesNativeEnumsAndInlineComments) {
  EXPECT_EQ(ddl("mysql", "users"),
            (std::vector<std::string>{
                "CREATE TABLE users (\n"
                "  id INTEGER NOT NULL AUTO_INCREMENT COMMENT 'Surrogate key',\n"
                "  email VARCHAR(255) NOT NULL,\n"
                "  status ENUM('active', 'disabled') DEFAULT 'active' NOT NULL,\n"
                "  `order` INTEGER,\n"
                "  PRIMARY KEY (id),\n"
                "  CONSTRAINT uq_users_email UNIQUE (email)\n"
                ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='End-user accounts'",
                "CREATE INDEX ix_users_order ON users (`order`)"}));
  const Table& addresses = md_.get_table("addresses");
  auto mysql = make_dialect("mysql");
  EXPECT_EQ(mysql->add_foreign_key_ddl(addresses, addresses.foreign_keys()[0]),
            "ALTER TABLE addresses ADD CONSTRAINT fk_addresses_user_id_users FOREIGN KEY "
            "(user_id) REFERENCES users (id) ON DELETE CASCADE");
  EXPECT_EQ(mysql->drop_foreign_key_ddl(addresses, addresses.foreign_keys()[0]),
            "ALTER TABLE addresses DROP FOREIGN KEY fk_addresses_user_id_users");
}

TEST_F(DdlTest, LeavesDeferredForeignKeysForAlterTable) {
  const Table& addresses = md_.get_table("addresses");
  const ForeignKeyConstraint* fk = &addresses.foreign_keys()[0];
  EXPECT_EQ(ddl("postgresql", "addresses", {fk}),
            (std::vector<std::string>{"CREATE TABLE addresses (\n"
                                      "  id INTEGER GENERATED BY DEFAULT AS IDENTITY NOT NULL,\n"
                                      "  user_id INTEGER NOT NULL,\n"
                                      "  PRIMARY KEY (id),\n"
                                      "  CONSTRAINT ck_addresses_user CHECK (user_id > 0)\n"
                                      ")"}));
  auto pg = make_dialect("postgresql");
  EXPECT_EQ(pg->foreign_key_name(addresses, *fk), "fk_addresses_user_id_users");
  EXPECT_EQ(pg->add_foreign_key_ddl(addresses, *fk),
            "ALTER TABLE addresses ADD CONSTRAINT fk_addresses_user_id_users FOREIGN KEY "
            "(user_id) REFERENCES users (id) ON DELETE CASCADE");
  EXPECT_EQ(pg->drop_foreign_key_ddl(addresses, *fk),
            "ALTER TABLE addresses DROP CONSTRAINT fk_addresses_user_id_users");
  const Table& grants = md_.get_table("grants");
  EXPECT_EQ(pg->foreign_key_name(grants, grants.foreign_keys()[0]), "fk_grantor");
  EXPECT_EQ(pg->drop_table_ddl(grants), std::vector<std::string>{"DROP TABLE grants"});
}

TEST(DdlNamesTest, LongGeneratedNamesAreCutWithAStableHash) {
  MetaData md;
  const std::string long_table(40, 't');
  const Table& t =
      md.table(long_table, {id_column(), Column("a_rather_long_column_name", Integer{},
                                                ForeignKey("users.id"), {.index = true})});
  auto dialect = make_dialect("postgresql");
  std::string fk_name = dialect->foreign_key_name(t, t.foreign_keys()[0]);
  EXPECT_EQ(fk_name.size(), detail::kMaxGeneratedNameLength);
  EXPECT_EQ(fk_name.substr(0, 46), "fk_" + long_table + "_a_");
  EXPECT_EQ(fk_name, dialect->foreign_key_name(t, t.foreign_keys()[0]));
  EXPECT_EQ(t.indexes()[0].name.size(), detail::kMaxGeneratedNameLength);
  EXPECT_NE(fk_name,
            detail::generated_name("fk", long_table, {"a_rather_long_column_nam"}, "users"));
  EXPECT_EQ(detail::generated_name("ix", "t", {"a", "b"}), "ix_t_a_b");
}

TEST(DdlNamesTest, QuotesNamesThatNeedIt) {
  MetaData md;
  md.table("Order Items",
           {Column("select", Integer{}, {.primary_key = true, .autoincrement = false}),
            Column("Qty", Integer{}, {.server_default = "1"})});
  EXPECT_EQ(make_dialect("postgresql")->create_table_ddl(md.get_table("Order Items"), {}),
            (std::vector<std::string>{"CREATE TABLE \"Order Items\" (\n"
                                      "  \"select\" INTEGER NOT NULL,\n"
                                      "  \"Qty\" INTEGER DEFAULT 1,\n"
                                      "  PRIMARY KEY (\"select\")\n"
                                      ")"}));
}

}  // namespace
}  // namespace athanor
