#pragma once
// The closed list of built-in functions: names, arities and implementations.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rapport/dialogs/expression.hpp"

namespace rapport::dialogs::expr {

struct function_def {
  std::string_view name;
  int min_args = 0;
  int max_args = 0;            // -1: no upper bound
  std::string_view signature;  // shown in errors: "between(start, end, zone?)"
  value (*call)(std::span<const value> args, const evaluation_context& context) = nullptr;
  // Optional parse-time check of the call's literal arguments: an error message and the index of
  // the argument it is about.
  struct check_failure {
    std::size_t argument = 0;
    std::string message;
  };
  std::optional<check_failure> (*check_literals)(std::span<const value* const> literals) = nullptr;
};

// The function with that name, or nullptr.
const function_def* find_function(std::string_view name);

const std::vector<std::string>& function_names();

}  // namespace rapport::dialogs::expr
