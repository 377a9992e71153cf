#pragma once
// What the operators do to values. Never throws: type mismatches yield null (see
// docs/authoring/expressions.md, "Types and mismatches").
#include <optional>

#include "expr/node.hpp"

namespace rapport::dialogs::expr {

// `==`: same type and same value; null == null.
bool values_equal(const value& a, const value& b);

// Ordering of two numbers or two texts (texts by code point); nullopt for any other pair.
std::optional<int> compare_values(const value& a, const value& b);

// Arithmetic and comparison operators except `in` / `not in` (those need the unevaluated list).
value apply_binary(binary_op op, const value& a, const value& b);

// `needle in haystack` when the right side is a value (not a list): substring test on texts.
bool text_contains(const value& needle, const value& haystack);

value negate(const value& v);

}  // namespace rapport::dialogs::expr
