#pragma once
// Conversation state, the events that move it and the outputs it produces. All plain data; the
// state round-trips through JSON losslessly so the engine can persist it.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "rapport/dialogs/expression.hpp"
#include "rapport/dialogs/value.hpp"

namespace rapport::dialogs {

enum class owner { bot, queued, human, closed };
enum class waiting_for { nothing, answer, handoff, webhook };
const char* to_string(owner o);
const char* to_string(waiting_for w);

struct frame {
  std::string flow;
  int pc = 0;
  bool interrupt = false;  // entered by an interrupt or digression: the frame below resumes
  friend bool operator==(const frame&, const frame&) = default;
};

struct conversation_state {
  std::string bot_version;
  std::string locale;
  std::string channel = "web";
  owner owned_by = owner::bot;
  waiting_for waiting = waiting_for::nothing;
  std::vector<frame> stack;  // call stack, innermost last

  value_map slots;
  value_map context;  // from the start event and page views: page, referrer, utm_*, ...
  std::string last_input;     // the visitor's last message text
  value_map entities;         // entities in it: type → the first value (email, money, a lookup)
  std::string first_message;  // the visitor's first message: what brought them, in their words
  std::string agent;   // the name of the person who owns the conversation (owner human)
  std::string intent;  // last recognised intent
  double confidence = 0;
  std::vector<std::string> offered_intents;  // disambiguation question pending

  int turns = 0;       // user messages
  int fallbacks = 0;   // consecutive messages nothing understood
  int nudges = 0;      // nudges sent in this conversation
  int retries = 0;     // invalid answers to the pending question
  int unanswered = 0;  // bot messages since the visitor last wrote
  bool nudged = false;  // the pending question's silence already got its nudge
  double lead_score = 0;
  std::vector<int> lead_rules_fired;  // indices into bot_model::lead_score

  bool started = false;
  bool buying_intent = false;
  bool consent = false;
  bool opted_out = false;

  std::uint64_t timer_seq = 0;      // sequence of the live no-input timer; 0 = none
  std::uint64_t timers_issued = 0;  // source of timer sequences
  std::uint64_t seed = 0;       // variant choice: hash(seed, draws)
  std::uint64_t draws = 0;
  std::int64_t last_user_ms = 0;

  friend bool operator==(const conversation_state&, const conversation_state&) = default;
};

std::string to_json(const conversation_state& s);
// std::nullopt on malformed input; `error` then says why.
std::optional<conversation_state> state_from_json(std::string_view json, std::string* error = nullptr);

// ---- Events ------------------------------------------------------------------------------
struct start_event {
  std::string channel = "web";
  std::string locale;  // the visitor's, e.g. "de-DE"; matched to the bot's locales
  value_map context;   // page, referrer, utm_source, ...; readable as context.<key>
};
struct user_message {
  std::string text;
  std::string payload;  // a button's payload when the visitor clicked one
};
struct timer_fired {
  std::string name;
  std::uint64_t seq = 0;
};
struct named_event {  // page_view, proactive, or any event a connector reports
  std::string name;
  value_map props;
};
// What the people side (the engine's agent desk, or a test) says about a handoff.
struct handoff_event {
  enum class kind {
    accepted,     // a person took the conversation over
    unavailable,  // nobody will come: the handoff's fallback runs
    returned,     // the person gave the conversation back to the bot
    closed,       // the person closed it with an outcome
    queued,       // the visitor waits: their place in line and the expected wait
    requeued,     // the person left (disconnected, or transferred it): waiting again
  } what = kind::accepted;
  std::string agent{};    // accepted, returned, closed: the agent's id
  std::string flow{};     // returned: flow to continue in (empty → after the handoff step)
  std::string outcome{};  // closed: e.g. "qualified_lead"
  std::string agent_name{};  // accepted: the name the visitor sees
  std::string reason{};   // unavailable: closed, no_agents, timeout, no_team; requeued: agent_left, transfer
  std::string team{};     // queued, requeued: the team asked now
  int position = 0;     // queued: place in line, 1 = next
  std::int64_t wait_ms = 0;  // queued: expected wait from recent handoffs; 0 = not known
  std::string back_at{};  // unavailable (closed): when the team is back, in words, e.g. "Monday 09:00"
};
struct webhook_result {
  bool ok = false;
  int status = 0;
  std::string body;  // JSON
};
// Runs the conversation from where its stack points (test checkpoints, operator tools).
struct resume_event {};
using event = std::variant<start_event, user_message, timer_fired, named_event, handoff_event,
                           webhook_result, resume_event>;

// ---- Outputs -----------------------------------------------------------------------------
struct button {
  std::string label;
  std::string payload;
  friend bool operator==(const button&, const button&) = default;
};
// `note`: about the handoff (queued, joined, ...), sent on behalf of the system, not the bot.
enum class message_role { say, prompt, reprompt, invalid, nudge, close, system, note };
struct message_out {
  std::string key;
  std::string text;
  std::vector<button> buttons;
  message_role role = message_role::say;
  bool promo = false;
};
struct timer_set {
  std::string name;  // "no_input"
  sys_ms due;
  std::uint64_t seq = 0;
};
struct timer_cancel {
  std::string name;
};
struct handoff_request {
  std::string team;
  std::string reason;
  value_map summary;  // slots, intent, confidence, lead score, first answers
};
struct webhook_request {
  std::string webhook;
  std::string url;
  std::string method;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // JSON
  std::chrono::milliseconds timeout{0};
};
struct analytics_event {
  std::string name;
  value_map props;
};
struct policy_block {  // a message the send gate stopped
  std::string reason;  // "max_unanswered", "promo", "opted_out", "human_owner"
  std::string key;
  std::string text;
};
struct conversation_end {
  std::string outcome;
};
using output = std::variant<message_out, timer_set, timer_cancel, handoff_request,
                            webhook_request, analytics_event, policy_block, conversation_end>;

const char* to_string(message_role r);

}  // namespace rapport::dialogs
