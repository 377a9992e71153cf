#include "rapport/dialogs/expression.hpp"

#include "expr/evaluator.hpp"
#include "expr/functions.hpp"
#include "expr/node.hpp"
#include "expr/parser.hpp"

namespace rapport::dialogs {

namespace {

// Shared by every default-constructed expression (models hold many).
const std::shared_ptr<const expression::node>& constant_true() {
  static const auto root = [] {
    auto n = std::make_shared<expression::node>();
    n->literal = true;
    return std::shared_ptr<const expression::node>(std::move(n));
  }();
  return root;
}

const std::shared_ptr<const std::string>& true_text() {
  static const auto text = std::make_shared<const std::string>("true");
  return text;
}

const std::shared_ptr<const std::vector<std::string>>& no_variables() {
  static const auto none = std::make_shared<const std::vector<std::string>>();
  return none;
}

}  // namespace

expression::expression() : root_(constant_true()), text_(true_text()), variables_(no_variables()) {}

std::variant<expression, expression_error> expression::parse(std::string_view text) {
  auto parsed = expr::parse_expression(text);
  if (auto* error = std::get_if<expression_error>(&parsed)) return std::move(*error);
  auto& result = std::get<expr::parse_result>(parsed);
  expression e;
  e.root_ = std::make_shared<const node>(std::move(result.root));
  e.text_ = std::make_shared<const std::string>(text);
  e.variables_ = std::make_shared<const std::vector<std::string>>(std::move(result.variables));
  return e;
}

value expression::evaluate(const evaluation_context& context) const {
  if (!root_) return {};  // moved-from
  return expr::evaluate_node(*root_, context);
}

const std::string& expression::text() const {
  static const std::string empty;
  return text_ ? *text_ : empty;
}

const std::vector<std::string>& expression::variables() const {
  static const std::vector<std::string> empty;
  return variables_ ? *variables_ : empty;
}

const std::vector<std::string>& expression_functions() {
  return expr::function_names();
}

}  // namespace rapport::dialogs
