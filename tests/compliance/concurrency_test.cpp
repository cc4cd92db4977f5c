// Compliance: one Engine shared by many threads, on every backend.
//
// More threads than pool slots run short transactions against one engine. Every unit of work must
// be done exactly once (no lost or doubled commits), the pool must end with nothing checked out,
// and a pool that is too small must fail with a PoolTimeoutError that says what to do.
#include <atomic>
#include <chrono>
#include <future>
#include <latch>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "tests/compliance/fixture.hpp"

namespace athanor::testing {
namespace {

constexpr int kThreads = 24;
constexpr int kTransactionsPerThread = 20;

class ConcurrencyTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    work_ = &metadata_.table("work_items",
                             {
                                 Column("id", Integer{}, {.primary_key = true}),
                                 Column("worker", Integer{}, {.nullable = false}),
                                 Column("seq", Integer{}, {.nullable = false}),
                             },
                             {.unique_constraints = {{{"worker", "seq"}, "uq_work_items_job"}}});
    counter_ = &metadata_.table("counters", {
                                                Column("id", Integer{}, {.primary_key = true}),
                                                Column("total", BigInteger{}, {.nullable = false}),
                                            });
    metadata_.create_all(engine());
    engine().begin([&](Connection& conn) {
      conn.execute(insert(*counter_).values({{"id", 1}, {"total", 0}}));
    });
  }

  // Runs `fn` in a transaction of its own, retrying when the backend aborts it for a conflict
  // between concurrent transactions (a deadlock or a busy database): the aborted transaction
  // was rolled back, so a retry cannot apply the work twice.
  template <class F>
  static void run_transaction(const Engine& engine, F&& fn) {
    for (int attempt = 0;; ++attempt) {
      try {
        engine.begin(fn);
        return;
      } catch (const OperationalError&) {
        if (attempt >= 20) throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(5 * (attempt + 1)));
      }
    }
  }

  MetaData metadata_;
  Table* work_ = nullptr;
  Table* counter_ = nullptr;
};

TEST_F(ConcurrencyTest, ManyThreadsShareASmallPoolAndEveryTransactionCommitsOnce) {
  Engine shared =
      make_engine({.pool_size = 3, .max_overflow = 2, .pool_timeout = std::chrono::seconds(60)});
  const Table& work = *work_;
  const Table& counter = *counter_;
  const auto add_one = update(counter)
                           .where(counter.c("id") == 1)
                           .values(std::vector<std::pair<std::string, ColumnElement>>{
                               {"total", counter.c("total") + 1}});
  const auto count_mine =
      select(func::count()).select_from(work).where(work.c("worker") == bindparam("worker"));

  std::atomic<int> max_checked_out{0};
  std::latch start(kThreads);
  std::vector<std::future<void>> workers;
  for (int w = 0; w < kThreads; ++w) {
    workers.push_back(std::async(std::launch::async, [&, w] {
      start.arrive_and_wait();  // all threads contend from the first transaction on
      for (int seq = 0; seq < kTransactionsPerThread; ++seq) {
        run_transaction(shared, [&](Connection& conn) {
          PoolStatus s = shared.pool_status();
          int seen = max_checked_out.load();
          while (s.checked_out > seen &&
                 !max_checked_out.compare_exchange_weak(seen, s.checked_out)) {
          }
          conn.execute(insert(work).values({{"worker", w}, {"seq", seq}}));
          conn.execute(add_one);
          // Each transaction sees its own uncommitted row and all its earlier committed ones.
          const auto mine = conn.execute(count_mine, Params{{"worker", w}}).scalar<std::int64_t>();
          if (mine != seq + 1) {
            throw std::logic_error("worker " + std::to_string(w) + " saw " + std::to_string(mine) +
                                   " rows of its own at seq " + std::to_string(seq));
          }
        });
      }
    }));
  }
  for (auto& f : workers) f.get();  // rethrows a worker's failure

  // Read back independently, through the fixture's engine.
  auto conn = engine().connect();
  EXPECT_EQ(conn.execute(select(func::count()).select_from(work)).scalar<std::int64_t>(),
            kThreads * kTransactionsPerThread);
  EXPECT_EQ(
      conn.execute(select(counter.c("total")).where(counter.c("id") == 1)).scalar<std::int64_t>(),
      kThreads * kTransactionsPerThread);
  std::set<std::pair<int, int>> jobs;
  for (const Row& row : conn.execute(select(work.c("worker"), work.c("seq")))) {
    EXPECT_TRUE(jobs.emplace(row.get<int>(0), row.get<int>(1)).second) << "duplicate job";
  }
  EXPECT_EQ(jobs.size(), static_cast<std::size_t>(kThreads * kTransactionsPerThread));

  // The pool never lent more than size + overflow, and nothing is left checked out.
  EXPECT_LE(max_checked_out.load(), 3 + 2);
  PoolStatus status = shared.pool_status();
  EXPECT_EQ(status.checked_out, 0);
  EXPECT_EQ(status.overflow, 0);
  EXPECT_LE(status.idle, 3);
  EXPECT_EQ(status.size, 3);
  shared.dispose();
  EXPECT_EQ(shared.pool_status().idle, 0);
}

TEST_F(ConcurrencyTest, ConnectionsReturnedAfterErrorsAreReusable) {
  Engine shared =
      make_engine({.pool_size = 2, .max_overflow = 0, .pool_timeout = std::chrono::seconds(60)});
  const Table& work = *work_;
  std::latch start(8);
  std::atomic<int> integrity_errors{0};
  std::vector<std::future<void>> workers;
  for (int w = 0; w < 8; ++w) {
    workers.push_back(std::async(std::launch::async, [&, w] {
      start.arrive_and_wait();
      for (int seq = 0; seq < 10; ++seq) {
        try {
          run_transaction(shared, [&](Connection& conn) {
            conn.execute(insert(work).values({{"worker", w}, {"seq", seq}}));
            // Every other transaction fails on the unique (worker, seq) key and rolls back.
            if (seq % 2 == 1) conn.execute(insert(work).values({{"worker", w}, {"seq", seq}}));
          });
        } catch (const IntegrityError&) {
          ++integrity_errors;
        }
      }
    }));
  }
  for (auto& f : workers) f.get();
  EXPECT_EQ(integrity_errors.load(), 8 * 5);
  auto conn = engine().connect();
  EXPECT_EQ(conn.execute(select(func::count()).select_from(work)).scalar<std::int64_t>(), 8 * 5);
  EXPECT_EQ(shared.pool_status().checked_out, 0);
}

TEST_F(ConcurrencyTest, TooSmallPoolTimesOutWithAClearMessage) {
  Engine tiny = make_engine(
      {.pool_size = 2, .max_overflow = 0, .pool_timeout = std::chrono::milliseconds(300)});
  std::latch holding(2);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::vector<std::future<void>> holders;
  for (int i = 0; i < 2; ++i) {
    holders.push_back(std::async(std::launch::async, [&] {
      auto conn = tiny.connect();
      conn.exec_driver_sql("SELECT 1");
      holding.count_down();
      released.wait();
    }));
  }
  holding.wait();
  EXPECT_EQ(tiny.pool_status().checked_out, 2);

  const auto started = std::chrono::steady_clock::now();
  try {
    auto conn = tiny.connect();
    FAIL() << "connect() succeeded although every connection was held";
  } catch (const PoolTimeoutError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("QueuePool limit of size 2 overflow 0"), std::string::npos) << message;
    EXPECT_NE(message.find("0.30 s"), std::string::npos) << message;
    EXPECT_NE(message.find("2 checked out"), std::string::npos) << message;
  }
  const auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_GE(waited, std::chrono::milliseconds(280));
  EXPECT_LT(waited, std::chrono::seconds(5));

  // Once the holders give their connections back, checkouts succeed again.
  release.set_value();
  for (auto& f : holders) f.get();
  {
    auto conn = tiny.connect();
    EXPECT_EQ(conn.exec_driver_sql("SELECT 1").scalar<int>(), 1);
  }
  PoolStatus status = tiny.pool_status();
  EXPECT_EQ(status.checked_out, 0);
  EXPECT_EQ(status.idle, 2);
}

TEST_F(ConcurrencyTest, WaitersGetConnectionsAsTheyAreReturned) {
  // One connection, four threads: each waits its turn instead of timing out.
  Engine single =
      make_engine({.pool_size = 1, .max_overflow = 0, .pool_timeout = std::chrono::seconds(30)});
  const Table& work = *work_;
  std::latch start(4);
  std::vector<std::future<void>> workers;
  for (int w = 0; w < 4; ++w) {
    workers.push_back(std::async(std::launch::async, [&, w] {
      start.arrive_and_wait();
      for (int seq = 0; seq < 5; ++seq) {
        run_transaction(single, [&](Connection& conn) {
          conn.execute(insert(work).values({{"worker", w}, {"seq", seq}}));
        });
      }
    }));
  }
  for (auto& f : workers) f.get();
  auto conn = engine().connect();
  EXPECT_EQ(conn.execute(select(func::count()).select_from(work)).scalar<std::int64_t>(), 20);
  EXPECT_EQ(single.pool_status().checked_out, 0);
}

}  // namespace
}  // namespace athanor::testing
