// Athanor Core, schema: foreign-key dependency order of a MetaData's tables.
//
// create_all needs referenced tables first, drop_all the reverse. Cycles between tables (a -> b
// -> a) have no such order; like SQLAlchemy, every foreign key inside a strongly connected
// component of the dependency graph is taken out of the sort and created afterwards with ALTER
// TABLE. Removing all of them (rather than a minimal set) keeps the result independent of the
// order in which the cycle happens to be discovered. The remaining graph is acyclic and is
// sorted with Kahn's algorithm, always emitting the earliest-defined ready table, so the order is
// deterministic and stable for schemas without dependencies.
#include <algorithm>
#include <cstddef>
#include <set>
#include <unordered_map>
#include <vector>

#include "athanor/core/schema.hpp"
#include "core/schema/internal.hpp"

namespace athanor {

namespace detail {

namespace {

constexpr std::size_t kUnvisited = static_cast<std::size_t>(-1);

struct Edge {
  std::size_t target;  // the referenced table
  const ForeignKeyConstraint* foreign_key;
};

// Tarjan's strongly connected components; component[i] identifies node i's component.
class ComponentFinder {
 public:
  explicit ComponentFinder(const std::vector<std::vector<Edge>>& edges)
      : edges_(edges),
        index_(edges.size(), kUnvisited),
        low_(edges.size(), 0),
        on_stack_(edges.size(), false),
        component_(edges.size(), kUnvisited) {
    for (std::size_t v = 0; v < edges.size(); ++v) {
      if (index_[v] == kUnvisited) visit(v);
    }
  }
  const std::vector<std::size_t>& components() const noexcept { return component_; }

 private:
  void visit(std::size_t v) {
    index_[v] = low_[v] = next_index_++;
    stack_.push_back(v);
    on_stack_[v] = true;
    for (const Edge& edge : edges_[v]) {
      std::size_t w = edge.target;
      if (index_[w] == kUnvisited) {
        visit(w);
        low_[v] = std::min(low_[v], low_[w]);
      } else if (on_stack_[w]) {
        low_[v] = std::min(low_[v], index_[w]);
      }
    }
    if (low_[v] == index_[v]) {
      std::size_t w;
      do {
        w = stack_.back();
        stack_.pop_back();
        on_stack_[w] = false;
        component_[w] = next_component_;
      } while (w != v);
      ++next_component_;
    }
  }

  const std::vector<std::vector<Edge>>& edges_;
  std::vector<std::size_t> index_;
  std::vector<std::size_t> low_;
  std::vector<bool> on_stack_;
  std::vector<std::size_t> component_;
  std::vector<std::size_t> stack_;
  std::size_t next_index_ = 0;
  std::size_t next_component_ = 0;
};

}  // namespace

TableOrder sort_tables(const MetaData& metadata) {
  const std::vector<const Table*> tables = metadata.tables();
  const std::size_t n = tables.size();
  std::unordered_map<const Table*, std::size_t> position;
  for (std::size_t i = 0; i < n; ++i) position.emplace(tables[i], i);

  // edges[i]: foreign keys of table i to other tables of this MetaData (self-references and
  // references to unknown tables do not order anything).
  std::vector<std::vector<Edge>> edges(n);
  std::vector<std::vector<const ForeignKeyConstraint*>> use_alter(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (const ForeignKeyConstraint& fk : tables[i]->foreign_keys()) {
      if (fk.options.use_alter) {
        use_alter[i].push_back(&fk);
        continue;
      }
      const Table* target = metadata.find_table(fk.referred_table);
      if (target == nullptr || target == tables[i]) continue;
      edges[i].push_back(Edge{position.at(target), &fk});
    }
  }

  const std::vector<std::size_t> component = ComponentFinder(edges).components();

  // Keep the edges that cross components; those inside one are the cycles.
  std::vector<std::vector<const ForeignKeyConstraint*>> cyclic(n);
  std::vector<std::vector<std::size_t>> dependents(n);
  std::vector<std::size_t> pending(n, 0);  // distinct tables each table still waits for
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::size_t> targets;
    for (const Edge& edge : edges[i]) {
      if (component[edge.target] == component[i]) {
        cyclic[i].push_back(edge.foreign_key);
      } else if (std::find(targets.begin(), targets.end(), edge.target) == targets.end()) {
        targets.push_back(edge.target);
        dependents[edge.target].push_back(i);
      }
    }
    pending[i] = targets.size();
  }

  TableOrder order;
  order.tables.reserve(n);
  std::set<std::size_t> ready;
  for (std::size_t i = 0; i < n; ++i) {
    if (pending[i] == 0) ready.insert(i);
  }
  while (!ready.empty()) {
    std::size_t i = *ready.begin();
    ready.erase(ready.begin());
    order.tables.push_back(tables[i]);
    for (std::size_t dependent : dependents[i]) {
      if (--pending[dependent] == 0) ready.insert(dependent);
    }
  }

  for (const Table* table : order.tables) {
    std::size_t i = position.at(table);
    // Report in the table's own foreign-key order.
    for (const ForeignKeyConstraint& fk : table->foreign_keys()) {
      bool deferred =
          std::find(cyclic[i].begin(), cyclic[i].end(), &fk) != cyclic[i].end() ||
          std::find(use_alter[i].begin(), use_alter[i].end(), &fk) != use_alter[i].end();
      if (deferred) order.deferred.push_back(DeferredForeignKey{table, &fk});
    }
  }
  return order;
}

}  // namespace detail

std::vector<const Table*> MetaData::sorted_tables() const {
  return detail::sort_tables(*this).tables;
}

}  // namespace athanor
