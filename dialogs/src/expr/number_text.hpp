#pragma once
// Reading a number written as text ("40", " -2.5 ", "1e3"), shared by number() in expressions
// and by message arguments used in plural/number. Locale-independent: "1,5" is not a number.
#include <optional>
#include <string_view>

namespace rapport::dialogs::expr {

// The number, or nullopt when `text` (surrounding spaces aside) is not entirely one finite number.
std::optional<double> parse_number_text(std::string_view text);

}  // namespace rapport::dialogs::expr
