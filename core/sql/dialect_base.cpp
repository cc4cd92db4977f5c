// Athanor Core, sql layer: the default SQL-spelling hooks of Dialect (dialect.hpp).
//
// These defaults follow standard SQL; each backend's dialect (core/dialects/<db>/) overrides only
// where its server differs. The DDL hooks' defaults live with the DDL generator in core/schema/.
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include "athanor/core/dialect.hpp"
#include "athanor/core/error.hpp"
#include "athanor/core/types.hpp"

namespace athanor {

namespace {

// SQL:2003 reserved words plus words the supported backends reserve beyond the standard
// (MySQL's KEY, INDEX, LIMIT; PostgreSQL's ANALYSE, ILIKE, ...). Sorted, for binary search.
// Quoting a word needlessly is harmless, as names are quoted in their stored (lower) case.
// clang-format off
constexpr std::string_view kReservedWords[] = {
    "abs", "accessible", "all", "allocate", "alter", "analyse", "analyze", "and", "any", "are",
    "array", "as", "asc", "asensitive", "asymmetric", "at", "atomic", "authorization", "avg",
    "before", "begin", "between", "bigint", "binary", "blob", "boolean", "both", "by", "call",
    "called", "cardinality", "cascade", "cascaded", "case", "cast", "ceil", "ceiling", "change",
    "char", "char_length", "character", "character_length", "check", "clob", "close", "coalesce",
    "collate", "collation", "collect", "column", "commit", "concurrently", "condition", "connect", "constraint",
    "continue", "convert", "corr", "corresponding", "count", "covar_pop", "covar_samp", "create",
    "cross", "cube", "cume_dist", "current", "current_catalog", "current_date",
    "current_default_transform_group", "current_path", "current_role", "current_schema",
    "current_time", "current_timestamp", "current_transform_group_for_type", "current_user",
    "cursor", "cycle", "database", "databases", "date", "day", "deallocate", "dec", "decimal",
    "declare", "default", "deferrable", "delayed", "delete", "dense_rank", "deref", "desc",
    "describe", "deterministic", "disconnect", "distinct", "distinctrow", "div", "do", "double",
    "drop", "dual", "dynamic", "each", "element", "else", "elseif", "enclosed", "end", "end-exec",
    "escape", "escaped", "every", "except", "exec", "execute", "exists", "exit", "exp", "explain",
    "external", "extract", "false", "fetch", "filter", "float", "floor", "for", "force", "foreign",
    "free", "freeze", "from", "full", "fulltext", "function", "fusion", "get", "global", "grant",
    "group", "grouping", "having", "hold", "hour", "identity", "if", "ignore", "ilike", "in",
    "index", "indicator", "initially", "inner", "inout", "insensitive", "insert", "int", "integer",
    "intersect", "intersection", "interval", "into", "is", "isnull", "iterate", "join", "key",
    "keys", "kill", "language", "large", "lateral", "leading", "leave", "left", "like", "limit",
    "lines", "ln", "load", "local", "localtime", "localtimestamp", "lock", "loop", "lower", "match",
    "max", "member", "merge", "method", "min", "minute", "mod", "modifies", "module", "month",
    "multiset", "national", "natural", "nchar", "nclob", "new", "no", "none", "normalize", "not",
    "notnull", "null", "nullif", "numeric", "octet_length", "of", "offset", "old", "on", "only",
    "open", "optimize", "option", "or", "order", "out", "outer", "over", "overlaps", "overlay",
    "parameter", "partition", "percent_rank", "percentile_cont", "percentile_disc", "placing",
    "position", "power", "precision", "prepare", "primary", "procedure", "purge", "range", "rank",
    "read", "reads", "real", "recursive", "ref", "references", "referencing", "regexp", "release",
    "rename", "repeat", "replace", "require", "restrict", "result", "return", "returning",
    "returns", "revoke", "right", "rlike", "rollback", "rollup", "row", "row_number", "rows",
    "savepoint", "schema", "scope", "scroll", "search", "second", "select", "sensitive",
    "separator", "session_user", "set", "show", "similar", "smallint", "some", "spatial",
    "specific", "specifictype", "sql", "sqlexception", "sqlstate", "sqlwarning", "sqrt", "start",
    "static", "stddev_pop", "stddev_samp", "submultiset", "substring", "sum", "symmetric", "system",
    "system_user", "table", "tablesample", "then", "time", "timestamp", "timezone_hour",
    "timezone_minute", "to", "trailing", "translate", "translation", "treat", "trigger", "trim",
    "true", "uescape", "union", "unique", "unknown", "unlock", "unnest", "unsigned", "update",
    "upper", "usage", "use", "user", "using", "value", "values", "var_pop", "var_samp", "varchar",
    "variadic", "varying", "verbose", "when", "whenever", "where", "while", "width_bucket",
    "window", "with", "within", "without", "write", "xor", "year", "zerofill",
};
// clang-format on

static_assert(std::is_sorted(std::begin(kReservedWords), std::end(kReservedWords)),
              "kReservedWords must stay sorted for binary search");

bool is_plain_identifier_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

void Dialect::validate_url(const URL& url) const {
  if (!url.query.empty()) {
    throw ArgumentError("unknown URL query option '" + url.query.begin()->first + "' for the " +
                        std::string(name()) + " backend");
  }
}

bool Dialect::is_reserved_word(std::string_view lower_case_word) const {
  return std::binary_search(std::begin(kReservedWords), std::end(kReservedWords), lower_case_word);
}

std::string Dialect::quote_identifier(std::string_view name) const {
  bool needs_quotes = name.empty() || (name.front() >= '0' && name.front() <= '9') ||
                      !std::all_of(name.begin(), name.end(), is_plain_identifier_char);
  // A plain identifier is all lower case here, so it can be looked up as is.
  if (!needs_quotes) needs_quotes = is_reserved_word(name);
  if (!needs_quotes) return std::string(name);
  const char quote = identifier_quote();
  std::string quoted;
  quoted.reserve(name.size() + 2);
  quoted += quote;
  for (char c : name) {
    if (c == quote) quoted += quote;
    quoted += c;
  }
  quoted += quote;
  return quoted;
}

std::string Dialect::quote_string_literal(std::string_view text) const {
  std::string quoted;
  quoted.reserve(text.size() + 2);
  quoted += '\'';
  for (char c : text) {
    if (c == '\'') quoted += '\'';
    quoted += c;
  }
  quoted += '\'';
  return quoted;
}

std::string Dialect::limit_offset_clause(std::optional<std::int64_t> limit,
                                         std::optional<std::int64_t> offset) const {
  std::string clause;
  if (limit) clause += " LIMIT " + std::to_string(*limit);
  if (offset) clause += " OFFSET " + std::to_string(*offset);
  return clause;
}

std::string Dialect::distinct_from(const std::string& lhs, const std::string& rhs,
                                   bool negate) const {
  return lhs + (negate ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ") + rhs;
}

std::string Dialect::cast_type(const TypeEngine& type) const {
  static constexpr TypeSpelling kStandardCastTypes{.double_type = "DOUBLE PRECISION",
                                                   .datetime = "TIMESTAMP",
                                                   .datetime_tz = "TIMESTAMP WITH TIME ZONE",
                                                   .enum_as_varchar = true};
  return render_type(type, kStandardCastTypes);
}

std::string Dialect::insert_default_values(const std::string& quoted_table) const {
  return "INSERT INTO " + quoted_table + " DEFAULT VALUES";
}

}  // namespace athanor
