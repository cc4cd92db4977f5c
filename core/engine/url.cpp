// Athanor Core: parsing and rendering database URLs (engine layer).
#include "athanor/core/url.hpp"

#include <cctype>
#include <charconv>
#include <string>
#include <string_view>

#include "athanor/core/error.hpp"

namespace athanor {

namespace {

[[noreturn]] void fail(std::string_view url, const std::string& what) {
  throw ArgumentError("invalid database URL '" + URL::parse_redacted(url) + "': " + what);
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view url, std::string_view text, std::string_view part) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    int hi = i + 1 < text.size() ? hex_digit(text[i + 1]) : -1;
    int lo = i + 2 < text.size() ? hex_digit(text[i + 2]) : -1;
    if (hi < 0 || lo < 0) fail(url, "bad percent-escape in the " + std::string(part));
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

// Escapes everything but unreserved characters and those in `keep`.
std::string percent_encode(std::string_view text, std::string_view keep = {}) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
        keep.find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

void parse_query(std::string_view url, std::string_view query, URL& out) {
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (item.empty()) continue;
    std::size_t eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      fail(url, "query option '" + std::string(item) + "' is not of the form key=value");
    }
    out.query[percent_decode(url, item.substr(0, eq), "query")] =
        percent_decode(url, item.substr(eq + 1), "query");
  }
}

}  // namespace

// Renders `text` with any password hidden, for error messages about a URL that did not parse.
std::string URL::parse_redacted(std::string_view text) {
  std::size_t scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) return std::string(text);
  std::size_t netloc_begin = scheme_end + 3;
  std::size_t netloc_end = text.find('/', netloc_begin);
  std::string_view netloc =
      text.substr(netloc_begin, netloc_end == std::string_view::npos ? std::string_view::npos
                                                                     : netloc_end - netloc_begin);
  std::size_t at = netloc.rfind('@');
  if (at == std::string_view::npos) return std::string(text);
  std::size_t colon = netloc.substr(0, at).find(':');
  if (colon == std::string_view::npos) return std::string(text);
  return std::string(text.substr(0, netloc_begin + colon + 1)) + "***" +
         std::string(text.substr(netloc_begin + at));
}

URL URL::parse(std::string_view text) {
  URL out;
  std::size_t scheme_end = text.find("://");
  if (text.empty()) fail(text, "the URL is empty");
  if (scheme_end == std::string_view::npos) {
    fail(text, "missing '<backend>://' at the start (e.g. sqlite:///app.db)");
  }
  std::string_view scheme = text.substr(0, scheme_end);
  if (scheme.empty()) fail(text, "missing backend name before '://'");
  std::size_t plus = scheme.find('+');
  std::string_view name = scheme.substr(0, plus);
  for (char c : scheme) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '_')) {
      fail(text, "backend name '" + std::string(scheme) + "' has invalid characters");
    }
  }
  if (name.empty()) fail(text, "missing backend name before '+'");
  out.drivername = std::string(name);
  if (plus != std::string_view::npos) {
    out.driver = std::string(scheme.substr(plus + 1));
    if (out.driver.empty()) fail(text, "empty driver name after '+'");
  }

  std::string_view rest = text.substr(scheme_end + 3);
  std::size_t qmark = rest.find('?');
  if (qmark != std::string_view::npos) {
    parse_query(text, rest.substr(qmark + 1), out);
    rest = rest.substr(0, qmark);
  }

  std::size_t slash = rest.find('/');
  std::string_view netloc = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    std::string_view db = rest.substr(slash + 1);
    if (!db.empty()) out.database = percent_decode(text, db, "database name");
  }
  std::size_t at = netloc.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = netloc.substr(0, at);
    netloc = netloc.substr(at + 1);
    std::size_t colon = userinfo.find(':');
    out.username = percent_decode(text, userinfo.substr(0, colon), "user name");
    if (colon != std::string_view::npos) {
      out.password = percent_decode(text, userinfo.substr(colon + 1), "password");
    }
  }
  std::string_view host = netloc;
  std::string_view port;
  if (!netloc.empty() && netloc.front() == '[') {  // [IPv6]:port
    std::size_t close = netloc.find(']');
    if (close == std::string_view::npos) fail(text, "unterminated '[' in the host");
    host = netloc.substr(1, close - 1);
    std::string_view after = netloc.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') fail(text, "unexpected text after ']' in the host");
      port = after.substr(1);
      if (port.empty()) fail(text, "empty port after ':'");
    }
  } else {
    std::size_t colon = netloc.rfind(':');
    if (colon != std::string_view::npos) {
      host = netloc.substr(0, colon);
      port = netloc.substr(colon + 1);
      if (port.empty()) fail(text, "empty port after ':'");
    }
  }
  if (!host.empty()) out.host = percent_decode(text, host, "host");
  if (!port.empty()) {
    int value = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || ptr != port.data() + port.size() || value < 1 || value > 65535) {
      fail(text, "port '" + std::string(port) + "' is not a number from 1 to 65535");
    }
    out.port = value;
  }
  return out;
}

std::string URL::render(bool hide_password) const {
  std::string out = drivername;
  if (!driver.empty()) out += "+" + driver;
  out += "://";
  if (username) {
    out += percent_encode(*username);
    if (password) {
      out += ':';
      out += hide_password ? std::string("***") : percent_encode(*password);
    }
    out += '@';
  }
  if (host) {
    const bool ipv6 = host->find(':') != std::string::npos;
    if (ipv6) out += '[';
    out += *host;
    if (ipv6) out += ']';
  }
  if (port) {
    out += ':';
    out += std::to_string(*port);
  }
  if (database) {
    out += '/';
    out += percent_encode(*database, "/:");
  }
  char sep = '?';
  for (const auto& [key, value] : query) {
    out += sep;
    out += percent_encode(key);
    out += '=';
    out += percent_encode(value);
    sep = '&';
  }
  return out;
}

}  // namespace athanor
