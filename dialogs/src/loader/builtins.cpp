#include "loader/builtins.hpp"

namespace rapport::dialogs::loader {

const std::vector<std::string>& expression_builtins() {
  static const std::vector<std::string> names{
      "intent", "intent.confidence", "channel",    "locale",        "turns",   "fallbacks",
      "nudges", "retries",           "lead_score", "buying_intent", "consent", "opted_out",
      "owner",  "last_input",        "agent"};
  return names;
}

const std::vector<std::string>& builtin_entities() {
  static const std::vector<std::string> names{"email", "phone",    "number", "money",
                                              "percent", "duration", "date"};
  return names;
}

const std::vector<std::string>& message_builtins() {
  // handoff_*: set in the notes about a handoff (rapport.handoff_queued, ...), empty elsewhere.
  static const std::vector<std::string> names{
      "intent", "channel", "locale", "turns", "lead_score", "agent",
      "handoff_position", "handoff_wait_minutes", "handoff_team"};
  return names;
}

const std::vector<std::string>& reserved_slot_names() {
  static const std::vector<std::string> names{"intent",        "channel", "locale",    "turns",
                                              "fallbacks",     "nudges",  "retries",   "lead_score",
                                              "buying_intent", "consent", "opted_out", "owner",
                                              "value",         "context", "last_input",
                                              "entity",        "agent"};
  return names;
}

bool is_settable_builtin(std::string_view name) {
  return name == "buying_intent" || name == "consent";
}

std::string_view interrupt_flow(int i) {
  static constexpr std::string_view flows[] = {"human", "stop", "", "help"};
  return flows[i];
}

std::string_view interrupt_module(int i) {
  static constexpr std::string_view modules[] = {"handoff", "opt_out", "core", "core"};
  return modules[i];
}

}  // namespace rapport::dialogs::loader
