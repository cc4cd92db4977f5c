// Athanor Core, postgresql dialect: a postgresql:// URL as libpq connection keywords (see
// postgresql_url.hpp).
#include "core/dialects/postgresql/postgresql_url.hpp"

#include <string>
#include <string_view>
#include <utility>

namespace athanor::detail::pg {

namespace {

// Session settings every connection starts with, as startup options (no extra round trip):
// timestamptz values come back as UTC text, dates in ISO order, floats in round-trip form.
constexpr std::string_view kSessionOptions =
    "-c TimeZone=UTC -c DateStyle=ISO -c extra_float_digits=3";
constexpr const char* kDefaultConnectTimeout = "10";

}  // namespace

ConnectSettings connect_settings(const URL& url) {
  // Keyword/value pairs, never a conninfo string: values need no quoting and cannot inject
  // other settings. Later pairs win, so URL query options override the URL's parts.
  ConnectSettings settings;
  if (url.host && !url.host->empty()) settings.emplace_back("host", *url.host);
  if (url.port) settings.emplace_back("port", std::to_string(*url.port));
  if (url.username) settings.emplace_back("user", *url.username);
  if (url.password) settings.emplace_back("password", *url.password);
  if (url.database && !url.database->empty()) settings.emplace_back("dbname", *url.database);
  settings.emplace_back("client_encoding", "UTF8");
  settings.emplace_back("connect_timeout", kDefaultConnectTimeout);
  std::string options(kSessionOptions);
  for (const auto& [key, value] : url.query) {
    if (key == "options") {
      options += ' ';
      options += value;  // after ours: the caller's settings take precedence
    } else {
      settings.emplace_back(key, value);
    }
  }
  settings.emplace_back("options", std::move(options));
  return settings;
}

}  // namespace athanor::detail::pg
