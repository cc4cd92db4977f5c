// Mapped structs through Core on every backend: rows read into them by Result and Row, through
// the generated mapper, columns by name.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "library.athanor.hpp"
#include "tests/compliance/fixture.hpp"

namespace {

using athanor::Mapper;
using library::Author;
using library::Author_;
using library::Book;
using library::Book_;

class CoreLevelObjects : public athanor::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    athanor::model_metadata().create_all(engine());
    clear_statements();
  }

  Author add_author(const std::string& name, std::optional<std::int32_t> born) {
    Author author{0, name, born, {}};
    auto conn = engine().connect();
    athanor::insert_object(conn, author);
    conn.commit();
    return author;
  }
};

// ---- reading rows into mapped structs ----------------------------------------------------------

TEST_F(CoreLevelObjects, ResultReadsMappedStructsThroughTheirMapper) {
  Author ursula = add_author("Ursula", 1929);
  Author italo = add_author("Italo", std::nullopt);
  auto conn = engine().connect();
  const auto all_authors = athanor::select(Author_::table()).order_by(Author_::id);

  std::vector<Author> rows = conn.execute(all_authors).all<Author>();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].id, ursula.id);
  EXPECT_EQ(rows[0].name, "Ursula");
  EXPECT_EQ(rows[0].birth_year, 1929);
  EXPECT_EQ(rows[1].name, "Italo");
  EXPECT_EQ(rows[1].birth_year, std::nullopt);
  EXPECT_EQ(conn.execute(all_authors).as<Author>().size(), 2u);

  // Columns by name, in whatever order the statement lists them ("born_in" is the column of
  // Author::birth_year).
  auto reordered = athanor::select(Author_::birth_year, Author_::name, Author_::id)
                       .where(Author_::id == ursula.id);
  Author one = conn.execute(reordered).one<Author>();
  EXPECT_EQ(one.id, ursula.id);
  EXPECT_EQ(one.name, "Ursula");
  EXPECT_EQ(one.birth_year, 1929);

  std::optional<Author> first = conn.execute(all_authors).first<Author>();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->name, "Ursula");
  auto nobody = athanor::select(Author_::table()).where(Author_::id == -1);
  EXPECT_FALSE(conn.execute(nobody).first<Author>().has_value());
  EXPECT_FALSE(conn.execute(nobody).one_or_none<Author>().has_value());
  EXPECT_THROW((void)conn.execute(nobody).one<Author>(), athanor::NoResultFound);
  EXPECT_THROW((void)conn.execute(all_authors).one<Author>(), athanor::MultipleResultsFound);
  EXPECT_THROW((void)conn.execute(all_authors).one_or_none<Author>(),
               athanor::MultipleResultsFound);

  athanor::Row row = conn.execute(reordered).one();
  EXPECT_EQ(row.as<Author>().name, "Ursula");
  EXPECT_EQ(std::move(row).as<Author>().birth_year, 1929);

  // A model with relationship members (Book has a Reference and a Collection).
  Book book{0, italo.id, "Palomar", 126, 3, {}, {}};
  athanor::insert_object(conn, book);
  Book back = conn.execute(athanor::select(Book_::table())).one<Book>();
  EXPECT_EQ(back.id, book.id);
  EXPECT_EQ(back.author_id, italo.id);
  EXPECT_EQ(back.title, "Palomar");
  EXPECT_EQ(back.pages, 126);
  EXPECT_EQ(back.stock, 3);
  EXPECT_FALSE(back.author.loaded());
}

TEST_F(CoreLevelObjects, ReadingAMappedStructNamesTheMissingColumn) {
  add_author("Ursula", 1929);
  auto conn = engine().connect();
  try {
    (void)conn.execute(athanor::select(Author_::id, Author_::name)).one<Author>();
    FAIL() << "expected ArgumentError";
  } catch (const athanor::ArgumentError& e) {
    EXPECT_STREQ(e.what(), "cannot load a 'authors' object: the row has no column 'born_in'");
  }
  EXPECT_THROW((void)conn.execute(athanor::select(Author_::id)).all<Author>(),
               athanor::ArgumentError);
}

TEST_F(CoreLevelObjects, PlainAggregatesStillTakeColumnsByPosition) {
  add_author("Ursula", 1929);
  struct NameAndYear {
    std::string name;
    std::optional<std::int32_t> year;
  };
  auto conn = engine().connect();
  NameAndYear got =
      conn.execute(athanor::select(Author_::name, Author_::birth_year)).one<NameAndYear>();
  EXPECT_EQ(got.name, "Ursula");
  EXPECT_EQ(got.year, 1929);
  std::vector<NameAndYear> all =
      conn.execute(athanor::select(Author_::name, Author_::birth_year)).all<NameAndYear>();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].year, 1929);
}

}  // namespace
