// Athanor Core, postgresql dialect: the single place where libpq errors become exceptions.
//
// Every failure the driver sees (a failed PGresult, a failed send, a lost connection) goes
// through error_details() and raise_error(): the SQLSTATE class picks the DBAPIError subclass,
// and a connection that libpq reports as bad (or a server shutdown) marks the error as
// connection_invalidated. Private to this folder.
#pragma once

#include <string>
#include <string_view>

#include <libpq-fe.h>

#include "athanor/core/error.hpp"

namespace athanor::detail::pg {

// Describes the error carried by `result`, or the connection's last error when `result` is
// null or carries no message. `parameters` is the rendered parameter list (may be empty).
DBAPIError::Details error_details(PGconn* conn, const PGresult* result, std::string_view sql,
                                  std::string parameters);

// Throws the DBAPIError subclass for `details` (by SQLSTATE class; OperationalError whenever the
// connection was invalidated; InterfaceError for client-side errors without a SQLSTATE).
[[noreturn]] void raise_error(DBAPIError::Details details);

}  // namespace athanor::detail::pg
