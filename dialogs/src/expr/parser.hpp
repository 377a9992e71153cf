#pragma once
// Recursive-descent parser for the condition language. Precedence, low to high:
//   or < and < not < comparisons (== != < <= > >= in, not in; never chained)
//      < + - < * / % < unary - < primary (literal, name, call, (expr), [list] after in)
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "expr/node.hpp"

namespace rapport::dialogs::expr {

inline constexpr int max_expression_length = 2000;  // characters
inline constexpr int max_nesting_depth = 64;

struct parse_result {
  expression::node root;
  std::vector<std::string> variables;  // in order of first appearance
};

// Errors carry character (code point) offsets into `source`.
std::variant<parse_result, expression_error> parse_expression(std::string_view source);

}  // namespace rapport::dialogs::expr
