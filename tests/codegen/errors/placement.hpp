// Error cases: annotations where they do not belong, unknown annotations, and structs that
// cannot be models.
#pragma once
#include <cstdint>

#include "athanor/model.hpp"

namespace placement {

struct ATHANOR_TABLE("users") User {
  ATHANOR_COLUMN(primary_key) std::int64_t id = 0;
  ATHANOR_TABLE("nested") std::int64_t table_on_member = 0;
  ATHANOR_COLUMN() static int counter;
  ATHANOR_COLUMN() int method() const { return 0; }
  ATHANOR_COLUMN() ATHANOR_TRANSIENT int both = 0;
  [[clang::annotate("athanor:colum:primary_key")]] int typo = 0;
  ATHANOR_COLUMN(unique) ATHANOR_COLUMN(index) int twice = 0;
  ATHANOR_TRANSIENT int cache = 0;
  enum class Kind { kA ATHANOR_COLUMN() };
};

struct ATHANOR_COLUMN(primary_key) ColumnOnStruct {
  int id = 0;
};

struct NotAModel {
  ATHANOR_COLUMN(primary_key) int id = 0;
};

struct ATHANOR_INDEX("id") IndexWithoutTable {
  int id = 0;
};

ATHANOR_COLUMN() int free_function();

struct Outer {
  struct ATHANOR_TABLE("inner") Inner {
    ATHANOR_COLUMN(primary_key) int id = 0;
  };
};

struct Base {
  int x = 0;
};
struct ATHANOR_TABLE("derived") Derived : Base {
  ATHANOR_COLUMN(primary_key) int id = 0;
};

union ATHANOR_TABLE("unions") Union {
  int id;
  float f;
};

template <class T>
struct ATHANOR_TABLE("templates") Template {
  T id;
};

struct ATHANOR_TABLE("twice") ATHANOR_TABLE("again") Twice {
  ATHANOR_COLUMN(primary_key) int id = 0;
};

}  // namespace placement

namespace {
struct ATHANOR_TABLE("anonymous") Anonymous {
  ATHANOR_COLUMN(primary_key) int id = 0;
};
}  // namespace
