// Athanor Core: reflection (SQLAlchemy's Inspector).
//
// Reads the schema of a live database through Core queries issued by the engine's dialect.
// Every call checks out a connection for its duration. Errors: DBAPIError from the database;
// asking about a table that does not exist raises NoSuchTableError.
// REQUIRES: the Engine outlives the Inspector, which keeps a pointer to it.
// Thread-safety: an Inspector holds nothing else, so its calls may run from several threads at
// once, each on a connection of its own.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "athanor/core/error.hpp"
#include "athanor/core/types.hpp"

namespace athanor {

class Engine;
class Connection;

class NoSuchTableError : public InvalidRequestError {
 public:
  using InvalidRequestError::InvalidRequestError;
};

struct ReflectedColumn {
  std::string name;
  TypeEngine type;
  bool nullable = true;
  std::optional<std::string> server_default;  // SQL expression text as the database reports it
  bool autoincrement = false;
  std::string comment;
};
struct ReflectedPrimaryKey {
  std::string name;  // may be empty
  std::vector<std::string> columns;
};
struct ReflectedForeignKey {
  std::string name;
  std::vector<std::string> columns;
  std::string referred_table;
  std::vector<std::string> referred_columns;
  std::string ondelete;  // upper case; empty for the default (NO ACTION)
  std::string onupdate;
};
struct ReflectedIndex {
  std::string name;
  std::vector<std::string> columns;
  bool unique = false;
};
struct ReflectedUniqueConstraint {
  std::string name;
  std::vector<std::string> columns;
};

class Inspector {
 public:
  explicit Inspector(const Engine& engine);

  std::vector<std::string> get_table_names() const;  // sorted
  bool has_table(const std::string& table) const;
  std::vector<ReflectedColumn> get_columns(const std::string& table) const;
  ReflectedPrimaryKey get_pk_constraint(const std::string& table) const;
  std::vector<ReflectedForeignKey> get_foreign_keys(const std::string& table) const;
  // Indexes that do not back a primary key or unique constraint.
  std::vector<ReflectedIndex> get_indexes(const std::string& table) const;
  std::vector<ReflectedUniqueConstraint> get_unique_constraints(const std::string& table) const;
  std::string get_table_comment(const std::string& table) const;  // empty when none

 private:
  const Engine* engine_;
};

Inspector inspect(const Engine& engine);

}  // namespace athanor
