// Athanor benchmarks (tests/perf): the workloads written by hand against MariaDB Connector/C
// (the MySQL C API), the baseline Core is measured against on MariaDB.
//
// Each workload is offered in the forms the library makes fast: server-side prepared
// statements in the binary protocol, array binding (STMT_ATTR_ARRAY_SIZE: every row of an
// executemany in one COM_STMT_BULK_EXECUTE), multi-row INSERTs bound from fixed buffers, and
// results fetched straight into bound C buffers.
#include <mysql.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "athanor/core/url.hpp"
#include "tests/perf/bench.hpp"

namespace athanor::bench {

namespace {

// Bytes for one VARCHAR(64) value in utf8mb4.
constexpr std::size_t kNameBytes = 4 * kNameLength;

[[noreturn]] void fail(MYSQL* db, std::string_view what) {
  throw std::runtime_error("mariadb: " + std::string(what) + ": " + mysql_error(db));
}
[[noreturn]] void fail(MYSQL_STMT* stmt, std::string_view what) {
  throw std::runtime_error("mariadb: " + std::string(what) + ": " + mysql_stmt_error(stmt));
}

// A server-side prepared statement, closed on destruction.
class Statement {
 public:
  Statement(MYSQL* db, const std::string& sql) : stmt_(mysql_stmt_init(db)) {
    if (!stmt_) fail(db, "statement init");
    if (mysql_stmt_prepare(stmt_, sql.data(), sql.size()) != 0) {
      std::string message = mysql_stmt_error(stmt_);
      mysql_stmt_close(stmt_);
      throw std::runtime_error("mariadb: prepare " + sql.substr(0, 60) + ": " + message);
    }
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { mysql_stmt_close(stmt_); }

  MYSQL_STMT* get() const { return stmt_; }
  void bind_params(MYSQL_BIND* binds) {
    if (mysql_stmt_bind_param(stmt_, binds) != 0) fail(stmt_, "bind parameters");
  }
  void bind_results(MYSQL_BIND* binds) {
    if (mysql_stmt_bind_result(stmt_, binds) != 0) fail(stmt_, "bind results");
  }
  void set_array_size(unsigned int rows) {
    if (mysql_stmt_attr_set(stmt_, STMT_ATTR_ARRAY_SIZE, &rows) != 0) fail(stmt_, "array size");
  }
  void execute() {
    if (mysql_stmt_execute(stmt_) != 0) fail(stmt_, "execute");
  }
  // Fetches the next row into the bound buffers; false at the end.
  bool fetch() {
    int rc = mysql_stmt_fetch(stmt_);
    if (rc == 0) return true;
    if (rc == MYSQL_NO_DATA) return false;
    if (rc == MYSQL_DATA_TRUNCATED) throw std::runtime_error("mariadb: fetched value truncated");
    fail(stmt_, "fetch");
  }
  std::int64_t affected_rows() const {
    return static_cast<std::int64_t>(mysql_stmt_affected_rows(stmt_));
  }

 private:
  MYSQL_STMT* stmt_;
};

MYSQL_BIND bind_long(int* value) {
  MYSQL_BIND b{};
  b.buffer_type = MYSQL_TYPE_LONG;
  b.buffer = value;
  return b;
}
MYSQL_BIND bind_double(double* value) {
  MYSQL_BIND b{};
  b.buffer_type = MYSQL_TYPE_DOUBLE;
  b.buffer = value;
  return b;
}
MYSQL_BIND bind_string(char* buffer, std::size_t capacity, unsigned long* length) {
  MYSQL_BIND b{};
  b.buffer_type = MYSQL_TYPE_STRING;
  b.buffer = buffer;
  b.buffer_length = capacity;
  b.length = length;
  return b;
}

// Fixed parameter buffers for a statement binding `rows` BenchRows: bound once, refilled per
// execution.
class RowParams {
 public:
  explicit RowParams(std::size_t rows) : slots_(rows), binds_(3 * rows) {
    for (std::size_t r = 0; r < rows; ++r) {
      Slot& s = slots_[r];
      binds_[3 * r] = bind_string(s.name, sizeof s.name, &s.name_length);
      binds_[3 * r + 1] = bind_long(&s.value);
      binds_[3 * r + 2] = bind_double(&s.score);
    }
  }
  void set(std::size_t r, const BenchRow& row) {
    Slot& s = slots_[r];
    s.name_length = std::min(row.name.size(), sizeof s.name);
    std::memcpy(s.name, row.name.data(), s.name_length);
    s.value = static_cast<int>(row.value);
    s.score = row.score;
  }
  MYSQL_BIND* binds() { return binds_.data(); }

 private:
  struct Slot {
    char name[kNameBytes];
    unsigned long name_length = 0;
    int value = 0;
    double score = 0;
  };
  std::vector<Slot> slots_;
  std::vector<MYSQL_BIND> binds_;
};

// Result buffers for (id, name, value, score) rows.
class RowResult {
 public:
  RowResult() {
    binds_[0] = bind_long(&id_);
    binds_[1] = bind_string(name_, sizeof name_, &name_length_);
    binds_[2] = bind_long(&value_);
    binds_[3] = bind_double(&score_);
  }
  RowResult(const RowResult&) = delete;
  RowResult& operator=(const RowResult&) = delete;
  MYSQL_BIND* binds() { return binds_; }
  BenchRow row() const { return BenchRow{id_, std::string(name_, name_length_), value_, score_}; }

 private:
  MYSQL_BIND binds_[4]{};
  int id_ = 0;
  char name_[kNameBytes];
  unsigned long name_length_ = 0;
  int value_ = 0;
  double score_ = 0;
};

template <class T>
T parse_number(const char* text, unsigned long length) {
  T out{};
  auto [end, error] = std::from_chars(text, text + length, out);
  if (error != std::errc() || end != text + length) {
    throw std::runtime_error("mariadb: unexpected number text " + std::string(text, length));
  }
  return out;
}

std::string mysql_placeholder(std::size_t) { return "?"; }

const std::string kInsertSql =
    "INSERT INTO " + std::string(kTable) + " (name, value, score) VALUES (?, ?, ?)";
const std::string kSelectSql = "SELECT id, name, value, score FROM " + std::string(kTable);
const std::string kLookupSql = kSelectSql + " WHERE id = ?";

class RawMariadb final : public RawBackend {
 public:
  explicit RawMariadb(const URL& url) : db_(mysql_init(nullptr)) {
    if (!db_) throw std::runtime_error("mariadb: out of memory");
    mysql_options(db_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    if (!mysql_real_connect(db_, url.host ? url.host->c_str() : nullptr,
                            url.username ? url.username->c_str() : nullptr,
                            url.password ? url.password->c_str() : nullptr,
                            url.database ? url.database->c_str() : nullptr,
                            static_cast<unsigned int>(url.port.value_or(0)), nullptr, 0)) {
      std::string message = mysql_error(db_);
      mysql_close(db_);
      throw std::runtime_error("mariadb: cannot connect: " + message);
    }
  }
  ~RawMariadb() override {
    statements_.clear();
    mysql_close(db_);
  }

  std::string_view name() const override { return "mariadb"; }
  std::string version() const override {
    return std::string("MariaDB ") + mysql_get_server_info(db_) + ", Connector/C " +
           mysql_get_client_info();
  }

  void create_table() override {
    drop_table();
    exec("CREATE TABLE " + std::string(kTable) +
         " (id INTEGER NOT NULL AUTO_INCREMENT, name VARCHAR(64) NOT NULL, value INTEGER NOT "
         "NULL, score DOUBLE NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB");
  }
  // TRUNCATE also resets AUTO_INCREMENT.
  void clear_table() override { exec("TRUNCATE TABLE " + std::string(kTable)); }
  void fill_table(const Dataset& data) override { insert_array(data); }
  std::vector<BenchRow> read_table() override {
    Statement select(db_, kSelectSql);
    select.execute();
    RowResult buffers;
    select.bind_results(buffers.binds());
    std::vector<BenchRow> rows;
    while (select.fetch()) rows.push_back(buffers.row());
    return rows;
  }
  void drop_table() override {
    statements_.clear();  // prepared statements on the old table
    exec("DROP TABLE IF EXISTS " + std::string(kTable));
  }

  void recover() noexcept override { mysql_rollback(db_); }

  std::vector<Method> methods(Workload workload) override {
    switch (workload) {
      case Workload::kBulkInsert:
        return {
            {"array binding (STMT_ATTR_ARRAY_SIZE)", [this](auto& d) { return insert_array(d); }},
            {"multi-row INSERT, 1000 rows/statement",
             [this](auto& d) { return insert_multirow(d); }}};
      case Workload::kInsertReturning:
        return {{"multi-row INSERT..RETURNING, 1000 rows",
                 [this](auto& d) { return returning_multirow(d); }}};
      case Workload::kLoadRows:
        return {{"prepared SELECT, fetch into bound buffers",
                 [this](auto& d) { return load_binary(d); }},
                {"text protocol, mysql_use_result", [this](auto& d) { return load_text(d); }}};
      case Workload::kPkLookups:
        return {{"one prepared SELECT, bound buffers", [this](auto& d) { return lookups(d); }}};
      case Workload::kSingleInserts:
        return {{"prepared INSERT, autocommit", [this](auto& d) { return single_autocommit(d); }}};
    }
    return {};
  }

 private:
  void exec(const std::string& sql) {
    if (mysql_real_query(db_, sql.data(), sql.size()) != 0) fail(db_, sql.substr(0, 60));
    MYSQL_RES* result = mysql_store_result(db_);
    if (result) mysql_free_result(result);
  }

  // Prepared on first use and kept, as Core's driver keeps its statements.
  Statement& prepared(const std::string& sql) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) {
      it = statements_.emplace(sql, std::make_unique<Statement>(db_, sql)).first;
    }
    return *it->second;
  }

  Outcome insert_array(const Dataset& data) {
    const std::size_t n = data.rows.size();
    std::vector<const char*> names(n);
    std::vector<unsigned long> lengths(n);
    std::vector<int> values(n);
    std::vector<double> scores(n);
    for (std::size_t i = 0; i < n; ++i) {
      const BenchRow& row = data.rows[i];
      names[i] = row.name.data();
      lengths[i] = row.name.size();
      values[i] = static_cast<int>(row.value);
      scores[i] = row.score;
    }
    // Column-wise binding: each buffer is an array with one entry per row (pointers for text).
    MYSQL_BIND binds[3]{};
    binds[0].buffer_type = MYSQL_TYPE_STRING;
    binds[0].buffer = names.data();
    binds[0].length = lengths.data();
    binds[1] = bind_long(values.data());
    binds[2] = bind_double(scores.data());

    exec("BEGIN");
    Statement& insert = prepared(kInsertSql);
    insert.set_array_size(static_cast<unsigned int>(n));
    insert.bind_params(binds);
    insert.execute();
    Outcome out{.affected = insert.affected_rows()};
    insert.set_array_size(0);
    exec("COMMIT");
    return out;
  }

  // Executes the multi-row INSERT (with `suffix`) page by page; `on_page` reads each result.
  template <class F>
  void multirow_pages(const Dataset& data, const std::string& suffix, F on_page) {
    const std::size_t n = data.rows.size();
    const std::size_t page = std::min(kRowsPerMultiRowInsert, n);
    RowParams params(page);
    Statement& full = prepared(multi_row_insert_sql(page, mysql_placeholder) + suffix);
    full.bind_params(params.binds());
    for (std::size_t begin = 0; begin < n; begin += page) {
      std::size_t count = std::min(page, n - begin);
      for (std::size_t r = 0; r < count; ++r) params.set(r, data.rows[begin + r]);
      Statement& insert =
          count == page ? full : prepared(multi_row_insert_sql(count, mysql_placeholder) + suffix);
      if (&insert != &full) insert.bind_params(params.binds());
      insert.execute();
      on_page(insert);
    }
  }

  Outcome insert_multirow(const Dataset& data) {
    Outcome out{.affected = 0};
    exec("BEGIN");
    multirow_pages(data, "", [&](Statement& insert) { out.affected += insert.affected_rows(); });
    exec("COMMIT");
    return out;
  }

  Outcome returning_multirow(const Dataset& data) {
    Outcome out;
    out.ids.reserve(data.rows.size());
    int id = 0;
    MYSQL_BIND result = bind_long(&id);
    exec("BEGIN");
    multirow_pages(data, " RETURNING id", [&](Statement& insert) {
      insert.bind_results(&result);
      while (insert.fetch()) out.ids.push_back(id);
    });
    exec("COMMIT");
    return out;
  }

  // The rows stream from the server (neither side stores the result first), so neither knows
  // their number in advance: the vector grows as they come.
  Outcome load_binary(const Dataset&) {
    Outcome out;
    RowResult buffers;
    exec("BEGIN");
    Statement& select = prepared(kSelectSql);
    select.execute();
    select.bind_results(buffers.binds());
    while (select.fetch()) out.rows.push_back(buffers.row());
    exec("COMMIT");
    return out;
  }

  Outcome load_text(const Dataset&) {
    Outcome out;
    exec("BEGIN");
    if (mysql_real_query(db_, kSelectSql.data(), kSelectSql.size()) != 0) fail(db_, "select");
    MYSQL_RES* result = mysql_use_result(db_);
    if (!result) fail(db_, "use result");
    while (MYSQL_ROW row = mysql_fetch_row(result)) {
      unsigned long* lengths = mysql_fetch_lengths(result);
      out.rows.push_back(BenchRow{parse_number<std::int64_t>(row[0], lengths[0]),
                                  std::string(row[1], lengths[1]),
                                  parse_number<std::int64_t>(row[2], lengths[2]),
                                  parse_number<double>(row[3], lengths[3])});
    }
    bool failed = mysql_errno(db_) != 0;
    mysql_free_result(result);
    if (failed) fail(db_, "fetch");
    exec("COMMIT");
    return out;
  }

  Outcome lookups(const Dataset& data) {
    Outcome out;
    out.rows.reserve(data.lookup_ids.size());
    int id = 0;
    MYSQL_BIND param = bind_long(&id);
    RowResult buffers;
    exec("BEGIN");
    Statement& select = prepared(kLookupSql);
    select.bind_params(&param);
    for (std::int64_t wanted : data.lookup_ids) {
      id = static_cast<int>(wanted);
      select.execute();
      select.bind_results(buffers.binds());
      if (!select.fetch()) {
        throw std::runtime_error("mariadb: no row for id " + std::to_string(wanted));
      }
      out.rows.push_back(buffers.row());
      while (select.fetch()) {
      }
    }
    exec("COMMIT");
    return out;
  }

  Outcome single_autocommit(const Dataset& data) {
    Outcome out{.affected = 0};
    RowParams params(1);
    Statement& insert = prepared(kInsertSql);
    insert.bind_params(params.binds());
    for (const BenchRow& row : data.rows) {
      params.set(0, row);
      insert.execute();
      out.affected += insert.affected_rows();
    }
    return out;
  }

  MYSQL* db_;
  std::map<std::string, std::unique_ptr<Statement>> statements_;  // by SQL text
};

}  // namespace

std::unique_ptr<RawBackend> make_raw_mariadb(const URL& url) {
  return std::make_unique<RawMariadb>(url);
}

}  // namespace athanor::bench
