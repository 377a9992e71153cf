#pragma once
// The bot model: what a bot folder's YAML becomes once loaded and validated. Immutable; shared
// by every conversation running on this version of the bot. Flows are compiled into flat step
// lists where nested blocks (if/else, on_fail, fallback, on_error) become jumps, so a position in
// a flow is one integer and conversation state stays small and serialisable.
#include <array>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "rapport/dialogs/diagnostic.hpp"
#include "rapport/dialogs/expression.hpp"
#include "rapport/dialogs/message_format.hpp"
#include "rapport/dialogs/nlu.hpp"
#include "rapport/dialogs/value.hpp"

namespace rapport::dialogs {

using std::chrono::milliseconds;

enum class slot_type { text, choice, yes_no, number, email, phone, rating, nps, date };

struct slot_def {
  std::string name;
  slot_type type = slot_type::text;
  std::vector<std::string> options;  // choice: the option values, in button order
  std::optional<double> min, max;    // number
  std::string entity;                // choice/text: lookup entity whose synonyms match options
  source_pos pos;
};

struct message_def {
  std::string key;
  std::vector<message_pattern> variants;  // one is picked per send (seeded)
  std::vector<std::pair<std::string, message_pattern>> buttons;  // option value → label
  bool promo = false;
  source_pos pos;
};

struct catalog {
  std::string locale;
  std::map<std::string, message_def, std::less<>> messages;
};

enum class interrupt_kind { human, stop, restart, help };
inline constexpr std::array all_interrupts{interrupt_kind::human, interrupt_kind::stop,
                                           interrupt_kind::restart, interrupt_kind::help};
const char* to_string(interrupt_kind k);

// Per-interrupt on/off overrides; unset inherits from the enclosing level (step → flow → bot).
struct interrupt_switches {
  std::array<std::optional<bool>, 4> on;
  std::optional<bool>& operator[](interrupt_kind k) { return on[static_cast<int>(k)]; }
  const std::optional<bool>& operator[](interrupt_kind k) const {
    return on[static_cast<int>(k)];
  }
};

struct no_input_def {
  bool enabled = false;
  milliseconds nudge_after{0};  // silence before the nudge
  milliseconds close_after{0};  // silence after the nudge before closing
  std::string nudge = "rapport.nudge";
  std::string close = "rapport.no_input_close";
};

// `set`, webhook bodies and track properties: a YAML literal, or an expression ("=team_size + 1").
struct assignment {
  std::string name;
  std::variant<value, expression> source;
  source_pos pos;
};

// ---- Steps -------------------------------------------------------------------------------
struct say_step {
  std::string message;
};
struct ask_step {
  std::string slot;
  std::string prompt;    // message key
  std::string reprompt;  // message key; empty → the prompt again
  std::string invalid;   // message key said before re-prompting; empty → none
  int retries = 2;       // re-prompts after invalid answers before giving up
  std::optional<expression> validate;  // sees the parsed answer as `value`
  bool always = false;                 // ask even when the slot is already filled
  no_input_def no_input;
  interrupt_switches interrupts;
  std::optional<int> fail_pc;  // start of on_fail; unset → continue with the slot empty
};
struct branch_step {  // compiled `if`: falls through into `then`, jumps to else_pc otherwise
  expression condition;
  int else_pc = 0;
};
struct jump_step {  // inserted by the compiler at the end of blocks
  int target = 0;
};
struct goto_step {
  std::string flow;
  std::string step_id;  // empty → the flow's start
};
struct call_step {
  std::string flow;
};
struct set_step {
  std::vector<assignment> assignments;  // names are slots or `buying_intent` / `consent`
};
struct handoff_step {
  std::string team;  // empty → the bot's default team
  std::string reason;
  std::optional<int> fallback_pc;  // when nobody is available; unset → continue after the step
};
struct webhook_step {
  std::string webhook;                  // name declared in bot.yaml `webhooks`
  std::vector<assignment> body;         // JSON object sent
  std::vector<std::pair<std::string, std::string>> save;  // slot ← dotted path in the response
  std::optional<int> error_pc;          // start of on_error; unset → continue
};
struct track_step {
  std::string event;
  std::vector<assignment> props;
};
struct end_step {
  std::string outcome;  // e.g. "resolved"; default "completed"
};
struct return_step {};

using step_body = std::variant<say_step, ask_step, branch_step, jump_step, goto_step, call_step,
                               set_step, handoff_step, webhook_step, track_step, end_step,
                               return_step>;

struct step {
  step_body body;
  std::string id;  // author-given `id`, for goto targets and test checkpoints
  source_pos pos;
  bool synthetic = false;  // compiler-inserted (jumps); not shown in coverage
};

// A step in a few words ("ask team_size", "handoff sales"), for graphs and coverage reports.
std::string describe(const step& s);

enum class trigger_kind { start, intent, keyword, event };

struct trigger_def {
  trigger_kind kind = trigger_kind::start;
  std::string name;                   // intent or event name
  std::vector<std::string> keywords;  // keyword triggers, normalised
  std::optional<expression> condition;
  source_pos pos;
};

struct flow_def {
  std::string name;
  std::string description;
  std::vector<trigger_def> triggers;
  std::vector<step> steps;
  std::map<std::string, int, std::less<>> step_ids;  // id → index into steps
  interrupt_switches interrupts;
  std::string origin;  // "" for the bot's own flows, the module name for imported ones
  source_pos pos;
};

struct webhook_def {
  std::string name;
  std::string url;  // may contain ${ENV_VAR}, substituted by the engine
  std::string method = "POST";
  std::vector<std::pair<std::string, std::string>> headers;
  milliseconds timeout{5000};
  source_pos pos;
};

struct lead_rule {
  expression condition;
  double points = 0;
  source_pos pos;
};

struct policies {
  int max_unanswered = 2;  // bot messages in a row without a user reply
  int retries = 2;         // default for ask steps
  no_input_def no_input;   // default for ask steps (disabled unless configured)
};

struct bot_model {
  std::string name;
  std::string description;
  std::string version;  // content hash of every file, stdlib included
  std::string default_locale = "en";
  std::vector<std::string> locales;  // default locale first
  std::string time_zone = "UTC";
  std::vector<std::string> imports;
  std::string default_team = "default";
  std::string fallback_flow = "fallback";
  policies policy;
  interrupt_switches interrupts;  // all four set after loading
  std::vector<std::string> buying_intents;
  std::vector<lead_rule> lead_score;

  std::map<std::string, slot_def, std::less<>> slots;
  std::map<std::string, flow_def, std::less<>> flows;
  std::vector<std::string> flow_order;  // declaration order; triggers are tried in this order
  std::map<std::string, catalog, std::less<>> catalogs;  // by locale
  std::map<std::string, webhook_def, std::less<>> webhooks;

  nlu::config nlu_config;
  nlu::training_data training;
  // Every intent example, normalised, → its intent: an exact match is certain (interrupts).
  std::map<std::string, std::string, std::less<>> exact_examples;
  std::shared_ptr<const nlu::model> nlu;

  const flow_def* find_flow(std::string_view name) const;
  // The message in `locale`, else in the default locale; nullptr when neither has it.
  const message_def* find_message(std::string_view locale, std::string_view key) const;
  // The bot locale that best serves a visitor's locale ("de-AT" → "de"), else the default.
  std::string match_locale(std::string_view requested) const;
};

}  // namespace rapport::dialogs
