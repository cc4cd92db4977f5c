// Compliance: the database server goes away and comes back while an Engine is in use.
//
// The server is stopped and restarted through the test server script. An operation that meets
// the dead server raises OperationalError with connection_invalidated(); work that was not
// committed is gone; the same Engine serves new connections once the server is back, without
// being recreated. SQLite is embedded and has no server to lose.
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "tests/compliance/fixture.hpp"

namespace athanor::testing {
namespace {

// Stops the server for a test and makes sure it runs again afterwards, whatever the outcome.
class ServerOutage {
 public:
  ServerOutage() = default;
  ServerOutage(const ServerOutage&) = delete;
  ServerOutage& operator=(const ServerOutage&) = delete;
  ~ServerOutage() {
    if (stopped_) server_control("start");
  }
  bool stop() {
    stopped_ = server_control("stop");
    return stopped_;
  }
  bool start() {
    if (!server_control("start")) return false;
    stopped_ = false;
    return true;
  }

 private:
  bool stopped_ = false;
};

class FaultsTest : public BackendTest {
 protected:
  void SetUp() override {
    if (backend() == "sqlite") GTEST_SKIP() << "embedded database has no server";
    BackendTest::SetUp();
    notes_ = &metadata_.table("notes", {
                                           Column("id", Integer{}, {.primary_key = true}),
                                           Column("body", String{100}, {.nullable = false}),
                                       });
    metadata_.create_all(engine());
  }

  std::int64_t count_notes(const Engine& engine) {
    auto conn = engine.connect();
    return conn.execute(select(func::count()).select_from(*notes_)).scalar<std::int64_t>();
  }

  MetaData metadata_;
  Table* notes_ = nullptr;
};

constexpr const char* kNoControl =
    "cannot control the test server: set ATHANOR_TEST_SERVER_CTL (tests/servers/with_servers.sh "
    "does)";

TEST_F(FaultsTest, UncommittedTransactionIsLostAndTheEngineRecovers) {
  ServerOutage outage;
  // Two connections in use at once, so the pool holds more than one when the server dies.
  auto other = engine().connect();
  other.execute(select(func::count()).select_from(*notes_));
  other.commit();
  auto conn = engine().connect();
  conn.execute(insert(*notes_).values({{"id", 1}, {"body", "uncommitted"}}));
  other.close();

  ASSERT_TRUE(outage.stop()) << kNoControl;
  try {
    conn.execute(insert(*notes_).values({{"id", 2}, {"body", "into the void"}}));
    conn.commit();
    FAIL() << "a statement on a stopped server succeeded";
  } catch (const OperationalError& e) {
    EXPECT_TRUE(e.connection_invalidated()) << e.what();
  }
  EXPECT_TRUE(conn.invalidated());
  EXPECT_THROW(conn.execute(select(func::count()).select_from(*notes_)), InvalidRequestError);
  conn.close();
  ASSERT_TRUE(outage.start());

  // Same Engine, no recreation: the dead pooled connections are replaced.
  EXPECT_EQ(count_notes(engine()), 0);
  engine().begin([&](Connection& c) {
    c.execute(insert(*notes_).values({{"id", 3}, {"body", "after restart"}}));
  });
  EXPECT_EQ(count_notes(engine()), 1);
  EXPECT_EQ(count_notes(engine()), 1);
}

TEST_F(FaultsTest, QueryRunningWhenTheServerStopsRaisesOperationalError) {
  ServerOutage outage;
  const std::string sleep_sql =
      backend() == "postgresql" ? "SELECT pg_sleep(20)" : "SELECT SLEEP(20)";
  auto conn = engine().connect();
  conn.exec_driver_sql("SELECT 1");
  auto running = std::async(std::launch::async, [&] {
    try {
      conn.exec_driver_sql(sleep_sql).all();
      return std::string("completed without an error");
    } catch (const OperationalError& e) {
      return e.connection_invalidated() ? std::string()
                                        : std::string("not invalidated: ") + e.what();
    } catch (const std::exception& e) {
      return std::string("wrong exception: ") + e.what();
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(outage.stop()) << kNoControl;
  EXPECT_EQ(running.get(), "");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(15))
      << "the query ran to its end instead of being cut off";
  EXPECT_TRUE(conn.invalidated());
  conn.close();
  ASSERT_TRUE(outage.start());
  EXPECT_EQ(count_notes(engine()), 0);
}

TEST_F(FaultsTest, PrePingReplacesDeadConnectionsSilently) {
  ServerOutage outage;
  EngineOptions options;
  options.pool_pre_ping = true;
  Engine pinged = make_engine(options);
  EXPECT_EQ(count_notes(pinged), 0);  // leaves one idle connection in the pool

  ASSERT_TRUE(outage.stop()) << kNoControl;
  ASSERT_TRUE(outage.start());
  // The pooled connection is dead; pre-ping notices at checkout and opens a new one.
  EXPECT_EQ(count_notes(pinged), 0);
  pinged.dispose();
}

TEST_F(FaultsTest, ConnectingWhileTheServerIsDownRaisesOperationalError) {
  ServerOutage outage;
  engine().dispose();
  ASSERT_TRUE(outage.stop()) << kNoControl;
  try {
    auto conn = engine().connect();
    conn.exec_driver_sql("SELECT 1");
    FAIL() << "connected to a stopped server";
  } catch (const OperationalError& e) {
    EXPECT_FALSE(e.message().empty());
  }
  ASSERT_TRUE(outage.start());
  auto conn = engine().connect();
  EXPECT_EQ(conn.exec_driver_sql("SELECT 1").scalar<int>(), 1);
}

}  // namespace
}  // namespace athanor::testing
