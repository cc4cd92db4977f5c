// Athanor Core, sqlite dialect: declared type names and comments kept in CREATE TABLE text.
#include "core/dialects/sqlite/sqlite_schema_text.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace athanor::detail {

namespace {

// SQLite stores a UUID as its 36-character text form.
constexpr int kUuidTextLength = 36;

std::string to_upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// Upper case with runs of white space collapsed to one space and no space at either end.
std::string normalize_words(std::string_view text) {
  std::string out;
  bool pending_space = false;
  for (char c : text) {
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

std::optional<int> parse_int(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// SQLite's column affinity rules (https://sqlite.org/datatype3.html, 3.1), for type names
// Athanor does not emit itself.
TypeEngine type_from_affinity(const std::string& upper) {
  if (upper.find("INT") != std::string::npos) return Integer{};
  if (upper.find("CHAR") != std::string::npos || upper.find("CLOB") != std::string::npos ||
      upper.find("TEXT") != std::string::npos) {
    return Text{};
  }
  if (upper.empty() || upper.find("BLOB") != std::string::npos) return LargeBinary{};
  if (upper.find("REAL") != std::string::npos || upper.find("FLOA") != std::string::npos ||
      upper.find("DOUB") != std::string::npos) {
    return Double{};
  }
  return Numeric{};
}

// ---- a minimal SQL lexer, enough to walk a CREATE TABLE statement -------------------------------

enum class TokenKind { kWord, kQuotedName, kString, kComment, kPunct, kEnd };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string_view text;  // the whole token, quotes and comment markers included
  std::size_t begin = 0;
};

class Lexer {
 public:
  explicit Lexer(std::string_view sql) : sql_(sql) {}

  // The next token; white space and line comments are skipped, block comments are tokens.
  Token next() {
    skip_space_and_line_comments();
    Token token;
    token.begin = pos_;
    if (pos_ >= sql_.size()) return token;
    char c = sql_[pos_];
    if (c == '/' && peek(1) == '*') {
      std::size_t end = sql_.find("*/", pos_ + 2);
      pos_ = end == std::string_view::npos ? sql_.size() : end + 2;
      token.kind = TokenKind::kComment;
    } else if (c == '"' || c == '`') {
      skip_quoted(c);
      token.kind = TokenKind::kQuotedName;
    } else if (c == '[') {
      std::size_t end = sql_.find(']', pos_ + 1);
      pos_ = end == std::string_view::npos ? sql_.size() : end + 1;
      token.kind = TokenKind::kQuotedName;
    } else if (c == '\'') {
      skip_quoted(c);
      token.kind = TokenKind::kString;
    } else if (is_word_char(c)) {
      while (pos_ < sql_.size() && is_word_char(sql_[pos_])) ++pos_;
      token.kind = TokenKind::kWord;
    } else {
      ++pos_;
      token.kind = TokenKind::kPunct;
    }
    token.text = sql_.substr(token.begin, pos_ - token.begin);
    return token;
  }

 private:
  static bool is_word_char(char c) {
    auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) != 0 || c == '_' || c == '$' || u >= 0x80;
  }
  char peek(std::size_t ahead) const {
    return pos_ + ahead < sql_.size() ? sql_[pos_ + ahead] : '\0';
  }
  void skip_space_and_line_comments() {
    while (pos_ < sql_.size()) {
      if (is_space(sql_[pos_])) {
        ++pos_;
      } else if (sql_[pos_] == '-' && peek(1) == '-') {
        std::size_t end = sql_.find('\n', pos_);
        pos_ = end == std::string_view::npos ? sql_.size() : end + 1;
      } else {
        return;
      }
    }
  }
  // A quoted token in which the quote character is escaped by doubling it.
  void skip_quoted(char quote) {
    ++pos_;
    while (pos_ < sql_.size()) {
      if (sql_[pos_] == quote) {
        if (peek(1) == quote) {
          pos_ += 2;
          continue;
        }
        ++pos_;
        return;
      }
      ++pos_;
    }
  }

  std::string_view sql_;
  std::size_t pos_ = 0;
};

// The name a word or quoted-name token stands for.
std::string unquote_name(const Token& token) {
  if (token.kind != TokenKind::kQuotedName || token.text.size() < 2) return std::string(token.text);
  char open = token.text.front();
  std::string_view inner = token.text.substr(1, token.text.size() - 2);
  if (open == '[') return std::string(inner);
  std::string out;
  out.reserve(inner.size());
  for (std::size_t i = 0; i < inner.size(); ++i) {
    out.push_back(inner[i]);
    if (inner[i] == open && i + 1 < inner.size() && inner[i + 1] == open) ++i;
  }
  return out;
}

constexpr std::string_view kCommentTag = "comment:";

// The comment text held by a "/* comment: "..." */" token, or nullopt for any other comment.
std::optional<std::string> decode_comment(const Token& token) {
  std::string_view body = token.text.substr(2);
  if (body.size() >= 2 && body.substr(body.size() - 2) == "*/") body.remove_suffix(2);
  while (!body.empty() && is_space(body.front())) body.remove_prefix(1);
  if (body.substr(0, kCommentTag.size()) != kCommentTag) return std::nullopt;
  body.remove_prefix(kCommentTag.size());
  nlohmann::json value = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!value.is_string()) return std::nullopt;
  return value.get<std::string>();
}

// Words that open a table constraint rather than a column definition.
bool is_table_constraint_keyword(const Token& token) {
  if (token.kind != TokenKind::kWord) return false;
  std::string upper = to_upper(token.text);
  return upper == "CONSTRAINT" || upper == "PRIMARY" || upper == "UNIQUE" || upper == "CHECK" ||
         upper == "FOREIGN";
}

struct DepthToken {
  Token token;
  int depth;
};

// The word, upper case, of the first token at index >= `i` that is not a comment; advances `i`
// past it. "" at the end of the item.
std::string next_word(const std::vector<DepthToken>& item, std::size_t& i) {
  while (i < item.size() && item[i].token.kind == TokenKind::kComment) ++i;
  if (i >= item.size()) return {};
  return to_upper(item[i++].token.text);
}

// The names in the first parenthesized list at or after index `i` ("(a, b COLLATE x)" gives a, b).
std::vector<std::string> column_list(const std::vector<DepthToken>& item, std::size_t i) {
  std::vector<std::string> names;
  while (i < item.size() &&
         !(item[i].token.kind == TokenKind::kPunct && item[i].token.text == "(")) {
    ++i;
  }
  if (i >= item.size()) return names;
  const int inner = item[i].depth + 1;
  bool expect_name = true;
  for (++i; i < item.size() && item[i].depth >= inner; ++i) {
    const Token& t = item[i].token;
    if (item[i].depth != inner || t.kind == TokenKind::kComment) continue;
    if (t.kind == TokenKind::kPunct) {
      if (t.text == ")") break;
      if (t.text == ",") expect_name = true;
      continue;
    }
    if (expect_name && (t.kind == TokenKind::kWord || t.kind == TokenKind::kQuotedName)) {
      names.push_back(unquote_name(t));
    }
    expect_name = false;
  }
  return names;
}

// Reads one item of the column list: a column definition (its comment, its named constraints)
// or a table constraint (its name).
void read_item(const std::vector<DepthToken>& item, SqliteTableText& out) {
  std::string column;  // empty for a table constraint
  std::size_t first = 0;
  while (first < item.size() && item[first].token.kind == TokenKind::kComment) ++first;
  if (first >= item.size()) return;
  if ((item[first].token.kind == TokenKind::kWord ||
       item[first].token.kind == TokenKind::kQuotedName) &&
      !is_table_constraint_keyword(item[first].token)) {
    column = unquote_name(item[first].token);
  }
  for (std::size_t i = first; i < item.size(); ++i) {
    const Token& t = item[i].token;
    if (item[i].depth != 1) continue;
    if (t.kind == TokenKind::kComment) {
      if (column.empty()) continue;
      if (auto comment = decode_comment(t)) {
        auto it = std::find_if(out.column_comments.begin(), out.column_comments.end(),
                               [&](const auto& entry) { return entry.first == column; });
        if (it == out.column_comments.end()) {
          out.column_comments.emplace_back(column, std::move(*comment));
        } else {
          it->second = std::move(*comment);
        }
      }
      continue;
    }
    if (t.kind != TokenKind::kWord || to_upper(t.text) != "CONSTRAINT") continue;
    std::size_t j = i + 1;
    while (j < item.size() && item[j].token.kind == TokenKind::kComment) ++j;
    if (j >= item.size()) break;
    SqliteTableText::NamedConstraint constraint;
    constraint.name = unquote_name(item[j].token);
    ++j;
    std::string kind = next_word(item, j);
    if (kind == "PRIMARY" || kind == "FOREIGN") {
      if (next_word(item, j) != "KEY") continue;
      kind += " KEY";
    } else if (kind != "UNIQUE" && kind != "CHECK") {
      continue;  // NOT NULL, DEFAULT, COLLATE, REFERENCES: nothing reflection reports by name
    }
    constraint.kind = std::move(kind);
    if (!column.empty()) {
      constraint.columns.push_back(column);
    } else if (constraint.kind != "CHECK") {
      constraint.columns = column_list(item, j);
    }
    out.constraints.push_back(std::move(constraint));
    i = j - 1;
  }
}

}  // namespace

std::string sqlite_type_name(const TypeEngine& type) {
  static constexpr TypeSpelling kSqliteTypes{
      // Both store UTC text; the name only keeps the flag for reflection.
      .datetime_tz = "TIMESTAMP WITH TIME ZONE",
      .uuid = "VARCHAR(36)",  // kUuidTextLength: parse_sqlite_type reads it back as Uuid
      .enum_as_varchar = true};
  static_assert(kUuidTextLength == 36);
  return render_type(type, kSqliteTypes);
}

TypeEngine parse_sqlite_type(std::string_view declared) {
  std::string_view base = declared;
  std::vector<std::optional<int>> args;
  if (std::size_t open = declared.find('('); open != std::string_view::npos) {
    base = declared.substr(0, open);
    std::size_t close = declared.find(')', open);
    std::string_view inside = declared.substr(
        open + 1, close == std::string_view::npos ? std::string_view::npos : close - open - 1);
    while (true) {
      std::size_t comma = inside.find(',');
      args.push_back(parse_int(inside.substr(0, comma)));
      if (comma == std::string_view::npos) break;
      inside.remove_prefix(comma + 1);
    }
  }
  const std::string name = normalize_words(base);
  auto arg = [&](std::size_t i) { return i < args.size() ? args[i] : std::nullopt; };

  if (name == "INTEGER" || name == "INT" || name == "MEDIUMINT" || name == "INT4") return Integer{};
  if (name == "BIGINT" || name == "INT8" || name == "UNSIGNED BIG INT") return BigInteger{};
  if (name == "SMALLINT" || name == "INT2" || name == "TINYINT") return SmallInteger{};
  if (name == "BOOLEAN" || name == "BOOL") return Boolean{};
  if (name == "FLOAT") return Float{};
  if (name == "DOUBLE" || name == "DOUBLE PRECISION" || name == "REAL") return Double{};
  if (name == "NUMERIC" || name == "DECIMAL") return Numeric{arg(0), arg(1)};
  if (name == "VARCHAR" || name == "CHARACTER VARYING" || name == "VARYING CHARACTER" ||
      name == "NVARCHAR" || name == "NATIVE CHARACTER" || name == "CHAR" || name == "CHARACTER" ||
      name == "NCHAR") {
    std::optional<int> length = arg(0);
    if (name == "VARCHAR" && length == kUuidTextLength) return Uuid{};
    return String{length};
  }
  if (name == "TEXT" || name == "CLOB") return Text{};
  if (name == "DATE") return Date{};
  if (name == "DATETIME" || name == "TIMESTAMP" || name == "TIMESTAMP WITHOUT TIME ZONE") {
    return DateTime{false};
  }
  if (name == "TIMESTAMP WITH TIME ZONE" || name == "TIMESTAMPTZ") return DateTime{true};
  if (name == "TIME") return Time{};
  if (name == "BLOB" || name.empty()) return LargeBinary{};
  if (name == "JSON") return JSON{};
  if (name == "UUID") return Uuid{};
  return type_from_affinity(name);
}

std::string encode_sqlite_comment(std::string_view text) {
  if (text.empty()) return {};
  std::string json =
      nlohmann::json(std::string(text))
          .dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
  std::string escaped;
  escaped.reserve(json.size() + 8);
  for (std::size_t i = 0; i < json.size(); ++i) {
    escaped.push_back(json[i]);
    // "*/" would end the SQL comment; JSON reads "\/" as '/'.
    if (json[i] == '*' && i + 1 < json.size() && json[i + 1] == '/') escaped.push_back('\\');
  }
  return fmt::format(" /* {} {} */", kCommentTag, escaped);
}

SqliteTableText parse_sqlite_create_table(std::string_view create_table_sql) {
  SqliteTableText out;
  Lexer lexer(create_table_sql);
  Token token;
  // Everything before the column list: CREATE TABLE <name>, and the table comment.
  while ((token = lexer.next()).kind != TokenKind::kEnd) {
    if (token.kind == TokenKind::kComment) {
      if (auto comment = decode_comment(token)) out.comment = std::move(*comment);
    } else if (token.kind == TokenKind::kPunct && token.text == "(") {
      break;
    }
  }
  // The column list, cut into its items (column definitions and table constraints) at the
  // commas of depth 1; each token keeps its depth (1: the item's own level).
  std::vector<std::vector<DepthToken>> items(1);
  int depth = 1;
  while ((token = lexer.next()).kind != TokenKind::kEnd) {
    if (token.kind == TokenKind::kPunct && token.text == ")" && --depth == 0) break;
    if (token.kind == TokenKind::kPunct && token.text == "," && depth == 1) {
      items.emplace_back();
      continue;
    }
    items.back().push_back({token, depth});
    if (token.kind == TokenKind::kPunct && token.text == "(") ++depth;
  }
  for (const std::vector<DepthToken>& item : items) read_item(item, out);
  return out;
}

std::string insert_sqlite_table_comment(std::string_view create_table_sql,
                                        std::string_view comment) {
  std::string encoded = encode_sqlite_comment(comment);
  if (encoded.empty()) return std::string(create_table_sql);
  Lexer lexer(create_table_sql);
  Token token;
  while ((token = lexer.next()).kind != TokenKind::kEnd) {
    if (token.kind == TokenKind::kPunct && token.text == "(") break;
  }
  if (token.kind == TokenKind::kEnd) return std::string(create_table_sql);
  std::size_t name_end = token.begin;
  while (name_end > 0 && is_space(create_table_sql[name_end - 1])) --name_end;
  std::string out;
  out.reserve(create_table_sql.size() + encoded.size() + 1);
  out.append(create_table_sql.substr(0, name_end));
  out.append(encoded);
  out.push_back(' ');
  out.append(create_table_sql.substr(token.begin));
  return out;
}

}  // namespace athanor::detail
