#include "rapport/dialogs/value.hpp"

#include <cmath>
#include <cstdio>

namespace rapport::dialogs {

bool truthy(const value& v) {
  struct visitor {
    bool operator()(null_value) const { return false; }
    bool operator()(bool b) const { return b; }
    bool operator()(double d) const { return d != 0 && !std::isnan(d); }
    bool operator()(const std::string& s) const { return !s.empty(); }
  };
  return std::visit(visitor{}, v);
}

static std::string number_text(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buffer[32];
  if (d == std::floor(d) && std::fabs(d) < 1e15) {
    std::snprintf(buffer, sizeof buffer, "%.0f", d);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.15g", d);
  }
  return buffer;
}

std::string to_text(const value& v) {
  struct visitor {
    std::string operator()(null_value) const { return ""; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(double d) const { return number_text(d); }
    std::string operator()(const std::string& s) const { return s; }
  };
  return std::visit(visitor{}, v);
}

std::string to_literal(const value& v) {
  if (is_null(v)) return "null";
  if (const auto* s = std::get_if<std::string>(&v)) {
    std::string out = "\"";
    for (char c : *s) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    return out + "\"";
  }
  return to_text(v);
}

}  // namespace rapport::dialogs
