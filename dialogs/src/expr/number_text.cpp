#include "expr/number_text.hpp"

#include <charconv>
#include <cmath>

namespace rapport::dialogs::expr {

namespace {
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
}  // namespace

std::optional<double> parse_number_text(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  bool negative = false;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  // A digit must come first (or ".5"): this rules out "inf", "nan", hex and a second sign.
  if (text.empty() ||
      !(is_digit(text.front()) || (text.front() == '.' && text.size() > 1 && is_digit(text[1])))) {
    return std::nullopt;
  }
  double result = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, result, std::chars_format::general);
  if (ec != std::errc{} || ptr != end || !std::isfinite(result)) return std::nullopt;
  return negative ? -result : result;
}

}  // namespace rapport::dialogs::expr
