#pragma once
// A conversation with a fake clock, for `rapport chat` and conversation tests: it keeps the state,
// the pending timers and the pending handoff or webhook, and fires timers when time moves on.
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "rapport/dialogs/interpreter.hpp"

namespace rapport::dialogs {

struct simulator_options {
  std::string locale;  // the visitor's locale; empty → the bot's default
  std::string channel = "web";
  value_map context;
  std::uint64_t seed = 1;
  sys_ms start_time = sys_ms{std::chrono::milliseconds{1'767'261'600'000}};  // 2026-01-01 10:00Z
};

class simulator {
 public:
  simulator(std::shared_ptr<const bot_model> bot, simulator_options options);

  std::vector<output> start();
  std::vector<output> say(std::string text);
  std::vector<output> click(std::string payload, std::string label = "");
  // Moves the clock forward, firing every timer that falls due on the way, in order.
  std::vector<output> wait(milliseconds duration);
  std::vector<output> deliver(const event& e);

  // Replaces the state (test checkpoints, /restart); pending timers are dropped.
  void reset(conversation_state state);

  const conversation_state& state() const { return state_; }
  const bot_model& bot() const { return *bot_; }
  sys_ms now() const { return now_; }
  const std::optional<handoff_request>& pending_handoff() const { return handoff_; }
  const std::optional<webhook_request>& pending_webhook() const { return webhook_; }
  // Every step executed and every message key sent or blocked so far (coverage).
  const std::set<step_ref>& visited_steps() const { return visited_; }
  const std::set<std::string>& used_messages() const { return messages_; }

 private:
  void track(const std::vector<output>& outputs);

  std::shared_ptr<const bot_model> bot_;
  simulator_options options_;
  conversation_state state_;
  sys_ms now_;
  std::map<std::string, timer_set> timers_;
  std::optional<handoff_request> handoff_;
  std::optional<webhook_request> webhook_;
  std::set<step_ref> visited_;
  std::set<std::string> messages_;
};

// Parses "500ms", "30s", "2m", "1h30m"; nullopt when malformed.
std::optional<milliseconds> parse_duration(std::string_view text);

}  // namespace rapport::dialogs
