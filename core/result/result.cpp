// Athanor Core (engine layer): Result and Row.
#include "athanor/core/result.hpp"

#include <fmt/format.h>

#include "athanor/core/driver.hpp"

namespace athanor {

// ---- driver::Cursor: the default typed reads ----------------------------------------------------

namespace driver {

bool Cursor::advance() { return fetch(typed_row_); }

Value& Cursor::typed_cell(std::size_t index) {
  if (index >= typed_row_.size()) {
    throw InterfaceError(
        DBAPIError::Details{.message = fmt::format("no column {} in the current row of {} columns",
                                                   index, typed_row_.size())});
  }
  return typed_row_[index];
}

bool Cursor::read_int64(std::size_t index, std::int64_t& out) {
  const auto* value = std::get_if<std::int64_t>(&typed_cell(index));
  if (value == nullptr) return false;
  out = *value;
  return true;
}

bool Cursor::read_double(std::size_t index, double& out) {
  const auto* value = std::get_if<double>(&typed_cell(index));
  if (value == nullptr) return false;
  out = *value;
  return true;
}

bool Cursor::read_text(std::size_t index, std::string& out) {
  auto* value = std::get_if<std::string>(&typed_cell(index));
  if (value == nullptr) return false;
  out = std::move(*value);
  return true;
}

void Cursor::read_value(std::size_t index, Value& out) { out = std::move(typed_cell(index)); }

const std::shared_ptr<const RowMetadata>& Cursor::no_metadata() noexcept {
  static const std::shared_ptr<const RowMetadata> kNone;
  return kNone;
}

std::uint64_t Cursor::read_fields(std::span<const FieldTarget> targets) {
  return read_each_field(*this, targets);
}

FieldsFetched Cursor::fetch_fields(std::span<const FieldTarget> targets) {
  if (!advance()) return {};
  return {.row = true, .unread = read_fields(targets)};
}

void Cursor::store_new_text(std::string& out, std::string_view text) { out = std::string(text); }

}  // namespace driver

// ---- RowMetadata --------------------------------------------------------------------------------

std::optional<std::size_t> RowMetadata::find(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return i;
  }
  return std::nullopt;
}

std::size_t RowMetadata::index_of(std::string_view name) const {
  if (auto i = find(name)) return *i;
  throw ArgumentError(fmt::format("no column named '{}' in this result (columns: {})", name,
                                  fmt::join(names_, ", ")));
}

// ---- Row ----------------------------------------------------------------------------------------

void Row::throw_index_out_of_range(std::size_t index) const {
  throw ArgumentError(fmt::format("column index {} is out of range: the row has {} columns", index,
                                  values_.size()));
}

const Value& Row::operator[](std::string_view name) const { return values_[index_of(name)]; }

const std::vector<std::string>& Row::keys() const {
  static const std::vector<std::string> kNone;
  return metadata_ ? metadata_->names() : kNone;
}

std::size_t Row::index_of(std::string_view name) const {
  if (!metadata_) throw ArgumentError(fmt::format("no column named '{}': the row is empty", name));
  return metadata_->index_of(name);
}

namespace {

// How errors name column `index` of a result: by name when `metadata` has one.
std::string describe_column(const RowMetadata* metadata, std::size_t index) {
  if (metadata != nullptr && index < metadata->names().size()) {
    return fmt::format("column '{}'", metadata->names()[index]);
  }
  return fmt::format("column {}", index);
}

[[noreturn]] void throw_field_count(std::size_t columns, std::size_t fields) {
  throw ArgumentError(fmt::format("cannot read a row of {} columns into an aggregate of {} fields",
                                  columns, fields));
}

}  // namespace

std::string Row::column_context(std::size_t index) const {
  return describe_column(metadata_.get(), index);
}

void Row::check_field_count(std::size_t fields) const {
  if (fields != values_.size()) throw_field_count(values_.size(), fields);
}

nlohmann::json to_json(const Value& value) {
  return std::visit(
      [](const auto& v) -> nlohmann::json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, Null>) {
          return nullptr;
        } else if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, std::int64_t> ||
                             std::is_same_v<T, double> || std::is_same_v<T, std::string>) {
          return v;
        } else if constexpr (std::is_same_v<T, Bytes>) {
          static constexpr char kHex[] = "0123456789abcdef";
          std::string hex;
          hex.reserve(v.size() * 2);
          for (std::byte b : v) {
            hex += kHex[std::to_integer<unsigned>(b) >> 4];
            hex += kHex[std::to_integer<unsigned>(b) & 15];
          }
          return hex;
        } else if constexpr (std::is_same_v<T, Decimal>) {
          return v.text;
        } else if constexpr (std::is_same_v<T, std::chrono::sys_days>) {
          return format_date(v);
        } else if constexpr (std::is_same_v<T, Timestamp>) {
          return format_timestamp(v, true);
        } else if constexpr (std::is_same_v<T, LocalTimestamp>) {
          return format_local_timestamp(v);
        } else if constexpr (std::is_same_v<T, TimeOfDay>) {
          return format_time(v);
        } else if constexpr (std::is_same_v<T, UuidValue>) {
          return v.to_string();
        } else {
          return v.document;
        }
      },
      value);
}

nlohmann::json Row::to_json() const {
  nlohmann::json out = nlohmann::json::object();
  const auto& names = keys();
  for (std::size_t i = 0; i < values_.size(); ++i) {
    out[i < names.size() ? names[i] : std::to_string(i)] = athanor::to_json(values_[i]);
  }
  return out;
}

// ---- Result -------------------------------------------------------------------------------------

const std::shared_ptr<const RowMetadata>& RowMetadata::empty() {
  static const std::shared_ptr<const RowMetadata> kEmpty =
      std::make_shared<const RowMetadata>(std::vector<std::string>{});
  return kEmpty;
}

Result::Result() : metadata_(RowMetadata::empty()), columns_(metadata_.get()) {}

Result::Result(std::unique_ptr<driver::Cursor> cursor, std::int64_t rowcount)
    : cursor_(std::move(cursor)), rowcount_(rowcount) {
  metadata_ = cursor_ && !cursor_->column_names().empty()
                  ? std::make_shared<RowMetadata>(cursor_->column_names())
                  : RowMetadata::empty();
  columns_ = metadata_.get();
}

Result::Result(std::shared_ptr<const RowMetadata> metadata, std::vector<Row> rows,
               std::int64_t rowcount)
    : metadata_(std::move(metadata)),
      columns_(metadata_.get()),
      buffered_mode_(true),
      rowcount_(rowcount) {
  const std::size_t width = metadata_->names().size();
  std::vector<Value>& buffered = extras().buffered;
  buffered.reserve(rows.size() * width);
  for (Row& row : rows) {
    if (row.size() != width) {
      throw ArgumentError(
          fmt::format("a row of {} values in a result of {} columns", row.size(), width));
    }
    for (Value& value : row.mutable_values()) buffered.push_back(std::move(value));
  }
}

Result Result::from_values(std::shared_ptr<const RowMetadata> metadata, std::vector<Value> values,
                           std::int64_t rowcount) {
  const std::size_t width = metadata->names().size();
  if (width == 0 ? !values.empty() : values.size() % width != 0) {
    throw ArgumentError(
        fmt::format("{} values do not make whole rows of {} columns", values.size(), width));
  }
  Result result;
  result.metadata_ = std::move(metadata);
  result.columns_ = result.metadata_.get();
  result.extras().buffered = std::move(values);
  result.buffered_mode_ = true;
  result.rowcount_ = rowcount;
  return result;
}

Result::Result(Result&&) noexcept = default;
Result& Result::operator=(Result&&) noexcept = default;
Result::~Result() = default;
detail::ResultExtras::~ResultExtras() = default;

const std::optional<Row>& Result::inserted_primary_key() const noexcept {
  static const std::optional<Row> kNone;
  return extras_ ? extras_->inserted_primary_key : kNone;
}

const std::vector<std::string>& Result::keys() const { return columns().names(); }
bool Result::returns_rows() const noexcept { return !columns().names().empty(); }

const std::shared_ptr<const RowMetadata>& Result::shared_columns() {
  if (!metadata_) metadata_ = (cursor_ ? cursor_ : closed_cursor_)->shared_metadata();
  return metadata_;
}

std::size_t Result::buffered_rows_left() const noexcept {
  if (!buffered_mode_) return cursor_ ? cursor_->buffered_rows() : 0;
  const std::size_t width = metadata_->names().size();
  if (width == 0 || !extras_) return 0;
  return (extras_->buffered.size() - extras_->buffered_pos) / width;
}

bool Result::fetch_into(Row& row) {
  if (buffered_mode_) {
    Extras& x = extras();
    if (x.buffered_pos >= x.buffered.size()) return false;
    if (row.metadata() != metadata_) row = Row(metadata_, {});
    const std::size_t width = metadata_->names().size();
    std::vector<Value>& values = row.mutable_values();
    values.resize(width);
    for (std::size_t i = 0; i < width; ++i) {
      values[i] = std::move(x.buffered[x.buffered_pos++]);  // each buffered row is read once
    }
    return true;
  }
  if (!cursor_) return false;
  if (row.metadata() != shared_columns()) row = Row(metadata_, {});
  if (!cursor_->fetch(row.mutable_values())) {
    close_cursor();
    return false;
  }
  return true;
}

void Result::throw_field_count(std::size_t fields) const {
  athanor::throw_field_count(columns().names().size(), fields);
}

std::string Result::column_context(std::size_t index) const {
  return describe_column(&columns(), index);
}

std::optional<Row> Result::fetchone() {
  Row row;
  if (!fetch_into(row)) return std::nullopt;
  return row;
}

std::vector<Row> Result::fetchmany(std::size_t n) {
  std::vector<Row> out;
  Row row;
  while (out.size() < n && fetch_into(row)) out.push_back(std::move(row));
  return out;
}

std::vector<Row> Result::all() {
  std::vector<Row> out;
  out.reserve(buffered_rows_left());
  Row row;
  while (fetch_into(row)) out.push_back(std::move(row));
  return out;
}

std::optional<Row> Result::first() {
  std::optional<Row> row = fetchone();
  close();
  return row;
}

void Result::throw_no_row(std::string_view method) {
  throw NoResultFound(fmt::format("{}: no row was found when one was required", method));
}

void Result::throw_multiple_rows(std::string_view method) {
  throw MultipleResultsFound(fmt::format("{}: multiple rows were found when {} was required",
                                         method,
                                         method == "one()" ? "exactly one" : "one or none"));
}

Row Result::one() {
  std::optional<Row> row = fetchone();
  if (!row) {
    close();
    throw_no_row("one()");
  }
  if (fetchone()) {
    close();
    throw_multiple_rows("one()");
  }
  close();
  return std::move(*row);
}

std::optional<Row> Result::one_or_none() {
  std::optional<Row> row = fetchone();
  if (row && fetchone()) {
    close();
    throw_multiple_rows("one_or_none()");
  }
  close();
  return row;
}

void Result::clear_buffered() {
  if (!extras_) return;
  extras_->buffered.clear();
  extras_->buffered_pos = 0;
}

}  // namespace athanor
