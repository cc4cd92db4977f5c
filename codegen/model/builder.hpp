// athanor-gen model builder: the state and the passes that turn the frontend's parse into the
// Schema of codegen/model.hpp. Private to codegen/model.cpp and codegen/model/*.cpp.
//
// SchemaBuilder::build() (codegen/model.cpp) runs the passes in this order; each later pass relies
// on what the earlier ones guarantee:
//
//   1. builder.cpp             annotations outside any model are reported
//   2. tables.cpp              one TableModel per ATHANOR_TABLE struct, with
//      columns.cpp               its columns (SQL type, nullability, keys),
//      relationships.cpp         its relationship declarations, as written,
//      constraints.cpp           its foreign keys, as written, and index/unique/check constraints
//   3. tables.cpp              table names are unique across the step
//   4. constraints.cpp         every foreign key refers to an existing column of its type
//   5. relationship_joins.cpp  every relationship gets its direction and join columns
//   6. back_populates.cpp      every back_populates names a relationship that pairs with it
//   7. enums.cpp               one EnumModel per enum type a member uses
//
// Errors go to the Diagnostics and never stop the passes: what is in error is left out or left
// unresolved and the passes go on, so that one run reports every problem it can find.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "codegen/diagnostics.hpp"
#include "codegen/frontend.hpp"
#include "codegen/model.hpp"
#include "codegen/options.hpp"

namespace athanor::gen::detail {

// ---- message and text helpers (builder.cpp, columns.cpp) -----------------------------------

// "column" -> "ATHANOR_COLUMN".
std::string macro_name(const std::string& kind);
// "; did you mean 'x'?" for a close match, else the list of what is allowed.
std::string suggestion(const std::string& word, const std::vector<std::string>& known);
std::string snake_case(const std::string& name);
std::string trim(std::string s);
std::string upper(std::string s);
// Whether `kind` is one of the annotation kinds of <athanor/model.hpp> ("table", "column", ...).
bool known_kind(const std::string& kind);
// The Core type name of `kind`, as written in type = ... ("Integer", "String", ...).
const char* type_name(SqlType::Kind kind);

// ---- column lookups (constraints.cpp) -------------------------------------------------------

// A member name (or column name) of `table`, as its column name.
std::optional<std::string> column_for(const TableModel& table, const std::string& name);
// The member names of `table`'s columns, for suggestions.
std::vector<std::string> column_names(const TableModel& table);

// ---- relationship join keys (relationship_joins.cpp) ---------------------------------------

// A foreign key column, with the table that holds it.
struct FkRef {
  const TableModel* table;  // holding the foreign key
  const ColumnModel* column;
};

// The foreign key columns a to-one or to-many relationship joins over, and where they are.
struct JoinKeys {
  std::vector<FkRef> fks;
  bool local_side = false;  // the foreign keys are in the relationship's own table
};

// The foreign key columns of a many-to-many relationship's association table.
struct AssociationKeys {
  std::vector<FkRef> to_local;   // referring to the relationship's own table
  std::vector<FkRef> to_target;  // referring to the target's table
};

class SchemaBuilder {
 public:
  SchemaBuilder(const ParseResult& parse, Diagnostics& diagnostics)
      : parse_(parse), diagnostics_(diagnostics) {}

  // Runs every pass; the schema holds what could be built even when errors were reported.
  Schema build();

 private:
  // ---- reading annotations (builder.cpp) ----------------------------------------------------

  void error(const SourceLocation& where, std::string message);
  // The text of a model header (read once), or null when it cannot be read.
  const std::string* source(const std::string& file);
  bool parse(const Annotation& a, std::vector<OptionItem>& items);

  // Checks that every item of `items` is a known `key = value` (or a flag among `flags`), each
  // given once; positional values are only allowed when `positional` is set.
  bool check_keys(const std::string& macro, const std::vector<OptionItem>& items,
                  const std::vector<std::string>& keys, const std::vector<std::string>& flags,
                  bool positional);
  const OptionItem* find(const std::vector<OptionItem>& items, const std::string& key);
  std::optional<std::string> string_option(const std::string& macro,
                                           const std::vector<OptionItem>& items,
                                           const std::string& key, bool allow_empty = false);
  // A flag (`unique`) or an explicit boolean (`unique = false`).
  std::optional<bool> bool_option(const std::string& macro, const std::vector<OptionItem>& items,
                                  const std::string& key);
  std::optional<std::string> json_option(const std::string& macro,
                                         const std::vector<OptionItem>& items);
  // A string, or a {"a", "b"} list of strings; "a, b" in one string is split at commas.
  std::vector<std::pair<std::string, SourceLocation>> string_list_option(
      const std::string& macro, const std::vector<OptionItem>& items, const std::string& key);

  void unknown_annotation(const Annotation& a);
  void report_strays();

  // ---- tables and members (tables.cpp) ----------------------------------------------------

  void build_table(const StructInfo& s);
  void parse_table_options(const Annotation& a, TableModel& table);
  void build_member(const StructInfo& s, const FieldInfo& f, TableModel& table);
  void check_table_names();

  // ---- columns (columns.cpp) --------------------------------------------------------------

  void build_column(const FieldInfo& f, const Annotation* annotation, TableModel& table);
  void parse_type(const OptionValue& value, const FieldInfo& f,
                  const std::vector<SqlType::Kind>& allowed, ColumnModel& column);
  void apply_length(const OptionItem& item, const FieldInfo& f, ColumnModel& column);

  // ---- foreign keys and table-level constraints (constraints.cpp) -------------------------

  void parse_foreign_key(const std::string& macro, const std::vector<OptionItem>& items,
                         ColumnModel& column);
  void parse_constraint(const Annotation& a, TableModel& table);
  void resolve_foreign_keys();

  // ---- relationship declarations (relationships.cpp) --------------------------------------

  void build_relationship(const StructInfo& s, const FieldInfo& f, const Annotation* annotation,
                          TableModel& table);
  void parse_lazy(const OptionItem& item, RelationshipModel& r);
  void parse_cascade(const std::string& text, const SourceLocation& where, RelationshipModel& r);

  // ---- relationship joins (relationship_joins.cpp) ----------------------------------------

  // The decisions of resolving one relationship, in the order resolve_relationship() takes them.
  void resolve_relationship(std::size_t table_index, RelationshipModel& r);
  void resolve_order_by(const TableModel& target, RelationshipModel& r);
  void resolve_direct_join(const TableModel& local, const TableModel& target, RelationshipModel& r,
                           const std::string& what);
  std::optional<JoinKeys> named_join_keys(const TableModel& local, const TableModel& target,
                                          const RelationshipModel& r, const std::string& what);
  std::optional<std::vector<FkRef>> chosen_foreign_keys(
      const RelationshipModel& r, const std::vector<const TableModel*>& tables,
      const std::vector<const TableModel*>& refers_to);
  void report_no_foreign_key(const TableModel& local, const TableModel& target,
                             const RelationshipModel& r, const std::string& what);
  bool report_ambiguous(const JoinKeys& keys, const RelationshipModel& r, const std::string& what);
  std::optional<Direction> choose_direction(const TableModel& local, const TableModel& target,
                                            const RelationshipModel& r, const JoinKeys& keys,
                                            const std::string& what);
  void resolve_many_to_many(const TableModel& local, const TableModel& target, RelationshipModel& r,
                            const std::string& what);
  const TableModel* association_table(const TableModel& target, const RelationshipModel& r,
                                      const std::string& what);
  std::optional<AssociationKeys> association_keys(const TableModel& local, const TableModel& target,
                                                  const TableModel& secondary,
                                                  const RelationshipModel& r,
                                                  const std::string& what);

  // ---- back_populates pairing (back_populates.cpp) ----------------------------------------

  void check_back_populates(const TableModel& local, const RelationshipModel& r);
  const RelationshipModel* back_populates_partner(const TableModel& local, const TableModel& target,
                                                  const RelationshipModel& r,
                                                  const std::string& what);
  void check_same_join(const TableModel& target, const RelationshipModel& r,
                       const RelationshipModel& other, const std::string& what);

  // ---- enums (enums.cpp) ------------------------------------------------------------------

  void build_enums();
  void build_enum(const EnumInfo& info, const FieldInfo& user);

  const ParseResult& parse_;
  Diagnostics& diagnostics_;
  Schema schema_;
  std::map<std::string, std::string> sources_;  // model header path -> its text
};

}  // namespace athanor::gen::detail
