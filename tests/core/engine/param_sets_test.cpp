// Unit tests: param_sets() and the value assignment it reads objects with (no database).
#include "athanor/core/param_sets.hpp"

#include <gtest/gtest.h>

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "athanor/core/error.hpp"

namespace athanor {
namespace {

struct Person {
  std::string name;
  int age = 0;
  std::optional<double> height;
  bool active = false;
};

TEST(AssignValueTest, ConvertsAsToValueDoes) {
  Value out;
  detail::assign_value(out, 42);
  EXPECT_EQ(out, Value{std::int64_t{42}});
  detail::assign_value(out, 2.5F);
  EXPECT_EQ(out, Value{2.5});
  detail::assign_value(out, true);
  EXPECT_EQ(out, Value{true});
  detail::assign_value(out, std::optional<int>{});
  EXPECT_TRUE(is_null(out));
  detail::assign_value(out, std::optional<int>{7});
  EXPECT_EQ(out, Value{std::int64_t{7}});
  detail::assign_value(out, "text");
  EXPECT_EQ(out, Value{std::string("text")});
  const Bytes bytes{std::byte{0}, std::byte{1}};
  detail::assign_value(out, bytes);
  EXPECT_EQ(out, Value{bytes});
}

// A text assigned over a text keeps the buffer when it fits: rows of an executemany reuse it.
TEST(AssignValueTest, TextReusesTheBufferItHolds) {
  Value out = std::string(100, 'a');
  const char* buffer = std::get<std::string>(out).data();
  detail::assign_value(out, std::string(80, 'b'));
  EXPECT_EQ(std::get<std::string>(out), std::string(80, 'b'));
  EXPECT_EQ(std::get<std::string>(out).data(), buffer);
  detail::assign_value(out, std::string_view("short"));
  EXPECT_EQ(std::get<std::string>(out), "short");
  EXPECT_EQ(std::get<std::string>(out).data(), buffer);
}

TEST(ObjectParamSetsTest, WritesEachObjectsFieldsWhereTold) {
  const std::vector<Person> people{{"ada", 36, 1.65, true}, {"alan", 41, std::nullopt, false}};
  auto sets = param_sets(people, field("name", &Person::name), field("age", &Person::age),
                         field("height", &Person::height),
                         field("label", [](const Person& p) { return p.name + "!"; }));
  EXPECT_EQ(sets.size(), 2u);
  EXPECT_EQ(sets.names(), (std::vector<std::string>{"name", "age", "height", "label"}));

  // Placeholders in another order, one name unused by the statement.
  const std::array<std::size_t, 4> targets{2, 0, ParamSetSource::kUnused, 1};
  std::vector<Value> out(3);
  sets.write(1, out, targets);
  EXPECT_EQ(out[0], Value{std::int64_t{41}});
  EXPECT_EQ(out[1], Value{std::string("alan!")});
  EXPECT_EQ(out[2], Value{std::string("alan")});
  sets.write(0, out, targets);
  EXPECT_EQ(out[2], Value{std::string("ada")});
}

TEST(ObjectParamSetsTest, NamesMustBeGivenOnceAndNotEmpty) {
  const std::vector<Person> people{{"ada", 36, std::nullopt, true}};
  EXPECT_THROW(param_sets(people, field("", &Person::name)), ArgumentError);
  try {
    (void)param_sets(people, field("age", &Person::age), field("age", &Person::active));
    ADD_FAILURE() << "a name given twice was accepted";
  } catch (const ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("'age' is given twice"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace athanor
