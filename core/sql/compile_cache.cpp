// Athanor Core, sql layer: the per-statement cache of compiled forms (detail::CompileCache).
//
// A statement is usually compiled for one dialect and one parameter-key set, then executed many
// times; the cache turns every execution after the first into a short locked scan. Entries are
// never replaced, so every caller gets the same Compiled object for the same slot.
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "athanor/core/detail/sql_ast.hpp"

namespace athanor::detail {

namespace {

// A statement executed with ever-new key sets (or executemany batch sizes) must not grow
// without bound; the oldest slot makes room.
constexpr std::size_t kMaxEntries = 32;

}  // namespace

std::shared_ptr<const Compiled> CompileCache::find(const Dialect* dialect,
                                                   const std::string& key) const {
  std::lock_guard lock(mutex_);
  for (const Entry& e : entries_) {
    if (e.dialect == dialect && e.key == key) return e.compiled;
  }
  return nullptr;
}

void CompileCache::store(const Dialect* dialect, std::string key,
                         std::shared_ptr<const Compiled> compiled) const {
  std::lock_guard lock(mutex_);
  for (const Entry& e : entries_) {
    if (e.dialect == dialect && e.key == key) return;  // another thread stored it first
  }
  if (entries_.size() >= kMaxEntries) entries_.erase(entries_.begin());
  entries_.push_back(Entry{dialect, std::move(key), std::move(compiled)});
}

}  // namespace athanor::detail
