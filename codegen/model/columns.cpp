// athanor-gen model builder, columns (part of the tables pass): a data member and its
// ATHANOR_COLUMN options as a ColumnModel.
//
// Guarantees: the SQL type is one the member's C++ type can be stored as (the first of
// allowed_types() when not given); length, precision, scale and timezone fit that type;
// nullability follows std::optional unless nullable = ... says otherwise, and a primary key is
// never nullable; autoincrement is only on an integer primary key.
#include "codegen/model/builder.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace athanor::gen::detail {

namespace {

using Kind = OptionValue::Kind;

const std::vector<SqlType::Kind>& all_kinds() {
  using K = SqlType::Kind;
  static const std::vector<K> kinds = {
      K::kInteger,     K::kBigInteger, K::kSmallInteger, K::kBoolean, K::kFloat,    K::kDouble,
      K::kNumeric,     K::kString,     K::kText,         K::kDate,    K::kDateTime, K::kTime,
      K::kLargeBinary, K::kJson,       K::kUuid,         K::kEnum};
  return kinds;
}

// The SQL types a member of `category` may be stored as; the first is the default.
std::vector<SqlType::Kind> allowed_types(const MemberType& type) {
  using K = SqlType::Kind;
  switch (type.category) {
    case TypeCategory::kBool:
      return {K::kBoolean};
    case TypeCategory::kInteger: {
      K natural = K::kBigInteger;
      if (type.bits <= 8 || (type.bits == 16 && type.is_signed)) {
        natural = K::kSmallInteger;
      } else if (type.bits == 16 || (type.bits == 32 && type.is_signed)) {
        natural = K::kInteger;
      }
      std::vector<K> out = {natural};
      for (K k : {K::kSmallInteger, K::kInteger, K::kBigInteger}) {
        if (k != natural) out.push_back(k);
      }
      return out;
    }
    case TypeCategory::kFloat:
      return type.bits == 32 ? std::vector<K>{K::kFloat, K::kDouble, K::kNumeric}
                             : std::vector<K>{K::kDouble, K::kFloat, K::kNumeric};
    case TypeCategory::kString:
      return {K::kText, K::kString};
    case TypeCategory::kBytes:
      return {K::kLargeBinary};
    case TypeCategory::kDecimal:
      return {K::kNumeric};
    case TypeCategory::kDate:
    case TypeCategory::kYearMonthDay:
      return {K::kDate};
    case TypeCategory::kTimestamp:
    case TypeCategory::kSystemClock:
    case TypeCategory::kLocalTimestamp:
      return {K::kDateTime};
    case TypeCategory::kTimeOfDay:
      return {K::kTime};
    case TypeCategory::kUuid:
      return {K::kUuid};
    case TypeCategory::kJson:
    case TypeCategory::kJsonDocument:
      return {K::kJson};
    case TypeCategory::kEnum:
      return {K::kEnum, K::kSmallInteger, K::kInteger, K::kBigInteger, K::kString, K::kText};
    default:
      return {};
  }
}

}  // namespace

const char* type_name(SqlType::Kind kind) {
  switch (kind) {
    case SqlType::Kind::kInteger:
      return "Integer";
    case SqlType::Kind::kBigInteger:
      return "BigInteger";
    case SqlType::Kind::kSmallInteger:
      return "SmallInteger";
    case SqlType::Kind::kBoolean:
      return "Boolean";
    case SqlType::Kind::kFloat:
      return "Float";
    case SqlType::Kind::kDouble:
      return "Double";
    case SqlType::Kind::kNumeric:
      return "Numeric";
    case SqlType::Kind::kString:
      return "String";
    case SqlType::Kind::kText:
      return "Text";
    case SqlType::Kind::kDate:
      return "Date";
    case SqlType::Kind::kDateTime:
      return "DateTime";
    case SqlType::Kind::kTime:
      return "Time";
    case SqlType::Kind::kLargeBinary:
      return "LargeBinary";
    case SqlType::Kind::kJson:
      return "JSON";
    case SqlType::Kind::kUuid:
      return "Uuid";
    case SqlType::Kind::kEnum:
      return "Enum";
  }
  return "?";
}

void SchemaBuilder::build_column(const FieldInfo& f, const Annotation* annotation,
                                 TableModel& table) {
  const std::string macro = "ATHANOR_COLUMN";
  ColumnModel column;
  column.member = f.name;
  column.name = f.name;
  column.optional_member = f.type.optional;
  column.location = f.location;
  std::vector<SqlType::Kind> allowed = allowed_types(f.type);
  column.type.kind = allowed.front();
  if (f.type.category == TypeCategory::kEnum) {
    column.type.enum_name = parse_.enums[f.type.enum_index].qualified_name;
  }
  if (f.type.category == TypeCategory::kLocalTimestamp) column.type.timezone = false;
  if (f.type.category == TypeCategory::kTimestamp ||
      f.type.category == TypeCategory::kSystemClock) {
    column.type.timezone = true;
  }

  std::vector<OptionItem> items;
  bool ok = true;
  if (annotation != nullptr) {
    ok = parse(*annotation, items) &&
         check_keys(macro, items,
                    {"name", "type", "length", "nullable", "unique", "index", "autoincrement",
                     "primary_key", "server_default", "comment", "info", "foreign_key", "ondelete",
                     "onupdate"},
                    {"primary_key", "autoincrement", "nullable", "unique", "index"}, false);
  }
  if (ok && annotation != nullptr) {
    column.name = string_option(macro, items, "name").value_or(f.name);
    column.primary_key = bool_option(macro, items, "primary_key").value_or(false);
    column.autoincrement = bool_option(macro, items, "autoincrement");
    column.unique = bool_option(macro, items, "unique").value_or(false);
    column.index = bool_option(macro, items, "index").value_or(false);
    column.server_default = string_option(macro, items, "server_default", true);
    column.comment = string_option(macro, items, "comment", true).value_or("");
    column.info = json_option(macro, items).value_or("");
    if (const OptionItem* type = find(items, "type")) {
      parse_type(type->value, f, allowed, column);
    }
    if (const OptionItem* length = find(items, "length")) apply_length(*length, f, column);
    std::optional<bool> nullable = bool_option(macro, items, "nullable");
    column.nullable = nullable.value_or(f.type.optional);
    if (nullable && *nullable && column.primary_key) {
      error(find(items, "nullable")->location,
            fmt::format("column '{}' is a primary key and cannot be nullable", column.name));
    }
    if (column.autoincrement.value_or(false)) {
      const OptionItem* item = find(items, "autoincrement");
      if (!column.primary_key) {
        error(item->location,
              fmt::format("autoincrement on column '{}' needs primary_key too", column.name));
      } else if (!column.type.is_integer()) {
        error(item->location, fmt::format("autoincrement needs an integer column; '{}' is {}",
                                          column.name, type_name(column.type.kind)));
      }
    }
    parse_foreign_key(macro, items, column);
  } else {
    column.nullable = f.type.optional;
  }
  if (column.primary_key) column.nullable = false;
  table.columns.push_back(std::move(column));
}

void SchemaBuilder::parse_type(const OptionValue& value, const FieldInfo& f,
                               const std::vector<SqlType::Kind>& allowed, ColumnModel& column) {
  std::vector<std::string> names;
  for (SqlType::Kind k : all_kinds()) names.emplace_back(type_name(k));
  if (value.kind != Kind::kIdentifier && value.kind != Kind::kCall) {
    error(value.location, fmt::format("ATHANOR_COLUMN option 'type' takes a type such as Text, "
                                      "String(255) or Numeric(10, 2); got {}",
                                      describe(value)));
    return;
  }
  auto it = std::find(names.begin(), names.end(), value.text);
  if (it == names.end()) {
    error(value.location,
          fmt::format("unknown column type '{}'{}", value.text, suggestion(value.text, names)));
    return;
  }
  SqlType type;
  type.kind = all_kinds()[static_cast<std::size_t>(it - names.begin())];
  type.enum_name = column.type.enum_name;
  std::vector<const OptionItem*> args;
  for (const OptionItem& a : value.args) args.push_back(&a);
  auto int_arg = [&](const OptionItem* a, const char* what) -> std::optional<int> {
    if (!a->positional() || a->value.kind != Kind::kNumber || a->value.number <= 0 ||
        a->value.number > 1'000'000'000) {
      error(a->location, fmt::format("{} of {} must be a positive integer; got {}", what,
                                     value.text, describe(a->value)));
      return std::nullopt;
    }
    return static_cast<int>(a->value.number);
  };
  switch (type.kind) {
    case SqlType::Kind::kString:
      if (args.size() > 1) {
        error(value.location, "String takes one argument, the length: String(255)");
        return;
      }
      if (args.size() == 1) {
        type.length = int_arg(args[0], "the length");
        if (!type.length) return;
      }
      break;
    case SqlType::Kind::kNumeric:
      if (args.size() > 2) {
        error(value.location, "Numeric takes a precision and a scale: Numeric(10, 2)");
        return;
      }
      if (!args.empty()) {
        type.precision = int_arg(args[0], "the precision");
        if (!type.precision) return;
      }
      if (args.size() == 2) {
        const OptionItem* s = args[1];
        if (!s->positional() || s->value.kind != Kind::kNumber || s->value.number < 0 ||
            s->value.number > *type.precision) {
          error(s->location, fmt::format("the scale of Numeric must be between 0 and the "
                                         "precision; got {}",
                                         describe(s->value)));
          return;
        }
        type.scale = static_cast<int>(s->value.number);
      }
      break;
    case SqlType::Kind::kDateTime:
      if (args.size() > 1) {
        error(value.location, "DateTime takes one argument: DateTime(timezone)");
        return;
      }
      type.timezone = false;
      if (args.size() == 1) {
        const OptionItem* a = args[0];
        bool flag = a->is_flag() && a->value.text == "timezone";
        bool keyed = a->key == "timezone" && a->value.kind == Kind::kIdentifier &&
                     (a->value.text == "true" || a->value.text == "false");
        if (!flag && !keyed) {
          error(a->location, fmt::format("DateTime takes 'timezone' or 'timezone = true|false'; "
                                         "got {}",
                                         describe(a->value)));
          return;
        }
        type.timezone = flag || a->value.text == "true";
      }
      break;
    default:
      if (!args.empty() || value.kind == Kind::kCall) {
        error(value.location, fmt::format("{} takes no arguments", value.text));
        return;
      }
  }
  if (std::find(allowed.begin(), allowed.end(), type.kind) == allowed.end()) {
    std::string list;
    for (SqlType::Kind k : allowed) list += (list.empty() ? "" : ", ") + std::string(type_name(k));
    error(value.location,
          fmt::format("type {} does not fit member '{}' of type '{}'; use {}", describe(value),
                      f.name, f.type.spelling, list.empty() ? "no override" : list));
    return;
  }
  if (type.kind == SqlType::Kind::kDateTime && type.timezone &&
      f.type.category == TypeCategory::kLocalTimestamp) {
    error(value.location, fmt::format("member '{}' is a local (zone-less) time; DateTime(timezone) "
                                      "needs athanor::Timestamp",
                                      f.name));
    return;
  }
  if (f.type.category == TypeCategory::kEnum) column.enum_as_integer = type.is_integer();
  column.type = type;
}

void SchemaBuilder::apply_length(const OptionItem& item, const FieldInfo& f, ColumnModel& column) {
  if (item.value.kind != Kind::kNumber || item.value.number <= 0) {
    error(item.value.location, fmt::format("ATHANOR_COLUMN option 'length' must be a positive "
                                           "integer; got {}",
                                           describe(item.value)));
    return;
  }
  bool texty = column.type.kind == SqlType::Kind::kString ||
               column.type.kind == SqlType::Kind::kText ||
               (f.type.category == TypeCategory::kEnum && column.type.kind == SqlType::Kind::kEnum);
  if (!texty || f.type.category == TypeCategory::kEnum) {
    error(item.location, fmt::format("length applies to text columns; member '{}' is '{}'", f.name,
                                     f.type.spelling));
    return;
  }
  if (column.type.kind == SqlType::Kind::kString && column.type.length) {
    error(item.location, "the length is given twice (length = ... and String(...))");
    return;
  }
  column.type.kind = SqlType::Kind::kString;
  column.type.length = static_cast<int>(item.value.number);
}

}  // namespace athanor::gen::detail
