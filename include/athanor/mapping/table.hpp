// Athanor mapping: the constant description of a mapped table, and how it becomes a Core Table.
//
// Generated code describes each model's table as constexpr data (a TableSpec) instead of
// constructing Columns inline: a translation unit that includes many mappings then calls one
// builder, define_table(const TableSpec&), compiled in the library, rather than compiling the
// construction code of every column.
//
//   static constexpr ColumnSpec kColumns[] = {
//       {.name = "id", .type = spec::BigInteger(), .primary_key = true},
//       {.name = "email", .type = spec::String(255), .unique = true},
//       {.name = "author_id", .type = spec::BigInteger(), .foreign_key = "users.id"},
//   };
//   static const Table& table = define_table({.name = "posts", .columns = kColumns});
//
// The spec types (TableSpec, ColumnSpec, TypeSpec and its spec:: constructors, UniqueSpec,
// IndexSpec, CheckSpec) are declared in athanor/core/detail/table_spec.hpp, next to the builder;
// this header adds spec::Enum<E>() for mapped enums and the models' MetaData.
//
// Layer: mapping support on top of Core; used by generated code.
#pragma once

#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "athanor/core/detail/table_spec.hpp"
#include "athanor/core/schema.hpp"
#include "athanor/core/types.hpp"
#include "athanor/mapping/enum.hpp"

namespace athanor {

// spec::Enum<E>(): a mapped enum stored as its labels (a Core Enum type).
namespace spec {
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
}  // namespace detail

// Defines a model's table in model_metadata(). Serialised, so that models first used from
// different threads do not race on the MetaData. Throws ArgumentError as MetaData::table does
// (e.g. two models, from different generation steps, naming the same table).
inline const Table& define_table(std::string name, std::vector<Column> columns,
                                 TableOptions options = {}) {
  std::lock_guard<std::mutex> lock(detail::model_metadata_mutex());
  return model_metadata().table(std::move(name), std::move(columns), std::move(options));
}

// The same, from a table's constant description (built by Core's compiled code).
inline const Table& define_table(const TableSpec& spec) {
  std::lock_guard<std::mutex> lock(detail::model_metadata_mutex());
  return detail::define_table(model_metadata(), spec);
}

}  // namespace athanor
