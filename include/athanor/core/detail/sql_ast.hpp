// Athanor Core (detail): the immutable trees behind expressions and statements.
//
// Built by the expression language (core/sql/expression.cpp), read by the compiler
// (core/sql/compiler.cpp) and by the ORM. Not part of the stable API: use sql.hpp.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "athanor/core/sql.hpp"
#include "athanor/core/value.hpp"

namespace athanor {
class Column;
class Table;
class Dialect;
}  // namespace athanor

namespace athanor::detail {

struct Compiled;
struct SelectState;

using NodePtr = std::shared_ptr<const Node>;

enum class NodeKind {
  kColumn,        // column: a table column
  kAliasColumn,   // alias.text: column `text` of subquery `alias`
  kBind,          // bound parameter: `text` = key; `value` when has_value, else given at execution
  kKeyword,       // text: NULL, TRUE, FALSE, raw SQL from literal_column()
  kBinary,        // children[0] text children[1]
  kUnary,         // text children[0] (prefix), e.g. NOT, -
  kPostfix,       // children[0] text, e.g. IS NULL, IS NOT NULL
  kBooleanList,   // children joined with text (AND / OR), parenthesized as needed
  kFunction,      // text(children...); no children and star: text(*)
  kLabel,         // children[0] AS text
  kOrder,         // children[0] ASC|DESC (text)
  kInList,        // children[0] [NOT] IN (children[1..]); negate
  kInSelect,      // children[0] [NOT] IN (select); negate
  kBetween,       // children[0] [NOT] BETWEEN children[1] AND children[2]
  kLike,          // children[0] [NOT] [I]LIKE children[1] [ESCAPE 'text']; negate,
                  // case_insensitive; text: the escape character, empty for none
  kExists,        // [NOT] EXISTS (select)
  kScalarSelect,  // (select)
  kCast,          // CAST(children[0] AS type), `type` spelled by the dialect, else `text`
  kDistinctFrom,  // children[0] IS [NOT] DISTINCT FROM children[1]
  kConcat,        // children joined with || (or CONCAT(children...), as the dialect says)
  kCollate,       // children[0] COLLATE text (text quoted as an identifier)
};

struct Node {
  NodeKind kind;
  std::string text;
  const Column* column = nullptr;
  std::string alias;
  Value value;
  bool has_value = false;
  bool negate = false;
  bool case_insensitive = false;
  bool star = false;
  std::vector<NodePtr> children;
  std::shared_ptr<const SelectState> select;
  std::shared_ptr<const TypeEngine> type;  // kCast to a type descriptor
};

enum class FromKind { kTable, kJoin, kSubquery };

struct FromNode {
  FromKind kind;
  const Table* table = nullptr;                 // kTable
  std::shared_ptr<const FromNode> left, right;  // kJoin
  NodePtr onclause;                             // kJoin
  bool outer = false;                           // kJoin: LEFT OUTER
  std::shared_ptr<const SelectState> select;    // kSubquery
  std::string alias;                            // kSubquery
};
using FromPtr = std::shared_ptr<const FromNode>;

// Per-statement cache of compiled forms, one slot per (dialect, parameter-key set). Copying a
// statement state yields an empty cache: a modified statement must be compiled again.
class CompileCache {
 public:
  CompileCache() = default;
  CompileCache(const CompileCache&) {}
  CompileCache& operator=(const CompileCache&) { return *this; }

  std::shared_ptr<const Compiled> find(const Dialect* dialect, const std::string& key) const;
  void store(const Dialect* dialect, std::string key,
             std::shared_ptr<const Compiled> compiled) const;

 private:
  struct Entry {
    const Dialect* dialect;
    std::string key;
    std::shared_ptr<const Compiled> compiled;
  };
  mutable std::mutex mutex_;
  mutable std::vector<Entry> entries_;  // few entries: one or two dialects, few key sets
};

enum class StatementKind { kSelect, kInsert, kUpdate, kDelete, kText };

struct StatementState {
  explicit StatementState(StatementKind k) : kind(k) {}
  virtual ~StatementState() = default;
  StatementKind kind;
  CompileCache cache;
};

struct SelectState : StatementState {
  SelectState() : StatementState(StatementKind::kSelect) {}
  std::vector<NodePtr> columns;  // expanded select list (tables expanded to their columns)
  std::vector<FromPtr> froms;    // explicit FROM items (select_from / join); implicit ones are
                                 // derived from the columns and WHERE by the compiler
  NodePtr where;
  NodePtr having;
  std::vector<NodePtr> group_by;
  std::vector<NodePtr> order_by;
  std::optional<std::int64_t> limit;
  std::optional<std::int64_t> offset;
  bool distinct = false;
  bool for_update = false;
};

struct InsertState : StatementState {
  InsertState() : StatementState(StatementKind::kInsert) {}
  const Table* table = nullptr;
  // Empty: columns come from the execution parameters (executemany). One entry: values().
  // Several: a multi-row VALUES list. Each row maps column name -> bound value.
  std::vector<std::vector<std::pair<std::string, NodePtr>>> rows;
  std::vector<NodePtr> returning;
};

struct UpdateState : StatementState {
  UpdateState() : StatementState(StatementKind::kUpdate) {}
  const Table* table = nullptr;
  std::vector<std::pair<std::string, NodePtr>> values;  // empty: from execution parameters
  NodePtr where;
  std::vector<NodePtr> returning;
};

struct DeleteState : StatementState {
  DeleteState() : StatementState(StatementKind::kDelete) {}
  const Table* table = nullptr;
  NodePtr where;
  std::vector<NodePtr> returning;
};

struct TextState : StatementState {
  TextState() : StatementState(StatementKind::kText) {}
  std::string sql;
};

// One placeholder of a compiled statement, in placeholder order.
struct BindSlot {
  std::string key;               // parameter name looked up in the execution parameters
  std::optional<Value> literal;  // value fixed in the statement (used unless overridden by key)
};

// A statement compiled for one dialect.
// A number no Compiled had before in this process (see driver::ExecuteOptions::statement_id).
inline std::uint64_t new_compiled_id() {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

struct Compiled {
  std::uint64_t id = new_compiled_id();  // names `sql`, which never changes once compiled
  std::string sql;
  std::vector<BindSlot> binds;
  std::vector<std::string> column_names;  // result columns (select list or RETURNING)
  StatementKind kind = StatementKind::kText;
  const Table* table = nullptr;  // insert/update/delete target
  bool returns_rows = false;     // SELECT, or RETURNING present
  // INSERT without native RETURNING whose autoincrement key is fetched with last-insert-id.
  bool emulated_returning = false;
  // For INSERT executemany: the column names in VALUES order (keys of the parameter rows).
  std::vector<std::string> insert_columns;
};

// Compiles `statement` for `dialect`. `parameter_keys` are the keys of the first parameter set
// given at execution (INSERT/UPDATE without values() take their columns from them). The result
// is cached on the statement. Throws CompileError.
std::shared_ptr<const Compiled> compile(const StatementState& statement, const Dialect& dialect,
                                        const std::vector<std::string>& parameter_keys = {});
// Same, with the keys of `parameters` (in their order) as the parameter keys.
std::shared_ptr<const Compiled> compile(const StatementState& statement, const Dialect& dialect,
                                        std::span<const Param> parameters);

// Compiles `statement` (an INSERT without RETURNING) with RETURNING of `key`, its table's
// autoincrement column: how the engine fetches a generated key on backends without a
// last-insert-id. Cached on the statement, so a reused INSERT is not rebuilt per execution.
// `parameters`: as for compile(); pass {} when the statement has values() of its own.
std::shared_ptr<const Compiled> compile_returning_key(const InsertState& statement,
                                                      const Dialect& dialect, const Column& key,
                                                      std::span<const Param> parameters);
// `statement` (an INSERT) compiled without its RETURNING list; cached on the statement.
std::shared_ptr<const Compiled> compile_without_returning(const InsertState& statement,
                                                          const Dialect& dialect,
                                                          std::span<const Param> parameters);

// Compiles a multi-row INSERT of `row_count` rows of `columns` ("insertmanyvalues"), used by
// executemany. Cached on the statement per row count.
std::shared_ptr<const Compiled> compile_insert_many(const InsertState& statement,
                                                    const Dialect& dialect,
                                                    const std::vector<std::string>& columns,
                                                    std::size_t row_count);

}  // namespace athanor::detail
