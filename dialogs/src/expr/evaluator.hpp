#pragma once
// Evaluates a parsed expression. Pure and re-entrant: reads the tree, never writes it.
#include "expr/node.hpp"

namespace rapport::dialogs::expr {

value evaluate_node(const expression::node& n, const evaluation_context& context);

}  // namespace rapport::dialogs::expr
