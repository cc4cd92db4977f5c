// Athanor Core, mysql dialect (private): the driver over the MariaDB Connector/C (the MySQL C
// API), for MariaDB and MySQL servers.
//
// Declares the parsed form of a mysql/mariadb URL and the function that opens a driver
// connection from it. mysql.h itself is included only by the .cpp files, so nothing above the
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
#include <optional>
#include <string>

#include "athanor/core/driver.hpp"
#include "athanor/core/url.hpp"

namespace athanor::detail::mysql {

// The URL's `ssl_mode` option (MySQL's names).
enum class SslMode {
  kDisabled,        // no TLS
  kPreferred,       // TLS when a ssl_* file option is given (Connector/C's default)
  kRequired,        // TLS or fail, certificate not verified
  kVerifyCa,        // TLS with the server certificate verified
  kVerifyIdentity,  // as kVerifyCa (Connector/C checks the host name together with the CA)
};

// A mysql:// or mariadb:// URL, validated:
//   mysql://user:password@host:port/database?charset=utf8mb4&connect_timeout=10
//     &read_timeout=30&write_timeout=30&unix_socket=/path&ssl_mode=REQUIRED
//     &ssl_ca=/path&ssl_cert=/path&ssl_key=/path
// Timeouts are whole seconds. Without a host (or with "localhost") the client library connects
// through the Unix socket; "127.0.0.1" or any other host uses TCP.
struct ConnectOptions {
  std::string host;  // empty: localhost
  unsigned int port = 3306;
  std::optional<std::string> user;
  std::optional<std::string> password;
  std::optional<std::string> database;
  std::optional<std::string> unix_socket;
  std::string charset = "utf8mb4";
  unsigned int connect_timeout = 10;
  std::optional<unsigned int> read_timeout;
  std::optional<unsigned int> write_timeout;
  SslMode ssl_mode = SslMode::kPreferred;
  std::optional<std::string> ssl_ca;
  std::optional<std::string> ssl_cert;
  std::optional<std::string> ssl_key;
};

// Validates `url`. Throws ArgumentError naming an unknown option or a malformed value.
ConnectOptions parse_url(const URL& url);

// Opens and sets up a connection (see the session contract above). Throws OperationalError
// carrying the client library's message when the server cannot be reached or refuses the login.
std::unique_ptr<driver::Connection> open_connection(const ConnectOptions& options);

}  // namespace athanor::detail::mysql
