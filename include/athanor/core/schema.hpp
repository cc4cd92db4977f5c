// Athanor Core: schema metadata (MetaData, Table, Column, constraints) and DDL entry points.
//
// A MetaData owns its Tables; a Table owns its Columns and constraints. Tables and Columns have
// stable addresses for the MetaData's lifetime, because SQL expressions refer to them by pointer.
// Thread-safety: building a MetaData is single-threaded; once built, a MetaData may be read (and
// its tables used in statements) from any number of threads.
// REQUIRES: a statement that names a Table or Column is executed only while its MetaData lives.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "athanor/core/sql.hpp"
#include "athanor/core/types.hpp"
#include "athanor/core/value.hpp"

namespace athanor {

class Engine;
class MetaData;
class Table;

struct ForeignKeyOptions {
  std::string ondelete;  // "CASCADE", "SET NULL", "RESTRICT", ... empty: backend default
  std::string onupdate;
  std::string name;        // constraint name; empty: backend-generated
  bool use_alter = false;  // emit as ALTER TABLE ... ADD CONSTRAINT after all CREATE TABLEs
};

// A reference from one column to "table.column".
class ForeignKey {
 public:
  explicit ForeignKey(std::string target, ForeignKeyOptions options = {});
  const std::string& target() const noexcept { return target_; }
  std::string target_table() const;   // part before the last '.'
  std::string target_column() const;  // part after the last '.'
  const ForeignKeyOptions& options() const noexcept { return options_; }

 private:
  std::string target_;
  ForeignKeyOptions options_;
};

struct ColumnOptions {
  bool primary_key = false;
  std::optional<bool> nullable;  // default: false for primary keys, true otherwise
  bool unique = false;
  bool index = false;
  // nullopt: SQLAlchemy's "auto": the single integer primary key column autoincrements.
  std::optional<bool> autoincrement;
  // SQL expression text for DEFAULT, e.g. "0", "'draft'", "CURRENT_TIMESTAMP". Not a bound value.
  std::optional<std::string> server_default;
  // Client-side default used by insert() when the column is not given.
  std::optional<Value> default_value;
  std::string comment;
  nlohmann::json info = nlohmann::json::object();
};

class Column {
 public:
  Column(std::string name, TypeEngine type, ColumnOptions options = {});
  Column(std::string name, TypeEngine type, ForeignKey foreign_key, ColumnOptions options = {});

  const std::string& name() const noexcept { return name_; }
  const TypeEngine& type() const noexcept { return type_; }
  bool primary_key() const noexcept { return options_.primary_key; }
  bool nullable() const noexcept;
  bool unique() const noexcept { return options_.unique; }
  bool index() const noexcept { return options_.index; }
  // Resolved: true when this column is the table's autoincrementing integer primary key.
  bool autoincrement() const noexcept;
  const std::optional<std::string>& server_default() const noexcept {
    return options_.server_default;
  }
  const std::optional<Value>& default_value() const noexcept { return options_.default_value; }
  const std::string& comment() const noexcept { return options_.comment; }
  const nlohmann::json& info() const noexcept { return options_.info; }
  const std::vector<ForeignKey>& foreign_keys() const noexcept { return foreign_keys_; }
  const ColumnOptions& options() const noexcept { return options_; }

  // The owning table; null until the column is added to one.
  const Table* table() const noexcept { return table_; }

  // An expression referring to this column (same as table.c(name)).
  ColumnElement expr() const;

 private:
  friend class Table;
  std::string name_;
  TypeEngine type_;
  ColumnOptions options_;
  std::vector<ForeignKey> foreign_keys_;
  const Table* table_ = nullptr;
};

struct UniqueConstraint {
  std::vector<std::string> columns;
  std::string name;  // empty: generated ("uq_<table>_<col>_...")
};
struct Index {
  std::string name;  // empty: generated ("ix_<table>_<col>_...")
  std::vector<std::string> columns;
  bool unique = false;
};
struct CheckConstraint {
  std::string sqltext;  // SQL expression text, e.g. "price >= 0"
  std::string name;
};
struct ForeignKeyConstraint {
  std::vector<std::string> columns;           // local columns
  std::string referred_table;                 // target table name
  std::vector<std::string> referred_columns;  // target columns, same order
  ForeignKeyOptions options;
};

struct TableOptions {
  std::string comment;
  nlohmann::json info = nlohmann::json::object();
  std::vector<UniqueConstraint> unique_constraints;
  std::vector<Index> indexes;
  std::vector<CheckConstraint> check_constraints;
  std::vector<ForeignKeyConstraint> foreign_keys;  // composite foreign keys
  // On backends without a last-insert-id (PostgreSQL), a single-row INSERT that leaves the
  // autoincrement key to the database gets RETURNING <key> added, so that
  // Result::inserted_primary_key() has it. false: no RETURNING is added (the server does less
  // work per INSERT) and inserted_primary_key() is empty when the key was generated.
  bool implicit_returning = true;
};

class Table {
 public:
  Table(const Table&) = delete;
  Table& operator=(const Table&) = delete;

  const std::string& name() const noexcept { return name_; }
  const std::string& comment() const noexcept { return options_.comment; }
  const nlohmann::json& info() const noexcept { return options_.info; }
  bool implicit_returning() const noexcept { return options_.implicit_returning; }
  const MetaData& metadata() const noexcept { return *metadata_; }

  // An expression for column `name`. Throws ArgumentError for an unknown column.
  ColumnElement c(std::string_view name) const;
  const Column& column(std::string_view name) const;                // throws ArgumentError
  const Column* find_column(std::string_view name) const noexcept;  // null when absent
  const std::deque<Column>& columns() const noexcept { return columns_; }

  std::vector<const Column*> primary_key() const;
  // The autoincrementing primary key column, or null.
  const Column* autoincrement_column() const noexcept;
  // All foreign keys, column-level ones included, as constraints.
  const std::vector<ForeignKeyConstraint>& foreign_keys() const noexcept { return foreign_keys_; }
  const std::vector<UniqueConstraint>& unique_constraints() const noexcept {
    return options_.unique_constraints;
  }
  const std::vector<Index>& indexes() const noexcept { return indexes_; }
  const std::vector<CheckConstraint>& check_constraints() const noexcept {
    return options_.check_constraints;
  }

  // The table as a FROM item, for select_from()/join().
  operator FromClause() const;  // NOLINT(google-explicit-constructor): reads like SQLAlchemy
  Join join(const FromClause& right, std::optional<ColumnElement> on = std::nullopt) const;
  Join outerjoin(const FromClause& right, std::optional<ColumnElement> on = std::nullopt) const;

  // Reflects table `name` from the database into `metadata` and returns it.
  static Table& autoload(std::string_view name, MetaData& metadata, const Engine& engine);

 private:
  friend class MetaData;
  Table(MetaData& metadata, std::string name, std::vector<Column> columns, TableOptions options);

  MetaData* metadata_;
  std::string name_;
  std::deque<Column> columns_;
  TableOptions options_;
  std::vector<ForeignKeyConstraint> foreign_keys_;
  std::vector<Index> indexes_;
};

struct CreateOptions {
  bool checkfirst = true;  // skip tables that already exist (drop_all: that do not exist)
};
struct ReflectOptions {
  std::vector<std::string> only;  // empty: every table
};

class MetaData {
 public:
  MetaData();
  ~MetaData();
  MetaData(const MetaData&) = delete;
  MetaData& operator=(const MetaData&) = delete;

  // Defines a table. Throws ArgumentError if a table of that name exists, a column name repeats,
  // or a constraint names an unknown column.
  Table& table(std::string name, std::vector<Column> columns, TableOptions options = {});

  const Table& get_table(std::string_view name) const;  // throws ArgumentError
  const Table* find_table(std::string_view name) const noexcept;
  std::vector<const Table*> tables() const;  // in definition order
  // Tables in foreign-key dependency order (referenced tables first); ties by definition order.
  // Foreign keys that take part in a cycle are marked use_alter in the DDL emitted by create_all.
  std::vector<const Table*> sorted_tables() const;

  void create_all(const Engine& engine, CreateOptions options = {}) const;
  void drop_all(const Engine& engine, CreateOptions options = {}) const;
  // Adds Table objects for the database's tables that are not here yet.
  void reflect(const Engine& engine, ReflectOptions options = {});

 private:
  std::deque<std::unique_ptr<Table>> tables_;
};

// The shape of SQLAlchemy users' serialize_metadata: {table name: table, ...} with, per table,
// "comment", "info", "columns" ([{"name", "type", "primary_key", "nullable", "comment", "info",
// "server_default", "autoincrement"}]), "foreign_keys" ([{"column", "references", "ondelete",
// "onupdate"}]), "constraints" ([{"type": "primary_key"|"unique"|"check"|"foreign_key", "name",
// "columns", ...}]) and "indexes" ([{"name", "columns", "unique"}]). Every key is present; unset
// values are null. docs/core.md has the full description and an example.
nlohmann::json to_json(const MetaData& metadata);
// One table's entry of to_json(metadata).
nlohmann::json to_json(const Table& table);

}  // namespace athanor
