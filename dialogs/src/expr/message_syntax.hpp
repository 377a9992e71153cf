#pragma once
// Explains why a message pattern does not parse, in words an author understands and at the
// character where the problem is. ICU decides whether a pattern is valid; this only explains.
#include <unicode/messagepattern.h>
#include <unicode/unistr.h>

#include <optional>
#include <string>

namespace rapport::dialogs::expr {

struct pattern_problem {
  int32_t index = 0;  // UTF-16 index into the pattern
  std::string message;
};

inline constexpr int max_brace_depth = 64;

// Rejects patterns whose braces nest deeper than max_brace_depth, before ICU sees them: ICU's
// MessagePattern parser recurses once per level and overflows the stack on hostile input.
// Counts conservatively (it may over-count quoted braces, never under-count).
std::optional<pattern_problem> check_nesting(const icu::UnicodeString& pattern);

// The first problem found by reading the pattern with MessageFormat's syntax, or nullopt when
// nothing stands out (the caller then falls back to ICU's own error).
std::optional<pattern_problem> explain_pattern_syntax(const icu::UnicodeString& pattern);

// Problems ICU's MessagePattern accepts but Rapport rejects, found on the parsed parts:
// numbered arguments, unknown argument types, `choice`, unknown or duplicate plural cases.
std::optional<pattern_problem> check_pattern_parts(const icu::MessagePattern& parts);

// Lower-case ASCII type name; the argument types Rapport accepts.
bool is_complex_type(const std::string& type);  // plural, select, selectordinal
bool is_simple_type(const std::string& type);   // number, date, time, spellout, ordinal, duration

}  // namespace rapport::dialogs::expr
