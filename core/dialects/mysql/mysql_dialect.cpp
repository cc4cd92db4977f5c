// Athanor Core, mysql dialect: how SQL and DDL are spelled for MySQL and MariaDB, the URL options
// it accepts, server capability detection, and the factory.
#include "core/dialects/mysql/mysql_dialect.hpp"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include <fmt/format.h>

#include "athanor/core/error.hpp"
#include "athanor/core/schema.hpp"
#include "core/dialects/mysql/mysql_dialect_impl.hpp"
#include "core/dialects/mysql/mysql_driver.hpp"

namespace athanor::detail {

namespace {

// Words MySQL 8 or MariaDB reserve beyond the generic list of Dialect::is_reserved_word (which
// already covers SQL's own). Sorted, for binary search.
// clang-format off
constexpr std::string_view kMySqlReservedWords[] = {
    "add", "cume_dist", "current_role", "day_hour", "day_microsecond", "day_minute",
    "day_second", "delete_domain_id", "do_domain_ids", "empty", "first_value", "float4",
    "float8", "general", "generated", "groups", "high_priority", "hour_microsecond",
    "hour_minute", "hour_second", "ignore_domain_ids", "ignore_server_ids", "infile", "int1",
    "int2", "int3", "int4", "int8", "io_after_gtids", "io_before_gtids", "json_table", "lag",
    "last_value", "lead", "linear", "long", "longblob", "longtext", "low_priority",
    "master_bind", "master_heartbeat_period", "master_ssl_verify_server_cert", "maxvalue",
    "mediumblob", "mediumint", "mediumtext", "middleint", "minute_microsecond", "minute_second",
    "no_write_to_binlog", "nth_value", "ntile", "optimizer_costs", "optionally", "outfile",
    "page_checksum", "parse_vcol_expr", "read_write", "ref_system_id", "resignal",
    "second_microsecond", "signal", "slow", "sql_big_result", "sql_calc_found_rows",
    "sql_small_result", "ssl", "starting", "stats_auto_recalc", "stats_persistent",
    "stats_sample_pages", "stored", "straight_join", "terminated", "tinyblob", "tinyint",
    "tinytext", "undo", "utc_date", "utc_time", "utc_timestamp", "varbinary", "varcharacter",
    "virtual", "year_month",
};
// clang-format on

static_assert(std::is_sorted(std::begin(kMySqlReservedWords), std::end(kMySqlReservedWords)),
              "kMySqlReservedWords must stay sorted for binary search");

// MySQL's largest LIMIT (2^64 - 1), the documented way to say "all rows" before an OFFSET.
constexpr std::string_view kNoLimit = "18446744073709551615";

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

// ---- server version ---------------------------------------------------------------------------

MySqlServerVersion MySqlServerVersion::parse(std::string_view text) {
  MySqlServerVersion v;
  v.mariadb = text.find("MariaDB") != std::string_view::npos;
  // Replication-era servers and some proxies prefix MariaDB's version with "5.5.5-".
  if (v.mariadb && text.substr(0, 6) == "5.5.5-") text.remove_prefix(6);
  int* parts[] = {&v.major, &v.minor, &v.patch};
  const char* p = text.data();
  const char* end = text.data() + text.size();
  for (int* part : parts) {
    auto [next, ec] = std::from_chars(p, end, *part);
    if (ec != std::errc{}) break;
    p = next;
    if (p == end || *p != '.') break;
    ++p;
  }
  return v;
}

bool MySqlServerVersion::at_least(int maj, int min, int pat) const noexcept {
  if (major != maj) return major > maj;
  if (minor != min) return minor > min;
  return patch >= pat;
}

// ---- connecting -------------------------------------------------------------------------------

std::unique_ptr<driver::Connection> MySqlDialect::connect(const URL& url) const {
  return mysql::open_connection(mysql::parse_url(url));
}

void MySqlDialect::validate_url(const URL& url) const { (void)mysql::parse_url(url); }

void MySqlDialect::initialize(const std::string& server_version) {
  version_ = MySqlServerVersion::parse(server_version);
  supports_returning_ = version_.mariadb && version_.at_least(10, 5);
  bulk_protocol_ = version_.mariadb && version_.at_least(10, 2);
}

// ---- SQL compiler hooks -----------------------------------------------------------------------

bool MySqlDialect::is_reserved_word(std::string_view lower_case_word) const {
  return std::binary_search(std::begin(kMySqlReservedWords), std::end(kMySqlReservedWords),
                            lower_case_word) ||
         Dialect::is_reserved_word(lower_case_word);
}

std::string MySqlDialect::quote_string_literal(std::string_view text) const {
  std::string quoted;
  quoted.reserve(text.size() + 2);
  quoted += '\'';
  for (char c : text) {
    if (c == '\'' || c == '\\') quoted += c;
    quoted += c;
  }
  quoted += '\'';
  return quoted;
}

std::string MySqlDialect::limit_offset_clause(std::optional<std::int64_t> limit,
                                              std::optional<std::int64_t> offset) const {
  std::string clause;
  if (limit) {
    clause += " LIMIT " + std::to_string(*limit);
  } else if (offset) {
    clause += " LIMIT ";
    clause += kNoLimit;
  }
  if (offset) clause += " OFFSET " + std::to_string(*offset);
  return clause;
}

std::string MySqlDialect::distinct_from(const std::string& lhs, const std::string& rhs,
                                        bool negate) const {
  // `negate` asks for IS NOT DISTINCT FROM, which is exactly <=>.
  if (negate) return lhs + " <=> " + rhs;
  return "NOT (" + lhs + " <=> " + rhs + ")";
}

std::string MySqlDialect::insert_default_values(const std::string& quoted_table) const {
  return "INSERT INTO " + quoted_table + " () VALUES ()";
}

std::string MySqlDialect::cast_type(const TypeEngine& type) const {
  // CAST takes its own short list of type names here, not the column types of DDL.
  return std::visit(
      Overloaded{
          [](const Integer&) -> std::string { return "SIGNED"; },
          [](const BigInteger&) -> std::string { return "SIGNED"; },
          [](const SmallInteger&) -> std::string { return "SIGNED"; },
          [](const Boolean&) -> std::string { return "SIGNED"; },
          [](const Float&) -> std::string { return "FLOAT"; },
          [](const Double&) -> std::string { return "DOUBLE"; },
          [](const Numeric& n) -> std::string {
            if (n.precision && n.scale) {
              return fmt::format("DECIMAL({}, {})", *n.precision, *n.scale);
            }
            if (n.precision) return fmt::format("DECIMAL({})", *n.precision);
            return "DECIMAL(65, 30)";  // as in type_ddl: a bare DECIMAL has no fraction
          },
          [](const String& s) -> std::string {
            return s.length ? fmt::format("CHAR({})", *s.length) : std::string("CHAR");
          },
          [](const Text&) -> std::string { return "CHAR"; },
          [](const Date&) -> std::string { return "DATE"; },
          [](const DateTime&) -> std::string { return "DATETIME(6)"; },
          [](const Time&) -> std::string { return "TIME(6)"; },
          [](const LargeBinary&) -> std::string { return "BINARY"; },
          // MariaDB's JSON is text (LONGTEXT with a check); only MySQL has a JSON cast.
          [&](const JSON&) -> std::string { return version_.mariadb ? "CHAR" : "JSON"; },
          [](const Uuid&) -> std::string { return "CHAR(36)"; },
          [](const Enum&) -> std::string { return "CHAR"; },
      },
      type);
}

// ---- DDL hooks --------------------------------------------------------------------------------

std::string MySqlDialect::type_ddl(const Column& column) const {
  return std::visit(
      Overloaded{
          [](const Integer&) -> std::string { return "INTEGER"; },
          [](const BigInteger&) -> std::string { return "BIGINT"; },
          [](const SmallInteger&) -> std::string { return "SMALLINT"; },
          [](const Boolean&) -> std::string { return "BOOL"; },
          [](const Float&) -> std::string { return "FLOAT"; },
          [](const Double&) -> std::string { return "DOUBLE"; },
          [](const Numeric& n) -> std::string {
            if (n.precision && n.scale) {
              return fmt::format("NUMERIC({}, {})", *n.precision, *n.scale);
            }
            if (n.precision) return fmt::format("NUMERIC({})", *n.precision);
            // A bare NUMERIC is DECIMAL(10, 0) on MySQL and would round every value to an
            // integer; the widest exact decimal keeps fractions instead.
            return "NUMERIC(65, 30)";
          },
          [&](const String& s) -> std::string {
            if (!s.length) {
              throw CompileError("VARCHAR requires a length on the mysql dialect: column '" +
                                 column.name() + "' needs String{n}, or Text for unbounded text");
            }
            return fmt::format("VARCHAR({})", *s.length);
          },
          // TEXT holds at most 64 KiB; unbounded text needs LONGTEXT.
          [](const Text&) -> std::string { return "LONGTEXT"; },
          [](const Date&) -> std::string { return "DATE"; },
          // An instant is kept as its UTC wall clock (the session time zone is UTC): TIMESTAMP
          // would convert it the same way but ends in 2038 and starts in 1970, while DATETIME
          // spans the years 1 to 9999 on MariaDB (1000 to 9999 documented on MySQL). SQLAlchemy
          // also maps DateTime(timezone=True) to DATETIME here.
          [](const DateTime&) -> std::string { return "DATETIME(6)"; },
          [](const Time&) -> std::string { return "TIME(6)"; },
          [](const LargeBinary&) -> std::string { return "LONGBLOB"; },
          [](const JSON&) -> std::string { return "JSON"; },
          [](const Uuid&) -> std::string { return "CHAR(36)"; },
          [&](const Enum& e) -> std::string {
            if (e.values.empty()) {
              throw CompileError("ENUM column '" + column.name() +
                                 "' needs at least one label on the mysql dialect");
            }
            std::string out = "ENUM(";
            for (std::size_t i = 0; i < e.values.size(); ++i) {
              if (i > 0) out += ", ";
              out += quote_string_literal(e.values[i]);
            }
            return out + ")";
          },
      },
      column.type());
}

std::string MySqlDialect::column_ddl(const Column& column) const {
  std::string out = quote_identifier(column.name()) + " " + type_ddl(column);
  if (column.server_default()) out += " DEFAULT " + *column.server_default();
  if (!column.nullable()) out += " NOT NULL";
  if (column.autoincrement()) out += " AUTO_INCREMENT";
  out += column_comment_ddl(column);
  return out;
}

std::string MySqlDialect::column_comment_ddl(const Column& column) const {
  if (column.comment().empty()) return {};
  return " COMMENT " + quote_string_literal(column.comment());
}

std::string MySqlDialect::table_suffix_ddl(const Table& table) const {
  std::string out = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
  if (!table.comment().empty()) out += " COMMENT=" + quote_string_literal(table.comment());
  return out;
}

std::string MySqlDialect::drop_foreign_key_ddl(const Table& table,
                                               const ForeignKeyConstraint& fk) const {
  return "ALTER TABLE " + quote_identifier(table.name()) + " DROP FOREIGN KEY " +
         quote_identifier(foreign_key_name(table, fk));
}

std::shared_ptr<Dialect> make_mysql_dialect() { return std::make_shared<MySqlDialect>(); }

}  // namespace athanor::detail
