// Downstream program: creates its tables from the generated mapping, stores and loads structs.
#include <iostream>
#include <string>

#include <athanor/core.hpp>

#include "models/library.athanor.hpp"

int main(int argc, char** argv) {
  std::string url = argc > 1 ? argv[1] : "sqlite:///:memory:";
  athanor::Engine engine = athanor::create_engine(url);
  athanor::model_metadata().create_all(engine);
  auto conn = engine.connect();
  shelf::Book book{0, "Solaris", 1961, {}};
  athanor::insert_object(conn, book);
  shelf::Copy copy{0, book.id, shelf::Condition::kLost, {}};
  athanor::insert_object(conn, copy);
  auto lost = athanor::select(shelf::Copy_::table())
                  .where(shelf::Copy_::condition == shelf::Condition::kLost);
  auto copies = athanor::hydrate_all<shelf::Copy>(conn.execute(lost));
  if (copies.size() != 1 || copies[0].book_id != book.id) {
    std::cerr << "unexpected rows\n";
    return 1;
  }
  std::cout << "downstream ok: copy " << copies[0].id << " of \"" << book.title << "\" is "
            << athanor::enum_to_text(copies[0].condition) << "\n";
  return 0;
}
