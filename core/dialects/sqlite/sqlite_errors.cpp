// Athanor Core, sqlite dialect: the single place where sqlite3 result codes become Athanor
// exceptions (see sqlite_errors.hpp). The table yields an ErrorCategory; raise_dbapi_error
// (core/dialects/error_category.hpp) picks the class.
#include "core/dialects/sqlite/sqlite_errors.hpp"

#include <sqlite3.h>

#include <string>
#include <string_view>
#include <utility>

#include "athanor/core/error.hpp"
#include "core/dialects/error_category.hpp"

namespace athanor::detail {

namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// SQLITE_ERROR messages that mean the SQL itself is wrong, whenever they are reported (a cached
// statement is recompiled at its next step when the schema changed, so "no such table" can come
// from sqlite3_step too).
bool is_sql_text_error(std::string_view message) {
  return starts_with(message, "no such ") || message.find("syntax error") != std::string::npos ||
         starts_with(message, "ambiguous column name") ||
         message.find("has no column named") != std::string::npos ||
         message.find("incomplete input") != std::string::npos;
}

// The sqlite3 result-code table (see raise_sqlite_error in sqlite_errors.hpp).
ErrorCategory category_of(int extended_code, SqliteErrorPhase phase, std::string_view message) {
  const int primary = extended_code & 0xff;
  if (phase == SqliteErrorPhase::kConnect && primary != SQLITE_MISUSE) {
    return ErrorCategory::kOperational;
  }
  switch (primary) {
    case SQLITE_CONSTRAINT:
      return ErrorCategory::kIntegrity;
    case SQLITE_ERROR:
      if (phase == SqliteErrorPhase::kPrepare || is_sql_text_error(message)) {
        return ErrorCategory::kProgramming;
      }
      return ErrorCategory::kOperational;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_ABORT:
    case SQLITE_INTERRUPT:
    case SQLITE_PROTOCOL:
    case SQLITE_NOLFS:
    case SQLITE_AUTH:
    case SQLITE_SCHEMA:
    case SQLITE_NOMEM:
    case SQLITE_NOTADB:
      return ErrorCategory::kOperational;
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
      return ErrorCategory::kData;
    case SQLITE_MISUSE:
      return ErrorCategory::kInterface;
    default:  // SQLITE_CORRUPT, SQLITE_INTERNAL, codes that should never reach a caller
      return ErrorCategory::kInternal;
  }
}

}  // namespace

void raise_sqlite_error(int extended_code, std::string message, std::string sql,
                        std::string parameters, SqliteErrorPhase phase) {
  DBAPIError::Details details;
  details.message = std::move(message);
  details.sql = std::move(sql);
  details.parameters = std::move(parameters);
  details.native_code = extended_code;
  const ErrorCategory category = category_of(extended_code, phase, details.message);
  // SQL standard: integrity constraint violation (sqlite3 has no SQLSTATEs of its own).
  if (category == ErrorCategory::kIntegrity) details.sqlstate = "23000";
  raise_dbapi_error(category, std::move(details));
}

}  // namespace athanor::detail
