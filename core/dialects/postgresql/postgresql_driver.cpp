// Athanor Core, postgresql dialect: the libpq driver (see postgresql_driver.hpp).
#include "core/dialects/postgresql/postgresql_driver.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <iterator>
#include <string>
#include <utility>

#include <poll.h>

#include "athanor/core/error.hpp"
#include "core/dialects/postgresql/postgresql_errors.hpp"
#include "core/dialects/postgresql/postgresql_url.hpp"

namespace athanor::detail::pg {

namespace {

// Rows sent per pipeline sync in execute_many. Two batches are in flight at a time, so the
// server never waits for the client; small enough that a batch's results fit in the socket
// buffers, which keeps blocking writes from deadlocking against unread results.
constexpr std::size_t kPipelineBatch = 1000;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) ==
                  std::toupper(static_cast<unsigned char>(y));
         });
}

// The first keyword of a statement, skipping blanks, comments and opening parentheses.
std::string_view leading_keyword(std::string_view sql) {
  std::size_t i = 0;
  const std::size_t n = sql.size();
  while (i < n) {
    const char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c)) || c == '(') {
      ++i;
    } else if (sql.compare(i, 2, "--") == 0) {
      const std::size_t eol = sql.find('\n', i);
      i = eol == std::string_view::npos ? n : eol + 1;
    } else if (sql.compare(i, 2, "/*") == 0) {
      const std::size_t end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? n : end + 2;
    } else {
      break;
    }
  }
  std::size_t j = i;
  while (j < n && std::isalpha(static_cast<unsigned char>(sql[j]))) ++j;
  return sql.substr(i, j - i);
}

// Statements worth a named prepared statement: the ones applications repeat. DDL and session
// commands run unnamed so they neither fill the cache nor pin plans of dropped tables.
bool is_cacheable(std::string_view keyword) {
  for (std::string_view k : {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "VALUES", "TABLE"}) {
    if (iequals(keyword, k)) return true;
  }
  return false;
}

// Statements that can change the row type of a table that cached statements read.
bool invalidates_statements(std::string_view keyword) {
  return iequals(keyword, "DROP") || iequals(keyword, "ALTER");
}

// Errors after which the cached prepared statement must not be used again: its result type
// changed under it (DDL from another session), or it no longer exists on the server.
bool is_stale_statement_error(const PGresult* result) {
  if (result == nullptr) return false;
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  if (state == nullptr) return false;
  const std::string_view sqlstate(state);
  if (sqlstate == "26000") return true;
  if (sqlstate != "0A000") return false;
  const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  return primary != nullptr &&
         std::string_view(primary).find("cached plan must not change result type") !=
             std::string_view::npos;
}

std::int64_t affected_rows(const PGresult* result) {
  const char* status = PQcmdStatus(const_cast<PGresult*>(result));
  if (status != nullptr && std::string_view(status).starts_with("SELECT")) return -1;
  const char* tuples = PQcmdTuples(const_cast<PGresult*>(result));
  if (tuples == nullptr || *tuples == '\0') return -1;
  std::int64_t n = -1;
  std::from_chars(tuples, tuples + std::char_traits<char>::length(tuples), n);
  return n;
}

// "name" when it is a plain lower-case identifier, else a quoted identifier.
std::string quote_savepoint(const std::string& name) {
  const bool plain = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0])) &&
                     std::all_of(name.begin(), name.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                     });
  if (plain) return name;
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

void no_notices(void* /*arg*/, const char* /*message*/) {}

// Reads the results of one pipeline segment up to its sync point, handing each to `sink`. A
// null result ends each query's results; two in a row mean nothing more is coming (which only
// happens when the connection failed).
template <class Sink>
void read_pipeline_results(PGconn* conn, Sink&& sink) {
  int consecutive_nulls = 0;
  while (true) {
    ResultPtr r(PQgetResult(conn));
    if (r == nullptr) {
      if (PQstatus(conn) == CONNECTION_BAD || ++consecutive_nulls > 1) return;
      continue;
    }
    consecutive_nulls = 0;
    if (PQresultStatus(r.get()) == PGRES_PIPELINE_SYNC) return;
    sink(std::move(r));
  }
}

std::string render(std::span<const Value> params) {
  if (params.empty()) return {};
  return render_values(std::vector<Value>(params.begin(), params.end()));
}

// The typed reads of one binary cell (`data`, `length`) of a column of the matching kind.
bool int64_from_cell(const char* data, int length, std::int64_t& out) {
  const std::optional<std::int64_t> number = binary_integer(data, length);
  if (number) out = *number;
  return number.has_value();
}
bool double_from_cell(const char* data, int length, double& out) {
  const std::optional<double> number = binary_float(data, length);
  if (number) out = *number;
  return number.has_value();
}
std::string_view text_of_cell(const char* data, int length) {
  // "char" sends its one byte even when it is the empty value '\0' (as decode_binary knows).
  if (length == 1 && data[0] == '\0') length = 0;
  return {data, static_cast<std::size_t>(length)};
}

}  // namespace

// ---- ResultShape ----------------------------------------------------------------------------

std::shared_ptr<const ResultShape> ResultShape::of(const PGresult* result, bool allow_binary) {
  auto shape = std::make_shared<ResultShape>();
  const int n = PQnfields(result);
  shape->names.reserve(static_cast<std::size_t>(n));
  shape->kinds.reserve(static_cast<std::size_t>(n));
  shape->binary = allow_binary;
  for (int i = 0; i < n; ++i) {
    shape->names.emplace_back(PQfname(result, i));
    shape->kinds.push_back(column_kind(PQftype(result, i)));
    if (!binary_decodable(shape->kinds.back())) shape->binary = false;
  }
  return shape;
}

// ---- PgCursor -------------------------------------------------------------------------------

PgCursor::PgCursor(ResultPtr result, std::shared_ptr<const ResultShape> shape)
    : result_(std::move(result)), shape_(std::move(shape)) {
  if (result_ != nullptr) {
    rowcount_ = affected_rows(result_.get());
    rows_ = shape_ != nullptr ? PQntuples(result_.get()) : 0;
  }
}

PgCursor::PgCursor(PgConnection* conn, ResultPtr first, std::shared_ptr<const ResultShape> shape,
                   std::string sql, std::string parameters)
    : conn_(conn),
      result_(std::move(first)),
      shape_(std::move(shape)),
      rows_(PQntuples(result_.get())),
      sql_(std::move(sql)),
      parameters_(std::move(parameters)) {}

PgCursor::~PgCursor() { close_deferring(); }

const std::vector<std::string>& PgCursor::column_names() const {
  static const std::vector<std::string> kNone;
  return shape_ != nullptr ? shape_->names : kNone;
}

bool PgCursor::fetch(std::vector<Value>& row) {
  if (!next_row()) return false;
  const std::size_t columns = shape_->kinds.size();
  row.resize(columns);
  for (std::size_t c = 0; c < columns; ++c) decode_cell(row_, c, row[c]);
  ++row_;
  return true;
}

bool PgCursor::advance() {
  if (!next_row()) return false;
  current_ = row_++;
  return true;
}

const char* PgCursor::typed_cell(std::size_t index, ColumnKind kind, int& length) const {
  const PGresult* r = result_.get();
  const int col = static_cast<int>(index);
  if (r == nullptr || !shape_->binary || index >= shape_->kinds.size() ||
      shape_->kinds[index] != kind || PQgetisnull(r, current_, col)) {
    return nullptr;
  }
  length = PQgetlength(r, current_, col);
  return PQgetvalue(r, current_, col);
}

bool PgCursor::read_int64(std::size_t index, std::int64_t& out) {
  int length = 0;
  const char* data = typed_cell(index, ColumnKind::kInteger, length);
  return data != nullptr && int64_from_cell(data, length, out);
}

bool PgCursor::read_double(std::size_t index, double& out) {
  int length = 0;
  const char* data = typed_cell(index, ColumnKind::kFloat, length);
  return data != nullptr && double_from_cell(data, length, out);
}

bool PgCursor::read_text(std::size_t index, std::string& out) {
  int length = 0;
  const char* data = typed_cell(index, ColumnKind::kText, length);
  if (data == nullptr) return false;
  store_text(out, text_of_cell(data, length));
  return true;
}

std::uint64_t PgCursor::read_fields(std::span<const driver::FieldTarget> targets) {
  using Kind = driver::FieldTarget::Kind;
  const PGresult* r = result_.get();
  if (r == nullptr || !shape_->binary || targets.size() > shape_->kinds.size()) {
    return read_each_field(*this, targets);  // text results or too few columns: none stored
  }
  // The typed_cell checks, once per row.
  const ColumnKind* kinds = shape_->kinds.data();
  const int row = current_;
  std::uint64_t unread = 0;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const driver::FieldTarget& target = targets[i];
    const int col = static_cast<int>(i);
    const ColumnKind wanted = target.kind == Kind::kInt64    ? ColumnKind::kInteger
                              : target.kind == Kind::kDouble ? ColumnKind::kFloat
                              : target.kind == Kind::kText   ? ColumnKind::kText
                                                             : ColumnKind::kOther;
    bool stored = false;
    if (wanted != ColumnKind::kOther && kinds[i] == wanted && PQgetisnull(r, row, col) == 0) {
      const char* data = PQgetvalue(r, row, col);
      const int length = PQgetlength(r, row, col);
      if (wanted == ColumnKind::kInteger) {
        stored = int64_from_cell(data, length, *static_cast<std::int64_t*>(target.out));
      } else if (wanted == ColumnKind::kFloat) {
        stored = double_from_cell(data, length, *static_cast<double*>(target.out));
      } else {
        store_text(*static_cast<std::string*>(target.out), text_of_cell(data, length));
        stored = true;
      }
    }
    if (!stored) unread |= std::uint64_t{1} << i;
  }
  return unread;
}

void PgCursor::read_value(std::size_t index, Value& out) {
  if (result_ == nullptr || index >= shape_->kinds.size()) {
    DBAPIError::Details details;
    details.message = "no column " + std::to_string(index) + " in the current row";
    throw InterfaceError(std::move(details));
  }
  decode_cell(current_, index, out);
}

void PgCursor::decode_cell(int row, std::size_t column, Value& out) const {
  const PGresult* r = result_.get();
  const int col = static_cast<int>(column);
  if (PQgetisnull(r, row, col)) {
    out.emplace<Null>();
  } else if (shape_->binary) {
    decode_binary(shape_->kinds[column], PQgetvalue(r, row, col), PQgetlength(r, row, col), out);
  } else {
    decode_text(shape_->kinds[column], PQgetvalue(r, row, col), PQgetlength(r, row, col), out);
  }
}

bool PgCursor::next_row() {
  if (result_ == nullptr) return false;
  if (row_ >= rows_) {
    if (conn_ == nullptr) return false;
    // Streaming: the next single-row result, or the end of the query.
    PgConnection* conn = conn_;
    ResultPtr next(PQgetResult(conn->conn_));
    const ExecStatusType status = next != nullptr ? PQresultStatus(next.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_SINGLE_TUPLE) {
      result_ = std::move(next);
      row_ = 0;
      rows_ = PQntuples(result_.get());
    } else if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
      finish_stream(next.get());
      return false;
    } else {
      std::string sql = std::move(sql_);
      std::string parameters = std::move(parameters_);
      finish_stream(nullptr);
      conn->fail_rendered(next.get(), sql, std::move(parameters));
    }
  }
  return true;
}

void PgCursor::finish_stream(const PGresult* last) noexcept {
  if (last != nullptr) rowcount_ = affected_rows(last);
  (void)drain();  // after the query's last result: nothing but the end follows
  result_.reset();
  row_ = rows_ = 0;
}

std::optional<DBAPIError::Details> PgCursor::drain() noexcept {
  if (conn_ == nullptr) return std::nullopt;
  std::optional<DBAPIError::Details> error;
  while (PGresult* r = PQgetResult(conn_->conn_)) {
    const ExecStatusType status = PQresultStatus(r);
    if (status == PGRES_TUPLES_OK) {
      rowcount_ = affected_rows(r);
    } else if (status != PGRES_SINGLE_TUPLE && status != PGRES_COMMAND_OK && !error) {
      // The query failed on a row nobody read: its error is the statement's.
      error = error_details(conn_->conn_, r, sql_, parameters_);
    }
    PQclear(r);
  }
  detach();
  return error;
}

void PgCursor::detach() noexcept {
  if (conn_ != nullptr && conn_->active_stream_ == this) conn_->active_stream_ = nullptr;
  conn_ = nullptr;
}

void PgCursor::close() {
  PgConnection* conn = conn_;
  std::optional<DBAPIError::Details> error = drain();
  result_.reset();
  row_ = rows_ = 0;
  if (error) {
    if (error->connection_invalidated) conn->broken_ = true;
    raise_error(std::move(*error));
  }
}

void PgCursor::close_deferring() noexcept {
  PgConnection* conn = conn_;
  std::optional<DBAPIError::Details> error = drain();
  result_.reset();
  row_ = rows_ = 0;
  if (error) conn->defer_error(std::move(*error));
}

// ---- PgConnection: connecting ---------------------------------------------------------------

std::unique_ptr<PgConnection> PgConnection::open(const URL& url) {
  const ConnectSettings settings = connect_settings(url);

  std::vector<const char*> keywords;
  std::vector<const char*> values;
  keywords.reserve(settings.size() + 1);
  values.reserve(settings.size() + 1);
  for (const auto& [key, value] : settings) {
    keywords.push_back(key.c_str());
    values.push_back(value.c_str());
  }
  keywords.push_back(nullptr);
  values.push_back(nullptr);

  PGconn* conn = PQconnectdbParams(keywords.data(), values.data(), /*expand_dbname=*/0);
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    DBAPIError::Details details = error_details(conn, nullptr, {}, {});
    details.connection_invalidated = false;  // there never was a connection to invalidate
    if (conn != nullptr) PQfinish(conn);
    throw OperationalError(std::move(details));
  }
  PQsetNoticeProcessor(conn, &no_notices, nullptr);
  return std::unique_ptr<PgConnection>(new PgConnection(conn));
}

PgConnection::~PgConnection() {
  if (active_stream_ != nullptr) active_stream_->detach();
  PQfinish(conn_);
}

bool PgConnection::is_broken() const noexcept {
  if (broken_ || PQstatus(conn_) == CONNECTION_BAD) return true;
  // An idle connection receives nothing but notices and notifications, unless the server went
  // away: a shutdown or a terminated backend sends a last error message and closes the socket.
  // Reading what is pending tells (PQconsumeInput fails on end of file, which may take a second
  // read after the message), so a pool checkout spots a dead connection without a round trip.
  if (active_stream_ == nullptr && PQisBusy(conn_) == 0 &&
      PQpipelineStatus(conn_) == PQ_PIPELINE_OFF) {
    for (int reads = 0; reads < 4; ++reads) {
      pollfd fd{PQsocket(conn_), POLLIN, 0};
      if (fd.fd < 0 || ::poll(&fd, 1, 0) <= 0) break;
      if (PQconsumeInput(conn_) == 0) return true;
    }
  }
  return PQstatus(conn_) == CONNECTION_BAD;
}

std::string PgConnection::server_version() const {
  const int v = PQserverVersion(conn_);
  if (v >= 100000) return std::to_string(v / 10000) + "." + std::to_string(v % 10000);
  return std::to_string(v / 10000) + "." + std::to_string(v / 100 % 100) + "." +
         std::to_string(v % 100);
}

bool PgConnection::ping() noexcept {
  if (is_broken()) return false;
  abandon_active_stream(/*keep_error=*/true);
  // An empty query is answered even inside a failed transaction.
  PGresult* r = PQexec(conn_, "");
  const bool ok = r != nullptr && PQresultStatus(r) == PGRES_EMPTY_QUERY;
  PQclear(r);
  if (PQstatus(conn_) == CONNECTION_BAD) broken_ = true;
  return ok && !broken_;
}

// ---- PgConnection: errors -------------------------------------------------------------------

void PgConnection::fail(const PGresult* result, std::string_view sql,
                        std::span<const Value> params) {
  fail_rendered(result, sql, render(params));
}

void PgConnection::fail_rendered(const PGresult* result, std::string_view sql,
                                 std::string parameters) {
  DBAPIError::Details details = error_details(conn_, result, sql, std::move(parameters));
  if (details.connection_invalidated) broken_ = true;
  raise_error(std::move(details));
}

void PgConnection::check_usable(std::string_view sql) const {
  // Only what is already known: probing the socket here would cost a system call per statement.
  if (!broken_ && PQstatus(conn_) != CONNECTION_BAD) return;
  DBAPIError::Details details;
  details.message = "the connection to the server was lost; it cannot be used any more";
  details.sql = std::string(sql);
  details.connection_invalidated = true;
  raise_error(std::move(details));
}

void PgConnection::finish_active_stream() {
  if (active_stream_ != nullptr) active_stream_->close();
  if (pending_error_) [[unlikely]] {
    DBAPIError::Details details = std::move(*pending_error_);
    pending_error_.reset();
    raise_error(std::move(details));
  }
}

void PgConnection::abandon_active_stream(bool keep_error) noexcept {
  if (active_stream_ != nullptr) active_stream_->close_deferring();
  if (!keep_error) pending_error_.reset();
}

void PgConnection::defer_error(DBAPIError::Details details) noexcept {
  if (details.connection_invalidated) broken_ = true;
  if (!pending_error_) pending_error_ = std::move(details);
}

// ---- PgConnection: statement cache ----------------------------------------------------------

PgConnection::PreparedStatement& PgConnection::statement_for(
    const std::string& sql, std::span<const Oid> oids, std::span<const Value> params_for_errors) {
  if (auto found = statement_index_.find(sql); found != statement_index_.end()) {
    statements_.splice(statements_.begin(), statements_, found->second);
    return *found->second;
  }
  flush_pending_deallocations();
  std::string name = "athanor_" + std::to_string(++statement_counter_);
  // Parse and Describe in one round trip: the description gives the result columns' types
  // before the first execution, which picks the result format.
  if (PQenterPipelineMode(conn_) == 0) fail(nullptr, sql, params_for_errors);
  const bool sent = PQsendPrepare(conn_, name.c_str(), sql.c_str(), static_cast<int>(oids.size()),
                                  oids.data()) != 0 &&
                    PQsendDescribePrepared(conn_, name.c_str()) != 0 && PQpipelineSync(conn_) != 0;
  ResultPtr prepared;
  ResultPtr described;
  if (sent) {
    read_pipeline_results(conn_, [&](ResultPtr r) {
      if (prepared == nullptr) {
        prepared = std::move(r);
      } else if (described == nullptr) {
        described = std::move(r);
      }
    });
  }
  PQexitPipelineMode(conn_);
  if (prepared == nullptr || PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) {
    fail(prepared.get(), sql, params_for_errors);
  }
  if (described == nullptr || PQresultStatus(described.get()) != PGRES_COMMAND_OK) {
    fail(described.get(), sql, params_for_errors);
  }
  std::shared_ptr<const ResultShape> shape;
  if (PQnfields(described.get()) > 0) shape = ResultShape::of(described.get(), true);
  statements_.push_front(PreparedStatement{
      sql, std::move(name), std::vector<Oid>(oids.begin(), oids.end()), std::move(shape)});
  statement_index_.emplace(statements_.front().sql, statements_.begin());
  if (statements_.size() > kStatementCacheSize) evict(std::prev(statements_.end()));
  return statements_.front();
}

void PgConnection::evict(StatementList::iterator it) noexcept {
  statement_index_.erase(it->sql);
  deallocate(it->name);
  statements_.erase(it);
}

void PgConnection::deallocate(const std::string& name) noexcept {
  if (is_broken()) return;
  try {
    if (PQtransactionStatus(conn_) == PQTRANS_INERROR) {
      // A failed transaction rejects DEALLOCATE; do it once the transaction has ended.
      pending_deallocate_.push_back(name);
      return;
    }
    PQclear(PQexec(conn_, ("DEALLOCATE " + name).c_str()));
  } catch (...) {
    // Out of memory while building the command: the statement just stays on the server.
  }
}

void PgConnection::flush_pending_deallocations() noexcept {
  if (pending_deallocate_.empty() || is_broken() || PQtransactionStatus(conn_) == PQTRANS_INERROR) {
    return;
  }
  try {
    std::string sql;
    for (const std::string& name : pending_deallocate_) sql += "DEALLOCATE " + name + ";";
    PQclear(PQexec(conn_, sql.c_str()));
  } catch (...) {
  }
  pending_deallocate_.clear();
}

void PgConnection::clear_statement_cache() noexcept {
  if (statements_.empty()) return;
  statement_index_.clear();
  if (!is_broken() && PQtransactionStatus(conn_) != PQTRANS_INERROR) {
    PQclear(PQexec(conn_, "DEALLOCATE ALL"));
    pending_deallocate_.clear();
  } else {
    try {
      for (const PreparedStatement& s : statements_) pending_deallocate_.push_back(s.name);
    } catch (...) {
    }
  }
  statements_.clear();
}

// ---- PgConnection: execution ----------------------------------------------------------------

std::unique_ptr<driver::Cursor> PgConnection::execute(const std::string& sql,
                                                      std::span<const Value> params,
                                                      const driver::ExecuteOptions& options) {
  check_usable(sql);
  finish_active_stream();
  PreparedStatement* statement = nullptr;
  const std::string_view keyword = leading_keyword(sql);
  if (is_cacheable(keyword)) {
    oid_scratch_.resize(params.size());
    std::transform(params.begin(), params.end(), oid_scratch_.begin(), natural_oid);
    statement = &statement_for(sql, oid_scratch_, params);
  }
  if (options.stream_results) return execute_streaming(statement, sql, params);
  auto cursor = execute_buffered(statement, sql, params);
  if (statement == nullptr && invalidates_statements(keyword)) clear_statement_cache();
  return cursor;
}

std::unique_ptr<driver::Cursor> PgConnection::execute_buffered(PreparedStatement* statement,
                                                               const std::string& sql,
                                                               std::span<const Value> params) {
  ResultPtr result;
  if (statement != nullptr) {
    encoder_.encode(params, statement->param_oids);
    if (begin_pending_) {
      result = execute_after_begin(statement, sql, params);
    } else {
      result.reset(PQexecPrepared(conn_, statement->name.c_str(), encoder_.count(),
                                  encoder_.values(), encoder_.lengths(), encoder_.formats(),
                                  result_format(statement)));
    }
  } else if (params.empty()) {
    // The simple protocol, which also runs several ';'-separated statements; it cannot share a
    // pipeline with a deferred BEGIN.
    flush_begin();
    result.reset(PQexec(conn_, sql.c_str()));
  } else {
    oid_scratch_.resize(params.size());
    std::transform(params.begin(), params.end(), oid_scratch_.begin(), natural_oid);
    encoder_.encode(params, oid_scratch_);
    if (begin_pending_) {
      result = execute_after_begin(nullptr, sql, params);
    } else {
      result.reset(PQexecParams(conn_, sql.c_str(), encoder_.count(), oid_scratch_.data(),
                                encoder_.values(), encoder_.lengths(), encoder_.formats(),
                                /*resultFormat=*/0));
    }
  }
  const ExecStatusType status =
      result != nullptr ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  std::shared_ptr<const ResultShape> shape;
  switch (status) {
    case PGRES_TUPLES_OK:
      if (statement != nullptr && statement->shape != nullptr) {
        shape = statement->shape;
      } else {
        shape = ResultShape::of(result.get(), false);
      }
      break;
    case PGRES_COMMAND_OK:
    case PGRES_EMPTY_QUERY:
      break;
    case PGRES_COPY_IN:
    case PGRES_COPY_OUT:
    case PGRES_COPY_BOTH: {
      // COPY needs its own data protocol; end it so the connection stays usable.
      if (status != PGRES_COPY_OUT) PQputCopyEnd(conn_, "COPY is not supported by execute()");
      char* buffer = nullptr;
      while (status != PGRES_COPY_IN && PQgetCopyData(conn_, &buffer, 0) > 0) PQfreemem(buffer);
      while (PGresult* r = PQgetResult(conn_)) PQclear(r);
      DBAPIError::Details details;
      details.message = "COPY ... FROM STDIN / TO STDOUT is not supported by execute()";
      details.sql = sql;
      details.sqlstate = "0A000";
      raise_error(std::move(details));
    }
    default:
      if (statement != nullptr && is_stale_statement_error(result.get())) {
        auto it = statement_index_.find(statement->sql);
        if (it != statement_index_.end()) evict(it->second);
      }
      fail(result.get(), sql, params);
  }
  return std::make_unique<PgCursor>(std::move(result), std::move(shape));
}

ResultPtr PgConnection::execute_after_begin(const PreparedStatement* statement,
                                            const std::string& sql, std::span<const Value> params) {
  begin_pending_ = false;
  if (PQenterPipelineMode(conn_) == 0) fail(nullptr, "BEGIN", {});
  bool sent = PQsendQueryParams(conn_, "BEGIN", 0, nullptr, nullptr, nullptr, nullptr, 0) != 0;
  if (sent && statement != nullptr) {
    sent =
        PQsendQueryPrepared(conn_, statement->name.c_str(), encoder_.count(), encoder_.values(),
                            encoder_.lengths(), encoder_.formats(), result_format(statement)) != 0;
  } else if (sent) {
    sent = PQsendQueryParams(conn_, sql.c_str(), encoder_.count(), oid_scratch_.data(),
                             encoder_.values(), encoder_.lengths(), encoder_.formats(), 0) != 0;
  }
  sent = sent && PQpipelineSync(conn_) != 0;

  // Results: BEGIN's, the statement's, then the sync point; a null ends each query's results.
  ResultPtr begin_result;
  ResultPtr result;
  if (sent) {
    read_pipeline_results(conn_, [&](ResultPtr r) {
      if (begin_result == nullptr) {
        begin_result = std::move(r);
      } else if (result == nullptr) {
        result = std::move(r);
      }
    });
  }
  PQexitPipelineMode(conn_);
  if (begin_result == nullptr) fail(nullptr, "BEGIN", {});
  if (PQresultStatus(begin_result.get()) != PGRES_COMMAND_OK) fail(begin_result.get(), "BEGIN", {});
  if (result == nullptr) fail(nullptr, sql, params);
  return result;
}

void PgConnection::flush_begin() {
  if (!begin_pending_) return;
  begin_pending_ = false;
  run_command("BEGIN");
}

std::unique_ptr<driver::Cursor> PgConnection::execute_streaming(PreparedStatement* statement,
                                                                const std::string& sql,
                                                                std::span<const Value> params) {
  flush_begin();
  int sent = 0;
  if (statement != nullptr) {
    encoder_.encode(params, statement->param_oids);
    sent = PQsendQueryPrepared(conn_, statement->name.c_str(), encoder_.count(), encoder_.values(),
                               encoder_.lengths(), encoder_.formats(), result_format(statement));
  } else {
    oid_scratch_.resize(params.size());
    std::transform(params.begin(), params.end(), oid_scratch_.begin(), natural_oid);
    encoder_.encode(params, oid_scratch_);
    sent = PQsendQueryParams(conn_, sql.c_str(), encoder_.count(), oid_scratch_.data(),
                             encoder_.values(), encoder_.lengths(), encoder_.formats(), 0);
  }
  if (sent == 0) fail(nullptr, sql, params);
  PQsetSingleRowMode(conn_);  // when refused, the whole result simply arrives at once

  ResultPtr first(PQgetResult(conn_));
  const ExecStatusType status = first != nullptr ? PQresultStatus(first.get()) : PGRES_FATAL_ERROR;
  std::shared_ptr<const ResultShape> shape;
  if (status == PGRES_SINGLE_TUPLE || status == PGRES_TUPLES_OK) {
    if (statement != nullptr && statement->shape != nullptr) {
      shape = statement->shape;
    } else {
      shape = ResultShape::of(first.get(), false);
    }
  }
  if (status == PGRES_SINGLE_TUPLE) {
    auto cursor =
        std::make_unique<PgCursor>(this, std::move(first), std::move(shape), sql, render(params));
    active_stream_ = cursor.get();
    return cursor;
  }
  while (PGresult* r = PQgetResult(conn_)) PQclear(r);
  if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK || status == PGRES_EMPTY_QUERY) {
    return std::make_unique<PgCursor>(std::move(first), std::move(shape));
  }
  if (statement != nullptr && is_stale_statement_error(first.get())) {
    auto it = statement_index_.find(statement->sql);
    if (it != statement_index_.end()) evict(it->second);
  }
  fail(first.get(), sql, params);
}

std::int64_t PgConnection::execute_many(const std::string& sql,
                                        std::span<const std::vector<Value>> rows) {
  check_usable(sql);
  finish_active_stream();
  if (rows.empty()) return 0;

  // Prepare with, per position, the type of the first non-null value in any row.
  const std::size_t width = rows.front().size();
  oid_scratch_.assign(width, kUnknownOid);
  std::size_t unresolved = width;
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < width && i < row.size(); ++i) {
      if (oid_scratch_[i] == kUnknownOid && !std::holds_alternative<Null>(row[i])) {
        oid_scratch_[i] = natural_oid(row[i]);
        if (oid_scratch_[i] != kUnknownOid) --unresolved;
      }
    }
    if (unresolved == 0) break;
  }
  PreparedStatement& statement = statement_for(sql, oid_scratch_, rows.front());
  flush_begin();

  if (PQenterPipelineMode(conn_) == 0) fail(nullptr, sql, rows.front());

  std::int64_t total = 0;
  std::size_t next = 0;   // next row to send
  std::size_t acked = 0;  // rows whose result has been read
  int syncs_pending = 0;
  bool send_failed = false;
  ResultPtr first_error;
  std::size_t error_row = 0;

  auto send_batch = [&] {
    const std::size_t end = std::min(next + kPipelineBatch, rows.size());
    for (; next < end; ++next) {
      encoder_.encode(rows[next], statement.param_oids);
      if (PQsendQueryPrepared(conn_, statement.name.c_str(), encoder_.count(), encoder_.values(),
                              encoder_.lengths(), encoder_.formats(), 0) == 0) {
        send_failed = true;
        return;
      }
    }
    if (PQpipelineSync(conn_) == 0) {
      send_failed = true;
      return;
    }
    ++syncs_pending;
  };
  // Reads the results up to and including the next sync point. False when the connection
  // cannot deliver them.
  auto read_batch = [&]() -> bool {
    int consecutive_nulls = 0;
    while (true) {
      ResultPtr r(PQgetResult(conn_));
      if (r == nullptr) {
        // One null ends each query's results; two in a row mean nothing more is coming.
        if (PQstatus(conn_) == CONNECTION_BAD || ++consecutive_nulls > 1) return false;
        continue;
      }
      consecutive_nulls = 0;
      switch (PQresultStatus(r.get())) {
        case PGRES_PIPELINE_SYNC:
          --syncs_pending;
          return true;
        case PGRES_COMMAND_OK:
        case PGRES_TUPLES_OK:
          if (std::int64_t n = affected_rows(r.get()); n > 0) total += n;
          ++acked;
          break;
        case PGRES_PIPELINE_ABORTED:
          ++acked;
          break;
        default:
          if (first_error == nullptr) {
            first_error = std::move(r);
            error_row = acked;
          }
          ++acked;
          break;
      }
    }
  };

  send_batch();
  bool readable = true;
  while (!send_failed && readable && syncs_pending > 0) {
    if (next < rows.size() && first_error == nullptr) send_batch();
    if (send_failed) break;
    readable = read_batch();
  }
  while (readable && syncs_pending > 0) readable = read_batch();
  if (PQexitPipelineMode(conn_) == 0 && PQstatus(conn_) != CONNECTION_BAD) {
    // Results still pending although every sync was read: the connection cannot be trusted.
    broken_ = true;
  }

  if (first_error != nullptr) {
    fail(first_error.get(), sql, rows[std::min(error_row, rows.size() - 1)]);
  }
  if (send_failed || !readable || broken_)
    fail(nullptr, sql, rows[std::min(acked, rows.size() - 1)]);
  return total;
}

// ---- PgConnection: transactions -------------------------------------------------------------

void PgConnection::run_command(const char* sql) {
  check_usable(sql);
  finish_active_stream();
  ResultPtr result(PQexec(conn_, sql));
  if (result == nullptr || PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    fail(result.get(), sql, {});
  }
}

void PgConnection::begin() {
  if (autocommit_) return;
  check_usable("BEGIN");
  if (begin_pending_ || PQtransactionStatus(conn_) != PQTRANS_IDLE) {
    run_command("BEGIN");  // let the server answer as it does for a nested BEGIN
    return;
  }
  // Sent with the transaction's first statement, saving a round trip per transaction.
  begin_pending_ = true;
}

void PgConnection::commit() {
  finish_active_stream();  // raises an error a statement left pending: nothing is committed
  if (autocommit_) return;
  if (begin_pending_) {  // nothing ran: there is nothing to commit
    begin_pending_ = false;
    return;
  }
  check_usable("COMMIT");
  finish_active_stream();
  ResultPtr result(PQexec(conn_, "COMMIT"));
  if (result == nullptr || PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    fail(result.get(), "COMMIT", {});
  }
  flush_pending_deallocations();
  // The server answers COMMIT of a transaction aborted by an earlier error with a ROLLBACK.
  // Saying nothing would let the caller believe its changes were stored.
  if (std::string_view(PQcmdStatus(result.get())) == "ROLLBACK") {
    DBAPIError::Details details;
    details.message =
        "the transaction was aborted by an earlier error and has been rolled back instead of "
        "committed";
    details.sql = "COMMIT";
    details.sqlstate = "25P02";
    raise_error(std::move(details));
  }
}

void PgConnection::rollback() {
  // An error not raised yet goes with the transaction it spoiled.
  abandon_active_stream(/*keep_error=*/false);
  if (autocommit_) return;
  if (begin_pending_) {
    begin_pending_ = false;
    return;
  }
  run_command("ROLLBACK");
  flush_pending_deallocations();
}

void PgConnection::savepoint(const std::string& name) {
  flush_begin();
  run_command(("SAVEPOINT " + quote_savepoint(name)).c_str());
}

void PgConnection::release_savepoint(const std::string& name) {
  run_command(("RELEASE SAVEPOINT " + quote_savepoint(name)).c_str());
}

void PgConnection::rollback_to_savepoint(const std::string& name) {
  run_command(("ROLLBACK TO SAVEPOINT " + quote_savepoint(name)).c_str());
}

void PgConnection::set_isolation_level(std::string_view level) {
  autocommit_ = level == "AUTOCOMMIT";
  if (autocommit_ || level == isolation_) return;
  if (level.empty()) {
    run_command("RESET default_transaction_isolation");
  } else {
    std::string sql = "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL ";
    sql += level;
    run_command(sql.c_str());
  }
  isolation_ = level;
}

}  // namespace athanor::detail::pg
