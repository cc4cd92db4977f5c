// athanor-gen model builder, back_populates pass: after every join is resolved, each
// back_populates = "member" is checked against the relationship it names.
//
// Guarantees: the two sides of a pair name each other, refer to each other's models, and describe
// the same join (matching directions over the same foreign keys and association table), so the
// ORM can keep both sides in step.
#include "codegen/model/builder.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

namespace athanor::gen::detail {

namespace {

const char* direction_name(Direction d) {
  switch (d) {
    case Direction::kManyToOne:
      return "many-to-one";
    case Direction::kOneToMany:
      return "one-to-many";
    case Direction::kOneToOne:
      return "one-to-one";
    case Direction::kManyToMany:
      return "many-to-many";
  }
  return "?";
}

}  // namespace

void SchemaBuilder::check_back_populates(const TableModel& local, const RelationshipModel& r) {
  if (r.back_populates.empty()) return;
  const TableModel* target = schema_.find_struct(r.target_usr);
  if (target == nullptr) return;
  std::string what = fmt::format("back_populates = \"{}\" on '{}::{}'", r.back_populates,
                                 local.qualified_name, r.member);
  const RelationshipModel* other = back_populates_partner(local, *target, r, what);
  if (other == nullptr) return;
  if (r.join.empty() || other->join.empty()) return;  // unresolved; reported already
  check_same_join(*target, r, *other, what);
}

// The member back_populates names, when it is a relationship of the target that refers back to
// this table and names this member in its own back_populates; else null, reported.
const RelationshipModel* SchemaBuilder::back_populates_partner(const TableModel& local,
                                                               const TableModel& target,
                                                               const RelationshipModel& r,
                                                               const std::string& what) {
  const SourceLocation& where = r.back_populates_location;
  const RelationshipModel* other = nullptr;
  for (const RelationshipModel& candidate : target.relationships) {
    if (candidate.member == r.back_populates) other = &candidate;
  }
  if (other == nullptr) {
    std::vector<std::string> names;
    for (const RelationshipModel& candidate : target.relationships)
      names.push_back(candidate.member);
    bool is_column =
        std::any_of(target.columns.begin(), target.columns.end(),
                    [&](const ColumnModel& c) { return c.member == r.back_populates; });
    error(where, fmt::format("{} does not pair: '{}' has no relationship member '{}'{}", what,
                             target.qualified_name, r.back_populates,
                             is_column       ? " (it is a column)"
                             : names.empty() ? std::string()
                                             : suggestion(r.back_populates, names)));
    return nullptr;
  }
  if (other == &r) {
    error(where, fmt::format("{} names the relationship itself; it must name the member on the "
                             "other side",
                             what));
    return nullptr;
  }
  if (other->target_usr != local.usr) {
    error(where,
          fmt::format("{} does not pair: '{}::{}' refers to '{}', not to '{}'", what,
                      target.qualified_name, other->member, other->target, local.qualified_name));
    return nullptr;
  }
  if (other->back_populates != r.member) {
    error(where,
          fmt::format("{} does not pair: '{}::{}' {}; add back_populates = \"{}\" to it", what,
                      target.qualified_name, other->member,
                      other->back_populates.empty()
                          ? std::string("has no back_populates")
                          : fmt::format("has back_populates = \"{}\"", other->back_populates),
                      r.member));
    return nullptr;
  }
  return other;
}

// Both sides of a pair describe one join: opposite (or both one-to-one, both many-to-many)
// directions over the same foreign keys and association table.
void SchemaBuilder::check_same_join(const TableModel& target, const RelationshipModel& r,
                                    const RelationshipModel& other, const std::string& what) {
  const SourceLocation& where = r.back_populates_location;
  bool directions_match =
      (r.direction == Direction::kManyToOne && other.direction == Direction::kOneToMany) ||
      (r.direction == Direction::kOneToMany && other.direction == Direction::kManyToOne) ||
      (r.direction == Direction::kOneToOne && other.direction == Direction::kOneToOne) ||
      (r.direction == Direction::kManyToMany && other.direction == Direction::kManyToMany);
  std::set<std::string> mine(r.foreign_keys.begin(), r.foreign_keys.end());
  std::set<std::string> theirs(other.foreign_keys.begin(), other.foreign_keys.end());
  if (!directions_match || mine != theirs || r.secondary != other.secondary) {
    std::string mine_text;
    for (const std::string& fk : r.foreign_keys) mine_text += (mine_text.empty() ? "" : ", ") + fk;
    std::string theirs_text;
    for (const std::string& fk : other.foreign_keys) {
      theirs_text += (theirs_text.empty() ? "" : ", ") + fk;
    }
    error(where, fmt::format("{} does not pair: this side is {} over {}, '{}::{}' is {} over {}; "
                             "give both sides the same foreign_keys",
                             what, direction_name(r.direction), mine_text, target.qualified_name,
                             other.member, direction_name(other.direction), theirs_text));
  }
}

}  // namespace athanor::gen::detail
