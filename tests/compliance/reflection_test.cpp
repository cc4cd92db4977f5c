// Compliance: reflection on every backend. A schema created with create_all is read back through
// the Inspector (columns, types, nullability, defaults, autoincrement, keys, indexes, unique
// constraints, comments), into a MetaData with reflect(), and one table with Table::autoload().
#include <algorithm>
#include <string>
#include <vector>

#include "tests/compliance/fixture.hpp"

namespace athanor::testing {
namespace {

std::vector<std::string> names_in_order(const std::vector<const Table*>& tables) {
  std::vector<std::string> out;
  for (const Table* t : tables) out.push_back(t->name());
  return out;
}

class ReflectionTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    metadata_.table(
        "users",
        {Column("id", Integer{}, {.primary_key = true, .comment = "Surrogate key"}),
         Column("email", String{255}, {.nullable = false, .unique = true}),
         Column("name", String{100}),
         Column("status", String{20}, {.nullable = false, .server_default = "'active'"}),
         Column("karma", Integer{}, {.nullable = false, .server_default = "0"}),
         Column("code", String{12}, {.unique = true, .index = true})},
        {.comment = "End-user accounts table"});
    metadata_.table(
        "addresses",
        {Column("id", BigInteger{}, {.primary_key = true}),
         Column("user_id", Integer{}, ForeignKey("users.id", {.ondelete = "CASCADE"}),
                {.nullable = false, .index = true}),
         Column("city", String{50}), Column("zip", String{10})},
        {.unique_constraints = {UniqueConstraint{{"city", "zip"}, "uq_addresses_place"}},
         .indexes = {Index{"ix_addresses_zip_city", {"zip", "city"}, false}}});
    metadata_.table(
        "grants",
        {Column("user_id", Integer{}, {.primary_key = true}),
         Column("role", String{20}, {.primary_key = true}), Column("granted_by", Integer{})},
        {.foreign_keys = {ForeignKeyConstraint{
             {"granted_by"}, "users", {"id"}, {.name = "fk_grants_grantor"}}}});
    metadata_.create_all(engine());
    clear_statements();
  }

  static const ReflectedColumn& find(const std::vector<ReflectedColumn>& columns,
                                     const std::string& name) {
    auto it = std::find_if(columns.begin(), columns.end(),
                           [&](const ReflectedColumn& c) { return c.name == name; });
    if (it == columns.end()) throw std::runtime_error("no reflected column " + name);
    return *it;
  }

  MetaData metadata_;
};

TEST_F(ReflectionTest, ListsTables) {
  Inspector inspector = inspect(engine());
  EXPECT_EQ(inspector.get_table_names(),
            (std::vector<std::string>{"addresses", "grants", "users"}));
  EXPECT_TRUE(inspector.has_table("users"));
  EXPECT_FALSE(inspector.has_table("nope"));
}

TEST_F(ReflectionTest, ReflectsColumnsInOrderWithNullabilityAndDefaults) {
  std::vector<ReflectedColumn> columns = inspect(engine()).get_columns("users");
  std::vector<std::string> names;
  for (const ReflectedColumn& c : columns) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"id", "email", "name", "status", "karma", "code"}));

  EXPECT_FALSE(find(columns, "id").nullable);
  EXPECT_FALSE(find(columns, "email").nullable);
  EXPECT_TRUE(find(columns, "name").nullable);

  // Defaults come back as the database spells them ('active'::character varying on PostgreSQL).
  ASSERT_TRUE(find(columns, "status").server_default.has_value());
  EXPECT_NE(find(columns, "status").server_default->find("'active'"), std::string::npos);
  ASSERT_TRUE(find(columns, "karma").server_default.has_value());
  EXPECT_NE(find(columns, "karma").server_default->find('0'), std::string::npos);
  EXPECT_FALSE(find(columns, "name").server_default.has_value());

  EXPECT_TRUE(find(columns, "id").autoincrement);
  EXPECT_FALSE(find(columns, "karma").autoincrement);
  EXPECT_FALSE(inspect(engine()).get_columns("grants")[0].autoincrement);

  EXPECT_EQ(find(columns, "id").comment, "Surrogate key");
  EXPECT_EQ(inspect(engine()).get_table_comment("users"), "End-user accounts table");
  EXPECT_EQ(inspect(engine()).get_table_comment("addresses"), "");
}

TEST_F(ReflectionTest, ReflectsPortableTypes) {
  MetaData md;
  md.table("typed", {Column("id", Integer{}, {.primary_key = true}), Column("big", BigInteger{}),
                     Column("small", SmallInteger{}), Column("price", Numeric{10, 2}),
                     Column("title", String{80}), Column("body", Text{}), Column("born", Date{})});
  md.create_all(engine());
  std::vector<std::string> types;
  for (const ReflectedColumn& c : inspect(engine()).get_columns("typed")) {
    types.push_back(type_name(c.type));
  }
  EXPECT_EQ(types, (std::vector<std::string>{"INTEGER", "BIGINT", "SMALLINT", "NUMERIC(10, 2)",
                                             "VARCHAR(80)", "TEXT", "DATE"}));
}

TEST_F(ReflectionTest, ReflectsEveryGenericTypeToAnEquivalentOne) {
  MetaData md;
  md.table("typed", {Column("id", Integer{}, {.primary_key = true}), Column("flag", Boolean{}),
                     Column("ratio", Double{}), Column("stamp", DateTime{}), Column("at", Time{}),
                     Column("blob", LargeBinary{}), Column("doc", JSON{}), Column("uid", Uuid{})});
  md.create_all(engine());
  // Re-creating the reflected table must give the same reflected types: reflection never yields
  // a type that the backend would then store differently.
  MetaData reflected;
  reflected.reflect(engine());
  std::vector<std::string> before;
  for (const ReflectedColumn& c : inspect(engine()).get_columns("typed")) {
    before.push_back(type_name(c.type));
  }
  md.drop_all(engine());
  reflected.create_all(engine());
  std::vector<std::string> after;
  for (const ReflectedColumn& c : inspect(engine()).get_columns("typed")) {
    after.push_back(type_name(c.type));
  }
  EXPECT_EQ(before, after);
  EXPECT_EQ(before.at(0), "INTEGER");
  EXPECT_EQ(before.at(1), "BOOLEAN");
  EXPECT_EQ(before.at(3).substr(0, 8), "DATETIME");
  EXPECT_EQ(before.at(4), "TIME");
}

TEST_F(ReflectionTest, ReflectsPrimaryKeys) {
  Inspector inspector = inspect(engine());
  EXPECT_EQ(inspector.get_pk_constraint("users").columns, std::vector<std::string>{"id"});
  EXPECT_EQ(inspector.get_pk_constraint("grants").columns,
            (std::vector<std::string>{"user_id", "role"}));
}

TEST_F(ReflectionTest, ReflectsForeignKeysWithTheirActions) {
  Inspector inspector = inspect(engine());
  std::vector<ReflectedForeignKey> keys = inspector.get_foreign_keys("addresses");
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].columns, std::vector<std::string>{"user_id"});
  EXPECT_EQ(keys[0].referred_table, "users");
  EXPECT_EQ(keys[0].referred_columns, std::vector<std::string>{"id"});
  EXPECT_EQ(keys[0].ondelete, "CASCADE");
  EXPECT_EQ(keys[0].onupdate, "");

  keys = inspector.get_foreign_keys("grants");
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].name, "fk_grants_grantor");
  EXPECT_EQ(keys[0].columns, std::vector<std::string>{"granted_by"});
  EXPECT_EQ(keys[0].ondelete, "");
  EXPECT_TRUE(inspector.get_foreign_keys("users").empty());
}

TEST_F(ReflectionTest, ReflectsIndexesAndUniqueConstraints) {
  Inspector inspector = inspect(engine());
  auto by_name = [](auto items) {
    std::sort(items.begin(), items.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    return items;
  };
  std::vector<ReflectedIndex> indexes = by_name(inspector.get_indexes("addresses"));
  ASSERT_EQ(indexes.size(), 2u);
  EXPECT_EQ(indexes[0].name, "ix_addresses_user_id");
  EXPECT_EQ(indexes[0].columns, std::vector<std::string>{"user_id"});
  EXPECT_FALSE(indexes[0].unique);
  EXPECT_EQ(indexes[1].name, "ix_addresses_zip_city");
  EXPECT_EQ(indexes[1].columns, (std::vector<std::string>{"zip", "city"}));

  std::vector<ReflectedUniqueConstraint> uniques =
      by_name(inspector.get_unique_constraints("addresses"));
  ASSERT_EQ(uniques.size(), 1u);
  EXPECT_EQ(uniques[0].name, "uq_addresses_place");
  EXPECT_EQ(uniques[0].columns, (std::vector<std::string>{"city", "zip"}));

  // users: unique=true is a constraint; unique=true with index=true a unique index, which
  // backends that do not tell the two apart (MySQL) report as a unique constraint.
  uniques = by_name(inspector.get_unique_constraints("users"));
  indexes = inspector.get_indexes("users");
  ASSERT_EQ(uniques.size() + indexes.size(), 2u);
  EXPECT_EQ(uniques.back().name, "uq_users_email");
  EXPECT_EQ(uniques.back().columns, std::vector<std::string>{"email"});
  if (indexes.empty()) {
    EXPECT_EQ(uniques.front().name, "ix_users_code");
    EXPECT_EQ(uniques.front().columns, std::vector<std::string>{"code"});
  } else {
    EXPECT_EQ(indexes[0].name, "ix_users_code");
    EXPECT_EQ(indexes[0].columns, std::vector<std::string>{"code"});
    EXPECT_TRUE(indexes[0].unique);
  }
}

TEST_F(ReflectionTest, MissingTablesRaiseNoSuchTableError) {
  Inspector inspector = inspect(engine());
  EXPECT_THROW(inspector.get_columns("nope"), NoSuchTableError);
  EXPECT_THROW(inspector.get_pk_constraint("nope"), NoSuchTableError);
  EXPECT_THROW(inspector.get_foreign_keys("nope"), NoSuchTableError);
  EXPECT_THROW(inspector.get_indexes("nope"), NoSuchTableError);
  EXPECT_THROW(inspector.get_unique_constraints("nope"), NoSuchTableError);
  EXPECT_THROW(inspector.get_table_comment("nope"), NoSuchTableError);
  MetaData md;
  EXPECT_THROW(Table::autoload("nope", md, engine()), NoSuchTableError);
  EXPECT_THROW(md.reflect(engine(), {.only = {"users", "nope"}}), NoSuchTableError);
  EXPECT_TRUE(md.tables().empty());
}

TEST_F(ReflectionTest, MetaDataReflectBuildsUsableTables) {
  MetaData md;
  md.reflect(engine());
  ASSERT_EQ(md.tables().size(), 3u);
  const Table& users = md.get_table("users");
  EXPECT_EQ(users.comment(), "End-user accounts table");
  EXPECT_EQ(users.column("id").comment(), "Surrogate key");
  EXPECT_TRUE(users.column("id").primary_key());
  EXPECT_TRUE(users.column("id").autoincrement());
  EXPECT_FALSE(users.column("email").nullable());
  EXPECT_EQ(type_name(users.column("email").type()), "VARCHAR(255)");
  ASSERT_FALSE(users.unique_constraints().empty());
  EXPECT_EQ(users.unique_constraints().back().name, "uq_users_email");
  // The unique index, as an index or (MySQL) as a unique constraint.
  EXPECT_EQ(users.indexes().size() + users.unique_constraints().size(), 2u);

  const Table& addresses = md.get_table("addresses");
  ASSERT_EQ(addresses.foreign_keys().size(), 1u);
  EXPECT_EQ(addresses.foreign_keys()[0].referred_table, "users");
  EXPECT_EQ(addresses.foreign_keys()[0].options.ondelete, "CASCADE");
  EXPECT_EQ(addresses.column("user_id").foreign_keys().at(0).target(), "users.id");
  EXPECT_EQ(names_in_order(md.sorted_tables()),
            (std::vector<std::string>{"users", "addresses", "grants"}));

  // The reflected tables work in statements.
  auto conn = engine().connect();
  conn.execute(insert(users).values({{"email", "r@example.com"}}));
  conn.execute(insert(addresses).values({{"user_id", 1}, {"city", "Gent"}}));
  conn.commit();
  auto row = conn.execute(select(users.c("email"), users.c("status"), addresses.c("city"))
                              .select_from(users.join(addresses)))
                 .one();
  EXPECT_EQ(row.get<std::string>("email"), "r@example.com");
  EXPECT_EQ(row.get<std::string>("status"), "active");
  EXPECT_EQ(row.get<std::string>("city"), "Gent");

  // The reflected schema as JSON: table names at the top level, with what the database reports
  // of defaults, constraints and ON DELETE.
  nlohmann::json json = to_json(md);
  EXPECT_FALSE(json.contains("tables"));
  const nlohmann::json& fks = json["addresses"]["foreign_keys"];
  ASSERT_EQ(fks.size(), 1u) << fks;
  EXPECT_EQ(fks[0]["column"], "user_id");
  EXPECT_EQ(fks[0]["references"], "users.id");
  EXPECT_EQ(fks[0]["ondelete"], "CASCADE");
  EXPECT_EQ(json["users"]["comment"], "End-user accounts table");
  const nlohmann::json& status = json["users"]["columns"][3];
  EXPECT_EQ(status["name"], "status");
  ASSERT_TRUE(status["server_default"].is_string()) << status;
  EXPECT_NE(status["server_default"].get<std::string>().find("active"), std::string::npos);
  EXPECT_TRUE(json["users"]["columns"][2]["server_default"].is_null());
  auto has_constraint = [&](const char* table, const nlohmann::json& expected) {
    for (const nlohmann::json& c : json[table]["constraints"]) {
      if (std::all_of(expected.items().begin(), expected.items().end(), [&](const auto& item) {
            return c.value(item.key(), nlohmann::json()) == item.value();
          })) {
        return true;
      }
    }
    return false;
  };
  EXPECT_TRUE(has_constraint("users",
                             {{"type", "primary_key"}, {"columns", nlohmann::json::array({"id"})}}))
      << json["users"]["constraints"];
  EXPECT_TRUE(has_constraint("users", {{"type", "unique"},
                                       {"name", "uq_users_email"},
                                       {"columns", nlohmann::json::array({"email"})}}))
      << json["users"]["constraints"];
  EXPECT_TRUE(has_constraint("addresses", {{"type", "foreign_key"},
                                           {"columns", nlohmann::json::array({"user_id"})},
                                           {"referred_table", "users"},
                                           {"referred_columns", nlohmann::json::array({"id"})},
                                           {"ondelete", "CASCADE"}}))
      << json["addresses"]["constraints"];
  EXPECT_TRUE(has_constraint(
      "grants", {{"type", "primary_key"}, {"columns", nlohmann::json::array({"user_id", "role"})}}))
      << json["grants"]["constraints"];
}

TEST_F(ReflectionTest, ReflectLeavesExistingTablesAlone) {
  MetaData md;
  const Table& mine = md.table("users", {Column("id", Integer{}, {.primary_key = true})});
  md.reflect(engine());
  EXPECT_EQ(&md.get_table("users"), &mine);
  EXPECT_EQ(mine.columns().size(), 1u);
  EXPECT_EQ(md.tables().size(), 3u);
  md.reflect(engine());  // again: nothing new
  EXPECT_EQ(md.tables().size(), 3u);
}

TEST_F(ReflectionTest, ReflectOnlyRecordsForeignKeysToTablesNotReflected) {
  MetaData md;
  md.reflect(engine(), {.only = {"addresses"}});
  ASSERT_EQ(md.tables().size(), 1u);
  const Table& addresses = md.get_table("addresses");
  ASSERT_EQ(addresses.foreign_keys().size(), 1u);
  EXPECT_EQ(addresses.foreign_keys()[0].referred_table, "users");
  EXPECT_EQ(md.find_table("users"), nullptr);
}

TEST_F(ReflectionTest, AutoloadReflectsOneTable) {
  MetaData md;
  Table& grants = Table::autoload("grants", md, engine());
  EXPECT_EQ(md.tables().size(), 1u);
  EXPECT_EQ(grants.primary_key().size(), 2u);
  EXPECT_EQ(grants.autoincrement_column(), nullptr);
  EXPECT_EQ(grants.foreign_keys().at(0).options.name, "fk_grants_grantor");
  EXPECT_EQ(&Table::autoload("grants", md, engine()), &grants);

  auto conn = engine().connect();
  conn.execute(insert(grants).values({{"user_id", 1}, {"role", "admin"}}));
  conn.commit();
  EXPECT_EQ(conn.execute(select(grants.c("role"))).scalar<std::string>(), "admin");
}

TEST_F(ReflectionTest, ReflectedSchemaRecreatesTheSameSchema) {
  MetaData reflected;
  reflected.reflect(engine());
  auto describe = [&] {
    Inspector inspector = inspect(engine());
    nlohmann::json out;
    for (const std::string& table : inspector.get_table_names()) {
      nlohmann::json t;
      for (const ReflectedColumn& c : inspector.get_columns(table)) {
        t["columns"].push_back({c.name, type_name(c.type), c.nullable, c.autoincrement, c.comment,
                                c.server_default.value_or("")});
      }
      t["pk"] = inspector.get_pk_constraint(table).columns;
      for (const ReflectedForeignKey& fk : inspector.get_foreign_keys(table)) {
        t["fks"].push_back({fk.columns, fk.referred_table, fk.referred_columns, fk.ondelete});
      }
      for (const ReflectedIndex& ix : inspector.get_indexes(table)) {
        t["indexes"].push_back({ix.name, ix.columns, ix.unique});
      }
      for (const ReflectedUniqueConstraint& uq : inspector.get_unique_constraints(table)) {
        t["uniques"].push_back({uq.name, uq.columns});
      }
      t["comment"] = inspector.get_table_comment(table);
      out[table] = t;
    }
    return out;
  };
  const nlohmann::json original = describe();
  metadata_.drop_all(engine());
  EXPECT_TRUE(inspect(engine()).get_table_names().empty());
  reflected.create_all(engine());
  EXPECT_EQ(describe(), original);
}

}  // namespace
}  // namespace athanor::testing
