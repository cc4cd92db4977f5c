// Athanor Core, sql layer: the expression language's builders (sql.hpp).
//
// Everything here builds immutable trees (detail/sql_ast.hpp) and never renders SQL; the compiler
// (compiler.cpp) does that per dialect. Statement builders copy the state they modify, so a
// statement that was already executed keeps its cached compiled forms and stays valid.
#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "athanor/core/detail/sql_ast.hpp"
#include "athanor/core/dialect.hpp"
#include "athanor/core/error.hpp"
#include "athanor/core/schema.hpp"
#include "athanor/core/sql.hpp"
#include "core/sql/compiler.hpp"

namespace athanor {

using detail::DeleteState;
using detail::FromKind;
using detail::FromNode;
using detail::FromPtr;
using detail::InsertState;
using detail::Node;
using detail::NodeKind;
using detail::NodePtr;
using detail::SelectState;
using detail::TextState;
using detail::UpdateState;

namespace {

// The key of anonymous literals (SQLAlchemy's "param_1", "param_2", ...).
constexpr std::string_view kAnonymousKey = "param";

NodePtr make_node(Node node) { return std::make_shared<const Node>(std::move(node)); }

ColumnElement element(Node node) { return ColumnElement(make_node(std::move(node))); }

bool is_column_like(const Node& n) noexcept {
  return n.kind == NodeKind::kColumn || n.kind == NodeKind::kAliasColumn;
}

const std::string& column_key(const Node& n) noexcept {
  return n.kind == NodeKind::kColumn && n.column != nullptr ? n.column->name() : n.text;
}

// A literal bound value, named after `context` when that is a column: "users.email = :email_1"
// reads better in logs than ":param_1", and the key lets execution parameters override it.
NodePtr literal_for(const Node& context, Value value) {
  return make_node(
      Node{.kind = NodeKind::kBind,
           .text = is_column_like(context) ? column_key(context) : std::string(kAnonymousKey),
           .value = std::move(value),
           .has_value = true});
}

// `side` renamed after the column on the other side when it is an anonymous literal.
NodePtr keyed(const NodePtr& side, const Node& other) {
  if (side->kind == NodeKind::kBind && side->has_value && side->text == kAnonymousKey &&
      is_column_like(other)) {
    Node copy = *side;
    copy.text = column_key(other);
    return make_node(std::move(copy));
  }
  return side;
}

bool is_null_node(const Node& n) noexcept {
  return (n.kind == NodeKind::kBind && n.has_value && std::holds_alternative<Null>(n.value)) ||
         (n.kind == NodeKind::kKeyword && n.text == "NULL");
}

std::shared_ptr<const SelectState> select_state(const Select& select) {
  return std::static_pointer_cast<const SelectState>(select.state_ptr());
}

// The NOT of `clause`, folded into the clause where SQL has a direct negated form (a != b,
// IS NOT NULL, NOT IN, NOT LIKE, NOT BETWEEN, NOT EXISTS), as SQLAlchemy does.
NodePtr negated(const NodePtr& clause) {
  const Node& n = *clause;
  switch (n.kind) {
    case NodeKind::kBinary: {
      static constexpr std::pair<std::string_view, std::string_view> kInverse[] = {
          {"=", "!="}, {"!=", "="}, {"<>", "="}, {"<", ">="},
          {">=", "<"}, {">", "<="}, {"<=", ">"}};
      for (const auto& [op, inverse] : kInverse) {
        if (n.text == op) {
          Node copy = n;
          copy.text = inverse;
          return make_node(std::move(copy));
        }
      }
      break;
    }
    case NodeKind::kPostfix:
      if (n.text == "IS NULL" || n.text == "IS NOT NULL") {
        Node copy = n;
        copy.text = n.text == "IS NULL" ? "IS NOT NULL" : "IS NULL";
        return make_node(std::move(copy));
      }
      break;
    case NodeKind::kUnary:
      if (n.text == "NOT" && n.children.size() == 1) return n.children.front();
      break;
    case NodeKind::kKeyword:
      if (n.text == "true") return false_().node_ptr();
      if (n.text == "false") return true_().node_ptr();
      break;
    case NodeKind::kInList:
    case NodeKind::kInSelect:
    case NodeKind::kBetween:
    case NodeKind::kLike:
    case NodeKind::kExists:
    case NodeKind::kDistinctFrom: {
      Node copy = n;
      copy.negate = !n.negate;
      return make_node(std::move(copy));
    }
    default:
      break;
  }
  return make_node(Node{.kind = NodeKind::kUnary, .text = "NOT", .children = {clause}});
}

// AND / OR of `clauses`; nested lists of the same operator are flattened.
ColumnElement boolean_list(std::string_view op, const std::vector<ColumnElement>& clauses,
                           ColumnElement (*when_empty)()) {
  std::vector<NodePtr> children;
  children.reserve(clauses.size());
  for (const ColumnElement& c : clauses) {
    const Node& n = c.node();
    if (n.kind == NodeKind::kBooleanList && n.text == op) {
      children.insert(children.end(), n.children.begin(), n.children.end());
    } else {
      children.push_back(c.node_ptr());
    }
  }
  if (children.empty()) return when_empty();
  if (children.size() == 1) return ColumnElement(std::move(children.front()));
  return element(Node{
      .kind = NodeKind::kBooleanList, .text = std::string(op), .children = std::move(children)});
}

NodePtr and_nodes(const NodePtr& existing, const ColumnElement& condition) {
  if (!existing) return condition.node_ptr();
  return and_({ColumnElement(existing), condition}).node_ptr();
}

ColumnElement unary_function(std::string name, const ColumnElement& expr) {
  return element(
      Node{.kind = NodeKind::kFunction, .text = std::move(name), .children = {expr.node_ptr()}});
}

// `parts` concatenated; nested concatenations are flattened into one list, so that MySQL gets
// one CONCAT(a, b, c).
ColumnElement concat_of(const std::vector<NodePtr>& parts) {
  std::vector<NodePtr> children;
  for (const NodePtr& part : parts) {
    if (part->kind == NodeKind::kConcat) {
      children.insert(children.end(), part->children.begin(), part->children.end());
    } else {
      children.push_back(part);
    }
  }
  return element(Node{.kind = NodeKind::kConcat, .children = std::move(children)});
}

// The escape character a LIKE built from `options` declares ("" for none).
std::string like_escape(const LikeOptions& options, std::string_view operator_name) {
  if (options.escape &&
      (*options.escape == '%' || *options.escape == '_' || *options.escape == '\0')) {
    throw ArgumentError(std::string(operator_name) +
                        "(): the escape character may not be '%', '_' or NUL");
  }
  if (options.escape) return std::string(1, *options.escape);
  return options.autoescape ? "/" : "";
}

// `text` with %, _ and the escape character itself preceded by `escape`.
std::string escaped_like_text(std::string_view text, char escape) {
  std::string out;
  out.reserve(text.size() + 4);
  for (char c : text) {
    if (c == '%' || c == '_' || c == escape) out += escape;
    out += c;
  }
  return out;
}

// x LIKE <before><value><after>, the whole pattern one bound value.
ColumnElement like_pattern(const NodePtr& subject, std::string_view operator_name,
                           std::string value, const LikeOptions& options, std::string_view before,
                           std::string_view after) {
  std::string escape = like_escape(options, operator_name);
  std::string pattern(before);
  pattern += options.autoescape ? escaped_like_text(value, escape.front()) : value;
  pattern += after;
  return element(Node{.kind = NodeKind::kLike,
                      .text = std::move(escape),
                      .children = {subject, literal_for(*subject, Value{std::move(pattern)})}});
}

// x LIKE <before> || expr || <after>, the wildcards bound values.
ColumnElement like_expression(const NodePtr& subject, const ColumnElement& expr, bool before,
                              bool after) {
  std::vector<NodePtr> parts;
  if (before) parts.push_back(literal(Value{std::string("%")}).node_ptr());
  parts.push_back(expr.node_ptr());
  if (after) parts.push_back(literal(Value{std::string("%")}).node_ptr());
  return element(Node{.kind = NodeKind::kLike, .children = {subject, concat_of(parts).node_ptr()}});
}

// ---- FROM items and joins ----------------------------------------------------------------------

void tables_of(const FromNode& from, std::vector<const Table*>& out) {
  switch (from.kind) {
    case FromKind::kTable:
      if (from.table != nullptr) out.push_back(from.table);
      break;
    case FromKind::kJoin:
      if (from.left) tables_of(*from.left, out);
      if (from.right) tables_of(*from.right, out);
      break;
    case FromKind::kSubquery:
      break;
  }
}

std::string describe(const FromNode& from) {
  switch (from.kind) {
    case FromKind::kTable:
      return from.table != nullptr ? "'" + from.table->name() + "'" : "(table)";
    case FromKind::kSubquery:
      return "subquery '" + from.alias + "'";
    case FromKind::kJoin:
      break;
  }
  std::vector<const Table*> tables;
  tables_of(from, tables);
  std::string text = "join of";
  for (const Table* t : tables) text += " '" + t->name() + "'";
  return text;
}

// "referenced.col = referencing.col" for each column pair of `fk` (declared on `referencing`).
void add_fk_condition(const Table& referencing, const ForeignKeyConstraint& fk,
                      const Table& referenced, std::vector<ColumnElement>& out) {
  for (std::size_t i = 0; i < fk.columns.size() && i < fk.referred_columns.size(); ++i) {
    out.push_back(binary(ColumnElement(referenced.column(fk.referred_columns[i])), "=",
                         ColumnElement(referencing.column(fk.columns[i]))));
  }
}

// The ON clause joining `left` and `right` through their single foreign key. As in SQLAlchemy,
// the tables of a join on the left are tried from the most recently joined one backwards, so
// a JOIN b JOIN c finds c's key to b before its key to a.
NodePtr derive_onclause(const FromNode& left, const FromNode& right) {
  std::vector<const Table*> left_tables;
  std::vector<const Table*> right_tables;
  tables_of(left, left_tables);
  tables_of(right, right_tables);
  for (auto l = left_tables.rbegin(); l != left_tables.rend(); ++l) {
    const Table& lt = **l;
    std::vector<ColumnElement> conditions;
    int links = 0;
    for (const Table* rt : right_tables) {
      if (rt == &lt) continue;
      for (const ForeignKeyConstraint& fk : rt->foreign_keys()) {
        if (fk.referred_table != lt.name()) continue;
        ++links;
        add_fk_condition(*rt, fk, lt, conditions);
      }
      for (const ForeignKeyConstraint& fk : lt.foreign_keys()) {
        if (fk.referred_table != rt->name()) continue;
        ++links;
        add_fk_condition(lt, fk, *rt, conditions);
      }
    }
    if (links == 1) return and_(conditions).node_ptr();
    if (links > 1) {
      throw ArgumentError("cannot derive the join condition between " + describe(left) + " and " +
                          describe(right) +
                          ": more than one foreign key links them; pass the ON clause explicitly");
    }
  }
  throw ArgumentError("cannot derive the join condition between " + describe(left) + " and " +
                      describe(right) +
                      ": no foreign key links them; pass the ON clause explicitly");
}

Join make_join(const FromClause& left, const FromClause& right,
               const std::optional<ColumnElement>& on, bool outer) {
  NodePtr onclause = on ? on->node_ptr() : derive_onclause(left.node(), right.node());
  return Join(std::make_shared<const FromNode>(FromNode{.kind = FromKind::kJoin,
                                                        .left = left.node_ptr(),
                                                        .right = right.node_ptr(),
                                                        .onclause = std::move(onclause),
                                                        .outer = outer}));
}

// ---- statements --------------------------------------------------------------------------------

template <class State>
std::shared_ptr<State> copy_state(const Executable& statement) {
  return std::make_shared<State>(static_cast<const State&>(statement.state()));
}

void append_items(const std::vector<SelectItem>& items, std::vector<NodePtr>& columns) {
  for (const SelectItem& item : items) {
    if (item.expr()) {
      columns.push_back(item.expr()->node_ptr());
    } else if (item.table() != nullptr) {
      for (const Column& column : item.table()->columns()) {
        columns.push_back(ColumnElement(column).node_ptr());
      }
    } else if (item.from()) {
      const FromNode& from = item.from()->node();
      if (from.kind != FromKind::kSubquery || !from.select) {
        throw ArgumentError("only a table, a subquery or a column expression can be selected");
      }
      for (const detail::ResultColumn& rc : detail::result_columns(from.select->columns)) {
        columns.push_back(make_node(Node{.kind = NodeKind::kAliasColumn,
                                         .text = rc.name,
                                         .alias = from.alias,
                                         .select = from.select}));
      }
    }
  }
}

const Column& checked_column(const Table& table, const std::string& name) {
  const Column* column = table.find_column(name);
  if (column == nullptr) {
    throw ArgumentError("table '" + table.name() + "' has no column named '" + name + "'");
  }
  return *column;
}

// A column given as a values() key must belong to the statement's table.
void check_column_of(const Column* column, const Table& table) {
  if (column == nullptr || column->table() == &table) return;
  std::string name =
      column->table() != nullptr ? column->table()->name() + "." + column->name() : column->name();
  throw ArgumentError("values(): column '" + name + "' is not a column of table '" + table.name() +
                      "'");
}

// Bound values keyed by column name; later repeats of a name replace earlier ones.
std::vector<std::pair<std::string, NodePtr>> value_row(const Table& table, Params params) {
  std::vector<std::pair<std::string, NodePtr>> row;
  row.reserve(params.size());
  for (Param& p : params) {
    check_column_of(p.column, table);
    checked_column(table, p.name);
    NodePtr bind = make_node(Node{
        .kind = NodeKind::kBind, .text = p.name, .value = std::move(p.value), .has_value = true});
    auto it =
        std::find_if(row.begin(), row.end(), [&](const auto& e) { return e.first == p.name; });
    if (it != row.end()) {
      it->second = std::move(bind);
    } else {
      row.emplace_back(std::move(p.name), std::move(bind));
    }
  }
  return row;
}

bool same_keys(const std::vector<std::pair<std::string, NodePtr>>& a,
               const std::vector<std::pair<std::string, NodePtr>>& b) {
  if (a.size() != b.size()) return false;
  return std::all_of(a.begin(), a.end(), [&](const auto& e) {
    return std::any_of(b.begin(), b.end(), [&](const auto& f) { return f.first == e.first; });
  });
}

void merge_values(std::vector<std::pair<std::string, NodePtr>>& into,
                  std::vector<std::pair<std::string, NodePtr>> from) {
  for (auto& entry : from) {
    auto it = std::find_if(into.begin(), into.end(),
                           [&](const auto& e) { return e.first == entry.first; });
    if (it != into.end()) {
      it->second = std::move(entry.second);
    } else {
      into.push_back(std::move(entry));
    }
  }
}

const Table& target_table(const Table* table, std::string_view statement) {
  if (table == nullptr) {
    throw ArgumentError(std::string(statement) + " statement has no target table");
  }
  return *table;
}

}  // namespace

// ---- ColumnElement
// -------------------------------------------------------------------------------

ColumnElement::ColumnElement(const Column& column)
    : node_(make_node(Node{.kind = NodeKind::kColumn, .text = column.name(), .column = &column})) {}

ColumnElement ColumnElement::label(std::string name) const {
  return element(Node{.kind = NodeKind::kLabel, .text = std::move(name), .children = {node_}});
}

ColumnElement ColumnElement::asc() const {
  return element(Node{.kind = NodeKind::kOrder, .text = "ASC", .children = {node_}});
}

ColumnElement ColumnElement::desc() const {
  return element(Node{.kind = NodeKind::kOrder, .text = "DESC", .children = {node_}});
}

ColumnElement ColumnElement::is_null() const {
  return element(Node{.kind = NodeKind::kPostfix, .text = "IS NULL", .children = {node_}});
}

ColumnElement ColumnElement::is_not_null() const {
  return element(Node{.kind = NodeKind::kPostfix, .text = "IS NOT NULL", .children = {node_}});
}

ColumnElement ColumnElement::in_(std::vector<Value> values) const {
  std::vector<NodePtr> children;
  children.reserve(values.size() + 1);
  children.push_back(node_);
  for (Value& v : values) children.push_back(literal_for(*node_, std::move(v)));
  return element(Node{.kind = NodeKind::kInList, .children = std::move(children)});
}

ColumnElement ColumnElement::in_(const Select& subquery) const {
  return element(
      Node{.kind = NodeKind::kInSelect, .children = {node_}, .select = select_state(subquery)});
}

ColumnElement ColumnElement::not_in(std::vector<Value> values) const {
  return not_(in_(std::move(values)));
}

ColumnElement ColumnElement::not_in(const Select& subquery) const { return not_(in_(subquery)); }

ColumnElement ColumnElement::like(std::string pattern) const {
  return element(
      Node{.kind = NodeKind::kLike, .children = {node_, literal_for(*node_, std::move(pattern))}});
}

ColumnElement ColumnElement::not_like(std::string pattern) const {
  return not_(like(std::move(pattern)));
}

ColumnElement ColumnElement::ilike(std::string pattern) const {
  return element(Node{.kind = NodeKind::kLike,
                      .case_insensitive = true,
                      .children = {node_, literal_for(*node_, std::move(pattern))}});
}

ColumnElement ColumnElement::not_ilike(std::string pattern) const {
  return not_(ilike(std::move(pattern)));
}

ColumnElement ColumnElement::between(Value low, Value high) const {
  return element(Node{.kind = NodeKind::kBetween,
                      .children = {node_, literal_for(*node_, std::move(low)),
                                   literal_for(*node_, std::move(high))}});
}

ColumnElement ColumnElement::is_distinct_from(const ColumnElement& other) const {
  return element(Node{.kind = NodeKind::kDistinctFrom,
                      .children = {keyed(node_, other.node()), keyed(other.node_ptr(), *node_)}});
}

ColumnElement ColumnElement::op(std::string_view sql_operator, const ColumnElement& other) const {
  return binary(*this, sql_operator, other);
}

ColumnElement ColumnElement::startswith(std::string prefix, LikeOptions options) const {
  return like_pattern(node_, "startswith", std::move(prefix), options, "", "%");
}

ColumnElement ColumnElement::endswith(std::string suffix, LikeOptions options) const {
  return like_pattern(node_, "endswith", std::move(suffix), options, "%", "");
}

ColumnElement ColumnElement::contains(std::string text, LikeOptions options) const {
  return like_pattern(node_, "contains", std::move(text), options, "%", "%");
}

ColumnElement ColumnElement::startswith(const ColumnElement& prefix) const {
  return like_expression(node_, prefix, false, true);
}

ColumnElement ColumnElement::endswith(const ColumnElement& suffix) const {
  return like_expression(node_, suffix, true, false);
}

ColumnElement ColumnElement::contains(const ColumnElement& text) const {
  return like_expression(node_, text, true, true);
}

ColumnElement ColumnElement::concat(const ColumnElement& other) const {
  return concat_of({node_, keyed(other.node_ptr(), *node_)});
}

ColumnElement ColumnElement::literal_for_this(Value value) const {
  return ColumnElement(literal_for(*node_, std::move(value)));
}

ColumnElement ColumnElement::collate(std::string collation) const {
  if (collation.empty()) throw ArgumentError("collate() needs a collation name");
  return element(
      Node{.kind = NodeKind::kCollate, .text = std::move(collation), .children = {node_}});
}

ColumnElement ColumnElement::cast(const TypeEngine& type) const {
  return athanor::cast(*this, type);
}

// ---- free expression functions
// -------------------------------------------------------------------

ColumnElement literal(Value value) {
  return element(Node{.kind = NodeKind::kBind,
                      .text = std::string(kAnonymousKey),
                      .value = std::move(value),
                      .has_value = true});
}

ColumnElement bindparam(std::string name) {
  if (name.empty()) throw ArgumentError("bindparam() needs a non-empty name");
  return element(Node{.kind = NodeKind::kBind, .text = std::move(name)});
}

namespace detail {

const Column& key_column(const ColumnElement& key) {
  const Node& n = key.node();
  if (n.kind != NodeKind::kColumn || n.column == nullptr) {
    throw ArgumentError(
        "a parameter key must be a table column (or a column name), not another expression");
  }
  return *n.column;
}

}  // namespace detail

ColumnElement null() { return element(Node{.kind = NodeKind::kKeyword, .text = "NULL"}); }
ColumnElement true_() { return element(Node{.kind = NodeKind::kKeyword, .text = "true"}); }
ColumnElement false_() { return element(Node{.kind = NodeKind::kKeyword, .text = "false"}); }

ColumnElement literal_column(std::string sql) {
  return element(Node{.kind = NodeKind::kKeyword, .text = std::move(sql)});
}

ColumnElement and_(const std::vector<ColumnElement>& clauses) {
  return boolean_list("AND", clauses, &true_);
}

ColumnElement or_(const std::vector<ColumnElement>& clauses) {
  return boolean_list("OR", clauses, &false_);
}

ColumnElement not_(const ColumnElement& clause) {
  return ColumnElement(negated(clause.node_ptr()));
}

ColumnElement exists(const Select& subquery) {
  return element(Node{.kind = NodeKind::kExists, .select = select_state(subquery)});
}

ColumnElement cast(const ColumnElement& expr, const TypeEngine& type) {
  return element(Node{.kind = NodeKind::kCast,
                      .children = {expr.node_ptr()},
                      .type = std::make_shared<const TypeEngine>(type)});
}

ColumnElement cast(const ColumnElement& expr, std::string sql_type) {
  if (sql_type.empty()) throw ArgumentError("cast() needs a type");
  return element(
      Node{.kind = NodeKind::kCast, .text = std::move(sql_type), .children = {expr.node_ptr()}});
}

ColumnElement operator&&(const ColumnElement& a, const ColumnElement& b) { return and_({a, b}); }
ColumnElement operator||(const ColumnElement& a, const ColumnElement& b) { return or_({a, b}); }
ColumnElement operator!(const ColumnElement& a) { return not_(a); }

ColumnElement binary(const ColumnElement& a, std::string_view op, const ColumnElement& b) {
  // Comparing with NULL means IS [NOT] NULL; "= NULL" is never true.
  if (op == "=" || op == "!=" || op == "<>") {
    const bool a_null = is_null_node(a.node());
    const bool b_null = is_null_node(b.node());
    if (a_null != b_null) {
      const ColumnElement& other = a_null ? b : a;
      return op == "=" ? other.is_null() : other.is_not_null();
    }
  }
  return element(Node{.kind = NodeKind::kBinary,
                      .text = std::string(op),
                      .children = {keyed(a.node_ptr(), b.node()), keyed(b.node_ptr(), a.node())}});
}

ColumnElement negate(const ColumnElement& a) {
  return element(Node{.kind = NodeKind::kUnary, .text = "-", .children = {a.node_ptr()}});
}

namespace func {

ColumnElement call(std::string name, const std::vector<ColumnElement>& args) {
  std::vector<NodePtr> children;
  children.reserve(args.size());
  for (const ColumnElement& a : args) children.push_back(a.node_ptr());
  return element(
      Node{.kind = NodeKind::kFunction, .text = std::move(name), .children = std::move(children)});
}

ColumnElement count() {
  return element(Node{.kind = NodeKind::kFunction, .text = "count", .star = true});
}
ColumnElement count(const ColumnElement& expr) { return unary_function("count", expr); }
ColumnElement sum(const ColumnElement& expr) { return unary_function("sum", expr); }
ColumnElement min(const ColumnElement& expr) { return unary_function("min", expr); }
ColumnElement max(const ColumnElement& expr) { return unary_function("max", expr); }
ColumnElement avg(const ColumnElement& expr) { return unary_function("avg", expr); }
ColumnElement lower(const ColumnElement& expr) { return unary_function("lower", expr); }
ColumnElement upper(const ColumnElement& expr) { return unary_function("upper", expr); }
ColumnElement length(const ColumnElement& expr) { return unary_function("length", expr); }
ColumnElement abs(const ColumnElement& expr) { return unary_function("abs", expr); }
ColumnElement coalesce(const std::vector<ColumnElement>& args) { return call("coalesce", args); }

// CURRENT_TIMESTAMP is spelled the same on every backend and takes no parentheses; `alias`
// names the function for its anonymous label ("now_1"), see compiler.hpp.
ColumnElement now() {
  return element(Node{.kind = NodeKind::kFunction, .text = "CURRENT_TIMESTAMP", .alias = "now"});
}

}  // namespace func

ColumnElement asc(const ColumnElement& e) { return e.asc(); }
ColumnElement desc(const ColumnElement& e) { return e.desc(); }

// ---- FROM items
// ----------------------------------------------------------------------------------

Join FromClause::join(const FromClause& right, const std::optional<ColumnElement>& on) const {
  return make_join(*this, right, on, false);
}

Join FromClause::outerjoin(const FromClause& right, const std::optional<ColumnElement>& on) const {
  return make_join(*this, right, on, true);
}

ColumnElement Subquery::c(std::string_view name) const {
  if (node_->kind != FromKind::kSubquery || !node_->select) {
    throw ArgumentError("c() needs a subquery");
  }
  for (const detail::ResultColumn& rc : detail::result_columns(node_->select->columns)) {
    if (rc.name == name) {
      return element(Node{.kind = NodeKind::kAliasColumn,
                          .text = rc.name,
                          .alias = node_->alias,
                          .select = node_->select});
    }
  }
  throw ArgumentError("subquery '" + node_->alias + "' has no column named '" + std::string(name) +
                      "'");
}

SelectItem::SelectItem(const Column& c) : expr_(ColumnElement(c)) {}

// ---- Select
// ----------------------------------------------------------------------------------------

Select select(const std::vector<SelectItem>& items) {
  auto state = std::make_shared<SelectState>();
  append_items(items, state->columns);
  return Select(std::move(state));
}

Select Select::where(const ColumnElement& condition) const {
  auto s = copy_state<SelectState>(*this);
  s->where = and_nodes(s->where, condition);
  return Select(std::move(s));
}

Select Select::having(const ColumnElement& condition) const {
  auto s = copy_state<SelectState>(*this);
  s->having = and_nodes(s->having, condition);
  return Select(std::move(s));
}

Select Select::select_from(const FromClause& from) const {
  auto s = copy_state<SelectState>(*this);
  s->froms.push_back(from.node_ptr());
  return Select(std::move(s));
}

namespace {

Select select_join(const Select& select, const FromClause& right,
                   const std::optional<ColumnElement>& on, bool outer) {
  auto s = copy_state<SelectState>(select);
  FromPtr left;
  if (!s->froms.empty()) {
    left = s->froms.front();
  } else {
    std::vector<detail::FromRef> refs;
    for (const NodePtr& c : s->columns) detail::collect_from_refs(*c, refs);
    if (s->where) detail::collect_from_refs(*s->where, refs);
    if (refs.empty()) {
      throw ArgumentError("join(): the SELECT has no FROM item to join from; use select_from()");
    }
    left = detail::make_from_node(refs.front());
  }
  FromPtr joined = make_join(FromClause(left), right, on, outer).node_ptr();
  if (s->froms.empty()) {
    s->froms.push_back(std::move(joined));
  } else {
    s->froms.front() = std::move(joined);
  }
  return Select(std::move(s));
}

}  // namespace

Select Select::join(const FromClause& right, const std::optional<ColumnElement>& on) const {
  return select_join(*this, right, on, false);
}

Select Select::outerjoin(const FromClause& right, const std::optional<ColumnElement>& on) const {
  return select_join(*this, right, on, true);
}

Select Select::group_by(const std::vector<ColumnElement>& columns) const {
  auto s = copy_state<SelectState>(*this);
  for (const ColumnElement& c : columns) s->group_by.push_back(c.node_ptr());
  return Select(std::move(s));
}

Select Select::order_by(const std::vector<ColumnElement>& columns) const {
  auto s = copy_state<SelectState>(*this);
  for (const ColumnElement& c : columns) s->order_by.push_back(c.node_ptr());
  return Select(std::move(s));
}

Select Select::limit(std::int64_t n) const {
  if (n < 0) throw ArgumentError("limit() needs a non-negative row count");
  auto s = copy_state<SelectState>(*this);
  s->limit = n;
  return Select(std::move(s));
}

Select Select::offset(std::int64_t n) const {
  if (n < 0) throw ArgumentError("offset() needs a non-negative row count");
  auto s = copy_state<SelectState>(*this);
  s->offset = n;
  return Select(std::move(s));
}

Select Select::distinct() const {
  auto s = copy_state<SelectState>(*this);
  s->distinct = true;
  return Select(std::move(s));
}

Select Select::add_columns(const std::vector<SelectItem>& items) const {
  auto s = copy_state<SelectState>(*this);
  append_items(items, s->columns);
  return Select(std::move(s));
}

Select Select::with_for_update() const {
  auto s = copy_state<SelectState>(*this);
  s->for_update = true;
  return Select(std::move(s));
}

Subquery Select::subquery(std::string name) const {
  if (name.empty()) throw ArgumentError("subquery() needs a name");
  return Subquery(std::make_shared<const FromNode>(FromNode{
      .kind = FromKind::kSubquery, .select = select_state(*this), .alias = std::move(name)}));
}

ColumnElement Select::scalar_subquery() const {
  return element(Node{.kind = NodeKind::kScalarSelect, .select = select_state(*this)});
}

ColumnElement Select::exists() const { return athanor::exists(*this); }

// ---- Insert / Update / Delete / Text
// ---------------------------------------------------------------

Insert insert(const Table& table) {
  auto state = std::make_shared<InsertState>();
  state->table = &table;
  return Insert(std::move(state));
}

Params::Params(std::initializer_list<detail::ParamInit> params) {
  reserve(params.size());
  for (const detail::ParamInit& param : params) {
    emplace_back(std::move(param.name), std::move(param.value), param.column);
  }
}

Insert Insert::values(Params row) const {
  auto s = copy_state<InsertState>(*this);
  const Table& table = target_table(s->table, "INSERT");
  if (s->rows.size() > 1) {
    throw ArgumentError("values(): INSERT into '" + table.name() +
                        "' already has several rows; a single row cannot be mixed in");
  }
  auto values = value_row(table, std::move(row));
  if (s->rows.empty()) {
    s->rows.push_back(std::move(values));
  } else {
    merge_values(s->rows.front(), std::move(values));
  }
  return Insert(std::move(s));
}

Insert Insert::values(std::vector<Params> rows) const {
  auto s = copy_state<InsertState>(*this);
  const Table& table = target_table(s->table, "INSERT");
  for (Params& params : rows) {
    auto values = value_row(table, std::move(params));
    if (!s->rows.empty() && !same_keys(s->rows.front(), values)) {
      throw ArgumentError("values(): every row of a multi-row INSERT into '" + table.name() +
                          "' must name the same columns (row " + std::to_string(s->rows.size()) +
                          " differs from row 0)");
    }
    s->rows.push_back(std::move(values));
  }
  return Insert(std::move(s));
}

Insert Insert::returning(const std::vector<ColumnElement>& columns) const {
  auto s = copy_state<InsertState>(*this);
  for (const ColumnElement& c : columns) s->returning.push_back(c.node_ptr());
  return Insert(std::move(s));
}

Update update(const Table& table) {
  auto state = std::make_shared<UpdateState>();
  state->table = &table;
  return Update(std::move(state));
}

Update Update::where(const ColumnElement& condition) const {
  auto s = copy_state<UpdateState>(*this);
  s->where = and_nodes(s->where, condition);
  return Update(std::move(s));
}

Update Update::values(Params values) const {
  auto s = copy_state<UpdateState>(*this);
  merge_values(s->values, value_row(target_table(s->table, "UPDATE"), std::move(values)));
  return Update(std::move(s));
}

Update Update::values(std::vector<std::pair<std::string, ColumnElement>> values) const {
  auto s = copy_state<UpdateState>(*this);
  const Table& table = target_table(s->table, "UPDATE");
  std::vector<std::pair<std::string, NodePtr>> row;
  row.reserve(values.size());
  for (auto& entry : values) {
    checked_column(table, entry.first);
    row.emplace_back(std::move(entry.first), entry.second.node_ptr());
  }
  merge_values(s->values, std::move(row));
  return Update(std::move(s));
}

Update Update::values(std::vector<ColumnAssignment> values) const {
  std::vector<std::pair<std::string, ColumnElement>> named;
  named.reserve(values.size());
  const Table& table = target_table(static_cast<const UpdateState&>(state()).table, "UPDATE");
  for (ColumnAssignment& assignment : values) {
    check_column_of(assignment.column, table);
    named.emplace_back(assignment.column->name(), std::move(assignment.value));
  }
  return this->values(std::move(named));
}

Update Update::returning(const std::vector<ColumnElement>& columns) const {
  auto s = copy_state<UpdateState>(*this);
  for (const ColumnElement& c : columns) s->returning.push_back(c.node_ptr());
  return Update(std::move(s));
}

Delete delete_(const Table& table) {
  auto state = std::make_shared<DeleteState>();
  state->table = &table;
  return Delete(std::move(state));
}

Delete Delete::where(const ColumnElement& condition) const {
  auto s = copy_state<DeleteState>(*this);
  s->where = and_nodes(s->where, condition);
  return Delete(std::move(s));
}

Delete Delete::returning(const std::vector<ColumnElement>& columns) const {
  auto s = copy_state<DeleteState>(*this);
  for (const ColumnElement& c : columns) s->returning.push_back(c.node_ptr());
  return Delete(std::move(s));
}

TextClause text(std::string sql) {
  auto state = std::make_shared<TextState>();
  state->sql = std::move(sql);
  return TextClause(std::move(state));
}

// ---- rendering
// -------------------------------------------------------------------------------------

std::string to_string(const Executable& statement, const Dialect& dialect) {
  return detail::compile(statement.state(), dialect)->sql;
}

std::string to_string(const Executable& statement, std::string_view dialect_name) {
  // One long-lived dialect per name: compiled forms are cached per dialect address, so a
  // temporary dialect whose address is later reused by another one must not key the cache.
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<Dialect>, std::less<>> dialects;
  const Dialect* dialect = nullptr;
  {
    std::lock_guard lock(mutex);
    auto it = dialects.find(dialect_name);
    if (it == dialects.end()) {
      it = dialects.emplace(std::string(dialect_name), make_dialect(dialect_name)).first;
    }
    dialect = it->second.get();
  }
  return to_string(statement, *dialect);
}

}  // namespace athanor
