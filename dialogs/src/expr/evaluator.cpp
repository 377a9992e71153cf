#include "expr/evaluator.hpp"

#include "expr/functions.hpp"
#include "expr/operators.hpp"

namespace rapport::dialogs::expr {

namespace {

using node = expression::node;

bool list_contains(const node& list, const value& needle, const evaluation_context& context) {
  for (const node& element : list.children) {
    if (values_equal(needle, evaluate_node(element, context))) return true;
  }
  return false;
}

value evaluate_binary(const node& n, const evaluation_context& context) {
  const node& right = n.children[1];
  if ((n.op == binary_op::in || n.op == binary_op::not_in) && right.kind == node_kind::list) {
    const bool found = list_contains(right, evaluate_node(n.children[0], context), context);
    return n.op == binary_op::in ? found : !found;
  }
  value a = evaluate_node(n.children[0], context);
  return apply_binary(n.op, a, evaluate_node(right, context));
}

value evaluate_call(const node& n, const evaluation_context& context) {
  std::vector<value> arguments;
  arguments.reserve(n.children.size());
  for (const node& argument : n.children) arguments.push_back(evaluate_node(argument, context));
  return n.function->call(arguments, context);
}

}  // namespace

value evaluate_node(const node& n, const evaluation_context& context) {
  switch (n.kind) {
    case node_kind::literal:
      return n.literal;
    case node_kind::variable:
      if (!context.lookup) return {};
      return context.lookup(n.name).value_or(value{});
    case node_kind::list:
      return {};  // lists only appear on the right of `in`, handled there
    case node_kind::negate:
      return negate(evaluate_node(n.children[0], context));
    case node_kind::logical_not:
      return !truthy(evaluate_node(n.children[0], context));
    case node_kind::logical_and:
      return truthy(evaluate_node(n.children[0], context)) &&
             truthy(evaluate_node(n.children[1], context));
    case node_kind::logical_or:
      return truthy(evaluate_node(n.children[0], context)) ||
             truthy(evaluate_node(n.children[1], context));
    case node_kind::binary:
      return evaluate_binary(n, context);
    case node_kind::call:
      return evaluate_call(n, context);
  }
  return {};
}

}  // namespace rapport::dialogs::expr
