// Error cases: relationships that cannot be resolved or do not pair.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "athanor/model.hpp"

namespace relationships {

struct Unmapped {
  int id = 0;
};
struct Declared;
struct Post;
struct Tag;
struct Comment;

struct ATHANOR_TABLE("r_users") User {
  ATHANOR_COLUMN(primary_key) std::int64_t id = 0;
  athanor::Collection<Unmapped> unmapped;
  athanor::Collection<Declared> declared;
  ATHANOR_RELATIONSHIP(foreign_keys = "author_id", back_populates = "author")
  athanor::Collection<Post> posts;
  athanor::Collection<Post> ambiguous_posts;
  athanor::Collection<Tag> tags;
  athanor::Reference<Tag> tag;
  ATHANOR_RELATIONSHIP(foreign_keys = "author_id") athanor::Reference<Post> post;
  ATHANOR_RELATIONSHIP(foreign_keys = "author_id", back_populates = "nothing")
  athanor::Collection<Comment> no_member;
  ATHANOR_RELATIONSHIP(foreign_keys = "author_id", back_populates = "body")
  athanor::Collection<Comment> column_member;
  ATHANOR_RELATIONSHIP(foreign_keys = "author_id", lazy = eager)
  athanor::Collection<Comment> bad_lazy;
  ATHANOR_RELATIONSHIP(foreign_keys = "author_id", cascade = "save-update, delete-orphans")
  athanor::Collection<Comment> c1;
  ATHANOR_RELATIONSHIP(foreign_keys = "author_id", order_by = "created")
  athanor::Collection<Comment> c2;
  ATHANOR_RELATIONSHIP(foreign_keys = "author_id", order_by = "body sideways")
  athanor::Collection<Comment> c3;
  ATHANOR_RELATIONSHIP(secondary = "user_tags") athanor::Reference<Tag> secondary_reference;
  ATHANOR_RELATIONSHIP(secondary = "user_tagz") athanor::Collection<Tag> unknown_secondary;
  ATHANOR_RELATIONSHIP(secondary = "r_comments") athanor::Collection<Tag> secondary_without_fk;
  ATHANOR_RELATIONSHIP(foreign_keys = "nope") athanor::Collection<Comment> c4;
  ATHANOR_RELATIONSHIP(foreign_keys = "body") athanor::Collection<Comment> c5;
  ATHANOR_RELATIONSHIP(secondary = "follows") athanor::Collection<User> followers;
  ATHANOR_RELATIONSHIP(foreign_keys = "author_id", back_populates = "author")
  athanor::Collection<Comment> authored;
  ATHANOR_RELATIONSHIP(foreign_keys = "author_id", back_populates = "tag")
  athanor::Collection<Post> elsewhere;
  ATHANOR_RELATIONSHIP(back_populates = "self") athanor::Reference<User> self;
};

struct ATHANOR_TABLE("r_posts") Post {
  ATHANOR_COLUMN(primary_key) std::int64_t id = 0;
  ATHANOR_COLUMN(foreign_key = "r_users.id") std::int64_t author_id = 0;
  ATHANOR_COLUMN(foreign_key = "r_users.id") std::int64_t editor_id = 0;
  ATHANOR_COLUMN(foreign_key = "r_tags.id") std::int64_t tag_id = 0;
  ATHANOR_RELATIONSHIP(back_populates = "posts") athanor::Reference<User> author;
  ATHANOR_RELATIONSHIP(foreign_keys = "editor_id", back_populates = "posts")
  athanor::Reference<User> editor;
  athanor::Reference<Tag> tag;
};

struct ATHANOR_TABLE("r_tags") Tag {
  ATHANOR_COLUMN(primary_key) std::int64_t id = 0;
};

struct ATHANOR_TABLE("r_comments") Comment {
  ATHANOR_COLUMN(primary_key) std::int64_t id = 0;
  ATHANOR_COLUMN(foreign_key = "r_users.id") std::int64_t author_id = 0;
  ATHANOR_COLUMN(foreign_key = "r_users.id") std::optional<std::int64_t> reviewer_id;
  std::string body;
  ATHANOR_RELATIONSHIP(foreign_keys = "reviewer_id", back_populates = "authored")
  athanor::Reference<User> author;
  ATHANOR_RELATIONSHIP(foreign_keys = "author_id") athanor::Collection<User> wrong_side;
};

struct ATHANOR_TABLE("follows") Follow {
  ATHANOR_COLUMN(primary_key, foreign_key = "r_users.id") std::int64_t follower_id = 0;
  ATHANOR_COLUMN(primary_key, foreign_key = "r_users.id") std::int64_t followed_id = 0;
};

}  // namespace relationships
