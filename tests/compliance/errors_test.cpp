// Compliance: database errors are translated into the DBAPIError tree on every backend, keep the
// SQL, parameters and SQLSTATE / native code, and leave the connection usable after a rollback.
#include <string>
#include <vector>

#include "tests/compliance/fixture.hpp"

namespace athanor::testing {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The backend's identification of a constraint violation: SQLSTATE on PostgreSQL, errno on
// MariaDB, extended result code on SQLite.
struct ExpectedCode {
  const char* postgresql_sqlstate;
  int mariadb_errno;
  int sqlite_code;
};

void expect_code(const DBAPIError& e, const ExpectedCode& expected) {
  if (backend() == "postgresql") {
    EXPECT_EQ(e.sqlstate(), expected.postgresql_sqlstate) << e.what();
    EXPECT_EQ(e.native_code(), 0);
  } else if (backend() == "mariadb") {
    EXPECT_EQ(e.native_code(), expected.mariadb_errno) << e.what();
    EXPECT_EQ(e.sqlstate().size(), 5U) << e.what();
  } else {
    EXPECT_EQ(e.native_code(), expected.sqlite_code) << e.what();
  }
}

class ErrorsTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    users_ = &metadata_.table("users",
                              {
                                  Column("id", Integer{}, {.primary_key = true}),
                                  Column("email", String{100}, {.nullable = false, .unique = true}),
                                  Column("age", Integer{}),
                              });
    posts_ = &metadata_.table(
        "posts", {
                     Column("id", Integer{}, {.primary_key = true}),
                     Column("user_id", Integer{}, ForeignKey("users.id"), {.nullable = false}),
                     Column("title", String{100}),
                 });
    metadata_.create_all(engine());
    engine().begin([&](Connection& conn) {
      conn.execute(insert(*users_).values({{"id", 1}, {"email", "jan@example.com"}, {"age", 40}}));
    });
    clear_statements();
  }

  // Counts users on a connection of its own: only committed rows are seen.
  std::int64_t committed_users() {
    auto conn = engine().connect();
    return conn.execute(select(func::count()).select_from(*users_)).scalar<std::int64_t>();
  }

  MetaData metadata_;
  Table* users_ = nullptr;
  Table* posts_ = nullptr;
};

TEST_F(ErrorsTest, UniqueViolationIsIntegrityErrorWithSqlAndParameters) {
  auto conn = engine().connect();
  try {
    conn.execute(insert(*users_).values({{"id", 2}, {"email", "jan@example.com"}}));
    FAIL() << "a duplicate email was accepted";
  } catch (const IntegrityError& e) {
    expect_code(e, {"23505", 1062, 2067});  // 2067: SQLITE_CONSTRAINT_UNIQUE
    EXPECT_TRUE(contains(e.sql(), "INSERT INTO users")) << e.sql();
    EXPECT_TRUE(contains(e.parameters(), "jan@example.com")) << e.parameters();
    EXPECT_FALSE(e.message().empty());
    EXPECT_TRUE(contains(e.what(), e.message())) << e.what();
    EXPECT_FALSE(e.connection_invalidated());
  }
  conn.rollback();
  conn.execute(insert(*users_).values({{"id", 2}, {"email", "eva@example.com"}}));
  conn.commit();
  EXPECT_EQ(committed_users(), 2);
}

TEST_F(ErrorsTest, ForeignKeyViolationIsIntegrityError) {
  auto conn = engine().connect();
  try {
    conn.execute(insert(*posts_).values({{"id", 1}, {"user_id", 999}, {"title", "orphan"}}));
    FAIL() << "a post referring to a missing user was accepted";
  } catch (const IntegrityError& e) {
    expect_code(e, {"23503", 1452, 787});  // 787: SQLITE_CONSTRAINT_FOREIGNKEY
    EXPECT_TRUE(contains(e.sql(), "INSERT INTO posts")) << e.sql();
    EXPECT_TRUE(contains(e.parameters(), "999")) << e.parameters();
  }
  conn.rollback();
  conn.execute(insert(*posts_).values({{"id", 1}, {"user_id", 1}, {"title", "kept"}}));
  conn.commit();
}

TEST_F(ErrorsTest, DeletingAReferencedRowIsIntegrityError) {
  engine().begin([&](Connection& conn) {
    conn.execute(insert(*posts_).values({{"id", 1}, {"user_id", 1}, {"title", "child"}}));
  });
  auto conn = engine().connect();
  try {
    conn.execute(delete_(*users_).where(users_->c("id") == 1));
    FAIL() << "a referenced user was deleted";
  } catch (const IntegrityError& e) {
    expect_code(e, {"23503", 1451, 787});
  }
  conn.rollback();
  EXPECT_EQ(committed_users(), 1);
}

TEST_F(ErrorsTest, NotNullViolationIsIntegrityError) {
  auto conn = engine().connect();
  try {
    conn.execute(insert(*users_).values({{"id", 2}, {"email", nullptr}}));
    FAIL() << "a null email was accepted";
  } catch (const IntegrityError& e) {
    expect_code(e, {"23502", 1048, 1299});  // 1299: SQLITE_CONSTRAINT_NOTNULL
  }
  conn.rollback();
}

TEST_F(ErrorsTest, SyntaxErrorIsProgrammingError) {
  auto conn = engine().connect();
  try {
    conn.exec_driver_sql("SELEC 1");
    FAIL() << "a syntax error was accepted";
  } catch (const ProgrammingError& e) {
    EXPECT_EQ(e.sql(), "SELEC 1");
    if (backend() == "postgresql") {
      EXPECT_EQ(e.sqlstate(), "42601");
    }
    if (backend() == "mariadb") {
      EXPECT_EQ(e.native_code(), 1064);
    }
  }
  conn.rollback();
  EXPECT_EQ(conn.exec_driver_sql("SELECT 1").scalar<int>(), 1);
}

TEST_F(ErrorsTest, UnknownTableIsProgrammingError) {
  auto conn = engine().connect();
  try {
    conn.exec_driver_sql("SELECT * FROM no_such_table");
    FAIL() << "an unknown table was accepted";
  } catch (const ProgrammingError& e) {
    EXPECT_TRUE(contains(e.message(), "no_such_table")) << e.message();
    if (backend() == "postgresql") {
      EXPECT_EQ(e.sqlstate(), "42P01");
    }
    if (backend() == "mariadb") {
      EXPECT_EQ(e.native_code(), 1146);
    }
  }
  conn.rollback();
}

TEST_F(ErrorsTest, UnknownColumnIsProgrammingError) {
  auto conn = engine().connect();
  EXPECT_THROW(conn.exec_driver_sql("SELECT no_such_column FROM users"), ProgrammingError);
  conn.rollback();
}

TEST_F(ErrorsTest, TextIntoIntegerColumnIsRejectedOrKeptAsText) {
  auto conn = engine().connect();
  if (backend() == "sqlite") {
    // SQLite's type affinity stores text that does not look like a number as text.
    conn.execute(insert(*users_).values({{"id", 2}, {"email", "x@example.com"}, {"age", "old"}}));
    EXPECT_EQ(
        conn.execute(select(users_->c("age")).where(users_->c("id") == 2)).scalar<std::string>(),
        "old");
    conn.rollback();
    return;
  }
  try {
    conn.execute(insert(*users_).values({{"id", 2}, {"email", "x@example.com"}, {"age", "old"}}));
    FAIL() << "text was stored in an integer column";
  } catch (const DBAPIError& e) {
    EXPECT_TRUE(dynamic_cast<const DataError*>(&e) != nullptr ||
                dynamic_cast<const IntegrityError*>(&e) != nullptr)
        << "unexpected error class for: " << e.what();
    if (backend() == "postgresql") {
      EXPECT_EQ(e.sqlstate(), "22P02");
    }
    if (backend() == "mariadb") {
      EXPECT_EQ(e.native_code(), 1366);
    }
  }
  conn.rollback();
  EXPECT_EQ(committed_users(), 1);
}

TEST_F(ErrorsTest, OutOfRangeIntegerIsDataError) {
  if (backend() == "sqlite")
    GTEST_SKIP() << "SQLite integers are 64-bit whatever the declared type";
  auto conn = engine().connect();
  try {
    conn.execute(insert(*users_).values(
        {{"id", 2}, {"email", "x@example.com"}, {"age", std::int64_t{1} << 40}}));
    FAIL() << "2^40 was stored in a 32-bit column";
  } catch (const DataError& e) {
    if (backend() == "postgresql") {
      EXPECT_EQ(e.sqlstate(), "22003");
    }
    if (backend() == "mariadb") {
      EXPECT_EQ(e.native_code(), 1264);
    }
  }
  conn.rollback();
}

TEST_F(ErrorsTest, ErrorInsideEngineBeginRollsBackTheWholeTransaction) {
  EXPECT_THROW(engine().begin([&](Connection& conn) {
    conn.execute(insert(*users_).values({{"id", 2}, {"email", "eva@example.com"}}));
    conn.execute(insert(*users_).values({{"id", 3}, {"email", "eva@example.com"}}));
  }),
               IntegrityError);
  EXPECT_EQ(committed_users(), 1);
  // The pooled connection that saw the error works for the next checkout.
  engine().begin([&](Connection& conn) {
    conn.execute(insert(*users_).values({{"id", 2}, {"email", "eva@example.com"}}));
  });
  EXPECT_EQ(committed_users(), 2);
}

TEST_F(ErrorsTest, SavepointRollbackRecoversFromAnError) {
  auto conn = engine().connect();
  auto tx = conn.begin();
  conn.execute(insert(*users_).values({{"id", 2}, {"email", "eva@example.com"}}));
  {
    auto sp = conn.begin_nested();
    EXPECT_THROW(conn.execute(insert(*users_).values({{"id", 3}, {"email", "eva@example.com"}})),
                 IntegrityError);
    sp.rollback();
  }
  conn.execute(insert(*users_).values({{"id", 3}, {"email", "ola@example.com"}}));
  tx.commit();
  EXPECT_EQ(committed_users(), 3);
}

TEST_F(ErrorsTest, ExecuteManyReportsTheFailingRow) {
  auto conn = engine().connect();
  std::vector<Params> rows;
  for (int i = 2; i < 50; ++i) {
    rows.push_back({{"id", i},
                    {"email", i == 30 ? std::string("jan@example.com")
                                      : "user" + std::to_string(i) + "@example.com"}});
  }
  try {
    conn.execute(insert(*users_), rows);
    FAIL() << "a duplicate email in a batch was accepted";
  } catch (const IntegrityError& e) {
    EXPECT_TRUE(contains(e.sql(), "INSERT INTO users")) << e.sql();
    EXPECT_TRUE(contains(e.parameters(), "jan@example.com") || !e.parameters().empty())
        << e.parameters();
  }
  conn.rollback();
  EXPECT_EQ(committed_users(), 1);
  conn.execute(insert(*users_), std::vector<Params>{{{"id", 2}, {"email", "a@example.com"}},
                                                    {{"id", 3}, {"email", "b@example.com"}}});
  conn.commit();
  EXPECT_EQ(committed_users(), 3);
}

}  // namespace
}  // namespace athanor::testing
