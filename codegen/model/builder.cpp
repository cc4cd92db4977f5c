// athanor-gen model builder, shared machinery: reading an annotation's options (each checked
// against the keys and flags its macro takes, each value against the kind it needs), the
// message helpers every pass uses ("did you mean ...?"), and the first pass, which reports the
// annotations the frontend found outside any model struct or data member.
//
// An option that is missing reads as std::nullopt; one given wrongly is reported at its own
// location and also reads as std::nullopt, so a pass carries on with the default.
#include "codegen/model/builder.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace athanor::gen::detail {

namespace {

using Kind = OptionValue::Kind;

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

}  // namespace

std::string macro_name(const std::string& kind) {
  std::string out = "ATHANOR_";
  for (char c : kind) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

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

void SchemaBuilder::error(const SourceLocation& where, std::string message) {
  diagnostics_.error(where, std::move(message));
}

const std::string* SchemaBuilder::source(const std::string& file) {
  auto it = sources_.find(file);
  if (it == sources_.end()) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    if (in) text << in.rdbuf();
    it = sources_.emplace(file, text.str()).first;
  }
  return it->second.empty() ? nullptr : &it->second;
}

bool SchemaBuilder::parse(const Annotation& a, std::vector<OptionItem>& items) {
  AnnotationSite site{a.text, a.location, source(a.location.file)};
  return parse_options(site, items, diagnostics_);
}

bool SchemaBuilder::check_keys(const std::string& macro, const std::vector<OptionItem>& items,
                               const std::vector<std::string>& keys,
                               const std::vector<std::string>& flags, bool positional) {
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

const OptionItem* SchemaBuilder::find(const std::vector<OptionItem>& items,
                                      const std::string& key) {
  for (const OptionItem& item : items) {
    if (item.key == key || (item.is_flag() && item.value.text == key)) return &item;
  }
  return nullptr;
}

std::optional<std::string> SchemaBuilder::string_option(const std::string& macro,
                                                        const std::vector<OptionItem>& items,
                                                        const std::string& key, bool allow_empty) {
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

std::optional<bool> SchemaBuilder::bool_option(const std::string& macro,
                                               const std::vector<OptionItem>& items,
                                               const std::string& key) {
  const OptionItem* item = find(items, key);
  if (item == nullptr) return std::nullopt;
  if (item->is_flag()) return true;
  if (item->value.kind == Kind::kIdentifier &&
      (item->value.text == "true" || item->value.text == "false")) {
    return item->value.text == "true";
  }
  error(item->value.location,
        fmt::format("{} option '{}' is true or false; got {}", macro, key, describe(item->value)));
  return std::nullopt;
}

std::optional<std::string> SchemaBuilder::json_option(const std::string& macro,
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
    error(
        item->value.location,
        fmt::format("{} option 'info' must be a JSON object, e.g. info = R\"({{\"pii\": true}})\"",
                    macro));
    return std::nullopt;
  }
  return *text;
}

std::vector<std::pair<std::string, SourceLocation>> SchemaBuilder::string_list_option(
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
      error(v->location, fmt::format("{} option '{}' takes a string or a {{\"...\", ...}} list of "
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
  if (out.empty()) error(item->value.location, fmt::format("{} option '{}' is empty", macro, key));
  return out;
}

bool known_kind(const std::string& kind) {
  static const std::set<std::string> kinds = {"table", "column", "relationship", "transient",
                                              "index", "unique", "check",        "enum_value"};
  return kinds.count(kind) > 0;
}

void SchemaBuilder::unknown_annotation(const Annotation& a) {
  error(a.location,
        fmt::format("unknown annotation '{}'{}", macro_name(a.kind),
                    suggestion(macro_name(a.kind),
                               {"ATHANOR_TABLE", "ATHANOR_COLUMN", "ATHANOR_RELATIONSHIP",
                                "ATHANOR_TRANSIENT", "ATHANOR_INDEX", "ATHANOR_UNIQUE",
                                "ATHANOR_CHECK", "ATHANOR_ENUM_VALUE"})));
}

void SchemaBuilder::report_strays() {
  for (const StrayAnnotation& stray : parse_.strays) {
    const Annotation& a = stray.annotation;
    if (!known_kind(a.kind)) {
      unknown_annotation(a);
    } else if (a.kind == "table" || a.kind == "index" || a.kind == "unique" || a.kind == "check") {
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

}  // namespace athanor::gen::detail
