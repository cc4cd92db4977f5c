// Athanor Core, mysql dialect (private): the connect options of a mysql:// or mariadb:// URL.
#pragma once

#include <optional>
#include <string>

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

}  // namespace athanor::detail::mysql
