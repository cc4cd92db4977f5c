// Athanor Core: the exception tree's out-of-line parts (engine layer).
#include "athanor/core/error.hpp"

#include <string>

namespace athanor {

namespace {
std::string describe(const DBAPIError::Details& d) {
  std::string text;
  if (!d.sqlstate.empty() || d.native_code != 0) {
    text += "(";
    if (!d.sqlstate.empty()) text += d.sqlstate;
    if (!d.sqlstate.empty() && d.native_code != 0) text += "/";
    if (d.native_code != 0) text += std::to_string(d.native_code);
    text += ") ";
  }
  text += d.message;
  if (!d.sql.empty()) text += "\n[SQL: " + d.sql + "]";
  if (!d.parameters.empty()) text += "\n[parameters: " + d.parameters + "]";
  if (d.connection_invalidated) text += "\n(the connection was lost and has been invalidated)";
  return text;
}
}  // namespace

DBAPIError::DBAPIError(Details details) : Error(describe(details)), details_(std::move(details)) {}

}  // namespace athanor
