// Uses an Athanor built with SQLite only: a round trip through SQLite, and a clear error for a
// backend the build left out. Prints "sqlite-only ok" on success.
#include <athanor/core.hpp>

#include <cstdlib>
#include <iostream>
#include <string>

namespace {

int fail(const std::string& what) {
  std::cerr << "sqlite_only: " << what << "\n";
  return EXIT_FAILURE;
}

}  // namespace

int main() {
  if (athanor::available_backends() != std::vector<std::string>{"sqlite"}) {
    return fail("available_backends() is not {sqlite}");
  }
  auto engine = athanor::create_engine("sqlite:///:memory:");
  athanor::MetaData metadata;
  athanor::Table& notes =
      metadata.table("notes", {athanor::Column("id", athanor::Integer{}, {.primary_key = true}),
                               athanor::Column("body", athanor::Text{}, {.nullable = false})});
  metadata.create_all(engine);
  engine.begin([&](athanor::Connection& conn) {
    conn.execute(athanor::insert(notes).values({{"body", "kept"}}));
  });
  auto conn = engine.connect();
  auto body = conn.execute(athanor::select(notes.c("body"))).scalar<std::string>();
  if (body != "kept") return fail("read back '" + body + "'");

  for (const char* url : {"postgresql://u:p@127.0.0.1/db", "mariadb://u:p@127.0.0.1/db"}) {
    try {
      athanor::create_engine(url);
      return fail(std::string("create_engine accepted ") + url);
    } catch (const athanor::ArgumentError& e) {
      const std::string message = e.what();
      if (message.find("not part of this Athanor build") == std::string::npos ||
          message.find("-DATHANOR_WITH_") == std::string::npos) {
        return fail("unclear error for " + std::string(url) + ": " + message);
      }
    }
  }
  std::cout << "sqlite-only ok\n";
  return EXIT_SUCCESS;
}
