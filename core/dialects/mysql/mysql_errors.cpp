// Athanor Core, mysql dialect: the single place where MySQL/MariaDB errors become Athanor
// exceptions (see mysql_errors.hpp).
//
// The native error number decides first, because MySQL reports many unrelated errors with the
// catch-all SQLSTATE HY000; the SQLSTATE class decides for numbers not listed here. The table
// yields an ErrorCategory; raise_dbapi_error (core/dialects/error_category.hpp) picks the class.
#include "core/dialects/mysql/mysql_errors.hpp"

#include <string>
#include <vector>

#include "athanor/core/error.hpp"
#include "core/dialects/error_category.hpp"

namespace athanor::detail::mysql {

namespace {

// Client-library errors (2000-2999 and the Connector/C 5000 range) that mean the library was
// misused rather than that the server or network failed.
bool is_interface_error(unsigned int code) {
  switch (code) {
    case 2014:  // CR_COMMANDS_OUT_OF_SYNC
    case 2030:  // CR_NO_PREPARE_STMT
    case 2031:  // CR_PARAMS_NOT_BOUND
    case 2033:  // CR_NO_PARAMETERS_EXISTS
    case 2034:  // CR_INVALID_PARAMETER_NO
    case 2035:  // CR_INVALID_BUFFER_USE
    case 2036:  // CR_UNSUPPORTED_PARAM_TYPE
    case 2052:  // CR_NO_STMT_METADATA
    case 2054:  // CR_NOT_IMPLEMENTED
    case 5003:  // CR_FUNCTION_NOT_SUPPORTED
    case 5006:  // CR_BULK_WITHOUT_PARAMETERS
    case 5009:  // CR_INVALID_PARAMETER
      return true;
    default:
      return false;
  }
}

ErrorCategory classify(unsigned int code, std::string_view sqlstate) {
  switch (code) {
    // Constraint violations.
    case 1022:  // ER_DUP_KEY
    case 1048:  // ER_BAD_NULL_ERROR
    case 1062:  // ER_DUP_ENTRY
    case 1169:  // ER_DUP_UNIQUE
    case 1216:  // ER_NO_REFERENCED_ROW
    case 1217:  // ER_ROW_IS_REFERENCED
    case 1364:  // ER_NO_DEFAULT_FOR_FIELD: a NOT NULL column left out of an INSERT
    case 1451:  // ER_ROW_IS_REFERENCED_2
    case 1452:  // ER_NO_REFERENCED_ROW_2
    case 1557:  // ER_FOREIGN_DUPLICATE_KEY
    case 1569:  // ER_DUP_ENTRY_AUTOINCREMENT_CASE
    case 1586:  // ER_DUP_ENTRY_WITH_KEY_NAME
    case 1761:  // ER_FOREIGN_DUPLICATE_KEY_WITH_CHILD_INFO
    case 1762:  // ER_FOREIGN_DUPLICATE_KEY_WITHOUT_CHILD_INFO
    case 3819:  // MySQL 8 ER_CHECK_CONSTRAINT_VIOLATED
    case 4025:  // MariaDB ER_CONSTRAINT_FAILED
      return ErrorCategory::kIntegrity;

    // Bad data.
    case 1264:  // ER_WARN_DATA_OUT_OF_RANGE
    case 1265:  // WARN_DATA_TRUNCATED
    case 1292:  // ER_TRUNCATED_WRONG_VALUE
    case 1365:  // ER_DIVISION_BY_ZERO
    case 1366:  // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD
    case 1367:  // ER_ILLEGAL_VALUE_FOR_TYPE
    case 1406:  // ER_DATA_TOO_LONG
    case 1411:  // ER_WRONG_VALUE_FOR_TYPE
    case 1416:  // ER_CANT_CREATE_GEOMETRY_OBJECT
    case 1690:  // ER_DATA_OUT_OF_RANGE
    case 3140:  // MySQL 8 ER_INVALID_JSON_TEXT
    case 3141:  // MySQL 8 ER_INVALID_JSON_TEXT_IN_PARAM
    case 4038:  // MariaDB ER_JSON_SYNTAX
      return ErrorCategory::kData;

    // Errors in the statement itself.
    case 1050:  // ER_TABLE_EXISTS_ERROR
    case 1051:  // ER_BAD_TABLE_ERROR
    case 1052:  // ER_NON_UNIQ_ERROR (ambiguous column)
    case 1054:  // ER_BAD_FIELD_ERROR
    case 1060:  // ER_DUP_FIELDNAME
    case 1061:  // ER_DUP_KEYNAME
    case 1063:  // ER_WRONG_FIELD_SPEC
    case 1064:  // ER_PARSE_ERROR
    case 1065:  // ER_EMPTY_QUERY
    case 1091:  // ER_CANT_DROP_FIELD_OR_KEY
    case 1101:  // ER_BLOB_CANT_HAVE_DEFAULT
    case 1109:  // ER_UNKNOWN_TABLE
    case 1110:  // ER_FIELD_SPECIFIED_TWICE
    case 1111:  // ER_INVALID_GROUP_FUNC_USE
    case 1113:  // ER_TABLE_MUST_HAVE_COLUMNS
    case 1136:  // ER_WRONG_VALUE_COUNT_ON_ROW
    case 1146:  // ER_NO_SUCH_TABLE
    case 1149:  // ER_SYNTAX_ERROR
    case 1166:  // ER_WRONG_COLUMN_NAME
    case 1170:  // ER_BLOB_KEY_WITHOUT_LENGTH
    case 1210:  // ER_WRONG_ARGUMENTS
    case 1222:  // ER_WRONG_NUMBER_OF_COLUMNS_IN_SELECT
    case 1241:  // ER_OPERAND_COLUMNS
    case 1242:  // ER_SUBQUERY_NO_1_ROW
    case 1248:  // ER_DERIVED_MUST_HAVE_ALIAS
    case 1305:  // ER_SP_DOES_NOT_EXIST
    case 1630:  // ER_FUNC_INEXISTENT_NAME_COLLISION
      return ErrorCategory::kProgramming;

    // Server-side conditions outside the caller's control.
    case 1040:  // ER_CON_COUNT_ERROR
    case 1044:  // ER_DBACCESS_DENIED_ERROR
    case 1045:  // ER_ACCESS_DENIED_ERROR
    case 1049:  // ER_BAD_DB_ERROR
    case 1053:  // ER_SERVER_SHUTDOWN
    case 1205:  // ER_LOCK_WAIT_TIMEOUT
    case 1213:  // ER_LOCK_DEADLOCK
    case 1317:  // ER_QUERY_INTERRUPTED
    case 1927:  // ER_CONNECTION_KILLED
    case 1969:  // ER_STATEMENT_TIMEOUT
    case 3024:  // MySQL ER_QUERY_TIMEOUT
    case 3058:  // ER_USER_LOCK_DEADLOCK
    case 4031:  // MySQL 8 ER_CLIENT_INTERACTION_TIMEOUT
      return ErrorCategory::kOperational;

    case 1178:  // ER_CHECK_NOT_IMPLEMENTED
    case 1235:  // ER_NOT_SUPPORTED_YET
    case 1289:  // ER_FEATURE_DISABLED
    case 1295:  // ER_UNSUPPORTED_PS
      return ErrorCategory::kNotSupported;

    default:
      break;
  }
  if (is_interface_error(code)) return ErrorCategory::kInterface;
  if ((code >= 2000 && code <= 2999) || (code >= 5000 && code <= 5999)) {
    return ErrorCategory::kOperational;
  }
  const std::string_view cls = sqlstate.substr(0, 2);
  if (cls == "23") return ErrorCategory::kIntegrity;
  if (cls == "22") return ErrorCategory::kData;
  if (cls == "42") return ErrorCategory::kProgramming;
  if (cls == "0A") return ErrorCategory::kNotSupported;
  if (cls == "XA" || cls == "XX") return ErrorCategory::kInternal;
  // "08" (connection), "40" (transaction rollback), "HY" and anything else: operational, as
  // MySQL uses HY000 for most server-side failures.
  return ErrorCategory::kOperational;
}

}  // namespace

bool is_disconnect_error(unsigned int code) noexcept {
  switch (code) {
    case 1053:  // ER_SERVER_SHUTDOWN
    case 1927:  // ER_CONNECTION_KILLED
    case 2001:  // CR_SOCKET_CREATE_ERROR
    case 2002:  // CR_CONNECTION_ERROR
    case 2003:  // CR_CONN_HOST_ERROR
    case 2004:  // CR_IPSOCK_ERROR
    case 2006:  // CR_SERVER_GONE_ERROR
    case 2011:  // CR_TCP_CONNECTION
    case 2013:  // CR_SERVER_LOST
    case 2020:  // CR_NET_PACKET_TOO_LARGE: the server drops the connection
    case 2026:  // CR_SSL_CONNECTION_ERROR
    case 2055:  // CR_SERVER_LOST_EXTENDED
    case 4031:  // MySQL 8 ER_CLIENT_INTERACTION_TIMEOUT
    case 5013:  // CR_ERR_NET_READ
    case 5014:  // CR_ERR_NET_WRITE
    case 5015:  // CR_ERR_NET_UNCOMPRESS
      return true;
    default:
      return false;
  }
}

void raise_error(const NativeError& error, std::string_view sql, std::span<const Value> params,
                 bool invalidated) {
  raise_error_rendered(error, sql,
                       params.empty()
                           ? std::string()
                           : render_values(std::vector<Value>(params.begin(), params.end())),
                       invalidated);
}

void raise_error_rendered(const NativeError& error, std::string_view sql, std::string parameters,
                          bool invalidated) {
  DBAPIError::Details details;
  // Always the library's or the server's own words: the callers read the error from the handle
  // that holds it (see statement_error in mysql_driver.cpp).
  details.message = error.message;
  if (error.code == 0) {
    // No handle held an error: a misreading in this driver, never a server error.
    details.message = "Connector/C reported a failure without an error on either handle";
    if (!error.message.empty()) details.message += ": " + error.message;
    details.sql = std::string(sql);
    throw InternalError(std::move(details));
  }
  details.sql = std::string(sql);
  details.parameters = std::move(parameters);
  // Connector/C reports "00000" or "HY000" for its own errors; keep only meaningful states.
  if (error.sqlstate != "00000") details.sqlstate = error.sqlstate;
  details.native_code = static_cast<int>(error.code);
  details.connection_invalidated = invalidated;

  raise_dbapi_error(classify(error.code, error.sqlstate), std::move(details));
}

}  // namespace athanor::detail::mysql
