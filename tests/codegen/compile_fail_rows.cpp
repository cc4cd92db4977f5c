// Compile-fail cases for reading rows into structs (run by run_compile_fail.cmake): a type that
// is neither a mapped model whose generated header is included nor a plain aggregate of column
// value types must be rejected by the one static_assert sentence of athanor/core/result.hpp,
// short, instead of pages of Boost.PFR errors. Case 0 holds the valid counterparts and must
// compile without warnings.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "catalog.hpp"          // a model header whose generated mapper is NOT included
#include "library.athanor.hpp"  // a model header with its generated mapper
#include "readers.hpp"          // models with relationship members, mapper NOT included

namespace {

struct Plain {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::int32_t> born_in;
};

struct WithEnum {
  std::int64_t id = 0;
  catalog::Color color = catalog::Color::kRed;
};

[[maybe_unused]] void read(athanor::Connection& conn) {
  const auto stmt = athanor::select(library::Author_::table());
#if ATHANOR_COMPILE_FAIL_CASE == 0
  library::Author author = conn.execute(stmt).one<library::Author>();
  std::vector<library::Author> authors = conn.execute(stmt).all<library::Author>();
  authors = conn.execute(stmt).as<library::Author>();
  std::optional<library::Author> maybe = conn.execute(stmt).first<library::Author>();
  maybe = conn.execute(stmt).one_or_none<library::Author>();
  author = conn.execute(stmt).one().as<library::Author>();
  Plain plain = conn.execute(stmt).one<Plain>();
  std::vector<Plain> plains = conn.execute(stmt).all<Plain>();
  (void)author;
  (void)plain;
  (void)plains;
#elif ATHANOR_COMPILE_FAIL_CASE == 1
  (void)conn.execute(stmt).one<library::members::Reader>();
#elif ATHANOR_COMPILE_FAIL_CASE == 2
  (void)conn.execute(stmt).all<library::members::Reader>();
#elif ATHANOR_COMPILE_FAIL_CASE == 3
  (void)conn.execute(stmt).first<library::members::Card>();
#elif ATHANOR_COMPILE_FAIL_CASE == 4
  (void)conn.execute(stmt).one().as<library::members::Loan>();
#elif ATHANOR_COMPILE_FAIL_CASE == 5
  (void)conn.execute(stmt).as<catalog::Item>();
#elif ATHANOR_COMPILE_FAIL_CASE == 6
  (void)conn.execute(stmt).one_or_none<WithEnum>();
#elif ATHANOR_COMPILE_FAIL_CASE == 7
  (void)conn.execute(stmt).one<std::vector<int> >();
#endif
}

}  // namespace
