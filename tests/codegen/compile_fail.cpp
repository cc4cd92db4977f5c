// Compile-fail cases for typed column descriptors (run by run_compile_fail.cmake): each case
// compares a column with something of the wrong type, gives values() a value of the wrong type
// for a column, or uses a text operator on a column that is not text, and must not compile.
// Case 0 holds the valid counterparts and must compile without warnings.
#include "catalog.athanor.hpp"
#include "library.athanor.hpp"
#include "options.athanor.hpp"
#include "readers.athanor.hpp"

using catalog::Item_;
using catalog::MaybeItem_;
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
      Item_::label.startswith("a"),
      Item_::label.endswith("a%", {.autoescape = true}),
      Item_::label.contains(Item_::body),
      Item_::label.concat(" x").concat(Item_::body) == "y",
      Item_::label.collate("C") == "x",
      Item_::medium.cast(athanor::String{10}) == "7",
      athanor::and_(Item_::medium == 7, Item_::label == "x"),
      athanor::or_(Item_::medium == 7, Item_::label == "x", Item_::flag == true),
  };
  [[maybe_unused]] athanor::Insert insert_ok = athanor::insert(Item_::table())
                                                   .values({{Item_::medium, 7},
                                                            {Item_::big, std::int64_t{7}},
                                                            {Item_::label, "x"},
                                                            {Item_::body, std::string("y")},
                                                            {Item_::color, catalog::Color::kGreen},
                                                            {Item_::flag, true}});
  [[maybe_unused]] athanor::Insert maybe_ok =
      athanor::insert(MaybeItem_::table())
          .values({{MaybeItem_::medium, std::nullopt},
                   {MaybeItem_::body, std::optional<std::string>("b")}});
  [[maybe_unused]] athanor::Update update_ok =
      athanor::update(Item_::table())
          .values({{Item_::medium, Item_::medium + 1}, {Item_::label, Item_::body}});
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
#elif ATHANOR_COMPILE_FAIL_CASE == 16
  (void)athanor::insert(Item_::table()).values({{Item_::medium, "7"}});
  return Item_::medium == 7;
#elif ATHANOR_COMPILE_FAIL_CASE == 17
  (void)athanor::insert(Item_::table()).values({{Item_::label, 7}});
  return Item_::medium == 7;
#elif ATHANOR_COMPILE_FAIL_CASE == 18
  (void)athanor::insert(Item_::table()).values({{Item_::medium, std::nullopt}});
  return Item_::medium == 7;
#elif ATHANOR_COMPILE_FAIL_CASE == 19
  (void)athanor::update(Item_::table()).values({{Item_::color, 1}});
  return Item_::medium == 7;
#elif ATHANOR_COMPILE_FAIL_CASE == 20
  (void)athanor::insert(Item_::table()).values({{Item_::day, "2024-01-01"}});
  return Item_::medium == 7;
#elif ATHANOR_COMPILE_FAIL_CASE == 21
  (void)athanor::update(Item_::table()).values({{Item_::medium, Item_::label}});
  return Item_::medium == 7;
#elif ATHANOR_COMPILE_FAIL_CASE == 22
  return Item_::medium.startswith("1");
#elif ATHANOR_COMPILE_FAIL_CASE == 23
  return Item_::label.concat(7);
#elif ATHANOR_COMPILE_FAIL_CASE == 24
  return Item_::medium.collate("C");
#elif ATHANOR_COMPILE_FAIL_CASE == 25
  return Item_::label.contains(Item_::medium);
#endif
}
}  // namespace
