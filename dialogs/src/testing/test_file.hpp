#pragma once
// The conversation test format, parsed: see docs/authoring/testing.md.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "loader/reporter.hpp"
#include "rapport/dialogs/value.hpp"

namespace rapport::dialogs::testing {

struct bot_expectation {
  std::string key;                   // empty: any message key
  std::optional<std::string> text;   // regular expression searched in the rendered text
  std::optional<std::vector<std::string>> buttons;  // labels, in order
};

struct state_expectation {
  value_map slots;  // null: the slot is empty
  std::optional<std::string> intent, owner, handoff, ended, asking, flow, webhook;
  std::vector<std::string> blocked;  // message keys or policy reasons blocked since the last action
  std::vector<std::string> tracked;  // analytics events since the last action
  std::optional<bool> silent, opted_out, buying_intent, consent;
  std::optional<double> lead_score;
};

enum class step_kind { user, click, wait, event, agent, webhook, bot, expect };

struct test_step {
  step_kind kind = step_kind::user;
  source_pos pos;
  std::string text;  // user: the message; click: payload or label; event: name; agent: action
  std::chrono::milliseconds duration{0};  // wait
  value_map props;                         // event properties
  std::string flow, outcome;               // agent return / close
  bool ok = true;                          // webhook
  int status = 200;                        // webhook
  std::string body;                        // webhook: the JSON response
  bot_expectation bot;
  state_expectation expect;
};

struct checkpoint {
  std::string flow, step;
  value_map slots;
  bool buying_intent = false, consent = false;
  source_pos pos;
};

struct conversation_test {
  std::string name;
  source_pos pos;
  std::string locale, channel = "web";
  value_map context;
  std::uint64_t seed = 1;
  bool start = true;  // the visitor opens the widget before the first step
  std::optional<checkpoint> from;
  std::vector<test_step> steps;
};

std::vector<conversation_test> parse_test_file(const std::string& text, const std::string& file,
                                               loader::reporter& r);

}  // namespace rapport::dialogs::testing
