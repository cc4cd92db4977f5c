// athanor-gen model builder, enums pass: one EnumModel per enum type of a data member of the
// parsed structs, in the order the members first use them.
//
// Guarantees: a mapped enum is an enum class with enumerators, and its stored labels (the
// enumerator name, or ATHANOR_ENUM_VALUE("label")) are distinct.
#include "codegen/model/builder.hpp"

#include <map>
#include <set>

#include <fmt/format.h>

namespace athanor::gen::detail {

using Kind = OptionValue::Kind;

void SchemaBuilder::build_enums() {
  std::set<std::string> done;
  for (const StructInfo& s : parse_.structs) {
    for (const FieldInfo& f : s.fields) {
      if (f.type.category != TypeCategory::kEnum) continue;
      const EnumInfo& info = parse_.enums[f.type.enum_index];
      if (!done.insert(info.usr).second) continue;
      build_enum(info, f);
    }
  }
}

void SchemaBuilder::build_enum(const EnumInfo& info, const FieldInfo& user) {
  EnumModel model;
  model.qualified_name = info.qualified_name;
  model.sql_name = snake_case(info.name);
  model.has_traits = info.has_traits;
  if (!info.scoped) {
    error(user.location, fmt::format("member '{}' has plain enum type '{}'; mapped enums must be "
                                     "'enum class'",
                                     user.name, info.qualified_name));
    return;
  }
  if (info.enumerators.empty()) {
    error(info.location, fmt::format("enum '{}' has no enumerators to store", info.qualified_name));
    return;
  }
  std::map<std::string, std::string> labels;
  for (const EnumeratorInfo& e : info.enumerators) {
    std::string label = e.name;
    for (const Annotation& a : e.annotations) {
      if (a.kind != "enum_value") {
        error(a.location, fmt::format("{} is misplaced on an enumerator", macro_name(a.kind)));
        continue;
      }
      std::vector<OptionItem> items;
      if (!parse(a, items)) continue;
      if (items.size() != 1 || !items[0].positional() || items[0].value.kind != Kind::kString ||
          items[0].value.text.empty()) {
        error(a.location,
              "ATHANOR_ENUM_VALUE takes the stored label as one non-empty string: "
              "ATHANOR_ENUM_VALUE(\"draft\")");
        continue;
      }
      label = items[0].value.text;
    }
    auto [it, inserted] = labels.emplace(label, e.name);
    if (!inserted) {
      error(e.location, fmt::format("enumerators '{}' and '{}' of '{}' are both stored as \"{}\"; "
                                    "give one another label with ATHANOR_ENUM_VALUE",
                                    it->second, e.name, info.qualified_name, label));
    }
    model.labels.emplace_back(e.name, label);
  }
  schema_.enums.push_back(std::move(model));
}

}  // namespace athanor::gen::detail
