// athanor-gen model builder, tables pass: one TableModel per struct with ATHANOR_TABLE, in header
// and then declaration order, from the table options and each data member (as a column, a
// relationship declaration, or nothing when ATHANOR_TRANSIENT). Also the check, once every table is
// built, that no two models share a table name.
//
// Guarantees: a struct without ATHANOR_TABLE yields no table (its member annotations are
// reported); a model that could not be a model (union, nested, anonymous namespace, base
// class) is reported but still built, so its members are checked too; a table without errors
// has a name, distinct column names and a primary key.
#include "codegen/model/builder.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

namespace athanor::gen::detail {

namespace {

using Kind = OptionValue::Kind;

const char* kSupportedTypes =
    "supported: bool, integers, float, double, std::string, athanor::Bytes, athanor::Decimal, "
    "std::chrono::sys_days, std::chrono::year_month_day, athanor::Timestamp, "
    "std::chrono::system_clock::time_point, athanor::LocalTimestamp, athanor::TimeOfDay, "
    "athanor::UuidValue, nlohmann::json, enum class, std::optional of these, and "
    "athanor::Collection<T> / athanor::Reference<T> for relationships";

}  // namespace

void SchemaBuilder::build_table(const StructInfo& s) {
  const Annotation* table_annotation = nullptr;
  std::vector<const Annotation*> constraints;
  for (const Annotation& a : s.annotations) {
    if (a.kind == "table") {
      if (table_annotation != nullptr) {
        error(a.location, fmt::format("ATHANOR_TABLE is given twice for '{}'", s.qualified_name));
        return;
      }
      table_annotation = &a;
    } else if (a.kind == "index" || a.kind == "unique" || a.kind == "check") {
      constraints.push_back(&a);
    } else if (!known_kind(a.kind)) {
      unknown_annotation(a);
    } else {
      error(a.location, fmt::format("{} is misplaced on struct '{}': it goes on a data member",
                                    macro_name(a.kind), s.qualified_name));
    }
  }
  if (table_annotation == nullptr) {
    for (const Annotation* a : constraints) {
      error(a->location, fmt::format("{} on '{}' needs ATHANOR_TABLE(\"name\") on the same struct",
                                     macro_name(a->kind), s.qualified_name));
    }
    for (const FieldInfo& f : s.fields) {
      for (const Annotation& a : f.annotations) {
        if (!known_kind(a.kind)) {
          unknown_annotation(a);
          continue;
        }
        error(a.location, fmt::format("{} is on member '{}' of '{}', which is not a model: add "
                                      "ATHANOR_TABLE(\"name\") after its struct keyword",
                                      macro_name(a.kind), f.name, s.qualified_name));
      }
    }
    return;
  }

  std::size_t errors_before = diagnostics_.size();
  if (s.is_union) {
    error(s.location,
          fmt::format("'{}' is a union; a model must be a struct or class", s.qualified_name));
  }
  if (s.is_nested) {
    error(s.location, fmt::format("model '{}' is nested in another class; declare models at "
                                  "namespace scope",
                                  s.qualified_name));
  }
  if (s.in_anonymous_namespace) {
    error(s.location, fmt::format("model '{}' is in an anonymous namespace; generated code in "
                                  "other files could not name it",
                                  s.qualified_name));
  }
  if (s.has_bases) {
    error(s.location, fmt::format("model '{}' has a base class; a model's columns must be its "
                                  "own data members",
                                  s.qualified_name));
  }

  TableModel table;
  table.struct_name = s.name;
  table.qualified_name = s.qualified_name;
  table.namespace_name = s.namespace_name;
  table.usr = s.usr;
  table.header = s.file;
  table.location = s.location;
  parse_table_options(*table_annotation, table);

  for (const FieldInfo& f : s.fields) build_member(s, f, table);

  std::set<std::string> column_names;
  for (const ColumnModel& c : table.columns) {
    if (!column_names.insert(c.name).second) {
      error(c.location, fmt::format("two members of '{}' map to column '{}'; give one another "
                                    "name with ATHANOR_COLUMN(name = \"...\")",
                                    s.qualified_name, c.name));
    }
  }
  for (const Annotation* a : constraints) parse_constraint(*a, table);

  bool has_key = std::any_of(table.columns.begin(), table.columns.end(),
                             [](const ColumnModel& c) { return c.primary_key; });
  if (!has_key && diagnostics_.size() == errors_before) {
    error(s.location, fmt::format("model '{}' (table \"{}\") has no primary key: mark its key "
                                  "member(s) ATHANOR_COLUMN(primary_key)",
                                  s.qualified_name, table.name));
  }
  schema_.tables.push_back(std::move(table));
}

void SchemaBuilder::parse_table_options(const Annotation& a, TableModel& table) {
  const std::string macro = "ATHANOR_TABLE";
  std::vector<OptionItem> items;
  if (!parse(a, items)) return;
  if (!items.empty() && items.front().is_flag()) {
    error(items.front().location,
          fmt::format("ATHANOR_TABLE starts with the table name as a string, e.g. "
                      "ATHANOR_TABLE(\"{}\"); got {}",
                      items.front().value.text, items.front().value.text));
    return;
  }
  if (!check_keys(macro, items, {"name", "comment", "info"}, {}, true)) return;
  std::vector<const OptionItem*> positional;
  for (const OptionItem& item : items) {
    if (item.positional()) positional.push_back(&item);
  }
  std::optional<std::string> name = string_option(macro, items, "name");
  if (!positional.empty()) {
    const OptionItem& first = *positional.front();
    if (first.value.kind != Kind::kString) {
      error(first.location, fmt::format("ATHANOR_TABLE starts with the table name as a string, "
                                        "e.g. ATHANOR_TABLE(\"users\"); got {}",
                                        describe(first.value)));
      return;
    }
    if (positional.size() > 1) {
      error(positional[1]->location,
            fmt::format("ATHANOR_TABLE takes one table name; {} is extra (options are written "
                        "key = value)",
                        describe(positional[1]->value)));
      return;
    }
    if (name) {
      error(first.location, "ATHANOR_TABLE names the table twice (positional and name = ...)");
      return;
    }
    name = first.value.text;
  }
  if (!name || name->empty()) {
    error(a.location,
          fmt::format("ATHANOR_TABLE needs the table name: struct ATHANOR_TABLE(\"{}\") "
                      "{} {{ ... }};",
                      snake_case(table.struct_name) + "s", table.struct_name));
    table.name = snake_case(table.struct_name);
    return;
  }
  table.name = *name;
  table.comment = string_option(macro, items, "comment", true).value_or("");
  table.info = json_option(macro, items).value_or("");
}

void SchemaBuilder::build_member(const StructInfo& s, const FieldInfo& f, TableModel& table) {
  const Annotation* column = nullptr;
  const Annotation* relationship = nullptr;
  const Annotation* transient = nullptr;
  for (const Annotation& a : f.annotations) {
    const Annotation** slot = nullptr;
    if (a.kind == "column") {
      slot = &column;
    } else if (a.kind == "relationship") {
      slot = &relationship;
    } else if (a.kind == "transient") {
      slot = &transient;
    } else if (!known_kind(a.kind)) {
      unknown_annotation(a);
      return;
    } else {
      error(a.location, fmt::format("{} is misplaced on member '{}': it goes after the struct "
                                    "keyword",
                                    macro_name(a.kind), f.name));
      return;
    }
    if (*slot != nullptr) {
      error(a.location,
            fmt::format("{} is given twice on member '{}'", macro_name(a.kind), f.name));
      return;
    }
    *slot = &a;
  }
  if (transient != nullptr) {
    const Annotation* other = column != nullptr ? column : relationship;
    if (other != nullptr) {
      error(other->location, fmt::format("member '{}' is ATHANOR_TRANSIENT and also {}; remove "
                                         "one of them",
                                         f.name, macro_name(other->kind)));
    }
    if (!transient->text.empty()) {
      error(transient->location, "ATHANOR_TRANSIENT takes no options");
    }
    return;
  }
  if (f.name == "table") {
    error(f.location, fmt::format("member 'table' of '{}' would clash with {}_::table(); rename "
                                  "it or mark it ATHANOR_TRANSIENT",
                                  s.qualified_name, s.name));
    return;
  }
  if (!f.is_public) {
    error(f.location, fmt::format("member '{}' of model '{}' is not public; generated code reads "
                                  "and writes members directly: make it public or mark it "
                                  "ATHANOR_TRANSIENT",
                                  f.name, s.qualified_name));
    return;
  }
  if (f.is_const) {
    error(f.location, fmt::format("member '{}' of model '{}' is const and could not be loaded "
                                  "from a row; make it non-const or mark it ATHANOR_TRANSIENT",
                                  f.name, s.qualified_name));
    return;
  }
  if (f.is_bitfield) {
    error(f.location, fmt::format("member '{}' of model '{}' is a bit-field; use a whole integer "
                                  "or bool",
                                  f.name, s.qualified_name));
    return;
  }
  bool is_relationship =
      f.type.category == TypeCategory::kCollection || f.type.category == TypeCategory::kReference;
  if (is_relationship) {
    if (column != nullptr) {
      error(column->location, fmt::format("member '{}' is a relationship ({}); use "
                                          "ATHANOR_RELATIONSHIP(...) rather than ATHANOR_COLUMN",
                                          f.name, f.type.spelling));
      return;
    }
    build_relationship(s, f, relationship, table);
    return;
  }
  if (relationship != nullptr) {
    error(relationship->location,
          fmt::format("ATHANOR_RELATIONSHIP is on member '{}' of type '{}'; a relationship member "
                      "is athanor::Collection<T> (to-many) or athanor::Reference<T> (to-one)",
                      f.name, f.type.spelling));
    return;
  }
  if (f.type.category == TypeCategory::kUnsupported) {
    error(f.location,
          fmt::format("unsupported member type '{}' for column '{}' of '{}': {}; or "
                      "mark the member ATHANOR_TRANSIENT",
                      f.type.spelling, f.name, s.qualified_name,
                      f.type.why_unsupported.empty() ? kSupportedTypes : f.type.why_unsupported));
    return;
  }
  build_column(f, column, table);
}

void SchemaBuilder::check_table_names() {
  std::map<std::string, const TableModel*> seen;
  for (const TableModel& t : schema_.tables) {
    if (t.name.empty()) continue;  // its missing name was reported
    auto [it, inserted] = seen.emplace(t.name, &t);
    if (!inserted) {
      error(t.location, fmt::format("table \"{}\" of '{}' is already the table of '{}' ({}); "
                                    "give one of them another name",
                                    t.name, t.qualified_name, it->second->qualified_name,
                                    to_string(it->second->location)));
    }
  }
}

}  // namespace athanor::gen::detail
