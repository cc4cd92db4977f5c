// Sample: a tour of Athanor Core on `users` and `addresses` linked by a foreign key:
// commit-as-you-go, engine.begin(), select with where / join / group by / order by, update,
// delete, and a rolled-back transaction that leaves nothing behind.
//
//   athanor_sample_core_tour [URL]     (default: sqlite:///:memory:)
#include <iostream>

#include "athanor/core.hpp"

using namespace athanor;

int main(int argc, char** argv) {
  const std::string url = argc > 1 ? argv[1] : "sqlite:///:memory:";
  try {
    auto engine = create_engine(url);
    MetaData metadata;
    Table& users = metadata.table(
        "users", {
                     Column("id", Integer{}, {.primary_key = true}),
                     Column("name", String{50}, {.nullable = false}),
                     Column("email", String{255}, {.nullable = false, .unique = true}),
                 });
    Table& addresses = metadata.table(
        "addresses",
        {
            Column("id", Integer{}, {.primary_key = true}),
            Column("user_id", Integer{}, ForeignKey("users.id", {.ondelete = "CASCADE"}),
                   {.nullable = false}),
            Column("city", String{100}, {.nullable = false}),
        });
    metadata.drop_all(engine);
    metadata.create_all(engine);

    // 1. Commit as you go: the connection begins a transaction on first use.
    {
      auto conn = engine.connect();
      conn.execute(insert(users), std::vector<Params>{
                                      {{"name", "jan"}, {"email", "jan@sirus.ai"}},
                                      {{"name", "ada"}, {"email", "ada@example.org"}},
                                      {{"name", "linus"}, {"email", "linus@example.org"}},
                                  });
      conn.commit();
      std::cout << "1. inserted 3 users and committed\n";
    }

    // 2. engine.begin(): commits when the function returns.
    engine.begin([&](Connection& conn) {
      auto id_of = [&](const char* name) {
        return conn.execute(select(users.c("id")).where(users.c("name") == name)).scalar<int>();
      };
      conn.execute(insert(addresses), std::vector<Params>{
                                          {{"user_id", id_of("jan")}, {"city", "Prague"}},
                                          {{"user_id", id_of("jan")}, {"city", "Brno"}},
                                          {{"user_id", id_of("ada")}, {"city", "London"}},
                                      });
    });
    std::cout << "2. inserted 3 addresses in engine.begin()\n";

    auto conn = engine.connect();
    // 3. A join with GROUP BY and ORDER BY.
    auto per_user = select(users.c("name"), func::count(addresses.c("id")).label("n"))
                        .select_from(users.outerjoin(addresses))
                        .group_by(users.c("name"))
                        .order_by(desc(func::count(addresses.c("id"))), users.c("name"));
    std::cout << "3. addresses per user:\n";
    for (const Row& row : conn.execute(per_user)) {
      std::cout << "   " << row.get<std::string>("name") << ": " << row.get<int>("n") << "\n";
    }
    std::cout << "   SQL: " << to_string(per_user, engine.dialect()) << "\n";

    // 4. WHERE with LIKE and IN.
    auto some =
        select(users.c("email"))
            .where(users.c("email").like("%example.org") && users.c("name").in_({"ada", "linus"}))
            .order_by(users.c("email"));
    std::cout << "4. example.org users: ";
    for (const auto& email : conn.execute(some).scalars<std::string>()) std::cout << email << " ";
    std::cout << "\n";

    // 5. UPDATE and DELETE report the rows they touched.
    auto renamed = conn.execute(
        update(users).where(users.c("name") == "linus").values({{"name", "torvalds"}}));
    auto removed = conn.execute(delete_(addresses).where(addresses.c("city") == "Brno"));
    conn.commit();
    std::cout << "5. updated " << renamed.rowcount() << " user, deleted " << removed.rowcount()
              << " address\n";

    // 6. A transaction that fails is rolled back and leaves nothing behind.
    auto before = conn.execute(select(func::count()).select_from(users)).scalar<int>();
    conn.commit();
    try {
      engine.begin([&](Connection& tx) {
        tx.execute(insert(users).values({{"name", "ghost"}, {"email", "ghost@example.org"}}));
        tx.execute(insert(users).values({{"name", "dup"}, {"email", "jan@sirus.ai"}}));  // unique!
      });
    } catch (const IntegrityError& e) {
      std::cout << "6. the transaction failed (IntegrityError, SQLSTATE '" << e.sqlstate()
                << "') and was rolled back\n";
    }
    auto after = conn.execute(select(func::count()).select_from(users)).scalar<int>();
    std::cout << "   users before: " << before << ", after: " << after
              << (before == after ? " (nothing left behind)" : " (UNEXPECTED)") << "\n";
    conn.close();
    metadata.drop_all(engine);
    return before == after ? 0 : 1;
  } catch (const Error& e) {
    std::cerr << "core_tour sample failed: " << e.what() << "\n";
    return 1;
  }
}
