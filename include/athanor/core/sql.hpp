// Athanor Core: the SQL expression language (SQLAlchemy Core's `select`, `insert`, `update`,
// `delete`, `text`, column expressions, functions).
//
// Expressions and statements are immutable values that share their tree (cheap to copy). Every
// builder method returns a new statement; the original is unchanged. Every Value put into an
// expression becomes a bound parameter; nothing is spliced into SQL text. A statement caches its
// compiled form per dialect, so executing the same statement object again does not recompile.
// Thread-safety: statements may be shared between threads once built.
#pragma once

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "athanor/core/types.hpp"
#include "athanor/core/value.hpp"

namespace athanor {

class Column;
class ColumnElement;
class Table;
class Dialect;

namespace detail {
struct Node;
struct FromNode;
struct StatementState;
struct SelectState;

// A column given as a parameter key ({users.c("email"), "x"}, {User_::email, "x"}): a Core
// Column, a column expression, or a typed column descriptor (athanor/mapping/column.hpp).
template <class C>
concept ColumnKey = std::same_as<C, Column> || std::derived_from<C, ColumnElement>;
// Typed column descriptors convert a value themselves and reject one of the wrong type at
// compile time (their bind_value() is deleted for it).
template <class C>
concept TypedColumnKey = ColumnKey<C> && requires {
  typename C::column_type;
};

// The table column a key names. Throws ArgumentError when the expression is not a table column.
const Column& key_column(const ColumnElement& key);
inline const Column& key_column(const Column& key) { return key; }

template <class C, class V>
Value key_value(const C& key, V&& value) {
  if constexpr (TypedColumnKey<C>) {
    return key.bind_value(std::forward<V>(value));
  } else {
    static_assert(ToValue<V>, "the value given for a column cannot be bound as a parameter");
    return to_value(std::forward<V>(value));
  }
}
}  // namespace detail

// A named parameter value: {"email", "jan@sirus.ai"}, or with the column itself as the key:
// {users.c("email"), "jan@sirus.ai"}, {User_::email, "jan@sirus.ai"} (a typed descriptor checks
// the value's type at compile time). (The name is taken as a string_view, so that a literal
// becomes the std::string in place, without a temporary string.)
struct Param {
  template <ToValue T>
  Param(std::string_view param_name, T&& param_value)  // NOLINT(google-explicit-constructor)
      : name(param_name), value(to_value(std::forward<T>(param_value))) {}
  template <class C, class T>
  requires detail::ColumnKey<C> &&(!std::derived_from<std::remove_cvref_t<T>, ColumnElement>)
      Param(const C& key, T&& param_value)  // NOLINT(google-explicit-constructor)
      : name(detail::key_column(key).name()),
        value(detail::key_value(key, std::forward<T>(param_value))),
        column(&detail::key_column(key)) {}
  Param(std::string param_name, Value param_value, const Column* param_column)
      : name(std::move(param_name)), value(std::move(param_value)), column(param_column) {}
  std::string name;
  Value value;
  // The column named, when the key was a column (values() then checks it is the target
  // table's); null for a key given by name.
  const Column* column = nullptr;
};

namespace detail {
// One element of a braced parameter list. The elements of a std::initializer_list are const, so
// a std::vector built from one copies them (text allocates twice); these members are mutable so
// that Params can move them out instead.
struct ParamInit {
  template <ToValue T>
  ParamInit(std::string_view param_name, T&& param_value)  // NOLINT(google-explicit-constructor)
      : name(param_name), value(to_value(std::forward<T>(param_value))) {}
  template <class C, class T>
  requires ColumnKey<C> &&(!std::derived_from<std::remove_cvref_t<T>, ColumnElement>)
      ParamInit(const C& key, T&& param_value)  // NOLINT(google-explicit-constructor)
      : name(key_column(key).name()),
        value(key_value(key, std::forward<T>(param_value))),
        column(&key_column(key)) {}
  mutable std::string name;
  mutable Value value;
  const Column* column = nullptr;
};
}  // namespace detail

// The named parameters of one execution, in the order given: a std::vector<Param> that takes a
// braced list, {{"email", "jan@sirus.ai"}, {"id", 7}}, by moving its values in.
class Params : public std::vector<Param> {
 public:
  Params() = default;
  Params(std::vector<Param> params)  // NOLINT(google-explicit-constructor)
      : std::vector<Param>(std::move(params)) {}
  Params(std::initializer_list<detail::ParamInit> params);  // NOLINT(google-explicit-constructor)
};

class Select;

// Options of startswith(), endswith() and contains() (SQLAlchemy's `autoescape` and `escape`).
struct LikeOptions {
  // Match %, _ and the escape character in the value as themselves: they are escaped in the
  // bound value, and the comparison gets an ESCAPE clause. Without it they stay wildcards.
  bool autoescape = false;
  // The ESCAPE character of the comparison ('/' when autoescape is on and none is given). It
  // may not be % or _ (ArgumentError).
  std::optional<char> escape = std::nullopt;
};

// A SQL expression: a column, a bound value, an operator applied to expressions, a function call,
// a label, a subquery. Comparison operators build expressions, they do not compare.
class ColumnElement {
 public:
  explicit ColumnElement(std::shared_ptr<const detail::Node> node) : node_(std::move(node)) {}
  ColumnElement(const Column& column);  // NOLINT(google-explicit-constructor)

  ColumnElement label(std::string name) const;
  ColumnElement asc() const;
  ColumnElement desc() const;
  ColumnElement is_null() const;
  ColumnElement is_not_null() const;
  ColumnElement in_(std::vector<Value> values) const;
  ColumnElement in_(const Select& subquery) const;
  ColumnElement not_in(std::vector<Value> values) const;
  ColumnElement not_in(const Select& subquery) const;
  ColumnElement like(std::string pattern) const;
  ColumnElement not_like(std::string pattern) const;
  // Case-insensitive LIKE: native ILIKE on PostgreSQL, lower(x) LIKE lower(y) elsewhere.
  ColumnElement ilike(std::string pattern) const;
  ColumnElement not_ilike(std::string pattern) const;
  ColumnElement between(Value low, Value high) const;
  ColumnElement is_distinct_from(const ColumnElement& other) const;
  // Explicit operator, e.g. op("@>"). (For string concatenation use concat(), which is spelled
  // for each backend.)
  ColumnElement op(std::string_view sql_operator, const ColumnElement& other) const;

  // LIKE with the value as a prefix / suffix / substring: `x LIKE ?` with "value%", "%value",
  // "%value%" bound. Case sensitivity is the backend's LIKE's (PostgreSQL: sensitive; SQLite:
  // insensitive for ASCII; MySQL/MariaDB: as the column's collation says).
  ColumnElement startswith(std::string prefix, LikeOptions options = {}) const;
  ColumnElement endswith(std::string suffix, LikeOptions options = {}) const;
  ColumnElement contains(std::string text, LikeOptions options = {}) const;
  // The same with an expression: `x LIKE y || '%'` (the '%' a bound parameter too; the
  // expression's own % and _ are wildcards).
  ColumnElement startswith(const ColumnElement& prefix) const;
  ColumnElement endswith(const ColumnElement& suffix) const;
  ColumnElement contains(const ColumnElement& text) const;
  // String concatenation: `x || y` on SQLite and PostgreSQL, CONCAT(x, y) on MySQL/MariaDB.
  // NULL when either side is NULL, on every backend.
  ColumnElement concat(const ColumnElement& other) const;
  template <ToValue T>
  ColumnElement concat(T&& value) const {
    return concat(literal_for_this(to_value(std::forward<T>(value))));
  }
  // `x COLLATE name`. The name is quoted as an identifier where it needs quoting (PostgreSQL's
  // "C"); which collations exist is the backend's business (an unknown one is its error).
  ColumnElement collate(std::string collation) const;
  // CAST(x AS type), the type spelled by the dialect (see athanor::cast).
  ColumnElement cast(const TypeEngine& type) const;

  template <class T>
  requires ToValue<T> ColumnElement in_(std::initializer_list<T> values)
  const {
    std::vector<Value> converted;
    for (const auto& v : values) converted.push_back(to_value(v));
    return in_(std::move(converted));
  }

  const detail::Node& node() const noexcept { return *node_; }
  const std::shared_ptr<const detail::Node>& node_ptr() const noexcept { return node_; }

 private:
  // `value` as a bound parameter named after this expression when it is a column.
  ColumnElement literal_for_this(Value value) const;

  std::shared_ptr<const detail::Node> node_;
};

// A literal value as a bound parameter (named after the column it is compared with, or "param").
ColumnElement literal(Value value);
// A named parameter whose value is given at execution time: execute(stmt, {{"id", 7}}).
ColumnElement bindparam(std::string name);
// SQL NULL / TRUE / FALSE keywords.
ColumnElement null();
ColumnElement true_();
ColumnElement false_();
// A SQL fragment used as an expression, e.g. literal_column("CURRENT_DATE"). Not escaped:
// never pass user input.
ColumnElement literal_column(std::string sql);

// AND / OR of the clauses: and_(a, b, c), or a list built up at run time, and_(clauses). An
// empty list is true (AND) or false (OR); one clause is that clause.
ColumnElement and_(const std::vector<ColumnElement>& clauses);
ColumnElement or_(const std::vector<ColumnElement>& clauses);
template <class... E>
requires(std::convertible_to<const E&, ColumnElement>&&...) ColumnElement
    and_(const ColumnElement& first, const E&... rest) {
  return and_(std::vector<ColumnElement>{first, ColumnElement(rest)...});
}
template <class... E>
requires(std::convertible_to<const E&, ColumnElement>&&...) ColumnElement
    or_(const ColumnElement& first, const E&... rest) {
  return or_(std::vector<ColumnElement>{first, ColumnElement(rest)...});
}
ColumnElement not_(const ColumnElement& clause);
ColumnElement exists(const Select& subquery);
// CAST(expr AS type) with the type spelled by each dialect for a CAST (SQLite: the storage
// class the value is kept as, e.g. TEXT for dates; MySQL/MariaDB: SIGNED, CHAR(n), DECIMAL(p, s),
// DATETIME(6), ...). A type the backend cannot cast to raises CompileError naming it.
ColumnElement cast(const ColumnElement& expr, const TypeEngine& type);
// CAST(expr AS sql_type) with the type written as SQL text, used as is: never pass user input.
ColumnElement cast(const ColumnElement& expr, std::string sql_type);

ColumnElement operator&&(const ColumnElement& a, const ColumnElement& b);
ColumnElement operator||(const ColumnElement& a, const ColumnElement& b);
ColumnElement operator!(const ColumnElement& a);

ColumnElement binary(const ColumnElement& a, std::string_view op, const ColumnElement& b);
ColumnElement negate(const ColumnElement& a);

// Comparison and arithmetic against expressions and against values (the value is bound).
#define ATHANOR_DETAIL_BINARY_OPERATOR(OP, SQL)                                      \
  inline ColumnElement operator OP(const ColumnElement& a, const ColumnElement& b) { \
    return binary(a, SQL, b);                                                        \
  }                                                                                  \
  template <ToValue T>                                                               \
  ColumnElement operator OP(const ColumnElement& a, T&& b) {                         \
    return binary(a, SQL, literal(to_value(std::forward<T>(b))));                    \
  }                                                                                  \
  template <ToValue T>                                                               \
  ColumnElement operator OP(T&& a, const ColumnElement& b) {                         \
    return binary(literal(to_value(std::forward<T>(a))), SQL, b);                    \
  }
ATHANOR_DETAIL_BINARY_OPERATOR(==, "=")
ATHANOR_DETAIL_BINARY_OPERATOR(!=, "!=")
ATHANOR_DETAIL_BINARY_OPERATOR(<, "<")
ATHANOR_DETAIL_BINARY_OPERATOR(<=, "<=")
ATHANOR_DETAIL_BINARY_OPERATOR(>, ">")
ATHANOR_DETAIL_BINARY_OPERATOR(>=, ">=")
ATHANOR_DETAIL_BINARY_OPERATOR(+, "+")
ATHANOR_DETAIL_BINARY_OPERATOR(-, "-")
ATHANOR_DETAIL_BINARY_OPERATOR(*, "*")
ATHANOR_DETAIL_BINARY_OPERATOR(/, "/")
ATHANOR_DETAIL_BINARY_OPERATOR(%, "%")
#undef ATHANOR_DETAIL_BINARY_OPERATOR
inline ColumnElement operator-(const ColumnElement& a) { return negate(a); }

// SQL functions: func::count(), func::count(expr), func::sum(expr), func::call("name", {args}).
namespace func {
ColumnElement call(std::string name, const std::vector<ColumnElement>& args);
ColumnElement count();  // count(*)
ColumnElement count(const ColumnElement& expr);
ColumnElement sum(const ColumnElement& expr);
ColumnElement min(const ColumnElement& expr);
ColumnElement max(const ColumnElement& expr);
ColumnElement avg(const ColumnElement& expr);
ColumnElement lower(const ColumnElement& expr);
ColumnElement upper(const ColumnElement& expr);
ColumnElement length(const ColumnElement& expr);
ColumnElement abs(const ColumnElement& expr);
ColumnElement coalesce(const std::vector<ColumnElement>& args);
ColumnElement now();  // CURRENT_TIMESTAMP
}  // namespace func

ColumnElement asc(const ColumnElement& e);
ColumnElement desc(const ColumnElement& e);

// ---- FROM items --------------------------------------------------------------------------------

class Join;

// A table, join or aliased subquery in a FROM clause.
class FromClause {
 public:
  explicit FromClause(std::shared_ptr<const detail::FromNode> node) : node_(std::move(node)) {}
  const detail::FromNode& node() const noexcept { return *node_; }
  const std::shared_ptr<const detail::FromNode>& node_ptr() const noexcept { return node_; }

  // Joins `right`; without an ON clause the condition is derived from the single foreign key
  // between the two (ArgumentError when there is none or more than one).
  Join join(const FromClause& right, const std::optional<ColumnElement>& on = std::nullopt) const;
  Join outerjoin(const FromClause& right,
                 const std::optional<ColumnElement>& on = std::nullopt) const;

 protected:
  std::shared_ptr<const detail::FromNode> node_;
};

class Join : public FromClause {
 public:
  using FromClause::FromClause;
};

// select(...).subquery("name"): usable as a FROM item; its columns via c("name").
class Subquery : public FromClause {
 public:
  using FromClause::FromClause;
  ColumnElement c(std::string_view name) const;  // throws ArgumentError for an unknown column
};

// ---- statements --------------------------------------------------------------------------------

// Anything Connection::execute accepts.
class Executable {
 public:
  explicit Executable(std::shared_ptr<const detail::StatementState> state)
      : state_(std::move(state)) {}
  const detail::StatementState& state() const noexcept { return *state_; }
  const std::shared_ptr<const detail::StatementState>& state_ptr() const noexcept { return state_; }

 protected:
  std::shared_ptr<const detail::StatementState> state_;
};

// One item of a select list: a column expression or a whole table (all its columns).
class SelectItem {
 public:
  SelectItem(const ColumnElement& e) : expr_(e) {}  // NOLINT(google-explicit-constructor)
  SelectItem(const Column& c);                      // NOLINT(google-explicit-constructor)
  SelectItem(const Table& t) : table_(&t) {}        // NOLINT(google-explicit-constructor)
  SelectItem(const Subquery& s) : from_(s) {}       // NOLINT(google-explicit-constructor)
  const std::optional<ColumnElement>& expr() const noexcept { return expr_; }
  const Table* table() const noexcept { return table_; }
  const std::optional<FromClause>& from() const noexcept { return from_; }

 private:
  std::optional<ColumnElement> expr_;
  const Table* table_ = nullptr;
  std::optional<FromClause> from_;
};

class Select : public Executable {
 public:
  using Executable::Executable;

  Select where(const ColumnElement& condition) const;  // repeated calls are ANDed
  Select having(const ColumnElement& condition) const;
  Select select_from(const FromClause& from) const;
  // Joins from the leftmost FROM item (SQLAlchemy's Select.join).
  Select join(const FromClause& right, const std::optional<ColumnElement>& on = std::nullopt) const;
  Select outerjoin(const FromClause& right,
                   const std::optional<ColumnElement>& on = std::nullopt) const;
  Select group_by(const std::vector<ColumnElement>& columns) const;
  Select order_by(const std::vector<ColumnElement>& columns) const;
  template <class... E>
  Select group_by(const ColumnElement& first, const E&... rest) const {
    return group_by(std::vector<ColumnElement>{first, ColumnElement(rest)...});
  }
  template <class... E>
  Select order_by(const ColumnElement& first, const E&... rest) const {
    return order_by(std::vector<ColumnElement>{first, ColumnElement(rest)...});
  }
  Select limit(std::int64_t n) const;
  Select offset(std::int64_t n) const;
  Select distinct() const;
  Select add_columns(const std::vector<SelectItem>& items) const;
  Select with_for_update() const;

  Subquery subquery(std::string name) const;
  ColumnElement scalar_subquery() const;
  ColumnElement exists() const;
};

Select select(const std::vector<SelectItem>& items);
template <class... T>
Select select(const SelectItem& first, const T&... rest) {
  return select(std::vector<SelectItem>{first, SelectItem(rest)...});
}

class Insert : public Executable {
 public:
  using Executable::Executable;
  // One row; the keys are column names or columns (ArgumentError for an unknown column or a
  // column of another table).
  Insert values(Params row) const;
  // Several rows in one multi-row INSERT.
  Insert values(std::vector<Params> rows) const;
  // RETURNING (emulated on backends without it only for the autoincrement key; CompileError for
  // anything else there).
  Insert returning(const std::vector<ColumnElement>& columns) const;
  template <class... E>
  Insert returning(const ColumnElement& first, const E&... rest) const {
    return returning(std::vector<ColumnElement>{first, ColumnElement(rest)...});
  }
};
Insert insert(const Table& table);

// A column set to an expression in update().values(): {t.c("count"), t.c("count") + 1}, or with
// a typed column descriptor, {Item_::count, Item_::count + 1}, whose operand rules apply.
struct ColumnAssignment {
  template <class C, class E>
  requires detail::ColumnKey<C> && std::derived_from<E, ColumnElement> ColumnAssignment(
      const C& key, const E& expr)  // NOLINT(google-explicit-constructor)
      : column(&detail::key_column(key)), value(assigned(key, expr)) {}
  const Column* column;
  ColumnElement value;

 private:
  template <class C, class E>
  static ColumnElement assigned(const C& key, const E& expr) {
    if constexpr (detail::TypedColumnKey<C>) {
      return key.operand(expr);
    } else {
      return expr;
    }
  }
};

class Update : public Executable {
 public:
  using Executable::Executable;
  Update where(const ColumnElement& condition) const;
  // Column name (or column) -> value. A column of another table is an ArgumentError.
  Update values(Params values) const;
  // column name -> expression (e.g. {"count", t.c("count") + 1})
  Update values(std::vector<std::pair<std::string, ColumnElement>> values) const;
  // column -> expression (e.g. {t.c("count"), t.c("count") + 1})
  Update values(std::vector<ColumnAssignment> values) const;
  Update returning(const std::vector<ColumnElement>& columns) const;
};
Update update(const Table& table);

class Delete : public Executable {
 public:
  using Executable::Executable;
  Delete where(const ColumnElement& condition) const;
  Delete returning(const std::vector<ColumnElement>& columns) const;
};
Delete delete_(const Table& table);

// Raw SQL with ":name" parameters (":" may be escaped as "\:"), e.g.
// text("SELECT * FROM users WHERE id = :id"), executed with {{"id", 7}}.
class TextClause : public Executable {
 public:
  using Executable::Executable;
};
TextClause text(std::string sql);

// The statement compiled for `dialect`, bound parameters shown as the dialect's placeholders.
std::string to_string(const Executable& statement, const Dialect& dialect);
// Same, for a dialect by name ("sqlite", "postgresql", "mysql", "mariadb").
std::string to_string(const Executable& statement, std::string_view dialect_name);

}  // namespace athanor
