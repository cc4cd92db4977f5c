// Athanor Core, mysql dialect (private): translation of MySQL/MariaDB errors into Athanor's
// exception tree.
//
// Every error the MariaDB Connector/C reports (server errors and client-library errors alike)
// passes through raise_error(), the single choke point of this backend. It picks the DBAPIError
// subclass from the native error number, falling back to the SQLSTATE class, and keeps the SQL,
// the rendered parameters, the SQLSTATE and the error number.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "athanor/core/value.hpp"

namespace athanor::detail::mysql {

// One error as reported by mysql_errno()/mysql_error()/mysql_sqlstate() or their mysql_stmt_*
// counterparts.
struct NativeError {
  unsigned int code = 0;
  std::string message;
  std::string sqlstate;
};

// True for error numbers after which the connection cannot be used any more (lost connection,
// server gone away, connection killed, server shutdown).
bool is_disconnect_error(unsigned int code) noexcept;

// Throws the DBAPIError subclass matching `error`. `sql` and `params` describe the statement
// that failed (both may be empty); `invalidated` is reported as connection_invalidated().
[[noreturn]] void raise_error(const NativeError& error, std::string_view sql,
                              std::span<const Value> params, bool invalidated);
// Same, with the parameters rendered already (several rows of a batch).
[[noreturn]] void raise_error_rendered(const NativeError& error, std::string_view sql,
                                       std::string parameters, bool invalidated);

}  // namespace athanor::detail::mysql
