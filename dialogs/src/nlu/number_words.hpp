#pragma once
// Numbers written in digits or spelled out, found in tokenised text. Spelled-out number words
// come from ICU's rule-based number format (spellout rules) for the locale, so every language
// ICU has spellout rules for is understood without word lists of our own.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nlu/unicode_text.hpp"

namespace rapport::dialogs::nlu::detail {

struct number_match {
  double value = 0;
  std::size_t first = 0, last = 0;  // token range [first, last)
  bool spelled = false;             // written in words
};

// Every number in `tokens`, left to right, non-overlapping.
std::vector<number_match> find_numbers(const std::vector<token>& tokens, std::string_view locale);

// A number token ("1,200", "2.5", "1.000,50") read with the locale's separators.
std::optional<double> parse_digits(std::string_view folded, std::string_view locale);

}  // namespace rapport::dialogs::nlu::detail
