#include "expr/operators.hpp"

#include <cmath>

namespace rapport::dialogs::expr {

namespace {

const double* as_number(const value& v) {
  return std::get_if<double>(&v);
}
const std::string* as_text(const value& v) {
  return std::get_if<std::string>(&v);
}

value finite_or_null(double d) {
  return std::isfinite(d) ? value{d} : value{};
}

value arithmetic(binary_op op, const value& a, const value& b) {
  if (op == binary_op::add && (as_text(a) || as_text(b))) return to_text(a) + to_text(b);
  const double* x = as_number(a);
  const double* y = as_number(b);
  if (!x || !y) return {};
  switch (op) {
    case binary_op::add:
      return finite_or_null(*x + *y);
    case binary_op::subtract:
      return finite_or_null(*x - *y);
    case binary_op::multiply:
      return finite_or_null(*x * *y);
    case binary_op::divide:
      return *y == 0 ? value{} : finite_or_null(*x / *y);
    case binary_op::modulo:
      return *y == 0 ? value{} : finite_or_null(std::fmod(*x, *y));
    default:
      return {};
  }
}

value ordering(binary_op op, const value& a, const value& b) {
  auto order = compare_values(a, b);
  if (!order) return {};
  switch (op) {
    case binary_op::less:
      return *order < 0;
    case binary_op::less_equal:
      return *order <= 0;
    case binary_op::greater:
      return *order > 0;
    case binary_op::greater_equal:
      return *order >= 0;
    default:
      return {};
  }
}

}  // namespace

bool values_equal(const value& a, const value& b) {
  return a == b;
}

std::optional<int> compare_values(const value& a, const value& b) {
  if (const double* x = as_number(a)) {
    const double* y = as_number(b);
    if (!y || std::isnan(*x) || std::isnan(*y)) return std::nullopt;
    return *x < *y ? -1 : (*x > *y ? 1 : 0);
  }
  if (const std::string* x = as_text(a)) {
    const std::string* y = as_text(b);
    if (!y) return std::nullopt;
    const int c = x->compare(*y);  // char_traits<char>: unsigned bytes, i.e. code point order
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  return std::nullopt;
}

value apply_binary(binary_op op, const value& a, const value& b) {
  switch (op) {
    case binary_op::add:
    case binary_op::subtract:
    case binary_op::multiply:
    case binary_op::divide:
    case binary_op::modulo:
      return arithmetic(op, a, b);
    case binary_op::equal:
      return values_equal(a, b);
    case binary_op::not_equal:
      return !values_equal(a, b);
    case binary_op::less:
    case binary_op::less_equal:
    case binary_op::greater:
    case binary_op::greater_equal:
      return ordering(op, a, b);
    case binary_op::in:
      return text_contains(a, b);
    case binary_op::not_in:
      return !text_contains(a, b);
  }
  return {};
}

bool text_contains(const value& needle, const value& haystack) {
  const std::string* n = as_text(needle);
  const std::string* h = as_text(haystack);
  return n && h && h->find(*n) != std::string::npos;
}

value negate(const value& v) {
  const double* x = as_number(v);
  return x ? value{*x == 0 ? 0.0 : -*x} : value{};
}

}  // namespace rapport::dialogs::expr
