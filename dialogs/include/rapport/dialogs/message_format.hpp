#pragma once
// Message rendering with ICU MessageFormat (named arguments, plural, select, number, date).
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rapport/dialogs/value.hpp"

namespace rapport::dialogs {

struct format_error {
  int offset = 0;  // 0-based character offset into the pattern (Unicode code points)
  std::string message;
};

// A pattern compiled once for one locale; rendering is const and safe from several threads.
class message_pattern {
 public:
  static std::variant<message_pattern, format_error> compile(std::string_view pattern,
                                                             std::string_view locale);

  // Renders with named arguments; arguments the pattern does not use are ignored, missing ones
  // render as empty text (and select's `other` branch).
  std::string render(const value_map& arguments) const;

  // Argument names the pattern refers to, for validation (undefined slots).
  const std::vector<std::string>& argument_names() const;
  const std::string& source() const;

  struct impl;

 private:
  std::shared_ptr<const impl> impl_;
};

}  // namespace rapport::dialogs
