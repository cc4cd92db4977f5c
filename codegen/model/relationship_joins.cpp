// athanor-gen model builder, relationship join pass: for every relationship, the target's table,
// the order_by columns, the direction and the columns the join runs over. resolve_relationship()
// takes the decisions in order: the target model; order_by; with secondary = ..., the
// association table and its keys to each side (many-to-many); otherwise the foreign keys
// (named by foreign_keys = ..., else those between the two tables), their side, and from
// both and the member's kind (Collection or Reference) the direction.
//
// Guarantees: a resolved relationship has a direction, at least one join column pair, and the
// "table.column" of each foreign key it follows; one whose join has an error is left with no join
// pairs, which the back_populates pass takes as already reported.
#include "codegen/model/builder.hpp"

#include <algorithm>
#include <set>
#include <sstream>

#include <fmt/format.h>

namespace athanor::gen::detail {

namespace {

// Foreign key columns of `from` that refer to table `to`.
std::vector<FkRef> foreign_keys_between(const TableModel& from, const TableModel& to) {
  std::vector<FkRef> out;
  for (const ColumnModel& c : from.columns) {
    if (c.foreign_key && c.foreign_key->table == to.name && to.find_column(c.foreign_key->column)) {
      out.push_back({&from, &c});
    }
  }
  return out;
}

// Two foreign keys that refer to the same target column make the join ambiguous.
const FkRef* ambiguous(const std::vector<FkRef>& fks) {
  for (std::size_t i = 0; i < fks.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (fks[i].column->foreign_key->column == fks[j].column->foreign_key->column) return &fks[i];
    }
  }
  return nullptr;
}

std::string fk_list(const std::vector<FkRef>& fks) {
  std::string out;
  for (std::size_t i = 0; i < fks.size(); ++i) {
    if (i > 0) out += i + 1 == fks.size() ? " and " : ", ";
    out += fmt::format("'{}.{}'", fks[i].table->name, fks[i].column->name);
  }
  return out;
}

bool is_unique(const TableModel& table, const std::vector<FkRef>& fks) {
  std::set<std::string> columns;
  for (const FkRef& fk : fks) columns.insert(fk.column->name);
  if (columns.size() == 1 && fks.front().column->unique) return true;
  auto covers = [&](const std::vector<std::string>& names) {
    return std::set<std::string>(names.begin(), names.end()) == columns;
  };
  for (const UniqueModel& u : table.uniques) {
    if (covers(u.columns)) return true;
  }
  for (const IndexModel& i : table.indexes) {
    if (i.unique && covers(i.columns)) return true;
  }
  std::vector<std::string> key;
  for (const ColumnModel& c : table.columns) {
    if (c.primary_key) key.push_back(c.name);
  }
  return covers(key);
}

// Without foreign_keys = ...: a Collection follows the target's keys to this table; a Reference
// its own keys to the target, or else the target's keys to this table.
JoinKeys inferred_join_keys(const TableModel& local, const TableModel& target,
                            const RelationshipModel& r) {
  std::vector<FkRef> outgoing = foreign_keys_between(local, target);  // local -> target
  std::vector<FkRef> incoming = foreign_keys_between(target, local);  // target -> local
  if (r.uselist) return {incoming, false};
  if (!outgoing.empty()) return {outgoing, true};
  return {incoming, false};
}

// The join pairs (local column, remote column) and the "table.column" names of the keys.
void record_join(const JoinKeys& keys, RelationshipModel& r) {
  r.local_foreign_key = keys.local_side;
  for (const FkRef& fk : keys.fks) {
    const std::string& key = fk.column->foreign_key->column;
    r.join.push_back(keys.local_side ? ColumnPairModel{fk.column->name, key}
                                     : ColumnPairModel{key, fk.column->name});
    r.foreign_keys.push_back(fk.table->name + "." + fk.column->name);
  }
}

}  // namespace

void SchemaBuilder::resolve_relationship(std::size_t table_index, RelationshipModel& r) {
  const TableModel& local = schema_.tables[table_index];
  const TableModel* target = schema_.find_struct(r.target_usr);
  if (target == nullptr) return;  // its own errors were reported
  r.target_table = target->name;
  std::string what = fmt::format("relationship '{}' of '{}'", r.member, local.qualified_name);
  resolve_order_by(*target, r);
  if (!r.secondary.empty()) {
    resolve_many_to_many(local, *target, r, what);
    return;
  }
  resolve_direct_join(local, *target, r, what);
}

// order_by: columns of the target, each ascending or descending.
void SchemaBuilder::resolve_order_by(const TableModel& target, RelationshipModel& r) {
  for (const auto& [entry, where] : r.order_by_option) {
    std::stringstream words(entry);
    std::string column;
    std::string direction;
    std::string extra;
    words >> column >> direction >> extra;
    std::string dir = upper(direction);
    if (!extra.empty() || (!dir.empty() && dir != "ASC" && dir != "DESC")) {
      error(where, fmt::format("order_by = \"{}\": write \"column\", \"column asc\" or \"column "
                               "desc\"",
                               entry));
      continue;
    }
    std::optional<std::string> name = column_for(target, column);
    if (!name) {
      error(where, fmt::format("order_by = \"{}\": '{}' is not a column of '{}'{}", entry, column,
                               target.qualified_name, suggestion(column, column_names(target))));
      continue;
    }
    r.order_by.push_back({*name, dir == "DESC"});
  }
}

// Without an association table, the join runs over foreign keys between the two tables: those
// named by foreign_keys = ..., else inferred from the member's kind; with it they decide the
// direction.
void SchemaBuilder::resolve_direct_join(const TableModel& local, const TableModel& target,
                                        RelationshipModel& r, const std::string& what) {
  std::optional<JoinKeys> keys = r.foreign_keys_option.empty()
                                     ? inferred_join_keys(local, target, r)
                                     : named_join_keys(local, target, r, what);
  if (!keys) return;
  if (keys->fks.empty()) {
    report_no_foreign_key(local, target, r, what);
    return;
  }
  if (r.foreign_keys_option.empty() && report_ambiguous(*keys, r, what)) return;
  std::optional<Direction> direction = choose_direction(local, target, r, *keys, what);
  if (!direction) return;
  r.direction = *direction;
  record_join(*keys, r);
}

// The columns foreign_keys = ... names: all on one side, each referring to the other side (for a
// self-referential relationship, to the table itself; a Reference then holds the key locally).
std::optional<JoinKeys> SchemaBuilder::named_join_keys(const TableModel& local,
                                                       const TableModel& target,
                                                       const RelationshipModel& r,
                                                       const std::string& what) {
  bool self = &target == &local;
  std::vector<const TableModel*> tables = {&local};
  if (!self) tables.push_back(&target);
  auto chosen = chosen_foreign_keys(r, tables, {self ? &local : &target, &local});
  if (!chosen) return std::nullopt;
  JoinKeys keys;
  keys.fks = *chosen;
  bool any_local = false;
  bool any_remote = false;
  for (const FkRef& fk : keys.fks) {
    bool in_local = !self && fk.table == &local;
    (in_local ? any_local : any_remote) = true;
    if (!self && fk.table == &local && fk.column->foreign_key->table != target.name) {
      error(r.location, fmt::format("{}: foreign key '{}.{}' does not refer to '{}'", what,
                                    fk.table->name, fk.column->name, target.name));
      return std::nullopt;
    }
    if (!self && fk.table == &target && fk.column->foreign_key->table != local.name) {
      error(r.location, fmt::format("{}: foreign key '{}.{}' does not refer to '{}'", what,
                                    fk.table->name, fk.column->name, local.name));
      return std::nullopt;
    }
  }
  if (any_local && any_remote) {
    error(r.location, fmt::format("{}: foreign_keys mixes columns of '{}' and '{}'; name the "
                                  "columns of one side",
                                  what, local.name, target.name));
    return std::nullopt;
  }
  keys.local_side = self ? !r.uselist : any_local;
  return keys;
}

// foreign_keys = "..." entries resolved to foreign key columns of `tables` that refer to one of
// `refers_to`.
std::optional<std::vector<FkRef>> SchemaBuilder::chosen_foreign_keys(
    const RelationshipModel& r, const std::vector<const TableModel*>& tables,
    const std::vector<const TableModel*>& refers_to) {
  std::vector<FkRef> out;
  for (const auto& [entry, where] : r.foreign_keys_option) {
    std::string table_name;
    std::string column_name = entry;
    std::size_t dot = entry.rfind('.');
    if (dot != std::string::npos) {
      table_name = entry.substr(0, dot);
      column_name = entry.substr(dot + 1);
    }
    const FkRef* found = nullptr;
    std::vector<FkRef> candidates;
    for (const TableModel* t : tables) {
      if (!table_name.empty() && t->name != table_name) continue;
      for (const ColumnModel& c : t->columns) {
        if (c.name == column_name || c.member == column_name) candidates.push_back({t, &c});
      }
    }
    std::string where_names;
    for (const TableModel* t : tables) {
      where_names += (where_names.empty() ? "'" : " or '") + t->name + "'";
    }
    if (candidates.empty()) {
      error(where, fmt::format("foreign_keys = \"{}\" names no column of {}", entry, where_names));
      return std::nullopt;
    }
    for (const FkRef& candidate : candidates) {
      const ColumnModel& c = *candidate.column;
      if (!c.foreign_key) continue;
      for (const TableModel* target : refers_to) {
        if (c.foreign_key->table == target->name) found = &candidate;
      }
      if (found != nullptr) break;
    }
    if (found == nullptr) {
      const TableModel* holder = candidates.front().table;
      std::string targets;
      for (const TableModel* t : refers_to) {
        if (t == holder && refers_to.size() > 1 && refers_to[0] != refers_to[1]) continue;
        if (targets.find("'" + t->name + "'") != std::string::npos) continue;
        targets += (targets.empty() ? "'" : " or '") + t->name + "'";
      }
      error(where, fmt::format("foreign_keys = \"{}\": column '{}.{}' has no foreign key to {}",
                               entry, holder->name, candidates.front().column->name, targets));
      return std::nullopt;
    }
    out.push_back(*found);
  }
  return out;
}

void SchemaBuilder::report_no_foreign_key(const TableModel& local, const TableModel& target,
                                          const RelationshipModel& r, const std::string& what) {
  if (r.uselist) {
    error(r.location,
          fmt::format("{} has no foreign key to follow: no column of '{}' refers to '{}'; add "
                      "ATHANOR_COLUMN(foreign_key = \"{}.<key>\") to a member of '{}'",
                      what, target.name, local.name, local.name, target.qualified_name));
  } else if (&target == &local) {
    error(r.location,
          fmt::format("{} has no foreign key to follow: no column of '{}' refers to its own "
                      "table; add ATHANOR_COLUMN(foreign_key = \"{}.<key>\") to a member",
                      what, local.name, local.name));
  } else {
    error(r.location,
          fmt::format("{} has no foreign key to follow: neither '{}' nor '{}' has a column "
                      "that refers to the other; add ATHANOR_COLUMN(foreign_key = "
                      "\"{}.<key>\") to a member of '{}'",
                      what, local.name, target.name, target.name, local.qualified_name));
  }
}

// Inferred keys that refer to the same column twice (author_id and editor_id both to users.id)
// leave the join to foreign_keys = ...; returns whether that was reported.
bool SchemaBuilder::report_ambiguous(const JoinKeys& keys, const RelationshipModel& r,
                                     const std::string& what) {
  const FkRef* clash = ambiguous(keys.fks);
  if (clash == nullptr) return false;
  std::vector<FkRef> same;
  for (const FkRef& fk : keys.fks) {
    if (fk.column->foreign_key->column == clash->column->foreign_key->column) same.push_back(fk);
  }
  error(r.location,
        fmt::format("{} is ambiguous: {} {} refer to '{}.{}'; choose with foreign_keys = "
                    "\"{}\"",
                    what, fk_list(same), same.size() == 2 ? "both" : "all",
                    clash->column->foreign_key->table, clash->column->foreign_key->column,
                    same.front().column->name));
  return true;
}

// A Collection is one-to-many, its keys in the target (or in its own table when it refers to
// itself). A Reference holding the keys is many-to-one, or one-to-one when they are unique; a
// Reference whose keys are in the target is one-to-one, and needs them unique.
std::optional<Direction> SchemaBuilder::choose_direction(const TableModel& local,
                                                         const TableModel& target,
                                                         const RelationshipModel& r,
                                                         const JoinKeys& keys,
                                                         const std::string& what) {
  if (r.uselist && keys.local_side && &target != &local) {
    error(r.location, fmt::format("{} is a Collection, but its foreign key {} is in '{}' (the "
                                  "\"one\" side): use athanor::Reference<{}>",
                                  what, fk_list(keys.fks), local.name, target.qualified_name));
    return std::nullopt;
  }
  const TableModel& fk_table = keys.local_side ? local : target;
  if (r.uselist) return Direction::kOneToMany;
  if (keys.local_side) {
    return is_unique(fk_table, keys.fks) ? Direction::kOneToOne : Direction::kManyToOne;
  }
  if (!is_unique(fk_table, keys.fks)) {
    error(r.location,
          fmt::format("{} is a Reference to the \"many\" side: {} is not unique, so several "
                      "'{}' rows may refer to one '{}'; use athanor::Collection<{}>, or make "
                      "the foreign key unique for a one-to-one",
                      what, fk_list(keys.fks), target.name, local.name, target.qualified_name));
    return std::nullopt;
  }
  return Direction::kOneToOne;
}

// With secondary = ..., the join runs through the association table: its keys to this table
// (`join`), then its keys to the target (`secondary_join`).
void SchemaBuilder::resolve_many_to_many(const TableModel& local, const TableModel& target,
                                         RelationshipModel& r, const std::string& what) {
  const TableModel* secondary = association_table(target, r, what);
  if (secondary == nullptr) return;
  std::optional<AssociationKeys> keys = association_keys(local, target, *secondary, r, what);
  if (!keys) return;
  r.direction = Direction::kManyToMany;
  r.local_foreign_key = false;
  for (const FkRef& fk : keys->to_local) {
    r.join.push_back({fk.column->foreign_key->column, fk.column->name});
    r.foreign_keys.push_back(secondary->name + "." + fk.column->name);
  }
  for (const FkRef& fk : keys->to_target) {
    r.secondary_join.push_back({fk.column->name, fk.column->foreign_key->column});
    r.foreign_keys.push_back(secondary->name + "." + fk.column->name);
  }
}

// The model of secondary = "table", for a Collection; else null, reported.
const TableModel* SchemaBuilder::association_table(const TableModel& target,
                                                   const RelationshipModel& r,
                                                   const std::string& what) {
  if (!r.uselist) {
    error(r.location, fmt::format("{} has secondary = \"{}\" (many-to-many) but is a Reference; "
                                  "use athanor::Collection<{}>",
                                  what, r.secondary, target.qualified_name));
    return nullptr;
  }
  const TableModel* secondary = schema_.find_table(r.secondary);
  if (secondary == nullptr) {
    std::vector<std::string> names;
    for (const TableModel& t : schema_.tables) names.push_back(t.name);
    error(r.secondary_location,
          fmt::format("secondary = \"{}\": no model of this step has that table{}; declare the "
                      "association table as a struct with ATHANOR_TABLE(\"{}\")",
                      r.secondary, suggestion(r.secondary, names), r.secondary));
    return nullptr;
  }
  return secondary;
}

// The association table's keys to each side: foreign_keys = ... names those to this table (and
// must, when the table relates to itself), the rest go to the target; each side needs at least
// one key and no two to the same column.
std::optional<AssociationKeys> SchemaBuilder::association_keys(const TableModel& local,
                                                               const TableModel& target,
                                                               const TableModel& secondary,
                                                               const RelationshipModel& r,
                                                               const std::string& what) {
  AssociationKeys keys{foreign_keys_between(secondary, local),
                       foreign_keys_between(secondary, target)};
  std::vector<FkRef>& to_local = keys.to_local;
  std::vector<FkRef>& to_target = keys.to_target;
  if (!r.foreign_keys_option.empty()) {
    auto chosen = chosen_foreign_keys(r, {&secondary}, {&local});
    if (!chosen) return std::nullopt;
    to_local = *chosen;
    std::vector<FkRef> rest;
    for (const FkRef& fk : to_target) {
      bool taken = std::any_of(to_local.begin(), to_local.end(),
                               [&](const FkRef& l) { return l.column == fk.column; });
      if (!taken) rest.push_back(fk);
    }
    to_target = rest;
  } else if (&local == &target) {
    error(r.location, fmt::format("{} relates '{}' to itself through '{}', which is ambiguous: "
                                  "name the association columns that refer to this side with "
                                  "foreign_keys = \"{}.<column>\"",
                                  what, local.name, secondary.name, secondary.name));
    return std::nullopt;
  }
  if (to_local.empty() || to_target.empty()) {
    const TableModel& missing = to_local.empty() ? local : target;
    error(r.secondary_location,
          fmt::format("{}: association table '{}' has no foreign key to '{}'; add "
                      "ATHANOR_COLUMN(foreign_key = \"{}.<key>\") to a member of '{}'",
                      what, secondary.name, missing.name, missing.name, secondary.qualified_name));
    return std::nullopt;
  }
  for (const std::vector<FkRef>* side : {&to_local, &to_target}) {
    if (const FkRef* clash = ambiguous(*side)) {
      error(r.location,
            fmt::format("{} is ambiguous: association table '{}' has several "
                        "foreign keys to '{}.{}'; choose with foreign_keys = "
                        "\"{}.{}\"",
                        what, secondary.name, clash->column->foreign_key->table,
                        clash->column->foreign_key->column, secondary.name, clash->column->name));
      return std::nullopt;
    }
  }
  return keys;
}

}  // namespace athanor::gen::detail
