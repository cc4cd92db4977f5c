// Mapped structs through Core on every backend: rows read into them by Result and Row (through
// the generated mapper, columns by name), and the one-statement helpers insert_object (server
// defaults left to the database and read back), update_object and delete_object (by primary key,
// composite keys included). The SQL each sends is asserted from the echo, and what it stored is
// read back with plain SQL.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "library.athanor.hpp"
#include "shelves.athanor.hpp"
#include "tests/compliance/fixture.hpp"

namespace {

// Mapped by hand, as athanor-gen would map it, onto a table with implicit_returning off: there
// insert_object must read the server default back with a SELECT by primary key, as it does on a
// backend without RETURNING.
struct Counter {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::int32_t> hits;
};

athanor::MetaData& counter_metadata() {
  static athanor::MetaData metadata;
  return metadata;
}

}  // namespace

template <>
struct athanor::Mapper<Counter> : athanor::MapperBase<Counter> {
  static const Table& table() {
    static const Table& defined = counter_metadata().table(
        "counters",
        {Column("id", BigInteger{}, {.primary_key = true}),
         Column("name", String{40}, {.nullable = false}),
         Column("hits", Integer{}, {.nullable = true, .server_default = "7"})},
        {.implicit_returning = false});
    return defined;
  }
  static std::vector<Value> values(const Counter& object) {
    ColumnWriter writer(3);
    writer.write(object.id);
    writer.write(object.name);
    writer.write(object.hits);
    return writer.take();
  }
  static void load(const ColumnReader& reader, Counter& object) {
    reader.read(0, object.id);
    reader.read(1, object.name);
    reader.read(2, object.hits);
  }
  static std::vector<Value> primary_key(const Counter& object) {
    ColumnWriter writer(1);
    writer.write(object.id);
    return writer.take();
  }
  static std::span<const RelationshipInfo> relationships() { return {}; }
};

namespace {

using athanor::Mapper;
using library::Author;
using library::Author_;
using library::Book;
using library::Book_;
using shelves::Slot;
using shelves::Slot_;

class CoreLevelObjects : public athanor::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    athanor::model_metadata().create_all(engine());
    clear_statements();
  }

  // The SQL statements echoed since the last clear_statements(), parameter lines left out and
  // PostgreSQL's $n placeholders written as ?, so that one expectation fits every backend.
  std::vector<std::string> sql() const {
    std::vector<std::string> out;
    static const std::regex numbered(R"(\$[0-9]+)");
    for (const std::string& line : statements()) {
      if (line.rfind("[parameters:", 0) == 0) continue;
      if (line == "BEGIN (implicit)" || line == "COMMIT" || line == "ROLLBACK") continue;
      out.push_back(std::regex_replace(line, numbered, "?"));
    }
    return out;
  }

  // One independent read of a value, in plain SQL on a fresh connection.
  template <class T>
  T read_back(const std::string& query) {
    auto conn = engine().connect();
    return conn.execute(athanor::text(query)).scalar<T>();
  }

  std::int64_t count(const std::string& table) {
    return read_back<std::int64_t>("SELECT COUNT(*) FROM " + table);
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

// ---- insert_object and server defaults ---------------------------------------------------------

TEST_F(CoreLevelObjects, InsertObjectLeavesUnsetServerDefaultsToTheDatabase) {
  Author author = add_author("Calvino", 1923);
  Book unset{0, author.id, "Marcovaldo", 140, std::nullopt, {}, {}};
  Book given{0, author.id, "Palomar", 126, 2, {}, {}};
  clear_statements();
  {
    auto conn = engine().connect();
    athanor::insert_object(conn, unset);
    athanor::insert_object(conn, given);
    conn.commit();
  }
  // The unset optional's column is not sent: its DEFAULT 0 applies, and comes back with the key.
  EXPECT_EQ(sql(), (std::vector<std::string>{
                       "INSERT INTO books (author_id, title, pages) VALUES (?, ?, ?) "
                       "RETURNING id, stock",
                       "INSERT INTO books (author_id, title, pages, stock) VALUES (?, ?, ?, ?) "
                       "RETURNING id",
                   }));
  EXPECT_GT(unset.id, 0);
  EXPECT_EQ(unset.stock, 0);
  EXPECT_EQ(given.stock, 2);
  EXPECT_EQ(read_back<std::int64_t>("SELECT stock FROM books WHERE title = 'Marcovaldo'"), 0);
  EXPECT_EQ(read_back<std::int64_t>("SELECT stock FROM books WHERE title = 'Palomar'"), 2);
  EXPECT_EQ(read_back<std::int64_t>("SELECT id FROM books WHERE title = 'Marcovaldo'"), unset.id);
}

TEST_F(CoreLevelObjects, InsertObjectReturnsDefaultsOfACompositeKeyRow) {
  Slot unset{"A1", 1, "top", std::nullopt, std::nullopt};
  Slot partly{"A1", 2, "middle", 9, std::nullopt};
  Slot full{"A1", 3, "bottom", 1, std::string("full")};
  {
    auto conn = engine().connect();
    for (Slot* slot : {&unset, &partly, &full}) athanor::insert_object(conn, *slot);
    conn.commit();
  }
  EXPECT_EQ(sql(), (std::vector<std::string>{
                       "INSERT INTO shelf_slots (aisle, bay, label) VALUES (?, ?, ?) "
                       "RETURNING capacity, state",
                       "INSERT INTO shelf_slots (aisle, bay, label, capacity) "
                       "VALUES (?, ?, ?, ?) RETURNING state",
                       "INSERT INTO shelf_slots (aisle, bay, label, capacity, state) "
                       "VALUES (?, ?, ?, ?, ?)",
                   }));
  EXPECT_EQ(unset.capacity, 5);
  EXPECT_EQ(unset.state, "empty");
  EXPECT_EQ(partly.capacity, 9);
  EXPECT_EQ(partly.state, "empty");
  EXPECT_EQ(full.state, "full");
  auto conn = engine().connect();
  std::vector<Slot> rows =
      conn.execute(athanor::select(Slot_::table()).order_by(Slot_::bay)).all<Slot>();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(Mapper<Slot>::values(rows[0]), Mapper<Slot>::values(unset));
  EXPECT_EQ(Mapper<Slot>::values(rows[1]), Mapper<Slot>::values(partly));
  EXPECT_EQ(Mapper<Slot>::values(rows[2]), Mapper<Slot>::values(full));
}

TEST_F(CoreLevelObjects, InsertObjectSelectsDefaultsBackWithoutReturning) {
  (void)Mapper<Counter>::table();  // defines it in counter_metadata()
  counter_metadata().create_all(engine());
  clear_statements();
  Counter unset{0, "unset", std::nullopt};
  Counter given{0, "given", 3};
  {
    auto conn = engine().connect();
    athanor::insert_object(conn, unset);
    athanor::insert_object(conn, given);
    conn.commit();
  }
  // The generated key alone is returned (from RETURNING, or the last-insert-id where the backend
  // has no RETURNING); the default is selected by that key.
  EXPECT_EQ(sql(), (std::vector<std::string>{
                       "INSERT INTO counters (name) VALUES (?) RETURNING id",
                       "SELECT counters.id, counters.hits FROM counters WHERE counters.id = ?",
                       "INSERT INTO counters (name, hits) VALUES (?, ?) RETURNING id",
                   }));
  EXPECT_GT(unset.id, 0);
  EXPECT_EQ(unset.hits, 7);
  EXPECT_EQ(given.hits, 3);
  EXPECT_EQ(read_back<std::int64_t>("SELECT hits FROM counters WHERE name = 'unset'"), 7);
  EXPECT_EQ(read_back<std::int64_t>("SELECT id FROM counters WHERE name = 'unset'"), unset.id);
}

// ---- update_object and delete_object -----------------------------------------------------------

TEST_F(CoreLevelObjects, UpdateObjectSetsEveryColumnButTheKey) {
  Author author = add_author("Le Guin", 1929);
  Book book{0, author.id, "The Dispossesed", 387, 4, {}, {}};
  Book other{0, author.id, "The Lathe of Heaven", 184, 1, {}, {}};
  {
    auto conn = engine().connect();
    athanor::insert_object(conn, book);
    athanor::insert_object(conn, other);
    conn.commit();
  }
  book.title = "The Dispossessed";
  book.stock = std::nullopt;  // an unset optional is stored as NULL by an UPDATE
  clear_statements();
  {
    auto conn = engine().connect();
    EXPECT_EQ(athanor::update_object(conn, book), 1);
    conn.commit();
  }
  EXPECT_EQ(sql(), (std::vector<std::string>{
                       "UPDATE books SET author_id=?, title=?, pages=?, stock=? "
                       "WHERE id = ?",
                   }));
  auto conn = engine().connect();
  std::vector<Book> rows =
      conn.execute(athanor::select(Book_::table()).order_by(Book_::id)).all<Book>();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].title, "The Dispossessed");
  EXPECT_EQ(rows[0].stock, std::nullopt);
  EXPECT_EQ(rows[1].title, "The Lathe of Heaven");
  EXPECT_EQ(rows[1].stock, 1);

  // No row with that key: the row count says so, and nothing is written.
  Book missing = book;
  missing.id = book.id + other.id + 100;
  EXPECT_EQ(athanor::update_object(conn, missing), 0);
  EXPECT_EQ(athanor::update_object(conn, book), 1);  // values unchanged: still matched
  conn.commit();
  EXPECT_EQ(count("books"), 2);
}

TEST_F(CoreLevelObjects, UpdateObjectMatchesEveryColumnOfACompositeKey) {
  Slot a1{"A", 1, "a1", 1, std::string("x")};
  Slot a2{"A", 2, "a2", 2, std::string("y")};
  Slot b1{"B", 1, "b1", 3, std::string("z")};
  {
    auto conn = engine().connect();
    for (Slot* slot : {&a1, &a2, &b1}) athanor::insert_object(conn, *slot);
    conn.commit();
  }
  a2.label = "renamed";
  a2.capacity = 20;
  clear_statements();
  {
    auto conn = engine().connect();
    EXPECT_EQ(athanor::update_object(conn, a2), 1);
    conn.commit();
  }
  EXPECT_EQ(sql(), (std::vector<std::string>{
                       "UPDATE shelf_slots SET label=?, capacity=?, state=? "
                       "WHERE aisle = ? AND bay = ?",
                   }));
  EXPECT_EQ(read_back<std::string>("SELECT label FROM shelf_slots WHERE aisle = 'A' AND bay = 2"),
            "renamed");
  EXPECT_EQ(
      read_back<std::int64_t>("SELECT capacity FROM shelf_slots WHERE aisle = 'A' AND bay = 2"),
      20);
  EXPECT_EQ(read_back<std::string>("SELECT label FROM shelf_slots WHERE aisle = 'A' AND bay = 1"),
            "a1");
  EXPECT_EQ(read_back<std::string>("SELECT label FROM shelf_slots WHERE aisle = 'B' AND bay = 1"),
            "b1");
  Slot c2 = a2;
  c2.aisle = "C";
  auto conn = engine().connect();
  EXPECT_EQ(athanor::update_object(conn, c2), 0);
}

TEST_F(CoreLevelObjects, UpdateObjectRefusesATableOfKeyColumnsOnly) {
  library::BookGenre link{1, 1};
  auto conn = engine().connect();
  try {
    (void)athanor::update_object(conn, link);
    FAIL() << "expected ArgumentError";
  } catch (const athanor::ArgumentError& e) {
    EXPECT_STREQ(e.what(),
                 "cannot update a 'book_genres' object: every column of the table is part of its "
                 "primary key");
  }
  EXPECT_TRUE(sql().empty());
}

TEST_F(CoreLevelObjects, DeleteObjectDeletesTheRowWithItsKey) {
  Author author = add_author("Borges", 1899);
  Book kept{0, author.id, "Ficciones", 174, 1, {}, {}};
  Book gone{0, author.id, "El Aleph", 146, 1, {}, {}};
  {
    auto conn = engine().connect();
    athanor::insert_object(conn, kept);
    athanor::insert_object(conn, gone);
    conn.commit();
  }
  clear_statements();
  {
    auto conn = engine().connect();
    EXPECT_EQ(athanor::delete_object(conn, gone), 1);
    conn.commit();
  }
  EXPECT_EQ(sql(), std::vector<std::string>{"DELETE FROM books WHERE id = ?"});
  EXPECT_EQ(count("books"), 1);
  EXPECT_EQ(read_back<std::string>("SELECT title FROM books"), "Ficciones");
  EXPECT_EQ(gone.title, "El Aleph");  // the object itself is left as it was
  auto conn = engine().connect();
  EXPECT_EQ(athanor::delete_object(conn, gone), 0);
  conn.commit();
  EXPECT_EQ(count("books"), 1);
}

TEST_F(CoreLevelObjects, DeleteObjectMatchesEveryColumnOfACompositeKey) {
  std::vector<Slot> slots = {{"A", 1, "a1", 1, std::nullopt},
                             {"A", 2, "a2", 1, std::nullopt},
                             {"B", 2, "b2", 1, std::nullopt}};
  {
    auto conn = engine().connect();
    for (Slot& slot : slots) athanor::insert_object(conn, slot);
    conn.commit();
  }
  clear_statements();
  auto conn = engine().connect();
  EXPECT_EQ(athanor::delete_object(conn, slots[1]), 1);
  conn.commit();
  EXPECT_EQ(sql(), std::vector<std::string>{"DELETE FROM shelf_slots WHERE aisle = ? AND "
                                            "bay = ?"});
  std::vector<Slot> left =
      conn.execute(athanor::select(Slot_::table()).order_by(Slot_::aisle, Slot_::bay)).all<Slot>();
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[0].label, "a1");
  EXPECT_EQ(left[1].label, "b2");
}

TEST_F(CoreLevelObjects, ObjectStatementsRaiseWhatTheDatabaseRaises) {
  Author author = add_author("Ursula", 1929);
  auto conn = engine().connect();
  // The duplicate key and unique value errors arrive as IntegrityError carrying the statement.
  auto expect_integrity_error = [](auto&& run, const std::string& sql) {
    try {
      run();
      ADD_FAILURE() << "expected IntegrityError from " << sql;
    } catch (const athanor::IntegrityError& e) {
      EXPECT_EQ(e.sql().rfind(sql, 0), 0u) << e.sql();
      EXPECT_FALSE(e.sqlstate().empty() && e.native_code() == 0) << e.what();
    }
  };
  Author twin{author.id, "Someone else", 1930, {}};  // the same primary key
  expect_integrity_error([&] { athanor::insert_object(conn, twin); },
                         "INSERT INTO authors (id, name, born_in)");
  conn.rollback();
  Author other = add_author("Italo", 1923);
  other.name = "Ursula";  // unique
  expect_integrity_error([&] { (void)athanor::update_object(conn, other); },
                         "UPDATE authors SET name=");
  conn.rollback();
  Book book{0, author.id, "Lavinia", 279, std::nullopt, {}, {}};
  athanor::insert_object(conn, book);
  conn.commit();
  EXPECT_EQ(book.stock, 0);
  EXPECT_EQ(count("authors"), 2);
  EXPECT_EQ(
      read_back<std::string>("SELECT name FROM authors WHERE id = " + std::to_string(other.id)),
      "Italo");
}

}  // namespace
