// Athanor Core, schema (private): helpers shared by the schema sources.
//
// Constraint naming and the dependency sort used by create_all/drop_all. Not installed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "athanor/core/schema.hpp"

namespace athanor::detail {

// Longest generated constraint/index name; below PostgreSQL's 63 and MySQL's 64 byte limits.
inline constexpr std::size_t kMaxGeneratedNameLength = 60;

// "<prefix>_<table>_<col1>_<col2>[_<suffix>]", cut to kMaxGeneratedNameLength with a hash of the
// full name appended, so that long names stay distinct and deterministic.
std::string generated_name(std::string_view prefix, std::string_view table,
                           const std::vector<std::string>& columns, std::string_view suffix = {});

// A foreign key that cannot be declared inside its CREATE TABLE: part of a cycle between tables,
// or marked use_alter.
struct DeferredForeignKey {
  const Table* table;
  const ForeignKeyConstraint* foreign_key;
};

struct TableOrder {
  // Referenced tables before the tables referring to them; ties in definition order.
  std::vector<const Table*> tables;
  // In the order of `tables`, then of each table's foreign_keys().
  std::vector<DeferredForeignKey> deferred;
};

// Sorts the tables of `metadata` by foreign-key dependency. Self-references are ignored; foreign
// keys between tables of the same strongly connected component (the cycles) and use_alter ones
// do not constrain the order and are reported as deferred.
TableOrder sort_tables(const MetaData& metadata);

}  // namespace athanor::detail
