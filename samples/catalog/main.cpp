// Sample: a documented catalog. Two tables carry table and column comments and `info`
// metadata (owner, purpose, pii, notes); they are created, filled and queried, the metadata is
// printed as JSON, and then the same tables are reflected back from the database and printed
// again, showing that the comments survive the round trip on every backend.
//
//   athanor_sample_catalog [URL]     (default: sqlite:///:memory:)
#include <iostream>

#include "athanor/core.hpp"

namespace {

void define_catalog(athanor::MetaData& metadata) {
  using namespace athanor;
  metadata.table(
      "users",
      {
          Column("id", Integer{}, {.primary_key = true, .comment = "Surrogate key"}),
          Column("email", String{255},
                 {.nullable = false,
                  .unique = true,
                  .comment = "Login and contact address",
                  .info = {{"pii", true}, {"notes", "lower-cased before insert"}}}),
          Column("display_name", String{100}, {.comment = "Shown next to reviews"}),
      },
      {.comment = "End-user accounts",
       .info = {{"owner", "identity-team"}, {"purpose", "authentication"}, {"pii", true}}});
  metadata.table(
      "products",
      {
          Column("id", Integer{}, {.primary_key = true, .comment = "Surrogate key"}),
          Column("sku", String{32},
                 {.nullable = false, .unique = true, .comment = "Stock keeping unit"}),
          Column("title", String{200}, {.nullable = false, .comment = "Name shown in the shop"}),
          Column("price", Numeric{10, 2}, {.nullable = false, .comment = "Unit price in EUR"}),
          Column("added_by", Integer{}, ForeignKey("users.id", {.ondelete = "SET NULL"}),
                 {.comment = "Who listed the product"}),
      },
      {.comment = "Items for sale",
       .info = {{"owner", "catalog-team"}, {"purpose", "shop listing"}, {"pii", false}},
       .check_constraints = {{.sqltext = "price >= 0", .name = "ck_products_price"}}});
}

}  // namespace

int main(int argc, char** argv) {
  const std::string url = argc > 1 ? argv[1] : "sqlite:///:memory:";
  try {
    auto engine = athanor::create_engine(url);
    athanor::MetaData metadata;
    define_catalog(metadata);
    const athanor::Table& users = metadata.get_table("users");
    const athanor::Table& products = metadata.get_table("products");

    metadata.drop_all(engine);  // start from scratch when run twice on a server
    metadata.create_all(engine);
    std::cout << "== created tables: ";
    for (const athanor::Table* t : metadata.sorted_tables()) std::cout << t->name() << ' ';
    std::cout << "\n";

    engine.begin([&](athanor::Connection& conn) {
      auto ids = conn.execute(
          athanor::insert(users).values({{"email", "ada@example.org"}, {"display_name", "Ada"}}));
      auto ada = ids.inserted_primary_key()->get<std::int64_t>(0);
      conn.execute(athanor::insert(products), std::vector<athanor::Params>{
                                                  {{"sku", "LAMP-01"},
                                                   {"title", "Desk lamp"},
                                                   {"price", athanor::Decimal{"24.90"}},
                                                   {"added_by", ada}},
                                                  {{"sku", "MUG-07"},
                                                   {"title", "Mug \"Athanor\""},
                                                   {"price", athanor::Decimal{"7.50"}},
                                                   {"added_by", ada}},
                                                  {{"sku", "BOOK-3"},
                                                   {"title", "Alchemy for C++"},
                                                   {"price", athanor::Decimal{"39.00"}},
                                                   {"added_by", nullptr}},
                                              });
    });

    auto conn = engine.connect();
    std::cout << "== products under 30 EUR, with who listed them\n";
    auto cheap = athanor::select(products.c("sku"), products.c("title"), products.c("price"),
                                 users.c("display_name"))
                     .select_from(products.outerjoin(users))
                     .where(products.c("price") < athanor::Decimal{"30"})
                     .order_by(products.c("price"));
    for (const athanor::Row& row : conn.execute(cheap)) std::cout << "  " << row.to_json() << "\n";

    std::cout << "== metadata as JSON (from the C++ definitions)\n"
              << athanor::to_json(metadata).dump(2) << "\n";

    athanor::MetaData reflected;
    reflected.reflect(engine);
    std::cout << "== metadata as JSON (reflected from the database)\n"
              << athanor::to_json(reflected).dump(2) << "\n";

    auto inspector = athanor::inspect(engine);
    std::cout << "== inspector: table comment of 'products': \""
              << inspector.get_table_comment("products") << "\"\n";
    for (const auto& fk : inspector.get_foreign_keys("products")) {
      std::cout << "   foreign key " << fk.columns.front() << " -> " << fk.referred_table << "."
                << fk.referred_columns.front() << " ON DELETE " << fk.ondelete << "\n";
    }
    conn.close();
    metadata.drop_all(engine);
    return 0;
  } catch (const athanor::Error& e) {
    std::cerr << "catalog sample failed: " << e.what() << "\n";
    return 1;
  }
}
