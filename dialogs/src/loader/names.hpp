#pragma once
// Naming rules of the dialog language, "did you mean" suggestions and durations.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rapport::dialogs::loader {

// Flows, slots, intents, entities, webhooks, step ids, events: [a-z][a-z0-9_]*
bool is_identifier(std::string_view s);
// Message keys: identifiers joined by dots ("rapport.nudge").
bool is_message_key(std::string_view s);
// Bot names: letters, digits, '-' and '_'.
bool is_bot_name(std::string_view s);
// Locales: "en", "de", "pt-BR", "zh-Hant" (BCP 47 language with optional subtags).
bool is_locale(std::string_view s);

// A lower-case identifier close to `s` ("Pricing Page" → "pricing_page"), for hints.
std::string suggest_identifier(std::string_view s);

// Levenshtein distance with adjacent transpositions counted as one edit.
int edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `name` when it is close enough to be a likely typo, else "".
std::string closest(std::string_view name, const std::vector<std::string>& candidates);
// "did you mean 'x'?" or "".
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

// "'a', 'b' and 'c'"
std::string quoted_list(const std::vector<std::string>& names, std::string_view last = "and");

// "500ms", "30s", "2m", "1h", "1h30m"; std::nullopt when malformed.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view s);

}  // namespace rapport::dialogs::loader
