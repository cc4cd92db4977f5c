// Athanor Core, sqlite dialect: the driver (connection, cursor, prepared statement cache) over
// the sqlite3 C API. Errors are translated in sqlite_errors.cpp, URLs parsed in sqlite_url.cpp.
//
// Statement life cycle. Every statement is compiled once per connection and kept in an LRU
// cache keyed by its SQL text. A cached statement is always reset with no bindings, except while
// one execution uses it:
//   - statements that change the database (or are not read-only) run to completion inside
//     execute(): their RETURNING rows are buffered (SQLite computes them all at the first step
//     anyway), and the row count and last insert id are read once the statement has finished;
//   - read-only statements stream: execute() takes the first step and each fetch() the next one.
//     The streaming cursor is the connection's single active cursor; any further call on the
//     connection, or the cursor's end, close or destruction, resets the statement.
// A stream refers to its statement without owning it: the connection finishes the stream before
// anything else it does (preparing, which may evict the statement from the cache, included) and
// before it is destroyed, so the statement outlives every stream that can still step it.
#include "core/dialects/sqlite/sqlite_driver.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "athanor/core/error.hpp"
#include "athanor/core/value.hpp"
#include "core/dialects/sqlite/sqlite_errors.hpp"
#include "core/dialects/sqlite/sqlite_schema_text.hpp"

namespace athanor::detail {

namespace {

constexpr std::size_t kStatementCacheCapacity = 128;

// ---- values <-> text ---------------------------------------------------------------------------

// Timestamps are stored as "YYYY-MM-DD HH:MM:SS.ffffff" (UTC for instants, no offset), so that
// text order is time order and equal instants compare equal as text.
// The dates the text forms hold: four-digit years, 0001 to 9999 (what parse_timestamp and
// SQLite's date functions read), and times of day from 00:00 to 23:59:59.999999. Anything else
// would be stored as text no reader takes back, so binding refuses it (raise_out_of_range).
bool is_storable_day(std::chrono::sys_days day) {
  const int year = static_cast<int>(std::chrono::year_month_day{day}.year());
  return year >= 1 && year <= 9999;
}

bool is_storable_time(TimeOfDay t) {
  return t.since_midnight >= std::chrono::microseconds::zero() &&
         t.since_midnight < std::chrono::days{1};
}

// REQUIRES: is_storable_day(floor<days>(t)).
std::string format_datetime_text(std::chrono::sys_time<std::chrono::microseconds> t) {
  using namespace std::chrono;
  const sys_days day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<microseconds> hms{t - day};
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                     hms.subseconds().count());
}

// REQUIRES: is_storable_time(t).
std::string format_time_text(TimeOfDay t) {
  using namespace std::chrono;
  const hh_mm_ss<microseconds> hms{t.since_midnight};
  return fmt::format("{:02}:{:02}:{:02}.{:06}", hms.hours().count(), hms.minutes().count(),
                     hms.seconds().count(), hms.subseconds().count());
}

// DataError (SQLSTATE 22008, datetime field overflow) for a date or time parameter outside the
// range above; `stmt` is reset.
[[noreturn]] void raise_out_of_range(sqlite3_stmt* stmt, int index, const Value& value,
                                     std::string_view range) {
  DBAPIError::Details details;
  details.message =
      fmt::format("parameter {}: {} {} is outside the range SQLite date and time text holds ({})",
                  index, value_kind(value), render_value(value), range);
  const char* sql = sqlite3_sql(stmt);
  details.sql = sql != nullptr ? sql : "";
  details.parameters = render_value(value);
  details.sqlstate = "22008";
  sqlite3_reset(stmt);
  throw DataError(std::move(details));
}

constexpr std::string_view kDayRange = "years 1 to 9999";

// A NUMERIC(p, s) value that SQLite stored as INTEGER or REAL (its NUMERIC affinity converts
// numeric-looking text), as a Decimal with the column's scale.
Decimal decimal_with_scale(std::int64_t value, int scale) {
  if (scale <= 0) return Decimal{std::to_string(value)};
  return Decimal{fmt::format("{}.{}", value, std::string(static_cast<std::size_t>(scale), '0'))};
}

std::optional<Decimal> decimal_with_scale(double value, int scale) {
  if (!std::isfinite(value)) return std::nullopt;
  std::string text = fmt::format("{:.{}f}", value, std::max(scale, 0));
  if (text.front() == '-' && text.find_first_not_of("-0.") == std::string::npos) text.erase(0, 1);
  return Decimal{std::move(text)};
}

// ---- statements --------------------------------------------------------------------------------

// What a statement does, which decides how its results are reported.
enum class StatementKind {
  kInsert,  // INSERT / REPLACE: row count and last insert id
  kModify,  // UPDATE / DELETE / WITH ... DML: row count
  kOther,   // SELECT, DDL, PRAGMA, transaction control: no row count
};

// The first keyword of `sql`, upper case, skipping white space, comments and parentheses.
std::string leading_keyword(std::string_view sql) {
  std::size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c)) != 0 || c == '(') {
      ++i;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      std::size_t end = sql.find('\n', i);
      i = end == std::string_view::npos ? sql.size() : end + 1;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      std::size_t end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? sql.size() : end + 2;
    } else {
      break;
    }
  }
  std::string word;
  while (i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i])) != 0) {
    word.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i]))));
    ++i;
  }
  return word;
}

// One compiled statement. Owned by the connection's cache and, while it runs, by its cursor.
struct Statement {
  Statement(sqlite3_stmt* handle, std::string text) : stmt(handle), sql(std::move(text)) {
    std::string keyword = leading_keyword(sql);
    const bool read_only = sqlite3_stmt_readonly(stmt) != 0;
    if (keyword == "INSERT" || keyword == "REPLACE") {
      kind = StatementKind::kInsert;
    } else if (keyword == "UPDATE" || keyword == "DELETE" || (keyword == "WITH" && !read_only)) {
      kind = StatementKind::kModify;
    } else {
      kind = StatementKind::kOther;
    }
    streams = read_only && kind == StatementKind::kOther;
    parameter_count = sqlite3_bind_parameter_count(stmt);
    // Without a `*`, the text lists every result column: a recompilation cannot change them.
    columns_follow_schema = sql.find('*') != std::string::npos;
    describe_columns();
  }
  ~Statement() { sqlite3_finalize(stmt); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Result column names and, for columns declared NUMERIC(p, s), the scale. Refreshed when a
  // recompilation after a schema change altered the column count (SELECT *).
  void describe_columns() {
    const int count = sqlite3_column_count(stmt);
    std::vector<std::string> names;
    names.reserve(static_cast<std::size_t>(count));
    numeric_scales.assign(static_cast<std::size_t>(count), -1);
    for (int i = 0; i < count; ++i) {
      const char* name = sqlite3_column_name(stmt, i);
      names.emplace_back(name ? name : "");
      if (const char* declared = sqlite3_column_decltype(stmt, i)) {
        TypeEngine type = parse_sqlite_type(declared);
        if (const auto* numeric = std::get_if<Numeric>(&type); numeric && numeric->precision) {
          numeric_scales[static_cast<std::size_t>(i)] = numeric->scale.value_or(0);
        }
      }
    }
    columns = std::make_shared<const RowMetadata>(std::move(names));
  }
  void refresh_columns_if_changed() {
    if (!columns_follow_schema) return;
    if (static_cast<std::size_t>(sqlite3_column_count(stmt)) != columns->names().size()) {
      describe_columns();
    }
  }
  // Back to the cached state. The bindings are left: they may point into the caller's values,
  // but a statement is always re-bound in full (bind_all) before it is stepped again, so
  // clearing every binding of every page of a multi-row INSERT would be work for nothing.
  void release() { sqlite3_reset(stmt); }

  sqlite3_stmt* stmt;
  std::string sql;
  StatementKind kind = StatementKind::kOther;
  std::uint64_t id = 0;  // the number the last execution named `sql` with; 0: none
  bool streams = false;
  bool columns_follow_schema = true;  // the text has a `*`: see refresh_columns_if_changed
  int parameter_count = 0;
  std::shared_ptr<const RowMetadata> columns;  // shared by the results of this statement
  std::vector<int> numeric_scales;             // -1: not a NUMERIC(p, s) column
};

// Writes the values of one row into a row buffer: appended when the buffer is new (or had
// another width), assigned over the previous row's values otherwise, so that a value of the same
// type reuses its storage and nothing is first made a NULL and then replaced.
class RowWriter {
 public:
  RowWriter(std::vector<Value>& row, std::size_t width) : row_(row), fresh_(row.size() != width) {
    if (fresh_) {
      row_.clear();
      row_.reserve(width);
    }
  }

  template <class T>
  void put(std::size_t i, T&& value) {
    using U = std::remove_cvref_t<T>;
    if (fresh_) {
      row_.emplace_back(std::in_place_type<U>, std::forward<T>(value));
    } else if (auto* existing = std::get_if<U>(&row_[i])) {
      *existing = std::forward<T>(value);
    } else {
      row_[i].template emplace<U>(std::forward<T>(value));
    }
  }
  void put_text(std::size_t i, std::string_view text) {
    auto* existing = fresh_ ? nullptr : std::get_if<std::string>(&row_[i]);
    if (existing != nullptr && existing->capacity() >= text.size()) {
      existing->assign(text);  // the previous row's buffer
    } else if (fresh_) {
      row_.emplace_back(std::in_place_type<std::string>, text);
    } else {
      row_[i].emplace<std::string>(text);  // one allocation, no reallocating assign
    }
  }
  void put_bytes(std::size_t i, const void* data, std::size_t size) {
    const auto* begin = static_cast<const std::byte*>(data);
    if (fresh_) {
      row_.emplace_back(std::in_place_type<Bytes>, begin, begin + size);
    } else if (auto* existing = std::get_if<Bytes>(&row_[i])) {
      existing->assign(begin, begin + size);
    } else {
      row_[i].emplace<Bytes>(begin, begin + size);
    }
  }
  void put_null(std::size_t i) {
    if (fresh_) {
      row_.emplace_back();
    } else {
      row_[i] = Null{};
    }
  }

 private:
  std::vector<Value>& row_;
  bool fresh_;
};

// Writes one column into a single Value (SqliteStreamCursor::read_value).
class ValueWriter {
 public:
  explicit ValueWriter(Value& out) : out_(out) {}
  template <class T>
  void put(std::size_t, T&& value) {
    out_ = std::forward<T>(value);
  }
  void put_text(std::size_t, std::string_view text) { out_.emplace<std::string>(text); }
  void put_bytes(std::size_t, const void* data, std::size_t size) {
    const auto* begin = static_cast<const std::byte*>(data);
    out_.emplace<Bytes>(begin, begin + size);
  }
  void put_null(std::size_t) { out_ = Null{}; }

 private:
  Value& out_;
};

// Reads column `i` of the current row of `statement` into `out` (a RowWriter or ValueWriter).
// False when SQLite ran out of memory converting the value (the error code is then on `db`).
//
// The column is read through sqlite3_column_value once: the sqlite3_value_* accessors skip the
// per-call statement checks of sqlite3_column_*. The value is unprotected, which is safe because
// one thread uses the connection (it is opened with SQLITE_OPEN_NOMUTEX) and the value is read
// before the next step.
template <class Writer>
[[nodiscard]] bool read_column(sqlite3* db, const Statement& statement, std::size_t i,
                               Writer& out) {
  sqlite3_stmt* stmt = statement.stmt;
  const int col = static_cast<int>(i);
  sqlite3_value* cell = sqlite3_column_value(stmt, col);
  const int scale = statement.numeric_scales[i];
  switch (sqlite3_value_type(cell)) {
    case SQLITE_INTEGER: {
      const std::int64_t value = sqlite3_value_int64(cell);
      if (scale >= 0) {
        out.put(i, decimal_with_scale(value, scale));
      } else {
        out.put(i, value);
      }
      break;
    }
    case SQLITE_FLOAT: {
      const double value = sqlite3_value_double(cell);
      std::optional<Decimal> decimal;
      if (scale >= 0) decimal = decimal_with_scale(value, scale);
      if (decimal) {
        out.put(i, std::move(*decimal));
      } else {
        out.put(i, value);
      }
      break;
    }
    case SQLITE_TEXT: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(cell));
      if (text == nullptr) {
        // Out of memory: the statement-level call records the error code on `db`.
        text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, col));
        if (text == nullptr && sqlite3_errcode(db) == SQLITE_NOMEM) return false;
      }
      const auto size = static_cast<std::size_t>(sqlite3_value_bytes(cell));
      out.put_text(i, text ? std::string_view(text, size) : std::string_view());
      break;
    }
    case SQLITE_BLOB: {
      const void* data = sqlite3_value_blob(cell);
      const auto size = static_cast<std::size_t>(sqlite3_value_bytes(cell));
      if (data == nullptr && size > 0) {
        data = sqlite3_column_blob(stmt, col);
        if (data == nullptr && sqlite3_errcode(db) == SQLITE_NOMEM) return false;
      }
      out.put_bytes(i, data, data == nullptr ? 0 : size);
      break;
    }
    default:
      out.put_null(i);
      break;
  }
  return true;
}

// Reads the current row of `statement` into `row`, reusing the buffers `row` already holds.
// False when SQLite ran out of memory converting a value (the error code is then on `db`).
[[nodiscard]] bool read_row(sqlite3* db, const Statement& statement, std::vector<Value>& row) {
  const std::size_t count = statement.columns->names().size();
  RowWriter out(row, count);
  for (std::size_t i = 0; i < count; ++i) {
    if (!read_column(db, statement, i, out)) return false;
  }
  return true;
}

// Binds `text` to placeholder `index` (1-based), the text kept by the caller (SQLITE_STATIC) or
// copied (SQLITE_TRANSIENT).
int bind_text(sqlite3_stmt* stmt, int index, std::string_view text,
              sqlite3_destructor_type lifetime) {
  return sqlite3_bind_text64(stmt, index, text.data(), text.size(), lifetime, SQLITE_UTF8);
}

// bind_value for the alternatives other than integers, text and doubles. A JSON document that
// cannot be written raises ArgumentError, `stmt` reset.
[[gnu::noinline]] int bind_other_value(sqlite3_stmt* stmt, int index, const Value& value,
                                       sqlite3_destructor_type held) {
  try {
    return std::visit(
        [&](const auto& v) -> int {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, Null>) {
            return sqlite3_bind_null(stmt, index);
          } else if constexpr (std::is_same_v<T, bool>) {
            return sqlite3_bind_int64(stmt, index, v ? 1 : 0);
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            return sqlite3_bind_int64(stmt, index, v);
          } else if constexpr (std::is_same_v<T, double>) {
            return sqlite3_bind_double(stmt, index, v);
          } else if constexpr (std::is_same_v<T, std::string>) {
            return bind_text(stmt, index, v, held);
          } else if constexpr (std::is_same_v<T, Bytes>) {
            // A null pointer would bind NULL: an empty blob must stay an empty blob.
            if (v.empty()) return sqlite3_bind_zeroblob(stmt, index, 0);
            return sqlite3_bind_blob64(stmt, index, v.data(), v.size(), held);
          } else if constexpr (std::is_same_v<T, Decimal>) {
            return bind_text(stmt, index, v.text, held);
          } else if constexpr (std::is_same_v<T, std::chrono::sys_days>) {
            if (!is_storable_day(v)) raise_out_of_range(stmt, index, value, kDayRange);
            return bind_text(stmt, index, format_date(v), SQLITE_TRANSIENT);
          } else if constexpr (std::is_same_v<T, Timestamp> || std::is_same_v<T, LocalTimestamp>) {
            const Timestamp utc{v.time_since_epoch()};  // an instant is stored as UTC
            if (!is_storable_day(std::chrono::floor<std::chrono::days>(utc))) {
              raise_out_of_range(stmt, index, value, kDayRange);
            }
            return bind_text(stmt, index, format_datetime_text(utc), SQLITE_TRANSIENT);
          } else if constexpr (std::is_same_v<T, TimeOfDay>) {
            if (!is_storable_time(v)) {
              raise_out_of_range(stmt, index, value, "00:00:00 to 23:59:59.999999");
            }
            return bind_text(stmt, index, format_time_text(v), SQLITE_TRANSIENT);
          } else if constexpr (std::is_same_v<T, UuidValue>) {
            return bind_text(stmt, index, v.to_string(), SQLITE_TRANSIENT);
          } else {
            static_assert(std::is_same_v<T, JsonDocument>);
            return bind_text(
                stmt, index,
                v.document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                SQLITE_TRANSIENT);
          }
        },
        value);
  } catch (const nlohmann::json::exception& e) {
    sqlite3_reset(stmt);
    throw ArgumentError(
        fmt::format("parameter {}: cannot bind JSON document: {}", index, e.what()));
  }
}

// Binds the value of placeholder `index` (1-based). With `values_outlive_execution`, text and
// blobs already held by `value` are bound without a copy (SQLITE_STATIC); text made here (dates,
// UUIDs, JSON) is always copied.
inline int bind_value(sqlite3_stmt* stmt, int index, const Value& value,
                      bool values_outlive_execution) {
  const auto held = values_outlive_execution ? SQLITE_STATIC : SQLITE_TRANSIENT;
  // The common alternatives first, without the dispatch table of std::visit.
  if (const auto* integer = std::get_if<std::int64_t>(&value)) {
    return sqlite3_bind_int64(stmt, index, *integer);
  }
  if (const auto* text = std::get_if<std::string>(&value)) {
    return bind_text(stmt, index, *text, held);
  }
  if (const auto* real = std::get_if<double>(&value)) {
    return sqlite3_bind_double(stmt, index, *real);
  }
  return bind_other_value(stmt, index, value, held);
}

std::string render_parameters(std::span<const Value> params) {
  if (params.empty()) return {};
  return render_values(std::vector<Value>(params.begin(), params.end()));
}

// Quotes a savepoint name unless it is a plain identifier.
std::string savepoint_name(const std::string& name) {
  const bool plain = !name.empty() && std::isdigit(static_cast<unsigned char>(name.front())) == 0 &&
                     std::all_of(name.begin(), name.end(), [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
                     });
  if (plain) return name;
  std::string quoted = "\"";
  for (char c : name) {
    quoted.push_back(c);
    if (c == '"') quoted.push_back('"');
  }
  quoted.push_back('"');
  return quoted;
}

// ---- cursors -----------------------------------------------------------------------------------

// A streaming execution in progress. Owned by the connection, which finishes it before its next
// call and reuses it once no cursor refers to it; a cursor that outlives that (or the
// connection) is handed the ownership of its stream. (Two owners at most, one thread at a time:
// flags rather than an atomic reference count, which would cost every execution.)
struct Stream {
  sqlite3* db = nullptr;
  Statement* statement = nullptr;  // owned by the connection's cache; null once finished
  bool row_ready = false;          // the last step produced a row not yet fetched
  bool cursor_attached = false;    // a cursor refers to this stream
  bool owned_by_cursor = false;    // the connection let go of it: the cursor deletes it
  std::vector<Value> params;       // bound without copies; also quoted in errors
  // The statement's column names, kept past the end of the stream for the cursor. (Assigned
  // only when they change: a statement run over and over costs no reference counting.)
  std::shared_ptr<const RowMetadata> columns;

  void finish() {
    if (statement != nullptr) {
      statement->release();
      statement = nullptr;
    }
    row_ready = false;
  }
};

// The memory of a cursor: a cursor is made per execution, and SQLite executes in well under a
// microsecond, so each thread keeps the block of its last freed cursor for the next one instead
// of going to malloc.
class RecycledCursor : public driver::Cursor {
 public:
  static void* operator new(std::size_t size) {
    SpareBlock& spare = spare_block();
    if (spare.block != nullptr && spare.size == size) return std::exchange(spare.block, nullptr);
    return ::operator new(size);
  }
  static void operator delete(void* block, std::size_t size) noexcept {
    SpareBlock& spare = spare_block();
    if (spare.block == nullptr) {
      spare.block = block;
      spare.size = size;
    } else {
      ::operator delete(block);  // unsized: sized deallocation is optional in clang
    }
  }

 private:
  struct SpareBlock {
    void* block = nullptr;
    std::size_t size = 0;
    ~SpareBlock() { ::operator delete(std::exchange(block, nullptr)); }
  };
  static SpareBlock& spare_block() noexcept {
    thread_local SpareBlock spare;
    return spare;
  }
};

// A cursor over the rows a statement returned as it ran to completion (RETURNING), or over none.
// The typed reads are the base class's, through fetch().
class SqliteRowsCursor final : public RecycledCursor {
 public:
  SqliteRowsCursor(std::shared_ptr<const RowMetadata> columns, std::vector<std::vector<Value>> rows,
                   std::int64_t rowcount, std::optional<std::int64_t> lastrowid)
      : columns_(std::move(columns)), rows_(std::move(rows)) {
    rowcount_ = rowcount;
    lastrowid_ = lastrowid;
    shared_metadata_ = &columns_;
  }

  const std::vector<std::string>& column_names() const override { return columns_->names(); }
  bool fetch(std::vector<Value>& row) override {
    if (next_row_ >= rows_.size()) return false;
    row = std::move(rows_[next_row_++]);
    return true;
  }
  void close() override {
    rows_.clear();
    next_row_ = 0;
  }

 private:
  std::shared_ptr<const RowMetadata> columns_;
  std::vector<std::vector<Value>> rows_;
  std::size_t next_row_ = 0;
};

// A cursor that steps a read-only statement on each fetch.
class SqliteStreamCursor final : public RecycledCursor {
 public:
  explicit SqliteStreamCursor(Stream* stream) : stream_(stream) {
    stream_->cursor_attached = true;
    shared_metadata_ = &stream_->columns;
  }
  ~SqliteStreamCursor() override {
    stream_->finish();
    if (stream_->owned_by_cursor) {
      delete stream_;
    } else {
      stream_->cursor_attached = false;
    }
  }
  SqliteStreamCursor(const SqliteStreamCursor&) = delete;
  SqliteStreamCursor& operator=(const SqliteStreamCursor&) = delete;

  const std::vector<std::string>& column_names() const override {
    return stream_->columns->names();
  }

  bool fetch(std::vector<Value>& row) override {
    Stream& s = *stream_;
    if (!step(s)) return false;
    if (!read_row(s.db, *s.statement, row)) fail(s);
    return true;
  }

  bool advance() override { return step(*stream_); }
  bool read_int64(std::size_t index, std::int64_t& out) override {
    sqlite3_value* cell = plain_cell(index, SQLITE_INTEGER);
    if (cell == nullptr) return false;
    out = sqlite3_value_int64(cell);
    return true;
  }
  bool read_double(std::size_t index, double& out) override {
    sqlite3_value* cell = plain_cell(index, SQLITE_FLOAT);
    if (cell == nullptr) return false;
    out = sqlite3_value_double(cell);
    return true;
  }
  bool read_text(std::size_t index, std::string& out) override {
    sqlite3_value* cell = plain_cell(index, SQLITE_TEXT);
    return cell != nullptr && store_text(cell, out);
  }
  std::uint64_t read_fields(std::span<const driver::FieldTarget> targets) override {
    using Kind = driver::FieldTarget::Kind;
    const Statement* statement = stream_->statement;
    if (statement == nullptr || targets.size() > statement->numeric_scales.size()) {
      return Cursor::read_fields(targets);  // no row, or too few columns: as the read_* fail
    }
    // In locals: the stores through the targets could otherwise alias them.
    sqlite3_stmt* const stmt = statement->stmt;
    const int* const scales = statement->numeric_scales.data();
    std::uint64_t unread = 0;
    for (std::size_t i = 0; i < targets.size(); ++i) {
      const driver::FieldTarget& target = targets[i];
      bool stored = false;
      if (target.kind != Kind::kOther && scales[i] < 0) {
        sqlite3_value* cell = sqlite3_column_value(stmt, static_cast<int>(i));
        const int type = sqlite3_value_type(cell);
        if (target.kind == Kind::kInt64 && type == SQLITE_INTEGER) {
          *static_cast<std::int64_t*>(target.out) = sqlite3_value_int64(cell);
          stored = true;
        } else if (target.kind == Kind::kDouble && type == SQLITE_FLOAT) {
          *static_cast<double*>(target.out) = sqlite3_value_double(cell);
          stored = true;
        } else if (target.kind == Kind::kText && type == SQLITE_TEXT) {
          stored = store_text(cell, *static_cast<std::string*>(target.out));
        }
      }
      if (!stored) unread |= std::uint64_t{1} << i;
    }
    return unread;
  }
  driver::FieldsFetched fetch_fields(std::span<const driver::FieldTarget> targets) override {
    if (!step(*stream_)) return {};
    return {.row = true, .unread = SqliteStreamCursor::read_fields(targets)};
  }
  void read_value(std::size_t index, Value& out) override {
    Stream& s = *stream_;
    if (s.statement == nullptr || index >= s.statement->columns->names().size()) {
      throw InterfaceError(DBAPIError::Details{
          .message = fmt::format(
              "no column {} to read: the cursor has no current row of that width", index)});
    }
    ValueWriter writer(out);
    if (!read_column(s.db, *s.statement, index, writer)) fail(s);
  }

  void close() override { stream_->finish(); }

 private:
  // Steps `s` to its next row; false at the end.
  static bool step(Stream& s) {
    if (s.statement == nullptr) return false;
    if (!s.row_ready) {
      const int rc = sqlite3_step(s.statement->stmt);
      if (rc == SQLITE_DONE) {
        s.finish();
        return false;
      }
      if (rc != SQLITE_ROW) fail(s);
    }
    s.row_ready = false;
    return true;
  }

  // The text of `cell` into `out`; false when SQLite ran out of memory converting it (read_value
  // then reports the error).
  static bool store_text(sqlite3_value* cell, std::string& out) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(cell));
    if (text == nullptr) return false;
    Cursor::store_text(out,
                       std::string_view(text, static_cast<std::size_t>(sqlite3_value_bytes(cell))));
    return true;
  }

  // Column `index` of the current row when it holds a value of storage class `type` that needs
  // no conversion (not a NUMERIC(p, s) column); null otherwise.
  sqlite3_value* plain_cell(std::size_t index, int type) const {
    const Statement* statement = stream_->statement;
    if (statement == nullptr || index >= statement->numeric_scales.size() ||
        statement->numeric_scales[index] >= 0) {
      return nullptr;
    }
    sqlite3_value* cell = sqlite3_column_value(statement->stmt, static_cast<int>(index));
    return sqlite3_value_type(cell) == type ? cell : nullptr;
  }

  // Raises the error of the last call on the stream's statement, ending the stream.
  [[noreturn]] static void fail(Stream& s) {
    const int code = sqlite3_extended_errcode(s.db);
    std::string message = sqlite3_errmsg(s.db);
    std::string sql = s.statement->sql;
    std::string parameters = render_parameters(s.params);
    s.finish();
    raise_sqlite_error(code, std::move(message), std::move(sql), std::move(parameters),
                       SqliteErrorPhase::kExecute);
  }

  Stream* stream_;  // see Stream for who owns it
};

// ---- connection --------------------------------------------------------------------------------

class SqliteConnection final : public driver::Connection {
 public:
  SqliteConnection(sqlite3* db, bool in_memory) : db_(db), in_memory_(in_memory) {}
  ~SqliteConnection() override {
    close_active_cursor();
    if (active_ && active_->cursor_attached) hand_active_stream_to_cursor();
    lru_.clear();
    index_.clear();
    sqlite3_close_v2(db_);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  std::unique_ptr<driver::Cursor> execute(const std::string& sql, std::span<const Value> params,
                                          const driver::ExecuteOptions& options) override {
    // SQLite always streams read-only statements: options.stream_results changes nothing.
    close_active_cursor();
    Statement* statement = prepare(sql, params, options.statement_id);
    if (statement == nullptr) {
      return std::make_unique<SqliteRowsCursor>(
          RowMetadata::empty(), std::vector<std::vector<Value>>{}, -1, std::nullopt);
    }
    return statement->streams ? stream(*statement, params) : run_to_completion(*statement, params);
  }
  std::int64_t execute_many(const std::string& sql,
                            std::span<const std::vector<Value>> rows) override {
    return run_many(sql, rows, nullptr);
  }

  std::int64_t execute_many_lastrowids(const std::string& sql,
                                       std::span<const std::vector<Value>> rows,
                                       std::vector<std::int64_t>& ids) override {
    return run_many(sql, rows, &ids);
  }

  void begin() override {
    if (!autocommit_) run("BEGIN");
  }
  void commit() override {
    if (!autocommit_) run("COMMIT");
  }
  void rollback() override {
    if (!autocommit_) run("ROLLBACK");
  }
  // Without BEGIN, SQLite commits every statement by itself: AUTOCOMMIT is only a flag here.
  void set_isolation_level(std::string_view level) override {
    autocommit_ = level == "AUTOCOMMIT";
    if (autocommit_) return;
    const bool read_uncommitted = level == "READ UNCOMMITTED";
    if (read_uncommitted != read_uncommitted_) {
      run(read_uncommitted ? "PRAGMA read_uncommitted = 1" : "PRAGMA read_uncommitted = 0");
      read_uncommitted_ = read_uncommitted;
    }
  }
  void savepoint(const std::string& name) override { run("SAVEPOINT " + savepoint_name(name)); }
  void release_savepoint(const std::string& name) override {
    run("RELEASE SAVEPOINT " + savepoint_name(name));
  }
  void rollback_to_savepoint(const std::string& name) override {
    run("ROLLBACK TO SAVEPOINT " + savepoint_name(name));
  }

  bool ping() noexcept override {
    try {
      run("SELECT 1");
      return true;
    } catch (...) {
      return false;
    }
  }
  bool is_broken() const noexcept override { return broken_; }
  std::string server_version() const override { return sqlite3_libversion(); }

  // Runs a statement that returns nothing the caller needs (transaction control, PRAGMAs).
  void run(const std::string& sql) { (void)execute(sql, {}, {}); }

 private:
  // Starts a read-only statement: its first step is taken here, each fetch takes the next one.
  // (Kept apart from run_to_completion, and that out of line, so that each stays compact in the
  // instruction cache of a loop that executes one kind of statement.)
  std::unique_ptr<driver::Cursor> stream(Statement& statement, std::span<const Value> params) {
    // The last stream is reused once no cursor holds it (its buffers keep their capacity); a
    // cursor still holding it keeps it, finished.
    if (!active_ || active_->cursor_attached) new_active_stream();
    Stream& stream = *active_;
    stream.db = db_;
    bind_kept(statement, params, stream.params);
    const int rc = sqlite3_step(statement.stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) fail(statement, params);
    statement.refresh_columns_if_changed();
    if (stream.columns != statement.columns) stream.columns = statement.columns;
    stream.statement = &statement;
    stream.row_ready = rc == SQLITE_ROW;
    if (rc == SQLITE_DONE) stream.finish();
    return std::make_unique<SqliteStreamCursor>(active_.get());
  }

  // Runs a statement that changes the database to completion, buffering its RETURNING rows.
  [[gnu::noinline]] std::unique_ptr<driver::Cursor> run_to_completion(
      Statement& statement, std::span<const Value> params) {
    bind_all(statement, params, /*values_outlive_execution=*/true);
    std::vector<std::vector<Value>> rows;
    int rc = sqlite3_step(statement.stmt);
    if (rc == SQLITE_ROW) statement.refresh_columns_if_changed();
    while (rc == SQLITE_ROW) {
      if (!read_row(db_, statement, rows.emplace_back())) fail(statement, params);
      rc = sqlite3_step(statement.stmt);
    }
    if (rc != SQLITE_DONE) fail(statement, params);
    // The counters of a statement with RETURNING are only final once it is reset.
    statement.release();
    std::int64_t rowcount = -1;
    std::optional<std::int64_t> lastrowid;
    if (statement.kind != StatementKind::kOther) rowcount = sqlite3_changes64(db_);
    if (statement.kind == StatementKind::kInsert && rowcount > 0) {
      lastrowid = sqlite3_last_insert_rowid(db_);
    }
    return std::make_unique<SqliteRowsCursor>(statement.columns, std::move(rows), rowcount,
                                              lastrowid);
  }

  // One prepared statement re-bound per row; with `ids`, each row's last-insert-id is appended.
  std::int64_t run_many(const std::string& sql, std::span<const std::vector<Value>> rows,
                        std::vector<std::int64_t>* ids) {
    close_active_cursor();
    if (rows.empty()) return 0;
    Statement* statement = prepare(sql, rows.front());
    if (statement == nullptr) return 0;
    std::int64_t total = 0;
    for (const std::vector<Value>& row : rows) {
      bind_all(*statement, row, /*values_outlive_execution=*/true);
      int rc = SQLITE_ROW;
      while (rc == SQLITE_ROW) rc = sqlite3_step(statement->stmt);
      if (rc != SQLITE_DONE) fail(*statement, row);
      sqlite3_reset(statement->stmt);
      if (statement->kind != StatementKind::kOther) total += sqlite3_changes64(db_);
      if (ids) ids->push_back(sqlite3_last_insert_rowid(db_));
    }
    return statement->kind != StatementKind::kOther ? total : -1;
  }

  using Lru = std::list<std::unique_ptr<Statement>>;

  // A stream for the next streaming execution, the active one being still referred to by its
  // cursor (a Result kept alive).
  [[gnu::noinline]] void new_active_stream() {
    if (active_) hand_active_stream_to_cursor();
    active_ = std::make_unique<Stream>();
  }
  void hand_active_stream_to_cursor() noexcept {
    active_->owned_by_cursor = true;
    (void)active_.release();  // deleted by the cursor
  }

  void close_active_cursor() {
    if (active_) active_->finish();
  }

  // The cached statement for `sql`, compiled on a miss; null for text without a statement
  // (only white space and comments). `id`: the caller's number for `sql`, or 0 (see
  // driver::ExecuteOptions::statement_id). `params` only serve error messages.
  Statement* prepare(const std::string& sql, std::span<const Value> params, std::uint64_t id = 0) {
    // A statement executed over and over is the most recently used one: its number, or else
    // its text, is compared before the text is hashed.
    if (!lru_.empty()) {
      Statement& last = *lru_.front();
      if (id != 0 && last.id == id) return &last;
      if (last.sql == sql) {
        last.id = id;
        return &last;
      }
    }
    if (auto it = index_.find(sql); it != index_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);
      (*it->second)->id = id;
      return it->second->get();
    }
    Statement* statement = compile(sql, params);
    if (statement != nullptr) statement->id = id;
    return statement;
  }

  // prepare() for text not in the cache: compiles it and caches the statement, evicting the
  // least recently used one when the cache is full.
  [[gnu::noinline]] Statement* compile(const std::string& sql, std::span<const Value> params) {
    if (sql.size() >= static_cast<std::size_t>(std::numeric_limits<int>::max())) {
      raise_error(SQLITE_TOOBIG, "the statement text is too long", sql.substr(0, 200), params,
                  SqliteErrorPhase::kPrepare);
    }
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    // The length includes the terminating NUL, which spares SQLite a copy.
    int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size() + 1),
                                SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) {
      raise_error(sqlite3_extended_errcode(db_), sqlite3_errmsg(db_), sql, params,
                  SqliteErrorPhase::kPrepare);
    }
    if (stmt == nullptr) return nullptr;
    auto statement = std::make_unique<Statement>(stmt, sql);
    if (has_second_statement(tail, sql)) {
      DBAPIError::Details details;
      details.message = "only one statement can be executed at a time";
      details.sql = sql;
      details.parameters = render_parameters(params);
      throw ProgrammingError(std::move(details));
    }
    Statement* prepared = statement.get();
    lru_.push_front(std::move(statement));
    index_.emplace(std::string_view(prepared->sql), lru_.begin());
    if (lru_.size() > kStatementCacheCapacity) {
      // Never the active stream's statement: every caller finished the stream first.
      index_.erase(std::string_view(lru_.back()->sql));
      lru_.pop_back();
    }
    return prepared;
  }

  // Whether text after the first statement holds another statement (rather than only white space,
  // comments and semicolons).
  bool has_second_statement(const char* tail, const std::string& sql) const {
    const char* end = sql.c_str() + sql.size();
    if (tail == nullptr || tail >= end) return false;
    sqlite3_stmt* next = nullptr;
    const int rc = sqlite3_prepare_v2(db_, tail, static_cast<int>(end - tail), &next, nullptr);
    sqlite3_finalize(next);
    return rc != SQLITE_OK || next != nullptr;
  }

  void bind_all(Statement& statement, std::span<const Value> params,
                bool values_outlive_execution) {
    if (static_cast<std::size_t>(statement.parameter_count) != params.size()) {
      throw_binding_count(statement, params);
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (bind_value(statement.stmt, static_cast<int>(i + 1), params[i],
                     values_outlive_execution) != SQLITE_OK) {
        fail(statement, params);
      }
    }
  }

  // bind_all for a stream, which the statement reads as it steps: each value is bound from a
  // copy kept in `kept` (text bound without copying must outlive the binding; errors raised by a
  // later step quote the values), assigned over the previous execution's in the same pass.
  void bind_kept(Statement& statement, std::span<const Value> params, std::vector<Value>& kept) {
    if (static_cast<std::size_t>(statement.parameter_count) != params.size()) {
      throw_binding_count(statement, params);
    }
    if (kept.size() != params.size()) kept.resize(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
      copy_value(kept[i], params[i]);
      if (bind_value(statement.stmt, static_cast<int>(i + 1), kept[i],
                     /*values_outlive_execution=*/true) != SQLITE_OK) {
        fail(statement, params);
      }
    }
  }

  [[noreturn]] static void throw_binding_count(const Statement& statement,
                                               std::span<const Value> params) {
    DBAPIError::Details details;
    details.message = fmt::format(
        "incorrect number of bindings supplied: the statement uses {}, and {} {} supplied",
        statement.parameter_count, params.size(), params.size() == 1 ? "was" : "were");
    details.sql = statement.sql;
    details.parameters = render_parameters(params);
    throw ProgrammingError(std::move(details));
  }

  // Raises the error of the last call on `statement`, leaving it reset.
  [[noreturn]] void fail(Statement& statement, std::span<const Value> params) {
    const int code = sqlite3_extended_errcode(db_);
    std::string message = sqlite3_errmsg(db_);
    statement.release();
    raise_error(code, std::move(message), statement.sql, params, SqliteErrorPhase::kExecute);
  }

  [[noreturn]] void raise_error(int code, std::string message, const std::string& sql,
                                std::span<const Value> params, SqliteErrorPhase phase) {
    // A file that stopped being a usable database will not recover on this handle; a new
    // connection may (the file was replaced). An in-memory database must never be dropped.
    const int primary = code & 0xff;
    if (!in_memory_ && (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)) broken_ = true;
    raise_sqlite_error(code, std::move(message), sql, render_parameters(params), phase);
  }

  sqlite3* db_;
  bool in_memory_;
  bool broken_ = false;
  bool autocommit_ = false;                                    // set_isolation_level("AUTOCOMMIT")
  bool read_uncommitted_ = false;                              // PRAGMA read_uncommitted
  Lru lru_;                                                    // most recently used first
  std::unordered_map<std::string_view, Lru::iterator> index_;  // keys view Statement::sql
  // The stream of the last streaming execution: finished before the next call, reused by the
  // next streaming execution once its cursor is gone.
  std::unique_ptr<Stream> active_;
};

}  // namespace

std::unique_ptr<driver::Connection> open_sqlite_connection(const SqliteConnectOptions& options) {
  // One thread uses a connection at a time (the pool guarantees it), so SQLite's own mutex is
  // not needed. No SQLITE_OPEN_URI: the path is a plain file name.
  int flags = SQLITE_OPEN_NOMUTEX;
  switch (options.mode) {
    case SqliteOpenMode::kReadOnly:
      flags |= SQLITE_OPEN_READONLY;
      break;
    case SqliteOpenMode::kReadWrite:
      flags |= SQLITE_OPEN_READWRITE;
      break;
    case SqliteOpenMode::kReadWriteCreate:
      flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
      break;
  }
  const bool in_memory = options.path == kSqliteMemoryPath;
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(options.path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    const int code = db ? sqlite3_extended_errcode(db) : rc;
    std::string message = fmt::format("unable to open database file '{}': {}", options.path,
                                      db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close_v2(db);
    raise_sqlite_error(code, std::move(message), "", "", SqliteErrorPhase::kConnect);
  }
  auto connection = std::make_unique<SqliteConnection>(db, in_memory);
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, static_cast<int>(std::min<std::int64_t>(
                               options.busy_timeout.count(), std::numeric_limits<int>::max())));
  try {
    connection->run(options.foreign_keys ? "PRAGMA foreign_keys = ON"
                                         : "PRAGMA foreign_keys = OFF");
    if (options.journal_mode) connection->run("PRAGMA journal_mode = " + *options.journal_mode);
    // Opening is lazy: reading the header now reports a file that is not a database (or is
    // locked) here, with its path, rather than at the first statement.
    if (!in_memory) connection->run("PRAGMA schema_version");
  } catch (const DBAPIError& e) {
    DBAPIError::Details details = e.details();
    details.message =
        fmt::format("cannot use database file '{}': {}", options.path, details.message);
    throw OperationalError(std::move(details));
  }
  return connection;
}

}  // namespace athanor::detail
