#include "loader/declarations.hpp"

namespace rapport::dialogs::loader {

std::string where(const source_pos& pos) {
  std::string out = pos.file;
  if (pos.line > 0) out += ":" + std::to_string(pos.line);
  if (pos.column > 0) out += ":" + std::to_string(pos.column);
  return out;
}

bool claim_name(load_context& ctx, std::map<std::string, std::string, std::less<>>& origins,
                std::string_view what, const std::string& name, const source_pos& pos,
                const std::string& origin, const source_pos* existing) {
  auto it = origins.find(name);
  if (it == origins.end()) {
    origins.emplace(name, origin);
    return true;
  }
  if (!it->second.empty() && origin.empty()) {  // the bot overrides a module
    it->second = origin;
    return true;
  }
  ctx.diags.error(pos, "duplicate-name",
                  std::string(what) + " '" + name + "' is already defined" +
                      (existing ? " at " + where(*existing) : std::string{}),
                  "rename one of them");
  return false;
}

}  // namespace rapport::dialogs::loader
