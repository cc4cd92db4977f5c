// athanor-gen model builder, relationship declarations (part of the tables pass): an
// athanor::Collection<T> / athanor::Reference<T> member and its ATHANOR_RELATIONSHIP options as a
// RelationshipModel, with nothing resolved yet; relationship_joins.cpp resolves the join once
// every table exists.
//
// Guarantees: the target is a model of this generation step; lazy and cascade hold canonical
// values (cascade defaults to save-update, merge); foreign_keys and order_by are kept as written,
// with their locations, for the join pass.
#include "codegen/model/builder.hpp"

#include <algorithm>
#include <set>
#include <sstream>

#include <fmt/format.h>

namespace athanor::gen::detail {

using Kind = OptionValue::Kind;

void SchemaBuilder::build_relationship(const StructInfo& s, const FieldInfo& f,
                                       const Annotation* annotation, TableModel& table) {
  const std::string macro = "ATHANOR_RELATIONSHIP";
  RelationshipModel r;
  r.member = f.name;
  r.target = f.type.target_name;
  r.target_usr = f.type.target_usr;
  r.uselist = f.type.category == TypeCategory::kCollection;
  r.location = f.location;
  r.cascade = {"save-update", "merge"};
  if (!f.type.target_annotated) {
    if (f.type.target_file.empty()) {
      error(f.location, fmt::format("relationship '{}' of '{}' points to '{}', which is only "
                                    "declared; include the header that defines it as a model",
                                    f.name, s.qualified_name, r.target));
    } else {
      error(f.location, fmt::format("relationship '{}' of '{}' points to '{}', which is not a "
                                    "mapped model: give it ATHANOR_TABLE(\"name\")",
                                    f.name, s.qualified_name, r.target));
    }
    return;
  }
  if (!parse_.structs.empty() &&
      std::none_of(parse_.structs.begin(), parse_.structs.end(),
                   [&](const StructInfo& other) { return other.usr == r.target_usr; })) {
    error(f.location, fmt::format("relationship '{}' of '{}' points to '{}', which is declared "
                                  "in {}, not in a header of this generation step; add that "
                                  "header to the step's HEADERS",
                                  f.name, s.qualified_name, r.target, f.type.target_file));
    return;
  }
  if (annotation != nullptr) {
    std::vector<OptionItem> items;
    if (!parse(*annotation, items) || !check_keys(macro, items,
                                                  {"back_populates", "secondary", "cascade", "lazy",
                                                   "order_by", "foreign_keys", "post_update"},
                                                  {"post_update"}, false)) {
      return;
    }
    if (std::optional<std::string> back = string_option(macro, items, "back_populates")) {
      r.back_populates = *back;
      r.back_populates_location = find(items, "back_populates")->value.location;
    }
    if (std::optional<std::string> secondary = string_option(macro, items, "secondary")) {
      r.secondary = *secondary;
      r.secondary_location = find(items, "secondary")->value.location;
    }
    r.post_update = bool_option(macro, items, "post_update").value_or(false);
    if (const OptionItem* lazy = find(items, "lazy")) parse_lazy(*lazy, r);
    if (std::optional<std::string> cascade = string_option(macro, items, "cascade", true)) {
      parse_cascade(*cascade, find(items, "cascade")->value.location, r);
    }
    r.foreign_keys_option = string_list_option(macro, items, "foreign_keys");
    r.order_by_option = string_list_option(macro, items, "order_by");
  }
  table.relationships.push_back(std::move(r));
}

void SchemaBuilder::parse_lazy(const OptionItem& item, RelationshipModel& r) {
  static const std::vector<std::string> modes = {"select", "selectin", "joined", "raise"};
  const OptionValue& v = item.value;
  if (v.kind != Kind::kIdentifier && v.kind != Kind::kString) {
    error(v.location,
          fmt::format("lazy takes one of select, selectin, joined, raise; got {}", describe(v)));
    return;
  }
  auto it = std::find(modes.begin(), modes.end(), v.text);
  if (it == modes.end()) {
    error(v.location, fmt::format("lazy = {} is not a loading strategy{}", describe(v),
                                  suggestion(v.text, modes)));
    return;
  }
  r.lazy = static_cast<LazyMode>(it - modes.begin());
}

void SchemaBuilder::parse_cascade(const std::string& text, const SourceLocation& where,
                                  RelationshipModel& r) {
  static const std::vector<std::string> flags = {"save-update",   "merge",          "delete",
                                                 "delete-orphan", "refresh-expire", "expunge"};
  std::vector<std::string> known = flags;
  known.push_back("all");
  known.push_back("none");
  std::set<std::string> chosen;
  std::stringstream parts(text);
  std::string part;
  while (std::getline(parts, part, ',')) {
    part = trim(part);
    if (part.empty()) continue;
    if (part == "all") {
      for (const std::string& f : flags) {
        if (f != "delete-orphan") chosen.insert(f);
      }
    } else if (part == "none") {
      continue;
    } else if (std::find(flags.begin(), flags.end(), part) != flags.end()) {
      chosen.insert(part);
    } else {
      error(where, fmt::format("cascade \"{}\" is not a cascade{}", part, suggestion(part, known)));
      return;
    }
  }
  r.cascade.clear();
  for (const std::string& f : flags) {
    if (chosen.count(f) > 0) r.cascade.push_back(f);
  }
}

}  // namespace athanor::gen::detail
