// Athanor Core: executemany parameter sets read from the application's own objects.
//
// SQLAlchemy's executemany takes a list of dicts, and Connection::execute takes the same as a
// std::vector<Params>. When the rows already live in a range of structs, building one Params per
// row (a vector, a key string per value, a copy of every text) copies what the objects hold
// already. param_sets() names where each parameter comes from instead, once, and the
// engine reads every object where it is, straight into its reused bind buffers:
//
//   std::vector<NewUser> people = ...;
//   conn.execute(insert(users), param_sets(people, field("email", &NewUser::email),
//                                                  field("name", &NewUser::name)));
//
// Each field is a parameter name and a projection: a pointer to a data member, or anything
// invocable with the object that returns a type a Value is made from (to_value). The statement
// sees exactly what a std::vector<Params> with those names, in that order, would give it: an
// insert() without values() takes its columns from the names, a bindparam() reads its name.
// The range is read during execute() only.
// REQUIRES: the range outlives the execute() call that reads it and does not change during it.
#pragma once

#include <cstddef>
#include <functional>
#include <iterator>
#include <limits>
#include <ranges>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "athanor/core/value.hpp"

namespace athanor {

// What Connection::execute reads an executemany from: size() parameter sets with the same
// names() each. Implemented by param_sets(); an implementation of one's own (a mapper that
// knows its columns) only has to write one set's values where it is told.
class ParamSetSource {
 public:
  // A name the statement does not read.
  static constexpr std::size_t kUnused = std::numeric_limits<std::size_t>::max();

  virtual ~ParamSetSource() = default;
  ParamSetSource(const ParamSetSource&) = delete;
  ParamSetSource& operator=(const ParamSetSource&) = delete;

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  // The parameter names, in the order the sets give them.
  const std::vector<std::string>& names() const noexcept { return names_; }

  // Writes set `index` (< size()): the value of names()[k] into out[targets[k]], for each k
  // whose target is not kUnused. Values are assigned over what `out` holds, so that a text
  // reuses the buffer of the previous set's. REQUIRES: targets.size() == names().size().
  virtual void write(std::size_t index, std::span<Value> out,
                     std::span<const std::size_t> targets) const = 0;

 protected:
  // ArgumentError when a name is empty or given twice.
  ParamSetSource(std::vector<std::string> names, std::size_t size);

 private:
  std::vector<std::string> names_;
  std::size_t size_;
};

namespace detail {

// Assigns `v` to `out` as to_value(v) would, but over `out`'s own text buffer when both are
// text (a std::string assignment reuses its capacity; building a new Value would allocate).
template <class T>
requires ToValue<const T&>
void assign_value(Value& out, const T& v) {
  using U = std::remove_cvref_t<T>;
  if constexpr (std::is_same_v<U, std::string> || std::is_same_v<U, std::string_view> ||
                std::is_same_v<std::decay_t<T>, const char*> ||
                std::is_same_v<std::decay_t<T>, char*>) {
    const std::string_view text(v);
    if (auto* held = std::get_if<std::string>(&out)) {
      held->assign(text.data(), text.size());
    } else {
      out.emplace<std::string>(text);
    }
  } else if constexpr (is_optional_v<U>) {
    if (v) {
      assign_value(out, *v);
    } else {
      out.emplace<Null>();
    }
  } else {
    out = to_value(v);
  }
}

}  // namespace detail

// One parameter of param_sets(): its name and where its value comes from.
template <class Projection>
struct ParamField {
  std::string name;
  Projection projection;
};

// A parameter named `name` whose value is std::invoke(projection, object): a data member
// (&User::email), a member function without arguments, or a callable.
template <class Projection>
ParamField<std::decay_t<Projection>> field(std::string name, Projection&& projection) {
  return {std::move(name), std::forward<Projection>(projection)};
}

// The parameter sets of param_sets(): one per object of a random-access range.
template <std::ranges::random_access_range Range, class... Projections>
class ObjectParamSets final : public ParamSetSource {
 public:
  using Object = std::ranges::range_value_t<Range>;
  static_assert(
      (ToValue<std::invoke_result_t<const Projections&, const Object&>> && ...),
      "each field must give a type a Value is made from (see to_value in athanor/core/value.hpp)");

  ObjectParamSets(const Range& objects, ParamField<Projections>... fields)
      : ParamSetSource({std::move(fields.name)...},
                       static_cast<std::size_t>(std::ranges::size(objects))),
        first_(std::ranges::begin(objects)),
        projections_(std::move(fields.projection)...) {}

  void write(std::size_t index, std::span<Value> out,
             std::span<const std::size_t> targets) const override {
    const Object& object = first_[static_cast<std::ranges::range_difference_t<Range>>(index)];
    write_fields(object, out, targets, std::index_sequence_for<Projections...>{});
  }

 private:
  template <std::size_t... K>
  void write_fields(const Object& object, std::span<Value> out,
                    std::span<const std::size_t> targets, std::index_sequence<K...>) const {
    (write_field<K>(object, out, targets[K]), ...);
  }

  template <std::size_t K>
  void write_field(const Object& object, std::span<Value> out, std::size_t target) const {
    if (target == kUnused) return;
    detail::assign_value(out[target], std::invoke(std::get<K>(projections_), object));
  }

  std::ranges::iterator_t<const Range> first_;
  std::tuple<Projections...> projections_;
};

// executemany parameter sets read from `objects`, one set per object, with one parameter per
// field (see the top of this file). Holds a reference to `objects`.
template <std::ranges::random_access_range Range, class... Projections>
requires std::ranges::sized_range<const Range> ObjectParamSets<Range, Projections...> param_sets(
    const Range& objects, ParamField<Projections>... fields) {
  static_assert(sizeof...(Projections) > 0, "param_sets needs at least one field");
  return ObjectParamSets<Range, Projections...>(objects, std::move(fields)...);
}

}  // namespace athanor
