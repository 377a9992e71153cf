#pragma once
// Message arguments: which arguments a pattern uses and how, and how a value is handed to ICU.
#include <unicode/fmtable.h>
#include <unicode/messagepattern.h>
#include <unicode/timezone.h>

#include <optional>
#include <string>
#include <vector>

#include "expr/message_impl.hpp"

namespace rapport::dialogs::expr {

// Named arguments in order of first appearance, and how each one is used.
struct argument_usage {
  std::vector<std::string> names;
  std::vector<argument_use> uses;
};
argument_usage analyse_arguments(const icu::MessagePattern& parts);

// The value as ICU should see it for that use: numbers (and numeric text) for plural/number,
// dates for date/time, text for select and plain arguments; booleans become "true"/"false" and
// null becomes "". nullopt when the value cannot serve the use (e.g. "abc" in a plural); the
// caller then renders with the best-effort renderer instead.
std::optional<icu::Formattable> to_formattable(const value& v, const argument_use& use,
                                               const icu::TimeZone& date_zone);

// "2026-11-23" as local midnight in `zone`, in ICU's UDate milliseconds.
std::optional<double> iso_date_to_udate(const std::string& text, const icu::TimeZone& zone);

}  // namespace rapport::dialogs::expr
