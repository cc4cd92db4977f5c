// Generated mappers used through Core, before any Session exists, on every backend: tables
// created from the models, structs inserted and selected back with typed where clauses.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "catalog.athanor.hpp"
#include "library.athanor.hpp"
#include "options.athanor.hpp"
#include "readers.athanor.hpp"
#include "tests/compliance/fixture.hpp"

namespace {

using namespace std::chrono_literals;
using athanor::Mapper;

class CoreLevel : public athanor::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    athanor::model_metadata().create_all(engine());
    clear_statements();
  }

  template <class T>
  void insert(const T& object) {
    auto conn = engine().connect();
    conn.execute(athanor::insert(Mapper<T>::table()).values(Mapper<T>::bind(object)));
    conn.commit();
  }

  template <class T>
  std::vector<T> select_where(const athanor::ColumnElement& condition,
                              const athanor::ColumnElement& order) {
    auto conn = engine().connect();
    return athanor::hydrate_all<T>(
        conn.execute(athanor::select(Mapper<T>::table()).where(condition).order_by(order)));
  }

  bool logged(const std::string& fragment) const {
    auto lines = statements();
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& line) {
      return line.find(fragment) != std::string::npos;
    });
  }
};

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
  item.body = std::string(300, 'b') + " \"quoted\" \xC3\xA9";
  item.payload = {std::byte{0}, std::byte{255}, std::byte{16}};
  item.price = athanor::Decimal{"12.50"};
  item.day = std::chrono::sys_days{std::chrono::year{2024} / 2 / 29};
  item.birthday = std::chrono::year{1990} / 12 / 31;
  item.created_at = athanor::Timestamp{std::chrono::sys_days{std::chrono::year{2024} / 5 / 6}} +
                    7h + 8min + 9s + 123456us;
  item.local_at =
      athanor::LocalTimestamp{std::chrono::local_days{std::chrono::year{2023} / 1 / 2}} + 3h +
      4min + 5s + 250000us;
  item.opens_at = athanor::TimeOfDay{9h + 30min + 15s};
  item.uuid = athanor::UuidValue::parse("12345678-9abc-def0-1234-56789abcdef0");
  item.document = {{"tags", {"a", "b"}}, {"count", 2}, {"nested", {{"ok", true}}}};
  item.color = catalog::Color::kBlue;
  item.priority = catalog::Priority::kHigh;
  return item;
}

TEST_F(CoreLevel, CreatesEveryTableFromTheModels) {
  athanor::Inspector inspector(engine());
  std::vector<std::string> names = inspector.get_table_names();
  for (const char* expected : {"items", "maybe_items", "authors", "books", "genres", "book_genres",
                               "readers", "cards", "loans", "ledger_accounts", "ledger_entries"}) {
    EXPECT_TRUE(std::find(names.begin(), names.end(), expected) != names.end()) << expected;
  }
  std::vector<athanor::ReflectedForeignKey> fks = inspector.get_foreign_keys("books");
  ASSERT_EQ(fks.size(), 1u);
  EXPECT_EQ(fks[0].columns, std::vector<std::string>{"author_id"});
  EXPECT_EQ(fks[0].referred_table, "authors");
  EXPECT_EQ(fks[0].ondelete, "CASCADE");
  EXPECT_EQ(inspector.get_pk_constraint("book_genres").columns,
            (std::vector<std::string>{"book_id", "genre_id"}));
  std::vector<athanor::ReflectedColumn> columns = inspector.get_columns("authors");
  auto born = std::find_if(columns.begin(), columns.end(),
                           [](const auto& c) { return c.name == "born_in"; });
  ASSERT_NE(born, columns.end());
  EXPECT_TRUE(born->nullable);
  // The models' MetaData drops cleanly too (foreign keys in reverse order).
  athanor::model_metadata().drop_all(engine());
  EXPECT_FALSE(athanor::Inspector(engine()).has_table("books"));
}

TEST_F(CoreLevel, EveryMemberTypeRoundTrips) {
  catalog::Item item = sample_item();
  insert(item);
  std::vector<catalog::Item> rows =
      select_where<catalog::Item>(catalog::Item_::id == 7, catalog::Item_::id);
  ASSERT_EQ(rows.size(), 1u);
  const catalog::Item& back = rows[0];
  EXPECT_EQ(back.id, item.id);
  EXPECT_EQ(back.flag, item.flag);
  EXPECT_EQ(back.tiny, item.tiny);
  EXPECT_EQ(back.small, item.small);
  EXPECT_EQ(back.medium, item.medium);
  EXPECT_EQ(back.unsigned_medium, item.unsigned_medium);
  EXPECT_EQ(back.big, item.big);
  EXPECT_FLOAT_EQ(back.ratio, item.ratio);
  EXPECT_DOUBLE_EQ(back.amount, item.amount);
  EXPECT_EQ(back.label, item.label);
  EXPECT_EQ(back.body, item.body);
  EXPECT_EQ(back.payload, item.payload);
  EXPECT_DOUBLE_EQ(std::stod(back.price.text), 12.5);
  EXPECT_EQ(back.day, item.day);
  EXPECT_EQ(back.birthday, item.birthday);
  EXPECT_EQ(back.created_at, item.created_at);
  EXPECT_EQ(back.local_at, item.local_at);
  EXPECT_EQ(back.opens_at, item.opens_at);
  EXPECT_EQ(back.uuid, item.uuid);
  EXPECT_EQ(back.document, item.document);
  EXPECT_EQ(back.color, item.color);
  EXPECT_EQ(back.priority, item.priority);
  EXPECT_EQ(back.cached_rank, -1);
}

TEST_F(CoreLevel, EnumsAreStoredAsLabelsOrIntegers) {
  insert(sample_item());
  auto conn = engine().connect();
  athanor::Row row = conn.execute(athanor::text("SELECT color, priority FROM items")).one();
  EXPECT_EQ(row.get<std::string>(0), "kBlue");
  EXPECT_EQ(row.get<int>(1), 10);
}

TEST_F(CoreLevel, OptionalMembersRoundTripNullAndValues) {
  catalog::MaybeItem empty;
  empty.id = 1;
  catalog::MaybeItem full;
  full.id = 2;
  full.flag = false;
  full.medium = 0;
  full.amount = -2.5;
  full.body = "";
  full.payload = athanor::Bytes{std::byte{1}};
  full.day = std::chrono::sys_days{std::chrono::year{2000} / 1 / 1};
  full.created_at = athanor::Timestamp{std::chrono::sys_days{std::chrono::year{2001} / 2 / 3}};
  full.opens_at = athanor::TimeOfDay{0us};
  full.uuid = athanor::UuidValue::parse("00000000-0000-0000-0000-000000000001");
  full.document = nlohmann::json::array({1, 2, 3});
  full.color = catalog::Color::kRed;
  full.priority = catalog::Priority::kLow;
  insert(empty);
  insert(full);
  std::vector<catalog::MaybeItem> rows =
      select_where<catalog::MaybeItem>(catalog::MaybeItem_::id > 0, catalog::MaybeItem_::id);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(Mapper<catalog::MaybeItem>::values(rows[0]), Mapper<catalog::MaybeItem>::values(empty));
  EXPECT_EQ(rows[1].flag, false);
  EXPECT_EQ(rows[1].medium, 0);
  EXPECT_EQ(rows[1].amount, -2.5);
  EXPECT_EQ(rows[1].body, "");
  EXPECT_EQ(rows[1].payload, full.payload);
  EXPECT_EQ(rows[1].day, full.day);
  EXPECT_EQ(rows[1].created_at, full.created_at);
  EXPECT_EQ(rows[1].opens_at, full.opens_at);
  EXPECT_EQ(rows[1].uuid, full.uuid);
  EXPECT_EQ(rows[1].document, full.document);
  EXPECT_EQ(rows[1].color, catalog::Color::kRed);
  EXPECT_EQ(rows[1].priority, catalog::Priority::kLow);

  // == std::nullopt is IS NULL.
  std::vector<catalog::MaybeItem> nulls = select_where<catalog::MaybeItem>(
      catalog::MaybeItem_::color == std::nullopt, catalog::MaybeItem_::id);
  ASSERT_EQ(nulls.size(), 1u);
  EXPECT_EQ(nulls[0].id, 1);
  EXPECT_TRUE(logged("maybe_items.color IS NULL"));
}

TEST_F(CoreLevel, InsertObjectWritesBackTheGeneratedKey) {
  library::Author first{0, "Ursula", 1929, {}};
  library::Author second{0, "Italo", 1923, {}};
  {
    auto conn = engine().connect();
    athanor::insert_object(conn, first);
    athanor::insert_object(conn, second);
    conn.commit();
  }
  EXPECT_GT(first.id, 0);
  EXPECT_GT(second.id, first.id);
  std::vector<library::Author> rows =
      select_where<library::Author>(library::Author_::id == second.id, library::Author_::id);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].name, "Italo");
  EXPECT_EQ(rows[0].birth_year, 1923);
}

TEST_F(CoreLevel, TypedWhereClausesSelectStructs) {
  library::Author author{0, "Borges", 1899, {}};
  library::Author other{0, "Calvino", std::nullopt, {}};
  {
    auto conn = engine().connect();
    athanor::insert_object(conn, author);
    athanor::insert_object(conn, other);
    for (auto [title, pages] : std::vector<std::pair<std::string, int>>{
             {"Ficciones", 174}, {"El Aleph", 146}, {"Atlas", 90}}) {
      library::Book book{0, author.id, title, pages, std::nullopt, {}, {}};
      athanor::insert_object(conn, book);
    }
    library::Book cities{0, other.id, "Le citta invisibili", 165, 4, {}, {}};
    athanor::insert_object(conn, cities);
    conn.commit();
  }
  using library::Book_;
  std::vector<library::Book> long_books = select_where<library::Book>(
      Book_::author_id == author.id && Book_::pages > 100, Book_::title);
  ASSERT_EQ(long_books.size(), 2u);
  EXPECT_EQ(long_books[0].title, "El Aleph");
  EXPECT_EQ(long_books[1].title, "Ficciones");
  EXPECT_EQ(long_books[0].author_id, author.id);
  // insert_object left the unset optional stock to its server default.
  EXPECT_EQ(long_books[0].stock, 0);

  std::vector<library::Book> matched = select_where<library::Book>(
      Book_::title.like("%i%") && Book_::pages.between(100, 170), Book_::id);
  ASSERT_EQ(matched.size(), 1u);
  EXPECT_EQ(matched[0].title, "Le citta invisibili");
  EXPECT_EQ(matched[0].stock, 4);

  std::vector<library::Author> unknown_birth = select_where<library::Author>(
      library::Author_::birth_year == std::nullopt, library::Author_::id);
  ASSERT_EQ(unknown_birth.size(), 1u);
  EXPECT_EQ(unknown_birth[0].name, "Calvino");

  std::vector<library::Book> listed =
      select_where<library::Book>(Book_::title.in_({"Atlas", "Nothing"}), Book_::id);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].pages, 90);

  // A join along the foreign key the generator resolved for Author::books.
  auto conn = engine().connect();
  const athanor::RelationshipInfo& books = library::Author_::books.info();
  auto statement = athanor::select(library::Author_::name, athanor::func::count())
                       .select_from(library::Author_::table())
                       .join(Book_::table(), library::Author_::table().c(books.join[0].local) ==
                                                 Book_::table().c(books.join[0].remote))
                       .group_by(library::Author_::name)
                       .order_by(library::Author_::name);
  std::vector<athanor::Row> counts = conn.execute(statement).all();
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_EQ(counts[0].get<std::string>(0), "Borges");
  EXPECT_EQ(counts[0].get<int>(1), 3);
  EXPECT_EQ(counts[1].get<int>(1), 1);
}

TEST_F(CoreLevel, UpdatesOnlyTheChangedColumns) {
  library::Author author{0, "Le Guin", 1929, {}};
  library::Book book{0, 0, "The Dispossessed", 387, std::nullopt, {}, {}};
  {
    auto conn = engine().connect();
    athanor::insert_object(conn, author);
    book.author_id = author.id;
    athanor::insert_object(conn, book);
    conn.commit();
  }
  athanor::Snapshot snapshot = Mapper<library::Book>::snapshot(book);
  book.pages = 400;
  clear_statements();
  {
    auto conn = engine().connect();
    conn.execute(athanor::update(library::Book_::table())
                     .where(Mapper<library::Book>::match_primary_key(book))
                     .values(Mapper<library::Book>::changes(snapshot, book)));
    conn.commit();
  }
  EXPECT_TRUE(logged("UPDATE books SET pages="));
  EXPECT_FALSE(logged("title="));
  std::vector<library::Book> rows =
      select_where<library::Book>(library::Book_::id == book.id, library::Book_::id);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].pages, 400);
  EXPECT_EQ(rows[0].title, "The Dispossessed");
}

TEST_F(CoreLevel, ManyToManyThroughTheAssociationModel) {
  library::Author author{0, "Rilke", 1875, {}};
  library::Book book{0, 0, "Duino Elegies", 80, std::nullopt, {}, {}};
  library::Genre poetry{1, "Poetry", {}};
  library::Genre classics{2, "Classics", {}};
  library::Genre unused{3, "Unused", {}};
  {
    auto conn = engine().connect();
    athanor::insert_object(conn, author);
    book.author_id = author.id;
    athanor::insert_object(conn, book);
    for (const library::Genre* g : {&poetry, &classics, &unused}) {
      conn.execute(
          athanor::insert(library::Genre_::table()).values(Mapper<library::Genre>::bind(*g)));
    }
    for (int genre : {1, 2}) {
      conn.execute(
          athanor::insert(library::BookGenre_::table())
              .values(Mapper<library::BookGenre>::bind(library::BookGenre{book.id, genre})));
    }
    conn.commit();
  }
  auto conn = engine().connect();
  auto statement = athanor::select(library::Genre_::table())
                       .join(library::BookGenre_::table())
                       .where(library::BookGenre_::book_id == book.id)
                       .order_by(library::Genre_::name);
  std::vector<library::Genre> genres =
      athanor::hydrate_all<library::Genre>(conn.execute(statement));
  ASSERT_EQ(genres.size(), 2u);
  EXPECT_EQ(genres[0].name, "Classics");
  EXPECT_EQ(genres[1].name, "Poetry");
}

}  // namespace
