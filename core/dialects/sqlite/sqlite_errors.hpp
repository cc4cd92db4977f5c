// Athanor Core, sqlite dialect (private): translation of sqlite3 result codes into Athanor's
// exception tree.
#pragma once

#include <string>

namespace athanor::detail {

// When a failing call happened: compiling a statement, or running it.
enum class SqliteErrorPhase { kConnect, kPrepare, kExecute };

// The one place where sqlite3 errors become Athanor exceptions. `extended_code` is the sqlite3
// extended result code; `message` the library's text (sqlite3_errmsg). Mapping:
//   SQLITE_CONSTRAINT_*                          -> IntegrityError (SQLSTATE "23000")
//   SQLITE_ERROR "no such table/column", syntax  -> ProgrammingError (as on the other backends:
//       Athanor's contract puts unknown tables with the SQL errors, where Python's sqlite3
//       module reports OperationalError)
//   other SQLITE_ERROR: while preparing          -> ProgrammingError; while running -> Operational
//   SQLITE_BUSY, LOCKED, IOERR, CANTOPEN, FULL, READONLY, PERM, ABORT, INTERRUPT, PROTOCOL,
//   NOLFS, AUTH, SCHEMA, NOMEM, NOTADB           -> OperationalError
//   SQLITE_MISMATCH, TOOBIG, RANGE               -> DataError
//   SQLITE_MISUSE                                -> InterfaceError
//   SQLITE_CORRUPT, INTERNAL, anything else      -> InternalError
[[noreturn]] void raise_sqlite_error(int extended_code, std::string message, std::string sql,
                                     std::string parameters, SqliteErrorPhase phase);

}  // namespace athanor::detail
