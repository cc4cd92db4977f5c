// Athanor Core: the column names of a result (SQLAlchemy's result metadata), shared by all its
// rows. Below both the driver interface and Result: a driver that keeps prepared statements
// makes one per statement, and every result of that statement shares it.
// Immutable once made, so it is shared between results and threads without locking.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace athanor {

class RowMetadata {
 public:
  explicit RowMetadata(std::vector<std::string> names) : names_(std::move(names)) {}
  // The metadata of results without columns, shared by all of them.
  static const std::shared_ptr<const RowMetadata>& empty();
  const std::vector<std::string>& names() const noexcept { return names_; }
  std::optional<std::size_t> find(std::string_view name) const noexcept;
  std::size_t index_of(std::string_view name) const;  // throws ArgumentError for unknown names

 private:
  std::vector<std::string> names_;
};

}  // namespace athanor
