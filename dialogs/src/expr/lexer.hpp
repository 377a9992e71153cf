#pragma once
// Splits an expression into tokens. Offsets are byte offsets into the source; the parser turns
// them into character offsets for errors.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rapport::dialogs::expr {

enum class token_kind {
  number,  // number_value
  text,    // text_value: a string literal with its escapes resolved
  name,    // a dotted name: `team_size`, `intent.confidence`
  kw_and,
  kw_or,
  kw_not,
  kw_in,
  kw_true,
  kw_false,
  kw_null,
  equal,
  not_equal,
  less,
  less_equal,
  greater,
  greater_equal,
  plus,
  minus,
  star,
  slash,
  percent,
  lparen,
  rparen,
  lbracket,
  rbracket,
  comma,
  end,
};

struct token {
  token_kind kind = token_kind::end;
  std::size_t offset = 0;   // byte offset of the first character
  std::string_view source;  // the token as written
  double number_value = 0;
  std::string text_value;
};

struct lex_error {
  std::size_t offset = 0;  // byte offset of the offending character
  std::string message;
};

// Tokens ending with one `end` token, or the first error.
std::variant<std::vector<token>, lex_error> tokenize(std::string_view source);

// How a token is shown in error messages: 'and', ')', "end of expression".
std::string describe(const token& t);

}  // namespace rapport::dialogs::expr
