#pragma once
// Errors and warnings about a bot's files, each with the place it refers to.
#include <string>
#include <vector>

namespace rapport::dialogs {

struct source_pos {
  std::string file;  // path relative to the bot folder, e.g. "flows/welcome.yaml"
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown
};

enum class severity { error, warning };

struct diagnostic {
  severity level = severity::error;
  source_pos pos;
  std::string code;     // stable identifier, e.g. "unknown-key", "undefined-slot"
  std::string message;  // what is wrong and what was expected
  std::string hint;     // optional, e.g. "did you mean 'prompt'?"
};

// "flows/welcome.yaml:12:5: error: ... (did you mean ...?)"
std::string format_diagnostic(const diagnostic& d);

// Diagnostics as a JSON array, for editors (rapport check --format json).
std::string diagnostics_to_json(const std::vector<diagnostic>& ds);

bool has_errors(const std::vector<diagnostic>& ds);

}  // namespace rapport::dialogs
