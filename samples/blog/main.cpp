// Blog sample: mapped structs used through Athanor Core.
//
//   athanor_sample_blog [URL]     (default sqlite:///:memory:)
//
// Creates the tables from the models, inserts users, posts and tags as structs, reads them back
// into structs with typed where clauses, and prints the models' metadata as JSON.
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include <athanor/core.hpp>

#include "models/blog.athanor.hpp"

namespace {

using athanor::Mapper;
using blog::Post;
using blog::Post_;
using blog::Status;
using blog::Tag;
using blog::Tag_;
using blog::User;
using blog::User_;

std::chrono::sys_days day(int y, unsigned m, unsigned d) {
  return std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}

void run(const std::string& url) {
  athanor::Engine engine = athanor::create_engine(url);
  const athanor::MetaData& metadata = athanor::model_metadata();
  metadata.drop_all(engine);  // start from scratch when the database is reused
  metadata.create_all(engine);

  User jan{.email = "jan@example.com", .name = "Jan"};
  User ada{.email = "ada@example.com", .name = std::nullopt};
  std::vector<Tag> tags = {
      {.id = 1, .name = "cpp"}, {.id = 2, .name = "databases"}, {.id = 3, .name = "news"}};
  engine.begin([&](athanor::Connection& conn) {
    athanor::insert_object(conn, jan);  // writes the generated id back into jan
    athanor::insert_object(conn, ada);
    for (Tag& tag : tags) athanor::insert_object(conn, tag);
    Post posts[] = {
        {.author_id = jan.id,
         .title = "Mapping structs",
         .body = "...",
         .status = Status::kPublished,
         .published_on = day(2024, 3, 1)},
        {.author_id = jan.id, .title = "Drafting", .body = "...", .status = Status::kDraft},
        {.author_id = ada.id,
         .title = "Engines",
         .body = "...",
         .status = Status::kPublished,
         .published_on = day(2024, 4, 2)},
    };
    for (Post& post : posts) athanor::insert_object(conn, post);
    std::vector<blog::PostTag> links = {{posts[0].id, 1}, {posts[0].id, 2}, {posts[2].id, 2}};
    for (const blog::PostTag& link : links) {
      conn.execute(
          athanor::insert(blog::PostTag_::table()).values(Mapper<blog::PostTag>::bind(link)));
    }
  });

  auto conn = engine.connect();
  std::cout << "Users:\n";
  for (const User& user : athanor::hydrate_all<User>(
           conn.execute(athanor::select(User_::table()).order_by(User_::id)))) {
    std::cout << "  #" << user.id << " " << user.email << " (" << user.name.value_or("no name")
              << ")\n";
  }

  std::cout << "Published posts by " << jan.email << ":\n";
  auto published = athanor::select(Post_::table())
                       .where(Post_::author_id == jan.id && Post_::status == Status::kPublished)
                       .order_by(Post_::title);
  for (Post& post : athanor::hydrate_all<Post>(conn.execute(published))) {
    // Relationship members hold values now; the ORM will load them by itself.
    post.tags.assign({});
    auto tagged = athanor::select(Tag_::table())
                      .join(blog::PostTag_::table())
                      .where(blog::PostTag_::post_id == post.id)
                      .order_by(Tag_::name);
    for (Tag& tag : athanor::hydrate_all<Tag>(conn.execute(tagged))) post.tags.add(std::move(tag));
    std::cout << "  \"" << post.title << "\" tags:";
    for (const auto& tag : post.tags) std::cout << " " << tag->name;
    std::cout << "\n";
  }

  const athanor::RelationshipInfo& posts = User_::posts.info();
  std::cout << "User::posts joins users." << posts.join[0].local << " = posts."
            << posts.join[0].remote << " (back_populates \"" << posts.back_populates << "\")\n";

  std::cout << "Models' metadata:\n" << athanor::to_json(metadata).dump(2) << "\n";
  conn.close();
  metadata.drop_all(engine);
}

}  // namespace

int main(int argc, char** argv) {
  std::string url = argc > 1 ? argv[1] : "sqlite:///:memory:";
  try {
    run(url);
  } catch (const athanor::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
