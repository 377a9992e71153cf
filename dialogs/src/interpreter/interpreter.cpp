#include "rapport/dialogs/interpreter.hpp"

#include "turn_runner.hpp"

namespace rapport::dialogs {

conversation_state new_conversation(const bot_model& bot, std::uint64_t seed) {
  conversation_state s;
  s.bot_version = bot.version;
  s.locale = bot.default_locale;
  s.seed = seed;
  return s;
}

turn advance(const bot_model& bot, conversation_state state, const event& e, sys_ms now) {
  std::vector<output> out;
  std::vector<step_ref> trace;
  if (state.bot_version.empty()) state.bot_version = bot.version;
  if (state.locale.empty()) state.locale = bot.default_locale;
  detail::turn_runner runner(bot, state, now, out, trace);
  std::visit([&](const auto& ev) { runner.on(ev); }, e);
  runner.update_lead_score();
  return {std::move(state), std::move(out), std::move(trace)};
}

}  // namespace rapport::dialogs
