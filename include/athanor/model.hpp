// Athanor models: the annotations athanor-gen reads, and the relationship member types.
//
// Models are plain C++ structs. A struct becomes a mapped table when it carries ATHANOR_TABLE
// right after the `struct` keyword; its public non-static data members are its columns unless
// they are relationships (athanor::Collection / athanor::Reference) or marked ATHANOR_TRANSIENT.
//
//   struct ATHANOR_TABLE("users", comment = "End-user accounts") User {
//     ATHANOR_COLUMN(primary_key) std::int64_t id = 0;
//     ATHANOR_COLUMN(length = 255, unique) std::string email;
//     std::optional<std::string> name;                       // a nullable column
//     ATHANOR_RELATIONSHIP(back_populates = "author") athanor::Collection<Post> posts;
//     ATHANOR_TRANSIENT int visits_this_session = 0;         // not stored
//   };
//
// Every macro expands to nothing in an ordinary build, so models compile warning-free with any
// compiler. Only when athanor-gen parses the headers (it defines ATHANOR_GENERATOR) do they
// become `[[clang::annotate]]` attributes carrying their options as one string; athanor-gen
// parses and checks that string. docs/codegen.md lists every option.
//
// Layer: user-facing, next to Core. This header pulls in Core's value types only.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <utility>
#include <vector>

#include "athanor/core/value.hpp"

#if defined(ATHANOR_GENERATOR)
// Table options: "name" first, then comment = "...", info = R"({...})".
#define ATHANOR_TABLE(...) [[clang::annotate("athanor:table:" #__VA_ARGS__)]]
// Table-level constraints, placed after ATHANOR_TABLE: member (or column) names, then options.
#define ATHANOR_INDEX(...) [[clang::annotate("athanor:index:" #__VA_ARGS__)]]
#define ATHANOR_UNIQUE(...) [[clang::annotate("athanor:unique:" #__VA_ARGS__)]]
#define ATHANOR_CHECK(...) [[clang::annotate("athanor:check:" #__VA_ARGS__)]]
// Member options.
#define ATHANOR_COLUMN(...) [[clang::annotate("athanor:column:" #__VA_ARGS__)]]
#define ATHANOR_RELATIONSHIP(...) [[clang::annotate("athanor:relationship:" #__VA_ARGS__)]]
#define ATHANOR_TRANSIENT [[clang::annotate("athanor:transient:")]]
// On an enumerator: the label stored for it (default: the enumerator's name).
#define ATHANOR_ENUM_VALUE(...) [[clang::annotate("athanor:enum_value:" #__VA_ARGS__)]]
#else
#define ATHANOR_TABLE(...)
#define ATHANOR_INDEX(...)
#define ATHANOR_UNIQUE(...)
#define ATHANOR_CHECK(...)
#define ATHANOR_COLUMN(...)
#define ATHANOR_RELATIONSHIP(...)
#define ATHANOR_TRANSIENT
#define ATHANOR_ENUM_VALUE(...)
#endif

namespace athanor {

// Whether a relationship member holds what the database has. A member that was never loaded is
// kUnloaded; assigning to it or loading it makes it kLoaded. The ORM Session drives the state
// (lazy loading, expiry); on their own the types are plain value holders.
enum class LoadState { kUnloaded, kLoaded };

// The "many" side of a relationship: the related objects, shared with whoever else holds them.
// T may be incomplete where the member is declared.
template <class T>
class Collection {
 public:
  using element_type = T;
  using value_type = std::shared_ptr<T>;
  using iterator = typename std::vector<std::shared_ptr<T>>::iterator;
  using const_iterator = typename std::vector<std::shared_ptr<T>>::const_iterator;

  Collection() = default;
  Collection(std::initializer_list<std::shared_ptr<T>> items)
      : items_(items), state_(LoadState::kLoaded) {}

  iterator begin() noexcept { return items_.begin(); }
  iterator end() noexcept { return items_.end(); }
  const_iterator begin() const noexcept { return items_.begin(); }
  const_iterator end() const noexcept { return items_.end(); }
  std::size_t size() const noexcept { return items_.size(); }
  bool empty() const noexcept { return items_.empty(); }
  const std::shared_ptr<T>& operator[](std::size_t i) const { return items_[i]; }

  // Appends `item` and returns it.
  const std::shared_ptr<T>& add(std::shared_ptr<T> item) {
    state_ = LoadState::kLoaded;
    return items_.emplace_back(std::move(item));
  }
  // Appends a new object made from `value`.
  const std::shared_ptr<T>& add(T value) { return add(std::make_shared<T>(std::move(value))); }
  // Removes every element that is `item` (by identity). Returns whether one was removed.
  bool remove(const std::shared_ptr<T>& item) {
    auto old_size = items_.size();
    std::erase(items_, item);
    return items_.size() != old_size;
  }
  void clear() noexcept {
    items_.clear();
    state_ = LoadState::kLoaded;
  }
  // Replaces the contents (used by loaders).
  void assign(std::vector<std::shared_ptr<T>> items) {
    items_ = std::move(items);
    state_ = LoadState::kLoaded;
  }

  const std::vector<std::shared_ptr<T>>& items() const noexcept { return items_; }
  LoadState state() const noexcept { return state_; }
  bool loaded() const noexcept { return state_ == LoadState::kLoaded; }
  void set_state(LoadState state) noexcept { state_ = state; }

 private:
  std::vector<std::shared_ptr<T>> items_;
  LoadState state_ = LoadState::kUnloaded;
};

// The "one" side of a relationship: the related object or none.
// T may be incomplete where the member is declared.
template <class T>
class Reference {
 public:
  using element_type = T;

  Reference() = default;
  Reference(std::shared_ptr<T> target)  // NOLINT(google-explicit-constructor): reads as assignment
      : target_(std::move(target)), state_(LoadState::kLoaded) {}
  Reference& operator=(std::shared_ptr<T> target) {
    target_ = std::move(target);
    state_ = LoadState::kLoaded;
    return *this;
  }

  T* get() const noexcept { return target_.get(); }
  T* operator->() const noexcept { return target_.get(); }
  T& operator*() const noexcept { return *target_; }
  explicit operator bool() const noexcept { return target_ != nullptr; }
  const std::shared_ptr<T>& shared() const noexcept { return target_; }

  // Sets the reference to none (a loaded, empty reference).
  void reset() noexcept {
    target_.reset();
    state_ = LoadState::kLoaded;
  }

  LoadState state() const noexcept { return state_; }
  bool loaded() const noexcept { return state_ == LoadState::kLoaded; }
  void set_state(LoadState state) noexcept { state_ = state; }

 private:
  std::shared_ptr<T> target_;
  LoadState state_ = LoadState::kUnloaded;
};

}  // namespace athanor
