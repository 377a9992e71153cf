#pragma once
// The interpreter: a pure state machine. advance(model, state, event, now) → new state + outputs.
// No I/O, no clock, no global randomness: the same inputs always give the same result.
#include <cstdint>
#include <vector>

#include "rapport/dialogs/conversation.hpp"
#include "rapport/dialogs/model.hpp"

namespace rapport::dialogs {

// A step the interpreter executed, for coverage reports and debugging.
struct step_ref {
  std::string flow;
  int pc = 0;
  friend auto operator<=>(const step_ref&, const step_ref&) = default;
};

struct turn {
  conversation_state state;
  std::vector<output> outputs;
  std::vector<step_ref> trace;  // steps executed, in order
};

conversation_state new_conversation(const bot_model& bot, std::uint64_t seed);

turn advance(const bot_model& bot, conversation_state state, const event& e, sys_ms now);

}  // namespace rapport::dialogs
