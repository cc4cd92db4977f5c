// Athanor Core, mysql dialect: the driver over the MariaDB Connector/C (see mysql_driver.hpp).
// URLs are parsed in mysql_url.cpp, errors translated in mysql_errors.cpp.
//
// Statements run as server-side prepared statements (binary protocol), cached per connection by
// SQL text in an LRU of kStatementCacheSize entries. Parameters are bound straight from the
// caller's Values (no text formatting); results are bound into per-statement buffers chosen from
// the result metadata and converted into Values row by row as the caller fetches them (the
// result set is streamed, never stored client-side). execute_many uses MariaDB's bulk protocol
// (one round trip for a whole array of parameter rows) when the server offers it.
//
// Connection state:
//   open --statement fails with a lost-connection error--> broken (is_broken(); every further
//        call raises OperationalError with connection_invalidated)
//   open --execute() of a statement returning rows--> open with an active cursor; the next call
//        of any kind on the connection first closes (drains) that cursor
// `dirty_` records whether any statement ran since the last commit/rollback; with autocommit off
// nothing can be pending on the server otherwise, so commit() and rollback() skip the round trip.
//
// Late errors: a statement that returns rows (a SELECT, an INSERT/UPDATE ... RETURNING) may fail
// after its result set began, on a row not sent yet: the server then sends an error packet in
// place of the next row. Connector/C reads it into the connection handle, not the statement
// handle (mysql_stmt_fetch returns 1 and mysql_stmt_errno stays 0), and mysql_stmt_free_result
// reads it while discarding the rest of the rows without reporting it at all. statement_error()
// therefore falls back to the connection handle, and closing a cursor checks the connection
// handle after discarding: close() raises that error; a cursor destroyed unclosed leaves it
// pending, and the connection raises it (with the statement's SQL and parameters) at its next
// call of any kind except rollback(), so that a statement whose failure nobody read can never be
// followed by a COMMIT.
#include "core/dialects/mysql/mysql_driver.hpp"

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <limits>
#include <list>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "athanor/core/error.hpp"
#include "core/dialects/mysql/mysql_errors.hpp"

namespace athanor::detail::mysql {

namespace {

constexpr std::size_t kStatementCacheSize = 128;
constexpr unsigned int kBinaryCharset = 63;  // the "binary" character set: bytes, not text
// First buffer size for variable-length result columns; grown on demand, per statement.
constexpr unsigned long kMinTextBuffer = 64;
constexpr unsigned long kMaxInitialTextBuffer = 1024;
// Buffers grown beyond this are shrunk back when their cursor closes, so one huge value does not
// stay pinned in the statement cache.
constexpr std::size_t kRetainedBufferLimit = std::size_t{64} * 1024;
// Upper bound on the parameter bytes of one bulk execution; well below the servers' default
// max_allowed_packet (16 MiB on MariaDB).
constexpr std::size_t kBulkByteBudget = std::size_t{4} * 1024 * 1024;

void ensure_library_initialized() {
  static std::once_flag once;
  std::call_once(once, [] { mysql_library_init(0, nullptr, nullptr); });
}

NativeError connection_error(MYSQL* mysql) {
  return NativeError{mysql_errno(mysql), mysql_error(mysql), mysql_sqlstate(mysql)};
}

// The error of the last call on `stmt`. Connector/C records an error packet that arrives while
// rows are being read (mysql_stmt_fetch of an unbuffered result) on the connection handle only:
// the statement handle then reports none, and the connection's is the one.
NativeError statement_error(MYSQL_STMT* stmt) {
  if (mysql_stmt_errno(stmt) != 0) {
    return NativeError{mysql_stmt_errno(stmt), mysql_stmt_error(stmt), mysql_stmt_sqlstate(stmt)};
  }
  if (stmt->mysql == nullptr) {  // the connection was closed under the statement
    return NativeError{CR_SERVER_LOST, "the connection to the MySQL server was closed", "HY000"};
  }
  return connection_error(stmt->mysql);
}

// Savepoint names are identifiers: backtick-quoted, embedded backticks doubled.
std::string quote_savepoint(const std::string& name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  out += '`';
  return out;
}

// The first keyword of `sql`, upper-cased (leading blanks and comments skipped).
std::string_view first_keyword(std::string_view sql, char (&buffer)[16]) {
  std::size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(') {
      ++i;
    } else if (sql.substr(i, 2) == "/*") {
      const std::size_t end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? sql.size() : end + 2;
    } else if (sql.substr(i, 2) == "--" || c == '#') {
      const std::size_t end = sql.find('\n', i);
      i = end == std::string_view::npos ? sql.size() : end + 1;
    } else {
      break;
    }
  }
  std::size_t n = 0;
  while (i < sql.size() && n < sizeof buffer &&
         std::isalpha(static_cast<unsigned char>(sql[i])) != 0) {
    buffer[n++] = static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i++])));
  }
  return {buffer, n};
}

// Statements that only read, and may therefore run a second time.
bool is_read_only(std::string_view sql) {
  char buffer[16];
  const std::string_view word = first_keyword(sql, buffer);
  return word == "SELECT" || word == "WITH" || word == "SHOW" || word == "VALUES" ||
         word == "TABLE" || word == "EXPLAIN" || word == "DESCRIBE" || word == "DESC";
}

// DDL, after which prepared statements may describe tables that changed.
bool changes_schema(std::string_view sql) {
  char buffer[16];
  const std::string_view word = first_keyword(sql, buffer);
  return word == "CREATE" || word == "ALTER" || word == "DROP" || word == "RENAME" ||
         word == "TRUNCATE";
}

// ---- date and time conversions ------------------------------------------------------------------

MYSQL_TIME make_mysql_time(std::chrono::sys_days day, std::chrono::microseconds time_of_day,
                           enum_mysql_timestamp_type type) {
  const std::chrono::year_month_day ymd{day};
  MYSQL_TIME t{};
  // In range: checked by temporal_range_error() before binding.
  t.year = static_cast<unsigned int>(static_cast<int>(ymd.year()));
  t.month = static_cast<unsigned int>(ymd.month());
  t.day = static_cast<unsigned int>(ymd.day());
  const std::chrono::hh_mm_ss<std::chrono::microseconds> hms{time_of_day};
  t.hour = static_cast<unsigned int>(hms.hours().count());
  t.minute = static_cast<unsigned int>(hms.minutes().count());
  t.second = static_cast<unsigned int>(hms.seconds().count());
  t.second_part = static_cast<unsigned long>(hms.subseconds().count());
  t.time_type = type;
  return t;
}

MYSQL_TIME to_mysql_time(std::chrono::sys_days day) {
  return make_mysql_time(day, std::chrono::microseconds{0}, MYSQL_TIMESTAMP_DATE);
}

MYSQL_TIME to_mysql_time(Timestamp ts) {
  const auto day = std::chrono::floor<std::chrono::days>(ts);
  return make_mysql_time(day, ts - day, MYSQL_TIMESTAMP_DATETIME);
}

MYSQL_TIME to_mysql_time(LocalTimestamp ts) {
  const auto day = std::chrono::floor<std::chrono::days>(ts);
  return make_mysql_time(std::chrono::sys_days{day.time_since_epoch()}, ts - day,
                         MYSQL_TIMESTAMP_DATETIME);
}

MYSQL_TIME to_mysql_time(TimeOfDay t) {
  MYSQL_TIME out{};
  auto us = t.since_midnight;
  if (us < std::chrono::microseconds{0}) {
    out.neg = 1;
    us = -us;
  }
  // TIME spans -838:59:59..838:59:59; hours beyond 24 are legal and the server range-checks.
  out.hour = static_cast<unsigned int>(std::chrono::floor<std::chrono::hours>(us).count());
  out.minute = static_cast<unsigned int>(
      (std::chrono::floor<std::chrono::minutes>(us) % std::chrono::hours{1}).count());
  out.second = static_cast<unsigned int>(
      (std::chrono::floor<std::chrono::seconds>(us) % std::chrono::minutes{1}).count());
  out.second_part = static_cast<unsigned long>((us % std::chrono::seconds{1}).count());
  out.time_type = MYSQL_TIMESTAMP_TIME;
  return out;
}

// Why `value` cannot be sent as a MySQL temporal value, if it cannot: the server would store
// an out-of-range year or time silently clamped or zeroed instead of refusing it. (Instants are
// checked in UTC, the wall clock they are stored as.)
std::optional<std::string> temporal_range_error(const Value& value) {
  auto day_error = [&](std::chrono::sys_days day) -> std::optional<std::string> {
    const int year = static_cast<int>(std::chrono::year_month_day{day}.year());
    if (year >= 0 && year <= 9999) return std::nullopt;
    return std::string(value_kind(value)) + " " + render_value(value) + ": year " +
           std::to_string(year) + " is outside the range of MySQL dates (years 0 to 9999)";
  };
  switch (value.index()) {
    case 7:
      return day_error(std::get<std::chrono::sys_days>(value));
    case 8:
      return day_error(std::chrono::floor<std::chrono::days>(std::get<Timestamp>(value)));
    case 9: {
      const auto day = std::chrono::floor<std::chrono::days>(std::get<LocalTimestamp>(value));
      return day_error(std::chrono::sys_days{day.time_since_epoch()});
    }
    case 10: {
      constexpr auto kLimit = std::chrono::hours{839};  // TIME spans +-838:59:59.999999
      const auto t = std::get<TimeOfDay>(value).since_midnight;
      if (t < kLimit && t > -kLimit) return std::nullopt;
      return "time " + render_value(value) +
             " is outside the range of MySQL TIME (-838:59:59.999999 to 838:59:59.999999)";
    }
    default:
      return std::nullopt;
  }
}

[[noreturn]] void raise_range_error(std::string message, std::string_view sql,
                                    std::span<const Value> params) {
  DBAPIError::Details details;
  details.message = std::move(message);
  details.sql = std::string(sql);
  details.parameters = render_values(std::vector<Value>(params.begin(), params.end()));
  details.sqlstate = "22008";  // datetime field overflow
  throw DataError(std::move(details));
}

// Zero dates ('0000-00-00', or a zero month/day, which MySQL accepts outside NO_ZERO_DATE modes)
// have no calendar equivalent; they read as NULL, as in most MySQL client libraries.
std::optional<std::chrono::sys_days> calendar_day(const MYSQL_TIME& t) {
  const std::chrono::year_month_day ymd{std::chrono::year{static_cast<int>(t.year)},
                                        std::chrono::month{t.month}, std::chrono::day{t.day}};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days{ymd};
}

std::chrono::microseconds clock_time(const MYSQL_TIME& t) {
  return std::chrono::hours{t.hour} + std::chrono::minutes{t.minute} +
         std::chrono::seconds{t.second} + std::chrono::microseconds{t.second_part};
}

// ---- Value assignment that reuses the row's buffers ---------------------------------------------

void assign_text(Value& out, const char* data, std::size_t size) {
  if (auto* s = std::get_if<std::string>(&out)) {
    s->assign(data, size);
  } else {
    out.emplace<std::string>(data, size);
  }
}

void assign_bytes(Value& out, const char* data, std::size_t size) {
  const auto* begin = reinterpret_cast<const std::byte*>(data);
  if (auto* b = std::get_if<Bytes>(&out)) {
    b->assign(begin, begin + size);
  } else {
    out.emplace<Bytes>(begin, begin + size);
  }
}

void assign_unsigned(Value& out, std::uint64_t value) {
  if (value <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    out = static_cast<std::int64_t>(value);
  } else {
    // BIGINT UNSIGNED beyond INT64_MAX: exact, as decimal text.
    out = Decimal{std::to_string(value)};
  }
}

std::uint64_t big_endian_bits(const char* data, std::size_t size) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < size && i < 8; ++i) {
    value = (value << 8) | static_cast<unsigned char>(data[i]);
  }
  return value;
}

// FLOAT columns hold single-precision values; widen through the shortest decimal form so 0.1f
// reads back as 0.1, as it does through the text protocol and on the other backends.
double widen_float(float value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (ec != std::errc{}) return static_cast<double>(value);
  double out = 0;
  std::from_chars(buffer, end, out);
  return out;
}

// ---- parameter binding ------------------------------------------------------------------------

// How a Value is sent: the MySQL buffer type for its alternative (NULL has none of its own).
enum_field_types buffer_type_of(const Value& value) {
  switch (value.index()) {
    case 1:  // bool
      return MYSQL_TYPE_TINY;
    case 2:  // int64
      return MYSQL_TYPE_LONGLONG;
    case 3:  // double
      return MYSQL_TYPE_DOUBLE;
    case 5:  // Bytes
      return MYSQL_TYPE_BLOB;
    case 6:  // Decimal: sent as text, typed DECIMAL so the server keeps it exact
      return MYSQL_TYPE_NEWDECIMAL;
    case 7:  // sys_days
      return MYSQL_TYPE_DATE;
    case 8:  // Timestamp (UTC; the session time zone is UTC)
    case 9:  // LocalTimestamp
      return MYSQL_TYPE_DATETIME;
    case 10:  // TimeOfDay
      return MYSQL_TYPE_TIME;
    case 0:  // NULL
      return MYSQL_TYPE_NULL;
    default:  // string, UUID (36-character text), JSON (serialized text)
      return MYSQL_TYPE_STRING;
  }
}

// Scratch storage for the parameters of one execution, reused across executions. Fixed-size
// values that are not stored in the Value itself (bool as one byte, dates as MYSQL_TIME, UUID and
// JSON as text) live here; all other buffers point into the caller's Values.
class ParamBinder {
 public:
  // Prepares `count` bind slots.
  void reset(std::size_t count) {
    binds_.assign(count, MYSQL_BIND{});
    if (times_.size() < count) times_.resize(count);
    if (tinies_.size() < count) tinies_.resize(count);
    if (texts_.size() < count) texts_.resize(count);
  }

  // Points slot `i` at `value`. `text` replaces the serialized form of a JSON value (bulk
  // execution serializes ahead of time); otherwise JSON is serialized here, which throws
  // nlohmann::json::exception for invalid UTF-8.
  void fill(MYSQL_BIND& b, const Value& value, std::size_t i, const std::string* text = nullptr) {
    static char empty = 0;  // a valid address for zero-length strings
    b.buffer_type = buffer_type_of(value);
    switch (value.index()) {
      case 0:
        break;
      case 1:
        tinies_[i] = std::get<bool>(value) ? 1 : 0;
        b.buffer = &tinies_[i];
        break;
      case 2:
        b.buffer = const_cast<std::int64_t*>(&std::get<std::int64_t>(value));
        break;
      case 3:
        b.buffer = const_cast<double*>(&std::get<double>(value));
        break;
      case 4: {
        const auto& s = std::get<std::string>(value);
        set_chars(b, s.empty() ? &empty : const_cast<char*>(s.data()), s.size());
        break;
      }
      case 5: {
        const auto& bytes = std::get<Bytes>(value);
        set_chars(
            b,
            bytes.empty() ? &empty : reinterpret_cast<char*>(const_cast<std::byte*>(bytes.data())),
            bytes.size());
        break;
      }
      case 6: {
        const auto& d = std::get<Decimal>(value).text;
        set_chars(b, d.empty() ? &empty : const_cast<char*>(d.data()), d.size());
        break;
      }
      case 7:
        times_[i] = to_mysql_time(std::get<std::chrono::sys_days>(value));
        b.buffer = &times_[i];
        break;
      case 8:
        times_[i] = to_mysql_time(std::get<Timestamp>(value));
        b.buffer = &times_[i];
        break;
      case 9:
        times_[i] = to_mysql_time(std::get<LocalTimestamp>(value));
        b.buffer = &times_[i];
        break;
      case 10:
        times_[i] = to_mysql_time(std::get<TimeOfDay>(value));
        b.buffer = &times_[i];
        break;
      case 11:
        texts_[i] = std::get<UuidValue>(value).to_string();
        set_chars(b, texts_[i].data(), texts_[i].size());
        break;
      case 12:
        if (text != nullptr) {
          set_chars(b, text->empty() ? &empty : const_cast<char*>(text->data()), text->size());
        } else {
          texts_[i] = std::get<JsonDocument>(value).document.dump();
          set_chars(b, texts_[i].data(), texts_[i].size());
        }
        break;
      default:
        break;
    }
  }

  MYSQL_BIND* binds() noexcept { return binds_.data(); }
  MYSQL_BIND& operator[](std::size_t i) noexcept { return binds_[i]; }

 private:
  static void set_chars(MYSQL_BIND& b, char* data, std::size_t size) {
    b.buffer = data;
    b.buffer_length = static_cast<unsigned long>(size);
  }

  std::vector<MYSQL_BIND> binds_;
  std::vector<MYSQL_TIME> times_;
  std::vector<char> tinies_;
  std::vector<std::string> texts_;
};

// ---- result columns ---------------------------------------------------------------------------

enum class ColumnKind : std::uint8_t {
  kNull,       // MYSQL_TYPE_NULL (e.g. SELECT NULL)
  kInteger,    // TINY..LONGLONG, YEAR
  kFloat,      // FLOAT
  kDouble,     // DOUBLE
  kDecimal,    // DECIMAL / NEWDECIMAL, as text
  kText,       // character data
  kBytes,      // binary strings and BLOBs (character set "binary"), GEOMETRY
  kBit,        // BIT(n), as an integer
  kDate,       // DATE
  kDateTime,   // DATETIME: wall-clock time
  kTimestamp,  // TIMESTAMP: an instant, UTC in this session
  kTime,       // TIME
};

ColumnKind kind_of(const MYSQL_FIELD& field) {
  switch (field.type) {
    case MYSQL_TYPE_NULL:
      return ColumnKind::kNull;
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_YEAR:
      return ColumnKind::kInteger;
    case MYSQL_TYPE_FLOAT:
      return ColumnKind::kFloat;
    case MYSQL_TYPE_DOUBLE:
      return ColumnKind::kDouble;
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL:
      return ColumnKind::kDecimal;
    case MYSQL_TYPE_BIT:
      return ColumnKind::kBit;
    case MYSQL_TYPE_DATE:
    case MYSQL_TYPE_NEWDATE:
      return ColumnKind::kDate;
    case MYSQL_TYPE_DATETIME:
      return ColumnKind::kDateTime;
    case MYSQL_TYPE_TIMESTAMP:
      return ColumnKind::kTimestamp;
    case MYSQL_TYPE_TIME:
      return ColumnKind::kTime;
    case MYSQL_TYPE_GEOMETRY:
      return ColumnKind::kBytes;
    case MYSQL_TYPE_JSON:  // MySQL 8 reports JSON with the binary character set; it is text
      return ColumnKind::kText;
    default:  // VARCHAR, VAR_STRING, STRING, ENUM, SET, the BLOB/TEXT family
      return field.charsetnr == kBinaryCharset ? ColumnKind::kBytes : ColumnKind::kText;
  }
}

// One result column's output buffers, bound with mysql_stmt_bind_result.
struct ResultColumn {
  ColumnKind kind = ColumnKind::kNull;
  bool is_unsigned = false;
  std::int64_t integer = 0;
  float single = 0;
  double real = 0;
  MYSQL_TIME time{};
  std::vector<char> buffer;  // decimal, text, bytes, bit
  unsigned long initial_size = 0;
  unsigned long length = 0;
  my_bool is_null = 0;
  my_bool error = 0;
  // Identity of the metadata this column was built from.
  enum_field_types field_type = MYSQL_TYPE_NULL;
  unsigned int charsetnr = 0;
  unsigned int flags = 0;
  std::string name;

  bool matches(const MYSQL_FIELD& f) const {
    return f.type == field_type && f.charsetnr == charsetnr &&
           (f.flags & UNSIGNED_FLAG) == (flags & UNSIGNED_FLAG) &&
           std::string_view(f.name, f.name_length) == name;
  }
};

bool uses_buffer(ColumnKind kind) {
  return kind == ColumnKind::kDecimal || kind == ColumnKind::kText || kind == ColumnKind::kBytes ||
         kind == ColumnKind::kBit;
}

// Points `b` at the storage of `col` for its kind.
void bind_output(MYSQL_BIND& b, ResultColumn& col) {
  b = MYSQL_BIND{};
  b.is_null = &col.is_null;
  b.error = &col.error;
  b.length = &col.length;
  switch (col.kind) {
    case ColumnKind::kNull:
      b.buffer_type = MYSQL_TYPE_NULL;
      break;
    case ColumnKind::kInteger:
      b.buffer_type = MYSQL_TYPE_LONGLONG;
      b.buffer = &col.integer;
      b.is_unsigned = col.is_unsigned ? 1 : 0;
      break;
    case ColumnKind::kFloat:
      b.buffer_type = MYSQL_TYPE_FLOAT;
      b.buffer = &col.single;
      break;
    case ColumnKind::kDouble:
      b.buffer_type = MYSQL_TYPE_DOUBLE;
      b.buffer = &col.real;
      break;
    case ColumnKind::kDate:
    case ColumnKind::kDateTime:
    case ColumnKind::kTimestamp:
    case ColumnKind::kTime:
      b.buffer_type = col.field_type == MYSQL_TYPE_NEWDATE ? MYSQL_TYPE_DATE : col.field_type;
      b.buffer = &col.time;
      break;
    case ColumnKind::kDecimal:
    case ColumnKind::kText:
      b.buffer_type = MYSQL_TYPE_STRING;
      b.buffer = col.buffer.data();
      b.buffer_length = static_cast<unsigned long>(col.buffer.size());
      break;
    case ColumnKind::kBytes:
    case ColumnKind::kBit:
      b.buffer_type = MYSQL_TYPE_BLOB;
      b.buffer = col.buffer.data();
      b.buffer_length = static_cast<unsigned long>(col.buffer.size());
      break;
  }
}

// ---- prepared statements and their cache ------------------------------------------------------

struct Statement {
  Statement(MYSQL_STMT* h, std::string text) : handle(h), sql(std::move(text)) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() {
    if (handle != nullptr) mysql_stmt_close(handle);
  }

  MYSQL_STMT* handle;
  std::string sql;
  unsigned long param_count = 0;
  std::vector<ResultColumn> columns;
  std::vector<MYSQL_BIND> result_binds;
  std::shared_ptr<const std::vector<std::string>> column_names;
  bool rebind_needed = false;  // a buffer grew: re-run mysql_stmt_bind_result before fetching
  // The parameters of the execution whose rows are being read, for an error that arrives with
  // the rows (see "Late errors" above). Copied only for statements that return rows, over the
  // same buffers each time.
  std::vector<Value> params;

  // Rebuilds the output buffers when the result metadata differs from the last execution (first
  // execution, or the server re-prepared the statement after a schema change).
  void sync_result_layout() {
    const unsigned int count = mysql_stmt_field_count(handle);
    const MYSQL_FIELD* fields = mariadb_stmt_fetch_fields(handle);
    bool same = column_names != nullptr && columns.size() == count;
    for (unsigned int i = 0; same && i < count; ++i) same = columns[i].matches(fields[i]);
    if (!same) {
      columns.assign(count, ResultColumn{});
      auto names = std::make_shared<std::vector<std::string>>();
      names->reserve(count);
      for (unsigned int i = 0; i < count; ++i) {
        const MYSQL_FIELD& f = fields[i];
        ResultColumn& col = columns[i];
        col.kind = kind_of(f);
        col.is_unsigned = (f.flags & UNSIGNED_FLAG) != 0;
        col.field_type = f.type;
        col.charsetnr = f.charsetnr;
        col.flags = f.flags;
        col.name.assign(f.name, f.name_length);
        if (uses_buffer(col.kind)) {
          const unsigned long wanted = col.kind == ColumnKind::kBit ? 8 : f.length + 1;
          col.initial_size = std::clamp(wanted, kMinTextBuffer, kMaxInitialTextBuffer);
          col.buffer.resize(col.initial_size);
        }
        names->push_back(col.name);
      }
      column_names = std::move(names);
      result_binds.assign(count, MYSQL_BIND{});
      for (unsigned int i = 0; i < count; ++i) bind_output(result_binds[i], columns[i]);
    }
    // Bound again before the first fetch of every execution: cheap, and it keeps Connector/C's
    // copy of the binds right when the server sent new metadata.
    rebind_needed = true;
  }

  // Returns buffers that grew past kRetainedBufferLimit to their initial size.
  void trim_buffers() {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      ResultColumn& col = columns[i];
      if (col.buffer.size() > kRetainedBufferLimit) {
        col.buffer.resize(col.initial_size);
        col.buffer.shrink_to_fit();
        bind_output(result_binds[i], col);
        rebind_needed = true;
      }
    }
  }
};

// Prepared statements by SQL text, least recently used evicted first.
class StatementCache {
 public:
  Statement* find(std::string_view sql) {
    auto it = index_.find(sql);
    if (it == index_.end()) return nullptr;
    if (it->second != entries_.begin()) entries_.splice(entries_.begin(), entries_, it->second);
    return it->second->get();
  }

  Statement* insert(std::unique_ptr<Statement> statement) {
    if (entries_.size() >= kStatementCacheSize) {
      index_.erase(entries_.back()->sql);
      entries_.pop_back();
    }
    entries_.push_front(std::move(statement));
    index_.emplace(entries_.front()->sql, entries_.begin());
    return entries_.front().get();
  }

  void erase(Statement* statement) {
    auto it = index_.find(statement->sql);
    if (it == index_.end()) return;
    auto entry = it->second;
    index_.erase(it);
    entries_.erase(entry);
  }

  void clear() {
    index_.clear();
    entries_.clear();
  }

 private:
  std::list<std::unique_ptr<Statement>> entries_;  // front: most recently used
  std::unordered_map<std::string_view, std::list<std::unique_ptr<Statement>>::iterator> index_;
};

class MySqlConnection;

// Common part of the two cursor kinds: registration as the connection's active cursor.
class CursorBase : public driver::Cursor {
 public:
  // Called by the connection when it is destroyed first: forget it without touching it.
  virtual void detach() noexcept = 0;
  // Discards the rest of the result like close(), but leaves an error that arrives with it
  // pending on the connection instead of raising it.
  virtual void close_deferring() noexcept = 0;
};

// ---- the connection -------------------------------------------------------------------------

class MySqlConnection final : public driver::Connection {
 public:
  explicit MySqlConnection(MYSQL* mysql);
  ~MySqlConnection() override;
  MySqlConnection(const MySqlConnection&) = delete;
  MySqlConnection& operator=(const MySqlConnection&) = delete;

  std::unique_ptr<driver::Cursor> execute(const std::string& sql, std::span<const Value> params,
                                          const driver::ExecuteOptions& options) override;
  std::int64_t execute_many(const std::string& sql,
                            std::span<const std::vector<Value>> rows) override;

  void begin() override;
  void commit() override;
  void rollback() override;
  void savepoint(const std::string& name) override;
  void release_savepoint(const std::string& name) override;
  void rollback_to_savepoint(const std::string& name) override;
  void set_isolation_level(std::string_view level) override;

  bool ping() noexcept override;
  bool is_broken() const noexcept override;
  std::string server_version() const override { return server_version_; }

  // ---- used by the cursors ----
  [[noreturn]] void fail(const NativeError& error, std::string_view sql,
                         std::span<const Value> params);
  // fail() for an error of an array execution: the parameters of all its rows.
  [[noreturn]] void fail_batch(const NativeError& error, std::string_view sql,
                               std::span<const std::vector<Value>> rows);
  void cursor_closed(CursorBase* cursor) noexcept {
    if (active_ == cursor) active_ = nullptr;
  }
  MYSQL* handle() const noexcept { return mysql_; }
  // Keeps the error of a statement whose cursor was destroyed before it could raise it, for
  // the connection's next call (the first one wins: later statements ran after it).
  void defer_error(NativeError error, std::string sql, std::vector<Value> params) noexcept;

 private:
  // Closes the active cursor, raising an error that came with its unread rows, then the error
  // a statement left pending (see defer_error).
  void raise_late_errors();
  // raise_late_errors(), then refuses to work on a broken connection.
  void prepare_for_command(std::string_view sql);
  // Closes the active cursor and forgets a pending error without raising either (rollback,
  // ping: the transaction the error spoiled is being discarded).
  void abandon_results() noexcept;
  // The cached prepared statement for `sql`, preparing it on a miss. Returns null when the
  // server cannot prepare this kind of statement (it then runs through the text protocol).
  Statement* statement_for(const std::string& sql, std::span<const Value> params);
  Statement* prepare(const std::string& sql, std::span<const Value> params);
  void bind_params(Statement& s, std::span<const Value> params);
  void check_param_count(const Statement& s, std::size_t given, std::span<const Value> params);
  // Runs a statement that needs no parameters and returns no rows through the text protocol.
  void run_command(const std::string& sql);
  std::unique_ptr<driver::Cursor> execute_text(const std::string& sql);
  std::int64_t execute_bulk(Statement& s, std::span<const std::vector<Value>> rows);
  std::int64_t execute_each(Statement& s, std::span<const std::vector<Value>> rows);

  MYSQL* mysql_;
  std::string server_version_;
  bool bulk_supported_ = false;
  mutable bool broken_ = false;  // also set by is_broken() when it finds the socket closed
  bool dirty_ = false;
  bool autocommit_ = false;  // the session runs with autocommit = 1
  std::string isolation_;    // the session's isolation level; empty: the server's default
  CursorBase* active_ = nullptr;
  // A statement error nobody has raised yet (see defer_error).
  struct PendingError {
    NativeError error;
    std::string sql;
    std::vector<Value> params;
  };
  std::optional<PendingError> pending_;
  StatementCache statements_;
  ParamBinder binder_;
};

// Streams the rows of one execution of a prepared statement.
class StatementCursor final : public CursorBase {
 public:
  // A cursor over rows; registered as the connection's active cursor by the caller.
  StatementCursor(MySqlConnection* conn, Statement* stmt)
      : conn_(conn), stmt_(stmt), names_(stmt->column_names), open_(true) {}
  // A row-less result.
  StatementCursor(std::int64_t rowcount, std::optional<std::int64_t> lastrowid) {
    rowcount_ = rowcount;
    lastrowid_ = lastrowid;
  }
  ~StatementCursor() override { close_deferring(); }

  const std::vector<std::string>& column_names() const override {
    static const std::vector<std::string> kNone;
    return names_ ? *names_ : kNone;
  }
  bool fetch(std::vector<Value>& row) override;
  // Typed reads straight from the bound result buffers.
  bool advance() override { return fetch_row(); }
  bool read_int64(std::size_t index, std::int64_t& out) override;
  bool read_double(std::size_t index, double& out) override;
  bool read_text(std::size_t index, std::string& out) override;
  void read_value(std::size_t index, Value& out) override;
  std::uint64_t read_fields(std::span<const driver::FieldTarget> targets) override;
  driver::FieldsFetched fetch_fields(std::span<const driver::FieldTarget> targets) override {
    if (!fetch_row()) return {};
    return {.row = true, .unread = StatementCursor::read_fields(targets)};
  }
  void close() override;
  void close_deferring() noexcept override;
  void detach() noexcept override {
    conn_ = nullptr;
    open_ = false;
  }

 private:
  // Discards the rest of the result; returns the error the server sent with it, if any.
  std::optional<NativeError> discard() noexcept;
  // Ends the cursor on the error of a failed fetch: raises it with the statement's SQL and
  // parameters.
  [[noreturn]] void fail_fetch(const NativeError& error);
  // Fetches the next row into the statement's result buffers; false at the end.
  bool fetch_row();
  // The result column `index` of the current row when it is a non-NULL `kind`; null otherwise.
  const ResultColumn* typed_column(std::size_t index, ColumnKind kind) const;
  // Marks the cursor closed and reads past further results; returns an error among them.
  std::optional<NativeError> finish() noexcept;
  void refetch_truncated();
  void convert(std::size_t i, Value& out);

  MySqlConnection* conn_ = nullptr;
  Statement* stmt_ = nullptr;
  std::shared_ptr<const std::vector<std::string>> names_;
  bool open_ = false;
};

bool StatementCursor::fetch(std::vector<Value>& row) {
  if (!fetch_row()) return false;
  row.resize(stmt_->columns.size());
  for (std::size_t i = 0; i < stmt_->columns.size(); ++i) convert(i, row[i]);
  return true;
}

const ResultColumn* StatementCursor::typed_column(std::size_t index, ColumnKind kind) const {
  if (!open_ || index >= stmt_->columns.size()) return nullptr;
  const ResultColumn& col = stmt_->columns[index];
  return !col.is_null && col.kind == kind ? &col : nullptr;
}

// The typed reads of a non-NULL column of the matching kind.
bool int64_of(const ResultColumn& col, std::int64_t& out) {
  if (col.is_unsigned) return false;  // unsigned: may not fit, see convert
  out = col.integer;
  return true;
}
std::string_view text_of(const ResultColumn& col) { return {col.buffer.data(), col.length}; }

bool StatementCursor::read_int64(std::size_t index, std::int64_t& out) {
  const ResultColumn* col = typed_column(index, ColumnKind::kInteger);
  return col != nullptr && int64_of(*col, out);
}

bool StatementCursor::read_double(std::size_t index, double& out) {
  const ResultColumn* col = typed_column(index, ColumnKind::kDouble);
  if (col == nullptr) return false;
  out = col->real;
  return true;
}

bool StatementCursor::read_text(std::size_t index, std::string& out) {
  const ResultColumn* col = typed_column(index, ColumnKind::kText);
  if (col == nullptr) return false;
  store_text(out, text_of(*col));
  return true;
}

std::uint64_t StatementCursor::read_fields(std::span<const driver::FieldTarget> targets) {
  using Kind = driver::FieldTarget::Kind;
  if (!open_ || targets.size() > stmt_->columns.size()) return read_each_field(*this, targets);
  const ResultColumn* columns = stmt_->columns.data();  // the typed_column checks, once per row
  std::uint64_t unread = 0;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const driver::FieldTarget& target = targets[i];
    const ResultColumn& col = columns[i];
    bool stored = false;
    if (!col.is_null) {
      if (target.kind == Kind::kInt64 && col.kind == ColumnKind::kInteger) {
        stored = int64_of(col, *static_cast<std::int64_t*>(target.out));
      } else if (target.kind == Kind::kDouble && col.kind == ColumnKind::kDouble) {
        *static_cast<double*>(target.out) = col.real;
        stored = true;
      } else if (target.kind == Kind::kText && col.kind == ColumnKind::kText) {
        store_text(*static_cast<std::string*>(target.out), text_of(col));
        stored = true;
      }
    }
    if (!stored) unread |= std::uint64_t{1} << i;
  }
  return unread;
}

void StatementCursor::read_value(std::size_t index, Value& out) {
  if (!open_ || index >= stmt_->columns.size()) {
    DBAPIError::Details details;
    details.message = "no column " + std::to_string(index) + " in the current row";
    throw InterfaceError(std::move(details));
  }
  convert(index, out);
}

bool StatementCursor::fetch_row() {
  if (!open_) return false;
  Statement& s = *stmt_;
  if (s.rebind_needed) {
    if (mysql_stmt_bind_result(s.handle, s.result_binds.data()) != 0) {
      fail_fetch(statement_error(s.handle));
    }
    s.rebind_needed = false;
  }
  const int rc = mysql_stmt_fetch(s.handle);
  if (rc == MYSQL_NO_DATA) {
    if (std::optional<NativeError> error = finish()) fail_fetch(*error);
    return false;
  }
  // An error packet in place of a row: the statement failed on a row not sent yet (a
  // constraint violated by a later row of an INSERT ... RETURNING, a subquery returning
  // several rows). Connector/C keeps it on the connection handle; statement_error finds it.
  if (rc == 1) fail_fetch(statement_error(s.handle));
  if (rc == MYSQL_DATA_TRUNCATED) refetch_truncated();
  return true;
}

void StatementCursor::fail_fetch(const NativeError& error) {
  MySqlConnection* conn = conn_;
  std::vector<Value> params = std::move(stmt_->params);
  (void)discard();  // the error is the one being raised
  if (conn == nullptr) raise_error(error, stmt_->sql, params, true);
  conn->fail(error, stmt_->sql, params);
}

// Variable-length values longer than their buffer: grow the buffer to the reported length and
// read the column again (from the row already in client memory, no round trip). The bigger
// buffer is kept for the following rows.
void StatementCursor::refetch_truncated() {
  Statement& s = *stmt_;
  for (std::size_t i = 0; i < s.columns.size(); ++i) {
    ResultColumn& col = s.columns[i];
    if (!col.error || !uses_buffer(col.kind) || col.length <= col.buffer.size()) continue;
    col.buffer.resize(std::max<std::size_t>(col.length, col.buffer.size() * 2));
    bind_output(s.result_binds[i], col);
    MYSQL_BIND b = s.result_binds[i];
    if (mysql_stmt_fetch_column(s.handle, &b, static_cast<unsigned int>(i), 0) != 0) {
      fail_fetch(statement_error(s.handle));
    }
    col.error = 0;
    s.rebind_needed = true;
  }
}

void StatementCursor::convert(std::size_t i, Value& out) {
  const ResultColumn& col = stmt_->columns[i];
  if (col.is_null) {
    out = Null{};
    return;
  }
  switch (col.kind) {
    case ColumnKind::kNull:
      out = Null{};
      break;
    case ColumnKind::kInteger:
      if (col.is_unsigned) {
        assign_unsigned(out, static_cast<std::uint64_t>(col.integer));
      } else {
        out = col.integer;
      }
      break;
    case ColumnKind::kFloat:
      out = widen_float(col.single);
      break;
    case ColumnKind::kDouble:
      out = col.real;
      break;
    case ColumnKind::kDecimal:
      if (auto* d = std::get_if<Decimal>(&out)) {
        d->text.assign(col.buffer.data(), col.length);
      } else {
        out = Decimal{std::string(col.buffer.data(), col.length)};
      }
      break;
    case ColumnKind::kText:
      assign_text(out, col.buffer.data(), col.length);
      break;
    case ColumnKind::kBytes:
      assign_bytes(out, col.buffer.data(), col.length);
      break;
    case ColumnKind::kBit:
      assign_unsigned(out, big_endian_bits(col.buffer.data(), col.length));
      break;
    case ColumnKind::kDate:
      if (auto day = calendar_day(col.time)) {
        out = *day;
      } else {
        out = Null{};
      }
      break;
    case ColumnKind::kDateTime:
      if (auto day = calendar_day(col.time)) {
        out = LocalTimestamp{day->time_since_epoch()} + clock_time(col.time);
      } else {
        out = Null{};
      }
      break;
    case ColumnKind::kTimestamp:
      if (auto day = calendar_day(col.time)) {
        out = Timestamp{*day} + clock_time(col.time);
      } else {
        out = Null{};
      }
      break;
    case ColumnKind::kTime: {
      auto us = std::chrono::hours{24} * col.time.day + clock_time(col.time);
      out = TimeOfDay{col.time.neg ? -us : us};
      break;
    }
  }
}

std::optional<NativeError> StatementCursor::finish() noexcept {
  if (!open_) return std::nullopt;
  open_ = false;
  std::optional<NativeError> error;
  // A CALL returns a status result after its rows; read past it so the connection is ready. A
  // failure there is the statement's too.
  while (mysql_stmt_more_results(stmt_->handle)) {
    if (mysql_stmt_next_result(stmt_->handle) > 0) {
      error = statement_error(stmt_->handle);
      break;
    }
  }
  stmt_->trim_buffers();
  if (conn_ != nullptr) conn_->cursor_closed(this);
  return error;
}

std::optional<NativeError> StatementCursor::discard() noexcept {
  if (!open_) return std::nullopt;
  // Reads and discards the rest of a streamed result so the connection can take new commands.
  // It reports nothing, but an error packet read among the rows is left on the connection
  // handle, whose error it clears first: a nonzero errno afterwards is that error.
  mysql_stmt_free_result(stmt_->handle);
  std::optional<NativeError> error;
  if (conn_ != nullptr && mysql_errno(conn_->handle()) != 0) {
    error = connection_error(conn_->handle());
  }
  std::optional<NativeError> later = finish();
  return error ? error : later;
}

void StatementCursor::close() {
  if (!open_) return;
  if (std::optional<NativeError> error = discard()) {
    if (conn_ != nullptr) conn_->fail(*error, stmt_->sql, stmt_->params);
  }
}

void StatementCursor::close_deferring() noexcept {
  if (!open_) return;
  if (std::optional<NativeError> error = discard()) {
    if (conn_ != nullptr)
      conn_->defer_error(std::move(*error), stmt_->sql, std::move(stmt_->params));
  }
}

// Rows of a statement the server cannot prepare, read through the text protocol.
class TextCursor final : public CursorBase {
 public:
  TextCursor(MySqlConnection* conn, MYSQL_RES* result, std::string sql)
      : conn_(conn), result_(result), sql_(std::move(sql)) {
    const unsigned int count = mysql_num_fields(result_);
    const MYSQL_FIELD* fields = mysql_fetch_fields(result_);
    fields_.assign(fields, fields + count);
    for (const MYSQL_FIELD& f : fields_) names_.emplace_back(f.name, f.name_length);
  }
  ~TextCursor() override { close_deferring(); }

  const std::vector<std::string>& column_names() const override { return names_; }
  bool fetch(std::vector<Value>& row) override;
  void close() override {
    if (std::optional<NativeError> error = discard()) conn_->fail(*error, sql_, {});
  }
  void close_deferring() noexcept override {
    if (std::optional<NativeError> error = discard()) {
      conn_->defer_error(std::move(*error), sql_, {});
    }
  }
  void detach() noexcept override {
    // The connection is closing: free the result without reading its remaining rows.
    result_->handle = nullptr;
    mysql_free_result(result_);
    result_ = nullptr;
    conn_ = nullptr;
  }

 private:
  static void convert(const MYSQL_FIELD& field, std::string_view text, Value& out);
  // Reads and discards the remaining rows; returns an error packet found among them (left on
  // the connection handle, whose error was cleared when the query was sent).
  std::optional<NativeError> discard() noexcept {
    if (result_ == nullptr) return std::nullopt;
    mysql_free_result(result_);
    result_ = nullptr;
    if (conn_ == nullptr) return std::nullopt;
    conn_->cursor_closed(this);
    if (mysql_errno(conn_->handle()) == 0) return std::nullopt;
    return connection_error(conn_->handle());
  }

  MySqlConnection* conn_;
  MYSQL_RES* result_;
  std::string sql_;
  std::vector<MYSQL_FIELD> fields_;
  std::vector<std::string> names_;
};

bool TextCursor::fetch(std::vector<Value>& row) {
  if (result_ == nullptr) return false;
  MYSQL_ROW data = mysql_fetch_row(result_);
  if (data == nullptr) {
    MYSQL* mysql = result_->handle;
    const bool failed = mysql != nullptr && mysql_errno(mysql) != 0;
    NativeError error = failed ? connection_error(mysql) : NativeError{};
    MySqlConnection* conn = conn_;
    close();
    if (failed && conn != nullptr) conn->fail(error, sql_, {});
    return false;
  }
  const unsigned long* lengths = mysql_fetch_lengths(result_);
  row.resize(fields_.size());
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    if (data[i] == nullptr) {
      row[i] = Null{};
    } else {
      convert(fields_[i], std::string_view(data[i], lengths[i]), row[i]);
    }
  }
  return true;
}

void TextCursor::convert(const MYSQL_FIELD& field, std::string_view text, Value& out) {
  const char* first = text.data();
  const char* last = text.data() + text.size();
  switch (kind_of(field)) {
    case ColumnKind::kNull:
      out = Null{};
      return;
    case ColumnKind::kInteger:
      if ((field.flags & UNSIGNED_FLAG) != 0) {
        std::uint64_t v = 0;
        if (std::from_chars(first, last, v).ec == std::errc{}) return assign_unsigned(out, v);
      } else {
        std::int64_t v = 0;
        if (std::from_chars(first, last, v).ec == std::errc{}) {
          out = v;
          return;
        }
      }
      break;
    case ColumnKind::kFloat:
    case ColumnKind::kDouble: {
      double v = 0;
      if (std::from_chars(first, last, v).ec == std::errc{}) {
        out = v;
        return;
      }
      break;
    }
    case ColumnKind::kDecimal:
      out = Decimal{std::string(text)};
      return;
    case ColumnKind::kBytes:
      return assign_bytes(out, text.data(), text.size());
    case ColumnKind::kBit:
      return assign_unsigned(out, big_endian_bits(text.data(), text.size()));
    case ColumnKind::kDate:
      if (auto v = parse_date(text)) {
        out = *v;
      } else {
        out = Null{};  // zero date
      }
      return;
    case ColumnKind::kDateTime:
      if (auto v = parse_local_timestamp(text)) {
        out = *v;
      } else {
        out = Null{};
      }
      return;
    case ColumnKind::kTimestamp:
      if (auto v = parse_timestamp(text)) {
        out = *v;
      } else {
        out = Null{};
      }
      return;
    case ColumnKind::kTime:
      if (auto v = parse_time(text)) {
        out = *v;
        return;
      }
      break;
    case ColumnKind::kText:
      break;
  }
  assign_text(out, text.data(), text.size());
}

// ---- MySqlConnection --------------------------------------------------------------------------

MySqlConnection::MySqlConnection(MYSQL* mysql) : mysql_(mysql) {
  server_version_ = mysql_get_server_info(mysql_);
  unsigned long capabilities = 0;
  unsigned long extended = 0;
  mariadb_get_infov(mysql_, MARIADB_CONNECTION_SERVER_CAPABILITIES, &capabilities);
  mariadb_get_infov(mysql_, MARIADB_CONNECTION_EXTENDED_SERVER_CAPABILITIES, &extended);
  // MariaDB servers (which do not announce CLIENT_MYSQL) from 10.2 on execute parameter arrays.
  bulk_supported_ = (capabilities & CLIENT_MYSQL) == 0 &&
                    (extended & (MARIADB_CLIENT_STMT_BULK_OPERATIONS >> 32)) != 0;
}

MySqlConnection::~MySqlConnection() {
  if (active_ != nullptr) active_->detach();
  // Close the connection first: statements closed afterwards are only freed, without sending a
  // COM_STMT_CLOSE each. An open transaction is rolled back by the server.
  mysql_close(mysql_);
  statements_.clear();
}

void MySqlConnection::fail(const NativeError& error, std::string_view sql,
                           std::span<const Value> params) {
  const bool lost = is_disconnect_error(error.code);
  if (lost) broken_ = true;
  raise_error(error, sql, params, lost || broken_);
}

void MySqlConnection::fail_batch(const NativeError& error, std::string_view sql,
                                 std::span<const std::vector<Value>> rows) {
  constexpr std::size_t kShown = 10;
  std::string parameters = fmt::format("{} rows: ", rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i == kShown && i + 1 < rows.size()) {
      parameters += fmt::format(", ... ({} more)", rows.size() - kShown - 1);
      i = rows.size() - 1;
    }
    if (i > 0) parameters += ", ";
    parameters += render_values(rows[i]);
  }
  const bool lost = is_disconnect_error(error.code);
  if (lost) broken_ = true;
  raise_error_rendered(error, sql, std::move(parameters), lost || broken_);
}

void MySqlConnection::defer_error(NativeError error, std::string sql,
                                  std::vector<Value> params) noexcept {
  if (is_disconnect_error(error.code)) broken_ = true;
  if (pending_) return;
  pending_.emplace(PendingError{std::move(error), std::move(sql), std::move(params)});
}

void MySqlConnection::abandon_results() noexcept {
  if (active_ != nullptr) active_->close_deferring();
  pending_.reset();
}

void MySqlConnection::raise_late_errors() {
  if (active_ != nullptr) active_->close();
  if (pending_) [[unlikely]] {
    PendingError pending = std::move(*pending_);
    pending_.reset();
    fail(pending.error, pending.sql, pending.params);
  }
}

void MySqlConnection::prepare_for_command(std::string_view sql) {
  raise_late_errors();
  if (broken_) {
    raise_error(NativeError{2006, "the connection to the MySQL server was lost", "08S01"}, sql, {},
                true);
  }
}

Statement* MySqlConnection::prepare(const std::string& sql, std::span<const Value> params) {
  MYSQL_STMT* handle = mysql_stmt_init(mysql_);
  if (handle == nullptr) fail(connection_error(mysql_), sql, params);
  auto statement = std::make_unique<Statement>(handle, sql);
  if (mysql_stmt_prepare(handle, sql.data(), static_cast<unsigned long>(sql.size())) != 0) {
    NativeError error = statement_error(handle);
    if (error.code == ER_UNSUPPORTED_PS && params.empty()) return nullptr;
    statement.reset();
    fail(error, sql, params);
  }
  statement->param_count = mysql_stmt_param_count(handle);
  return statements_.insert(std::move(statement));
}

Statement* MySqlConnection::statement_for(const std::string& sql, std::span<const Value> params) {
  if (Statement* s = statements_.find(sql)) return s;
  return prepare(sql, params);
}

void MySqlConnection::check_param_count(const Statement& s, std::size_t given,
                                        std::span<const Value> params) {
  if (given == s.param_count) return;
  DBAPIError::Details details;
  details.message = "the statement has " + std::to_string(s.param_count) +
                    " parameter placeholders but " + std::to_string(given) +
                    " parameters were given";
  details.sql = s.sql;
  if (!params.empty()) {
    details.parameters = render_values(std::vector<Value>(params.begin(), params.end()));
  }
  throw ProgrammingError(std::move(details));
}

void MySqlConnection::bind_params(Statement& s, std::span<const Value> params) {
  binder_.reset(params.size());
  try {
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (auto range = temporal_range_error(params[i])) raise_range_error(*range, s.sql, params);
      binder_.fill(binder_[i], params[i], i);
    }
  } catch (const nlohmann::json::exception& e) {
    throw ArgumentError(std::string("cannot send a JSON parameter to MySQL: ") + e.what());
  }
  if (mysql_stmt_bind_param(s.handle, binder_.binds()) != 0) {
    fail(statement_error(s.handle), s.sql, params);
  }
}

std::unique_ptr<driver::Cursor> MySqlConnection::execute(const std::string& sql,
                                                         std::span<const Value> params,
                                                         const driver::ExecuteOptions& options) {
  (void)options;  // results are always streamed
  prepare_for_command(sql);
  dirty_ = true;
  Statement* s = statement_for(sql, params);
  if (s == nullptr) return execute_text(sql);
  check_param_count(*s, params.size(), params);
  if (s->param_count > 0) bind_params(*s, params);
  if (mysql_stmt_execute(s->handle) != 0) {
    NativeError error = statement_error(s->handle);
    // After a schema change by another connection the cached statement is stale: either the
    // server could not re-prepare it (ER_NEED_REPREPARE: nothing ran), or it did and the result
    // now has a different number of columns, which Connector/C refuses to read
    // (CR_NEW_STMT_METADATA: the statement ran). Prepare afresh and retry once, unless running
    // it again could repeat a change.
    const bool retry = error.code == ER_NEED_REPREPARE ||
                       (error.code == CR_NEW_STMT_METADATA && is_read_only(sql));
    statements_.erase(s);  // closing the handle also discards a pending result
    if (!retry) fail(error, sql, params);
    s = prepare(sql, params);
    if (s == nullptr) return execute_text(sql);
    check_param_count(*s, params.size(), params);
    if (s->param_count > 0) bind_params(*s, params);
    if (mysql_stmt_execute(s->handle) != 0) fail(statement_error(s->handle), sql, params);
  }
  if (mysql_stmt_field_count(s->handle) == 0) {
    const auto affected = static_cast<std::int64_t>(mysql_stmt_affected_rows(s->handle));
    const auto id = mysql_stmt_insert_id(s->handle);
    // Statements prepared before a schema change on this connection would describe the old
    // tables; prepare them again when next used.
    if (changes_schema(sql)) statements_.clear();
    return std::make_unique<StatementCursor>(
        affected,
        id != 0 ? std::optional<std::int64_t>(static_cast<std::int64_t>(id)) : std::nullopt);
  }
  s->sync_result_layout();
  s->params.assign(params.begin(), params.end());  // for an error that comes with the rows
  auto cursor = std::make_unique<StatementCursor>(this, s);
  active_ = cursor.get();
  return cursor;
}

std::unique_ptr<driver::Cursor> MySqlConnection::execute_text(const std::string& sql) {
  if (mysql_real_query(mysql_, sql.data(), static_cast<unsigned long>(sql.size())) != 0) {
    fail(connection_error(mysql_), sql, {});
  }
  if (mysql_field_count(mysql_) == 0) {
    const auto affected = static_cast<std::int64_t>(mysql_affected_rows(mysql_));
    const auto id = mysql_insert_id(mysql_);
    if (changes_schema(sql)) statements_.clear();
    return std::make_unique<StatementCursor>(
        affected,
        id != 0 ? std::optional<std::int64_t>(static_cast<std::int64_t>(id)) : std::nullopt);
  }
  MYSQL_RES* result = mysql_use_result(mysql_);
  if (result == nullptr) fail(connection_error(mysql_), sql, {});
  auto cursor = std::make_unique<TextCursor>(this, result, sql);
  active_ = cursor.get();
  return cursor;
}

void MySqlConnection::run_command(const std::string& sql) {
  prepare_for_command(sql);
  if (mysql_real_query(mysql_, sql.data(), static_cast<unsigned long>(sql.size())) != 0) {
    fail(connection_error(mysql_), sql, {});
  }
  // Commands here return no rows; drain defensively so the connection stays in sync.
  if (MYSQL_RES* result = mysql_store_result(mysql_)) mysql_free_result(result);
}

std::int64_t MySqlConnection::execute_many(const std::string& sql,
                                           std::span<const std::vector<Value>> rows) {
  prepare_for_command(sql);
  if (rows.empty()) return 0;
  dirty_ = true;
  Statement* s = statement_for(sql, rows.front());
  if (s == nullptr) {
    throw ProgrammingError(DBAPIError::Details{
        .message = "this statement cannot be executed with several parameter sets", .sql = sql});
  }
  for (const auto& row : rows) check_param_count(*s, row.size(), row);
  // Bulk execution carries only parameter arrays of DML; statements with result sets (and
  // servers without the bulk protocol: MySQL, MariaDB before 10.2) go row by row.
  if (bulk_supported_ && s->param_count > 0 && mysql_stmt_field_count(s->handle) == 0) {
    return execute_bulk(*s, rows);
  }
  return execute_each(*s, rows);
}

std::int64_t MySqlConnection::execute_each(Statement& s, std::span<const std::vector<Value>> rows) {
  std::int64_t total = 0;
  for (const auto& row : rows) {
    if (s.param_count > 0) bind_params(s, row);
    if (mysql_stmt_execute(s.handle) != 0) fail(statement_error(s.handle), s.sql, row);
    if (mysql_stmt_field_count(s.handle) > 0) {
      // Rows nobody asked for; an error among them is the row's (see "Late errors").
      mysql_stmt_free_result(s.handle);
      if (mysql_errno(mysql_) != 0) fail(connection_error(mysql_), s.sql, row);
    } else {
      total += static_cast<std::int64_t>(mysql_stmt_affected_rows(s.handle));
    }
  }
  return total;
}

// State shared with the bulk parameter callback, which Connector/C calls once per row while it
// builds the request, to point the binds at that row's values.
struct BulkBatch {
  std::span<const std::vector<Value>> rows;
  ParamBinder* binder = nullptr;
  std::vector<char> indicators;         // one per parameter, read through u.indicator
  std::vector<std::string> json_texts;  // JSON parameters serialized ahead, row-major
  std::size_t next_json = 0;
};

my_bool bulk_param_callback(void* data, MYSQL_BIND* binds, unsigned int row_number) {
  auto& batch = *static_cast<BulkBatch*>(data);
  const std::vector<Value>& row = batch.rows[row_number];
  for (std::size_t i = 0; i < row.size(); ++i) {
    const Value& v = row[i];
    if (v.index() == 0) {
      batch.indicators[i] = STMT_INDICATOR_NULL;
      continue;
    }
    batch.indicators[i] = STMT_INDICATOR_NONE;
    const std::string* text = v.index() == 12 ? &batch.json_texts[batch.next_json++] : nullptr;
    // The buffer type stays what the batch was bound with: the batch only holds rows whose
    // non-NULL values map to the same buffer type per column.
    const enum_field_types bound = binds[i].buffer_type;
    batch.binder->fill(binds[i], v, i, text);
    binds[i].buffer_type = bound;
  }
  return 0;
}

std::int64_t MySqlConnection::execute_bulk(Statement& s, std::span<const std::vector<Value>> rows) {
  const std::size_t width = s.param_count;
  std::int64_t total = 0;
  std::size_t start = 0;
  BulkBatch batch;
  batch.binder = &binder_;
  batch.indicators.assign(width, STMT_INDICATOR_NONE);
  std::vector<enum_field_types> types(width);
  while (start < rows.size()) {
    // Take the longest run of rows whose parameter types agree, within the byte budget.
    std::fill(types.begin(), types.end(), MYSQL_TYPE_NULL);
    batch.json_texts.clear();
    batch.next_json = 0;
    std::size_t end = start;
    std::size_t bytes = 0;
    for (; end < rows.size(); ++end) {
      const std::vector<Value>& row = rows[end];
      bool compatible = true;
      std::size_t row_bytes = 0;
      for (std::size_t i = 0; i < width && compatible; ++i) {
        const enum_field_types t = buffer_type_of(row[i]);
        if (t == MYSQL_TYPE_NULL) continue;
        compatible = types[i] == MYSQL_TYPE_NULL || types[i] == t;
        if (const auto* str = std::get_if<std::string>(&row[i])) row_bytes += str->size();
        if (const auto* b = std::get_if<Bytes>(&row[i])) row_bytes += b->size();
        row_bytes += 16;
      }
      if (!compatible || (end > start && bytes + row_bytes > kBulkByteBudget)) break;
      bytes += row_bytes;
      for (std::size_t i = 0; i < width; ++i) {
        const enum_field_types t = buffer_type_of(row[i]);
        if (t != MYSQL_TYPE_NULL) types[i] = t;
        if (auto range = temporal_range_error(row[i])) raise_range_error(*range, s.sql, row);
        if (const auto* json = std::get_if<JsonDocument>(&row[i])) {
          try {
            batch.json_texts.push_back(json->document.dump());
          } catch (const nlohmann::json::exception& e) {
            throw ArgumentError(std::string("cannot send a JSON parameter to MySQL: ") + e.what());
          }
        }
      }
    }
    batch.rows = rows.subspan(start, end - start);

    binder_.reset(width);
    for (std::size_t i = 0; i < width; ++i) {
      MYSQL_BIND& b = binder_[i];
      // Columns NULL in every row of the batch are sent as NULL-indicated strings.
      b.buffer_type = types[i] == MYSQL_TYPE_NULL ? MYSQL_TYPE_STRING : types[i];
      b.u.indicator = &batch.indicators[i];
    }
    auto array_size = static_cast<unsigned int>(batch.rows.size());
    const bool failed_setup =
        mysql_stmt_attr_set(s.handle, STMT_ATTR_ARRAY_SIZE, &array_size) != 0 ||
        mysql_stmt_attr_set(s.handle, STMT_ATTR_CB_USER_DATA, &batch) != 0 ||
        mysql_stmt_attr_set(s.handle, STMT_ATTR_CB_PARAM,
                            reinterpret_cast<const void*>(&bulk_param_callback)) != 0 ||
        mysql_stmt_bind_param(s.handle, binder_.binds()) != 0;
    const bool failed = failed_setup || mysql_stmt_execute(s.handle) != 0;
    NativeError error = failed ? statement_error(s.handle) : NativeError{};
    // Back to single-row mode for the statement's next use from the cache.
    unsigned int zero = 0;
    mysql_stmt_attr_set(s.handle, STMT_ATTR_ARRAY_SIZE, &zero);
    mysql_stmt_attr_set(s.handle, STMT_ATTR_CB_PARAM, nullptr);
    mysql_stmt_attr_set(s.handle, STMT_ATTR_CB_USER_DATA, nullptr);
    if (failed) {
      // The server does not say which row of the array failed: report the batch's rows (the
      // first few and the last, render_values style), so that the failing one is among them.
      fail_batch(error, s.sql, batch.rows);
    }
    total += static_cast<std::int64_t>(mysql_stmt_affected_rows(s.handle));
    start = end;
  }
  return total;
}

void MySqlConnection::begin() {
  // Autocommit is off: the server opens the transaction with the next statement.
  raise_late_errors();
}

void MySqlConnection::commit() {
  prepare_for_command("COMMIT");
  if (!dirty_ || autocommit_) return;
  if (mysql_commit(mysql_) != 0) fail(connection_error(mysql_), "COMMIT", {});
  dirty_ = false;
}

void MySqlConnection::rollback() {
  // An error not raised yet goes with the transaction it spoiled.
  abandon_results();
  // A lost connection has no transaction left to roll back: the server discarded it.
  if (broken_ || !dirty_ || autocommit_) return;
  if (mysql_rollback(mysql_) != 0) fail(connection_error(mysql_), "ROLLBACK", {});
  dirty_ = false;
}

void MySqlConnection::set_isolation_level(std::string_view level) {
  const bool autocommit = level == "AUTOCOMMIT";
  if (!autocommit && level != isolation_) {
    if (level.empty()) {
      // The session variable is tx_isolation on MariaDB before 11.1, transaction_isolation
      // elsewhere.
      const bool mariadb = server_version_.find("MariaDB") != std::string::npos;
      const char* variable = mariadb && mysql_get_server_version(mysql_) < 110100
                                 ? "tx_isolation"
                                 : "transaction_isolation";
      std::string sql = "SET SESSION ";
      sql += variable;
      sql += " = @@GLOBAL.";
      sql += variable;
      run_command(sql);
    } else {
      std::string sql = "SET SESSION TRANSACTION ISOLATION LEVEL ";
      sql += level;
      run_command(sql);
    }
    isolation_ = level;
  }
  if (autocommit != autocommit_) {
    run_command(autocommit ? "SET autocommit = 1" : "SET autocommit = 0");
    autocommit_ = autocommit;
    dirty_ = false;
  }
}

void MySqlConnection::savepoint(const std::string& name) {
  dirty_ = true;
  run_command("SAVEPOINT " + quote_savepoint(name));
}

void MySqlConnection::release_savepoint(const std::string& name) {
  run_command("RELEASE SAVEPOINT " + quote_savepoint(name));
}

void MySqlConnection::rollback_to_savepoint(const std::string& name) {
  run_command("ROLLBACK TO SAVEPOINT " + quote_savepoint(name));
}

bool MySqlConnection::is_broken() const noexcept {
  if (broken_) return true;
  if (active_ != nullptr) return false;  // rows pending on the socket are expected
  // The server sends nothing to an idle connection unless it goes away: a shutdown, a KILL or
  // wait_timeout closes the socket, sometimes after a last error packet. Looking at the socket
  // without reading lets the pool spot a dead connection at checkout without a round trip.
  const my_socket fd = mysql_get_socket(mysql_);
  if (fd == MARIADB_INVALID_SOCKET) return broken_ = true;
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, 0) <= 0) return false;
  if ((p.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0) return broken_ = true;
  char byte = 0;
  const ssize_t n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n == 0) return broken_ = true;  // end of file: the server closed the connection
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return false;
    return broken_ = true;
  }
  // Data while idle is the server's last message, except on TLS, where records such as session
  // tickets may wait unread; there the next round trip decides.
  if (mysql_get_ssl_cipher(mysql_) == nullptr) broken_ = true;
  return broken_;
}

bool MySqlConnection::ping() noexcept {
  if (broken_) return false;
  if (active_ != nullptr) active_->close_deferring();
  if (mysql_ping(mysql_) == 0) return true;
  broken_ = true;
  return false;
}

}  // namespace

std::unique_ptr<driver::Connection> open_connection(const ConnectOptions& options) {
  ensure_library_initialized();
  MYSQL* mysql = mysql_init(nullptr);
  if (mysql == nullptr) {
    throw OperationalError(DBAPIError::Details{
        .message = "cannot allocate a MySQL connection handle (out of memory)"});
  }
  auto fail_connect = [mysql](const std::string& context) {
    NativeError error = connection_error(mysql);
    error.message = context + error.message;
    mysql_close(mysql);
    raise_error(error, {}, {}, false);
  };

  mysql_optionsv(mysql, MYSQL_SET_CHARSET_NAME, options.charset.c_str());
  mysql_optionsv(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &options.connect_timeout);
  if (options.read_timeout) mysql_optionsv(mysql, MYSQL_OPT_READ_TIMEOUT, &*options.read_timeout);
  if (options.write_timeout) {
    mysql_optionsv(mysql, MYSQL_OPT_WRITE_TIMEOUT, &*options.write_timeout);
  }
  my_bool enabled = 1;
  my_bool disabled = 0;
  // A lost connection must surface as an error, never be silently replaced (a reconnect would
  // drop the transaction and the session settings).
  mysql_optionsv(mysql, MYSQL_OPT_RECONNECT, &disabled);
  // Never let the server ask for client files (LOAD DATA LOCAL INFILE).
  unsigned int no_local_files = 0;
  mysql_optionsv(mysql, MYSQL_OPT_LOCAL_INFILE, &no_local_files);
  if (options.ssl_mode != SslMode::kDisabled) {
    if (options.ssl_ca) mysql_optionsv(mysql, MYSQL_OPT_SSL_CA, options.ssl_ca->c_str());
    if (options.ssl_cert) mysql_optionsv(mysql, MYSQL_OPT_SSL_CERT, options.ssl_cert->c_str());
    if (options.ssl_key) mysql_optionsv(mysql, MYSQL_OPT_SSL_KEY, options.ssl_key->c_str());
  }
  switch (options.ssl_mode) {
    case SslMode::kDisabled:
    case SslMode::kPreferred:
      break;
    case SslMode::kRequired:
      mysql_optionsv(mysql, MYSQL_OPT_SSL_ENFORCE, &enabled);
      break;
    case SslMode::kVerifyCa:
    case SslMode::kVerifyIdentity:
      mysql_optionsv(mysql, MYSQL_OPT_SSL_ENFORCE, &enabled);
      mysql_optionsv(mysql, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &enabled);
      break;
  }

  const char* host = options.host.empty() ? nullptr : options.host.c_str();
  const char* user = options.user ? options.user->c_str() : nullptr;
  const char* password = options.password ? options.password->c_str() : nullptr;
  const char* database = options.database ? options.database->c_str() : nullptr;
  const char* socket = options.unix_socket ? options.unix_socket->c_str() : nullptr;
  if (mysql_real_connect(mysql, host, user, password, database, options.port, socket,
                         CLIENT_FOUND_ROWS | CLIENT_MULTI_RESULTS) == nullptr) {
    fail_connect("cannot connect to MySQL server: ");
  }

  // One round trip for the whole session contract (see mysql_driver.hpp).
  static constexpr std::string_view kSessionSetup =
      "SET autocommit = 0, time_zone = '+00:00', "
      "sql_mode = CONCAT_WS(',', REPLACE(@@sql_mode, 'NO_BACKSLASH_ESCAPES', ''), "
      "'STRICT_TRANS_TABLES', 'NO_AUTO_VALUE_ON_ZERO')";
  if (mysql_real_query(mysql, kSessionSetup.data(),
                       static_cast<unsigned long>(kSessionSetup.size())) != 0) {
    fail_connect("cannot set up the MySQL session: ");
  }
  return std::make_unique<MySqlConnection>(mysql);
}

}  // namespace athanor::detail::mysql
