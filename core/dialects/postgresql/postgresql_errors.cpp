// Athanor Core, postgresql dialect: libpq error translation (see postgresql_errors.hpp).
//
// The class mapping follows the SQLSTATE classes of the SQL standard and PostgreSQL's
// errcodes: constraint violations are integrity errors, data exceptions data errors, syntax and
// access rule violations programming errors, and resource, operator-intervention, connection
// and transaction-rollback classes operational errors. The table yields an ErrorCategory;
// raise_dbapi_error (core/dialects/error_category.hpp) picks the class.
#include "core/dialects/postgresql/postgresql_errors.hpp"

#include <utility>

#include "core/dialects/error_category.hpp"

namespace athanor::detail::pg {

namespace {

std::string trimmed(const char* text) {
  std::string out = text ? text : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ' || out.back() == '\r')) {
    out.pop_back();
  }
  return out;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Server shutdown / crash notifications: the server closes the connection right after them.
bool is_shutdown_state(std::string_view sqlstate) {
  return sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03";
}

ErrorCategory category_of(std::string_view sqlstate) {
  if (sqlstate.size() != 5) return ErrorCategory::kGeneric;
  const std::string_view cls = sqlstate.substr(0, 2);
  if (cls == "23") return ErrorCategory::kIntegrity;
  if (cls == "22") return ErrorCategory::kData;
  if (cls == "0A") return ErrorCategory::kNotSupported;
  if (cls == "42" || cls == "44" || cls == "20" || cls == "21" || cls == "3D" || cls == "3F") {
    return ErrorCategory::kProgramming;
  }
  // 08 connection, 26 unknown prepared statement, 27 triggered data change, 28 authorization,
  // 34 cursor name, 40 transaction rollback (serialization failure, deadlock), 53 resources,
  // 54 program limits, 55 object state (lock not available), 57 operator intervention,
  // 58 system errors, HV foreign data wrappers.
  if (cls == "08" || cls == "26" || cls == "27" || cls == "28" || cls == "34" || cls == "40" ||
      cls[0] == '5' || cls == "HV") {
    return ErrorCategory::kOperational;
  }
  // 24/25 cursor and transaction state, 2B/2D/2F, 38/39/3B routines and savepoints, F0 config,
  // P0 PL/pgSQL, XX internal.
  if (cls == "24" || cls == "25" || cls == "2B" || cls == "2D" || cls == "2F" || cls == "38" ||
      cls == "39" || cls == "3B" || cls == "F0" || cls == "P0" || cls == "XX") {
    return ErrorCategory::kInternal;
  }
  return ErrorCategory::kGeneric;
}

}  // namespace

DBAPIError::Details error_details(PGconn* conn, const PGresult* result, std::string_view sql,
                                  std::string parameters) {
  DBAPIError::Details details;
  details.sql = std::string(sql);
  details.parameters = std::move(parameters);
  details.native_code = 0;
  if (result != nullptr) {
    if (const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE)) details.sqlstate = state;
    if (const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY)) {
      details.message = trimmed(primary);
      if (const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL)) {
        details.message += "\nDETAIL: " + trimmed(detail);
      }
      if (const char* hint = PQresultErrorField(result, PG_DIAG_MESSAGE_HINT)) {
        details.message += "\nHINT: " + trimmed(hint);
      }
    } else {
      details.message = trimmed(PQresultErrorMessage(result));
    }
  }
  if (details.message.empty() && conn != nullptr) details.message = trimmed(PQerrorMessage(conn));
  if (details.message.empty()) details.message = "unknown libpq error";

  const bool connection_bad = conn == nullptr || PQstatus(conn) == CONNECTION_BAD;
  const std::string_view state = details.sqlstate;
  details.connection_invalidated =
      connection_bad || is_shutdown_state(state) || (starts_with(state, "08") && state != "08P01");
  return details;
}

void raise_error(DBAPIError::Details details) {
  const ErrorCategory category = details.connection_invalidated ? ErrorCategory::kOperational
                                 : details.sqlstate.empty()     ? ErrorCategory::kInterface
                                                                : category_of(details.sqlstate);
  raise_dbapi_error(category, std::move(details));
}

}  // namespace athanor::detail::pg
