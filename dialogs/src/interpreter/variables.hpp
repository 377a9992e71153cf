#pragma once
// What expressions and messages can see of a conversation.
#include "rapport/dialogs/conversation.hpp"
#include "rapport/dialogs/expression.hpp"
#include "rapport/dialogs/model.hpp"

namespace rapport::dialogs::detail {

// `answer`, when given, is visible as `value` (an ask's validate expression).
evaluation_context make_context(const bot_model& bot, const conversation_state& state, sys_ms now,
                                const value* answer = nullptr);

// Slots plus the message built-ins: intent, channel, locale, turns, lead_score.
value_map message_arguments(const conversation_state& state);

}  // namespace rapport::dialogs::detail
