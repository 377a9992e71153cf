#pragma once
// The value a slot, an expression or a message argument holds.
#include <map>
#include <string>
#include <variant>

namespace rapport::dialogs {

struct null_value {
  friend bool operator==(null_value, null_value) { return true; }
};

// null, boolean, number (double) or text. Dates are ISO text ("2026-11-23").
using value = std::variant<null_value, bool, double, std::string>;
using value_map = std::map<std::string, value, std::less<>>;

inline bool is_null(const value& v) { return std::holds_alternative<null_value>(v); }

// Truthiness used by conditions: null, false, 0 and "" are false.
bool truthy(const value& v);

// Human-readable text: numbers without a trailing ".0", booleans as true/false, null as "".
std::string to_text(const value& v);

// The value as an expression literal ("text" quoted), for error messages and graphs.
std::string to_literal(const value& v);

}  // namespace rapport::dialogs
