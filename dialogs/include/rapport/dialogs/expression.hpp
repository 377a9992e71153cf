#pragma once
// The condition language: a small, safe expression language over slots and built-ins.
//
//   team_size >= 10 and intent == "pricing" and intent.confidence > 0.7
//   channel in ["web", "whatsapp"] or not is_set(email)
//   hour() >= 9 and weekday("Europe/Berlin") <= 5
//
// No loops, no assignment, no user-defined functions; evaluation always terminates and never
// throws. See docs/authoring/expressions.md for the grammar and the function list.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rapport/dialogs/value.hpp"

namespace rapport::dialogs {

using sys_ms = std::chrono::sys_time<std::chrono::milliseconds>;

struct expression_error {
  int offset = 0;  // 0-based character offset into the expression text (Unicode code points)
  std::string message;
  int opened_at = -1;  // an unclosed '(' or '[': where it opened (same unit), else -1
};

// Everything an expression can see while it is evaluated.
struct evaluation_context {
  // Looks a variable up by its full dotted name ("team_size", "intent.confidence");
  // std::nullopt when the name is unknown (evaluates to null).
  std::function<std::optional<value>(std::string_view name)> lookup;
  sys_ms now{};
  std::string time_zone = "UTC";  // default zone of time functions, an IANA name
};

class expression {
 public:
  expression();  // the constant `true`

  // Parses `text`; on error, the error's offset points at the offending character.
  static std::variant<expression, expression_error> parse(std::string_view text);

  // Evaluates; a type mismatch yields null (and so a false condition), never an exception.
  value evaluate(const evaluation_context& context) const;
  bool test(const evaluation_context& context) const { return truthy(evaluate(context)); }

  const std::string& text() const;
  // Variable names the expression reads, in order of first appearance, for validation.
  const std::vector<std::string>& variables() const;

  struct node;

 private:
  std::shared_ptr<const node> root_;
  std::shared_ptr<const std::string> text_;
  std::shared_ptr<const std::vector<std::string>> variables_;
};

// Names of the built-in functions, for error messages and editor completion.
const std::vector<std::string>& expression_functions();

}  // namespace rapport::dialogs
