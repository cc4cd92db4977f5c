// Athanor Core, mysql dialect: parsing and validation of mysql:// and mariadb:// URLs into
// ConnectOptions (see mysql_url.hpp).
#include "core/dialects/mysql/mysql_url.hpp"

#include <cctype>
#include <charconv>
#include <string>

#include <fmt/format.h>

#include "athanor/core/error.hpp"

namespace athanor::detail::mysql {

namespace {

unsigned int parse_seconds(const std::string& key, const std::string& text) {
  unsigned int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
    throw ArgumentError("invalid value '" + text + "' for MySQL URL option '" + key +
                        "': expected a whole number of seconds");
  }
  return value;
}

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

ConnectOptions parse_url(const URL& url) {
  ConnectOptions options;
  if (url.host) options.host = *url.host;
  if (url.port) {
    if (*url.port <= 0 || *url.port > 65535) {
      throw ArgumentError("invalid port " + std::to_string(*url.port) + " in MySQL URL");
    }
    options.port = static_cast<unsigned int>(*url.port);
  }
  options.user = url.username;
  options.password = url.password;
  if (url.database && !url.database->empty()) options.database = url.database;
  for (const auto& [key, value] : url.query) {
    if (key == "charset") {
      if (value.empty()) throw ArgumentError("MySQL URL option 'charset' must not be empty");
      options.charset = value;
    } else if (key == "connect_timeout") {
      options.connect_timeout = parse_seconds(key, value);
    } else if (key == "read_timeout") {
      options.read_timeout = parse_seconds(key, value);
    } else if (key == "write_timeout") {
      options.write_timeout = parse_seconds(key, value);
    } else if (key == "unix_socket") {
      options.unix_socket = value;
    } else if (key == "ssl_mode") {
      const std::string mode = upper(value);
      if (mode == "DISABLED") {
        options.ssl_mode = SslMode::kDisabled;
      } else if (mode == "PREFERRED") {
        options.ssl_mode = SslMode::kPreferred;
      } else if (mode == "REQUIRED") {
        options.ssl_mode = SslMode::kRequired;
      } else if (mode == "VERIFY_CA") {
        options.ssl_mode = SslMode::kVerifyCa;
      } else if (mode == "VERIFY_IDENTITY") {
        options.ssl_mode = SslMode::kVerifyIdentity;
      } else {
        throw ArgumentError("invalid value '" + value +
                            "' for MySQL URL option 'ssl_mode': expected DISABLED, PREFERRED, "
                            "REQUIRED, VERIFY_CA or VERIFY_IDENTITY");
      }
    } else if (key == "ssl_ca") {
      options.ssl_ca = value;
    } else if (key == "ssl_cert") {
      options.ssl_cert = value;
    } else if (key == "ssl_key") {
      options.ssl_key = value;
    } else {
      throw ArgumentError("unknown MySQL URL option '" + key +
                          "'; known options: charset, connect_timeout, read_timeout, "
                          "write_timeout, unix_socket, ssl_mode, ssl_ca, ssl_cert, ssl_key");
    }
  }
  return options;
}

}  // namespace athanor::detail::mysql
