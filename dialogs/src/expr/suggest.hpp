#pragma once
// "Did you mean ...?" for misspelt names.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rapport::dialogs::expr {

// The candidate closest to `word` when it is close enough to be a plausible typo.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

}  // namespace rapport::dialogs::expr
