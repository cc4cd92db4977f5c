// Athanor Core, schema: MetaData as JSON, in the shape SQLAlchemy applications produce with their
// usual serialize_metadata helper, so tools written against that shape read Athanor schemas too.
// The table names are the top-level keys:
//
//   {"users": {"comment": "End-user accounts", "info": {"pii": true},
//              "columns": [{"name": "id", "type": "INTEGER", "primary_key": true,
//                           "nullable": false, "comment": null, "info": {},
//                           "server_default": null, "autoincrement": true}, ...],
//              "foreign_keys": [{"column": "org_id", "references": "orgs.id",
//                                "ondelete": "CASCADE", "onupdate": null}],
//              "constraints": [{"type": "primary_key", "name": null, "columns": ["id"]}, ...],
//              "indexes": [{"name": "ix_users_email", "columns": ["email"], "unique": false}]}}
//
// Every key is always present; what is unset is null (an empty comment, no server default, no
// ON DELETE), as an unset attribute is None in SQLAlchemy. docs/core.md documents the shape.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "athanor/core/schema.hpp"
#include "athanor/core/types.hpp"

namespace athanor {

namespace {

// Text that is unset when empty (comments, constraint names, ON DELETE actions).
nlohmann::json text_or_null(const std::string& text) {
  return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

nlohmann::json column_json(const Column& column) {
  return {{"name", column.name()},
          {"type", type_name(column.type())},
          {"primary_key", column.primary_key()},
          {"nullable", column.nullable()},
          {"comment", text_or_null(column.comment())},
          {"info", column.info()},
          {"server_default", column.server_default() ? nlohmann::json(*column.server_default())
                                                     : nlohmann::json(nullptr)},
          {"autoincrement", column.autoincrement()}};
}

// Table constraints in a fixed order: the primary key, unique constraints (unique=true columns
// first, in column order, then the table-level ones), check constraints, foreign keys (column-
// level ones first). Each has type, name and columns; checks add sqltext, foreign keys their
// target and actions.
nlohmann::json constraints_json(const Table& table) {
  nlohmann::json constraints = nlohmann::json::array();
  std::vector<std::string> key;
  for (const Column* column : table.primary_key()) key.push_back(column->name());
  if (!key.empty()) {
    constraints.push_back({{"type", "primary_key"}, {"name", nullptr}, {"columns", key}});
  }
  for (const UniqueConstraint& unique : table.unique_constraints()) {
    constraints.push_back(
        {{"type", "unique"}, {"name", text_or_null(unique.name)}, {"columns", unique.columns}});
  }
  for (const CheckConstraint& check : table.check_constraints()) {
    constraints.push_back({{"type", "check"},
                           {"name", text_or_null(check.name)},
                           {"columns", nlohmann::json::array()},
                           {"sqltext", check.sqltext}});
  }
  for (const ForeignKeyConstraint& fk : table.foreign_keys()) {
    constraints.push_back({{"type", "foreign_key"},
                           {"name", text_or_null(fk.options.name)},
                           {"columns", fk.columns},
                           {"referred_table", fk.referred_table},
                           {"referred_columns", fk.referred_columns},
                           {"ondelete", text_or_null(fk.options.ondelete)},
                           {"onupdate", text_or_null(fk.options.onupdate)}});
  }
  return constraints;
}

}  // namespace

nlohmann::json to_json(const Table& table) {
  nlohmann::json columns = nlohmann::json::array();
  for (const Column& column : table.columns()) columns.push_back(column_json(column));
  // One entry per referencing column, composite keys included (SQLAlchemy's Table.foreign_keys).
  nlohmann::json foreign_keys = nlohmann::json::array();
  for (const ForeignKeyConstraint& fk : table.foreign_keys()) {
    for (std::size_t i = 0; i < fk.columns.size(); ++i) {
      foreign_keys.push_back({{"column", fk.columns[i]},
                              {"references", fk.referred_table + "." + fk.referred_columns[i]},
                              {"ondelete", text_or_null(fk.options.ondelete)},
                              {"onupdate", text_or_null(fk.options.onupdate)}});
    }
  }
  nlohmann::json indexes = nlohmann::json::array();
  for (const Index& index : table.indexes()) {
    indexes.push_back({{"name", index.name}, {"columns", index.columns}, {"unique", index.unique}});
  }
  return {{"comment", text_or_null(table.comment())},
          {"info", table.info()},
          {"columns", std::move(columns)},
          {"foreign_keys", std::move(foreign_keys)},
          {"constraints", constraints_json(table)},
          {"indexes", std::move(indexes)}};
}

nlohmann::json to_json(const MetaData& metadata) {
  nlohmann::json tables = nlohmann::json::object();
  for (const Table* table : metadata.tables()) tables[table->name()] = to_json(*table);
  return tables;
}

}  // namespace athanor
