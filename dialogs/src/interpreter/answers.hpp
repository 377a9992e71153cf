#pragma once
// Understanding a visitor's answer to an `ask`, according to the slot's type.
#include <optional>

#include "rapport/dialogs/conversation.hpp"
#include "rapport/dialogs/model.hpp"

namespace rapport::dialogs::detail {

// The slot value the message answers with, or nullopt when it does not answer the question.
// `understood` is the NLU's reading of the message (entities are used for typed slots).
std::optional<value> parse_answer(const bot_model& bot, const slot_def& slot,
                                  const ask_step& ask, const user_message& message,
                                  const nlu::result& understood, std::string_view locale);

// The buttons an ask offers: choice options labelled from the prompt message, yes/no, 1–5, 0–10.
std::vector<button> answer_buttons(const bot_model& bot, const slot_def& slot,
                                   const std::string& prompt_key, std::string_view locale,
                                   const value_map& arguments);

}  // namespace rapport::dialogs::detail
