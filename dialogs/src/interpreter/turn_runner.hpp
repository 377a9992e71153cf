#pragma once
// One call of advance(): applies an event to a conversation and runs its flows until they wait.
#include <optional>
#include <string_view>
#include <vector>

#include "rapport/dialogs/conversation.hpp"
#include "rapport/dialogs/interpreter.hpp"
#include "rapport/dialogs/model.hpp"

namespace rapport::dialogs::detail {

class turn_runner {
 public:
  turn_runner(const bot_model& bot, conversation_state& state, sys_ms now,
              std::vector<output>& out, std::vector<step_ref>& trace);

  void on(const start_event& e);
  void on(const user_message& e);
  void on(const timer_fired& e);
  void on(const named_event& e);
  void on(const handoff_event& e);
  void on(const webhook_result& e);
  void on(const resume_event& e);

  // Adds lead-score points for rules that became true during this turn.
  void update_lead_score();

 private:
  // ---- running flows (turn_runner.cpp) ----
  void execute();
  void run_step(const flow_def& flow, const step& s);
  void run_ask(const flow_def& flow, const ask_step& ask, message_role role);
  void run_handoff(const handoff_step& h);
  void run_webhook(const webhook_step& w);
  void push_flow(std::string_view name, bool interrupt);
  void close(std::string_view outcome);
  value evaluate(const assignment& a) const;
  void assign(const std::string& name, value v);
  const flow_def* current_flow() const;
  const ask_step* pending_ask() const;

  // ---- the send gate (send_gate.cpp) ----
  // Renders and sends a message unless a policy blocks it; false when the flow must stop.
  // `extra` adds message arguments to the conversation's own (slots, intent, ...).
  bool send(std::string_view key, message_role role, std::vector<button> buttons = {},
            const value_map& extra = {});
  // A note about the handoff (queued, joined, ...): sent while a person owns or is asked to
  // own the conversation, never counted as the bot talking; only an opt-out silences it.
  void send_handoff_note(std::string_view key, const value_map& args);
  void block(std::string_view reason, std::string_view key, std::string text);
  void set_no_input_timer(milliseconds after);
  void cancel_no_input_timer();
  void emit(std::string name, value_map props = {});

  // ---- visitor input (user_input.cpp) ----
  // Exact phrases always; classified intents too when `classified`.
  std::optional<interrupt_kind> detect_interrupt(const nlu::result& understood,
                                                 std::string_view normalized,
                                                 bool classified) const;
  void record_intent(const nlu::result& understood);
  bool interrupt_enabled(interrupt_kind k) const;
  void run_interrupt(interrupt_kind k);
  bool answer(const user_message& m, const nlu::result& understood);
  void reject_answer(const ask_step& ask);
  const flow_def* match_trigger(const nlu::result& understood, std::string_view normalized) const;
  bool offer_disambiguation(const nlu::result& understood);
  void start_conversation_flow();
  void on_opted_out(const nlu::result& understood, std::string_view normalized);

  const bot_model& bot_;
  conversation_state& state_;
  sys_ms now_;
  std::vector<output>& out_;
  std::vector<step_ref>& trace_;
  int steps_run_ = 0;  // guards against goto loops that never wait
};

}  // namespace rapport::dialogs::detail
