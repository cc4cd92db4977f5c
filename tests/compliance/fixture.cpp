// Test support for the compliance suite (see fixture.hpp).
#include "tests/compliance/fixture.hpp"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include <unistd.h>

namespace athanor::testing {

namespace {
std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}
}  // namespace

const std::string& backend() {
  static const std::string value = [] {
    std::string b = env("ATHANOR_TEST_BACKEND");
    return b.empty() ? std::string("sqlite") : b;
  }();
  return value;
}

const std::string& test_url() {
  static const std::string value = [] {
    if (backend() == "sqlite") {
      std::string url = env("ATHANOR_TEST_URL_SQLITE");
      if (!url.empty()) return url;
      auto path = std::filesystem::temp_directory_path() /
                  ("athanor_compliance_" + std::to_string(::getpid()) + ".db");
      std::filesystem::remove(path);
      return "sqlite:///" + path.string();
    }
    std::string var =
        backend() == "postgresql" ? "ATHANOR_TEST_URL_POSTGRESQL" : "ATHANOR_TEST_URL_MARIADB";
    std::string url = env(var.c_str());
    if (url.empty()) {
      std::fprintf(stderr,
                   "FATAL: backend '%s' has no server: %s is not set. Run the tests through "
                   "tests/servers/with_servers.sh (make test).\n",
                   backend().c_str(), var.c_str());
      std::exit(2);
    }
    return url;
  }();
  return value;
}

Engine make_engine(EngineOptions options) { return create_engine(test_url(), std::move(options)); }

void drop_everything(const Engine& engine) {
  MetaData md;
  md.reflect(engine);
  md.drop_all(engine);
}

bool server_control(const std::string& action) {
  std::string script = env("ATHANOR_TEST_SERVER_CTL");
  if (script.empty() || backend() == "sqlite") return false;
  std::string cmd = script + " " + action + " " + backend() + " >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

void BackendTest::SetUp() {
  EngineOptions options;
  options.echo = true;
  auto log = log_;
  options.echo_callback = [log](std::string_view line) { log->emplace_back(line); };
  engine_.emplace(make_engine(std::move(options)));
  drop_everything(*engine_);
  log_->clear();
}

void BackendTest::TearDown() {
  if (engine_) engine_->dispose();
}

std::vector<std::string> BackendTest::statements() const { return *log_; }
void BackendTest::clear_statements() { log_->clear(); }

}  // namespace athanor::testing
