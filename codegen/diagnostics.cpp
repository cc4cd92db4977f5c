// athanor-gen: the error list (see diagnostics.hpp).
#include "codegen/diagnostics.hpp"

#include <algorithm>
#include <tuple>

namespace athanor::gen {

void Diagnostics::error(SourceLocation location, std::string message) {
  errors_.push_back(Diagnostic{std::move(location), std::move(message)});
}

void Diagnostics::print(std::ostream& out) const {
  std::vector<Diagnostic> sorted = errors_;
  auto key = [](const Diagnostic& d) {
    return std::tie(d.location.file, d.location.line, d.location.column, d.message);
  };
  std::stable_sort(sorted.begin(), sorted.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
  sorted.erase(
      std::unique(sorted.begin(), sorted.end(),
                  [&](const Diagnostic& a, const Diagnostic& b) { return key(a) == key(b); }),
      sorted.end());
  for (const Diagnostic& d : sorted) {
    if (d.location.valid()) out << to_string(d.location) << ": ";
    out << "error: " << d.message << '\n';
  }
}

std::string to_string(const SourceLocation& location) {
  std::string out = location.file;
  if (location.line > 0) {
    out += ':' + std::to_string(location.line);
    if (location.column > 0) out += ':' + std::to_string(location.column);
  }
  return out;
}

}  // namespace athanor::gen
