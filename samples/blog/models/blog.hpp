// Blog sample models: users write posts, posts carry tags (many-to-many through post_tags).
// Plain structs; athanor-gen reads the annotations and generates blog.athanor.hpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <athanor/model.hpp>

namespace blog {

struct Post;
struct Tag;

enum class Status {
  kDraft ATHANOR_ENUM_VALUE("draft"),
  kPublished ATHANOR_ENUM_VALUE("published")
};

struct ATHANOR_TABLE("users", comment = "End-user accounts", info = R"({"pii": true})") User {
  ATHANOR_COLUMN(primary_key, comment = "Surrogate key") std::int64_t id = 0;
  ATHANOR_COLUMN(length = 255, unique) std::string email;
  std::optional<std::string> name;  // unannotated data members are columns too
  ATHANOR_RELATIONSHIP(back_populates = "author", order_by = "published_on desc")
  athanor::Collection<Post> posts;
};

struct ATHANOR_TABLE("posts") ATHANOR_INDEX("author_id", "published_on") Post {
  ATHANOR_COLUMN(primary_key) std::int64_t id = 0;
  ATHANOR_COLUMN(foreign_key = "users.id", ondelete = "CASCADE") std::int64_t author_id = 0;
  ATHANOR_COLUMN(length = 200) std::string title;
  std::string body;
  Status status = Status::kDraft;
  std::optional<std::chrono::sys_days> published_on;
  ATHANOR_RELATIONSHIP(back_populates = "posts") athanor::Reference<User> author;
  ATHANOR_RELATIONSHIP(secondary = "post_tags", back_populates = "posts", lazy = selectin)
  athanor::Collection<Tag> tags;
};

struct ATHANOR_TABLE("tags") Tag {
  ATHANOR_COLUMN(primary_key) std::int64_t id = 0;
  ATHANOR_COLUMN(length = 50, unique) std::string name;
  ATHANOR_RELATIONSHIP(secondary = "post_tags", back_populates = "tags")
  athanor::Collection<Post> posts;
};

struct ATHANOR_TABLE("post_tags", comment = "Which tags each post carries") PostTag {
  ATHANOR_COLUMN(primary_key, foreign_key = "posts.id", ondelete = "CASCADE")
  std::int64_t post_id = 0;
  ATHANOR_COLUMN(primary_key, foreign_key = "tags.id", ondelete = "CASCADE")
  std::int64_t tag_id = 0;
};

}  // namespace blog
