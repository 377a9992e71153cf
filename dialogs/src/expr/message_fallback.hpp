#pragma once
// Best-effort rendering, used when ICU cannot format the arguments it was given (a missing or
// non-numeric value in a plural, a number in a select, an ICU error). It follows ICU's rules for
// text, quotes, select and plural, and degrades instead of failing:
//   - a plural or selectordinal whose value is not a number takes its `other` case, and `#`
//     shows the value as text (nothing when it is missing);
//   - number, date and time arguments show numbers in the locale's format and anything else as
//     plain text, ignoring their style.
#include <unicode/unistr.h>

#include "expr/message_impl.hpp"

namespace rapport::dialogs::expr {

icu::UnicodeString render_best_effort(const message_pattern::impl& impl,
                                      const value_map& arguments);

}  // namespace rapport::dialogs::expr
