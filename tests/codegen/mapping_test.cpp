// Generated mappers without a database: tables in the models' MetaData, bind and hydrate,
// snapshot and diff, primary keys, typed column expressions, resolved relationships, enums.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "athanor/core/detail/sql_ast.hpp"
#include "catalog.athanor.hpp"
#include "library.athanor.hpp"
#include "options.athanor.hpp"
#include "readers.athanor.hpp"

namespace {

using namespace std::chrono_literals;
using athanor::Mapper;
using athanor::RelationshipDirection;

template <class A, class B>
concept Comparable = requires(const A& a, const B& b) {
  a == b;
};
template <class A, class B>
concept Ordered = requires(const A& a, const B& b) {
  a < b;
};

// The column-type checks, at compile time (compile_fail.cpp checks that the rejected ones fail
// with a clear error).
using Medium = decltype(catalog::Item_::medium);
using Label = decltype(catalog::Item_::label);
using ColorColumn = decltype(catalog::Item_::color);
using BirthYear = decltype(library::Author_::birth_year);
static_assert(Comparable<Medium, int> && Comparable<Medium, std::int64_t>);
static_assert(Comparable<int, Medium>);
static_assert(!Comparable<Medium, const char*> && !Comparable<const char*, Medium>);
static_assert(!Comparable<Medium, double> && !Comparable<Medium, bool>);
static_assert(Comparable<Label, const char*> && Comparable<Label, std::string>);
static_assert(!Comparable<Label, int>);
static_assert(Comparable<ColorColumn, catalog::Color> && !Comparable<ColorColumn, int>);
static_assert(!Comparable<ColorColumn, catalog::Priority>);
static_assert(Comparable<Medium, decltype(catalog::Item_::big)>);
static_assert(!Comparable<Medium, Label>);
static_assert(Comparable<BirthYear, std::nullopt_t> && !Ordered<BirthYear, std::nullopt_t>);
static_assert(Ordered<Medium, long> && !Ordered<Medium, std::string>);

athanor::Row make_row(std::vector<std::string> names, std::vector<athanor::Value> values) {
  return athanor::Row(std::make_shared<athanor::RowMetadata>(std::move(names)), std::move(values));
}

// A row holding `object`'s columns by name, as select(table) would return them.
template <class T>
athanor::Row row_of(const T& object) {
  std::vector<std::string> names;
  for (const athanor::Column& c : Mapper<T>::table().columns()) names.push_back(c.name());
  return make_row(names, Mapper<T>::values(object));
}

catalog::Item sample_item() {
  catalog::Item item;
  item.id = 7;
  item.flag = true;
  item.tiny = -8;
  item.small = 1600;
  item.medium = -320000;
  item.unsigned_medium = 4000000000u;
  item.big = 9000000000000LL;
  item.ratio = 0.5f;
  item.amount = 1234.25;
  item.label = "label";
  item.body = "a longer body";
  item.payload = {std::byte{0}, std::byte{255}, std::byte{16}};
  item.price = athanor::Decimal{"12.50"};
  item.day = std::chrono::sys_days{std::chrono::year{2024} / 2 / 29};
  item.birthday = std::chrono::year{1990} / 12 / 31;
  item.created_at = athanor::Timestamp{std::chrono::sys_days{std::chrono::year{2024} / 5 / 6}} +
                    7h + 8min + 9s + 123456us;
  item.local_at =
      athanor::LocalTimestamp{std::chrono::local_days{std::chrono::year{2023} / 1 / 2}} + 3h +
      4min + 5s;
  item.opens_at = athanor::TimeOfDay{9h + 30min};
  item.uuid = athanor::UuidValue::parse("12345678-9abc-def0-1234-56789abcdef0");
  item.document = {{"tags", {"a", "b"}}, {"count", 2}};
  item.color = catalog::Color::kBlue;
  item.priority = catalog::Priority::kHigh;
  return item;
}

void expect_same(const catalog::Item& a, const catalog::Item& b) {
  EXPECT_EQ(Mapper<catalog::Item>::values(a), Mapper<catalog::Item>::values(b));
}

TEST(MappingTables, EveryModelIsInTheModelsMetaData) {
  std::vector<std::string> names;
  for (const athanor::Table* t : athanor::model_metadata().tables()) names.push_back(t->name());
  for (const char* expected : {"items", "maybe_items", "authors", "books", "genres", "book_genres",
                               "readers", "cards", "loans", "ledger_accounts", "ledger_entries"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
  EXPECT_EQ(&catalog::Item_::table(), &athanor::model_metadata().get_table("items"));
}

TEST(MappingTables, ColumnsCarryTypesAndOptions) {
  const athanor::Table& items = catalog::Item_::table();
  EXPECT_EQ(items.comment(), "Every member type");
  ASSERT_EQ(items.columns().size(), 22u);  // the transient member is not a column
  auto type_of = [&](const char* name) { return athanor::type_name(items.column(name).type()); };
  EXPECT_EQ(type_of("id"), "BIGINT");
  EXPECT_EQ(type_of("flag"), "BOOLEAN");
  EXPECT_EQ(type_of("tiny"), "SMALLINT");
  EXPECT_EQ(type_of("small"), "SMALLINT");
  EXPECT_EQ(type_of("medium"), "INTEGER");
  EXPECT_EQ(type_of("unsigned_medium"), "BIGINT");
  EXPECT_EQ(type_of("label"), "VARCHAR(80)");
  EXPECT_EQ(type_of("body"), "TEXT");
  EXPECT_EQ(type_of("price"), "NUMERIC(10, 2)");
  EXPECT_EQ(type_of("priority"), "SMALLINT");
  EXPECT_TRUE(items.column("id").primary_key());
  EXPECT_TRUE(items.column("id").autoincrement());
  EXPECT_FALSE(items.column("label").nullable());
  EXPECT_TRUE(catalog::MaybeItem_::table().column("body").nullable());
  const auto* color = std::get_if<athanor::Enum>(&items.column("color").type());
  ASSERT_NE(color, nullptr);
  EXPECT_EQ(color->values, (std::vector<std::string>{"red", "green", "kBlue"}));
  EXPECT_EQ(color->name, "color");

  const athanor::Table& authors = library::Author_::table();
  EXPECT_EQ(authors.info(), nlohmann::json({{"owner", "catalog"}}));
  EXPECT_EQ(authors.column("id").comment(), "Surrogate key");
  EXPECT_NE(authors.find_column("born_in"), nullptr);  // member birth_year, column born_in
  EXPECT_TRUE(authors.column("name").unique());

  const athanor::Table& books = library::Book_::table();
  ASSERT_EQ(books.foreign_keys().size(), 1u);
  EXPECT_EQ(books.foreign_keys()[0].referred_table, "authors");
  EXPECT_EQ(books.foreign_keys()[0].options.ondelete, "CASCADE");
  EXPECT_EQ(books.column("stock").server_default(), "0");
  ASSERT_EQ(books.check_constraints().size(), 1u);
  EXPECT_EQ(books.check_constraints()[0].sqltext, "pages >= 0");
  EXPECT_TRUE(std::any_of(books.indexes().begin(), books.indexes().end(), [](const auto& i) {
    return i.columns == std::vector<std::string>{"author_id", "title"};
  }));

  const athanor::Table& ledger = athanor::model_metadata().get_table("ledger_accounts");
  EXPECT_EQ(ledger.comment(), "Accounts \"kept\" by the ledger\n(v2)");
  EXPECT_FALSE(ledger.column("number").autoincrement());
  EXPECT_TRUE(ledger.column("owner").nullable());
  EXPECT_FALSE(ledger.column("notes").nullable());
  EXPECT_EQ(athanor::type_name(ledger.column("stage").type()), "VARCHAR(8)");
  EXPECT_EQ(ledger.column("limit_cents").info(), nlohmann::json::parse(R"({"unit": "cents",
                                                                           "audited": true})"));
  EXPECT_TRUE(std::any_of(ledger.indexes().begin(), ledger.indexes().end(),
                          [](const auto& i) { return i.name == "ix_ledger_opened" && i.unique; }));
  EXPECT_TRUE(std::any_of(ledger.unique_constraints().begin(), ledger.unique_constraints().end(),
                          [](const auto& u) {
                            return u.name == "uq_ledger_owner_code" &&
                                   u.columns == std::vector<std::string>{"owner", "account_code"};
                          }));
}

TEST(MappingTables, ToJsonDescribesTheModels) {
  nlohmann::json json = athanor::to_json(athanor::model_metadata());
  const nlohmann::json& authors = json["authors"];
  EXPECT_EQ(authors["comment"], "People who write books");
  EXPECT_EQ(authors["info"]["owner"], "catalog");
  const nlohmann::json& books = json["books"];
  ASSERT_EQ(books["foreign_keys"].size(), 1u);
  EXPECT_EQ(books["foreign_keys"][0]["references"], "authors.id");
}

TEST(MappingBind, BindHydrateRoundTrip) {
  catalog::Item item = sample_item();
  athanor::Params params = Mapper<catalog::Item>::bind(item);
  ASSERT_EQ(params.size(), 22u);
  EXPECT_EQ(params[0].name, "id");
  EXPECT_EQ(params[20].name, "color");
  EXPECT_EQ(params[20].value, athanor::Value{std::string("kBlue")});
  EXPECT_EQ(params[21].value, athanor::Value{std::int64_t{10}});  // enum stored as integer

  catalog::Item back = Mapper<catalog::Item>::hydrate(row_of(item));
  expect_same(item, back);
  EXPECT_EQ(back.cached_rank, -1);  // transient members keep their default
}

// values() writes through ColumnWriter, whose common types are converted by compiled code; the
// result must be exactly what to_db() makes of each member.
TEST(MappingBind, ValuesAreWhatToDbMakes) {
  using athanor::IntegerStorage;
  using athanor::to_db;
  catalog::Item item = sample_item();
  std::vector<athanor::Value> expected = {
      to_db(item.id),       to_db(item.flag),
      to_db(item.tiny),     to_db(item.small),
      to_db(item.medium),   to_db(item.unsigned_medium),
      to_db(item.big),      to_db(item.ratio),
      to_db(item.amount),   to_db(item.label),
      to_db(item.body),     to_db(item.payload),
      to_db(item.price),    to_db(item.day),
      to_db(item.birthday), to_db(item.created_at),
      to_db(item.local_at), to_db(item.opens_at),
      to_db(item.uuid),     to_db(item.document),
      to_db(item.color),    to_db<IntegerStorage>(item.priority)};
  EXPECT_EQ(Mapper<catalog::Item>::values(item), expected);
  EXPECT_EQ(Mapper<catalog::Item>::primary_key(item), std::vector{to_db(item.id)});

  catalog::MaybeItem maybe;
  maybe.id = 4;
  auto maybe_values = [](const catalog::MaybeItem& m) {
    return std::vector<athanor::Value>{to_db(m.id),
                                       to_db(m.flag),
                                       to_db(m.medium),
                                       to_db(m.amount),
                                       to_db(m.body),
                                       to_db(m.payload),
                                       to_db(m.day),
                                       to_db(m.created_at),
                                       to_db(m.opens_at),
                                       to_db(m.uuid),
                                       to_db(m.document),
                                       to_db(m.color),
                                       to_db<IntegerStorage>(m.priority)};
  };
  EXPECT_EQ(Mapper<catalog::MaybeItem>::values(maybe), maybe_values(maybe));
  maybe.flag = false;
  maybe.medium = -5;
  maybe.amount = 2.5;
  maybe.body = "body";
  maybe.payload = athanor::Bytes{std::byte{1}};
  maybe.day = item.day;
  maybe.created_at = item.created_at;
  maybe.opens_at = item.opens_at;
  maybe.uuid = item.uuid;
  maybe.document = item.document;
  maybe.color = catalog::Color::kGreen;
  maybe.priority = catalog::Priority::kHigh;
  EXPECT_EQ(Mapper<catalog::MaybeItem>::values(maybe), maybe_values(maybe));
}

TEST(MappingBind, OptionalMembersHoldNull) {
  catalog::MaybeItem empty;
  empty.id = 3;
  for (const athanor::Param& p : Mapper<catalog::MaybeItem>::bind(empty)) {
    if (p.name != "id") {
      EXPECT_TRUE(athanor::is_null(p.value)) << p.name;
    }
  }
  catalog::MaybeItem back = Mapper<catalog::MaybeItem>::hydrate(row_of(empty));
  EXPECT_FALSE(back.color.has_value());
  EXPECT_FALSE(back.body.has_value());

  catalog::MaybeItem full = empty;
  full.color = catalog::Color::kGreen;
  full.priority = catalog::Priority::kLow;
  full.body = "text";
  back = Mapper<catalog::MaybeItem>::hydrate(row_of(full));
  EXPECT_EQ(back.color, catalog::Color::kGreen);
  EXPECT_EQ(back.priority, catalog::Priority::kLow);
  EXPECT_EQ(back.body, "text");
}

TEST(MappingBind, InsertParamsLeaveAnUnsetKeyToTheDatabase) {
  library::Author author;
  author.name = "Le Guin";
  athanor::Params params = Mapper<library::Author>::insert_params(author);
  EXPECT_TRUE(std::none_of(params.begin(), params.end(),
                           [](const athanor::Param& p) { return p.name == "id"; }));
  author.id = 12;
  params = Mapper<library::Author>::insert_params(author);
  EXPECT_EQ(params.front().name, "id");
  // A key that is not autoincrementing is always sent.
  library::BookGenre link;
  EXPECT_EQ(Mapper<library::BookGenre>::insert_params(link).size(), 2u);
}

TEST(MappingBind, InsertParamsLeaveUnsetServerDefaultsToTheDatabase) {
  library::Book book;
  book.title = "Palomar";
  auto names = [](const athanor::Params& params) {
    std::vector<std::string> out;
    for (const athanor::Param& p : params) out.push_back(p.name);
    return out;
  };
  EXPECT_EQ(names(Mapper<library::Book>::insert_params(book)),
            (std::vector<std::string>{"author_id", "title", "pages"}));
  book.stock = 0;
  EXPECT_EQ(names(Mapper<library::Book>::insert_params(book)),
            (std::vector<std::string>{"author_id", "title", "pages", "stock"}));
  // A member that is not optional is always sent, server default or not.
  LedgerAccount account;
  std::vector<std::string> sent = names(Mapper<LedgerAccount>::insert_params(account));
  EXPECT_NE(std::find(sent.begin(), sent.end(), "balance"), sent.end());
  EXPECT_NE(std::find(sent.begin(), sent.end(), "opened_on"), sent.end());
}

// Core reads a mapped struct through its mapper (RowLoader), a plain aggregate by position.
static_assert(athanor::RowLoader<library::Author>::enabled);
static_assert(!athanor::RowLoader<athanor::Row>::enabled);
static_assert(athanor::detail::row_target<library::Book> ==
              athanor::detail::RowTargetKind::kMapped);

TEST(MappingRows, RowAsReadsAMappedStructByColumnName) {
  auto row = make_row({"born_in", "name", "id"},
                      {athanor::Value{std::int64_t{1929}}, athanor::Value{std::string("Ursula")},
                       athanor::Value{std::int64_t{3}}});
  library::Author author = row.as<library::Author>();
  EXPECT_EQ(author.id, 3);
  EXPECT_EQ(author.name, "Ursula");
  EXPECT_EQ(author.birth_year, 1929);
}

TEST(MappingBind, HydrateNamesWhatIsMissingOrWrong) {
  auto row =
      make_row({"id", "name"}, {athanor::Value{std::int64_t{1}}, athanor::Value{std::string("x")}});
  try {
    Mapper<library::Author>::hydrate(row);
    FAIL() << "expected ArgumentError";
  } catch (const athanor::ArgumentError& e) {
    EXPECT_STREQ(e.what(), "cannot load a 'authors' object: the row has no column 'born_in'");
  }
  library::Author partial;
  partial.name = "kept";
  Mapper<library::Author>::hydrate_partial(make_row({"id"}, {athanor::Value{std::int64_t{5}}}),
                                           partial);
  EXPECT_EQ(partial.id, 5);
  EXPECT_EQ(partial.name, "kept");

  catalog::Item item = sample_item();
  const athanor::Row good = row_of(item);
  std::vector<athanor::Value> values = good.values();
  values[20] = athanor::Value{std::string("purple")};
  const athanor::Row bad(good.metadata(), std::move(values));
  try {
    Mapper<catalog::Item>::hydrate(bad);
    FAIL() << "expected ArgumentError";
  } catch (const athanor::ArgumentError& e) {
    EXPECT_STREQ(e.what(), "column 'color': 'purple' is not a label of catalog::Color");
  }
}

TEST(MappingBind, HydrateAtReadsColumnsFromAnOffset) {
  library::Genre genre{4, "Poetry", {}};
  std::vector<athanor::Value> values = {athanor::Value{std::string("before")}};
  for (athanor::Value& v : Mapper<library::Genre>::values(genre)) values.push_back(v);
  auto row = make_row({"x", "id", "name"}, values);
  library::Genre back = Mapper<library::Genre>::hydrate_at(row, 1);
  EXPECT_EQ(back.id, 4);
  EXPECT_EQ(back.name, "Poetry");
  EXPECT_THROW(Mapper<library::Genre>::hydrate_at(row, 2), athanor::ArgumentError);
}

TEST(MappingChanges, SnapshotAndDiff) {
  library::Book book{1, 2, "Title", 100, std::nullopt, {}, {}};
  athanor::Snapshot snapshot = Mapper<library::Book>::snapshot(book);
  EXPECT_TRUE(Mapper<library::Book>::diff(snapshot, book).empty());
  EXPECT_TRUE(Mapper<library::Book>::changes(snapshot, book).empty());
  book.title = "New title";
  book.stock = 3;
  EXPECT_EQ(Mapper<library::Book>::diff(snapshot, book), (std::vector<std::size_t>{2, 4}));
  athanor::Params changes = Mapper<library::Book>::changes(snapshot, book);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].name, "title");
  EXPECT_EQ(changes[0].value, athanor::Value{std::string("New title")});
  EXPECT_EQ(changes[1].name, "stock");
  EXPECT_EQ(changes[1].value, athanor::Value{std::int64_t{3}});
}

TEST(MappingKeys, PrimaryKeyAndCondition) {
  library::BookGenre link{5, 6};
  EXPECT_EQ(Mapper<library::BookGenre>::primary_key(link),
            (std::vector<athanor::Value>{athanor::Value{std::int64_t{5}},
                                         athanor::Value{std::int64_t{6}}}));
  auto statement = athanor::delete_(library::BookGenre_::table())
                       .where(Mapper<library::BookGenre>::match_primary_key(link));
  EXPECT_EQ(athanor::to_string(statement, "sqlite"),
            "DELETE FROM book_genres WHERE book_id = ? AND genre_id = ?");
}

TEST(MappingExpressions, TypedColumnsBuildCoreExpressions) {
  using catalog::Item_;
  auto statement = athanor::select(Item_::id, Item_::label)
                       .where(Item_::color == catalog::Color::kGreen && Item_::medium > 3 &&
                              Item_::label.like("a%") && 5 <= Item_::big)
                       .order_by(Item_::id.desc());
  EXPECT_EQ(athanor::to_string(statement, "postgresql"),
            "SELECT items.id, items.label FROM items WHERE items.color = $1 AND items.medium > $2 "
            "AND items.label LIKE $3 AND $4 <= items.big ORDER BY items.id DESC");
  auto nulls = athanor::select(library::Author_::table())
                   .where(library::Author_::birth_year == std::nullopt);
  EXPECT_NE(athanor::to_string(nulls, "sqlite").find("authors.born_in IS NULL"), std::string::npos);
}

// Typed descriptors name the columns of values() and convert each value as the member is stored
// (an enum as its label, or its number with IntegerStorage); text columns offer the string
// operators.
TEST(MappingExpressions, TypedColumnsAreValuesKeysAndOfferStringOperators) {
  using catalog::Item_;
  auto insert = athanor::insert(Item_::table())
                    .values({{Item_::label, "x"},
                             {Item_::color, catalog::Color::kGreen},
                             {Item_::priority, catalog::Priority::kHigh},
                             {Item_::medium, 7}});
  EXPECT_EQ(athanor::to_string(insert, "sqlite").substr(0, 26), "INSERT INTO items (medium,");
  auto compiled = athanor::detail::compile(insert.state(), *athanor::make_dialect("sqlite"));
  std::vector<athanor::Value> by_key(4);
  for (const athanor::detail::BindSlot& slot : compiled->binds) {
    if (slot.key == "label") by_key[0] = slot.literal.value_or(athanor::Value{});
    if (slot.key == "color") by_key[1] = slot.literal.value_or(athanor::Value{});
    if (slot.key == "priority") by_key[2] = slot.literal.value_or(athanor::Value{});
    if (slot.key == "medium") by_key[3] = slot.literal.value_or(athanor::Value{});
  }
  EXPECT_EQ(by_key, (std::vector<athanor::Value>{std::string("x"), std::string("green"),
                                                 std::int64_t{10}, std::int64_t{7}}));

  auto update = athanor::update(Item_::table())
                    .where(Item_::id == 1)
                    .values({{Item_::medium, Item_::medium + 1}, {Item_::label, Item_::body}});
  EXPECT_EQ(athanor::to_string(update, "postgresql"),
            "UPDATE items SET medium=medium + $1, label=body WHERE id = $2");
  EXPECT_THROW((void)athanor::insert(library::Author_::table()).values({{Item_::label, "x"}}),
               athanor::ArgumentError);

  auto strings = athanor::select(Item_::id).where(
      Item_::label.startswith("a_", {.autoescape = true}) && Item_::body.contains(Item_::label) &&
      Item_::label.concat("!").collate("C") == "b!");
  EXPECT_EQ(athanor::to_string(strings, "mysql"),
            "SELECT items.id FROM items WHERE items.label LIKE ? ESCAPE '/' AND items.body LIKE "
            "CONCAT(?, items.label, ?) AND CONCAT(items.label, ?) COLLATE `C` = ?");
}

TEST(MappingRelationships, DirectionsAndJoinsAreResolved) {
  const auto& posts = library::Author_::books.info();
  EXPECT_EQ(posts.direction, RelationshipDirection::kOneToMany);
  EXPECT_TRUE(posts.uselist);
  EXPECT_FALSE(posts.local_foreign_key);
  ASSERT_EQ(posts.join.size(), 1u);
  EXPECT_EQ(posts.join[0].local, "id");
  EXPECT_EQ(posts.join[0].remote, "author_id");
  EXPECT_EQ(posts.back_populates, "author");
  EXPECT_TRUE(athanor::has_cascade(posts.cascade, athanor::Cascade::kDelete));
  EXPECT_TRUE(athanor::has_cascade(posts.cascade, athanor::Cascade::kDeleteOrphan));
  ASSERT_EQ(posts.order_by.size(), 1u);
  EXPECT_EQ(posts.order_by[0].column, "title");

  const auto& author = library::Book_::author.info();
  EXPECT_EQ(author.direction, RelationshipDirection::kManyToOne);
  EXPECT_TRUE(author.local_foreign_key);
  EXPECT_EQ(author.join[0].local, "author_id");
  EXPECT_EQ(author.join[0].remote, "id");
  ASSERT_EQ(author.foreign_keys.size(), 1u);
  EXPECT_EQ(author.foreign_keys[0], "books.author_id");

  const auto& genres = library::Book_::genres.info();
  EXPECT_EQ(genres.direction, RelationshipDirection::kManyToMany);
  EXPECT_EQ(genres.secondary, "book_genres");
  EXPECT_EQ(genres.join[0].local, "id");
  EXPECT_EQ(genres.join[0].remote, "book_id");
  EXPECT_EQ(genres.secondary_join[0].local, "genre_id");
  EXPECT_EQ(genres.secondary_join[0].remote, "id");
  EXPECT_EQ(genres.lazy, athanor::Lazy::kSelectIn);

  using library::members::Reader_;
  EXPECT_EQ(Reader_::card.info().direction, RelationshipDirection::kOneToOne);
  EXPECT_FALSE(Reader_::card.info().local_foreign_key);
  EXPECT_EQ(library::members::Card_::reader.info().direction, RelationshipDirection::kOneToOne);
  EXPECT_TRUE(library::members::Card_::reader.info().local_foreign_key);
  EXPECT_EQ(Reader_::referrals.info().direction, RelationshipDirection::kOneToMany);
  EXPECT_EQ(Reader_::referrer.info().direction, RelationshipDirection::kManyToOne);
  EXPECT_EQ(Reader_::referrer.info().join[0].local, "referred_by");
  EXPECT_EQ(Reader_::loans.info().lazy, athanor::Lazy::kRaise);

  // A relationship to a struct of another header, disambiguated by foreign_keys.
  const auto& book = library::members::Loan_::book.info();
  EXPECT_EQ(book.target, "books");
  EXPECT_EQ(book.join[0].local, "book_id");
  EXPECT_TRUE(book.post_update);
  static_assert(
      std::is_same_v<std::remove_cvref_t<decltype(library::members::Loan_::book)>::target_type,
                     library::Book>);

  EXPECT_EQ(Mapper<library::Book>::find_relationship("genres"), &genres);
  EXPECT_EQ(Mapper<library::Book>::find_relationship("nope"), nullptr);
}

TEST(MappingEnums, LabelsAndConversions) {
  EXPECT_EQ(athanor::enum_to_text(catalog::Color::kRed), "red");
  EXPECT_EQ(athanor::enum_to_text(catalog::Color::kBlue), "kBlue");
  EXPECT_EQ(athanor::enum_from_text<catalog::Color>("green"), catalog::Color::kGreen);
  EXPECT_EQ(athanor::enum_from_text<catalog::Color>("kGreen"), std::nullopt);
  EXPECT_THROW(athanor::enum_to_text(static_cast<catalog::Color>(42)), athanor::ArgumentError);
  EXPECT_EQ(athanor::to_db(catalog::Color::kGreen), athanor::Value{std::string("green")});
  EXPECT_EQ(athanor::to_db<athanor::IntegerStorage>(catalog::Priority::kHigh),
            athanor::Value{std::int64_t{10}});
}

TEST(MappingModels, CollectionAndReferenceHoldValues) {
  library::Author author{1, "Author", std::nullopt, {}};
  EXPECT_FALSE(author.books.loaded());
  auto book = author.books.add(library::Book{2, 1, "First", 10, std::nullopt, {}, {}});
  EXPECT_TRUE(author.books.loaded());
  EXPECT_EQ(author.books.size(), 1u);
  EXPECT_EQ(author.books[0]->title, "First");
  book->author = std::make_shared<library::Author>(author);
  EXPECT_TRUE(book->author.loaded());
  EXPECT_EQ(book->author->name, "Author");
  EXPECT_TRUE(author.books.remove(book));
  EXPECT_TRUE(author.books.empty());
  book->author.reset();
  EXPECT_FALSE(book->author);
  EXPECT_TRUE(book->author.loaded());
}

}  // namespace
