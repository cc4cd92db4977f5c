// Compile-fail cases for typed column descriptors (run by run_compile_fail.cmake): each case
// compares a column with something of the wrong type and must not compile. Case 0 holds the
// valid counterparts and must compile without warnings.
#include "catalog.athanor.hpp"
#include "library.athanor.hpp"
#include "options.athanor.hpp"
#include "readers.athanor.hpp"

using catalog::Item_;
using library::Author_;

namespace {
[[maybe_unused]] athanor::ColumnElement expression() {
#if ATHANOR_COMPILE_FAIL_CASE == 0
  std::vector<athanor::ColumnElement> ok = {
      Item_::medium == 7,
      Item_::big<7L, 7 <= Item_::tiny, Item_::amount> 1,
      Item_::label == "x",
      Item_::label != std::string("y"),
      Item_::color == catalog::Color::kGreen,
      Item_::priority == catalog::Priority::kHigh,
      Item_::flag == true,
      Item_::day == std::chrono::sys_days{},
      Item_::uuid == athanor::UuidValue{},
      Item_::medium == Item_::big,
      Author_::birth_year == std::nullopt,
      Author_::birth_year == std::optional<int>(1970),
      Item_::medium.in_({1, 2, 3}),
      Item_::label.like("a%"),
      Item_::big.between(1, 10),
      Item_::label == athanor::func::lower(Item_::body),
  };
  return athanor::and_(ok);
#elif ATHANOR_COMPILE_FAIL_CASE == 1
  return Item_::medium == "7";
#elif ATHANOR_COMPILE_FAIL_CASE == 2
  return Item_::label == 7;
#elif ATHANOR_COMPILE_FAIL_CASE == 3
  return Item_::color == 1;
#elif ATHANOR_COMPILE_FAIL_CASE == 4
  return Item_::color == catalog::Priority::kLow;
#elif ATHANOR_COMPILE_FAIL_CASE == 5
  return Item_::flag == 1;
#elif ATHANOR_COMPILE_FAIL_CASE == 6
  return Item_::medium < 1.5;
#elif ATHANOR_COMPILE_FAIL_CASE == 7
  return Item_::medium == Item_::label;
#elif ATHANOR_COMPILE_FAIL_CASE == 8
  return "x" == Item_::medium;
#elif ATHANOR_COMPILE_FAIL_CASE == 9
  return Item_::created_at == "2024-01-01";
#elif ATHANOR_COMPILE_FAIL_CASE == 10
  return Author_::birth_year < std::nullopt;
#elif ATHANOR_COMPILE_FAIL_CASE == 11
  return Item_::medium != std::string("7");
#elif ATHANOR_COMPILE_FAIL_CASE == 12
  return Item_::label.in_({1, 2});
#elif ATHANOR_COMPILE_FAIL_CASE == 13
  return Item_::medium.like("1%");
#elif ATHANOR_COMPILE_FAIL_CASE == 14
  return Item_::big.between("a", "z");
#elif ATHANOR_COMPILE_FAIL_CASE == 15
  return Item_::uuid == std::string("0000");
#endif
}
}  // namespace
