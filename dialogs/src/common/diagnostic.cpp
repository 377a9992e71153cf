#include "rapport/dialogs/diagnostic.hpp"

#include <algorithm>
#include <boost/json.hpp>

namespace rapport::dialogs {

std::string format_diagnostic(const diagnostic& d) {
  std::string out = d.pos.file.empty() ? "<bot>" : d.pos.file;
  if (d.pos.line > 0) {
    out += ':' + std::to_string(d.pos.line);
    if (d.pos.column > 0) out += ':' + std::to_string(d.pos.column);
  }
  out += d.level == severity::error ? ": error: " : ": warning: ";
  out += d.message;
  if (!d.hint.empty()) out += " (" + d.hint + ")";
  if (!d.code.empty()) out += " [" + d.code + "]";
  return out;
}

std::string diagnostics_to_json(const std::vector<diagnostic>& ds) {
  boost::json::array out;
  for (const auto& d : ds) {
    out.push_back({{"severity", d.level == severity::error ? "error" : "warning"},
                   {"file", d.pos.file},
                   {"line", d.pos.line},
                   {"column", d.pos.column},
                   {"code", d.code},
                   {"message", d.message},
                   {"hint", d.hint}});
  }
  return boost::json::serialize(out);
}

bool has_errors(const std::vector<diagnostic>& ds) {
  return std::any_of(ds.begin(), ds.end(),
                     [](const diagnostic& d) { return d.level == severity::error; });
}

}  // namespace rapport::dialogs
