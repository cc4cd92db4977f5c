// Athanor Core: maps a URL's drivername to its Dialect. The only file that knows every backend.
#include <memory>
#include <string>
#include <string_view>

#include "athanor/core/dialect.hpp"
#include "athanor/core/error.hpp"
#include "core/dialects/mysql/mysql_dialect.hpp"
#include "core/dialects/postgresql/postgresql_dialect.hpp"
#include "core/dialects/sqlite/sqlite_dialect.hpp"

namespace athanor {

std::shared_ptr<Dialect> make_dialect(std::string_view drivername) {
  if (drivername == "sqlite") return detail::make_sqlite_dialect();
  if (drivername == "postgresql" || drivername == "postgres") {
    return detail::make_postgresql_dialect();
  }
  if (drivername == "mysql" || drivername == "mariadb") return detail::make_mysql_dialect();
  throw ArgumentError("unsupported database backend '" + std::string(drivername) +
                      "' in URL scheme; expected sqlite, postgresql, mysql or mariadb");
}

}  // namespace athanor
