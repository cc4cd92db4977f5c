// athanor-gen: tokenizer and parser of the annotation option language (see options.hpp).
#include "codegen/options.hpp"

#include <cctype>
#include <charconv>
#include <optional>
#include <string_view>

#include <fmt/format.h>

namespace athanor::gen {
namespace {

enum class TokenKind { kIdentifier, kNumber, kString, kPunct, kEnd };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string raw;    // as written
  std::string value;  // decoded string contents (kString)
  std::size_t offset = 0;
  SourceLocation location;
};

bool is_identifier_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_';
}
bool is_identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

void append_utf8(std::string& out, std::uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// Splits option text into tokens. Also used on the macro's arguments as written in the source,
// where comments and line splices may appear (the preprocessor removed them from `text`).
class Tokenizer {
 public:
  explicit Tokenizer(std::string_view text) : text_(text) {}

  // Returns false (with `error` and `error_offset` set) on a malformed token.
  bool run(std::vector<Token>& tokens) {
    while (true) {
      skip_blanks();
      if (pos_ >= text_.size()) break;
      Token token;
      token.offset = pos_;
      char c = text_[pos_];
      if (starts_string()) {
        if (!read_string(token)) return false;
      } else if (is_identifier_start(c)) {
        token.kind = TokenKind::kIdentifier;
        while (pos_ < text_.size() && is_identifier_char(text_[pos_])) ++pos_;
      } else if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
        token.kind = TokenKind::kNumber;
        while (pos_ < text_.size() &&
               (is_identifier_char(text_[pos_]) || text_[pos_] == '.' || text_[pos_] == '\'')) {
          ++pos_;
        }
      } else if (std::string_view("=,(){}-").find(c) != std::string_view::npos) {
        token.kind = TokenKind::kPunct;
        ++pos_;
      } else {
        return fail(pos_, fmt::format("unexpected character '{}' in annotation options", c));
      }
      token.raw = std::string(text_.substr(token.offset, pos_ - token.offset));
      tokens.push_back(std::move(token));
    }
    return true;
  }

  std::string error;
  std::size_t error_offset = 0;

 private:
  bool fail(std::size_t offset, std::string message) {
    error = std::move(message);
    error_offset = offset;
    return false;
  }

  void skip_blanks() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (std::isspace(static_cast<unsigned char>(c)) != 0) {
        ++pos_;
      } else if (c == '\\' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') {
        pos_ += 2;
      } else if (text_.substr(pos_, 2) == "//") {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else if (text_.substr(pos_, 2) == "/*") {
        std::size_t end = text_.find("*/", pos_ + 2);
        pos_ = end == std::string_view::npos ? text_.size() : end + 2;
      } else {
        break;
      }
    }
  }

  // A string literal starts here: "..", R"(..)", u8"..", u8R"(..)", and the L/u/U forms, which
  // are rejected later with a clear message.
  bool starts_string() const {
    std::size_t p = pos_;
    for (std::string_view prefix : {"u8", "u", "U", "L"}) {
      if (text_.substr(p, prefix.size()) == prefix) {
        p += prefix.size();
        break;
      }
    }
    if (p < text_.size() && text_[p] == 'R') ++p;
    return p < text_.size() && text_[p] == '"';
  }

  bool read_string(Token& token) {
    token.kind = TokenKind::kString;
    std::size_t start = pos_;
    std::string prefix;
    while (text_[pos_] != '"' && text_[pos_] != 'R') prefix += text_[pos_++];
    bool raw = false;
    if (text_[pos_] == 'R') {
      raw = true;
      ++pos_;
    }
    if (!prefix.empty() && prefix != "u8") {
      return fail(start, fmt::format("use a plain string literal, not a {}\"...\" one", prefix));
    }
    ++pos_;  // opening quote
    if (raw) {
      std::size_t paren = text_.find('(', pos_);
      if (paren == std::string_view::npos) return fail(start, "malformed raw string literal");
      std::string closing = ")";  // built by appending: operator+ trips GCC 12's -Wrestrict
      closing.append(text_.substr(pos_, paren - pos_));
      closing += '"';
      std::size_t end = text_.find(closing, paren + 1);
      if (end == std::string_view::npos) return fail(start, "unterminated raw string literal");
      token.value = std::string(text_.substr(paren + 1, end - paren - 1));
      pos_ = end + closing.size();
      return true;
    }
    while (true) {
      if (pos_ >= text_.size() || text_[pos_] == '\n') {
        return fail(start, "unterminated string literal");
      }
      char c = text_[pos_++];
      if (c == '"') return true;
      if (c != '\\') {
        token.value += c;
        continue;
      }
      if (pos_ >= text_.size()) return fail(start, "unterminated string literal");
      char e = text_[pos_++];
      switch (e) {
        case 'n':
          token.value += '\n';
          break;
        case 't':
          token.value += '\t';
          break;
        case 'r':
          token.value += '\r';
          break;
        case 'a':
          token.value += '\a';
          break;
        case 'b':
          token.value += '\b';
          break;
        case 'f':
          token.value += '\f';
          break;
        case 'v':
          token.value += '\v';
          break;
        case '\\':
        case '"':
        case '\'':
        case '?':
          token.value += e;
          break;
        case 'x': {
          std::uint32_t code = 0;
          std::size_t digits = 0;
          while (pos_ < text_.size() && std::isxdigit(static_cast<unsigned char>(text_[pos_]))) {
            char h = text_[pos_++];
            code = code * 16 + static_cast<std::uint32_t>(
                                   std::isdigit(static_cast<unsigned char>(h)) != 0
                                       ? h - '0'
                                       : std::tolower(static_cast<unsigned char>(h)) - 'a' + 10);
            ++digits;
          }
          if (digits == 0 || code > 0xFF) return fail(start, "bad \\x escape in string literal");
          token.value += static_cast<char>(code);
          break;
        }
        case 'u':
        case 'U': {
          std::size_t len = e == 'u' ? 4 : 8;
          if (pos_ + len > text_.size()) return fail(start, "bad universal character name");
          std::uint32_t code = 0;
          auto [ptr, ec] =
              std::from_chars(text_.data() + pos_, text_.data() + pos_ + len, code, 16);
          if (ec != std::errc() || ptr != text_.data() + pos_ + len) {
            return fail(start, "bad universal character name");
          }
          pos_ += len;
          append_utf8(token.value, code);
          break;
        }
        default:
          if (e >= '0' && e <= '7') {
            std::uint32_t code = static_cast<std::uint32_t>(e - '0');
            for (int i = 0;
                 i < 2 && pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '7'; ++i) {
              code = code * 8 + static_cast<std::uint32_t>(text_[pos_++] - '0');
            }
            token.value += static_cast<char>(code);
          } else {
            return fail(start, fmt::format("unknown escape sequence '\\{}' in string literal", e));
          }
      }
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

// Line and column of `offset` in `text`, counting from `base` (the location of text[0]).
SourceLocation advance(const SourceLocation& base, std::string_view text, std::size_t offset) {
  SourceLocation out = base;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++out.line;
      out.column = 1;
    } else {
      ++out.column;
    }
  }
  return out;
}

// Finds the arguments of the macro invoked at `location` in `source`: the text between its
// parentheses, and the location of that text. Nullopt when the source there is not a
// `NAME(...)` invocation (e.g. the annotation came through another macro).
struct MacroArgs {
  std::string_view text;
  SourceLocation location;
};
std::optional<MacroArgs> find_macro_args(const std::string& source,
                                         const SourceLocation& location) {
  std::size_t offset = 0;
  for (unsigned line = 1; line < location.line; ++line) {
    offset = source.find('\n', offset);
    if (offset == std::string::npos) return std::nullopt;
    ++offset;
  }
  offset += location.column - 1;
  if (offset >= source.size() || !is_identifier_start(source[offset])) return std::nullopt;
  std::size_t p = offset;
  while (p < source.size() && is_identifier_char(source[p])) ++p;
  while (p < source.size() && (source[p] == ' ' || source[p] == '\t')) ++p;
  if (p >= source.size() || source[p] != '(') return std::nullopt;
  std::size_t open = p;
  int depth = 0;
  for (; p < source.size(); ++p) {
    char c = source[p];
    if (c == '"') {  // skip a string literal (raw strings included)
      bool raw = p > 0 && source[p - 1] == 'R';
      if (raw) {
        std::size_t paren = source.find('(', p);
        if (paren == std::string::npos) return std::nullopt;
        std::string closing = ")";
        closing.append(source, p + 1, paren - p - 1);
        closing += '"';
        std::size_t end = source.find(closing, paren);
        if (end == std::string::npos) return std::nullopt;
        p = end + closing.size() - 1;
      } else {
        for (++p; p < source.size() && source[p] != '"'; ++p) {
          if (source[p] == '\\') ++p;
        }
      }
    } else if (c == '/' && p + 1 < source.size() && source[p + 1] == '/') {
      p = source.find('\n', p);
      if (p == std::string::npos) return std::nullopt;
    } else if (c == '/' && p + 1 < source.size() && source[p + 1] == '*') {
      p = source.find("*/", p + 2);
      if (p == std::string::npos) return std::nullopt;
      ++p;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (--depth == 0) {
        std::string_view args(source.data() + open + 1, p - open - 1);
        return MacroArgs{
            args, advance(location, std::string_view(source).substr(offset), open + 1 - offset)};
      }
    }
  }
  return std::nullopt;
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, Diagnostics& diagnostics, SourceLocation fallback)
      : tokens_(std::move(tokens)), diagnostics_(diagnostics), fallback_(std::move(fallback)) {}

  bool parse(std::vector<OptionItem>& items) {
    if (at_end()) return true;
    if (!parse_items(items, ")")) return false;
    if (!at_end()) return fail(peek(), fmt::format("expected ',' before '{}'", peek().raw));
    return true;
  }

 private:
  bool at_end() const { return pos_ >= tokens_.size(); }
  const Token& peek() const { return tokens_[pos_]; }
  bool next_is(std::string_view punct) const {
    return !at_end() && peek().kind == TokenKind::kPunct && peek().raw == punct;
  }
  SourceLocation location_of(const Token& token) const {
    return token.location.valid() ? token.location : fallback_;
  }
  bool fail(const Token& token, const std::string& message) {
    diagnostics_.error(location_of(token), "bad annotation syntax: " + message);
    return false;
  }
  bool fail_at_end(const std::string& message) {
    SourceLocation where = tokens_.empty() ? fallback_ : location_of(tokens_.back());
    diagnostics_.error(where, "bad annotation syntax: " + message);
    return false;
  }

  // item (',' item)* up to (not including) `closer` or the end.
  bool parse_items(std::vector<OptionItem>& items, std::string_view closer) {
    while (true) {
      OptionItem item;
      if (!parse_item(item)) return false;
      items.push_back(std::move(item));
      if (next_is(",")) {
        ++pos_;
        continue;
      }
      if (at_end() || next_is(closer)) return true;
      return fail(peek(), fmt::format("expected ',' before '{}'", peek().raw));
    }
  }

  bool parse_item(OptionItem& item) {
    if (at_end()) return fail_at_end("expected an option after ','");
    const Token& first = peek();
    if (first.kind == TokenKind::kIdentifier && pos_ + 1 < tokens_.size() &&
        tokens_[pos_ + 1].kind == TokenKind::kPunct && tokens_[pos_ + 1].raw == "=") {
      item.key = first.raw;
      item.location = location_of(first);
      pos_ += 2;
      if (at_end() || next_is(",")) {
        return fail(tokens_[pos_ - 1],
                    fmt::format("option '{}' needs a value after '='", item.key));
      }
      return parse_value(item.value);
    }
    item.location = location_of(first);
    return parse_value(item.value);
  }

  bool parse_value(OptionValue& value) {
    if (at_end()) return fail_at_end("expected a value");
    const Token& token = peek();
    value.location = location_of(token);
    switch (token.kind) {
      case TokenKind::kString:
        value.kind = OptionValue::Kind::kString;
        while (!at_end() && peek().kind == TokenKind::kString) value.text += tokens_[pos_++].value;
        return true;
      case TokenKind::kNumber:
        return parse_number(value, false);
      case TokenKind::kIdentifier:
        value.text = token.raw;
        ++pos_;
        if (next_is("(")) {
          value.kind = OptionValue::Kind::kCall;
          const Token& open = peek();
          ++pos_;
          if (next_is(")")) {
            ++pos_;
            return true;
          }
          if (!parse_items(value.args, ")")) return false;
          if (!next_is(")"))
            return fail(open, fmt::format("'(' after '{}' is not closed", value.text));
          ++pos_;
          return true;
        }
        value.kind = OptionValue::Kind::kIdentifier;
        return true;
      case TokenKind::kPunct:
        if (token.raw == "-") {
          ++pos_;
          if (at_end() || peek().kind != TokenKind::kNumber)
            return fail(token, "expected a number after '-'");
          return parse_number(value, true);
        }
        if (token.raw == "{") {
          value.kind = OptionValue::Kind::kList;
          ++pos_;
          if (next_is("}")) {
            ++pos_;
            return true;
          }
          if (!parse_items(value.args, "}")) return false;
          for (const OptionItem& item : value.args) {
            if (!item.positional()) {
              diagnostics_.error(
                  item.location,
                  "bad annotation syntax: a {...} list holds values, not 'key = value'");
              return false;
            }
          }
          if (!next_is("}")) return fail(token, "'{' is not closed");
          ++pos_;
          return true;
        }
        return fail(token, fmt::format("expected a value, found '{}'", token.raw));
      case TokenKind::kEnd:
        break;
    }
    return fail_at_end("expected a value");
  }

  bool parse_number(OptionValue& value, bool negative) {
    const Token& token = peek();
    value.kind = OptionValue::Kind::kNumber;
    value.text = (negative ? "-" : "") + token.raw;
    std::int64_t n = 0;
    auto [ptr, ec] = std::from_chars(token.raw.data(), token.raw.data() + token.raw.size(), n);
    if (ec != std::errc() || ptr != token.raw.data() + token.raw.size()) {
      return fail(token, fmt::format("'{}' is not a decimal integer", token.raw));
    }
    value.number = negative ? -n : n;
    ++pos_;
    return true;
  }

  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  Diagnostics& diagnostics_;
  SourceLocation fallback_;
};

}  // namespace

bool parse_options(const AnnotationSite& site, std::vector<OptionItem>& items,
                   Diagnostics& diagnostics) {
  std::vector<Token> tokens;
  Tokenizer tokenizer(site.text);
  bool tokenized = tokenizer.run(tokens);

  // Locate the tokens in the source: the preprocessor only dropped comments and blanks, so the
  // tokens of the written arguments match the annotation's one for one.
  std::optional<MacroArgs> args;
  if (site.source != nullptr && site.location.line > 0) {
    args = find_macro_args(*site.source, site.location);
  }
  std::vector<Token> source_tokens;
  bool located = false;
  if (args) {
    Tokenizer source_tokenizer(args->text);
    if (source_tokenizer.run(source_tokens) || !tokenized) {
      located = tokenized ? source_tokens.size() == tokens.size() : true;
      for (std::size_t i = 0; located && tokenized && i < tokens.size(); ++i) {
        located = source_tokens[i].raw == tokens[i].raw;
      }
    }
    if (!tokenized) {
      // Report the error at its place in the source when the source shows it too.
      Tokenizer again(args->text);
      std::vector<Token> ignored;
      if (!again.run(ignored)) {
        diagnostics.error(advance(args->location, args->text, again.error_offset),
                          "bad annotation syntax: " + again.error);
        return false;
      }
    }
  }
  if (!tokenized) {
    diagnostics.error(site.location, "bad annotation syntax: " + tokenizer.error);
    return false;
  }
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    tokens[i].location =
        located ? advance(args->location, args->text, source_tokens[i].offset) : site.location;
  }
  Parser parser(std::move(tokens), diagnostics, site.location);
  return parser.parse(items);
}

std::string describe(const OptionValue& value) {
  switch (value.kind) {
    case OptionValue::Kind::kString: {
      std::string out = "\"";
      for (char c : value.text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      return out + "\"";
    }
    case OptionValue::Kind::kNumber:
    case OptionValue::Kind::kIdentifier:
      return value.text;
    case OptionValue::Kind::kCall:
    case OptionValue::Kind::kList: {
      bool call = value.kind == OptionValue::Kind::kCall;
      std::string out = call ? value.text + "(" : "{";
      for (std::size_t i = 0; i < value.args.size(); ++i) {
        if (i > 0) out += ", ";
        if (!value.args[i].key.empty()) out += value.args[i].key + " = ";
        out += describe(value.args[i].value);
      }
      return out + (call ? ")" : "}");
    }
  }
  return value.text;
}

}  // namespace athanor::gen
