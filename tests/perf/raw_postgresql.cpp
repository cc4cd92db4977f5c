// Athanor benchmarks (tests/perf): the workloads written by hand against libpq, the baseline
// Core is measured against on PostgreSQL.
//
// Each workload is offered in the forms libpq makes fast: pipeline mode (every statement sent
// before any result is read, one round trip in all), multi-row INSERTs with many parameters,
// statements prepared once, and parameters and results in binary format, so the client neither
// formats nor parses numbers.
#include <fmt/format.h>
#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <cerrno>
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

constexpr Oid kUntypedOid = 0;  // the server infers it: varchar from the column
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat8Oid = 701;
constexpr int kText = 0;
constexpr int kBinary = 1;

// libpq's messages end with a newline.
std::string trimmed(const char* message) {
  std::string text = message ? message : "";
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text;
}

[[noreturn]] void fail(PGconn* conn, std::string_view what) {
  throw std::runtime_error("libpq: " + std::string(what) + ": " + trimmed(PQerrorMessage(conn)));
}

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

Result check(PGconn* conn, PGresult* raw, ExecStatusType expected, std::string_view what) {
  Result result(raw);
  if (!result) fail(conn, what);
  if (PQresultStatus(result.get()) != expected) {
    throw std::runtime_error("libpq: " + std::string(what) + ": " +
                             trimmed(PQresultErrorMessage(result.get())));
  }
  return result;
}

// Big-endian (network order) encodings of the binary wire formats.
std::uint32_t to_big_endian(std::uint32_t v) {
  return std::endian::native == std::endian::little ? __builtin_bswap32(v) : v;
}
std::uint64_t to_big_endian(std::uint64_t v) {
  return std::endian::native == std::endian::little ? __builtin_bswap64(v) : v;
}
std::int32_t read_int4(const char* data) {
  std::uint32_t v;
  std::memcpy(&v, data, sizeof v);
  return static_cast<std::int32_t>(to_big_endian(v));
}
double read_float8(const char* data) {
  std::uint64_t v;
  std::memcpy(&v, data, sizeof v);
  return std::bit_cast<double>(to_big_endian(v));
}

// One row's parameters in binary form; `name` is sent as text (no conversion needed).
struct EncodedRow {
  std::uint32_t value = 0;
  std::uint64_t score = 0;
  void encode(const BenchRow& row) {
    value = to_big_endian(static_cast<std::uint32_t>(static_cast<std::int32_t>(row.value)));
    score = to_big_endian(std::bit_cast<std::uint64_t>(row.score));
  }
};

// libpq's parallel parameter arrays for statements binding `rows` BenchRows each.
class RowParams {
 public:
  explicit RowParams(std::size_t rows)
      : encoded_(rows), values_(3 * rows), lengths_(3 * rows), formats_(3 * rows) {
    for (std::size_t r = 0; r < rows; ++r) {
      values_[3 * r + 1] = reinterpret_cast<const char*>(&encoded_[r].value);
      values_[3 * r + 2] = reinterpret_cast<const char*>(&encoded_[r].score);
      lengths_[3 * r + 1] = sizeof(std::uint32_t);
      lengths_[3 * r + 2] = sizeof(std::uint64_t);
      formats_[3 * r] = kText;
      formats_[3 * r + 1] = kBinary;
      formats_[3 * r + 2] = kBinary;
    }
  }
  // Points slot `r` at `row` (the name is not copied: `row` must outlive the send).
  void set(std::size_t r, const BenchRow& row) {
    values_[3 * r] = row.name.c_str();
    lengths_[3 * r] = static_cast<int>(row.name.size());
    encoded_[r].encode(row);
  }
  int count(std::size_t rows) const { return static_cast<int>(3 * rows); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  std::vector<EncodedRow> encoded_;
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

std::vector<Oid> row_param_types(std::size_t rows) {
  std::vector<Oid> types(3 * rows);
  for (std::size_t r = 0; r < rows; ++r) {
    types[3 * r] = kUntypedOid;
    types[3 * r + 1] = kInt4Oid;
    types[3 * r + 2] = kFloat8Oid;
  }
  return types;
}

std::string pg_placeholder(std::size_t k) { return fmt::format("${}", k); }

// Reads a binary-format (id, name, value, score) row.
BenchRow binary_row(const PGresult* result, int row) {
  return BenchRow{read_int4(PQgetvalue(result, row, 0)),
                  std::string(PQgetvalue(result, row, 1),
                              static_cast<std::size_t>(PQgetlength(result, row, 1))),
                  read_int4(PQgetvalue(result, row, 2)), read_float8(PQgetvalue(result, row, 3))};
}

template <class T>
T parse_number(const char* text, int length) {
  T out{};
  auto [end, error] = std::from_chars(text, text + length, out);
  if (error != std::errc() || end != text + length) {
    throw std::runtime_error("libpq: unexpected number text " + std::string(text, length));
  }
  return out;
}

// Pipeline mode done the way libpq recommends: the connection is non-blocking, and whenever
// the outgoing data cannot all be written, incoming results are read, so neither side can stall
// on a full socket buffer. Every result is handed to `on_result`.
class Pipeline {
 public:
  template <class F>
  Pipeline(PGconn* conn, F on_result) : conn_(conn), on_result_(std::move(on_result)) {
    if (PQsetnonblocking(conn_, 1) != 0) fail(conn_, "set non-blocking");
    if (PQenterPipelineMode(conn_) != 1) fail(conn_, "enter pipeline mode");
  }
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;
  ~Pipeline() {
    PQexitPipelineMode(conn_);
    PQsetnonblocking(conn_, 0);
  }

  // Call after each PQsend*: pushes what the socket takes and reads what has arrived.
  void sent(int ok) {
    if (ok != 1) fail(conn_, "send in pipeline");
    int flushed = PQflush(conn_);
    if (flushed < 0) fail(conn_, "flush");
    if (flushed == 1) read_ready();
  }

  // Sends a sync and waits until every result up to it has been handed over.
  void sync() {
    if (PQpipelineSync(conn_) != 1) fail(conn_, "pipeline sync");
    synced_ = false;
    for (;;) {
      int flushed = PQflush(conn_);
      if (flushed < 0) fail(conn_, "flush");
      read_ready();
      if (synced_) return;
      pollfd fd{PQsocket(conn_), static_cast<short>(POLLIN | (flushed == 1 ? POLLOUT : 0)), 0};
      if (poll(&fd, 1, -1) < 0 && errno != EINTR) throw std::runtime_error("poll failed");
    }
  }

 private:
  void read_ready() {
    if (PQconsumeInput(conn_) != 1) fail(conn_, "read");
    while (!PQisBusy(conn_)) {
      Result result(PQgetResult(conn_));
      if (!result) {
        // A null ends one statement's results; otherwise nothing is pending.
        if (!awaiting_end_) return;
        awaiting_end_ = false;
        continue;
      }
      ExecStatusType status = PQresultStatus(result.get());
      if (status == PGRES_PIPELINE_SYNC) {
        synced_ = true;
        return;
      }
      if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        throw std::runtime_error("libpq: pipeline statement failed: " +
                                 trimmed(PQresultErrorMessage(result.get())));
      }
      on_result_(result.get());
      awaiting_end_ = true;
    }
  }

  PGconn* conn_;
  std::function<void(const PGresult*)> on_result_;
  bool awaiting_end_ = false;
  bool synced_ = false;
};

const std::string kInsertSql =
    "INSERT INTO " + std::string(kTable) + " (name, value, score) VALUES ($1, $2, $3)";
const std::string kSelectSql = "SELECT id, name, value, score FROM " + std::string(kTable);
const std::string kLookupSql = kSelectSql + " WHERE id = $1";

class RawPostgresql final : public RawBackend {
 public:
  explicit RawPostgresql(const URL& url) {
    std::string port = url.port ? std::to_string(*url.port) : "";
    const char* keys[] = {"host", "port", "user", "password", "dbname", "client_encoding", nullptr};
    const char* values[] = {url.host ? url.host->c_str() : "",
                            port.c_str(),
                            url.username ? url.username->c_str() : "",
                            url.password ? url.password->c_str() : "",
                            url.database ? url.database->c_str() : "",
                            "UTF8",
                            nullptr};
    conn_ = PQconnectdbParams(keys, values, 0);
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string message = trimmed(PQerrorMessage(conn_));
      PQfinish(conn_);
      throw std::runtime_error("libpq: cannot connect: " + message);
    }
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
  }
  ~RawPostgresql() override { PQfinish(conn_); }

  std::string_view name() const override { return "postgresql"; }
  std::string version() const override {
    int v = PQserverVersion(conn_);
    return "PostgreSQL " + std::to_string(v / 10000) + "." + std::to_string(v % 10000) +
           ", libpq " + std::to_string(PQlibVersion() / 10000);
  }

  void create_table() override {
    drop_table();
    exec("CREATE TABLE " + std::string(kTable) +
         " (id SERIAL NOT NULL PRIMARY KEY, name VARCHAR(64) NOT NULL, value INTEGER NOT NULL, "
         "score DOUBLE PRECISION NOT NULL)");
  }
  void clear_table() override { exec("TRUNCATE " + std::string(kTable) + " RESTART IDENTITY"); }
  void fill_table(const Dataset& data) override { insert_multirow(data); }
  std::vector<BenchRow> read_table() override {
    Result result = check(
        conn_,
        PQexecParams(conn_, kSelectSql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, kBinary),
        PGRES_TUPLES_OK, "read table");
    std::vector<BenchRow> rows;
    for (int i = 0, n = PQntuples(result.get()); i < n; ++i) {
      rows.push_back(binary_row(result.get(), i));
    }
    return rows;
  }
  void drop_table() override { exec("DROP TABLE IF EXISTS " + std::string(kTable)); }
  void recover() noexcept override {
    while (PGresult* pending = PQgetResult(conn_)) PQclear(pending);
    PQclear(PQexec(conn_, "ROLLBACK"));
  }

  std::vector<Method> methods(Workload workload) override {
    switch (workload) {
      case Workload::kBulkInsert:
        return {
            {"multi-row INSERT, 1000 rows/statement",
             [this](auto& d) { return insert_multirow(d); }},
            {"pipeline, prepared 1-row INSERT", [this](auto& d) { return insert_pipeline(d); }}};
      case Workload::kInsertReturning:
        return {{"multi-row INSERT..RETURNING, 1000 rows",
                 [this](auto& d) { return returning_multirow(d); }},
                {"pipeline, prepared INSERT..RETURNING",
                 [this](auto& d) { return returning_pipeline(d); }}};
      case Workload::kLoadRows:
        return {{"PQexecPrepared, binary results", [this](auto&) { return load(kBinary); }},
                {"PQexecPrepared, text results", [this](auto&) { return load(kText); }}};
      case Workload::kPkLookups:
        return {{"one prepared SELECT, binary", [this](auto& d) { return lookups(d); }}};
      case Workload::kSingleInserts:
        return {{"prepared INSERT, autocommit", [this](auto& d) { return single_autocommit(d); }},
                {"pipeline BEGIN+INSERT+COMMIT per row",
                 [this](auto& d) { return single_pipelined(d); }}};
    }
    return {};
  }

 private:
  void exec(const std::string& sql) {
    check(conn_, PQexec(conn_, sql.c_str()), PGRES_COMMAND_OK, sql.substr(0, 60));
  }

  // Prepares `sql` on first use and returns its statement name; like Core's statement cache,
  // later runs reuse it.
  const char* prepared(const std::string& sql, const std::vector<Oid>& types) {
    auto [it, inserted] = statements_.try_emplace(sql, "");
    if (inserted) {
      it->second = "bench_" + std::to_string(statements_.size());
      check(conn_,
            PQprepare(conn_, it->second.c_str(), sql.c_str(), static_cast<int>(types.size()),
                      types.empty() ? nullptr : types.data()),
            PGRES_COMMAND_OK, "prepare");
    }
    return it->second.c_str();
  }

  Result exec_prepared(const char* statement, const RowParams& params, std::size_t rows,
                       ExecStatusType expected, int result_format = kBinary) {
    return check(conn_,
                 PQexecPrepared(conn_, statement, params.count(rows), params.values(),
                                params.lengths(), params.formats(), result_format),
                 expected, "execute");
  }

  // Sends the multi-row INSERT in pages; `on_page` sees each page's result.
  template <class F>
  void multirow_pages(const Dataset& data, const std::string& suffix, ExecStatusType expected,
                      F on_page) {
    const std::size_t n = data.rows.size();
    const std::size_t page = std::min(kRowsPerMultiRowInsert, n);
    RowParams params(page);
    const char* statement =
        prepared(multi_row_insert_sql(page, pg_placeholder) + suffix, row_param_types(page));
    for (std::size_t begin = 0; begin < n; begin += page) {
      std::size_t count = std::min(page, n - begin);
      for (std::size_t r = 0; r < count; ++r) params.set(r, data.rows[begin + r]);
      if (count == page) {
        on_page(exec_prepared(statement, params, count, expected));
      } else {
        std::string sql = multi_row_insert_sql(count, pg_placeholder) + suffix;
        std::vector<Oid> types = row_param_types(count);
        on_page(check(conn_,
                      PQexecParams(conn_, sql.c_str(), params.count(count), types.data(),
                                   params.values(), params.lengths(), params.formats(), kBinary),
                      expected, "execute"));
      }
    }
  }

  Outcome insert_multirow(const Dataset& data) {
    Outcome out{.affected = 0};
    exec("BEGIN");
    multirow_pages(data, "", PGRES_COMMAND_OK,
                   [&](const Result& result) { out.affected += parse_affected(result.get()); });
    exec("COMMIT");
    return out;
  }

  Outcome returning_multirow(const Dataset& data) {
    Outcome out;
    out.ids.reserve(data.rows.size());
    exec("BEGIN");
    multirow_pages(data, " RETURNING id", PGRES_TUPLES_OK, [&](const Result& result) {
      for (int i = 0, n = PQntuples(result.get()); i < n; ++i) {
        out.ids.push_back(read_int4(PQgetvalue(result.get(), i, 0)));
      }
    });
    exec("COMMIT");
    return out;
  }

  // BEGIN, one prepared INSERT per row and COMMIT, all in one pipeline.
  template <class F>
  void pipelined_inserts(const Dataset& data, const std::string& sql, F on_result) {
    const char* statement = prepared(sql, row_param_types(1));
    RowParams params(1);
    Pipeline pipeline(conn_, on_result);
    pipeline.sent(PQsendQueryParams(conn_, "BEGIN", 0, nullptr, nullptr, nullptr, nullptr, 0));
    for (const BenchRow& row : data.rows) {
      params.set(0, row);
      pipeline.sent(PQsendQueryPrepared(conn_, statement, 3, params.values(), params.lengths(),
                                        params.formats(), kBinary));
    }
    pipeline.sent(PQsendQueryParams(conn_, "COMMIT", 0, nullptr, nullptr, nullptr, nullptr, 0));
    pipeline.sync();
  }

  Outcome insert_pipeline(const Dataset& data) {
    Outcome out{.affected = 0};
    pipelined_inserts(data, kInsertSql, [&](const PGresult* result) {
      if (std::strncmp(PQcmdStatus(const_cast<PGresult*>(result)), "INSERT", 6) == 0) {
        out.affected += parse_affected(result);
      }
    });
    return out;
  }

  Outcome returning_pipeline(const Dataset& data) {
    Outcome out;
    out.ids.reserve(data.rows.size());
    pipelined_inserts(data, kInsertSql + " RETURNING id", [&](const PGresult* result) {
      if (PQresultStatus(result) == PGRES_TUPLES_OK) {
        out.ids.push_back(read_int4(PQgetvalue(result, 0, 0)));
      }
    });
    return out;
  }

  // The vector is sized from the PGresult's row count, as Core sizes it.
  Outcome load(int result_format) {
    Outcome out;
    const char* statement = prepared(kSelectSql, {});
    exec("BEGIN");
    Result result =
        check(conn_, PQexecPrepared(conn_, statement, 0, nullptr, nullptr, nullptr, result_format),
              PGRES_TUPLES_OK, "load");
    const PGresult* r = result.get();
    out.rows.reserve(static_cast<std::size_t>(PQntuples(r)));
    for (int i = 0, n = PQntuples(r); i < n; ++i) {
      if (result_format == kBinary) {
        out.rows.push_back(binary_row(r, i));
      } else {
        out.rows.push_back(BenchRow{
            parse_number<std::int64_t>(PQgetvalue(r, i, 0), PQgetlength(r, i, 0)),
            std::string(PQgetvalue(r, i, 1), static_cast<std::size_t>(PQgetlength(r, i, 1))),
            parse_number<std::int64_t>(PQgetvalue(r, i, 2), PQgetlength(r, i, 2)),
            parse_number<double>(PQgetvalue(r, i, 3), PQgetlength(r, i, 3))});
      }
    }
    result.reset();
    exec("COMMIT");
    return out;
  }

  Outcome lookups(const Dataset& data) {
    Outcome out;
    out.rows.reserve(data.lookup_ids.size());
    const char* statement = prepared(kLookupSql, {kInt4Oid});
    exec("BEGIN");
    const int format = kBinary;
    const int length = sizeof(std::uint32_t);
    for (std::int64_t id : data.lookup_ids) {
      std::uint32_t wire = to_big_endian(static_cast<std::uint32_t>(id));
      const char* value = reinterpret_cast<const char*>(&wire);
      Result result =
          check(conn_, PQexecPrepared(conn_, statement, 1, &value, &length, &format, kBinary),
                PGRES_TUPLES_OK, "lookup");
      if (PQntuples(result.get()) != 1) {
        throw std::runtime_error("libpq: no row for id " + std::to_string(id));
      }
      out.rows.push_back(binary_row(result.get(), 0));
    }
    exec("COMMIT");
    return out;
  }

  Outcome single_autocommit(const Dataset& data) {
    Outcome out{.affected = 0};
    const char* statement = prepared(kInsertSql, row_param_types(1));
    RowParams params(1);
    for (const BenchRow& row : data.rows) {
      params.set(0, row);
      out.affected += parse_affected(exec_prepared(statement, params, 1, PGRES_COMMAND_OK).get());
    }
    return out;
  }

  Outcome single_pipelined(const Dataset& data) {
    Outcome out{.affected = 0};
    const char* statement = prepared(kInsertSql, row_param_types(1));
    RowParams params(1);
    Pipeline pipeline(conn_, [&](const PGresult* result) {
      if (std::strncmp(PQcmdStatus(const_cast<PGresult*>(result)), "INSERT", 6) == 0) {
        out.affected += parse_affected(result);
      }
    });
    for (const BenchRow& row : data.rows) {
      params.set(0, row);
      pipeline.sent(PQsendQueryParams(conn_, "BEGIN", 0, nullptr, nullptr, nullptr, nullptr, 0));
      pipeline.sent(PQsendQueryPrepared(conn_, statement, 3, params.values(), params.lengths(),
                                        params.formats(), kBinary));
      pipeline.sent(PQsendQueryParams(conn_, "COMMIT", 0, nullptr, nullptr, nullptr, nullptr, 0));
      pipeline.sync();
    }
    return out;
  }

  static std::int64_t parse_affected(const PGresult* result) {
    const char* text = PQcmdTuples(const_cast<PGresult*>(result));
    return parse_number<std::int64_t>(text, static_cast<int>(std::strlen(text)));
  }

  PGconn* conn_ = nullptr;
  std::map<std::string, std::string> statements_;  // SQL -> prepared statement name
};

}  // namespace

std::unique_ptr<RawBackend> make_raw_postgresql(const URL& url) {
  return std::make_unique<RawPostgresql>(url);
}

}  // namespace athanor::bench
