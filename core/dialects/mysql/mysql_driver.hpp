// Athanor Core, mysql dialect (private): the driver over the MariaDB Connector/C (the MySQL C
// API), for MariaDB and MySQL servers.
//
// Declares the function that opens a driver connection from a parsed mysql/mariadb URL
// (mysql_url.hpp). mysql.h itself is included only by the .cpp files, so nothing above the
// dialect sees the C API.
//
// Session contract established at connect time (every connection, so behaviour does not depend
// on server configuration):
//   - character set utf8mb4 (or the URL's `charset`);
//   - autocommit off: a transaction starts implicitly with the first statement after a commit or
//     rollback, which is what Athanor's autobegin expects, and makes begin() free;
//   - time_zone '+00:00', so an instant (athanor::Timestamp) is written as its UTC wall clock:
//     DateTime(timezone=true) columns are DATETIME(6) holding UTC, and TIMESTAMP columns of
//     existing tables read and write UTC instants;
//   - sql_mode gains STRICT_TRANS_TABLES (bad data raises instead of being truncated) and loses
//     NO_BACKSLASH_ESCAPES (string literals in DDL escape backslashes);
//   - CLIENT_FOUND_ROWS, so UPDATE's row count is the number of rows matched, not changed.
#pragma once

#include <memory>

#include "athanor/core/driver.hpp"
#include "core/dialects/mysql/mysql_url.hpp"

namespace athanor::detail::mysql {

// Opens and sets up a connection (see the session contract above). Throws OperationalError
// carrying the client library's message when the server cannot be reached or refuses the login.
std::unique_ptr<driver::Connection> open_connection(const ConnectOptions& options);

}  // namespace athanor::detail::mysql
