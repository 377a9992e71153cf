#include "expr/lexer.hpp"

#include <charconv>
#include <cmath>

#include "expr/utf8_text.hpp"

namespace rapport::dialogs::expr {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_name_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
bool is_name_char(char c) {
  return is_name_start(c) || is_digit(c);
}
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

struct keyword {
  std::string_view word;
  token_kind kind;
};
constexpr keyword keywords[] = {
    {"and", token_kind::kw_and},   {"or", token_kind::kw_or},     {"not", token_kind::kw_not},
    {"in", token_kind::kw_in},     {"true", token_kind::kw_true}, {"false", token_kind::kw_false},
    {"null", token_kind::kw_null},
};

class lexer {
 public:
  explicit lexer(std::string_view source) : source_(source) {}

  std::variant<std::vector<token>, lex_error> run() {
    std::vector<token> tokens;
    while (true) {
      while (pos_ < source_.size() && is_space(source_[pos_])) ++pos_;
      if (pos_ >= source_.size()) break;
      if (!next(tokens)) return std::move(*error_);
    }
    token end;
    end.kind = token_kind::end;
    end.offset = source_.size();
    tokens.push_back(std::move(end));
    return tokens;
  }

 private:
  bool fail(std::size_t offset, std::string message) {
    error_ = lex_error{offset, std::move(message)};
    return false;
  }

  void push(std::vector<token>& tokens, token_kind kind, std::size_t length) {
    token t;
    t.kind = kind;
    t.offset = pos_;
    t.source = source_.substr(pos_, length);
    tokens.push_back(std::move(t));
    pos_ += length;
  }

  char peek(std::size_t ahead = 1) const {
    return pos_ + ahead < source_.size() ? source_[pos_ + ahead] : '\0';
  }

  bool next(std::vector<token>& tokens) {
    char c = source_[pos_];
    if (is_digit(c)) return number(tokens);
    if (is_name_start(c)) return name(tokens);
    if (c == '"' || c == '\'') return string(tokens);
    switch (c) {
      case '(':
        push(tokens, token_kind::lparen, 1);
        return true;
      case ')':
        push(tokens, token_kind::rparen, 1);
        return true;
      case '[':
        push(tokens, token_kind::lbracket, 1);
        return true;
      case ']':
        push(tokens, token_kind::rbracket, 1);
        return true;
      case ',':
        push(tokens, token_kind::comma, 1);
        return true;
      case '+':
        push(tokens, token_kind::plus, 1);
        return true;
      case '-':
        push(tokens, token_kind::minus, 1);
        return true;
      case '*':
        push(tokens, token_kind::star, 1);
        return true;
      case '/':
        push(tokens, token_kind::slash, 1);
        return true;
      case '%':
        push(tokens, token_kind::percent, 1);
        return true;
      case '<':
        push(tokens, peek() == '=' ? token_kind::less_equal : token_kind::less,
             peek() == '=' ? 2 : 1);
        return true;
      case '>':
        push(tokens, peek() == '=' ? token_kind::greater_equal : token_kind::greater,
             peek() == '=' ? 2 : 1);
        return true;
      case '=':
        if (peek() == '=') {
          push(tokens, token_kind::equal, 2);
          return true;
        }
        return fail(pos_, "'=' is not an operator; use '==' to compare");
      case '!':
        if (peek() == '=') {
          push(tokens, token_kind::not_equal, 2);
          return true;
        }
        return fail(pos_, "'!' is not an operator; use 'not'");
      case '&':
        return fail(pos_, peek() == '&' ? "'&&' is not an operator; use 'and'"
                                        : "'&' is not an operator; use 'and'");
      case '|':
        return fail(pos_, peek() == '|' ? "'||' is not an operator; use 'or'"
                                        : "'|' is not an operator; use 'or'");
      case '.':
        if (is_digit(peek())) return fail(pos_, "write a digit before the '.', e.g. 0.5");
        break;
      default:
        break;
    }
    return fail(pos_, "unexpected character '" + character_at(source_, pos_) + "'");
  }

  bool number(std::vector<token>& tokens) {
    std::size_t start = pos_;
    std::size_t end = pos_;
    while (end < source_.size() && is_digit(source_[end])) ++end;
    if (end < source_.size() && source_[end] == '.') {
      ++end;
      if (end >= source_.size() || !is_digit(source_[end])) {
        return fail(end, "expected a digit after '.' in the number");
      }
      while (end < source_.size() && is_digit(source_[end])) ++end;
    }
    if (end < source_.size() && (source_[end] == 'e' || source_[end] == 'E')) {
      std::size_t exponent = end + 1;
      if (exponent < source_.size() && (source_[exponent] == '+' || source_[exponent] == '-')) {
        ++exponent;
      }
      if (exponent < source_.size() && is_digit(source_[exponent])) {
        end = exponent;
        while (end < source_.size() && is_digit(source_[end])) ++end;
      }
    }
    if (end < source_.size() && is_name_char(source_[end])) {
      return fail(end, "expected an operator after the number " +
                           std::string(source_.substr(start, end - start)));
    }
    double result = 0;
    auto [ptr, ec] = std::from_chars(source_.data() + start, source_.data() + end, result);
    if (ec != std::errc{} || !std::isfinite(result)) {
      return fail(start, "number out of range");
    }
    push(tokens, token_kind::number, end - start);
    tokens.back().number_value = result;
    return true;
  }

  bool name(std::vector<token>& tokens) {
    std::size_t end = pos_;
    while (end < source_.size() && is_name_char(source_[end])) ++end;
    std::string_view first = source_.substr(pos_, end - pos_);
    for (const auto& k : keywords) {
      if (first == k.word) {
        push(tokens, k.kind, end - pos_);
        return true;
      }
    }
    while (end < source_.size() && source_[end] == '.') {
      if (end + 1 >= source_.size() || !is_name_start(source_[end + 1])) {
        return fail(end + 1, "expected a name after '.' in '" +
                                 std::string(source_.substr(pos_, end + 1 - pos_)) + "'");
      }
      end += 1;
      while (end < source_.size() && is_name_char(source_[end])) ++end;
    }
    push(tokens, token_kind::name, end - pos_);
    return true;
  }

  bool string(std::vector<token>& tokens) {
    char quote = source_[pos_];
    std::string value;
    std::size_t i = pos_ + 1;
    while (true) {
      if (i >= source_.size()) {
        return fail(pos_, std::string("unterminated text: expected a closing ") + quote);
      }
      char c = source_[i];
      if (c == quote) break;
      if (c != '\\') {
        value += c;
        ++i;
        continue;
      }
      if (i + 1 >= source_.size()) {
        return fail(pos_, std::string("unterminated text: expected a closing ") + quote);
      }
      char e = source_[i + 1];
      switch (e) {
        case '\\':
          value += '\\';
          break;
        case '"':
          value += '"';
          break;
        case '\'':
          value += '\'';
          break;
        case 'n':
          value += '\n';
          break;
        case 't':
          value += '\t';
          break;
        case 'r':
          value += '\r';
          break;
        case 'u': {
          unsigned cp = 0;
          for (std::size_t k = 0; k < 4; ++k) {
            int h = i + 2 + k < source_.size() ? hex_digit(source_[i + 2 + k]) : -1;
            if (h < 0) return fail(i, "expected four hex digits after \\u, e.g. \\u00e9");
            cp = cp * 16 + static_cast<unsigned>(h);
          }
          if (cp >= 0xD800 && cp <= 0xDFFF) {
            return fail(i, "\\u" + std::string(source_.substr(i + 2, 4)) +
                               " is a surrogate, not a character");
          }
          append_utf8(value, cp);
          i += 6;
          continue;
        }
        default:
          return fail(i, "unknown escape '\\" + character_at(source_, i + 1) +
                             "'; use \\\\ for a backslash");
      }
      i += 2;
    }
    push(tokens, token_kind::text, i + 1 - pos_);
    tokens.back().text_value = std::move(value);
    return true;
  }

  std::string_view source_;
  std::size_t pos_ = 0;
  std::optional<lex_error> error_;
};

}  // namespace

std::variant<std::vector<token>, lex_error> tokenize(std::string_view source) {
  return lexer(source).run();
}

std::string describe(const token& t) {
  if (t.kind == token_kind::end) return "the end of the expression";
  std::string_view shown = t.source;
  if (shown.size() <= 40) return "'" + std::string(shown) + "'";
  std::size_t cut = 37;
  while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) --cut;
  return "'" + std::string(shown.substr(0, cut)) + "...'";
}

}  // namespace rapport::dialogs::expr
