// Athanor Core, sqlite dialect (private): the schema as SQLite keeps it, as text.
//
// SQLite stores a table's schema as the text of its CREATE TABLE statement (sqlite_master.sql)
// and a column's type as the name it was declared with. This file turns Athanor types into
// declared type names and back, and keeps table and column comments inside the CREATE TABLE text,
// since SQLite has no COMMENT DDL:
//
//   CREATE TABLE "users" /* comment: "End-user accounts" */ (
//     "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT /* comment: "Surrogate key" */, ...
//
// The comment text is a JSON string (so quotes, newlines, control characters and any Unicode
// survive) in which every "*/" is written "*\/" (a valid JSON escape for '/'), so it can never
// end the SQL comment early. SQLite keeps comments after the table name and inside the column
// list verbatim; one after the closing parenthesis would be dropped.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "athanor/core/types.hpp"

namespace athanor::detail {

// The declared type for `type`, e.g. "VARCHAR(255)", "NUMERIC(10, 2)".
std::string sqlite_type_name(const TypeEngine& type);

// The Athanor type for a declared type name (any case, as PRAGMA table_info reports it). Names
// Athanor does not emit resolve by SQLite's affinity rules; an empty name is LargeBinary (BLOB
// affinity).
TypeEngine parse_sqlite_type(std::string_view declared);

// " /* comment: \"...\" */" for `text` (with the leading space); "" for an empty comment.
std::string encode_sqlite_comment(std::string_view text);

// What reflection reads from a CREATE TABLE statement's text beyond what SQLite's PRAGMAs report.
struct SqliteTableText {
  // A constraint declared with "CONSTRAINT <name>", at table level or inside a column definition.
  struct NamedConstraint {
    std::string kind;  // "PRIMARY KEY", "UNIQUE", "FOREIGN KEY" or "CHECK"
    std::string name;
    std::vector<std::string> columns;  // the constrained (for FOREIGN KEY: local) columns
  };
  std::string comment;                                               // "" when none
  std::vector<std::pair<std::string, std::string>> column_comments;  // (column name, comment)
  std::vector<NamedConstraint> constraints;
};

// Reads a CREATE TABLE text: the comments written by encode_sqlite_comment (comments in any other
// form, and malformed ones, are ignored) and the names of named constraints.
SqliteTableText parse_sqlite_create_table(std::string_view create_table_sql);

// Inserts the table comment right after the table name of a CREATE TABLE statement (where SQLite
// keeps it). Returns `create_table_sql` unchanged when `comment` is empty.
std::string insert_sqlite_table_comment(std::string_view create_table_sql,
                                        std::string_view comment);

}  // namespace athanor::detail
