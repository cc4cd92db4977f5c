// Test models: authors, books, genres and their association, with relationships of every
// direction, spread over two headers (see readers.hpp) and two namespaces.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "athanor/model.hpp"

namespace library {

struct Book;
struct Genre;

struct ATHANOR_TABLE("authors", comment = "People who write books",
                     info = R"({"owner": "catalog"})") Author {
  ATHANOR_COLUMN(primary_key, comment = "Surrogate key") std::int64_t id = 0;
  ATHANOR_COLUMN(length = 120, unique) std::string name;
  ATHANOR_COLUMN(name = "born_in") std::optional<std::int32_t> birth_year;
  ATHANOR_RELATIONSHIP(back_populates = "author", order_by = "title",
                       cascade = "all, delete-orphan")
  athanor::Collection<Book> books;
};

struct ATHANOR_TABLE("books") ATHANOR_INDEX("author_id", "title") ATHANOR_CHECK("pages >= 0") Book {
  ATHANOR_COLUMN(primary_key) std::int64_t id = 0;
  ATHANOR_COLUMN(foreign_key = "authors.id", ondelete = "CASCADE") std::int64_t author_id = 0;
  ATHANOR_COLUMN(length = 200) std::string title;
  std::int32_t pages = 0;
  ATHANOR_COLUMN(server_default = "0") std::optional<std::int32_t> stock;
  ATHANOR_RELATIONSHIP(back_populates = "books") athanor::Reference<Author> author;
  ATHANOR_RELATIONSHIP(secondary = "book_genres", back_populates = "books", lazy = selectin)
  athanor::Collection<Genre> genres;
};

struct ATHANOR_TABLE("genres") Genre {
  ATHANOR_COLUMN(primary_key) std::int32_t id = 0;
  ATHANOR_COLUMN(length = 60, unique) std::string name;
  ATHANOR_RELATIONSHIP(secondary = "book_genres", back_populates = "genres")
  athanor::Collection<Book> books;
};

struct ATHANOR_TABLE("book_genres") BookGenre {
  ATHANOR_COLUMN(primary_key, foreign_key = "books.id", ondelete = "CASCADE")
  std::int64_t book_id = 0;
  ATHANOR_COLUMN(primary_key, foreign_key = "genres.id", ondelete = "CASCADE")
  std::int32_t genre_id = 0;
};

}  // namespace library
