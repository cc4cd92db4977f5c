// Athanor Core, sqlite dialect (private): the driver over the sqlite3 C API.
//
// Declares the function that opens a driver connection from a parsed sqlite URL
// (sqlite_url.hpp). The sqlite3.h include itself stays in the .cpp files, so nothing above the
// dialect sees the C API.
#pragma once

#include <memory>

#include "athanor/core/driver.hpp"
#include "core/dialects/sqlite/sqlite_url.hpp"

namespace athanor::detail {

// Opens a connection. Throws OperationalError naming the path when the file cannot be opened.
std::unique_ptr<driver::Connection> open_sqlite_connection(const SqliteConnectOptions& options);

}  // namespace athanor::detail
