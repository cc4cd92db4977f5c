// Error cases: option syntax and option values.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>

#include "athanor/model.hpp"

namespace options {

struct ATHANOR_TABLE("a", coment = "x") A {
  ATHANOR_COLUMN(primary_key) int id = 0;
};
struct ATHANOR_TABLE(users) B {
  ATHANOR_COLUMN(primary_key) int id = 0;
};
struct ATHANOR_TABLE() C {
  ATHANOR_COLUMN(primary_key) int id = 0;
};
struct ATHANOR_TABLE("d", "e") D {
  ATHANOR_COLUMN(primary_key) int id = 0;
};
struct ATHANOR_TABLE("f", info = "not json") F {
  ATHANOR_COLUMN(primary_key) int id = 0;
};
struct ATHANOR_TABLE("g", info = "[1, 2]") G {
  ATHANOR_COLUMN(primary_key) int id = 0;
};

struct ATHANOR_TABLE("h") H {
  ATHANOR_COLUMN(primary_kye) int id = 0;
  ATHANOR_COLUMN(comment) int a = 0;
  ATHANOR_COLUMN(primary_key = "yes") int b = 0;
  ATHANOR_COLUMN(unique, unique) int c = 0;
  ATHANOR_COLUMN(length = 10 comment = "x") std::string d;
  ATHANOR_COLUMN(name = 5) int e = 0;
  ATHANOR_COLUMN(name = "") int f = 0;
  ATHANOR_COLUMN(comment = L"wide") int g = 0;
  ATHANOR_COLUMN(type = Strng) std::string h;
  ATHANOR_COLUMN(type = Text) int i = 0;
  ATHANOR_COLUMN(type = Numeric(10, 12)) double j = 0;
  ATHANOR_COLUMN(type = String(0)) std::string k;
  ATHANOR_COLUMN(type = Text(5)) std::string l;
  ATHANOR_COLUMN(length = -3) std::string m;
  ATHANOR_COLUMN(length = 10) int n = 0;
  ATHANOR_COLUMN(type = String(10), length = 20) std::string o;
  ATHANOR_COLUMN(type = DateTime(timezone)) athanor::LocalTimestamp p{};
  ATHANOR_COLUMN(type = DateTime(zone)) athanor::Timestamp q{};
  ATHANOR_COLUMN(info = R"({"a": })") int r = 0;
  ATHANOR_COLUMN(ondelete = "CASCADE") int s = 0;
  ATHANOR_COLUMN(autoincrement) int t = 0;
  ATHANOR_COLUMN(foreign_key = "users") int u = 0;
  ATHANOR_COLUMN(= 5) int v = 0;
  ATHANOR_COLUMN(type = {Text}) std::string w;
  ATHANOR_COLUMN(default = 5) int x = 0;
  ATHANOR_COLUMN(comment = "a",) int y = 0;
  ATHANOR_COLUMN(type = Numeric(10, 2) @) double z = 0;
};

struct ATHANOR_TABLE("k") ATHANOR_INDEX() ATHANOR_INDEX("nope") ATHANOR_UNIQUE(5) ATHANOR_CHECK()
    ATHANOR_INDEX("id", clustered) K {
  ATHANOR_COLUMN(primary_key, nullable = true, autoincrement) std::string id;
};

}  // namespace options
