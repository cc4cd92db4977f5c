// Athanor Core, sql layer: the SQL compiler.
//
// Turns a statement tree (detail/sql_ast.hpp) into SQL text for one dialect plus the list of its
// bound parameters in placeholder order. Everything a backend spells differently is asked of the
// Dialect (placeholders, quoting, LIMIT/OFFSET, RETURNING, ILIKE, IS DISTINCT FROM, DEFAULT
// VALUES, FOR UPDATE, concatenation, CAST types); this file never asks which backend it compiles
// for. Results are cached on the statement, so a statement executed again costs one cache
// lookup.
//
// Values are never written into the SQL text: every one becomes a placeholder and a BindSlot.
// Literal values compared with a column get an anonymous key made unique per statement
// ("email_1", "email_2"), as SQLAlchemy names them; values given to insert()/update() are keyed
// by their column name, so execution parameters of the same name override them.
#include "core/sql/compiler.hpp"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "athanor/core/detail/sql_ast.hpp"
#include "athanor/core/dialect.hpp"
#include "athanor/core/error.hpp"
#include "athanor/core/schema.hpp"

namespace athanor::detail {

// ---- facts shared with the expression builders (compiler.hpp) -----------------------------------

std::vector<ResultColumn> result_columns(const std::vector<NodePtr>& columns) {
  std::vector<ResultColumn> names;
  names.reserve(columns.size());
  std::vector<std::pair<std::string_view, int>> counters;
  auto anonymous = [&](std::string_view base) {
    auto it = std::find_if(counters.begin(), counters.end(),
                           [&](const auto& c) { return c.first == base; });
    if (it == counters.end()) it = counters.insert(counters.end(), {base, 0});
    return ResultColumn{std::string(base) + "_" + std::to_string(++it->second), true};
  };
  for (const NodePtr& column : columns) {
    const Node& n = *column;
    switch (n.kind) {
      case NodeKind::kColumn:
        names.push_back({n.column != nullptr ? n.column->name() : n.text, false});
        break;
      case NodeKind::kAliasColumn:
      case NodeKind::kKeyword:
        names.push_back({n.text, false});
        break;
      case NodeKind::kLabel:
        names.push_back({n.text, true});
        break;
      case NodeKind::kFunction:
        // `alias` names a function spelled as a bare keyword (func::now(): CURRENT_TIMESTAMP).
        names.push_back(anonymous(n.alias.empty() ? std::string_view(n.text) : n.alias));
        break;
      default:
        names.push_back(anonymous("anon"));
        break;
    }
  }
  return names;
}

namespace {

void add_ref(FromRef ref, std::vector<FromRef>& out) {
  for (const FromRef& existing : out) {
    if (existing.same_as(ref)) return;
  }
  out.push_back(std::move(ref));
}

}  // namespace

void collect_from_refs(const Node& node, std::vector<FromRef>& out) {
  switch (node.kind) {
    case NodeKind::kColumn:
      if (node.column != nullptr && node.column->table() != nullptr) {
        add_ref(FromRef{.table = node.column->table()}, out);
      }
      return;
    case NodeKind::kAliasColumn:
      if (node.select) add_ref(FromRef{.select = node.select, .alias = node.alias}, out);
      return;
    default:
      // The select of IN / EXISTS / scalar subqueries is deliberately not entered.
      for (const NodePtr& child : node.children) {
        if (child) collect_from_refs(*child, out);
      }
      return;
  }
}

void collect_from_refs(const FromNode& from, std::vector<FromRef>& out) {
  switch (from.kind) {
    case FromKind::kTable:
      if (from.table != nullptr) add_ref(FromRef{.table = from.table}, out);
      return;
    case FromKind::kJoin:
      if (from.left) collect_from_refs(*from.left, out);
      if (from.right) collect_from_refs(*from.right, out);
      return;
    case FromKind::kSubquery:
      add_ref(FromRef{.select = from.select, .alias = from.alias}, out);
      return;
  }
}

FromPtr make_from_node(const FromRef& ref) {
  if (ref.table != nullptr) {
    return std::make_shared<const FromNode>(FromNode{.kind = FromKind::kTable, .table = ref.table});
  }
  return std::make_shared<const FromNode>(
      FromNode{.kind = FromKind::kSubquery, .select = ref.select, .alias = ref.alias});
}

namespace {

// ---- precedence
// ---------------------------------------------------------------------------------- Higher binds
// tighter. An operand is parenthesized when it binds less tightly than its operator, or equally
// unless it is the same associative operator (a + b + c, a AND b AND c). Operators the table does
// not know (op("@>")) bind loosest, so they are always parenthesized as operands.

constexpr int kNoPrecedence = -1;  // a list item, function argument or whole clause
constexpr int kCustomOperator = 0;
constexpr int kOr = 2;
constexpr int kAnd = 3;
constexpr int kOrdering = 3;
constexpr int kComparison = 5;
constexpr int kConcat = 6;
constexpr int kAdditive = 7;
constexpr int kMultiplicative = 8;
// SQLite's || binds more tightly than * and /, so an operand of a concatenation is parenthesized
// unless it is an atom; COLLATE binds more tightly still on every backend.
constexpr int kConcatOperand = 9;
constexpr int kCollation = 10;
constexpr int kAtom = 100;

int operator_precedence(std::string_view op) noexcept {
  if (op == "*" || op == "/" || op == "%") return kMultiplicative;
  if (op == "+" || op == "-") return kAdditive;
  if (op == "||") return kConcat;
  if (op == "=" || op == "!=" || op == "<>" || op == "<" || op == "<=" || op == ">" || op == ">=") {
    return kComparison;
  }
  if (op == "AND") return kAnd;
  if (op == "OR") return kOr;
  return kCustomOperator;
}

bool is_associative(std::string_view op) noexcept {
  return op == "+" || op == "*" || op == "||" || op == "AND" || op == "OR";
}

int precedence(const Node& n) noexcept {
  switch (n.kind) {
    case NodeKind::kBinary:
      return operator_precedence(n.text);
    case NodeKind::kUnary:
      return n.text == "NOT" ? kComparison : kMultiplicative;
    case NodeKind::kPostfix:
    case NodeKind::kInList:
    case NodeKind::kInSelect:
    case NodeKind::kBetween:
    case NodeKind::kLike:
    case NodeKind::kDistinctFrom:
      return kComparison;
    case NodeKind::kBooleanList:
      // An empty list renders as a comparison ("1 = 1").
      return n.children.empty() ? kComparison : operator_precedence(n.text);
    case NodeKind::kOrder:
      return kOrdering;
    case NodeKind::kExists:
      return n.negate ? kComparison : kAtom;
    case NodeKind::kLabel:
      return n.children.empty() ? kAtom : precedence(*n.children.front());
    case NodeKind::kConcat:
      return kConcat;
    case NodeKind::kCollate:
      return kCollation;
    default:
      return kAtom;
  }
}

// ---- helpers
// -------------------------------------------------------------------------------------

const Node& child_of(const Node& n, std::size_t i) {
  if (i >= n.children.size() || !n.children[i]) {
    throw CompileError("malformed expression: an operator is missing an operand");
  }
  return *n.children[i];
}

const SelectState& select_of(const std::shared_ptr<const SelectState>& select) {
  if (!select) throw CompileError("malformed expression: a subquery has no SELECT");
  return *select;
}

const Table& target_of(const Table* table, std::string_view statement) {
  if (table == nullptr) throw CompileError(std::string(statement) + " has no target table");
  return *table;
}

bool contains_ref(const std::vector<FromRef>& refs, const FromRef& ref) {
  return std::any_of(refs.begin(), refs.end(), [&](const FromRef& r) { return r.same_as(ref); });
}

template <class Range>
bool contains_name(const Range& names, std::string_view name) {
  return std::any_of(std::begin(names), std::end(names), [&](const auto& n) { return n == name; });
}

const Node* find_value(const std::vector<std::pair<std::string, NodePtr>>& values,
                       std::string_view name) {
  for (const auto& [key, node] : values) {
    if (key == name) return node.get();
  }
  return nullptr;
}

const Node& unlabeled(const Node& n) {
  const Node* e = &n;
  while (e->kind == NodeKind::kLabel && !e->children.empty() && e->children.front()) {
    e = e->children.front().get();
  }
  return *e;
}

// Names of the execution-time parameters (bindparam()) used anywhere under `node`.
void collect_bind_names(const Node& node, std::vector<std::string_view>& out) {
  if (node.kind == NodeKind::kBind && !node.has_value) out.push_back(node.text);
  for (const NodePtr& child : node.children) {
    if (child) collect_bind_names(*child, out);
  }
  if (node.select) {
    const SelectState& s = *node.select;
    for (const NodePtr& c : s.columns) collect_bind_names(*c, out);
    if (s.where) collect_bind_names(*s.where, out);
    if (s.having) collect_bind_names(*s.having, out);
  }
}

enum class Qualify {
  kAlways,       // SELECT: every column is written table.column
  kOtherTables,  // INSERT/UPDATE/DELETE: the target table's columns are written bare
};

struct Scope {
  Qualify qualify = Qualify::kAlways;
  const Table* target = nullptr;
  // FROM items of the enclosing statement: a nested SELECT correlates to them.
  const std::vector<FromRef>* froms = nullptr;
  // Select list of the enclosing SELECT, for ORDER BY on its labels.
  const std::vector<NodePtr>* select_columns = nullptr;
};

// One column of an INSERT's VALUES.
struct InsertColumn {
  const Column* column = nullptr;
  const Node* value = nullptr;      // from values(); null: from the execution parameters
  const Value* fallback = nullptr;  // the column's client-side default, used when not given
};

// First word of `sql`, for guessing whether a textual statement returns rows.
std::string first_keyword(std::string_view sql) {
  std::size_t i = 0;
  while (i < sql.size() &&
         (sql[i] == ' ' || sql[i] == '\t' || sql[i] == '\n' || sql[i] == '\r' || sql[i] == '(')) {
    ++i;
  }
  std::string word;
  while (i < sql.size() && ((sql[i] >= 'a' && sql[i] <= 'z') || (sql[i] >= 'A' && sql[i] <= 'Z'))) {
    word += static_cast<char>(sql[i] >= 'a' ? sql[i] - 'a' + 'A' : sql[i]);
    ++i;
  }
  return word;
}

bool is_word_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool contains_word(std::string_view sql, std::string_view upper_word) {
  for (std::size_t i = 0; i + upper_word.size() <= sql.size(); ++i) {
    if (i > 0 && is_word_char(sql[i - 1])) continue;
    std::size_t j = 0;
    while (j < upper_word.size() &&
           (sql[i + j] == upper_word[j] || sql[i + j] == upper_word[j] - 'A' + 'a')) {
      ++j;
    }
    if (j == upper_word.size() && (i + j == sql.size() || !is_word_char(sql[i + j]))) {
      return true;
    }
  }
  return false;
}

// ---- the compiler
// --------------------------------------------------------------------------------

class SqlCompiler {
 public:
  SqlCompiler(const Dialect& dialect, Compiled& out)
      : dialect_(dialect), out_(out), sql_(out.sql) {}

  void compile_select(const SelectState& s) {
    out_.kind = StatementKind::kSelect;
    out_.returns_rows = true;
    for (ResultColumn& rc : result_columns(s.columns))
      out_.column_names.push_back(std::move(rc.name));
    select(s, nullptr);
  }

  void compile_insert(const InsertState& s, const std::vector<std::string>& keys) {
    const Table& table = target_of(s.table, "INSERT");
    out_.kind = StatementKind::kInsert;
    out_.table = &table;
    const bool emulate_returning = insert_returning_is_emulated(s, table);
    const std::vector<FromRef> target{FromRef{.table = &table}};
    const Scope scope{Qualify::kOtherTables, &table, &target, nullptr};
    if (s.rows.size() > 1) {
      multi_row_insert(s, table, scope);
    } else {
      single_row_insert(s, table, keys, scope);
    }
    if (s.returning.empty()) return;
    if (emulate_returning) {
      out_.emulated_returning = true;
      out_.returns_rows = true;
      for (ResultColumn& rc : result_columns(s.returning)) {
        out_.column_names.push_back(std::move(rc.name));
      }
    } else {
      returning(s.returning, scope);
    }
  }

  void compile_insert_many(const InsertState& s, const std::vector<std::string>& columns,
                           std::size_t row_count) {
    const Table& table = target_of(s.table, "INSERT");
    out_.kind = StatementKind::kInsert;
    out_.table = &table;
    if (row_count == 0) throw ArgumentError("a multi-row INSERT needs at least one row");
    if (s.rows.size() > 1) {
      throw CompileError("INSERT into '" + table.name() +
                         "' already has several rows in values(); it cannot be executed with "
                         "several parameter sets");
    }
    if (columns.empty()) {
      throw CompileError("a multi-row INSERT into '" + table.name() +
                         "' needs at least one column");
    }
    if (!s.returning.empty() && !dialect_.supports_returning()) {
      throw CompileError("multi-row INSERT ... RETURNING is not supported by the " +
                         std::string(dialect_.name()) + " backend");
    }
    const auto* row = s.rows.empty() ? nullptr : &s.rows.front();
    std::vector<InsertColumn> plan;
    plan.reserve(columns.size());
    for (const std::string& name : columns) {
      const Column* column = table.find_column(name);
      if (column == nullptr) throw unknown_insert_column(table, name);
      const Node* value = row != nullptr ? find_value(*row, name) : nullptr;
      // The engine fills slot r * columns + c from parameter row r: one slot per column.
      if (value != nullptr && value->kind != NodeKind::kBind) {
        throw CompileError("INSERT into '" + table.name() + "': the value of column '" + name +
                           "' is an SQL expression; executemany needs bound values");
      }
      plan.push_back(
          {column, value, column->default_value() ? &*column->default_value() : nullptr});
    }
    const std::vector<FromRef> target{FromRef{.table = &table}};
    const Scope scope{Qualify::kOtherTables, &table, &target, nullptr};
    insert_head(table, plan);
    out_.binds.reserve(row_count * plan.size());
    for (std::size_t r = 0; r < row_count; ++r) {
      sql_ += r == 0 ? "(" : ", (";
      for (std::size_t c = 0; c < plan.size(); ++c) {
        if (c > 0) sql_ += ", ";
        insert_value(plan[c], plan[c].column->name(), scope);
      }
      sql_ += ')';
    }
    out_.insert_columns = columns;
    if (!s.returning.empty()) returning(s.returning, scope);
  }

  void compile_update(const UpdateState& s, const std::vector<std::string>& keys) {
    const Table& table = target_of(s.table, "UPDATE");
    out_.kind = StatementKind::kUpdate;
    out_.table = &table;
    if (!s.returning.empty() && !dialect_.supports_update_returning()) {
      throw CompileError("UPDATE ... RETURNING is not supported by the " +
                         std::string(dialect_.name()) + " backend");
    }
    std::vector<std::string_view> where_names;
    if (s.where) collect_bind_names(*s.where, where_names);
    for (const auto& [name, node] : s.values) {
      if (table.find_column(name) == nullptr) {
        throw CompileError("UPDATE of '" + table.name() + "': unknown column '" + name + "'");
      }
    }
    if (s.values.empty()) {
      for (const std::string& key : keys) {
        if (table.find_column(key) == nullptr && !contains_name(where_names, key)) {
          throw ArgumentError("UPDATE of '" + table.name() + "': parameter '" + key +
                              "' is neither a column of the table nor a bound parameter of the "
                              "WHERE clause");
        }
      }
    }
    // SET columns in table order: values() first, then the parameters that are not the WHERE
    // clause's own (update(t).where(t.c("id") == bindparam("id")) sets nothing from "id").
    std::vector<InsertColumn> set;
    for (const Column& column : table.columns()) {
      const Node* value = find_value(s.values, column.name());
      if (value != nullptr ||
          (contains_name(keys, column.name()) && !contains_name(where_names, column.name()))) {
        set.push_back({&column, value, nullptr});
      }
    }
    if (set.empty()) {
      throw CompileError("UPDATE of '" + table.name() +
                         "' has no values to SET: call values() or pass column parameters");
    }
    const std::vector<FromRef> target{FromRef{.table = &table}};
    const Scope scope{Qualify::kOtherTables, &table, &target, nullptr};
    sql_ += "UPDATE ";
    quote(table.name());
    sql_ += " SET ";
    for (std::size_t i = 0; i < set.size(); ++i) {
      if (i > 0) sql_ += ", ";
      quote(set[i].column->name());
      sql_ += '=';
      insert_value(set[i], set[i].column->name(), scope);
    }
    if (s.where) {
      sql_ += " WHERE ";
      expr(*s.where, scope);
    }
    if (!s.returning.empty()) returning(s.returning, scope);
  }

  void compile_delete(const DeleteState& s) {
    const Table& table = target_of(s.table, "DELETE");
    out_.kind = StatementKind::kDelete;
    out_.table = &table;
    if (!s.returning.empty() && !dialect_.supports_delete_returning()) {
      throw CompileError("DELETE ... RETURNING is not supported by the " +
                         std::string(dialect_.name()) + " backend");
    }
    const std::vector<FromRef> target{FromRef{.table = &table}};
    const Scope scope{Qualify::kOtherTables, &table, &target, nullptr};
    sql_ += "DELETE FROM ";
    quote(table.name());
    if (s.where) {
      sql_ += " WHERE ";
      expr(*s.where, scope);
    }
    if (!s.returning.empty()) returning(s.returning, scope);
  }

  // ":name" becomes a placeholder bound to parameter "name". Not a parameter: "\:" (an escaped
  // colon, written as ":"), "::" (PostgreSQL casts), and a colon right after a word character
  // ("12:30", "a:b").
  void compile_text(const TextState& s) {
    out_.kind = StatementKind::kText;
    const std::string_view sql = s.sql;
    sql_.reserve(sql.size());
    for (std::size_t i = 0; i < sql.size();) {
      const char c = sql[i];
      if (c == '\\' && i + 1 < sql.size() && sql[i + 1] == ':') {
        sql_ += ':';
        i += 2;
      } else if (c == ':' && i + 1 < sql.size() && sql[i + 1] == ':') {
        sql_ += "::";
        i += 2;
      } else if (c == ':' && i + 1 < sql.size() && is_word_char(sql[i + 1]) &&
                 (i == 0 || !is_word_char(sql[i - 1]))) {
        std::size_t end = i + 1;
        while (end < sql.size() && is_word_char(sql[end])) ++end;
        bind_slot(std::string(sql.substr(i + 1, end - i - 1)), std::nullopt);
        i = end;
      } else {
        sql_ += c;
        ++i;
      }
    }
    // The driver knows for sure; this only spares a cursor for statements that cannot have rows.
    static constexpr std::string_view kNoRows[] = {
        "INSERT",   "UPDATE", "DELETE", "REPLACE", "MERGE",    "CREATE",    "DROP",    "ALTER",
        "TRUNCATE", "BEGIN",  "START",  "COMMIT",  "ROLLBACK", "SAVEPOINT", "RELEASE", "SET",
        "GRANT",    "REVOKE", "LOCK",   "UNLOCK",  "COMMENT",  "RENAME",    "VACUUM"};
    const std::string keyword = first_keyword(sql);
    out_.returns_rows = !contains_name(kNoRows, keyword) || contains_word(sql, "RETURNING");
  }

 private:
  // ---- SELECT ----

  void select(const SelectState& s, const std::vector<FromRef>* correlate) {
    if (s.columns.empty()) throw CompileError("SELECT has no columns");
    std::vector<FromRef> explicit_froms;
    for (const FromPtr& f : s.froms) {
      if (f) collect_from_refs(*f, explicit_froms);
    }
    std::vector<FromRef> referenced;
    for (const NodePtr& c : s.columns) collect_from_refs(*c, referenced);
    if (s.where) collect_from_refs(*s.where, referenced);
    std::vector<FromRef> implicit;
    for (FromRef& r : referenced) {
      if (!contains_ref(explicit_froms, r)) implicit.push_back(std::move(r));
    }
    if (correlate != nullptr) {
      std::vector<FromRef> own;
      for (FromRef& r : implicit) {
        if (!contains_ref(*correlate, r)) own.push_back(std::move(r));
      }
      // Correlating every FROM item away would leave nothing to select from.
      if (!own.empty() || !s.froms.empty()) {
        implicit = std::move(own);
      }
    }
    std::vector<FromRef> visible = explicit_froms;
    visible.insert(visible.end(), implicit.begin(), implicit.end());
    const Scope scope{Qualify::kAlways, nullptr, &visible, &s.columns};

    sql_ += s.distinct ? "SELECT DISTINCT " : "SELECT ";
    select_list(s.columns, result_columns(s.columns), scope);
    if (!s.froms.empty() || !implicit.empty()) {
      sql_ += " FROM ";
      bool first = true;
      for (const FromPtr& f : s.froms) {
        if (!f) continue;
        if (!first) sql_ += ", ";
        first = false;
        from_item(*f, scope);
      }
      for (const FromRef& r : implicit) {
        if (!first) sql_ += ", ";
        first = false;
        from_ref(r);
      }
    }
    if (s.where) {
      sql_ += " WHERE ";
      expr(*s.where, scope);
    }
    if (!s.group_by.empty()) {
      sql_ += " GROUP BY ";
      for (std::size_t i = 0; i < s.group_by.size(); ++i) {
        if (i > 0) sql_ += ", ";
        operand(*s.group_by[i], kNoPrecedence, {}, scope);
      }
    }
    if (s.having) {
      sql_ += " HAVING ";
      expr(*s.having, scope);
    }
    if (!s.order_by.empty()) {
      sql_ += " ORDER BY ";
      for (std::size_t i = 0; i < s.order_by.size(); ++i) {
        if (i > 0) sql_ += ", ";
        order_item(*s.order_by[i], scope);
      }
    }
    sql_ += dialect_.limit_offset_clause(s.limit, s.offset);
    // Backends without row locks (SQLite) lock the whole database in a write transaction
    // anyway, so the clause is dropped there rather than refused.
    if (s.for_update && dialect_.supports_for_update()) sql_ += " FOR UPDATE";
  }

  void select_list(const std::vector<NodePtr>& columns, const std::vector<ResultColumn>& names,
                   const Scope& scope) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i > 0) sql_ += ", ";
      operand(*columns[i], kNoPrecedence, {}, scope);
      if (names[i].labeled) {
        sql_ += " AS ";
        quote(names[i].name);
      }
    }
  }

  void order_item(const Node& n, const Scope& scope) {
    const Node* target = &n;
    std::string_view direction;
    if (n.kind == NodeKind::kOrder) {
      target = &child_of(n, 0);
      direction = n.text;
    }
    if (target->kind == NodeKind::kLabel && is_select_label(target->text, scope)) {
      quote(target->text);  // ORDER BY the select list's label rather than repeat its expression
    } else {
      operand(*target, direction.empty() ? kNoPrecedence : kOrdering, {}, scope);
    }
    if (!direction.empty()) {
      sql_ += ' ';
      sql_ += direction;
    }
  }

  static bool is_select_label(std::string_view name, const Scope& scope) {
    if (scope.select_columns == nullptr) return false;
    return std::any_of(
        scope.select_columns->begin(), scope.select_columns->end(),
        [&](const NodePtr& c) { return c->kind == NodeKind::kLabel && c->text == name; });
  }

  void nested_select(const SelectState& s, const Scope& enclosing) {
    sql_ += '(';
    select(s, enclosing.froms);
    sql_ += ')';
  }

  void from_item(const FromNode& f, const Scope& scope) {
    switch (f.kind) {
      case FromKind::kTable:
        if (f.table == nullptr) throw CompileError("malformed FROM item: a table is missing");
        quote(f.table->name());
        return;
      case FromKind::kSubquery:
        subquery(select_of(f.select), f.alias);
        return;
      case FromKind::kJoin: {
        if (!f.left || !f.right) throw CompileError("malformed JOIN: a side is missing");
        if (!f.onclause) throw CompileError("JOIN has no ON clause");
        from_item(*f.left, scope);
        sql_ += f.outer ? " LEFT OUTER JOIN " : " JOIN ";
        const bool nested = f.right->kind == FromKind::kJoin;
        if (nested) sql_ += '(';
        from_item(*f.right, scope);
        if (nested) sql_ += ')';
        sql_ += " ON ";
        expr(*f.onclause, scope);
        return;
      }
    }
  }

  void from_ref(const FromRef& r) {
    if (r.table != nullptr) {
      quote(r.table->name());
    } else {
      subquery(select_of(r.select), r.alias);
    }
  }

  void subquery(const SelectState& s, const std::string& alias) {
    sql_ += '(';
    select(s, nullptr);  // a FROM subquery does not correlate (that would need LATERAL)
    sql_ += ") AS ";
    quote(alias);
  }

  // ---- INSERT ----

  static ArgumentError unknown_insert_column(const Table& table, std::string_view name) {
    return ArgumentError("INSERT into '" + table.name() + "': table '" + table.name() +
                         "' has no column named '" + std::string(name) + "'");
  }

  // Whether RETURNING must be emulated; throws when it cannot be.
  bool insert_returning_is_emulated(const InsertState& s, const Table& table) const {
    if (s.returning.empty() || dialect_.supports_returning()) return false;
    const Column* key = table.autoincrement_column();
    if (key != nullptr && s.returning.size() == 1) {
      const Node& requested = unlabeled(*s.returning.front());
      if (requested.kind == NodeKind::kColumn && requested.column == key) {
        if (s.rows.size() > 1) {
          throw CompileError("multi-row INSERT ... RETURNING is not supported by the " +
                             std::string(dialect_.name()) + " backend");
        }
        return true;
      }
    }
    throw CompileError("INSERT ... RETURNING is not supported by the " +
                       std::string(dialect_.name()) + " backend; only " +
                       (key != nullptr ? "the autoincrement primary key '" + key->name() + "'"
                                       : std::string("an autoincrement primary key")) +
                       " can be returned there");
  }

  void single_row_insert(const InsertState& s, const Table& table,
                         const std::vector<std::string>& keys, const Scope& scope) {
    const auto* row = s.rows.empty() ? nullptr : &s.rows.front();
    if (row != nullptr) {
      for (const auto& [name, node] : *row) {
        if (table.find_column(name) == nullptr) throw unknown_insert_column(table, name);
      }
    } else {
      for (const std::string& key : keys) {
        if (table.find_column(key) == nullptr) throw unknown_insert_column(table, key);
      }
    }
    std::vector<InsertColumn> plan;
    for (const Column& column : table.columns()) {
      const Node* value = row != nullptr ? find_value(*row, column.name()) : nullptr;
      const Value* fallback = column.default_value() ? &*column.default_value() : nullptr;
      if (value != nullptr || fallback != nullptr || contains_name(keys, column.name())) {
        plan.push_back({&column, value, fallback});
      }
    }
    if (plan.empty()) {
      sql_ += dialect_.insert_default_values(dialect_.quote_identifier(table.name()));
      return;
    }
    insert_head(table, plan);
    sql_ += '(';
    for (std::size_t i = 0; i < plan.size(); ++i) {
      if (i > 0) sql_ += ", ";
      insert_value(plan[i], plan[i].column->name(), scope);
    }
    sql_ += ')';
    // executemany pages this statement through compile_insert_many, which needs one bound
    // value per column.
    const bool all_bound = std::all_of(plan.begin(), plan.end(), [](const InsertColumn& c) {
      return c.value == nullptr || c.value->kind == NodeKind::kBind;
    });
    if (all_bound) {
      out_.insert_columns.reserve(plan.size());
      for (const InsertColumn& c : plan) out_.insert_columns.push_back(c.column->name());
    }
  }

  void multi_row_insert(const InsertState& s, const Table& table, const Scope& scope) {
    const auto& first = s.rows.front();
    for (const auto& row : s.rows) {
      for (const auto& [name, node] : row) {
        if (table.find_column(name) == nullptr) throw unknown_insert_column(table, name);
      }
    }
    std::vector<InsertColumn> plan;
    for (const Column& column : table.columns()) {
      const Value* fallback = column.default_value() ? &*column.default_value() : nullptr;
      if (fallback != nullptr || find_value(first, column.name()) != nullptr) {
        plan.push_back({&column, nullptr, fallback});
      }
    }
    insert_head(table, plan);
    for (std::size_t r = 0; r < s.rows.size(); ++r) {
      sql_ += r == 0 ? "(" : ", (";
      for (std::size_t c = 0; c < plan.size(); ++c) {
        if (c > 0) sql_ += ", ";
        InsertColumn column = plan[c];
        column.value = find_value(s.rows[r], column.column->name());
        if (column.value == nullptr && column.fallback == nullptr) {
          throw CompileError("multi-row INSERT into '" + table.name() + "': row " +
                             std::to_string(r) + " has no value for column '" +
                             column.column->name() + "'");
        }
        // SQLAlchemy's keys for multi-row VALUES: email_m0, email_m1, ...
        insert_value(column, column.column->name() + "_m" + std::to_string(r), scope);
      }
      sql_ += ')';
    }
  }

  void insert_head(const Table& table, const std::vector<InsertColumn>& plan) {
    sql_ += "INSERT INTO ";
    quote(table.name());
    sql_ += " (";
    for (std::size_t i = 0; i < plan.size(); ++i) {
      if (i > 0) sql_ += ", ";
      quote(plan[i].column->name());
    }
    sql_ += ") VALUES ";
  }

  // A column's value in INSERT VALUES or UPDATE SET.
  void insert_value(const InsertColumn& c, std::string key, const Scope& scope) {
    if (c.value == nullptr) {
      bind_slot(std::move(key),
                c.fallback != nullptr ? std::optional<Value>(*c.fallback) : std::nullopt);
    } else if (c.value->kind == NodeKind::kBind && c.value->has_value) {
      bind_slot(std::move(key), c.value->value);
    } else {
      expr(*c.value, scope);
    }
  }

  void returning(const std::vector<NodePtr>& columns, const Scope& scope) {
    std::vector<ResultColumn> names = result_columns(columns);
    sql_ += " RETURNING ";
    select_list(columns, names, scope);
    out_.returns_rows = true;
    out_.column_names.reserve(names.size());
    for (ResultColumn& rc : names) out_.column_names.push_back(std::move(rc.name));
  }

  // ---- expressions ----

  // Renders `n` as an operand of an operator of precedence `parent` (see the precedence table).
  void operand(const Node& n, int parent, std::string_view parent_op, const Scope& scope) {
    const Node& e = unlabeled(n);  // a label only names a select-list column
    // CONCAT(...) is a function call, which binds like an atom.
    const int p =
        e.kind == NodeKind::kConcat && !dialect_.supports_concat_operator() ? kAtom : precedence(e);
    const bool chained = (e.kind == NodeKind::kBinary || e.kind == NodeKind::kBooleanList) &&
                         e.text == parent_op && is_associative(parent_op);
    const bool parenthesize = p < parent || (p == parent && !chained);
    if (parenthesize) sql_ += '(';
    expr(e, scope);
    if (parenthesize) sql_ += ')';
  }

  void expr(const Node& n, const Scope& scope) {
    switch (n.kind) {
      case NodeKind::kColumn:
        column(n, scope);
        return;
      case NodeKind::kAliasColumn:
        quote(n.alias);
        sql_ += '.';
        quote(n.text);
        return;
      case NodeKind::kBind:
        if (n.has_value) {
          bind_slot(anonymous_key(n.text), n.value);
        } else {
          bind_slot(n.text, std::nullopt);
        }
        return;
      case NodeKind::kKeyword:
        sql_ += n.text;
        return;
      case NodeKind::kBinary: {
        const int p = operator_precedence(n.text);
        operand(child_of(n, 0), p, n.text, scope);
        sql_ += ' ';
        sql_ += n.text;
        sql_ += ' ';
        operand(child_of(n, 1), p, n.text, scope);
        return;
      }
      case NodeKind::kUnary:
        unary(n, scope);
        return;
      case NodeKind::kPostfix:
        operand(child_of(n, 0), kComparison, n.text, scope);
        sql_ += ' ';
        sql_ += n.text;
        return;
      case NodeKind::kBooleanList:
        boolean_list(n, scope);
        return;
      case NodeKind::kFunction:
        function(n, scope);
        return;
      case NodeKind::kLabel:
        expr(child_of(n, 0), scope);
        return;
      case NodeKind::kOrder:
        operand(child_of(n, 0), kOrdering, {}, scope);
        sql_ += ' ';
        sql_ += n.text;
        return;
      case NodeKind::kInList:
        in_list(n, scope);
        return;
      case NodeKind::kInSelect:
        operand(child_of(n, 0), kComparison, "IN", scope);
        sql_ += n.negate ? " NOT IN " : " IN ";
        nested_select(select_of(n.select), scope);
        return;
      case NodeKind::kBetween:
        operand(child_of(n, 0), kComparison, "BETWEEN", scope);
        sql_ += n.negate ? " NOT BETWEEN " : " BETWEEN ";
        operand(child_of(n, 1), kComparison, "BETWEEN", scope);
        sql_ += " AND ";
        operand(child_of(n, 2), kComparison, "BETWEEN", scope);
        return;
      case NodeKind::kLike:
        like(n, scope);
        return;
      case NodeKind::kExists:
        sql_ += n.negate ? "NOT EXISTS " : "EXISTS ";
        nested_select(select_of(n.select), scope);
        return;
      case NodeKind::kScalarSelect:
        nested_select(select_of(n.select), scope);
        return;
      case NodeKind::kCast:
        sql_ += "CAST(";
        operand(child_of(n, 0), kNoPrecedence, {}, scope);
        sql_ += " AS ";
        sql_ += n.type ? dialect_.cast_type(*n.type) : n.text;
        sql_ += ')';
        return;
      case NodeKind::kConcat:
        concat(n, scope);
        return;
      case NodeKind::kCollate:
        operand(child_of(n, 0), kCollation, "COLLATE", scope);
        sql_ += " COLLATE ";
        quote(n.text);
        return;
      case NodeKind::kDistinctFrom: {
        // The hook receives rendered operands; it must keep them in this order, as their
        // placeholders are already numbered.
        const std::size_t mark = sql_.size();
        operand(child_of(n, 0), kComparison, "IS DISTINCT FROM", scope);
        std::string lhs = sql_.substr(mark);
        sql_.resize(mark);
        operand(child_of(n, 1), kComparison, "IS DISTINCT FROM", scope);
        std::string rhs = sql_.substr(mark);
        sql_.resize(mark);
        sql_ += dialect_.distinct_from(lhs, rhs, n.negate);
        return;
      }
    }
  }

  void column(const Node& n, const Scope& scope) {
    const Table* table = n.column != nullptr ? n.column->table() : nullptr;
    if (table != nullptr && (scope.qualify == Qualify::kAlways || table != scope.target)) {
      quote(table->name());
      sql_ += '.';
    }
    quote(n.column != nullptr ? n.column->name() : n.text);
  }

  void unary(const Node& n, const Scope& scope) {
    const Node& operand_node = child_of(n, 0);
    if (n.text == "NOT") {
      sql_ += "NOT ";
      operand(operand_node, kComparison, n.text, scope);
      return;
    }
    sql_ += n.text;
    const bool word = !n.text.empty() && is_word_char(n.text.back());
    if (word) sql_ += ' ';
    // "- -x" must not become "--x", which starts a comment.
    if (unlabeled(operand_node).kind == NodeKind::kUnary) {
      sql_ += '(';
      expr(unlabeled(operand_node), scope);
      sql_ += ')';
    } else {
      operand(operand_node, kMultiplicative, n.text, scope);
    }
  }

  void boolean_list(const Node& n, const Scope& scope) {
    if (n.children.empty()) {
      // An empty AND is true and an empty OR false; spelled so that every backend accepts it.
      sql_ += n.text == "OR" ? "1 != 1" : "1 = 1";
      return;
    }
    const int p = operator_precedence(n.text);
    for (std::size_t i = 0; i < n.children.size(); ++i) {
      if (i > 0) {
        sql_ += ' ';
        sql_ += n.text;
        sql_ += ' ';
      }
      operand(child_of(n, i), p, n.text, scope);
    }
  }

  void function(const Node& n, const Scope& scope) {
    sql_ += n.text;
    if (n.children.empty() && !n.star && !n.alias.empty()) return;  // CURRENT_TIMESTAMP
    sql_ += '(';
    if (n.star) {
      sql_ += '*';
    } else {
      for (std::size_t i = 0; i < n.children.size(); ++i) {
        if (i > 0) sql_ += ", ";
        operand(child_of(n, i), kNoPrecedence, {}, scope);
      }
    }
    sql_ += ')';
  }

  void in_list(const Node& n, const Scope& scope) {
    if (n.children.size() <= 1) {
      // IN () is not SQL; an empty IN is false and an empty NOT IN true for every row.
      sql_ += n.negate ? "1 = 1" : "1 != 1";
      return;
    }
    operand(child_of(n, 0), kComparison, "IN", scope);
    sql_ += n.negate ? " NOT IN (" : " IN (";
    for (std::size_t i = 1; i < n.children.size(); ++i) {
      if (i > 1) sql_ += ", ";
      operand(child_of(n, i), kNoPrecedence, {}, scope);
    }
    sql_ += ')';
  }

  void like(const Node& n, const Scope& scope) {
    const bool emulated = n.case_insensitive && !dialect_.supports_native_ilike();
    auto side = [&](const Node& s) {
      if (emulated) {
        sql_ += "lower(";
        operand(s, kNoPrecedence, {}, scope);
        sql_ += ')';
      } else {
        operand(s, kComparison, "LIKE", scope);
      }
    };
    side(child_of(n, 0));
    sql_ += n.negate ? " NOT " : " ";
    sql_ += n.case_insensitive && !emulated ? "ILIKE " : "LIKE ";
    side(child_of(n, 1));
    if (!n.text.empty()) {
      sql_ += " ESCAPE ";
      sql_ += dialect_.quote_string_literal(n.text);
    }
  }

  void concat(const Node& n, const Scope& scope) {
    if (n.children.empty()) throw CompileError("malformed expression: nothing to concatenate");
    const bool function_form = !dialect_.supports_concat_operator();
    if (function_form) sql_ += "CONCAT(";
    for (std::size_t i = 0; i < n.children.size(); ++i) {
      if (i > 0) sql_ += function_form ? ", " : " || ";
      operand(child_of(n, i), function_form ? kNoPrecedence : kConcatOperand, {}, scope);
    }
    if (function_form) sql_ += ')';
  }

  // ---- bound parameters and names ----

  void bind_slot(std::string key, std::optional<Value> literal) {
    out_.binds.push_back(BindSlot{std::move(key), std::move(literal)});
    sql_ += dialect_.placeholder(out_.binds.size());
  }

  std::string anonymous_key(const std::string& base) {
    auto it = std::find_if(bind_counters_.begin(), bind_counters_.end(),
                           [&](const auto& c) { return c.first == base; });
    if (it == bind_counters_.end()) it = bind_counters_.insert(bind_counters_.end(), {base, 0});
    return base + "_" + std::to_string(++it->second);
  }

  void quote(std::string_view name) { sql_ += dialect_.quote_identifier(name); }

  const Dialect& dialect_;
  Compiled& out_;
  std::string& sql_;
  std::vector<std::pair<std::string_view, int>> bind_counters_;
};

// Appends the cache key of a parameter-key set to `out`.
void append_key_set(const std::vector<std::string>& keys, std::string& out) {
  for (const std::string& k : keys) {
    out += k;
    out += '\x1f';
  }
}
void append_key_set(std::span<const Param> params, std::string& out) {
  for (const Param& p : params) {
    out += p.name;
    out += '\x1f';
  }
}

const std::vector<std::string>& names_of(const std::vector<std::string>& keys) { return keys; }
std::vector<std::string> names_of(std::span<const Param> params) {
  std::vector<std::string> names;
  names.reserve(params.size());
  for (const Param& p : params) names.push_back(p.name);
  return names;
}

std::shared_ptr<const Compiled> remember(const StatementState& statement, const Dialect& dialect,
                                         const std::string& key,
                                         const std::shared_ptr<const Compiled>& compiled) {
  statement.cache.store(&dialect, key, compiled);
  // Another thread may have stored its copy first; hand out the one that stays cached.
  std::shared_ptr<const Compiled> cached = statement.cache.find(&dialect, key);
  return cached ? cached : compiled;
}

}  // namespace

namespace {

// compile() and compile_returning_key() for a key set given as names or as the parameters.
template <class Keys>
std::shared_ptr<const Compiled> compile_keyed(const StatementState& statement,
                                              const Dialect& dialect, const Keys& parameter_keys) {
  // Only INSERT and UPDATE take columns from the parameters; everything else has one form per
  // dialect, under the empty key. The key is built in a per-thread buffer, so that a statement
  // executed over and over with the same keys (single-row INSERTs) is looked up without
  // allocating.
  thread_local std::string key;
  key.clear();
  if (!parameter_keys.empty() &&
      (statement.kind == StatementKind::kInsert || statement.kind == StatementKind::kUpdate)) {
    append_key_set(parameter_keys, key);
  }
  if (std::shared_ptr<const Compiled> cached = statement.cache.find(&dialect, key)) return cached;

  auto compiled = std::make_shared<Compiled>();
  SqlCompiler compiler(dialect, *compiled);
  switch (statement.kind) {
    case StatementKind::kSelect:
      compiler.compile_select(static_cast<const SelectState&>(statement));
      break;
    case StatementKind::kInsert:
      compiler.compile_insert(static_cast<const InsertState&>(statement), names_of(parameter_keys));
      break;
    case StatementKind::kUpdate:
      compiler.compile_update(static_cast<const UpdateState&>(statement), names_of(parameter_keys));
      break;
    case StatementKind::kDelete:
      compiler.compile_delete(static_cast<const DeleteState&>(statement));
      break;
    case StatementKind::kText:
      compiler.compile_text(static_cast<const TextState&>(statement));
      break;
  }
  return remember(statement, dialect, key, compiled);
}

// `statement` compiled with RETURNING `key` alone (no RETURNING when null), cached under `tag`
// (a byte that cannot start a parameter-key set, so the slot is apart from compile()'s).
std::shared_ptr<const Compiled> compile_with_returning(const InsertState& statement,
                                                       const Dialect& dialect, char tag,
                                                       const Column* key,
                                                       std::span<const Param> parameters) {
  thread_local std::string cache_key;
  cache_key.assign(1, tag);
  if (statement.rows.empty()) append_key_set(parameters, cache_key);
  if (std::shared_ptr<const Compiled> cached = statement.cache.find(&dialect, cache_key)) {
    return cached;
  }
  InsertState variant = statement;
  variant.returning.clear();
  if (key) variant.returning.push_back(key->expr().node_ptr());
  auto compiled = std::make_shared<Compiled>();
  SqlCompiler compiler(dialect, *compiled);
  compiler.compile_insert(variant, names_of(parameters));
  return remember(statement, dialect, cache_key, compiled);
}

}  // namespace

std::shared_ptr<const Compiled> compile(const StatementState& statement, const Dialect& dialect,
                                        const std::vector<std::string>& parameter_keys) {
  return compile_keyed(statement, dialect, parameter_keys);
}

std::shared_ptr<const Compiled> compile(const StatementState& statement, const Dialect& dialect,
                                        std::span<const Param> parameters) {
  return compile_keyed(statement, dialect, parameters);
}

std::shared_ptr<const Compiled> compile_returning_key(const InsertState& statement,
                                                      const Dialect& dialect, const Column& key,
                                                      std::span<const Param> parameters) {
  return compile_with_returning(statement, dialect, '\x1d', &key, parameters);
}

std::shared_ptr<const Compiled> compile_without_returning(const InsertState& statement,
                                                          const Dialect& dialect,
                                                          std::span<const Param> parameters) {
  return compile_with_returning(statement, dialect, '\x1c', nullptr, parameters);
}

std::shared_ptr<const Compiled> compile_insert_many(const InsertState& statement,
                                                    const Dialect& dialect,
                                                    const std::vector<std::string>& columns,
                                                    std::size_t row_count) {
  // '\x1e' cannot start a parameter-key set, so these keys never meet compile()'s.
  std::string key = '\x1e' + std::to_string(row_count) + '\x1f';
  append_key_set(columns, key);
  if (std::shared_ptr<const Compiled> cached = statement.cache.find(&dialect, key)) return cached;
  auto compiled = std::make_shared<Compiled>();
  SqlCompiler compiler(dialect, *compiled);
  compiler.compile_insert_many(statement, columns, row_count);
  return remember(statement, dialect, key, compiled);
}

}  // namespace athanor::detail
