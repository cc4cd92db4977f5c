// Error cases: member types and members that cannot be columns.
#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "athanor/model.hpp"

namespace types {

enum Plain { kA, kB };

class ATHANOR_TABLE("t") T {
 public:
  ATHANOR_COLUMN(primary_key) int id = 0;
  std::vector<int> tags;
  char initial = 0;
  long double precise = 0;
  int* pointer = nullptr;
  std::optional<athanor::Reference<T>> maybe;
  std::optional<std::optional<int>> nested;
  std::shared_ptr<T> shared;
  std::chrono::sys_seconds seconds;
  int raw[4];
  Plain plain = kA;
  const int fixed = 0;
  unsigned flags : 3;
  int table = 0;
  ATHANOR_RELATIONSHIP() int not_a_relationship = 0;
  ATHANOR_COLUMN() athanor::Collection<T> column_on_relationship;

 private:
  int secret = 0;
};

}  // namespace types
