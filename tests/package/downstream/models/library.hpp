// Downstream models: a shelf of books.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <athanor/model.hpp>

#include "common.hpp"

namespace shelf {

struct Copy;

struct ATHANOR_TABLE("shelf_books") Book {
  ATHANOR_COLUMN(primary_key) std::int64_t id = 0;
  ATHANOR_COLUMN(length = 200) std::string title;
  std::optional<std::int32_t> year;
  ATHANOR_RELATIONSHIP(back_populates = "book") athanor::Collection<Copy> copies;
};

struct ATHANOR_TABLE("shelf_copies") Copy {
  ATHANOR_COLUMN(primary_key) std::int64_t id = 0;
  ATHANOR_COLUMN(foreign_key = "shelf_books.id") std::int64_t book_id = 0;
  Condition condition = Condition::kGood;
  ATHANOR_RELATIONSHIP(back_populates = "copies") athanor::Reference<Book> book;
};

}  // namespace shelf
