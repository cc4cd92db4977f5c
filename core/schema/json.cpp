// Athanor Core, schema: MetaData as JSON, in the shape SQLAlchemy applications produce with their
// usual serialize_metadata helper, so tools written against that shape read Athanor schemas too.
//
//   {"tables": {"users": {"comment": "End-user accounts", "info": {"pii": true},
//                         "columns": [{"name": "id", "type": "INTEGER", "primary_key": true,
//                                      "nullable": false, "comment": null, "info": {}}, ...],
//                         "foreign_keys": [{"column": "org_id", "references": "orgs.id"}]}}}
//
// An empty comment is null, as an unset comment is None in SQLAlchemy.
#include <nlohmann/json.hpp>

#include "athanor/core/schema.hpp"
#include "athanor/core/types.hpp"

namespace athanor {

namespace {

nlohmann::json comment_json(const std::string& comment) {
  return comment.empty() ? nlohmann::json(nullptr) : nlohmann::json(comment);
}

}  // namespace

nlohmann::json to_json(const Table& table) {
  nlohmann::json columns = nlohmann::json::array();
  for (const Column& column : table.columns()) {
    columns.push_back({{"name", column.name()},
                       {"type", type_name(column.type())},
                       {"primary_key", column.primary_key()},
                       {"nullable", column.nullable()},
                       {"comment", comment_json(column.comment())},
                       {"info", column.info()}});
  }
  // One entry per referencing column, composite keys included.
  nlohmann::json foreign_keys = nlohmann::json::array();
  for (const ForeignKeyConstraint& fk : table.foreign_keys()) {
    for (std::size_t i = 0; i < fk.columns.size(); ++i) {
      foreign_keys.push_back({{"column", fk.columns[i]},
                              {"references", fk.referred_table + "." + fk.referred_columns[i]}});
    }
  }
  return {{"comment", comment_json(table.comment())},
          {"info", table.info()},
          {"columns", std::move(columns)},
          {"foreign_keys", std::move(foreign_keys)}};
}

nlohmann::json to_json(const MetaData& metadata) {
  nlohmann::json tables = nlohmann::json::object();
  for (const Table* table : metadata.tables()) tables[table->name()] = to_json(*table);
  return {{"tables", std::move(tables)}};
}

}  // namespace athanor
