// Athanor Core: maps a URL's drivername to its Dialect. The only file that knows every backend;
// it sees only those this build was configured with (ATHANOR_WITH_<BACKEND>, set by CMake for the
// enabled backends), and names the option for one that is missing.
#include <memory>
#include <string>
#include <string_view>

#include "athanor/core/dialect.hpp"
#include "athanor/core/error.hpp"
#if ATHANOR_WITH_MYSQL
#include "core/dialects/mysql/mysql_dialect.hpp"
#endif
#if ATHANOR_WITH_POSTGRESQL
#include "core/dialects/postgresql/postgresql_dialect.hpp"
#endif
#if ATHANOR_WITH_SQLITE
#include "core/dialects/sqlite/sqlite_dialect.hpp"
#endif

namespace athanor {
namespace {

[[noreturn, maybe_unused]] void throw_not_built(std::string_view backend, std::string_view option) {
  throw ArgumentError("the " + std::string(backend) +
                      " backend is not part of this Athanor build (it was configured with -D" +
                      std::string(option) + "=OFF)");
}

}  // namespace

std::shared_ptr<Dialect> make_dialect(std::string_view drivername) {
  if (drivername == "sqlite") {
#if ATHANOR_WITH_SQLITE
    return detail::make_sqlite_dialect();
#else
    throw_not_built("SQLite", "ATHANOR_WITH_SQLITE");
#endif
  }
  if (drivername == "postgresql" || drivername == "postgres") {
#if ATHANOR_WITH_POSTGRESQL
    return detail::make_postgresql_dialect();
#else
    throw_not_built("PostgreSQL", "ATHANOR_WITH_POSTGRESQL");
#endif
  }
  if (drivername == "mysql" || drivername == "mariadb") {
#if ATHANOR_WITH_MYSQL
    return detail::make_mysql_dialect();
#else
    throw_not_built("MySQL/MariaDB", "ATHANOR_WITH_MYSQL");
#endif
  }
  throw ArgumentError("unsupported database backend '" + std::string(drivername) +
                      "' in URL scheme; expected sqlite, postgresql, mysql or mariadb");
}

std::vector<std::string> available_backends() {
  std::vector<std::string> names;
#if ATHANOR_WITH_SQLITE
  names.emplace_back("sqlite");
#endif
#if ATHANOR_WITH_POSTGRESQL
  names.emplace_back("postgresql");
#endif
#if ATHANOR_WITH_MYSQL
  names.emplace_back("mysql");
#endif
  return names;
}

}  // namespace athanor
