// Athanor Core, dialect layer (shared by every backend): the one switch from an error category
// onto the exception tree.
//
// Each backend's <db>_errors.cpp keeps only what is native to it: the table from its own error
// codes (sqlite3 result codes, PostgreSQL SQLSTATE classes, MySQL error numbers) to an
// ErrorCategory, and the extraction of message, SQLSTATE and native code into
// DBAPIError::Details. Which exception class a category becomes is decided here, once, so the
// three backends cannot drift apart. Compiled into athanor_core, not into a backend library.
#pragma once

#include "athanor/core/error.hpp"

namespace athanor::detail {

// The DBAPIError subclass an error belongs to (PEP 249's classes).
enum class ErrorCategory {
  kIntegrity,     // IntegrityError: a constraint was violated
  kData,          // DataError: a value is invalid or out of range
  kProgramming,   // ProgrammingError: the statement itself is wrong
  kOperational,   // OperationalError: the server or connection failed
  kInterface,     // InterfaceError: the client library was misused
  kNotSupported,  // NotSupportedError: a feature the database lacks
  kInternal,      // InternalError: the database's or the driver's internal state is wrong
  kGeneric,       // DBAPIError itself: no finer class applies
};

// Throws the exception class of `category` carrying `details`.
[[noreturn]] void raise_dbapi_error(ErrorCategory category, DBAPIError::Details details);

}  // namespace athanor::detail
