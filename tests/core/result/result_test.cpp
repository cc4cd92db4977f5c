// Unit tests of Result and Row over rows fetched already (no database): the flat buffered form
// executemany RETURNING produces, and the checks on its shape.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "athanor/core/error.hpp"
#include "athanor/core/result.hpp"

namespace athanor {
namespace {

std::shared_ptr<const RowMetadata> columns(std::vector<std::string> names) {
  return std::make_shared<const RowMetadata>(std::move(names));
}

TEST(ResultTest, FlatValuesReadBackAsRows) {
  Result result = Result::from_values(
      columns({"id", "name"}),
      {Value(std::int64_t{1}), Value("ann"), Value(std::int64_t{2}), Value("bob")}, 2);
  EXPECT_EQ(result.rowcount(), 2);
  EXPECT_EQ(result.keys(), (std::vector<std::string>{"id", "name"}));
  std::vector<Row> rows = result.all();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].get<std::int64_t>("id"), 1);
  EXPECT_EQ(rows[0].get<std::string>("name"), "ann");
  EXPECT_EQ(rows[1].get<std::int64_t>(0), 2);
  EXPECT_EQ(rows[1].get<std::string>(1), "bob");
  EXPECT_TRUE(result.all().empty());  // each row is read once
}

TEST(ResultTest, FlatValuesIterateScalarsAndFirst) {
  auto metadata = columns({"id"});
  EXPECT_EQ(Result::from_values(metadata, {Value(std::int64_t{7}), Value(std::int64_t{8})})
                .scalars<std::int64_t>(),
            (std::vector<std::int64_t>{7, 8}));
  Result iterated = Result::from_values(metadata, {Value(std::int64_t{3}), Value{}});
  std::vector<std::optional<std::int64_t>> seen;
  for (const Row& row : iterated) seen.push_back(row.get<std::optional<std::int64_t>>(0));
  EXPECT_EQ(seen, (std::vector<std::optional<std::int64_t>>{3, std::nullopt}));
  std::optional<Row> first = Result::from_values(metadata, {Value(std::int64_t{5})}).first();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->get<std::int64_t>(0), 5);
  EXPECT_FALSE(Result::from_values(metadata, {}).first().has_value());
}

TEST(ResultTest, FlatScalarsOfTheWrongTypeNameTheColumn) {
  Result result = Result::from_values(columns({"id", "note"}),
                                      {Value(std::int64_t{1}), Value("a"), Value("x"), Value("b")});
  try {
    (void)result.scalars<std::int64_t>();
    FAIL() << "expected ArgumentError";
  } catch (const ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("'id'"), std::string::npos) << e.what();
  }
}

TEST(ResultTest, FlatValuesMustMakeWholeRows) {
  EXPECT_THROW(Result::from_values(columns({"a", "b"}), {Value(std::int64_t{1})}), ArgumentError);
  EXPECT_THROW(Result::from_values(columns({}), {Value(std::int64_t{1})}), ArgumentError);
  EXPECT_NO_THROW(Result::from_values(columns({}), {}));
}

TEST(ResultTest, RowsMustHaveTheResultsColumnCount) {
  auto metadata = columns({"a", "b"});
  std::vector<Row> rows;
  rows.emplace_back(metadata, std::vector<Value>{Value(std::int64_t{1}), Value(std::int64_t{2})});
  rows.emplace_back(metadata, std::vector<Value>{Value(std::int64_t{3})});
  EXPECT_THROW(Result(metadata, std::move(rows)), ArgumentError);
}

TEST(ResultTest, RowIndexOutOfRangeNamesTheIndexAndWidth) {
  Row row(columns({"a"}), {Value(std::int64_t{1})});
  try {
    (void)row[3];
    FAIL() << "expected ArgumentError";
  } catch (const ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("column index 3 is out of range: the row has 1 columns"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace athanor
