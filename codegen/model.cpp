// athanor-gen model: builds and checks the schema description (see model.hpp).
#include "codegen/model.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "codegen/options.hpp"

namespace athanor::gen {

const ColumnModel* TableModel::find_column(const std::string& column) const {
  for (const ColumnModel& c : columns) {
    if (c.name == column) return &c;
  }
  return nullptr;
}

const TableModel* Schema::find_table(const std::string& name) const {
  for (const TableModel& t : tables) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

const TableModel* Schema::find_struct(const std::string& usr) const {
  for (const TableModel& t : tables) {
    if (t.usr == usr) return &t;
  }
  return nullptr;
}

const EnumModel* Schema::find_enum(const std::string& qualified_name) const {
  for (const EnumModel& e : enums) {
    if (e.qualified_name == qualified_name) return &e;
  }
  return nullptr;
}

namespace {

using Kind = OptionValue::Kind;

std::string macro_name(const std::string& kind) {
  std::string out = "ATHANOR_";
  for (char c : kind) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// "; did you mean 'x'?" for a close match, else the list of what is allowed.
std::string suggestion(const std::string& word, const std::vector<std::string>& known) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const std::string& k : known) {
    std::size_t d = edit_distance(word, k);
    if (d < best_distance) {
      best_distance = d;
      best = k;
    }
  }
  if (!best.empty()) return fmt::format("; did you mean '{}'?", best);
  std::string list;
  for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
  return fmt::format(" (known: {})", list);
}

std::string snake_case(const std::string& name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (std::isupper(static_cast<unsigned char>(c)) != 0) {
      bool after_lower = i > 0 && (std::islower(static_cast<unsigned char>(name[i - 1])) != 0 ||
                                   std::isdigit(static_cast<unsigned char>(name[i - 1])) != 0);
      bool before_lower = i > 0 && i + 1 < name.size() &&
                          std::islower(static_cast<unsigned char>(name[i + 1])) != 0 &&
                          std::isupper(static_cast<unsigned char>(name[i - 1])) != 0;
      if (after_lower || before_lower) out += '_';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}

std::string trim(std::string s) {
  auto blank = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!s.empty() && blank(s.back())) s.pop_back();
  std::size_t start = 0;
  while (start < s.size() && blank(s[start])) ++start;
  return s.substr(start);
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

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

const char* kSupportedTypes =
    "supported: bool, integers, float, double, std::string, athanor::Bytes, athanor::Decimal, "
    "std::chrono::sys_days, std::chrono::year_month_day, athanor::Timestamp, "
    "std::chrono::system_clock::time_point, athanor::LocalTimestamp, athanor::TimeOfDay, "
    "athanor::UuidValue, nlohmann::json, enum class, std::optional of these, and "
    "athanor::Collection<T> / athanor::Reference<T> for relationships";

class Builder {
 public:
  Builder(const ParseResult& parse, Diagnostics& diagnostics)
      : parse_(parse), diagnostics_(diagnostics) {}

  Schema build() {
    report_strays();
    for (const StructInfo& s : parse_.structs) build_table(s);
    check_table_names();
    resolve_foreign_keys();
    for (std::size_t i = 0; i < schema_.tables.size(); ++i) {
      for (RelationshipModel& r : schema_.tables[i].relationships) resolve_relationship(i, r);
    }
    for (const TableModel& t : schema_.tables) {
      for (const RelationshipModel& r : t.relationships) check_back_populates(t, r);
    }
    build_enums();
    return std::move(schema_);
  }

 private:
  void error(const SourceLocation& where, std::string message) {
    diagnostics_.error(where, std::move(message));
  }

  const std::string* source(const std::string& file) {
    auto it = sources_.find(file);
    if (it == sources_.end()) {
      std::ifstream in(file, std::ios::binary);
      std::ostringstream text;
      if (in) text << in.rdbuf();
      it = sources_.emplace(file, text.str()).first;
    }
    return it->second.empty() ? nullptr : &it->second;
  }

  bool parse(const Annotation& a, std::vector<OptionItem>& items) {
    AnnotationSite site{a.text, a.location, source(a.location.file)};
    return parse_options(site, items, diagnostics_);
  }

  // ---- option value helpers ---------------------------------------------------------------

  // Checks that every item of `items` is a known `key = value` (or a flag among `flags`), each
  // given once; positional values are only allowed when `positional` is set.
  bool check_keys(const std::string& macro, const std::vector<OptionItem>& items,
                  const std::vector<std::string>& keys, const std::vector<std::string>& flags,
                  bool positional) {
    bool ok = true;
    std::set<std::string> seen;
    std::vector<std::string> known = keys;
    for (const std::string& f : flags) {
      if (std::find(known.begin(), known.end(), f) == known.end()) known.push_back(f);
    }
    for (const OptionItem& item : items) {
      std::string key = item.is_flag() ? item.value.text : item.key;
      if (key.empty()) {
        if (!positional) {
          error(item.location, fmt::format("{} takes 'option = value' items; {} is not one", macro,
                                           describe(item.value)));
          ok = false;
        }
        continue;
      }
      bool is_known = item.is_flag() ? std::find(flags.begin(), flags.end(), key) != flags.end()
                                     : std::find(keys.begin(), keys.end(), key) != keys.end();
      if (!is_known) {
        bool known_other_form = std::find(known.begin(), known.end(), key) != known.end();
        if (known_other_form && item.is_flag()) {
          error(item.location,
                fmt::format("{} option '{}' needs a value: {} = ...", macro, key, key));
        } else if (known_other_form) {
          error(item.location, fmt::format("{} option '{}' is a flag: write it alone", macro, key));
        } else {
          error(item.location,
                fmt::format("unknown {} option '{}'{}", macro, key, suggestion(key, known)));
        }
        ok = false;
        continue;
      }
      if (!seen.insert(key).second) {
        error(item.location, fmt::format("{} option '{}' is given twice", macro, key));
        ok = false;
      }
    }
    return ok;
  }

  const OptionItem* find(const std::vector<OptionItem>& items, const std::string& key) {
    for (const OptionItem& item : items) {
      if (item.key == key || (item.is_flag() && item.value.text == key)) return &item;
    }
    return nullptr;
  }

  std::optional<std::string> string_option(const std::string& macro,
                                           const std::vector<OptionItem>& items,
                                           const std::string& key, bool allow_empty = false) {
    const OptionItem* item = find(items, key);
    if (item == nullptr) return std::nullopt;
    if (item->value.kind != Kind::kString) {
      error(item->value.location,
            fmt::format("{} option '{}' takes a string, e.g. {} = \"...\"; got {}", macro, key, key,
                        describe(item->value)));
      return std::nullopt;
    }
    if (!allow_empty && item->value.text.empty()) {
      error(item->value.location, fmt::format("{} option '{}' must not be empty", macro, key));
      return std::nullopt;
    }
    return item->value.text;
  }

  // A flag (`unique`) or an explicit boolean (`unique = false`).
  std::optional<bool> bool_option(const std::string& macro, const std::vector<OptionItem>& items,
                                  const std::string& key) {
    const OptionItem* item = find(items, key);
    if (item == nullptr) return std::nullopt;
    if (item->is_flag()) return true;
    if (item->value.kind == Kind::kIdentifier &&
        (item->value.text == "true" || item->value.text == "false")) {
      return item->value.text == "true";
    }
    error(item->value.location, fmt::format("{} option '{}' is true or false; got {}", macro, key,
                                            describe(item->value)));
    return std::nullopt;
  }

  std::optional<std::string> json_option(const std::string& macro,
                                         const std::vector<OptionItem>& items) {
    std::optional<std::string> text = string_option(macro, items, "info");
    if (!text) return std::nullopt;
    const OptionItem* item = find(items, "info");
    nlohmann::json parsed;
    try {
      parsed = nlohmann::json::parse(*text);
    } catch (const nlohmann::json::parse_error& e) {
      std::string what = e.what();
      std::size_t prefix = what.find("] ");  // drop nlohmann's "[json.exception...] " prefix
      error(item->value.location,
            fmt::format("{} option 'info' is not valid JSON: {}", macro,
                        prefix == std::string::npos ? what : what.substr(prefix + 2)));
      return std::nullopt;
    }
    if (!parsed.is_object()) {
      error(item->value.location,
            fmt::format(
                "{} option 'info' must be a JSON object, e.g. info = R\"({{\"pii\": true}})\"",
                macro));
      return std::nullopt;
    }
    return *text;
  }

  // A string, or a {"a", "b"} list of strings; "a, b" in one string is split at commas.
  std::vector<std::pair<std::string, SourceLocation>> string_list_option(
      const std::string& macro, const std::vector<OptionItem>& items, const std::string& key) {
    std::vector<std::pair<std::string, SourceLocation>> out;
    const OptionItem* item = find(items, key);
    if (item == nullptr) return out;
    std::vector<const OptionValue*> values;
    if (item->value.kind == Kind::kList) {
      for (const OptionItem& element : item->value.args) values.push_back(&element.value);
    } else {
      values.push_back(&item->value);
    }
    for (const OptionValue* v : values) {
      if (v->kind != Kind::kString) {
        error(v->location,
              fmt::format("{} option '{}' takes a string or a {{\"...\", ...}} list of "
                          "strings; got {}",
                          macro, key, describe(*v)));
        return {};
      }
      std::stringstream parts(v->text);
      std::string part;
      while (std::getline(parts, part, ',')) {
        part = trim(part);
        if (part.empty()) {
          error(v->location, fmt::format("{} option '{}' has an empty entry", macro, key));
          return {};
        }
        out.emplace_back(part, v->location);
      }
    }
    if (out.empty())
      error(item->value.location, fmt::format("{} option '{}' is empty", macro, key));
    return out;
  }

  // ---- annotations out of place -----------------------------------------------------------

  bool known_kind(const std::string& kind) {
    static const std::set<std::string> kinds = {"table", "column", "relationship", "transient",
                                                "index", "unique", "check",        "enum_value"};
    return kinds.count(kind) > 0;
  }

  void unknown_annotation(const Annotation& a) {
    error(a.location,
          fmt::format("unknown annotation '{}'{}", macro_name(a.kind),
                      suggestion(macro_name(a.kind),
                                 {"ATHANOR_TABLE", "ATHANOR_COLUMN", "ATHANOR_RELATIONSHIP",
                                  "ATHANOR_TRANSIENT", "ATHANOR_INDEX", "ATHANOR_UNIQUE",
                                  "ATHANOR_CHECK", "ATHANOR_ENUM_VALUE"})));
  }

  void report_strays() {
    for (const StrayAnnotation& stray : parse_.strays) {
      const Annotation& a = stray.annotation;
      if (!known_kind(a.kind)) {
        unknown_annotation(a);
      } else if (a.kind == "table" || a.kind == "index" || a.kind == "unique" ||
                 a.kind == "check") {
        error(a.location, fmt::format("{} is misplaced on {}: it goes right after the struct "
                                      "keyword of a model, struct ATHANOR_TABLE(\"name\") Name {{ "
                                      "... }};",
                                      macro_name(a.kind), stray.declaration));
      } else if (a.kind == "enum_value") {
        error(a.location, fmt::format("ATHANOR_ENUM_VALUE is misplaced on {}: it goes after an "
                                      "enumerator, kDraft ATHANOR_ENUM_VALUE(\"draft\")",
                                      stray.declaration));
      } else {
        error(a.location, fmt::format("{} is misplaced on {}: only non-static data members of a "
                                      "model are mapped",
                                      macro_name(a.kind), stray.declaration));
      }
    }
  }

  // ---- tables -----------------------------------------------------------------------------

  void build_table(const StructInfo& s) {
    const Annotation* table_annotation = nullptr;
    std::vector<const Annotation*> constraints;
    for (const Annotation& a : s.annotations) {
      if (a.kind == "table") {
        if (table_annotation != nullptr) {
          error(a.location, fmt::format("ATHANOR_TABLE is given twice for '{}'", s.qualified_name));
          return;
        }
        table_annotation = &a;
      } else if (a.kind == "index" || a.kind == "unique" || a.kind == "check") {
        constraints.push_back(&a);
      } else if (!known_kind(a.kind)) {
        unknown_annotation(a);
      } else {
        error(a.location, fmt::format("{} is misplaced on struct '{}': it goes on a data member",
                                      macro_name(a.kind), s.qualified_name));
      }
    }
    if (table_annotation == nullptr) {
      for (const Annotation* a : constraints) {
        error(a->location,
              fmt::format("{} on '{}' needs ATHANOR_TABLE(\"name\") on the same struct",
                          macro_name(a->kind), s.qualified_name));
      }
      for (const FieldInfo& f : s.fields) {
        for (const Annotation& a : f.annotations) {
          if (!known_kind(a.kind)) {
            unknown_annotation(a);
            continue;
          }
          error(a.location, fmt::format("{} is on member '{}' of '{}', which is not a model: add "
                                        "ATHANOR_TABLE(\"name\") after its struct keyword",
                                        macro_name(a.kind), f.name, s.qualified_name));
        }
      }
      return;
    }

    std::size_t errors_before = diagnostics_.size();
    if (s.is_union) {
      error(s.location,
            fmt::format("'{}' is a union; a model must be a struct or class", s.qualified_name));
    }
    if (s.is_nested) {
      error(s.location, fmt::format("model '{}' is nested in another class; declare models at "
                                    "namespace scope",
                                    s.qualified_name));
    }
    if (s.in_anonymous_namespace) {
      error(s.location, fmt::format("model '{}' is in an anonymous namespace; generated code in "
                                    "other files could not name it",
                                    s.qualified_name));
    }
    if (s.has_bases) {
      error(s.location, fmt::format("model '{}' has a base class; a model's columns must be its "
                                    "own data members",
                                    s.qualified_name));
    }

    TableModel table;
    table.struct_name = s.name;
    table.qualified_name = s.qualified_name;
    table.namespace_name = s.namespace_name;
    table.usr = s.usr;
    table.header = s.file;
    table.location = s.location;
    parse_table_options(*table_annotation, table);

    for (const FieldInfo& f : s.fields) build_member(s, f, table);

    std::set<std::string> column_names;
    for (const ColumnModel& c : table.columns) {
      if (!column_names.insert(c.name).second) {
        error(c.location, fmt::format("two members of '{}' map to column '{}'; give one another "
                                      "name with ATHANOR_COLUMN(name = \"...\")",
                                      s.qualified_name, c.name));
      }
    }
    for (const Annotation* a : constraints) parse_constraint(*a, table);

    bool has_key = std::any_of(table.columns.begin(), table.columns.end(),
                               [](const ColumnModel& c) { return c.primary_key; });
    if (!has_key && diagnostics_.size() == errors_before) {
      error(s.location, fmt::format("model '{}' (table \"{}\") has no primary key: mark its key "
                                    "member(s) ATHANOR_COLUMN(primary_key)",
                                    s.qualified_name, table.name));
    }
    schema_.tables.push_back(std::move(table));
  }

  void parse_table_options(const Annotation& a, TableModel& table) {
    const std::string macro = "ATHANOR_TABLE";
    std::vector<OptionItem> items;
    if (!parse(a, items)) return;
    if (!items.empty() && items.front().is_flag()) {
      error(items.front().location,
            fmt::format("ATHANOR_TABLE starts with the table name as a string, e.g. "
                        "ATHANOR_TABLE(\"{}\"); got {}",
                        items.front().value.text, items.front().value.text));
      return;
    }
    if (!check_keys(macro, items, {"name", "comment", "info"}, {}, true)) return;
    std::vector<const OptionItem*> positional;
    for (const OptionItem& item : items) {
      if (item.positional()) positional.push_back(&item);
    }
    std::optional<std::string> name = string_option(macro, items, "name");
    if (!positional.empty()) {
      const OptionItem& first = *positional.front();
      if (first.value.kind != Kind::kString) {
        error(first.location, fmt::format("ATHANOR_TABLE starts with the table name as a string, "
                                          "e.g. ATHANOR_TABLE(\"users\"); got {}",
                                          describe(first.value)));
        return;
      }
      if (positional.size() > 1) {
        error(positional[1]->location,
              fmt::format("ATHANOR_TABLE takes one table name; {} is extra (options are written "
                          "key = value)",
                          describe(positional[1]->value)));
        return;
      }
      if (name) {
        error(first.location, "ATHANOR_TABLE names the table twice (positional and name = ...)");
        return;
      }
      name = first.value.text;
    }
    if (!name || name->empty()) {
      error(a.location,
            fmt::format("ATHANOR_TABLE needs the table name: struct ATHANOR_TABLE(\"{}\") "
                        "{} {{ ... }};",
                        snake_case(table.struct_name) + "s", table.struct_name));
      table.name = snake_case(table.struct_name);
      return;
    }
    table.name = *name;
    table.comment = string_option(macro, items, "comment", true).value_or("");
    table.info = json_option(macro, items).value_or("");
  }

  void build_member(const StructInfo& s, const FieldInfo& f, TableModel& table) {
    const Annotation* column = nullptr;
    const Annotation* relationship = nullptr;
    const Annotation* transient = nullptr;
    for (const Annotation& a : f.annotations) {
      const Annotation** slot = nullptr;
      if (a.kind == "column") {
        slot = &column;
      } else if (a.kind == "relationship") {
        slot = &relationship;
      } else if (a.kind == "transient") {
        slot = &transient;
      } else if (!known_kind(a.kind)) {
        unknown_annotation(a);
        return;
      } else {
        error(a.location, fmt::format("{} is misplaced on member '{}': it goes after the struct "
                                      "keyword",
                                      macro_name(a.kind), f.name));
        return;
      }
      if (*slot != nullptr) {
        error(a.location,
              fmt::format("{} is given twice on member '{}'", macro_name(a.kind), f.name));
        return;
      }
      *slot = &a;
    }
    if (transient != nullptr) {
      const Annotation* other = column != nullptr ? column : relationship;
      if (other != nullptr) {
        error(other->location, fmt::format("member '{}' is ATHANOR_TRANSIENT and also {}; remove "
                                           "one of them",
                                           f.name, macro_name(other->kind)));
      }
      if (!transient->text.empty()) {
        error(transient->location, "ATHANOR_TRANSIENT takes no options");
      }
      return;
    }
    if (f.name == "table") {
      error(f.location, fmt::format("member 'table' of '{}' would clash with {}_::table(); rename "
                                    "it or mark it ATHANOR_TRANSIENT",
                                    s.qualified_name, s.name));
      return;
    }
    if (!f.is_public) {
      error(f.location, fmt::format("member '{}' of model '{}' is not public; generated code reads "
                                    "and writes members directly: make it public or mark it "
                                    "ATHANOR_TRANSIENT",
                                    f.name, s.qualified_name));
      return;
    }
    if (f.is_const) {
      error(f.location, fmt::format("member '{}' of model '{}' is const and could not be loaded "
                                    "from a row; make it non-const or mark it ATHANOR_TRANSIENT",
                                    f.name, s.qualified_name));
      return;
    }
    if (f.is_bitfield) {
      error(f.location, fmt::format("member '{}' of model '{}' is a bit-field; use a whole integer "
                                    "or bool",
                                    f.name, s.qualified_name));
      return;
    }
    bool is_relationship =
        f.type.category == TypeCategory::kCollection || f.type.category == TypeCategory::kReference;
    if (is_relationship) {
      if (column != nullptr) {
        error(column->location, fmt::format("member '{}' is a relationship ({}); use "
                                            "ATHANOR_RELATIONSHIP(...) rather than ATHANOR_COLUMN",
                                            f.name, f.type.spelling));
        return;
      }
      build_relationship(s, f, relationship, table);
      return;
    }
    if (relationship != nullptr) {
      error(
          relationship->location,
          fmt::format("ATHANOR_RELATIONSHIP is on member '{}' of type '{}'; a relationship member "
                      "is athanor::Collection<T> (to-many) or athanor::Reference<T> (to-one)",
                      f.name, f.type.spelling));
      return;
    }
    if (f.type.category == TypeCategory::kUnsupported) {
      error(f.location,
            fmt::format("unsupported member type '{}' for column '{}' of '{}': {}; or "
                        "mark the member ATHANOR_TRANSIENT",
                        f.type.spelling, f.name, s.qualified_name,
                        f.type.why_unsupported.empty() ? kSupportedTypes : f.type.why_unsupported));
      return;
    }
    build_column(f, column, table);
  }

  // ---- columns ----------------------------------------------------------------------------

  void build_column(const FieldInfo& f, const Annotation* annotation, TableModel& table) {
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
                       "primary_key", "server_default", "comment", "info", "foreign_key",
                       "ondelete", "onupdate"},
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

  void parse_type(const OptionValue& value, const FieldInfo& f,
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
      for (SqlType::Kind k : allowed)
        list += (list.empty() ? "" : ", ") + std::string(type_name(k));
      error(value.location,
            fmt::format("type {} does not fit member '{}' of type '{}'; use {}", describe(value),
                        f.name, f.type.spelling, list.empty() ? "no override" : list));
      return;
    }
    if (type.kind == SqlType::Kind::kDateTime && type.timezone &&
        f.type.category == TypeCategory::kLocalTimestamp) {
      error(value.location,
            fmt::format("member '{}' is a local (zone-less) time; DateTime(timezone) "
                        "needs athanor::Timestamp",
                        f.name));
      return;
    }
    if (f.type.category == TypeCategory::kEnum) column.enum_as_integer = type.is_integer();
    column.type = type;
  }

  void apply_length(const OptionItem& item, const FieldInfo& f, ColumnModel& column) {
    if (item.value.kind != Kind::kNumber || item.value.number <= 0) {
      error(item.value.location, fmt::format("ATHANOR_COLUMN option 'length' must be a positive "
                                             "integer; got {}",
                                             describe(item.value)));
      return;
    }
    bool texty =
        column.type.kind == SqlType::Kind::kString || column.type.kind == SqlType::Kind::kText ||
        (f.type.category == TypeCategory::kEnum && column.type.kind == SqlType::Kind::kEnum);
    if (!texty || f.type.category == TypeCategory::kEnum) {
      error(item.location, fmt::format("length applies to text columns; member '{}' is '{}'",
                                       f.name, f.type.spelling));
      return;
    }
    if (column.type.kind == SqlType::Kind::kString && column.type.length) {
      error(item.location, "the length is given twice (length = ... and String(...))");
      return;
    }
    column.type.kind = SqlType::Kind::kString;
    column.type.length = static_cast<int>(item.value.number);
  }

  void parse_foreign_key(const std::string& macro, const std::vector<OptionItem>& items,
                         ColumnModel& column) {
    std::optional<std::string> target = string_option(macro, items, "foreign_key");
    std::optional<std::string> ondelete = string_option(macro, items, "ondelete");
    std::optional<std::string> onupdate = string_option(macro, items, "onupdate");
    if (!target) {
      for (const char* key : {"ondelete", "onupdate"}) {
        if (const OptionItem* item = find(items, key)) {
          error(item->location, fmt::format("{} applies to a foreign key; add foreign_key = "
                                            "\"table.column\"",
                                            key));
        }
      }
      return;
    }
    const OptionItem* item = find(items, "foreign_key");
    std::size_t dot = target->rfind('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == target->size()) {
      error(item->value.location,
            fmt::format("foreign_key = \"{}\" must name \"table.column\"", *target));
      return;
    }
    ForeignKeyModel fk;
    fk.table = target->substr(0, dot);
    fk.column = target->substr(dot + 1);
    fk.location = item->value.location;
    static const std::vector<std::string> actions = {"CASCADE", "SET NULL", "SET DEFAULT",
                                                     "RESTRICT", "NO ACTION"};
    auto action = [&](const std::optional<std::string>& value, const char* key) {
      if (!value) return std::string();
      std::string normalized = upper(trim(*value));
      if (std::find(actions.begin(), actions.end(), normalized) == actions.end()) {
        error(find(items, key)->value.location,
              fmt::format("{} = \"{}\" is not a referential action{}", key, *value,
                          suggestion(normalized, actions)));
        return std::string();
      }
      return normalized;
    };
    fk.ondelete = action(ondelete, "ondelete");
    fk.onupdate = action(onupdate, "onupdate");
    if (fk.ondelete == "SET NULL" && !column.nullable) {
      error(find(items, "ondelete")->value.location,
            fmt::format("ondelete = \"SET NULL\" needs a nullable column; make '{}' std::optional",
                        column.member));
    }
    column.foreign_key = std::move(fk);
  }

  // ---- table-level constraints ------------------------------------------------------------

  // A member name (or column name) of `table`, as its column name.
  std::optional<std::string> column_for(const TableModel& table, const std::string& name) {
    for (const ColumnModel& c : table.columns) {
      if (c.member == name) return c.name;
    }
    for (const ColumnModel& c : table.columns) {
      if (c.name == name) return c.name;
    }
    return std::nullopt;
  }

  std::vector<std::string> column_names(const TableModel& table) {
    std::vector<std::string> out;
    for (const ColumnModel& c : table.columns) out.push_back(c.member);
    return out;
  }

  void parse_constraint(const Annotation& a, TableModel& table) {
    const std::string macro = macro_name(a.kind);
    std::vector<OptionItem> items;
    if (!parse(a, items)) return;
    std::vector<std::string> keys = {"name"};
    std::vector<std::string> flags;
    if (a.kind == "index") {
      keys.push_back("unique");
      flags.push_back("unique");
    }
    if (!check_keys(macro, items, keys, flags, true)) return;
    std::vector<const OptionItem*> positional;
    for (const OptionItem& item : items) {
      if (item.positional() && !item.is_flag()) positional.push_back(&item);
    }
    std::string name = string_option(macro, items, "name").value_or("");
    if (a.kind == "check") {
      if (positional.size() != 1 || positional[0]->value.kind != Kind::kString) {
        error(a.location,
              "ATHANOR_CHECK takes the SQL condition as one string: "
              "ATHANOR_CHECK(\"price >= 0\")");
        return;
      }
      table.checks.push_back({name, positional[0]->value.text});
      return;
    }
    if (positional.empty()) {
      error(a.location,
            fmt::format("{} needs the members it covers: {}(\"a\", \"b\")", macro, macro));
      return;
    }
    std::vector<std::string> columns;
    for (const OptionItem* p : positional) {
      if (p->value.kind != Kind::kString) {
        error(p->location,
              fmt::format("{} takes member names as strings; got {}", macro, describe(p->value)));
        return;
      }
      std::optional<std::string> column = column_for(table, p->value.text);
      if (!column) {
        error(p->location,
              fmt::format("{} names '{}', which is not a column of '{}'{}", macro, p->value.text,
                          table.qualified_name, suggestion(p->value.text, column_names(table))));
        return;
      }
      columns.push_back(*column);
    }
    if (a.kind == "unique") {
      table.uniques.push_back({name, columns});
    } else {
      table.indexes.push_back({name, columns, bool_option(macro, items, "unique").value_or(false)});
    }
  }

  void check_table_names() {
    std::map<std::string, const TableModel*> seen;
    for (const TableModel& t : schema_.tables) {
      if (t.name.empty()) continue;  // its missing name was reported
      auto [it, inserted] = seen.emplace(t.name, &t);
      if (!inserted) {
        error(t.location, fmt::format("table \"{}\" of '{}' is already the table of '{}' ({}); "
                                      "give one of them another name",
                                      t.name, t.qualified_name, it->second->qualified_name,
                                      to_string(it->second->location)));
      }
    }
  }

  void resolve_foreign_keys() {
    for (const TableModel& t : schema_.tables) {
      for (const ColumnModel& c : t.columns) {
        if (!c.foreign_key) continue;
        const ForeignKeyModel& fk = *c.foreign_key;
        const TableModel* target = schema_.find_table(fk.table);
        if (target == nullptr) {
          std::vector<std::string> names;
          for (const TableModel& other : schema_.tables) names.push_back(other.name);
          error(fk.location,
                fmt::format("foreign_key = \"{}.{}\": no model of this step has table "
                            "\"{}\"{}",
                            fk.table, fk.column, fk.table, suggestion(fk.table, names)));
          continue;
        }
        const ColumnModel* referred = target->find_column(fk.column);
        if (referred == nullptr) {
          std::vector<std::string> names;
          for (const ColumnModel& other : target->columns) names.push_back(other.name);
          error(fk.location, fmt::format("foreign_key = \"{}.{}\": table \"{}\" has no column "
                                         "'{}'{}",
                                         fk.table, fk.column, fk.table, fk.column,
                                         suggestion(fk.column, names)));
        } else if (referred->type.kind != c.type.kind) {
          // MySQL and MariaDB refuse foreign keys between columns of different types.
          error(fk.location,
                fmt::format("foreign_key = \"{}.{}\": column '{}' is {} but '{}.{}' is "
                            "{}; give both the same type",
                            fk.table, fk.column, c.name, type_name(c.type.kind), fk.table,
                            fk.column, type_name(referred->type.kind)));
        }
      }
    }
  }

  // ---- relationships ----------------------------------------------------------------------

  void build_relationship(const StructInfo& s, const FieldInfo& f, const Annotation* annotation,
                          TableModel& table) {
    const std::string macro = "ATHANOR_RELATIONSHIP";
    RelationshipModel r;
    r.member = f.name;
    r.target = f.type.target_name;
    r.target_usr = f.type.target_usr;
    r.uselist = f.type.category == TypeCategory::kCollection;
    r.location = f.location;
    r.cascade = {"save-update", "merge"};
    if (!f.type.target_annotated) {
      if (f.type.target_file.empty()) {
        error(f.location, fmt::format("relationship '{}' of '{}' points to '{}', which is only "
                                      "declared; include the header that defines it as a model",
                                      f.name, s.qualified_name, r.target));
      } else {
        error(f.location, fmt::format("relationship '{}' of '{}' points to '{}', which is not a "
                                      "mapped model: give it ATHANOR_TABLE(\"name\")",
                                      f.name, s.qualified_name, r.target));
      }
      return;
    }
    if (!parse_.structs.empty() &&
        std::none_of(parse_.structs.begin(), parse_.structs.end(),
                     [&](const StructInfo& other) { return other.usr == r.target_usr; })) {
      error(f.location, fmt::format("relationship '{}' of '{}' points to '{}', which is declared "
                                    "in {}, not in a header of this generation step; add that "
                                    "header to the step's HEADERS",
                                    f.name, s.qualified_name, r.target, f.type.target_file));
      return;
    }
    if (annotation != nullptr) {
      std::vector<OptionItem> items;
      if (!parse(*annotation, items) ||
          !check_keys(macro, items,
                      {"back_populates", "secondary", "cascade", "lazy", "order_by", "foreign_keys",
                       "post_update"},
                      {"post_update"}, false)) {
        return;
      }
      if (std::optional<std::string> back = string_option(macro, items, "back_populates")) {
        r.back_populates = *back;
        r.back_populates_location = find(items, "back_populates")->value.location;
      }
      if (std::optional<std::string> secondary = string_option(macro, items, "secondary")) {
        r.secondary = *secondary;
        r.secondary_location = find(items, "secondary")->value.location;
      }
      r.post_update = bool_option(macro, items, "post_update").value_or(false);
      if (const OptionItem* lazy = find(items, "lazy")) parse_lazy(*lazy, r);
      if (std::optional<std::string> cascade = string_option(macro, items, "cascade", true)) {
        parse_cascade(*cascade, find(items, "cascade")->value.location, r);
      }
      r.foreign_keys_option = string_list_option(macro, items, "foreign_keys");
      r.order_by_option = string_list_option(macro, items, "order_by");
    }
    table.relationships.push_back(std::move(r));
  }

  void parse_lazy(const OptionItem& item, RelationshipModel& r) {
    static const std::vector<std::string> modes = {"select", "selectin", "joined", "raise"};
    const OptionValue& v = item.value;
    if (v.kind != Kind::kIdentifier && v.kind != Kind::kString) {
      error(v.location,
            fmt::format("lazy takes one of select, selectin, joined, raise; got {}", describe(v)));
      return;
    }
    auto it = std::find(modes.begin(), modes.end(), v.text);
    if (it == modes.end()) {
      error(v.location, fmt::format("lazy = {} is not a loading strategy{}", describe(v),
                                    suggestion(v.text, modes)));
      return;
    }
    r.lazy = static_cast<LazyMode>(it - modes.begin());
  }

  void parse_cascade(const std::string& text, const SourceLocation& where, RelationshipModel& r) {
    static const std::vector<std::string> flags = {"save-update",   "merge",          "delete",
                                                   "delete-orphan", "refresh-expire", "expunge"};
    std::vector<std::string> known = flags;
    known.push_back("all");
    known.push_back("none");
    std::set<std::string> chosen;
    std::stringstream parts(text);
    std::string part;
    while (std::getline(parts, part, ',')) {
      part = trim(part);
      if (part.empty()) continue;
      if (part == "all") {
        for (const std::string& f : flags) {
          if (f != "delete-orphan") chosen.insert(f);
        }
      } else if (part == "none") {
        continue;
      } else if (std::find(flags.begin(), flags.end(), part) != flags.end()) {
        chosen.insert(part);
      } else {
        error(where,
              fmt::format("cascade \"{}\" is not a cascade{}", part, suggestion(part, known)));
        return;
      }
    }
    r.cascade.clear();
    for (const std::string& f : flags) {
      if (chosen.count(f) > 0) r.cascade.push_back(f);
    }
  }

  struct FkRef {
    const TableModel* table;  // holding the foreign key
    const ColumnModel* column;
  };

  // Foreign key columns of `from` that refer to table `to`.
  std::vector<FkRef> foreign_keys_between(const TableModel& from, const TableModel& to) {
    std::vector<FkRef> out;
    for (const ColumnModel& c : from.columns) {
      if (c.foreign_key && c.foreign_key->table == to.name &&
          to.find_column(c.foreign_key->column)) {
        out.push_back({&from, &c});
      }
    }
    return out;
  }

  // Two foreign keys that refer to the same target column make the join ambiguous.
  const FkRef* ambiguous(const std::vector<FkRef>& fks) {
    for (std::size_t i = 0; i < fks.size(); ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        if (fks[i].column->foreign_key->column == fks[j].column->foreign_key->column)
          return &fks[i];
      }
    }
    return nullptr;
  }

  std::string fk_list(const std::vector<FkRef>& fks) {
    std::string out;
    for (std::size_t i = 0; i < fks.size(); ++i) {
      if (i > 0) out += i + 1 == fks.size() ? " and " : ", ";
      out += fmt::format("'{}.{}'", fks[i].table->name, fks[i].column->name);
    }
    return out;
  }

  bool is_unique(const TableModel& table, const std::vector<FkRef>& fks) {
    std::set<std::string> columns;
    for (const FkRef& fk : fks) columns.insert(fk.column->name);
    if (columns.size() == 1 && fks.front().column->unique) return true;
    auto covers = [&](const std::vector<std::string>& names) {
      return std::set<std::string>(names.begin(), names.end()) == columns;
    };
    for (const UniqueModel& u : table.uniques) {
      if (covers(u.columns)) return true;
    }
    for (const IndexModel& i : table.indexes) {
      if (i.unique && covers(i.columns)) return true;
    }
    std::vector<std::string> key;
    for (const ColumnModel& c : table.columns) {
      if (c.primary_key) key.push_back(c.name);
    }
    return covers(key);
  }

  // foreign_keys = "..." entries resolved to foreign key columns of `tables`.
  std::optional<std::vector<FkRef>> chosen_foreign_keys(
      const RelationshipModel& r, std::vector<const TableModel*> tables,
      const std::vector<const TableModel*>& refers_to) {
    std::vector<FkRef> out;
    for (const auto& [entry, where] : r.foreign_keys_option) {
      std::string table_name;
      std::string column_name = entry;
      std::size_t dot = entry.rfind('.');
      if (dot != std::string::npos) {
        table_name = entry.substr(0, dot);
        column_name = entry.substr(dot + 1);
      }
      const FkRef* found = nullptr;
      std::vector<FkRef> candidates;
      for (const TableModel* t : tables) {
        if (!table_name.empty() && t->name != table_name) continue;
        for (const ColumnModel& c : t->columns) {
          if (c.name == column_name || c.member == column_name) candidates.push_back({t, &c});
        }
      }
      std::string where_names;
      for (const TableModel* t : tables) {
        where_names += (where_names.empty() ? "'" : " or '") + t->name + "'";
      }
      if (candidates.empty()) {
        error(where,
              fmt::format("foreign_keys = \"{}\" names no column of {}", entry, where_names));
        return std::nullopt;
      }
      for (const FkRef& candidate : candidates) {
        const ColumnModel& c = *candidate.column;
        if (!c.foreign_key) continue;
        for (const TableModel* target : refers_to) {
          if (c.foreign_key->table == target->name) found = &candidate;
        }
        if (found != nullptr) break;
      }
      if (found == nullptr) {
        const TableModel* holder = candidates.front().table;
        std::string targets;
        for (const TableModel* t : refers_to) {
          if (t == holder && refers_to.size() > 1 && refers_to[0] != refers_to[1]) continue;
          if (targets.find("'" + t->name + "'") != std::string::npos) continue;
          targets += (targets.empty() ? "'" : " or '") + t->name + "'";
        }
        error(where, fmt::format("foreign_keys = \"{}\": column '{}.{}' has no foreign key to {}",
                                 entry, holder->name, candidates.front().column->name, targets));
        return std::nullopt;
      }
      out.push_back(*found);
    }
    return out;
  }

  void resolve_relationship(std::size_t table_index, RelationshipModel& r) {
    const TableModel& local = schema_.tables[table_index];
    const TableModel* target = schema_.find_struct(r.target_usr);
    if (target == nullptr) return;  // its own errors were reported
    r.target_table = target->name;
    std::string what = fmt::format("relationship '{}' of '{}'", r.member, local.qualified_name);

    // order_by: columns of the target.
    for (const auto& [entry, where] : r.order_by_option) {
      std::stringstream words(entry);
      std::string column;
      std::string direction;
      std::string extra;
      words >> column >> direction >> extra;
      std::string dir = upper(direction);
      if (!extra.empty() || (!dir.empty() && dir != "ASC" && dir != "DESC")) {
        error(where, fmt::format("order_by = \"{}\": write \"column\", \"column asc\" or \"column "
                                 "desc\"",
                                 entry));
        continue;
      }
      std::optional<std::string> name = column_for(*target, column);
      if (!name) {
        error(where,
              fmt::format("order_by = \"{}\": '{}' is not a column of '{}'{}", entry, column,
                          target->qualified_name, suggestion(column, column_names(*target))));
        continue;
      }
      r.order_by.push_back({*name, dir == "DESC"});
    }

    if (!r.secondary.empty()) {
      resolve_many_to_many(local, *target, r, what);
      return;
    }

    bool self = target == &local;
    std::vector<FkRef> outgoing = foreign_keys_between(local, *target);  // local -> target
    std::vector<FkRef> incoming = foreign_keys_between(*target, local);  // target -> local
    std::vector<FkRef> fks;
    bool local_side = false;

    if (!r.foreign_keys_option.empty()) {
      std::vector<const TableModel*> tables = {&local};
      if (!self) tables.push_back(target);
      auto chosen = chosen_foreign_keys(r, tables, {self ? &local : target, &local});
      if (!chosen) return;
      fks = *chosen;
      bool any_local = false;
      bool any_remote = false;
      for (const FkRef& fk : fks) {
        bool in_local = !self && fk.table == &local;
        (in_local ? any_local : any_remote) = true;
        if (!self && fk.table == &local && fk.column->foreign_key->table != target->name) {
          error(r.location, fmt::format("{}: foreign key '{}.{}' does not refer to '{}'", what,
                                        fk.table->name, fk.column->name, target->name));
          return;
        }
        if (!self && fk.table == target && fk.column->foreign_key->table != local.name) {
          error(r.location, fmt::format("{}: foreign key '{}.{}' does not refer to '{}'", what,
                                        fk.table->name, fk.column->name, local.name));
          return;
        }
      }
      if (any_local && any_remote) {
        error(r.location, fmt::format("{}: foreign_keys mixes columns of '{}' and '{}'; name the "
                                      "columns of one side",
                                      what, local.name, target->name));
        return;
      }
      local_side = self ? !r.uselist : any_local;
    } else if (r.uselist) {
      fks = incoming;
      local_side = false;
    } else if (!outgoing.empty()) {
      fks = outgoing;
      local_side = true;
    } else {
      fks = incoming;
      local_side = false;
    }

    if (fks.empty()) {
      if (r.uselist) {
        error(r.location,
              fmt::format("{} has no foreign key to follow: no column of '{}' refers to '{}'; add "
                          "ATHANOR_COLUMN(foreign_key = \"{}.<key>\") to a member of '{}'",
                          what, target->name, local.name, local.name, target->qualified_name));
      } else if (self) {
        error(r.location,
              fmt::format("{} has no foreign key to follow: no column of '{}' refers to its own "
                          "table; add ATHANOR_COLUMN(foreign_key = \"{}.<key>\") to a member",
                          what, local.name, local.name));
      } else {
        error(r.location,
              fmt::format("{} has no foreign key to follow: neither '{}' nor '{}' has a column "
                          "that refers to the other; add ATHANOR_COLUMN(foreign_key = "
                          "\"{}.<key>\") to a member of '{}'",
                          what, local.name, target->name, target->name, local.qualified_name));
      }
      return;
    }
    if (r.foreign_keys_option.empty()) {
      if (const FkRef* clash = ambiguous(fks)) {
        std::vector<FkRef> same;
        for (const FkRef& fk : fks) {
          if (fk.column->foreign_key->column == clash->column->foreign_key->column)
            same.push_back(fk);
        }
        error(r.location,
              fmt::format("{} is ambiguous: {} {} refer to '{}.{}'; choose with foreign_keys = "
                          "\"{}\"",
                          what, fk_list(same), same.size() == 2 ? "both" : "all",
                          clash->column->foreign_key->table, clash->column->foreign_key->column,
                          same.front().column->name));
        return;
      }
    }

    if (r.uselist && local_side && !self) {
      error(r.location, fmt::format("{} is a Collection, but its foreign key {} is in '{}' (the "
                                    "\"one\" side): use athanor::Reference<{}>",
                                    what, fk_list(fks), local.name, target->qualified_name));
      return;
    }
    const TableModel& fk_table = local_side ? local : *target;
    if (r.uselist) {
      r.direction = Direction::kOneToMany;
    } else if (local_side) {
      r.direction = is_unique(fk_table, fks) ? Direction::kOneToOne : Direction::kManyToOne;
    } else {
      if (!is_unique(fk_table, fks)) {
        error(r.location,
              fmt::format("{} is a Reference to the \"many\" side: {} is not unique, so several "
                          "'{}' rows may refer to one '{}'; use athanor::Collection<{}>, or make "
                          "the foreign key unique for a one-to-one",
                          what, fk_list(fks), target->name, local.name, target->qualified_name));
        return;
      }
      r.direction = Direction::kOneToOne;
    }
    r.local_foreign_key = local_side;
    for (const FkRef& fk : fks) {
      const std::string& key = fk.column->foreign_key->column;
      r.join.push_back(local_side ? ColumnPairModel{fk.column->name, key}
                                  : ColumnPairModel{key, fk.column->name});
      r.foreign_keys.push_back(fk.table->name + "." + fk.column->name);
    }
  }

  void resolve_many_to_many(const TableModel& local, const TableModel& target, RelationshipModel& r,
                            const std::string& what) {
    if (!r.uselist) {
      error(r.location, fmt::format("{} has secondary = \"{}\" (many-to-many) but is a Reference; "
                                    "use athanor::Collection<{}>",
                                    what, r.secondary, target.qualified_name));
      return;
    }
    const TableModel* secondary = schema_.find_table(r.secondary);
    if (secondary == nullptr) {
      std::vector<std::string> names;
      for (const TableModel& t : schema_.tables) names.push_back(t.name);
      error(r.secondary_location,
            fmt::format("secondary = \"{}\": no model of this step has that table{}; declare the "
                        "association table as a struct with ATHANOR_TABLE(\"{}\")",
                        r.secondary, suggestion(r.secondary, names), r.secondary));
      return;
    }
    std::vector<FkRef> to_local = foreign_keys_between(*secondary, local);
    std::vector<FkRef> to_target = foreign_keys_between(*secondary, target);
    if (!r.foreign_keys_option.empty()) {
      auto chosen = chosen_foreign_keys(r, {secondary}, {&local});
      if (!chosen) return;
      to_local = *chosen;
      std::vector<FkRef> rest;
      for (const FkRef& fk : to_target) {
        bool taken = std::any_of(to_local.begin(), to_local.end(),
                                 [&](const FkRef& l) { return l.column == fk.column; });
        if (!taken) rest.push_back(fk);
      }
      to_target = rest;
    } else if (&local == &target) {
      error(r.location, fmt::format("{} relates '{}' to itself through '{}', which is ambiguous: "
                                    "name the association columns that refer to this side with "
                                    "foreign_keys = \"{}.<column>\"",
                                    what, local.name, secondary->name, secondary->name));
      return;
    }
    if (to_local.empty() || to_target.empty()) {
      const TableModel& missing = to_local.empty() ? local : target;
      error(r.secondary_location,
            fmt::format("{}: association table '{}' has no foreign key to '{}'; add "
                        "ATHANOR_COLUMN(foreign_key = \"{}.<key>\") to a member of '{}'",
                        what, secondary->name, missing.name, missing.name,
                        secondary->qualified_name));
      return;
    }
    for (const std::vector<FkRef>* side : {&to_local, &to_target}) {
      if (const FkRef* clash = ambiguous(*side)) {
        error(r.location, fmt::format("{} is ambiguous: association table '{}' has several "
                                      "foreign keys to '{}.{}'; choose with foreign_keys = "
                                      "\"{}.{}\"",
                                      what, secondary->name, clash->column->foreign_key->table,
                                      clash->column->foreign_key->column, secondary->name,
                                      clash->column->name));
        return;
      }
    }
    r.direction = Direction::kManyToMany;
    r.local_foreign_key = false;
    for (const FkRef& fk : to_local) {
      r.join.push_back({fk.column->foreign_key->column, fk.column->name});
      r.foreign_keys.push_back(secondary->name + "." + fk.column->name);
    }
    for (const FkRef& fk : to_target) {
      r.secondary_join.push_back({fk.column->name, fk.column->foreign_key->column});
      r.foreign_keys.push_back(secondary->name + "." + fk.column->name);
    }
  }

  static const char* direction_name(Direction d) {
    switch (d) {
      case Direction::kManyToOne:
        return "many-to-one";
      case Direction::kOneToMany:
        return "one-to-many";
      case Direction::kOneToOne:
        return "one-to-one";
      case Direction::kManyToMany:
        return "many-to-many";
    }
    return "?";
  }

  void check_back_populates(const TableModel& local, const RelationshipModel& r) {
    if (r.back_populates.empty()) return;
    const TableModel* target = schema_.find_struct(r.target_usr);
    if (target == nullptr) return;
    const SourceLocation& where = r.back_populates_location;
    std::string what = fmt::format("back_populates = \"{}\" on '{}::{}'", r.back_populates,
                                   local.qualified_name, r.member);
    const RelationshipModel* other = nullptr;
    for (const RelationshipModel& candidate : target->relationships) {
      if (candidate.member == r.back_populates) other = &candidate;
    }
    if (other == nullptr) {
      std::vector<std::string> names;
      for (const RelationshipModel& candidate : target->relationships)
        names.push_back(candidate.member);
      bool is_column =
          std::any_of(target->columns.begin(), target->columns.end(),
                      [&](const ColumnModel& c) { return c.member == r.back_populates; });
      error(where, fmt::format("{} does not pair: '{}' has no relationship member '{}'{}", what,
                               target->qualified_name, r.back_populates,
                               is_column       ? " (it is a column)"
                               : names.empty() ? std::string()
                                               : suggestion(r.back_populates, names)));
      return;
    }
    if (other == &r) {
      error(where, fmt::format("{} names the relationship itself; it must name the member on the "
                               "other side",
                               what));
      return;
    }
    if (other->target_usr != local.usr) {
      error(where, fmt::format("{} does not pair: '{}::{}' refers to '{}', not to '{}'", what,
                               target->qualified_name, other->member, other->target,
                               local.qualified_name));
      return;
    }
    if (other->back_populates != r.member) {
      error(where,
            fmt::format("{} does not pair: '{}::{}' {}; add back_populates = \"{}\" to it", what,
                        target->qualified_name, other->member,
                        other->back_populates.empty()
                            ? std::string("has no back_populates")
                            : fmt::format("has back_populates = \"{}\"", other->back_populates),
                        r.member));
      return;
    }
    if (r.join.empty() || other->join.empty()) return;  // unresolved; reported already
    bool directions_match =
        (r.direction == Direction::kManyToOne && other->direction == Direction::kOneToMany) ||
        (r.direction == Direction::kOneToMany && other->direction == Direction::kManyToOne) ||
        (r.direction == Direction::kOneToOne && other->direction == Direction::kOneToOne) ||
        (r.direction == Direction::kManyToMany && other->direction == Direction::kManyToMany);
    std::set<std::string> mine(r.foreign_keys.begin(), r.foreign_keys.end());
    std::set<std::string> theirs(other->foreign_keys.begin(), other->foreign_keys.end());
    if (!directions_match || mine != theirs || r.secondary != other->secondary) {
      std::string mine_text;
      for (const std::string& fk : r.foreign_keys)
        mine_text += (mine_text.empty() ? "" : ", ") + fk;
      std::string theirs_text;
      for (const std::string& fk : other->foreign_keys) {
        theirs_text += (theirs_text.empty() ? "" : ", ") + fk;
      }
      error(where, fmt::format("{} does not pair: this side is {} over {}, '{}::{}' is {} over {}; "
                               "give both sides the same foreign_keys",
                               what, direction_name(r.direction), mine_text, target->qualified_name,
                               other->member, direction_name(other->direction), theirs_text));
    }
  }

  // ---- enums ------------------------------------------------------------------------------

  void build_enums() {
    std::set<std::string> done;
    for (const StructInfo& s : parse_.structs) {
      for (const FieldInfo& f : s.fields) {
        if (f.type.category != TypeCategory::kEnum) continue;
        const EnumInfo& info = parse_.enums[f.type.enum_index];
        if (!done.insert(info.usr).second) continue;
        build_enum(info, f);
      }
    }
  }

  void build_enum(const EnumInfo& info, const FieldInfo& user) {
    EnumModel model;
    model.qualified_name = info.qualified_name;
    model.sql_name = snake_case(info.name);
    model.has_traits = info.has_traits;
    if (!info.scoped) {
      error(user.location, fmt::format("member '{}' has plain enum type '{}'; mapped enums must be "
                                       "'enum class'",
                                       user.name, info.qualified_name));
      return;
    }
    if (info.enumerators.empty()) {
      error(info.location,
            fmt::format("enum '{}' has no enumerators to store", info.qualified_name));
      return;
    }
    std::map<std::string, std::string> labels;
    for (const EnumeratorInfo& e : info.enumerators) {
      std::string label = e.name;
      for (const Annotation& a : e.annotations) {
        if (a.kind != "enum_value") {
          error(a.location, fmt::format("{} is misplaced on an enumerator", macro_name(a.kind)));
          continue;
        }
        std::vector<OptionItem> items;
        if (!parse(a, items)) continue;
        if (items.size() != 1 || !items[0].positional() || items[0].value.kind != Kind::kString ||
            items[0].value.text.empty()) {
          error(a.location,
                "ATHANOR_ENUM_VALUE takes the stored label as one non-empty string: "
                "ATHANOR_ENUM_VALUE(\"draft\")");
          continue;
        }
        label = items[0].value.text;
      }
      auto [it, inserted] = labels.emplace(label, e.name);
      if (!inserted) {
        error(e.location,
              fmt::format("enumerators '{}' and '{}' of '{}' are both stored as \"{}\"; "
                          "give one another label with ATHANOR_ENUM_VALUE",
                          it->second, e.name, info.qualified_name, label));
      }
      model.labels.emplace_back(e.name, label);
    }
    schema_.enums.push_back(std::move(model));
  }

  const ParseResult& parse_;
  Diagnostics& diagnostics_;
  Schema schema_;
  std::map<std::string, std::string> sources_;
};

}  // namespace

Schema build_schema(const ParseResult& parse, Diagnostics& diagnostics) {
  return Builder(parse, diagnostics).build();
}

}  // namespace athanor::gen
