// Athanor Core, schema: ForeignKey, Column, Table and MetaData.
//
// A Table is validated once, when it is defined: every constraint must name columns of the table,
// so that DDL generation and the SQL compiler can rely on it. Column-level shortcuts (a column's
// ForeignKey, unique=true, index=true) are expanded here into the table's constraint lists, so
// everything downstream reads one representation.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "athanor/core/detail/sql_ast.hpp"
#include "athanor/core/error.hpp"
#include "athanor/core/schema.hpp"
#include "core/schema/internal.hpp"

namespace athanor {

namespace detail {

std::string generated_name(std::string_view prefix, std::string_view table,
                           const std::vector<std::string>& columns, std::string_view suffix) {
  std::string name = fmt::format("{}_{}", prefix, table);
  for (const std::string& column : columns) name += "_" + column;
  if (!suffix.empty()) name += fmt::format("_{}", suffix);
  if (name.size() <= kMaxGeneratedNameLength) return name;
  // FNV-1a: stable across platforms and runs, unlike std::hash.
  std::uint32_t hash = 2166136261u;
  for (char c : name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619u;
  }
  std::string tag = fmt::format("_{:08x}", hash);
  name.resize(kMaxGeneratedNameLength - tag.size());
  return name + tag;
}

}  // namespace detail

namespace {

std::string column_list(const std::vector<std::string>& columns) {
  return fmt::format("({})", fmt::join(columns, ", "));
}

// The referential action in upper case; ArgumentError for anything but the SQL standard's.
std::string referential_action(const std::string& where, std::string_view clause,
                               const std::string& action) {
  if (action.empty()) return action;
  std::string upper;
  for (char c : action) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (std::string_view known : {"CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION"}) {
    if (upper == known) return upper;
  }
  throw ArgumentError(
      fmt::format("{}: {} '{}' is not one of CASCADE, SET NULL, SET DEFAULT, RESTRICT, NO ACTION",
                  where, clause, action));
}

ForeignKeyOptions checked_options(const std::string& where, ForeignKeyOptions options) {
  options.ondelete = referential_action(where, "ondelete", options.ondelete);
  options.onupdate = referential_action(where, "onupdate", options.onupdate);
  return options;
}

// Only what no backend accepts; anything a database can hold must pass, as reflection builds
// columns from what the database reports.
void check_type(const std::string& column, const TypeEngine& type) {
  if (const auto* e = std::get_if<Enum>(&type); e && e->values.empty()) {
    throw ArgumentError(fmt::format("column '{}': Enum needs at least one value", column));
  }
  if (const auto* s = std::get_if<String>(&type); s && s->length && *s->length < 0) {
    throw ArgumentError(
        fmt::format("column '{}': String length must not be negative, not {}", column, *s->length));
  }
  if (const auto* n = std::get_if<Numeric>(&type)) {
    if (n->scale && !n->precision) {
      throw ArgumentError(fmt::format("column '{}': Numeric scale needs a precision", column));
    }
    if (n->precision && *n->precision < 1) {
      throw ArgumentError(fmt::format("column '{}': Numeric precision must be positive, not {}",
                                      column, *n->precision));
    }
  }
}

}  // namespace

// ---- ForeignKey --------------------------------------------------------------------------------

ForeignKey::ForeignKey(std::string target, ForeignKeyOptions options)
    : target_(std::move(target)), options_(std::move(options)) {}

std::string ForeignKey::target_table() const {
  std::size_t dot = target_.rfind('.');
  return dot == std::string::npos ? std::string() : target_.substr(0, dot);
}

std::string ForeignKey::target_column() const {
  std::size_t dot = target_.rfind('.');
  return dot == std::string::npos ? target_ : target_.substr(dot + 1);
}

// ---- Column ------------------------------------------------------------------------------------

Column::Column(std::string name, TypeEngine type, ColumnOptions options)
    : name_(std::move(name)), type_(std::move(type)), options_(std::move(options)) {
  if (name_.empty()) throw ArgumentError("a column needs a name");
  check_type(name_, type_);
}

Column::Column(std::string name, TypeEngine type, ForeignKey foreign_key, ColumnOptions options)
    : Column(std::move(name), std::move(type), std::move(options)) {
  foreign_keys_.push_back(std::move(foreign_key));
}

bool Column::nullable() const noexcept { return options_.nullable.value_or(!options_.primary_key); }

bool Column::autoincrement() const noexcept {
  if (table_ != nullptr) return table_->autoincrement_column() == this;
  // Not in a table yet: resolve as if it were the table's only primary key column.
  if (!options_.primary_key) return false;
  if (options_.autoincrement) return *options_.autoincrement;
  return is_integer_type(type_) && foreign_keys_.empty();
}

ColumnElement Column::expr() const { return ColumnElement(*this); }

// ---- Table -------------------------------------------------------------------------------------

Table::Table(MetaData& metadata, std::string name, std::vector<Column> columns,
             TableOptions options)
    : metadata_(&metadata), name_(std::move(name)), options_(std::move(options)) {
  if (name_.empty()) throw ArgumentError("a table needs a name");
  const std::string where = fmt::format("table '{}'", name_);

  for (Column& column : columns) {
    if (find_column(column.name()) != nullptr) {
      throw ArgumentError(fmt::format("{}: duplicate column '{}'", where, column.name()));
    }
    column.table_ = this;
    columns_.push_back(std::move(column));
  }

  auto check_columns = [&](std::string_view what, const std::vector<std::string>& names) {
    if (names.empty()) throw ArgumentError(fmt::format("{}: {} names no columns", where, what));
    for (const std::string& n : names) {
      if (find_column(n) == nullptr) {
        throw ArgumentError(fmt::format("{}: {} names unknown column '{}'", where, what, n));
      }
    }
  };

  // Foreign keys: column-level ones first, in column order, then the table-level ones.
  for (const Column& column : columns_) {
    for (const ForeignKey& fk : column.foreign_keys()) {
      std::string table = fk.target_table();
      std::string target_column = fk.target_column();
      if (table.empty() || target_column.empty()) {
        throw ArgumentError(fmt::format(
            "{}, column '{}': foreign key target '{}' is not of the form 'table.column'", where,
            column.name(), fk.target()));
      }
      foreign_keys_.push_back(ForeignKeyConstraint{
          {column.name()},
          std::move(table),
          {std::move(target_column)},
          checked_options(fmt::format("{}, column '{}'", where, column.name()), fk.options())});
    }
  }
  for (const ForeignKeyConstraint& fk : options_.foreign_keys) {
    std::string what = fmt::format("foreign key {}", column_list(fk.columns));
    check_columns(what, fk.columns);
    if (fk.referred_table.empty()) {
      throw ArgumentError(fmt::format("{}: {} has no referred table", where, what));
    }
    if (fk.referred_columns.size() != fk.columns.size() ||
        std::any_of(fk.referred_columns.begin(), fk.referred_columns.end(),
                    [](const std::string& c) { return c.empty(); })) {
      throw ArgumentError(fmt::format("{}: {} must refer to as many columns of '{}' as it has",
                                      where, what, fk.referred_table));
    }
    foreign_keys_.push_back(fk);
    foreign_keys_.back().options = checked_options(where, fk.options);
  }
  options_.foreign_keys.clear();  // foreign_keys_ is the one list from here on

  // Unique constraints: unique=true columns (without index=true, which makes a unique index).
  std::vector<UniqueConstraint> uniques;
  for (const Column& column : columns_) {
    if (column.unique() && !column.index()) {
      uniques.push_back(
          UniqueConstraint{{column.name()}, detail::generated_name("uq", name_, {column.name()})});
    }
  }
  for (UniqueConstraint& unique : options_.unique_constraints) {
    check_columns("unique constraint " + column_list(unique.columns), unique.columns);
    if (unique.name.empty()) unique.name = detail::generated_name("uq", name_, unique.columns);
    uniques.push_back(std::move(unique));
  }
  options_.unique_constraints = std::move(uniques);

  // Indexes: index=true columns, then the table-level ones.
  for (const Column& column : columns_) {
    if (column.index()) {
      indexes_.push_back(Index{
          detail::generated_name("ix", name_, {column.name()}), {column.name()}, column.unique()});
    }
  }
  for (Index& index : options_.indexes) {
    check_columns(index.name.empty() ? "index " + column_list(index.columns)
                                     : fmt::format("index '{}'", index.name),
                  index.columns);
    if (index.name.empty()) index.name = detail::generated_name("ix", name_, index.columns);
    indexes_.push_back(index);
  }
  options_.indexes.clear();  // likewise indexes_
  for (std::size_t i = 0; i < indexes_.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (indexes_[i].name == indexes_[j].name) {
        throw ArgumentError(fmt::format("{}: duplicate index name '{}'", where, indexes_[i].name));
      }
    }
  }

  for (const CheckConstraint& check : options_.check_constraints) {
    if (check.sqltext.empty()) {
      throw ArgumentError(
          fmt::format("{}: check constraint '{}' has no SQL text", where, check.name));
    }
  }
}

ColumnElement Table::c(std::string_view name) const { return ColumnElement(column(name)); }

const Column& Table::column(std::string_view name) const {
  if (const Column* found = find_column(name)) return *found;
  throw ArgumentError(fmt::format("table '{}' has no column '{}'", name_, name));
}

const Column* Table::find_column(std::string_view name) const noexcept {
  for (const Column& column : columns_) {
    if (column.name() == name) return &column;
  }
  return nullptr;
}

std::vector<const Column*> Table::primary_key() const {
  std::vector<const Column*> out;
  for (const Column& column : columns_) {
    if (column.primary_key()) out.push_back(&column);
  }
  return out;
}

const Column* Table::autoincrement_column() const noexcept {
  // An explicit autoincrement=true on a primary key column wins; otherwise SQLAlchemy's "auto":
  // the table's only primary key column, when it is an integer that refers to nothing.
  const Column* only_key = nullptr;
  std::size_t key_count = 0;
  for (const Column& column : columns_) {
    if (!column.primary_key()) continue;
    if (column.options().autoincrement.value_or(false)) return &column;
    only_key = &column;
    ++key_count;
  }
  if (key_count != 1 || only_key->options().autoincrement.has_value() ||
      !is_integer_type(only_key->type())) {
    return nullptr;
  }
  for (const ForeignKeyConstraint& fk : foreign_keys_) {
    if (std::find(fk.columns.begin(), fk.columns.end(), only_key->name()) != fk.columns.end()) {
      return nullptr;
    }
  }
  return only_key;
}

Table::operator FromClause() const {
  auto node = std::make_shared<detail::FromNode>();
  node->kind = detail::FromKind::kTable;
  node->table = this;
  return FromClause(std::move(node));
}

Join Table::join(const FromClause& right, std::optional<ColumnElement> on) const {
  return FromClause(*this).join(right, std::move(on));
}

Join Table::outerjoin(const FromClause& right, std::optional<ColumnElement> on) const {
  return FromClause(*this).outerjoin(right, std::move(on));
}

// ---- MetaData ----------------------------------------------------------------------------------

MetaData::MetaData() = default;
MetaData::~MetaData() = default;

Table& MetaData::table(std::string name, std::vector<Column> columns, TableOptions options) {
  if (find_table(name) != nullptr) {
    throw ArgumentError(fmt::format("table '{}' is already defined in this MetaData", name));
  }
  // The constructor is private to keep every Table owned by a MetaData.
  tables_.push_back(std::unique_ptr<Table>(
      new Table(*this, std::move(name), std::move(columns), std::move(options))));
  return *tables_.back();
}

const Table& MetaData::get_table(std::string_view name) const {
  if (const Table* found = find_table(name)) return *found;
  throw ArgumentError(fmt::format("no table named '{}' in this MetaData", name));
}

const Table* MetaData::find_table(std::string_view name) const noexcept {
  for (const auto& table : tables_) {
    if (table->name() == name) return table.get();
  }
  return nullptr;
}

std::vector<const Table*> MetaData::tables() const {
  std::vector<const Table*> out;
  out.reserve(tables_.size());
  for (const auto& table : tables_) out.push_back(table.get());
  return out;
}

}  // namespace athanor
