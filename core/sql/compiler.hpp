// Athanor Core, sql layer (private): facts about expression trees shared by the expression
// builders (expression.cpp) and the SQL compiler (compiler.cpp).
//
// Both sides must agree on the names of a select list's result columns (Subquery::c() checks a
// name that the compiler later renders as a label) and on which FROM items an expression refers
// to (Select::join() joins from the first one; the compiler derives the implicit FROM list).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "athanor/core/detail/sql_ast.hpp"

namespace athanor::detail {

// The name of one result column and whether the compiler renders it as "expr AS name". Columns
// and literal_column() keep their own name; label() gives its name; other expressions get an
// anonymous label: "<function>_<n>" for a function call, "anon_<n>" for anything else, numbered
// per base name within the list (as SQLAlchemy does).
struct ResultColumn {
  std::string name;
  bool labeled = false;
};
std::vector<ResultColumn> result_columns(const std::vector<NodePtr>& columns);

// A FROM item an expression refers to: a table, or an aliased subquery (select + alias).
struct FromRef {
  const Table* table = nullptr;
  std::shared_ptr<const SelectState> select;
  std::string alias;

  bool same_as(const FromRef& other) const noexcept {
    return table == other.table && select == other.select && alias == other.alias;
  }
};

// Appends to `out` the FROM items that `node` refers to (the tables of its columns, the
// subqueries of its alias columns), in order of first appearance and without repeats. Nested
// SELECTs (IN, EXISTS, scalar subqueries) are not entered: their FROM items are their own.
void collect_from_refs(const Node& node, std::vector<FromRef>& out);
// Appends the tables and subqueries that make up `from` (both sides of a join).
void collect_from_refs(const FromNode& from, std::vector<FromRef>& out);
// A FROM node for `ref`.
FromPtr make_from_node(const FromRef& ref);

}  // namespace athanor::detail
