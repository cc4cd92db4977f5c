// Athanor Core, sqlite dialect (private): the driver over the sqlite3 C API.
//
// The only header besides its .cpp that speaks of sqlite3 concepts. It declares the parsed form
// of a sqlite URL, the function that opens a driver connection from it, and the single function
// that turns a sqlite3 result code into Athanor's exception tree. The sqlite3.h include itself
// stays in the .cpp files, so nothing above the dialect sees the C API.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "athanor/core/driver.hpp"
#include "athanor/core/url.hpp"

namespace athanor::detail {

// How a database file is opened (the URL's `mode` option).
enum class SqliteOpenMode {
  kReadOnly,         // mode=ro: the file must exist; writes fail
  kReadWrite,        // mode=rw: the file must exist
  kReadWriteCreate,  // mode=rwc (default): created when missing
};

// A sqlite URL, validated:
//   sqlite:///relative.db  sqlite:////absolute.db  sqlite:///:memory:  sqlite://
//   ?mode=ro|rw|rwc  &timeout=<seconds, may be fractional; default 5>
//   &foreign_keys=on|off (default on)  &journal_mode=delete|truncate|persist|memory|wal|off
struct SqliteConnectOptions {
  std::string path;  // ":memory:" for an in-memory database
  SqliteOpenMode mode = SqliteOpenMode::kReadWriteCreate;
  std::chrono::milliseconds busy_timeout{5000};
  bool foreign_keys = true;
  std::optional<std::string> journal_mode;  // upper case; nullopt: the library's default
};

// Validates `url` for sqlite. Throws ArgumentError naming the offending part or option.
SqliteConnectOptions parse_sqlite_url(const URL& url);

// Opens a connection. Throws OperationalError naming the path when the file cannot be opened.
std::unique_ptr<driver::Connection> open_sqlite_connection(const SqliteConnectOptions& options);

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
