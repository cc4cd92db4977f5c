// Athanor Core, sqlite dialect (private): the connect options of a sqlite URL.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "athanor/core/url.hpp"

namespace athanor::detail {

// The path that names an in-memory database.
inline constexpr std::string_view kSqliteMemoryPath = ":memory:";

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

}  // namespace athanor::detail
