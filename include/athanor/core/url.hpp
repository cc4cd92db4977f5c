// Athanor Core: database URLs, RFC 1738 style as in SQLAlchemy.
//
//   dialect[+driver]://[user[:password]@][host][:port]/[database][?key=value&...]
//   sqlite:///relative/path.db   sqlite:////absolute/path.db   sqlite:///:memory:   sqlite://
//
// Parsing is the same for every backend; what a backend accepts (a host for SQLite, query
// options) is checked by its Dialect::validate_url.
// User, password, database and query values are percent-decoded. A URL is a plain value; parse()
// throws ArgumentError naming the part that is wrong, its message never showing the password.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace athanor {

struct URL {
  std::string drivername;  // "postgresql", "mysql", "mariadb", "sqlite" (without +driver)
  std::string driver;      // the optional "+driver" part, may be empty
  std::optional<std::string> username;
  std::optional<std::string> password;
  std::optional<std::string> host;
  std::optional<int> port;
  // The part after the first '/' following the host: a database name, or for SQLite the file
  // path (relative; absolute when it starts with '/'), ":memory:", or empty.
  std::optional<std::string> database;
  std::map<std::string, std::string> query;

  // Parses `text`. Throws ArgumentError naming the part that is wrong (scheme, port, ...).
  static URL parse(std::string_view text);

  // The URL as text; the password is rendered as "***" unless `hide_password` is false.
  std::string render(bool hide_password = true) const;

  // `text` with the password (if any) replaced by "***", without validating it.
  static std::string parse_redacted(std::string_view text);
};

}  // namespace athanor
