// Error cases: primary keys, table and column names, foreign keys.
#pragma once
#include <cstdint>
#include <optional>

#include "athanor/model.hpp"

namespace keys {

struct ATHANOR_TABLE("nokey") NoKey {
  int value = 0;
};
struct ATHANOR_TABLE("dup") First {
  ATHANOR_COLUMN(primary_key) int id = 0;
};
struct ATHANOR_TABLE("dup") Second {
  ATHANOR_COLUMN(primary_key) int id = 0;
};
struct ATHANOR_TABLE("cols") Cols {
  ATHANOR_COLUMN(primary_key) int id = 0;
  ATHANOR_COLUMN(name = "id") int other = 0;
};
struct ATHANOR_TABLE("fks") Fks {
  ATHANOR_COLUMN(primary_key) int id = 0;
  ATHANOR_COLUMN(foreign_key = "colz.id") int a = 0;
  ATHANOR_COLUMN(foreign_key = "cols.idd") int b = 0;
  ATHANOR_COLUMN(foreign_key = "cols.id", ondelete = "DESTROY") int c = 0;
  ATHANOR_COLUMN(foreign_key = "cols.id", ondelete = "SET NULL") int d = 0;
  ATHANOR_COLUMN(foreign_key = "cols.id", onupdate = "cascde") std::optional<int> e;
  ATHANOR_COLUMN(foreign_key = "cols.id") std::int64_t wider = 0;
};

}  // namespace keys
