// athanor-gen model: the Schema's lookups, and build_schema(), which runs the builder's passes
// (see model.hpp for what the schema states, codegen/model/builder.hpp for the passes and the
// file each lives in).
#include "codegen/model.hpp"

#include <utility>

#include "codegen/model/builder.hpp"

namespace athanor::gen {

const ColumnModel* TableModel::find_column(const std::string& column) const {
  for (const ColumnModel& c : columns) {
    if (c.name == column) return &c;
  }
  return nullptr;
}

const TableModel* Schema::find_table(const std::string& name) const {
  for (const TableModel& t : tables) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

const TableModel* Schema::find_struct(const std::string& usr) const {
  for (const TableModel& t : tables) {
    if (t.usr == usr) return &t;
  }
  return nullptr;
}

const EnumModel* Schema::find_enum(const std::string& qualified_name) const {
  for (const EnumModel& e : enums) {
    if (e.qualified_name == qualified_name) return &e;
  }
  return nullptr;
}

namespace detail {

Schema SchemaBuilder::build() {
  report_strays();
  for (const StructInfo& s : parse_.structs) build_table(s);
  check_table_names();
  resolve_foreign_keys();
  for (std::size_t i = 0; i < schema_.tables.size(); ++i) {
    for (RelationshipModel& r : schema_.tables[i].relationships) resolve_relationship(i, r);
  }
  for (const TableModel& t : schema_.tables) {
    for (const RelationshipModel& r : t.relationships) check_back_populates(t, r);
  }
  build_enums();
  return std::move(schema_);
}

}  // namespace detail

Schema build_schema(const ParseResult& parse, Diagnostics& diagnostics) {
  return detail::SchemaBuilder(parse, diagnostics).build();
}

}  // namespace athanor::gen
