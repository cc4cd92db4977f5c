// Athanor Core (engine layer, private): EngineImpl, what an Engine shares with its Connections:
// the URL, the dialect, the options, the connection pool and the echo log.
#pragma once

#include <memory>
#include <mutex>
#include <string_view>

#include "athanor/core/dialect.hpp"
#include "athanor/core/engine.hpp"
#include "athanor/core/url.hpp"
#include "core/engine/pool.hpp"

namespace athanor::detail {

class EngineImpl {
 public:
  EngineImpl(URL url, std::shared_ptr<Dialect> dialect, EngineOptions options);

  const URL& url() const noexcept { return url_; }
  Dialect& dialect() noexcept { return *dialect_; }
  const EngineOptions& options() const noexcept { return options_; }
  Pool& pool() noexcept { return pool_; }
  // Writes one echo line (when echo is on).
  void log(std::string_view line) const;
  bool echo() const noexcept { return options_.echo; }

 private:
  URL url_;
  std::shared_ptr<Dialect> dialect_;
  EngineOptions options_;
  Pool pool_;
  mutable std::mutex log_mutex_;
};

}  // namespace athanor::detail
