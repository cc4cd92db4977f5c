// Athanor benchmarks (tests/perf): the workloads written by hand against the sqlite3 C API, the
// baseline Core is measured against on SQLite.
//
// The fastest use of the library for each workload: statements prepared once and re-bound
// (kept from run to run, as the Core driver keeps its prepared statements), text bound without
// copying (SQLITE_STATIC), bulk work inside one explicit transaction.
#include <sqlite3.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>

#include "tests/perf/bench.hpp"

namespace athanor::bench {

namespace {

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  throw std::runtime_error("sqlite3: " + std::string(what) + ": " + sqlite3_errmsg(db));
}

// A prepared statement, finalized on destruction.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &stmt_, nullptr) !=
        SQLITE_OK) {
      fail(db, "prepare " + sql.substr(0, 60));
    }
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }

  // Binds row's name, value and score to parameters first..first+2 (1-based).
  void bind_row(int first, const BenchRow& row) {
    if (sqlite3_bind_text(stmt_, first, row.name.data(), static_cast<int>(row.name.size()),
                          SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(stmt_, first + 1, row.value) != SQLITE_OK ||
        sqlite3_bind_double(stmt_, first + 2, row.score) != SQLITE_OK) {
      fail(db_, "bind");
    }
  }
  void bind_int64(int index, std::int64_t value) {
    if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) fail(db_, "bind");
  }
  // Steps once; true for a row, false when done.
  bool step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(db_, "step");
  }
  void step_done() {
    if (step()) throw std::runtime_error("sqlite3: statement returned an unexpected row");
  }
  void reset() { sqlite3_reset(stmt_); }
  // Reads columns 0..3 as a BenchRow.
  BenchRow row() const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, 1));
    return BenchRow{sqlite3_column_int64(stmt_, 0),
                    std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, 1))),
                    sqlite3_column_int64(stmt_, 2), sqlite3_column_double(stmt_, 3)};
  }
  std::int64_t column_int64(int index) const { return sqlite3_column_int64(stmt_, index); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

const std::string kInsertSql =
    "INSERT INTO " + std::string(kTable) + " (name, value, score) VALUES (?, ?, ?)";
const std::string kSelectSql = "SELECT id, name, value, score FROM " + std::string(kTable);
const std::string kLookupSql = kSelectSql + " WHERE id = ?";

std::string sqlite_placeholder(std::size_t) { return "?"; }

class RawSqlite final : public RawBackend {
 public:
  explicit RawSqlite(const std::string& path) {
    // One thread uses the handle, so SQLite's own mutexes are not needed (the Core driver opens
    // its connections the same way).
    if (sqlite3_open_v2(path.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
      std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw std::runtime_error("sqlite3: cannot open " + path + ": " + message);
    }
    sqlite3_busy_timeout(db_, 5000);
    // WAL is a property of the database file, so the Core connection gets it too. It keeps a
    // commit to one fsync, which makes the per-commit workload measure the client more than the
    // disk.
    exec("PRAGMA journal_mode=WAL");
  }
  ~RawSqlite() override { sqlite3_close(db_); }

  std::string_view name() const override { return "sqlite"; }
  std::string version() const override { return std::string("SQLite ") + sqlite3_libversion(); }

  void create_table() override {
    drop_table();
    statements_.clear();
    exec("CREATE TABLE " + std::string(kTable) +
         " (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(64) NOT NULL, "
         "value INTEGER NOT NULL, score DOUBLE NOT NULL)");
  }
  // Without AUTOINCREMENT, the next rowid of an empty table is 1 again.
  void clear_table() override { exec("DELETE FROM " + std::string(kTable)); }
  void fill_table(const Dataset& data) override { insert_rebound(data); }
  std::vector<BenchRow> read_table() override {
    std::vector<BenchRow> rows;
    Statement select(db_, kSelectSql);
    while (select.step()) rows.push_back(select.row());
    return rows;
  }
  void drop_table() override {
    statements_.clear();  // finalized before the table they read goes
    exec("DROP TABLE IF EXISTS " + std::string(kTable));
  }
  void recover() noexcept override {
    for (auto& entry : statements_) entry.second->reset();
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

  std::vector<Method> methods(Workload workload) override {
    switch (workload) {
      case Workload::kBulkInsert:
        return {
            {"one prepared INSERT re-bound per row", [this](auto& d) { return insert_rebound(d); }},
            {"multi-row INSERT, 1000 rows/statement",
             [this](auto& d) { return insert_multirow(d); }}};
      case Workload::kInsertReturning:
        return {{"prepared INSERT re-bound + last_insert_rowid",
                 [this](auto& d) { return insert_rowid(d); }},
                {"prepared INSERT ... RETURNING id re-bound",
                 [this](auto& d) { return insert_returning(d); }}};
      case Workload::kLoadRows:
        return {{"prepared SELECT, sqlite3_column_*", [this](auto& d) { return load(d); }}};
      case Workload::kPkLookups:
        return {{"one prepared SELECT re-bound", [this](auto& d) { return lookups(d); }}};
      case Workload::kSingleInserts:
        return {{"prepared INSERT, autocommit", [this](auto& d) { return single_autocommit(d); }},
                {"prepared BEGIN/INSERT/COMMIT", [this](auto& d) { return single_explicit(d); }}};
    }
    return {};
  }

 private:
  // Prepares `sql` on first use; later runs re-bind the same statement.
  Statement& prepared(const std::string& sql) {
    std::unique_ptr<Statement>& statement = statements_[sql];
    if (!statement) statement = std::make_unique<Statement>(db_, sql);
    return *statement;
  }
  // Runs a statement without parameters or rows (BEGIN, COMMIT) through its prepared form.
  void run(const std::string& sql) {
    Statement& statement = prepared(sql);
    statement.step_done();
    statement.reset();
  }

  void exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      std::string message = error ? error : "unknown error";
      sqlite3_free(error);
      throw std::runtime_error("sqlite3: " + sql.substr(0, 60) + ": " + message);
    }
  }

  Outcome insert_rebound(const Dataset& data) {
    Outcome out{.affected = 0};
    run("BEGIN");
    Statement& insert = prepared(kInsertSql);
    for (const BenchRow& row : data.rows) {
      insert.bind_row(1, row);
      insert.step_done();
      out.affected += sqlite3_changes(db_);
      insert.reset();
    }
    run("COMMIT");
    return out;
  }

  Outcome insert_multirow(const Dataset& data) {
    Outcome out{.affected = 0};
    run("BEGIN");
    const std::size_t n = data.rows.size();
    std::size_t page = std::min(kRowsPerMultiRowInsert, n);
    Statement& full = prepared(multi_row_insert_sql(page, sqlite_placeholder));
    for (std::size_t begin = 0; begin < n; begin += page) {
      std::size_t count = std::min(page, n - begin);
      Statement& insert =
          count == page ? full : prepared(multi_row_insert_sql(count, sqlite_placeholder));
      for (std::size_t r = 0; r < count; ++r) {
        insert.bind_row(static_cast<int>(3 * r + 1), data.rows[begin + r]);
      }
      insert.step_done();
      out.affected += sqlite3_changes(db_);
      insert.reset();
    }
    run("COMMIT");
    return out;
  }

  Outcome insert_rowid(const Dataset& data) {
    Outcome out;
    out.ids.reserve(data.rows.size());
    run("BEGIN");
    Statement& insert = prepared(kInsertSql);
    for (const BenchRow& row : data.rows) {
      insert.bind_row(1, row);
      insert.step_done();
      out.ids.push_back(sqlite3_last_insert_rowid(db_));
      insert.reset();
    }
    run("COMMIT");
    return out;
  }

  Outcome insert_returning(const Dataset& data) {
    Outcome out;
    out.ids.reserve(data.rows.size());
    run("BEGIN");
    Statement& insert = prepared(kInsertSql + " RETURNING id");
    for (const BenchRow& row : data.rows) {
      insert.bind_row(1, row);
      if (!insert.step()) throw std::runtime_error("sqlite3: RETURNING gave no row");
      out.ids.push_back(insert.column_int64(0));
      insert.step_done();
      insert.reset();
    }
    run("COMMIT");
    return out;
  }

  // The rows are appended as they come: SQLite cannot tell how many a query returns (nor can
  // Core, which grows its vector the same way).
  Outcome load(const Dataset&) {
    Outcome out;
    run("BEGIN");
    Statement& select = prepared(kSelectSql);
    while (select.step()) out.rows.push_back(select.row());
    select.reset();
    run("COMMIT");
    return out;
  }

  Outcome lookups(const Dataset& data) {
    Outcome out;
    out.rows.reserve(data.lookup_ids.size());
    run("BEGIN");
    Statement& select = prepared(kLookupSql);
    for (std::int64_t id : data.lookup_ids) {
      select.bind_int64(1, id);
      if (!select.step()) throw std::runtime_error("sqlite3: no row for id " + std::to_string(id));
      out.rows.push_back(select.row());
      select.reset();
    }
    run("COMMIT");
    return out;
  }

  Outcome single_autocommit(const Dataset& data) {
    Outcome out{.affected = 0};
    Statement& insert = prepared(kInsertSql);
    for (const BenchRow& row : data.rows) {
      insert.bind_row(1, row);
      insert.step_done();
      out.affected += sqlite3_changes(db_);
      insert.reset();
    }
    return out;
  }

  Outcome single_explicit(const Dataset& data) {
    Outcome out{.affected = 0};
    Statement& begin = prepared("BEGIN");
    Statement& insert = prepared(kInsertSql);
    Statement& commit = prepared("COMMIT");
    for (const BenchRow& row : data.rows) {
      begin.step_done();
      begin.reset();
      insert.bind_row(1, row);
      insert.step_done();
      out.affected += sqlite3_changes(db_);
      insert.reset();
      commit.step_done();
      commit.reset();
    }
    return out;
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<Statement>> statements_;
};

}  // namespace

std::unique_ptr<RawBackend> make_raw_sqlite(const std::string& path) {
  return std::make_unique<RawSqlite>(path);
}

}  // namespace athanor::bench
