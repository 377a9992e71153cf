#pragma once
// Who wins when a name is declared twice: the bot overrides a module silently; two declarations
// by the bot (or by modules) are an error.
#include <string>

#include "loader/load_context.hpp"

namespace rapport::dialogs::loader {

// True when the declaration of `name` by `origin` at `pos` should be kept (replacing an earlier
// module's). `existing` is where the earlier one was declared, when there is one.
bool claim_name(load_context& ctx, std::map<std::string, std::string, std::less<>>& origins,
                std::string_view what, const std::string& name, const source_pos& pos,
                const std::string& origin, const source_pos* existing);

std::string where(const source_pos& pos);  // "flows/a.yaml:3:5"

}  // namespace rapport::dialogs::loader
