// Athanor Core, results: the type-erased half of mapping objects to table rows and back (see
// athanor/core/detail/row_mapping.hpp). The templates in athanor/mapping/mapper.hpp hand off to
// these functions, so a model costs its users' translation units only the code that touches its
// members.
#include "athanor/core/detail/row_mapping.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "athanor/core/dialect.hpp"
#include "athanor/core/engine.hpp"
#include "athanor/core/error.hpp"
#include "athanor/core/schema.hpp"

namespace athanor::detail {
namespace {

bool is_unset_key(const Value& value) {
  if (is_null(value)) return true;
  const auto* number = std::get_if<std::int64_t>(&value);
  return number != nullptr && *number == 0;
}

}  // namespace

void reserve_values(std::vector<Value>& out, std::size_t count) { out.reserve(out.size() + count); }
void append_null(std::vector<Value>& out) { out.emplace_back(); }
void append_value(std::vector<Value>& out, bool value) { out.emplace_back(value); }
void append_value(std::vector<Value>& out, std::int64_t value) { out.emplace_back(value); }
void append_value(std::vector<Value>& out, double value) { out.emplace_back(value); }
void append_value(std::vector<Value>& out, const std::string& value) { out.emplace_back(value); }
void append_value(std::vector<Value>& out, std::string_view value) {
  out.emplace_back(std::string(value));
}
void append_value(std::vector<Value>& out, Value&& value) { out.push_back(std::move(value)); }

Params column_params(const Table& table, std::vector<Value> values) {
  Params params;
  params.reserve(values.size());
  std::size_t i = 0;
  for (const Column& column : table.columns()) params.emplace_back(column.name(), values[i++]);
  return params;
}

Params insert_params(const Table& table, std::vector<Value> values) {
  const Column* autoincrement = table.autoincrement_column();
  Params params;
  params.reserve(values.size());
  std::size_t i = 0;
  for (const Column& column : table.columns()) {
    Value& value = values[i++];
    if (&column == autoincrement && is_unset_key(value)) continue;
    // An unset std::optional member: the column's DEFAULT applies, not NULL.
    if (column.server_default() && is_null(value)) continue;
    params.emplace_back(column.name(), std::move(value));
  }
  return params;
}

std::vector<std::size_t> changed_columns(const std::vector<Value>& before,
                                         const std::vector<Value>& now) {
  std::vector<std::size_t> changed;
  for (std::size_t i = 0; i < now.size(); ++i) {
    if (i >= before.size() || !(before[i] == now[i])) changed.push_back(i);
  }
  return changed;
}

Params changed_params(const Table& table, const std::vector<Value>& before,
                      std::vector<Value> now) {
  Params params;
  for (std::size_t i = 0; i < now.size(); ++i) {
    if (i >= before.size() || !(before[i] == now[i])) {
      params.emplace_back(table.columns()[i].name(), std::move(now[i]));
    }
  }
  return params;
}

ColumnElement primary_key_condition(const Table& table, const std::vector<Value>& key) {
  std::vector<const Column*> key_columns = table.primary_key();
  std::vector<ColumnElement> terms;
  for (std::size_t i = 0; i < key_columns.size(); ++i) {
    terms.push_back(binary(ColumnElement(*key_columns[i]), "=", literal(key[i])));
  }
  return terms.size() == 1 ? terms.front() : and_(std::move(terms));
}

std::vector<std::size_t> layout_by_name(const Table& table, const std::vector<std::string>& keys,
                                        bool require_all) {
  std::vector<std::size_t> positions;
  positions.reserve(table.columns().size());
  for (const Column& column : table.columns()) {
    std::size_t found = kAbsentColumn;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] == column.name()) {
        found = i;
        break;
      }
    }
    if (found == kAbsentColumn && require_all) {
      throw ArgumentError("cannot load a '" + table.name() + "' object: the row has no column '" +
                          column.name() + "'");
    }
    positions.push_back(found);
  }
  return positions;
}

std::vector<std::size_t> layout_at(const Table& table, std::size_t offset, std::size_t row_size) {
  std::size_t count = table.columns().size();
  if (offset + count > row_size) {
    throw ArgumentError("cannot load a '" + table.name() + "' object: the row has " +
                        std::to_string(row_size) + " columns, the table needs " +
                        std::to_string(count) + " from position " + std::to_string(offset));
  }
  std::vector<std::size_t> positions(count);
  for (std::size_t i = 0; i < count; ++i) positions[i] = offset + i;
  return positions;
}

std::optional<Row> insert_row(Connection& connection, const Table& table, Params params) {
  const Column* autoincrement = table.autoincrement_column();
  auto given = [&](const Column& column) {
    return std::any_of(params.begin(), params.end(),
                       [&](const Param& p) { return p.name == column.name(); });
  };
  // The columns the database fills in: the generated key and the server defaults left out.
  std::vector<ColumnElement> filled;
  bool key_generated = false;
  for (const Column& column : table.columns()) {
    if ((&column == autoincrement || column.server_default()) && !given(column)) {
      filled.emplace_back(column);
      key_generated = key_generated || &column == autoincrement;
    }
  }
  Insert statement = insert(table).values(params);
  if (filled.empty()) {
    connection.execute(statement);
    return std::nullopt;
  }
  if (filled.size() == 1 && key_generated) {
    // RETURNING the key alone: emulated from the last-insert-id on a backend without RETURNING.
    return connection.execute(statement.returning(filled)).first();
  }
  if (connection.dialect().supports_returning() && table.implicit_returning()) {
    return connection.execute(statement.returning(filled)).first();
  }
  // No RETURNING for the defaults: insert (with the generated key returned, as above), then
  // read the defaults back by primary key.
  std::optional<Row> generated;
  if (key_generated) {
    generated = connection.execute(statement.returning(ColumnElement(*autoincrement))).first();
  } else {
    connection.execute(statement);
  }
  std::vector<Value> key;
  for (const Column* column : table.primary_key()) {
    auto param = std::find_if(params.begin(), params.end(),
                              [&](const Param& p) { return p.name == column->name(); });
    if (param != params.end()) {
      key.push_back(param->value);
    } else if (column == autoincrement && generated && !is_null((*generated)[0])) {
      key.push_back((*generated)[0]);
    } else {
      throw InvalidRequestError("cannot read back the server defaults of the row inserted into '" +
                                table.name() + "': its primary key column '" + column->name() +
                                "' was filled in by the database and not returned");
    }
  }
  std::vector<SelectItem> columns(filled.begin(), filled.end());
  return connection.execute(select(columns).where(primary_key_condition(table, key))).one();
}

std::int64_t update_row(Connection& connection, const Table& table, std::vector<Value> values) {
  Params set;
  std::vector<Value> key;
  std::size_t i = 0;
  for (const Column& column : table.columns()) {
    Value& value = values[i++];
    if (column.primary_key()) {
      key.push_back(std::move(value));
    } else {
      set.emplace_back(column.name(), std::move(value));
    }
  }
  if (set.empty()) {
    throw ArgumentError("cannot update a '" + table.name() +
                        "' object: every column of the table is part of its primary key");
  }
  Update statement = update(table).where(primary_key_condition(table, key)).values(std::move(set));
  return connection.execute(statement).rowcount();
}

std::int64_t delete_row(Connection& connection, const Table& table, const std::vector<Value>& key) {
  return connection.execute(delete_(table).where(primary_key_condition(table, key))).rowcount();
}

}  // namespace athanor::detail
