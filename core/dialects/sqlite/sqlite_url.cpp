// Athanor Core, sqlite dialect: parsing and validation of sqlite URLs into
// SqliteConnectOptions (see sqlite_url.hpp).
#include "core/dialects/sqlite/sqlite_url.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <iterator>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "athanor/core/error.hpp"

namespace athanor::detail {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

[[noreturn]] void bad_option(std::string_view key, std::string_view value,
                             std::string_view expected) {
  throw ArgumentError(fmt::format("invalid value '{}' for option '{}' in sqlite URL; expected {}",
                                  value, key, expected));
}

}  // namespace

SqliteConnectOptions parse_sqlite_url(const URL& url) {
  if ((url.host && !url.host->empty()) || url.port || url.username || url.password) {
    throw ArgumentError(
        "invalid sqlite URL '" + url.render() +
        "': sqlite takes no host, port or credentials; use sqlite:///relative/path.db, "
        "sqlite:////absolute/path.db or sqlite:///:memory:");
  }
  SqliteConnectOptions options;
  options.path = url.database.value_or("");
  if (options.path.empty()) options.path = kSqliteMemoryPath;
  for (const auto& [key, value] : url.query) {
    const std::string v = lower(value);
    if (key == "mode") {
      if (v == "ro") {
        options.mode = SqliteOpenMode::kReadOnly;
      } else if (v == "rw") {
        options.mode = SqliteOpenMode::kReadWrite;
      } else if (v == "rwc") {
        options.mode = SqliteOpenMode::kReadWriteCreate;
      } else {
        bad_option(key, value, "ro, rw or rwc");
      }
    } else if (key == "timeout") {
      double seconds = -1;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
      if (ec != std::errc() || end != value.data() + value.size() || !std::isfinite(seconds) ||
          seconds < 0 || seconds > 86400.0 * 365) {
        bad_option(key, value, "a number of seconds, e.g. 5 or 0.5");
      }
      options.busy_timeout = std::chrono::milliseconds(std::llround(seconds * 1000));
    } else if (key == "foreign_keys") {
      if (v == "on" || v == "true" || v == "1" || v == "yes") {
        options.foreign_keys = true;
      } else if (v == "off" || v == "false" || v == "0" || v == "no") {
        options.foreign_keys = false;
      } else {
        bad_option(key, value, "on or off");
      }
    } else if (key == "journal_mode") {
      static constexpr std::string_view kModes[] = {"delete", "truncate", "persist",
                                                    "memory", "wal",      "off"};
      if (std::find(std::begin(kModes), std::end(kModes), v) == std::end(kModes)) {
        bad_option(key, value, "delete, truncate, persist, memory, wal or off");
      }
      std::string upper = v;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      options.journal_mode = std::move(upper);
    } else {
      throw ArgumentError(fmt::format(
          "unknown option '{}' in sqlite URL; known options: mode, timeout, foreign_keys, "
          "journal_mode",
          key));
    }
  }
  return options;
}

}  // namespace athanor::detail
