// Athanor Core, postgresql dialect (private): the connect options of a postgresql:// URL.
//
// The URL's parts become libpq keywords (host, port, user, password, dbname); every query option
// is passed through as a libpq keyword too, except `options`, which is appended to the session
// settings every connection starts with. libpq itself validates the keywords when connecting.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "athanor/core/url.hpp"

namespace athanor::detail::pg {

// libpq keyword/value pairs, in order; a later pair overrides an earlier one with the same key.
using ConnectSettings = std::vector<std::pair<std::string, std::string>>;

// The settings PQconnectdbParams receives for `url`.
ConnectSettings connect_settings(const URL& url);

}  // namespace athanor::detail::pg
