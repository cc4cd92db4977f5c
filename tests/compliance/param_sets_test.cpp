// Compliance: executemany from the application's own objects (param_sets), on every backend.
#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/compliance/fixture.hpp"

namespace athanor::testing {
namespace {

struct Item {
  std::string label;
  int quantity = 0;
  std::optional<double> weight;

  std::string upper_label() const {
    std::string out = label;
    std::transform(out.begin(), out.end(), out.begin(), [](char c) {
      return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    });
    return out;
  }
};

// What a stored row reads back as, through a connection of its own.
struct StoredItem {
  std::int64_t id = 0;
  std::string label;
  std::int64_t quantity = 0;
  std::optional<double> weight;
  friend bool operator==(const StoredItem&, const StoredItem&) = default;
};

class ParamSetsTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    items_ = &metadata_.table("items", {
                                           Column("id", Integer{}, {.primary_key = true}),
                                           Column("label", String{100}, {.nullable = false}),
                                           Column("quantity", Integer{}, {.nullable = false}),
                                           Column("weight", Double{}),
                                       });
    metadata_.create_all(engine());
    clear_statements();
  }

  // Enough rows to span several multi-row INSERT pages (1000 rows) and last-insert-id chunks.
  static std::vector<Item> make_items(int n) {
    std::vector<Item> items;
    for (int i = 0; i < n; ++i) {
      std::optional<double> weight;
      if (i % 3 != 0) weight = i * 0.25;
      // Text of every length around the small-string buffer, so buffers are reused and regrown.
      items.push_back(
          {"item-" + std::string(static_cast<std::size_t>(i % 40), 'x') + std::to_string(i), i,
           weight});
    }
    return items;
  }

  std::vector<StoredItem> stored() {
    auto conn = engine().connect();
    return conn.execute(select(*items_).order_by(items_->c("id"))).as<StoredItem>();
  }

  static auto item_fields(const std::vector<Item>& items) {
    return param_sets(items, field("label", &Item::label), field("quantity", &Item::quantity),
                      field("weight", &Item::weight));
  }

  MetaData metadata_;
  Table* items_ = nullptr;
};

TEST_F(ParamSetsTest, InsertsEveryObjectWithItsValues) {
  const std::vector<Item> items = make_items(2345);
  auto conn = engine().connect();
  Result result = conn.execute(insert(*items_), item_fields(items));
  EXPECT_EQ(result.rowcount(), 2345);
  conn.commit();

  std::vector<StoredItem> rows = stored();
  ASSERT_EQ(rows.size(), items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(rows[i].label, items[i].label);
    EXPECT_EQ(rows[i].quantity, items[i].quantity);
    EXPECT_EQ(rows[i].weight, items[i].weight);
  }
}

// The statements sent are those of the same parameter sets given as std::vector<Params>.
TEST_F(ParamSetsTest, SendsTheStatementsOfTheEquivalentParams) {
  const std::vector<Item> items = make_items(1200);
  std::vector<Params> as_params;
  as_params.reserve(items.size());
  for (const Item& item : items) {
    as_params.push_back(
        {{"label", item.label}, {"quantity", item.quantity}, {"weight", item.weight}});
  }
  auto conn = engine().connect();
  conn.execute(insert(*items_), as_params);
  const std::vector<std::string> from_params = statements();
  conn.rollback();
  clear_statements();
  conn.execute(insert(*items_), item_fields(items));
  EXPECT_EQ(statements(), from_params);
  ASSERT_FALSE(from_params.empty());
}

TEST_F(ParamSetsTest, ReturnsGeneratedIdsInOrder) {
  const std::vector<Item> items = make_items(1500);
  auto conn = engine().connect();
  std::vector<std::int64_t> ids =
      conn.execute(insert(*items_).returning(items_->c("id")), item_fields(items))
          .scalars<std::int64_t>();
  conn.commit();
  ASSERT_EQ(ids.size(), items.size());
  std::vector<StoredItem> rows = stored();
  ASSERT_EQ(rows.size(), items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(rows[i].id, ids[i]);
    EXPECT_EQ(rows[i].label, items[i].label);
  }
}

// Projections may be member functions and callables, whose values are temporaries.
TEST_F(ParamSetsTest, FieldsMayBeMemberFunctionsAndCallables) {
  const std::vector<Item> items = make_items(3);
  auto conn = engine().connect();
  conn.execute(insert(*items_),
               param_sets(items, field("label", &Item::upper_label),
                          field("quantity", [](const Item& item) { return item.quantity * 10; })));
  conn.commit();
  std::vector<StoredItem> rows = stored();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].label, items[1].upper_label());
  EXPECT_EQ(rows[2].quantity, 20);
  EXPECT_EQ(rows[2].weight, std::nullopt);  // not given: NULL
}

// A bindparam read by two placeholders gets the value in both; a statement's own literal is
// kept; the rowcount adds up over the sets.
TEST_F(ParamSetsTest, UpdatesThroughBindparamsReadTwice) {
  const std::vector<Item> items = make_items(20);
  auto conn = engine().connect();
  conn.execute(insert(*items_), item_fields(items));
  struct Change {
    std::int64_t first;
    std::int64_t quantity;
  };
  const std::vector<Change> changes{{1, 100}, {5, 500}};
  auto stmt = update(*items_)
                  .where(items_->c("quantity") >= bindparam("first") &&
                         items_->c("quantity") <= bindparam("first") + 1)
                  .values(std::vector<std::pair<std::string, ColumnElement>>{
                      {"quantity", bindparam("quantity")}, {"label", literal("changed")}});
  Result result = conn.execute(stmt, param_sets(changes, field("first", &Change::first),
                                                field("quantity", &Change::quantity)));
  EXPECT_EQ(result.rowcount(), 4);
  conn.commit();
  std::vector<StoredItem> rows = stored();
  EXPECT_EQ(rows[1].quantity, 100);
  EXPECT_EQ(rows[2].quantity, 100);
  EXPECT_EQ(rows[5].quantity, 500);
  EXPECT_EQ(rows[6].quantity, 500);
  EXPECT_EQ(rows[6].label, "changed");
  EXPECT_EQ(rows[7].quantity, 7);
  EXPECT_EQ(rows[7].label, items[7].label);
}

// One object is a single execution, which reports the inserted primary key.
TEST_F(ParamSetsTest, OneObjectIsASingleExecution) {
  const std::vector<Item> items = make_items(1);
  auto conn = engine().connect();
  Result result = conn.execute(insert(*items_), item_fields(items));
  ASSERT_TRUE(result.inserted_primary_key());
  conn.commit();
  std::vector<StoredItem> rows = stored();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].id, result.inserted_primary_key()->get<std::int64_t>(0));
  EXPECT_EQ(rows[0].label, items[0].label);
}

TEST_F(ParamSetsTest, BadInputIsAnErrorAndChangesNothing) {
  const std::vector<Item> items = make_items(10);
  auto conn = engine().connect();
  const std::vector<Item> none;
  EXPECT_THROW(conn.execute(insert(*items_), item_fields(none)), ArgumentError);
  try {
    (void)param_sets(items, field("label", &Item::label), field("label", &Item::upper_label));
    ADD_FAILURE() << "a field given twice was accepted";
  } catch (const ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("'label' is given twice"), std::string::npos) << e.what();
  }
  // A name that is not a column of the table.
  try {
    conn.execute(insert(*items_),
                 param_sets(items, field("label", &Item::label), field("quantity", &Item::quantity),
                            field("colour", &Item::label)));
    ADD_FAILURE() << "an unknown column was accepted";
  } catch (const ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("no column named 'colour'"), std::string::npos)
        << e.what();
  }
  // A bindparam no field gives.
  auto stmt =
      update(*items_)
          .where(items_->c("id") == bindparam("target"))
          .values(std::vector<std::pair<std::string, ColumnElement>>{{"quantity", literal(0)}});
  try {
    conn.execute(stmt, param_sets(items, field("label", &Item::label)));
    ADD_FAILURE() << "a missing bindparam was accepted";
  } catch (const ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("'target'"), std::string::npos) << e.what();
  }
  // A NOT NULL column given NULL: the whole executemany fails, and the transaction it ran in
  // rolls back to leave nothing.
  try {
    conn.execute(insert(*items_),
                 param_sets(items, field("label", &Item::label),
                            field("quantity", [](const Item& item) -> std::optional<int> {
                              if (item.quantity == 7) return std::nullopt;
                              return item.quantity;
                            })));
    ADD_FAILURE() << "NULL in a NOT NULL column was accepted";
  } catch (const IntegrityError&) {
  }
  conn.rollback();
  EXPECT_TRUE(stored().empty());
  // A projection that throws half way (past the first page of a multi-row INSERT) stops the
  // executemany with its own exception; rolling back leaves nothing.
  const std::vector<Item> many = make_items(1500);
  EXPECT_THROW(
      conn.execute(insert(*items_), param_sets(many, field("label", &Item::label),
                                               field("quantity",
                                                     [](const Item& item) {
                                                       if (item.quantity == 1234) {
                                                         throw std::runtime_error("no quantity");
                                                       }
                                                       return item.quantity;
                                                     }))),
      std::runtime_error);
  conn.rollback();
  EXPECT_TRUE(stored().empty());
  // The connection goes on working.
  conn.execute(insert(*items_), item_fields(items));
  conn.commit();
  EXPECT_EQ(stored().size(), items.size());
}

}  // namespace
}  // namespace athanor::testing
