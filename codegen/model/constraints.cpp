// athanor-gen model builder, constraints: the foreign key of a column (read with its
// ATHANOR_COLUMN options during the tables pass, resolved in a pass of its own once every table
// exists), and the table-level ATHANOR_INDEX, ATHANOR_UNIQUE and ATHANOR_CHECK.
//
// Guarantees: an index or unique constraint names columns of its own table (a member name is
// turned into its column name); every foreign key has a valid referential action, refers to an
// existing table and column of this step, and has the type of the column it refers to (MySQL and
// MariaDB refuse anything else).
#include "codegen/model/builder.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace athanor::gen::detail {

using Kind = OptionValue::Kind;

void SchemaBuilder::parse_foreign_key(const std::string& macro,
                                      const std::vector<OptionItem>& items, ColumnModel& column) {
  std::optional<std::string> target = string_option(macro, items, "foreign_key");
  std::optional<std::string> ondelete = string_option(macro, items, "ondelete");
  std::optional<std::string> onupdate = string_option(macro, items, "onupdate");
  if (!target) {
    for (const char* key : {"ondelete", "onupdate"}) {
      if (const OptionItem* item = find(items, key)) {
        error(item->location, fmt::format("{} applies to a foreign key; add foreign_key = "
                                          "\"table.column\"",
                                          key));
      }
    }
    return;
  }
  const OptionItem* item = find(items, "foreign_key");
  std::size_t dot = target->rfind('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == target->size()) {
    error(item->value.location,
          fmt::format("foreign_key = \"{}\" must name \"table.column\"", *target));
    return;
  }
  ForeignKeyModel fk;
  fk.table = target->substr(0, dot);
  fk.column = target->substr(dot + 1);
  fk.location = item->value.location;
  static const std::vector<std::string> actions = {"CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT",
                                                   "NO ACTION"};
  auto action = [&](const std::optional<std::string>& value, const char* key) {
    if (!value) return std::string();
    std::string normalized = upper(trim(*value));
    if (std::find(actions.begin(), actions.end(), normalized) == actions.end()) {
      error(find(items, key)->value.location,
            fmt::format("{} = \"{}\" is not a referential action{}", key, *value,
                        suggestion(normalized, actions)));
      return std::string();
    }
    return normalized;
  };
  fk.ondelete = action(ondelete, "ondelete");
  fk.onupdate = action(onupdate, "onupdate");
  if (fk.ondelete == "SET NULL" && !column.nullable) {
    error(find(items, "ondelete")->value.location,
          fmt::format("ondelete = \"SET NULL\" needs a nullable column; make '{}' std::optional",
                      column.member));
  }
  column.foreign_key = std::move(fk);
}

std::optional<std::string> column_for(const TableModel& table, const std::string& name) {
  for (const ColumnModel& c : table.columns) {
    if (c.member == name) return c.name;
  }
  for (const ColumnModel& c : table.columns) {
    if (c.name == name) return c.name;
  }
  return std::nullopt;
}

std::vector<std::string> column_names(const TableModel& table) {
  std::vector<std::string> out;
  for (const ColumnModel& c : table.columns) out.push_back(c.member);
  return out;
}

void SchemaBuilder::parse_constraint(const Annotation& a, TableModel& table) {
  const std::string macro = macro_name(a.kind);
  std::vector<OptionItem> items;
  if (!parse(a, items)) return;
  std::vector<std::string> keys = {"name"};
  std::vector<std::string> flags;
  if (a.kind == "index") {
    keys.push_back("unique");
    flags.push_back("unique");
  }
  if (!check_keys(macro, items, keys, flags, true)) return;
  std::vector<const OptionItem*> positional;
  for (const OptionItem& item : items) {
    if (item.positional() && !item.is_flag()) positional.push_back(&item);
  }
  std::string name = string_option(macro, items, "name").value_or("");
  if (a.kind == "check") {
    if (positional.size() != 1 || positional[0]->value.kind != Kind::kString) {
      error(a.location,
            "ATHANOR_CHECK takes the SQL condition as one string: "
            "ATHANOR_CHECK(\"price >= 0\")");
      return;
    }
    table.checks.push_back({name, positional[0]->value.text});
    return;
  }
  if (positional.empty()) {
    error(a.location,
          fmt::format("{} needs the members it covers: {}(\"a\", \"b\")", macro, macro));
    return;
  }
  std::vector<std::string> columns;
  for (const OptionItem* p : positional) {
    if (p->value.kind != Kind::kString) {
      error(p->location,
            fmt::format("{} takes member names as strings; got {}", macro, describe(p->value)));
      return;
    }
    std::optional<std::string> column = column_for(table, p->value.text);
    if (!column) {
      error(p->location,
            fmt::format("{} names '{}', which is not a column of '{}'{}", macro, p->value.text,
                        table.qualified_name, suggestion(p->value.text, column_names(table))));
      return;
    }
    columns.push_back(*column);
  }
  if (a.kind == "unique") {
    table.uniques.push_back({name, columns});
  } else {
    table.indexes.push_back({name, columns, bool_option(macro, items, "unique").value_or(false)});
  }
}

void SchemaBuilder::resolve_foreign_keys() {
  for (const TableModel& t : schema_.tables) {
    for (const ColumnModel& c : t.columns) {
      if (!c.foreign_key) continue;
      const ForeignKeyModel& fk = *c.foreign_key;
      const TableModel* target = schema_.find_table(fk.table);
      if (target == nullptr) {
        std::vector<std::string> names;
        for (const TableModel& other : schema_.tables) names.push_back(other.name);
        error(fk.location, fmt::format("foreign_key = \"{}.{}\": no model of this step has table "
                                       "\"{}\"{}",
                                       fk.table, fk.column, fk.table, suggestion(fk.table, names)));
        continue;
      }
      const ColumnModel* referred = target->find_column(fk.column);
      if (referred == nullptr) {
        std::vector<std::string> names;
        for (const ColumnModel& other : target->columns) names.push_back(other.name);
        error(fk.location,
              fmt::format("foreign_key = \"{}.{}\": table \"{}\" has no column "
                          "'{}'{}",
                          fk.table, fk.column, fk.table, fk.column, suggestion(fk.column, names)));
      } else if (referred->type.kind != c.type.kind) {
        // MySQL and MariaDB refuse foreign keys between columns of different types.
        error(fk.location, fmt::format("foreign_key = \"{}.{}\": column '{}' is {} but '{}.{}' is "
                                       "{}; give both the same type",
                                       fk.table, fk.column, c.name, type_name(c.type.kind),
                                       fk.table, fk.column, type_name(referred->type.kind)));
      }
    }
  }
}

}  // namespace athanor::gen::detail
