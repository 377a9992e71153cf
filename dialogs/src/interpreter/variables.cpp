#include "variables.hpp"

namespace rapport::dialogs::detail {

namespace {

std::optional<value> builtin(const conversation_state& s, std::string_view name) {
  if (name == "intent") return value{s.intent};
  if (name == "intent.confidence") return value{s.confidence};
  if (name == "channel") return value{s.channel};
  if (name == "locale") return value{s.locale};
  if (name == "turns") return value{double(s.turns)};
  if (name == "agent") return value{s.agent};
  if (name == "fallbacks") return value{double(s.fallbacks)};
  if (name == "nudges") return value{double(s.nudges)};
  if (name == "retries") return value{double(s.retries)};
  if (name == "lead_score") return value{s.lead_score};
  if (name == "buying_intent") return value{s.buying_intent};
  if (name == "consent") return value{s.consent};
  if (name == "opted_out") return value{s.opted_out};
  if (name == "owner") return value{std::string(to_string(s.owned_by))};
  if (name == "last_input") return value{s.last_input};
  return std::nullopt;
}

}  // namespace

evaluation_context make_context(const bot_model& bot, const conversation_state& state, sys_ms now,
                                const value* answer) {
  evaluation_context c;
  c.now = now;
  c.time_zone = bot.time_zone;
  c.lookup = [&state, answer](std::string_view name) -> std::optional<value> {
    if (answer != nullptr && name == "value") return *answer;
    if (auto it = state.slots.find(name); it != state.slots.end()) return it->second;
    if (name.starts_with("context.")) {
      auto it = state.context.find(name.substr(8));
      if (it != state.context.end()) return it->second;
      return value{};
    }
    if (name.starts_with("entity.")) {  // null when the last message had none of that type
      auto it = state.entities.find(name.substr(7));
      if (it != state.entities.end()) return it->second;
      return value{};
    }
    return builtin(state, name);
  };
  return c;
}

value_map message_arguments(const conversation_state& state) {
  value_map args = state.slots;
  args["intent"] = state.intent;
  args["channel"] = state.channel;
  args["locale"] = state.locale;
  args["turns"] = double(state.turns);
  args["lead_score"] = state.lead_score;
  args["agent"] = state.agent;
  return args;
}

}  // namespace rapport::dialogs::detail
