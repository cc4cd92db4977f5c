// Athanor mapping: the constant description of a mapped table, and how it becomes a Core Table.
//
// Generated code describes each model's table as constexpr data (a TableSpec) instead of
// constructing Columns inline: a translation unit that includes many mappings then compiles one
// builder, define_table(const TableSpec&), rather than the construction code of every column.
//
//   static constexpr ColumnSpec kColumns[] = {
//       {.name = "id", .type = spec::BigInteger(), .primary_key = true},
//       {.name = "email", .type = spec::String(255), .unique = true},
//       {.name = "author_id", .type = spec::BigInteger(), .foreign_key = "users.id"},
//   };
//   static const Table& table = define_table({.name = "posts", .columns = kColumns});
//
// Layer: mapping support on top of Core; used by generated code.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "athanor/core/schema.hpp"
#include "athanor/core/types.hpp"
#include "athanor/core/value.hpp"
#include "athanor/mapping/enum.hpp"

namespace athanor {

enum class TypeKind {
  kInteger,
  kBigInteger,
  kSmallInteger,
  kBoolean,
  kFloat,
  kDouble,
  kNumeric,
  kString,
  kText,
  kDate,
  kDateTime,
  kTime,
  kLargeBinary,
  kJson,
  kUuid,
  kEnum,
};

// A Core type descriptor as constant data (see spec:: below for the readable spellings).
struct TypeSpec {
  TypeKind kind = TypeKind::kInteger;
  int length = 0;                 // kString; 0: none
  int precision = 0;              // kNumeric; 0: none
  int scale = -1;                 // kNumeric; -1: none
  bool timezone = false;          // kDateTime
  Enum (*enum_type)() = nullptr;  // kEnum: the labels
};

struct ColumnSpec {
  std::string_view name;
  TypeSpec type;
  bool primary_key = false;
  bool nullable = false;  // ignored for primary keys, which are never nullable
  bool unique = false;
  bool index = false;
  std::optional<bool> autoincrement;  // nullopt: Core's default
  std::optional<std::string_view> server_default;
  std::string_view comment;
  std::string_view info;         // JSON object text; empty: none
  std::string_view foreign_key;  // "table.column"; empty: none
  std::string_view ondelete;
  std::string_view onupdate;
};

struct UniqueSpec {
  std::span<const std::string_view> columns;
  std::string_view name;
};

struct IndexSpec {
  std::string_view name;
  std::span<const std::string_view> columns;
  bool unique = false;
};

struct CheckSpec {
  std::string_view sqltext;
  std::string_view name;
};

struct TableSpec {
  std::string_view name;
  std::span<const ColumnSpec> columns;
  std::string_view comment;
  std::string_view info;  // JSON object text; empty: none
  std::span<const UniqueSpec> unique_constraints;
  std::span<const IndexSpec> indexes;
  std::span<const CheckSpec> check_constraints;
};

// Readable TypeSpec constructors, named after Core's types.
namespace spec {
constexpr TypeSpec Integer() { return {.kind = TypeKind::kInteger}; }
constexpr TypeSpec BigInteger() { return {.kind = TypeKind::kBigInteger}; }
constexpr TypeSpec SmallInteger() { return {.kind = TypeKind::kSmallInteger}; }
constexpr TypeSpec Boolean() { return {.kind = TypeKind::kBoolean}; }
constexpr TypeSpec Float() { return {.kind = TypeKind::kFloat}; }
constexpr TypeSpec Double() { return {.kind = TypeKind::kDouble}; }
constexpr TypeSpec Numeric(int precision = 0, int scale = -1) {
  return {.kind = TypeKind::kNumeric, .precision = precision, .scale = scale};
}
constexpr TypeSpec String(int length = 0) { return {.kind = TypeKind::kString, .length = length}; }
constexpr TypeSpec Text() { return {.kind = TypeKind::kText}; }
constexpr TypeSpec Date() { return {.kind = TypeKind::kDate}; }
constexpr TypeSpec DateTime(bool timezone = false) {
  return {.kind = TypeKind::kDateTime, .timezone = timezone};
}
constexpr TypeSpec Time() { return {.kind = TypeKind::kTime}; }
constexpr TypeSpec LargeBinary() { return {.kind = TypeKind::kLargeBinary}; }
constexpr TypeSpec JSON() { return {.kind = TypeKind::kJson}; }
constexpr TypeSpec Uuid() { return {.kind = TypeKind::kUuid}; }
template <MappedEnum E>
constexpr TypeSpec Enum() {
  return {.kind = TypeKind::kEnum, .enum_type = &enum_type<E>};
}
}  // namespace spec

// ---- the models' MetaData ---------------------------------------------------------------------

// The MetaData holding the table of every mapped struct linked into the program (what
// SQLAlchemy's declarative Base.metadata is): model_metadata().create_all(engine).
inline MetaData& model_metadata() {
  static MetaData metadata;
  return metadata;
}

namespace detail {
inline std::mutex& model_metadata_mutex() {
  static std::mutex mutex;
  return mutex;
}

inline TypeEngine to_type(const TypeSpec& t) {
  switch (t.kind) {
    case TypeKind::kInteger:
      return athanor::Integer{};
    case TypeKind::kBigInteger:
      return athanor::BigInteger{};
    case TypeKind::kSmallInteger:
      return athanor::SmallInteger{};
    case TypeKind::kBoolean:
      return athanor::Boolean{};
    case TypeKind::kFloat:
      return athanor::Float{};
    case TypeKind::kDouble:
      return athanor::Double{};
    case TypeKind::kNumeric: {
      athanor::Numeric n;
      if (t.precision > 0) n.precision = t.precision;
      if (t.scale >= 0) n.scale = t.scale;
      return n;
    }
    case TypeKind::kString: {
      athanor::String s;
      if (t.length > 0) s.length = t.length;
      return s;
    }
    case TypeKind::kText:
      return athanor::Text{};
    case TypeKind::kDate:
      return athanor::Date{};
    case TypeKind::kDateTime:
      return athanor::DateTime{t.timezone};
    case TypeKind::kTime:
      return athanor::Time{};
    case TypeKind::kLargeBinary:
      return athanor::LargeBinary{};
    case TypeKind::kJson:
      return athanor::JSON{};
    case TypeKind::kUuid:
      return athanor::Uuid{};
    case TypeKind::kEnum:
      return t.enum_type != nullptr ? t.enum_type() : athanor::Enum{};
  }
  return athanor::Integer{};
}

inline std::vector<std::string> to_strings(std::span<const std::string_view> names) {
  return {names.begin(), names.end()};
}

// JSON text parsed by Core's compiled Value conversion, so that translation units including
// mappings do not each instantiate a JSON parser.
inline nlohmann::json parse_info(std::string_view text, std::string_view context) {
  return value_from<nlohmann::json>(Value{std::string(text)}, context);
}
}  // namespace detail

// Defines a model's table in model_metadata(). Serialised, so that models first used from
// different threads do not race on the MetaData. Throws ArgumentError as MetaData::table does
// (e.g. two models, from different generation steps, naming the same table).
inline const Table& define_table(std::string name, std::vector<Column> columns,
                                 TableOptions options = {}) {
  std::lock_guard<std::mutex> lock(detail::model_metadata_mutex());
  return model_metadata().table(std::move(name), std::move(columns), std::move(options));
}

// The same, from a table's constant description.
inline const Table& define_table(const TableSpec& spec) {
  std::vector<Column> columns;
  columns.reserve(spec.columns.size());
  for (const ColumnSpec& c : spec.columns) {
    ColumnOptions options;
    options.primary_key = c.primary_key;
    if (!c.primary_key) options.nullable = c.nullable;
    options.unique = c.unique;
    options.index = c.index;
    options.autoincrement = c.autoincrement;
    if (c.server_default) options.server_default = std::string(*c.server_default);
    options.comment = std::string(c.comment);
    if (!c.info.empty()) options.info = detail::parse_info(c.info, c.name);
    if (c.foreign_key.empty()) {
      columns.emplace_back(std::string(c.name), detail::to_type(c.type), std::move(options));
    } else {
      ForeignKeyOptions fk;
      fk.ondelete = std::string(c.ondelete);
      fk.onupdate = std::string(c.onupdate);
      columns.emplace_back(std::string(c.name), detail::to_type(c.type),
                           ForeignKey(std::string(c.foreign_key), std::move(fk)),
                           std::move(options));
    }
  }
  TableOptions options;
  options.comment = std::string(spec.comment);
  if (!spec.info.empty()) options.info = detail::parse_info(spec.info, spec.name);
  for (const UniqueSpec& u : spec.unique_constraints) {
    options.unique_constraints.push_back({detail::to_strings(u.columns), std::string(u.name)});
  }
  for (const IndexSpec& i : spec.indexes) {
    options.indexes.push_back({std::string(i.name), detail::to_strings(i.columns), i.unique});
  }
  for (const CheckSpec& c : spec.check_constraints) {
    options.check_constraints.push_back({std::string(c.sqltext), std::string(c.name)});
  }
  return define_table(std::string(spec.name), std::move(columns), std::move(options));
}

}  // namespace athanor
