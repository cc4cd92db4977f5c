// Compliance: connections, transactions, the pool, echo and results, on every backend.
#include <boost/pfr.hpp>

#include <atomic>
#include <thread>

#include "athanor/core/detail/sql_ast.hpp"
#include "tests/compliance/fixture.hpp"

namespace athanor::testing {
namespace {

class EngineTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    notes_ = &metadata_.table("notes", {
                                           Column("id", Integer{}, {.primary_key = true}),
                                           Column("body", String{200}, {.nullable = false}),
                                           Column("score", Integer{}),
                                       });
    metadata_.create_all(engine());
    clear_statements();
  }

  // Counts rows with a connection of its own, so uncommitted work elsewhere is not seen.
  std::int64_t count_rows() {
    auto conn = engine().connect();
    return conn.execute(select(func::count()).select_from(*notes_)).scalar<std::int64_t>();
  }

  MetaData metadata_;
  Table* notes_ = nullptr;
};

TEST_F(EngineTest, CommitAsYouGo) {
  auto conn = engine().connect();
  conn.execute(insert(*notes_).values({{"body", "first"}}));
  EXPECT_TRUE(conn.in_transaction());
  conn.commit();
  EXPECT_FALSE(conn.in_transaction());
  conn.execute(insert(*notes_).values({{"body", "second"}}));
  conn.rollback();
  EXPECT_EQ(count_rows(), 1);
  auto log = statements();
  EXPECT_NE(std::find(log.begin(), log.end(), "BEGIN (implicit)"), log.end());
  EXPECT_NE(std::find(log.begin(), log.end(), "COMMIT"), log.end());
  EXPECT_NE(std::find(log.begin(), log.end(), "ROLLBACK"), log.end());
}

// One INSERT object executed with changing key sets, and statements alternating on one
// connection: each execution runs the statement's form for its own keys (the connection keeps
// the last compiled form, which must not leak into the next execution).
TEST_F(EngineTest, ReusedStatementsFollowTheirParameterKeys) {
  auto conn = engine().connect();
  const Insert add = insert(*notes_);
  const Select by_body = select(notes_->c("score")).where(notes_->c("body") == bindparam("b"));
  conn.execute(add, {{"body", "plain"}});
  conn.execute(add, {{"body", "scored"}, {"score", 5}});
  EXPECT_EQ(conn.execute(by_body, {{"b", "scored"}}).scalar<std::optional<int>>(), 5);
  conn.execute(add, {{"id", 40}, {"body", "keyed"}, {"score", 7}});
  EXPECT_EQ(conn.execute(by_body, {{"b", "plain"}}).scalar<std::optional<int>>(), std::nullopt);
  Result last = conn.execute(add, {{"score", 9}, {"body", "reordered"}});
  ASSERT_TRUE(last.inserted_primary_key().has_value());
  EXPECT_EQ(last.inserted_primary_key()->get<std::int64_t>(0),
            conn.execute(select(notes_->c("id")).where(notes_->c("body") == "reordered"))
                .scalar<std::int64_t>());
  EXPECT_EQ(conn.execute(by_body, {{"b", "keyed"}}).scalar<std::optional<int>>(), 7);
  EXPECT_EQ(conn.execute(by_body, {{"b", "reordered"}}).scalar<std::optional<int>>(), 9);
  conn.commit();
  EXPECT_EQ(count_rows(), 4);
}

TEST_F(EngineTest, EngineBeginCommitsOnReturnAndRollsBackOnException) {
  engine().begin([&](Connection& conn) {
    conn.execute(insert(*notes_).values({{"body", "kept"}}));
  });
  EXPECT_THROW(engine().begin([&](Connection& conn) {
    conn.execute(insert(*notes_).values({{"body", "lost"}}));
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  auto conn = engine().connect();
  auto bodies =
      conn.execute(select(notes_->c("body")).order_by(notes_->c("id"))).scalars<std::string>();
  EXPECT_EQ(bodies, std::vector<std::string>{"kept"});
}

TEST_F(EngineTest, EngineBeginReturnsTheFunctionsValue) {
  auto n = engine().begin([&](Connection& conn) {
    conn.execute(insert(*notes_), std::vector<Params>{{{"body", "a"}}, {{"body", "b"}}});
    return conn.execute(select(func::count()).select_from(*notes_)).scalar<int>();
  });
  EXPECT_EQ(n, 2);
}

TEST_F(EngineTest, DroppedTransactionAndConnectionRollBack) {
  {
    auto conn = engine().connect();
    auto tx = conn.begin();
    conn.execute(insert(*notes_).values({{"body", "never"}}));
  }  // tx destroyed while active, then the connection
  {
    auto conn = engine().connect();
    conn.execute(insert(*notes_).values({{"body", "never either"}}));
  }  // returned to the pool with an open transaction
  EXPECT_EQ(count_rows(), 0);
}

TEST_F(EngineTest, NestedTransactionRollsBackToSavepoint) {
  auto conn = engine().connect();
  auto tx = conn.begin();
  conn.execute(insert(*notes_).values({{"body", "outer"}}));
  {
    auto sp = conn.begin_nested();
    EXPECT_TRUE(conn.in_nested_transaction());
    conn.execute(insert(*notes_).values({{"body", "inner"}}));
    sp.rollback();
  }
  {
    auto sp = conn.begin_nested();
    conn.execute(insert(*notes_).values({{"body", "inner kept"}}));
    sp.commit();
  }
  tx.commit();
  auto bodies =
      conn.execute(select(notes_->c("body")).order_by(notes_->c("id"))).scalars<std::string>();
  EXPECT_EQ(bodies, (std::vector<std::string>{"outer", "inner kept"}));
  auto log = statements();
  EXPECT_TRUE(std::any_of(log.begin(), log.end(), [](const std::string& s) {
    return s.rfind("ROLLBACK TO SAVEPOINT", 0) == 0;
  }));
}

// The isolation level the server reports for the session, in the backend's spelling.
std::string server_isolation(Connection& conn) {
  if (backend() == "postgresql") {
    return conn.exec_driver_sql("SHOW transaction_isolation").scalar<std::string>();
  }
  if (backend() == "sqlite") {
    return conn.exec_driver_sql("PRAGMA read_uncommitted").scalar<std::int64_t>() == 1
               ? "read uncommitted"
               : "serializable";
  }
  return conn.exec_driver_sql("SELECT @@tx_isolation").scalar<std::string>();
}

TEST_F(EngineTest, AutocommitCommitsEachStatementAndSendsNoTransactionControl) {
  std::vector<std::string> log;
  Engine engine =
      make_engine({.echo = true,
                   .echo_callback = [&](std::string_view line) { log.emplace_back(line); },
                   .pool_size = 1,
                   .isolation_level = "autocommit"});
  {
    auto conn = engine.connect();
    EXPECT_EQ(conn.isolation_level(), "AUTOCOMMIT");
    conn.execute(insert(*notes_).values({{"body", "kept without commit"}}));
    EXPECT_EQ(count_rows(), 1);  // seen from another connection at once
    conn.rollback();             // nothing to roll back
    EXPECT_EQ(count_rows(), 1);
    EXPECT_THROW(conn.begin_nested(), InvalidRequestError);
    {
      auto tx = conn.begin();  // allowed, but the database commits each statement anyway
      conn.execute(insert(*notes_).values({{"body", "kept too"}}));
    }
    EXPECT_EQ(count_rows(), 2);
    conn.commit();
  }
  EXPECT_NE(std::find(log.begin(), log.end(), "BEGIN (implicit; AUTOCOMMIT, nothing sent)"),
            log.end());
  EXPECT_EQ(std::find(log.begin(), log.end(), "BEGIN (implicit)"), log.end());
  EXPECT_EQ(std::find(log.begin(), log.end(), "ROLLBACK"), log.end());
}

TEST_F(EngineTest, ConnectionIsolationLevelIsSetAndResetOnReturnToThePool) {
  Engine engine = make_engine({.pool_size = 1});
  const std::string level = backend() == "sqlite" ? "READ UNCOMMITTED" : "SERIALIZABLE";
  std::string default_level;
  {
    auto conn = engine.connect();
    EXPECT_EQ(conn.isolation_level(), "");
    default_level = server_isolation(conn);
    conn.rollback();
    conn.set_execution_options({.isolation_level = level});
    EXPECT_EQ(conn.isolation_level(), level);
    std::string reported = server_isolation(conn);
    std::transform(reported.begin(), reported.end(), reported.begin(),
                   [](char c) { return c == '-' ? ' ' : static_cast<char>(std::toupper(c)); });
    EXPECT_EQ(reported, level);
    // Not inside a transaction: the one in progress keeps its level.
    EXPECT_THROW(conn.set_execution_options({.isolation_level = "AUTOCOMMIT"}),
                 InvalidRequestError);
    EXPECT_TRUE(conn.in_transaction());
    conn.commit();
    conn.set_execution_options({.isolation_level = "AUTOCOMMIT"});
    conn.execute(insert(*notes_).values({{"body", "autocommitted"}}));
    conn.commit();
  }
  {
    // The same pooled connection, back at the engine's level: transactional again.
    auto conn = engine.connect();
    EXPECT_EQ(conn.isolation_level(), "");
    EXPECT_EQ(server_isolation(conn), default_level);
    conn.execute(insert(*notes_).values({{"body", "rolled back"}}));
    conn.rollback();
    EXPECT_EQ(count_rows(), 1);
  }
}

TEST_F(EngineTest, UnknownIsolationLevelIsAnArgumentErrorListingTheLevels) {
  try {
    make_engine({.isolation_level = "SNAPSHOT"});
    FAIL() << "SNAPSHOT was accepted";
  } catch (const ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("isolation_level 'SNAPSHOT' is not supported by"),
              std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("AUTOCOMMIT"), std::string::npos) << e.what();
  }
  auto conn = engine().connect();
  if (backend() == "sqlite") {
    EXPECT_THROW(conn.set_execution_options({.isolation_level = "READ COMMITTED"}), ArgumentError);
  }
  EXPECT_THROW(conn.set_execution_options({.isolation_level = "dirty"}), ArgumentError);
  EXPECT_EQ(conn.isolation_level(), "");
}

TEST_F(EngineTest, BeginTwiceIsAnError) {
  auto conn = engine().connect();
  auto tx = conn.begin();
  EXPECT_THROW(conn.begin(), InvalidRequestError);
  tx.rollback();
  EXPECT_FALSE(tx.is_active());
  EXPECT_THROW(tx.commit(), InvalidRequestError);
}

TEST_F(EngineTest, ClosedConnectionRefusesWork) {
  auto conn = engine().connect();
  conn.close();
  EXPECT_TRUE(conn.closed());
  EXPECT_THROW(conn.execute(select(notes_->c("id"))), InvalidRequestError);
}

TEST_F(EngineTest, PoolReusesConnectionsAndReportsStatus) {
  engine().dispose();
  {
    auto a = engine().connect();
    auto b = engine().connect();
    PoolStatus s = engine().pool_status();
    EXPECT_EQ(s.checked_out, 2);
  }
  PoolStatus s = engine().pool_status();
  EXPECT_EQ(s.checked_out, 0);
  EXPECT_EQ(s.idle, 2);
  { auto c = engine().connect(); }
  EXPECT_EQ(engine().pool_status().idle, 2);
  engine().dispose();
  EXPECT_EQ(engine().pool_status().idle, 0);
}

TEST_F(EngineTest, OverflowConnectionsAreClosedOnReturnAndTimeoutIsClean) {
  auto small = make_engine(
      {.pool_size = 1, .max_overflow = 1, .pool_timeout = std::chrono::milliseconds(200)});
  {
    auto a = small.connect();
    auto b = small.connect();
    EXPECT_EQ(small.pool_status().overflow, 1);
    auto started = std::chrono::steady_clock::now();
    try {
      auto c = small.connect();
      FAIL() << "no timeout";
    } catch (const PoolTimeoutError& e) {
      EXPECT_NE(std::string(e.what()).find("QueuePool limit of size 1 overflow 1"),
                std::string::npos);
    }
    EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(180));
  }
  PoolStatus s = small.pool_status();
  EXPECT_EQ(s.checked_out, 0);
  EXPECT_EQ(s.idle, 1);
  EXPECT_EQ(s.overflow, 0);
}

TEST_F(EngineTest, PrePingAndRecycleReplaceConnections) {
  auto e = make_engine({.pool_pre_ping = true, .pool_recycle = std::chrono::seconds(1)});
  {
    auto conn = e.connect();
    conn.execute(select(func::count()).select_from(*notes_)).scalar<int>();
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto conn = e.connect();  // older than pool_recycle: replaced transparently
  EXPECT_EQ(conn.execute(select(func::count()).select_from(*notes_)).scalar<int>(), 0);
}

TEST_F(EngineTest, EchoLogsStatementsAndParameters) {
  auto conn = engine().connect();
  conn.execute(insert(*notes_).values({{"body", "echoed"}, {"score", 7}}));
  auto log = statements();
  ASSERT_GE(log.size(), 3u);
  EXPECT_EQ(log[0], "BEGIN (implicit)");
  EXPECT_EQ(log[1].rfind("INSERT INTO notes", 0), 0u) << log[1];
  EXPECT_NE(log[2].find("'echoed'"), std::string::npos) << log[2];
  EXPECT_NE(log[2].find("7"), std::string::npos) << log[2];
}

struct Note {
  std::int64_t id;
  std::string body;
  std::optional<int> score;
};

TEST_F(EngineTest, ResultAccessors) {
  auto conn = engine().connect();
  conn.execute(insert(*notes_), std::vector<Params>{{{"id", 1}, {"body", "a"}, {"score", 10}},
                                                    {{"id", 2}, {"body", "b"}, {"score", nullptr}},
                                                    {{"id", 3}, {"body", "c"}, {"score", 30}}});
  auto by_id = select(*notes_).order_by(notes_->c("id"));
  auto rows = conn.execute(by_id).all();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].get<std::string>("body"), "b");
  EXPECT_EQ(rows[1].get<std::optional<int>>("score"), std::nullopt);
  EXPECT_EQ(rows[2].get<int>(2), 30);
  EXPECT_EQ(rows[0].keys(), (std::vector<std::string>{"id", "body", "score"}));

  auto notes = conn.execute(by_id).as<Note>();
  ASSERT_EQ(notes.size(), 3u);
  EXPECT_EQ(notes[2].body, "c");
  EXPECT_EQ(notes[1].score, std::nullopt);
  // A long text (beyond the small-string buffer) moved out of an rvalue row, copied otherwise.
  const std::string long_body(100, 'x');
  conn.execute(update(*notes_).where(notes_->c("id") == 3).values({{"body", long_body}}));
  Row third = *conn.execute(by_id.where(notes_->c("id") == 3)).first();
  EXPECT_EQ(third.as<Note>().body, long_body);
  EXPECT_EQ(third.get<std::string>("body"), long_body);  // a copy left it in place
  Note moved = std::move(third).as<Note>();
  EXPECT_EQ(moved.body, long_body);
  EXPECT_EQ(moved.score, 30);
  EXPECT_EQ(conn.execute(by_id).as<Note>()[2].body, long_body);

  EXPECT_EQ(conn.execute(by_id).first()->get<int>("id"), 1);
  EXPECT_THROW(conn.execute(by_id).one(), MultipleResultsFound);
  EXPECT_THROW(conn.execute(by_id.where(notes_->c("id") == 99)).one(), NoResultFound);
  EXPECT_FALSE(conn.execute(by_id.where(notes_->c("id") == 99)).one_or_none());
  EXPECT_EQ(
      conn.execute(select(notes_->c("body")).where(notes_->c("id") == 2)).one().get<std::string>(0),
      "b");
  EXPECT_EQ(conn.execute(select(notes_->c("score")).where(notes_->c("id") == 99))
                .scalar<std::optional<int>>(),
            std::nullopt);
  EXPECT_THROW(conn.execute(select(notes_->c("score")).where(notes_->c("id") == 99)).scalar<int>(),
               NoResultFound);
  EXPECT_EQ(conn.execute(select(notes_->c("id")).order_by(notes_->c("id").desc())).scalars<int>(),
            (std::vector<int>{3, 2, 1}));

  nlohmann::json j = conn.execute(by_id.where(notes_->c("id") == 2)).one().to_json();
  EXPECT_EQ(j, nlohmann::json::parse(R"({"id": 2, "body": "b", "score": null})"));

  // Wrong type and unknown names name the column.
  try {
    rows[0].get<std::int64_t>("body");
    FAIL();
  } catch (const ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("column 'body'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(rows[0].get<int>("nope"), ArgumentError);
  EXPECT_THROW(rows[1].get<int>("score"), ArgumentError);  // NULL into a non-optional
}

// first<T>(), one<T>() and one_or_none<T>() read the row straight into the aggregate, with the
// errors of their Row counterparts; the result is closed afterwards, so the connection goes on.
TEST_F(EngineTest, TypedFirstAndOne) {
  auto conn = engine().connect();
  conn.execute(insert(*notes_),
               std::vector<Params>{{{"id", 1}, {"body", "a"}, {"score", 10}},
                                   {{"id", 2}, {"body", "b"}, {"score", nullptr}}});
  auto by_id = select(*notes_).order_by(notes_->c("id"));
  auto one_note = [&](int id) { return by_id.where(notes_->c("id") == id); };

  std::optional<Note> first = conn.execute(by_id).first<Note>();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->id, 1);
  EXPECT_EQ(first->body, "a");
  EXPECT_EQ(first->score, 10);
  EXPECT_FALSE(conn.execute(one_note(99)).first<Note>());

  // The keys stay after the row was read into a struct, and after the next execution.
  Result read = conn.execute(by_id);
  ASSERT_TRUE(read.first<Note>());
  Result next = conn.execute(one_note(2));
  EXPECT_EQ(read.keys(), (std::vector<std::string>{"id", "body", "score"}));
  EXPECT_EQ(next.one().keys(), read.keys());

  Note second = conn.execute(one_note(2)).one<Note>();
  EXPECT_EQ(second.body, "b");
  EXPECT_EQ(second.score, std::nullopt);
  EXPECT_EQ(conn.execute(one_note(2)).one_or_none<Note>()->id, 2);
  EXPECT_FALSE(conn.execute(one_note(99)).one_or_none<Note>());

  try {
    conn.execute(by_id).one<Note>();
    ADD_FAILURE() << "two rows were taken for one";
  } catch (const MultipleResultsFound& e) {
    EXPECT_NE(std::string(e.what()).find("one()"), std::string::npos) << e.what();
  }
  try {
    conn.execute(by_id).one_or_none<Note>();
    ADD_FAILURE() << "two rows were taken for one or none";
  } catch (const MultipleResultsFound& e) {
    EXPECT_NE(std::string(e.what()).find("one_or_none()"), std::string::npos) << e.what();
  }
  EXPECT_THROW(conn.execute(one_note(99)).one<Note>(), NoResultFound);

  // The RETURNING rows of an executemany are buffered; they are read the same way.
  struct Returned {
    std::int64_t id;
    std::string body;
  };
  std::optional<Returned> returned =
      conn.execute(insert(*notes_).returning(notes_->c("id"), notes_->c("body")),
                   std::vector<Params>{{{"id", 3}, {"body", "c"}}, {{"id", 4}, {"body", "d"}}})
          .first<Returned>();
  ASSERT_TRUE(returned);
  EXPECT_EQ(returned->id, 3);
  EXPECT_EQ(returned->body, "c");

  // A wrong type names the column; a wrong field count says so.
  struct BodyAsNumber {
    std::int64_t id;
    std::int64_t body;
    std::optional<int> score;
  };
  try {
    conn.execute(one_note(1)).one<BodyAsNumber>();
    ADD_FAILURE() << "text was read as a number";
  } catch (const ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("column 'body'"), std::string::npos) << e.what();
  }
  struct TooFew {
    std::int64_t id;
  };
  EXPECT_THROW(conn.execute(one_note(1)).first<TooFew>(), ArgumentError);
  EXPECT_EQ(conn.execute(select(func::count()).select_from(*notes_)).scalar<int>(), 4);
}

TEST_F(EngineTest, StreamingIterationDoesNotMaterialize) {
  auto conn = engine().connect();
  std::vector<Params> many;
  for (int i = 0; i < 2000; ++i)
    many.push_back({{"body", "row " + std::to_string(i)}, {"score", i}});
  conn.execute(insert(*notes_), many);
  conn.commit();
  conn.set_execution_options({.stream_results = true});
  std::int64_t sum = 0, n = 0;
  for (const Row& row : conn.execute(select(notes_->c("score")))) {
    sum += row.get<std::int64_t>(0);
    ++n;
  }
  EXPECT_EQ(n, 2000);
  EXPECT_EQ(sum, 1999 * 2000 / 2);

  // Mapped into structs while streaming (PostgreSQL's single-row mode on that backend).
  struct Scored {
    std::string body;
    std::optional<std::int64_t> score;
  };
  std::vector<Scored> scored =
      conn.execute(select(notes_->c("body"), notes_->c("score")).order_by(notes_->c("score")))
          .as<Scored>();
  ASSERT_EQ(scored.size(), 2000u);
  EXPECT_EQ(scored.front().body, "row 0");
  EXPECT_EQ(scored.back().body, "row 1999");
  EXPECT_EQ(scored.back().score, 1999);
}

TEST_F(EngineTest, BindparamStatementIsCompiledOnce) {
  auto conn = engine().connect();
  conn.execute(insert(*notes_),
               std::vector<Params>{{{"id", 1}, {"body", "a"}}, {{"id", 2}, {"body", "b"}}});
  auto lookup = select(notes_->c("body")).where(notes_->c("id") == bindparam("id"));
  EXPECT_EQ(conn.execute(lookup, {{"id", 2}}).scalar<std::string>(), "b");
  EXPECT_EQ(conn.execute(lookup, {{"id", 1}}).scalar<std::string>(), "a");
  auto compiled = detail::compile(lookup.state(), engine().dialect());
  EXPECT_EQ(compiled, detail::compile(lookup.state(), engine().dialect()));
  EXPECT_THROW(conn.execute(lookup), ArgumentError);  // no value for :id
}

TEST_F(EngineTest, InsertedPrimaryKeyAndReturning) {
  auto conn = engine().connect();
  Result r = conn.execute(insert(*notes_).values({{"body", "x"}}));
  ASSERT_TRUE(r.inserted_primary_key());
  std::int64_t id = r.inserted_primary_key()->get<std::int64_t>(0);
  EXPECT_EQ(
      conn.execute(select(notes_->c("body")).where(notes_->c("id") == id)).scalar<std::string>(),
      "x");

  auto ids = conn.execute(insert(*notes_).returning(notes_->c("id")),
                          std::vector<Params>{{{"body", "p"}}, {{"body", "q"}}, {{"body", "r"}}})
                 .scalars<std::int64_t>();
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_LT(ids[0], ids[1]);
  EXPECT_LT(ids[1], ids[2]);
  EXPECT_EQ(conn.execute(select(notes_->c("body")).where(notes_->c("id") == ids[2]))
                .scalar<std::string>(),
            "r");
  // SQLite reads each generated key with last-insert-id instead of a RETURNING clause.
  auto log = statements();
  const bool by_lastrowid = std::any_of(log.begin(), log.end(), [](const std::string& line) {
    return line.find("id from last-insert-id") != std::string::npos;
  });
  EXPECT_EQ(by_lastrowid, backend() == "sqlite");

  // More than the key: rows come from RETURNING everywhere.
  Result both = conn.execute(insert(*notes_).returning(notes_->c("id"), notes_->c("body")),
                             std::vector<Params>{{{"body", "s"}}, {{"body", "t"}}});
  EXPECT_EQ(both.keys(), (std::vector<std::string>{"id", "body"}));
  std::vector<Row> rows = both.all();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].get<std::int64_t>("id"), ids[2] + 1);
  EXPECT_EQ(rows[1].get<std::string>("body"), "t");
}

// One INSERT object executed again and again: each execution reports its own key, the result
// has no rows of its own (the key comes from last-insert-id or an added RETURNING), and a key
// given by the caller is reported as given.
TEST_F(EngineTest, ReusedInsertReportsEachGeneratedKeyWithoutReturningRows) {
  auto conn = engine().connect();
  const Insert stmt = insert(*notes_);
  std::vector<std::int64_t> ids;
  for (const char* body : {"a", "b", "c"}) {
    Result r = conn.execute(stmt, {{"body", body}});
    EXPECT_FALSE(r.returns_rows());
    EXPECT_EQ(r.rowcount(), 1);
    ASSERT_TRUE(r.inserted_primary_key());
    EXPECT_EQ(r.inserted_primary_key()->keys(), std::vector<std::string>{"id"});
    ids.push_back(r.inserted_primary_key()->get<std::int64_t>(0));
  }
  EXPECT_LT(ids[0], ids[1]);
  EXPECT_LT(ids[1], ids[2]);
  Result given = conn.execute(stmt, {{"id", 500}, {"body", "d"}});
  ASSERT_TRUE(given.inserted_primary_key());
  EXPECT_EQ(given.inserted_primary_key()->get<std::int64_t>(0), 500);
  conn.commit();
  EXPECT_EQ(conn.execute(select(notes_->c("body")).where(notes_->c("id") == ids[1]))
                .scalar<std::string>(),
            "b");
}

TEST_F(EngineTest, ImplicitReturningCanBeTurnedOffPerTable) {
  MetaData md;
  Table& plain = md.table(
      "plain_notes", {Column("id", Integer{}, {.primary_key = true}), Column("body", String{20})},
      {.implicit_returning = false});
  md.create_all(engine());
  auto conn = engine().connect();
  clear_statements();
  Result generated = conn.execute(insert(plain), {{"body", "a"}});
  auto log = statements();
  EXPECT_TRUE(std::none_of(log.begin(), log.end(), [](const std::string& line) {
    return line.find("RETURNING") != std::string::npos;
  }));
  // Only a last-insert-id can tell the generated key now.
  EXPECT_EQ(generated.inserted_primary_key().has_value(), conn.dialect().postfetch_lastrowid());
  Result given = conn.execute(insert(plain), {{"id", 40}, {"body", "b"}});
  ASSERT_TRUE(given.inserted_primary_key());
  EXPECT_EQ(given.inserted_primary_key()->get<std::int64_t>(0), 40);
  conn.commit();
  EXPECT_EQ(conn.execute(select(func::count()).select_from(plain)).scalar<int>(), 2);
}

TEST_F(EngineTest, ResultsKeepTheirOwnColumnNamesWhenStatementsAlternate) {
  auto conn = engine().connect();
  conn.execute(insert(*notes_).values({{"body", "n"}, {"score", 3}}));
  const Select by_score = select(notes_->c("body"), notes_->c("score"));
  const TextClause raw = text("SELECT score AS points, body AS label FROM notes WHERE score = :s");
  for (int round = 0; round < 2; ++round) {
    Row a = conn.execute(by_score).one();
    EXPECT_EQ(a.keys(), (std::vector<std::string>{"body", "score"}));
    EXPECT_EQ(a.get<std::string>("body"), "n");
    Result r = conn.execute(raw, {{"s", 3}});
    EXPECT_TRUE(r.returns_rows());
    EXPECT_EQ(r.keys(), (std::vector<std::string>{"points", "label"}));
    Row b = r.one();
    EXPECT_EQ(b.get<std::int64_t>("points"), 3);
    EXPECT_EQ(b.get<std::string>("label"), "n");
    EXPECT_EQ(a.keys(), (std::vector<std::string>{"body", "score"}));  // unchanged
  }
}

TEST_F(EngineTest, ExecutemanyUpdateAndDeleteReportRowcount) {
  auto conn = engine().connect();
  std::vector<Params> rows;
  for (int i = 1; i <= 10; ++i) rows.push_back({{"id", i}, {"body", "b"}, {"score", i}});
  EXPECT_EQ(conn.execute(insert(*notes_), rows).rowcount(), 10);
  auto bump = update(*notes_)
                  .where(notes_->c("id") == bindparam("target"))
                  .values(std::vector<std::pair<std::string, ColumnElement>>{
                      {"score", notes_->c("score") + 100}});
  std::vector<Params> targets{{{"target", 1}}, {{"target", 2}}, {{"target", 3}}};
  EXPECT_EQ(conn.execute(bump, targets).rowcount(), 3);
  EXPECT_EQ(conn.execute(delete_(*notes_).where(notes_->c("score") > 100)).rowcount(), 3);
  EXPECT_EQ(conn.execute(select(func::sum(notes_->c("score"))).select_from(*notes_)).scalar<int>(),
            4 + 5 + 6 + 7 + 8 + 9 + 10);
}

// Parameter sets given as a temporary are moved from; a key read by two placeholders still
// reaches both, and the caller's own sets are left as they were.
TEST_F(EngineTest, ExecutemanyOfATemporaryMovesValuesAndKeepsRepeatedKeys) {
  auto conn = engine().connect();
  const std::string long_text(60, 'L');
  std::vector<Params> kept{{{"body", long_text + "1"}}, {{"body", long_text + "2"}}};
  conn.execute(insert(*notes_), kept);
  EXPECT_EQ(kept[0][0].value, Value{long_text + "1"});  // copied, not moved
  conn.execute(insert(*notes_),
               std::vector<Params>{{{"body", long_text + "3"}}, {{"body", long_text + "4"}}});
  // body >= :v AND body <= :v: both placeholders need the value.
  auto exact = delete_(*notes_).where(notes_->c("body") >= bindparam("v") &&
                                      notes_->c("body") <= bindparam("v"));
  EXPECT_EQ(
      conn.execute(exact, std::vector<Params>{{{"v", long_text + "1"}}, {{"v", long_text + "4"}}})
          .rowcount(),
      2);
  EXPECT_EQ(
      conn.execute(select(notes_->c("body")).order_by(notes_->c("body"))).scalars<std::string>(),
      (std::vector<std::string>{long_text + "2", long_text + "3"}));
}

}  // namespace
}  // namespace athanor::testing
