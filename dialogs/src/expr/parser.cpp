#include "expr/parser.hpp"

#include <algorithm>
#include <optional>

#include "expr/functions.hpp"
#include "expr/lexer.hpp"
#include "expr/suggest.hpp"
#include "expr/utf8_text.hpp"

namespace rapport::dialogs::expr {

namespace {

using node = expression::node;

std::optional<binary_op> comparison_op(token_kind kind) {
  switch (kind) {
    case token_kind::equal:
      return binary_op::equal;
    case token_kind::not_equal:
      return binary_op::not_equal;
    case token_kind::less:
      return binary_op::less;
    case token_kind::less_equal:
      return binary_op::less_equal;
    case token_kind::greater:
      return binary_op::greater;
    case token_kind::greater_equal:
      return binary_op::greater_equal;
    case token_kind::kw_in:
      return binary_op::in;
    default:
      return std::nullopt;
  }
}

std::string plural_arguments(int n) {
  return n == 1 ? "1 argument" : std::to_string(n) + " arguments";
}

std::string arity_text(const function_def& f) {
  if (f.max_args < 0) return "at least " + plural_arguments(f.min_args);
  if (f.min_args == f.max_args) return plural_arguments(f.min_args);
  if (f.max_args == f.min_args + 1) {
    return std::to_string(f.min_args) + " or " + std::to_string(f.max_args) + " arguments";
  }
  return std::to_string(f.min_args) + " to " + plural_arguments(f.max_args);
}

class parser {
 public:
  parser(std::string_view source, std::vector<token> tokens)
      : source_(source), tokens_(std::move(tokens)) {}

  std::variant<parse_result, expression_error> run() {
    parse_result result;
    if (!parse_or(result.root)) return std::move(*error_);
    if (current().kind != token_kind::end) {
      if (current().kind == token_kind::rparen) {
        fail(current().offset, "unmatched ')'");
      } else {
        fail(current().offset,
             "expected an operator or the end of the expression but found " + describe(current()));
      }
      return std::move(*error_);
    }
    result.variables = std::move(variables_);
    return result;
  }

 private:
  // ---- helpers -----------------------------------------------------------------------------
  const token& current() const { return tokens_[pos_]; }
  const token& peek_next() const { return tokens_[std::min(pos_ + 1, tokens_.size() - 1)]; }
  bool at(token_kind kind) const { return current().kind == kind; }
  const token& advance() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }
  int chars(std::size_t byte_offset) const { return char_offset(source_, byte_offset); }

  // `opened`: where the bracket the error is about was opened.
  bool fail(std::size_t byte_offset, std::string message, std::size_t opened = std::string::npos) {
    if (!error_) {
      error_ = expression_error{chars(byte_offset), std::move(message)};
      if (opened != std::string::npos) error_->opened_at = chars(opened);
    }
    return false;
  }

  // Tracks brackets, calls and unary operators so hostile input cannot exhaust the stack.
  class depth_guard {
   public:
    explicit depth_guard(parser& p) : p_(p) { ++p_.depth_; }
    ~depth_guard() { --p_.depth_; }
    depth_guard(const depth_guard&) = delete;
    depth_guard& operator=(const depth_guard&) = delete;
    bool ok(std::size_t byte_offset) {
      if (p_.depth_ <= max_nesting_depth) return true;
      return p_.fail(byte_offset, "expression is nested too deeply (at most " +
                                      std::to_string(max_nesting_depth) + " levels)");
    }

   private:
    parser& p_;
  };

  node make(node_kind kind, const token& at) const {
    node n;
    n.kind = kind;
    n.offset = chars(at.offset);
    return n;
  }

  node combine(node_kind kind, binary_op op, node left, node right) const {
    node n;
    n.kind = kind;
    n.op = op;
    n.offset = left.offset;
    n.children.reserve(2);
    n.children.push_back(std::move(left));
    n.children.push_back(std::move(right));
    return n;
  }

  void note_variable(const std::string& name) {
    if (std::find(variables_.begin(), variables_.end(), name) == variables_.end()) {
      variables_.push_back(name);
    }
  }

  // ---- grammar -----------------------------------------------------------------------------
  bool parse_or(node& out) {
    if (!parse_and(out)) return false;
    while (at(token_kind::kw_or)) {
      advance();
      node right;
      if (!parse_and(right)) return false;
      out = combine(node_kind::logical_or, binary_op::add, std::move(out), std::move(right));
    }
    return true;
  }

  bool parse_and(node& out) {
    if (!parse_not(out)) return false;
    while (at(token_kind::kw_and)) {
      advance();
      node right;
      if (!parse_not(right)) return false;
      out = combine(node_kind::logical_and, binary_op::add, std::move(out), std::move(right));
    }
    return true;
  }

  bool parse_not(node& out) {
    if (!at(token_kind::kw_not)) return parse_comparison(out);
    const token& op = advance();
    depth_guard guard(*this);
    if (!guard.ok(op.offset)) return false;
    node operand;
    if (!parse_not(operand)) return false;
    out = make(node_kind::logical_not, op);
    out.children.push_back(std::move(operand));
    return true;
  }

  // The comparison operator at the current token, consuming it ("not in" is two tokens).
  std::optional<binary_op> take_comparison() {
    if (at(token_kind::kw_not)) {
      if (peek_next().kind != token_kind::kw_in) return std::nullopt;
      advance();
      advance();
      return binary_op::not_in;
    }
    auto op = comparison_op(current().kind);
    if (op) advance();
    return op;
  }

  bool is_comparison_ahead() const {
    return comparison_op(current().kind).has_value() ||
           (at(token_kind::kw_not) && peek_next().kind == token_kind::kw_in);
  }

  bool parse_comparison(node& out) {
    if (!parse_additive(out)) return false;
    if (at(token_kind::kw_not) && peek_next().kind != token_kind::kw_in) {
      return fail(peek_next().offset,
                  "expected 'in' after 'not' but found " + describe(peek_next()));
    }
    auto op = take_comparison();
    if (!op) return true;
    node right;
    if ((*op == binary_op::in || *op == binary_op::not_in) && at(token_kind::lbracket)) {
      if (!parse_list(right)) return false;
    } else if (!parse_additive(right)) {
      return false;
    }
    out = combine(node_kind::binary, *op, std::move(out), std::move(right));
    if (is_comparison_ahead()) {
      return fail(current().offset,
                  "comparisons cannot be chained; combine them with 'and', e.g. "
                  "a < b and b < c");
    }
    if (at(token_kind::kw_not)) {
      return fail(peek_next().offset,
                  "expected 'in' after 'not' but found " + describe(peek_next()));
    }
    return true;
  }

  bool parse_additive(node& out) {
    if (!parse_multiplicative(out)) return false;
    while (at(token_kind::plus) || at(token_kind::minus)) {
      binary_op op = advance().kind == token_kind::plus ? binary_op::add : binary_op::subtract;
      node right;
      if (!parse_multiplicative(right)) return false;
      out = combine(node_kind::binary, op, std::move(out), std::move(right));
    }
    return true;
  }

  bool parse_multiplicative(node& out) {
    if (!parse_unary(out)) return false;
    while (at(token_kind::star) || at(token_kind::slash) || at(token_kind::percent)) {
      token_kind kind = advance().kind;
      binary_op op = kind == token_kind::star    ? binary_op::multiply
                     : kind == token_kind::slash ? binary_op::divide
                                                 : binary_op::modulo;
      node right;
      if (!parse_unary(right)) return false;
      out = combine(node_kind::binary, op, std::move(out), std::move(right));
    }
    return true;
  }

  bool parse_unary(node& out) {
    if (!at(token_kind::minus)) return parse_primary(out);
    const token& op = advance();
    depth_guard guard(*this);
    if (!guard.ok(op.offset)) return false;
    node operand;
    if (!parse_unary(operand)) return false;
    if (operand.kind == node_kind::literal && std::holds_alternative<double>(operand.literal)) {
      double d = std::get<double>(operand.literal);
      operand.literal = d == 0 ? 0.0 : -d;  // fold "-5" into a literal
      operand.offset = chars(op.offset);
      out = std::move(operand);
      return true;
    }
    out = make(node_kind::negate, op);
    out.children.push_back(std::move(operand));
    return true;
  }

  bool parse_primary(node& out) {
    const token& t = current();
    switch (t.kind) {
      case token_kind::number:
        out = make(node_kind::literal, t);
        out.literal = t.number_value;
        advance();
        return true;
      case token_kind::text:
        out = make(node_kind::literal, t);
        out.literal = t.text_value;
        advance();
        return true;
      case token_kind::kw_true:
      case token_kind::kw_false:
        out = make(node_kind::literal, t);
        out.literal = t.kind == token_kind::kw_true;
        advance();
        return true;
      case token_kind::kw_null:
        out = make(node_kind::literal, t);
        advance();
        return true;
      case token_kind::name:
        if (peek_next().kind == token_kind::lparen) return parse_call(out);
        out = make(node_kind::variable, t);
        out.name = std::string(t.source);
        note_variable(out.name);
        advance();
        return true;
      case token_kind::lparen: {
        const token& open = advance();
        depth_guard guard(*this);
        if (!guard.ok(open.offset)) return false;
        if (!parse_or(out)) return false;
        if (!at(token_kind::rparen)) {
          return fail(current().offset, "expected ')' to close '(' but found " + describe(current()),
                      open.offset);
        }
        advance();
        return true;
      }
      case token_kind::lbracket:
        return fail(t.offset,
                    "a list can only follow 'in' or 'not in', e.g. channel in "
                    "[\"web\", \"whatsapp\"]");
      case token_kind::end:
        return fail(t.offset, "unexpected end of expression: expected a value");
      default:
        return fail(t.offset, "expected a value but found " + describe(t));
    }
  }

  bool parse_list(node& out) {
    const token& open = advance();
    depth_guard guard(*this);
    if (!guard.ok(open.offset)) return false;
    out = make(node_kind::list, open);
    while (!at(token_kind::rbracket)) {
      node element;
      if (!parse_or(element)) return false;
      out.children.push_back(std::move(element));
      if (at(token_kind::comma)) {
        advance();
        continue;
      }
      if (!at(token_kind::rbracket)) {
        return fail(current().offset,
                    "expected ',' or ']' to close '[' but found " + describe(current()), open.offset);
      }
    }
    advance();
    return true;
  }

  bool parse_call(node& out) {
    const token& name = advance();
    const function_def* function = find_function(name.source);
    if (!function) {
      std::string message = "unknown function '" + std::string(name.source) + "'";
      if (auto suggestion = closest_match(name.source, function_names())) {
        message += " (did you mean '" + *suggestion + "'?)";
      }
      return fail(name.offset, std::move(message));
    }
    const token& open = advance();
    depth_guard guard(*this);
    if (!guard.ok(open.offset)) return false;
    out = make(node_kind::call, name);
    out.name = std::string(name.source);
    out.function = function;
    if (!at(token_kind::rparen)) {
      while (true) {
        node argument;
        if (!parse_or(argument)) return false;
        out.children.push_back(std::move(argument));
        if (at(token_kind::comma)) {
          advance();
          continue;
        }
        if (at(token_kind::rparen)) break;
        return fail(current().offset,
                    "expected ',' or ')' to close '" + out.name + "(' but found " + describe(current()),
                    open.offset);
      }
    }
    advance();
    const int count = static_cast<int>(out.children.size());
    if (count < function->min_args || (function->max_args >= 0 && count > function->max_args)) {
      return fail(name.offset, "'" + out.name + "' takes " + arity_text(*function) + " (" +
                                   std::string(function->signature) + ") but was given " +
                                   std::to_string(count));
    }
    if (function->check_literals) {
      std::vector<const value*> literals;
      for (const auto& argument : out.children) {
        literals.push_back(argument.kind == node_kind::literal ? &argument.literal : nullptr);
      }
      if (auto failure = function->check_literals(literals)) {
        error_ = expression_error{out.children[failure->argument].offset, failure->message};
        return false;
      }
    }
    return true;
  }

  std::string_view source_;
  std::vector<token> tokens_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  std::vector<std::string> variables_;
  std::optional<expression_error> error_;
};

}  // namespace

std::variant<parse_result, expression_error> parse_expression(std::string_view source) {
  const int length = count_code_points(source);
  if (length > max_expression_length) {
    return expression_error{max_expression_length, "expression is too long (" +
                                                       std::to_string(length) +
                                                       " characters; at most " +
                                                       std::to_string(max_expression_length) + ")"};
  }
  auto tokens = tokenize(source);
  if (auto* error = std::get_if<lex_error>(&tokens)) {
    return expression_error{char_offset(source, error->offset), std::move(error->message)};
  }
  return parser(source, std::move(std::get<std::vector<token>>(tokens))).run();
}

}  // namespace rapport::dialogs::expr
