// athanor-gen: source locations and the error list every stage reports into.
//
// Errors are collected rather than thrown, so that one run reports every problem it can find;
// the driver prints them as `file:line:col: error: message` (the form compilers and IDEs parse)
// and writes nothing when there is any.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace athanor::gen {

struct SourceLocation {
  std::string file;  // absolute path
  unsigned line = 0;
  unsigned column = 0;

  bool valid() const noexcept { return !file.empty(); }
};

struct Diagnostic {
  SourceLocation location;
  std::string message;
};

class Diagnostics {
 public:
  void error(SourceLocation location, std::string message);

  bool empty() const noexcept { return errors_.empty(); }
  std::size_t size() const noexcept { return errors_.size(); }
  const std::vector<Diagnostic>& errors() const noexcept { return errors_; }

  // Prints every error, in file and line order, duplicates removed.
  void print(std::ostream& out) const;

 private:
  std::vector<Diagnostic> errors_;
};

// "file:line:col" (or the file alone when line is 0).
std::string to_string(const SourceLocation& location);

}  // namespace athanor::gen
