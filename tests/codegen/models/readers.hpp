// Test models in a second header and namespace: readers with a one-to-one membership card, a
// self-referential referral tree, and loans pointing at books of library.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "athanor/model.hpp"
#include "library.hpp"

namespace library::members {

struct Card;
struct Loan;

struct ATHANOR_TABLE("readers") Reader {
  ATHANOR_COLUMN(primary_key) std::int64_t id = 0;
  ATHANOR_COLUMN(length = 100) std::string name;
  ATHANOR_COLUMN(foreign_key = "readers.id", ondelete = "SET NULL")
  std::optional<std::int64_t> referred_by;
  ATHANOR_RELATIONSHIP(back_populates = "reader") athanor::Reference<Card> card;
  ATHANOR_RELATIONSHIP(back_populates = "referrer") athanor::Collection<Reader> referrals;
  ATHANOR_RELATIONSHIP(back_populates = "referrals") athanor::Reference<Reader> referrer;
  ATHANOR_RELATIONSHIP(back_populates = "reader", lazy = raise) athanor::Collection<Loan> loans;
};

struct ATHANOR_TABLE("cards") Card {
  ATHANOR_COLUMN(primary_key) std::int64_t id = 0;
  ATHANOR_COLUMN(foreign_key = "readers.id", unique) std::int64_t reader_id = 0;
  ATHANOR_COLUMN(length = 20, unique) std::string number;
  ATHANOR_RELATIONSHIP(back_populates = "card") athanor::Reference<Reader> reader;
};

struct ATHANOR_TABLE("loans") Loan {
  ATHANOR_COLUMN(primary_key, autoincrement) std::int64_t id = 0;
  ATHANOR_COLUMN(foreign_key = "readers.id") std::int64_t reader_id = 0;
  ATHANOR_COLUMN(foreign_key = "books.id") std::int64_t book_id = 0;
  ATHANOR_COLUMN(foreign_key = "books.id") std::optional<std::int64_t> renewed_from_book_id;
  ATHANOR_RELATIONSHIP(back_populates = "loans") athanor::Reference<Reader> reader;
  ATHANOR_RELATIONSHIP(foreign_keys = "book_id", post_update)
  athanor::Reference<library::Book> book;
};

}  // namespace library::members
