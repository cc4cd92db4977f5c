// Test support for the compliance suite: the same tests run against every backend.
//
// The backend comes from ATHANOR_TEST_BACKEND (sqlite, postgresql, mariadb); its URL from
// ATHANOR_TEST_URL_<BACKEND> (set by tests/servers/with_servers.sh), SQLite defaulting to a
// temporary file. A backend without a URL fails the test run; it is never skipped silently.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "athanor/core.hpp"

namespace athanor::testing {

// "sqlite", "postgresql" or "mariadb".
const std::string& backend();
// The URL of the backend under test.
const std::string& test_url();
// A fresh engine on the test database (echo to a capture buffer when `capture` is given).
Engine make_engine(EngineOptions options = {});
// Drops every table in the test database (reflected), so each test starts empty.
void drop_everything(const Engine& engine);
// Controls the throwaway server of the current backend (fault tests): "stop" or "start".
// Returns false when no control script is available (SQLite).
bool server_control(const std::string& action);

// Base fixture: `engine` on a clean database; statements echoed into `statements`.
class BackendTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Statements logged by the engine since the last clear_statements().
  std::vector<std::string> statements() const;
  void clear_statements();

  std::shared_ptr<std::vector<std::string>> log_ = std::make_shared<std::vector<std::string>>();
  std::optional<Engine> engine_;
  Engine& engine() { return *engine_; }
};

}  // namespace athanor::testing
