// Athanor Core, postgresql dialect: how SQL and DDL are spelled for PostgreSQL, the URL options
// it accepts, and the factory.
#include "core/dialects/postgresql/postgresql_dialect.hpp"

#include <algorithm>
#include <charconv>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "athanor/core/error.hpp"
#include "athanor/core/schema.hpp"
#include "core/dialects/postgresql/postgresql_dialect_impl.hpp"
#include "core/dialects/postgresql/postgresql_driver.hpp"

namespace athanor::detail {

namespace {

// URL query options handed to libpq as connection keywords. Values listed are the only ones
// accepted; an empty list accepts any text.
struct QueryOption {
  std::string_view name;
  bool integer;
  std::vector<std::string_view> choices;
};

const std::vector<QueryOption>& query_options() {
  static const std::vector<QueryOption> kOptions = {
      {"sslmode", false, {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"}},
      {"sslrootcert", false, {}},
      {"sslcert", false, {}},
      {"sslkey", false, {}},
      {"sslcrl", false, {}},
      {"connect_timeout", true, {}},
      {"application_name", false, {}},
      {"options", false, {}},
      {"host", false, {}},  // e.g. a Unix-domain socket directory
      {"target_session_attrs",
       false,
       {"any", "read-write", "read-only", "primary", "standby", "prefer-standby"}},
      {"keepalives", true, {}},
      {"keepalives_idle", true, {}},
      {"keepalives_interval", true, {}},
      {"keepalives_count", true, {}},
      {"tcp_user_timeout", true, {}},
  };
  return kOptions;
}

bool is_non_negative_integer(std::string_view text) {
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && ec == std::errc{} && end == text.data() + text.size() && value >= 0;
}

std::string option_names() {
  std::string out;
  for (const QueryOption& option : query_options()) {
    if (!out.empty()) out += ", ";
    out += option.name;
  }
  return out;
}

}  // namespace

std::unique_ptr<driver::Connection> PostgresqlDialect::connect(const URL& url) const {
  validate_url(url);
  return pg::PgConnection::open(url);
}

void PostgresqlDialect::validate_url(const URL& url) const {
  for (const auto& [key, value] : url.query) {
    const auto& options = query_options();
    auto option = std::find_if(options.begin(), options.end(),
                               [&](const QueryOption& o) { return o.name == key; });
    if (option == options.end()) {
      throw ArgumentError("unknown URL query option '" + key +
                          "' for the postgresql backend; known options: " + option_names());
    }
    if (option->integer && !is_non_negative_integer(value)) {
      throw ArgumentError("URL query option '" + key + "' must be a non-negative integer, not '" +
                          value + "'");
    }
    if (!option->choices.empty() &&
        std::find(option->choices.begin(), option->choices.end(), value) == option->choices.end()) {
      std::string choices;
      for (std::string_view c : option->choices)
        choices += (choices.empty() ? "" : ", ") + std::string(c);
      throw ArgumentError("URL query option '" + key + "' has an invalid value '" + value +
                          "'; expected one of: " + choices);
    }
  }
}

std::string PostgresqlDialect::placeholder(std::size_t index) const {
  char buffer[24] = {'$'};
  char* end = std::to_chars(buffer + 1, buffer + sizeof(buffer), index).ptr;
  return std::string(buffer, static_cast<std::size_t>(end - buffer));
}

std::string PostgresqlDialect::type_ddl(const Column& column) const {
  const TypeEngine& type = column.type();
  std::string base = std::visit(
      [](const auto& t) -> std::string {
        using T = std::decay_t<decltype(t)>;
        if constexpr (std::is_same_v<T, Integer>) {
          return "INTEGER";
        } else if constexpr (std::is_same_v<T, BigInteger>) {
          return "BIGINT";
        } else if constexpr (std::is_same_v<T, SmallInteger>) {
          return "SMALLINT";
        } else if constexpr (std::is_same_v<T, Boolean>) {
          return "BOOLEAN";
        } else if constexpr (std::is_same_v<T, Float>) {
          return "REAL";
        } else if constexpr (std::is_same_v<T, Double>) {
          return "DOUBLE PRECISION";
        } else if constexpr (std::is_same_v<T, Numeric>) {
          if (t.precision && t.scale) return fmt::format("NUMERIC({}, {})", *t.precision, *t.scale);
          if (t.precision) return fmt::format("NUMERIC({})", *t.precision);
          return "NUMERIC";
        } else if constexpr (std::is_same_v<T, String>) {
          return t.length ? fmt::format("VARCHAR({})", *t.length) : std::string("VARCHAR");
        } else if constexpr (std::is_same_v<T, Text>) {
          return "TEXT";
        } else if constexpr (std::is_same_v<T, Date>) {
          return "DATE";
        } else if constexpr (std::is_same_v<T, DateTime>) {
          return t.timezone ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP WITHOUT TIME ZONE";
        } else if constexpr (std::is_same_v<T, Time>) {
          return "TIME WITHOUT TIME ZONE";
        } else if constexpr (std::is_same_v<T, LargeBinary>) {
          return "BYTEA";
        } else if constexpr (std::is_same_v<T, JSON>) {
          return "JSONB";
        } else if constexpr (std::is_same_v<T, Uuid>) {
          return "UUID";
        } else {
          static_assert(std::is_same_v<T, Enum>);
          // Labels are enforced by the CHECK constraint the generic DDL adds.
          std::size_t longest = 1;
          for (const std::string& label : t.values) longest = std::max(longest, label.size());
          return fmt::format("VARCHAR({})", longest);
        }
      },
      type);
  // Identity columns (SQL standard, PostgreSQL 10+) rather than SERIAL: no separately owned
  // sequence, and reflection reports them without a nextval() default to carry around.
  if (column.autoincrement() && is_integer_type(type)) base += " GENERATED BY DEFAULT AS IDENTITY";
  return base;
}

std::vector<std::string> PostgresqlDialect::post_create_ddl(const Table& table) const {
  std::vector<std::string> out = Dialect::post_create_ddl(table);
  const std::string quoted_table = quote_identifier(table.name());
  if (!table.comment().empty()) {
    out.push_back("COMMENT ON TABLE " + quoted_table + " IS " +
                  quote_string_literal(table.comment()));
  }
  for (const Column& column : table.columns()) {
    if (column.comment().empty()) continue;
    out.push_back("COMMENT ON COLUMN " + quoted_table + "." + quote_identifier(column.name()) +
                  " IS " + quote_string_literal(column.comment()));
  }
  return out;
}

std::shared_ptr<Dialect> make_postgresql_dialect() { return std::make_shared<PostgresqlDialect>(); }

}  // namespace athanor::detail
