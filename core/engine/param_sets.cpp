// Athanor Core (engine layer): ParamSetSource, the executemany input read from objects.
#include "athanor/core/param_sets.hpp"

#include <algorithm>

#include "athanor/core/error.hpp"

namespace athanor {

ParamSetSource::ParamSetSource(std::vector<std::string> names, std::size_t size)
    : names_(std::move(names)), size_(size) {
  for (auto it = names_.begin(); it != names_.end(); ++it) {
    if (it->empty()) throw ArgumentError("param_sets: a field has an empty name");
    if (std::find(names_.begin(), it, *it) != it) {
      throw ArgumentError("param_sets: the field '" + *it + "' is given twice");
    }
  }
}

}  // namespace athanor
