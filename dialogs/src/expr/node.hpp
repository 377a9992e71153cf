#pragma once
// The parsed form of an expression: an immutable tree shared by every evaluation.
#include <string>
#include <vector>

#include "rapport/dialogs/expression.hpp"

namespace rapport::dialogs::expr {

struct function_def;

enum class node_kind {
  literal,      // value_
  variable,     // name: the whole dotted name
  list,         // children: the elements; only ever the right side of `in` / `not in`
  negate,       // -children[0]
  logical_not,  // not children[0]
  logical_and,  // children[0] and children[1], short-circuit
  logical_or,   // children[0] or children[1], short-circuit
  binary,       // children[0] op children[1]
  call,         // function(children...)
};

enum class binary_op {
  add,
  subtract,
  multiply,
  divide,
  modulo,
  equal,
  not_equal,
  less,
  less_equal,
  greater,
  greater_equal,
  in,
  not_in
};

}  // namespace rapport::dialogs::expr

namespace rapport::dialogs {

struct expression::node {
  expr::node_kind kind = expr::node_kind::literal;
  expr::binary_op op = expr::binary_op::add;
  value literal;
  std::string name;                              // variable name, or function name for calls
  const expr::function_def* function = nullptr;  // calls only; points into a static table
  std::vector<node> children;
  int offset = 0;  // character offset of the node's first token, for diagnostics
};

}  // namespace rapport::dialogs
