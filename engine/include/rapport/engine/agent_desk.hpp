#pragma once
// The agent desk: where handed-over conversations meet the people who answer them.
//
// A `handoff` step queues its conversation for a team. The desk offers the longest-waiting
// conversation to an agent of that team who is online and below their capacity (round robin, or
// the least busy); the agent accepts (or any agent of the team takes it from the queue) and owns
// the conversation until they give it back to the bot, transfer it, or close it. Outside the
// team's office hours, when nobody of the team is online, or when nobody accepts within the
// team's wait limit, the handoff's fallback runs instead. An agent whose last console connection
// drops keeps their conversations for a grace period; then they are queued again, first in line.
//
// Connectors (the agent console) call this interface; the engine owns the desk and is its
// handoff router. Completions run on the engine's io_context; listeners must not block.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "rapport/dialogs/value.hpp"
#include "rapport/engine/desk_options.hpp"
#include "rapport/engine/engine.hpp"

namespace rapport::engine {

enum class presence { offline, online, away };
const char* to_string(presence p);

// Outcomes an agent may close a conversation with.
inline const std::vector<std::string>& close_outcomes() {
  static const std::vector<std::string> all{"qualified_lead", "won", "support", "not_a_lead"};
  return all;
}

struct agent_profile {
  std::string id;
  std::string name;
  std::vector<std::string> teams;
  int capacity = 3;
  friend bool operator==(const agent_profile&, const agent_profile&) = default;
};

// A conversation as the console lists it.
struct desk_conversation {
  std::string id;
  std::string bot;
  std::string channel;
  std::string team;
  std::string reason;
  dialogs::value_map summary;  // slots, intent, confidence, lead score, first message, page, locale
  std::int64_t waiting_since_ms = 0;  // when the visitor started waiting (first request)
  int position = 0;           // in its team's queue, 1 = next; 0 once a person owns it
  std::string offered_to;     // the agent it is offered to now, if any
  std::string agent;          // the owner, once accepted
  std::int64_t accepted_ms = 0;
  friend bool operator==(const desk_conversation&, const desk_conversation&) = default;
};

struct desk_agent {
  std::string id;
  std::string name;
  std::vector<std::string> teams;
  presence status = presence::offline;
  int load = 0;  // conversations owned now
  int capacity = 0;
  friend bool operator==(const desk_agent&, const desk_agent&) = default;
};

// What one agent sees; pushed again whenever it changes.
struct desk_view {
  agent_profile me;
  presence status = presence::offline;
  std::vector<desk_conversation> queue;  // waiting for the agent's teams, longest first
  std::vector<desk_conversation> mine;   // owned by the agent
  std::vector<desk_agent> colleagues;    // for transfers
  std::vector<std::string> teams;        // every team, for transfers
  // The flows of each bot in `mine`, for "return to the bot into flow ...".
  std::vector<std::pair<std::string, std::vector<std::string>>> bot_flows;
  friend bool operator==(const desk_view&, const desk_view&) = default;
};

struct desk_stats {
  std::uint64_t queued = 0;           // handoffs that entered a queue
  std::uint64_t accepted = 0;
  std::uint64_t abandoned = 0;        // the visitor left the queue before a person came
  std::uint64_t requeued = 0;         // an agent left or transferred
  std::vector<std::pair<std::string, std::uint64_t>> unavailable_by_reason;
  std::vector<std::pair<std::string, std::uint64_t>> closed_by_outcome;
  std::uint64_t waiting = 0;          // gauge
  std::uint64_t agents_online = 0;    // gauge
  std::vector<double> seconds_buckets;  // histogram upper bounds for the two below
  std::vector<std::uint64_t> time_to_human_counts;  // queued → accepted; cumulative, + +Inf
  double time_to_human_sum_s = 0;
  std::vector<std::uint64_t> first_response_counts;  // accepted → the agent's first message
  double first_response_sum_s = 0;
};

enum class desk_errc {
  bad_credentials = 1,
  no_session,          // the cookie is unknown or expired
  not_waiting,         // the conversation is not (or no longer) in a queue
  not_your_team,
  at_capacity,
  not_yours,           // the agent does not own the conversation
  unknown_team,
  unknown_agent,
  unknown_flow,
  bad_outcome,
};
const boost::system::error_category& desk_category();
boost::system::error_code make_error_code(desk_errc e);

class agent_desk {
 public:
  virtual ~agent_desk() = default;

  // ---- sessions -------------------------------------------------------------------------------
  // Checks the password (argon2id, on a thread of its own) and opens a session: `done` gets the
  // session token for the cookie. Unknown agents and wrong passwords look the same.
  virtual void login(std::string agent_id, std::string password,
                     std::function<void(result<std::string>)> done) = 0;
  // The agent of a session token, or no_session.
  virtual void session(std::string token, std::function<void(result<agent_profile>)> done) = 0;
  // Ends the session; `done` runs once it is gone from the store.
  virtual void logout(std::string token, std::function<void()> done) = 0;

  // ---- presence -------------------------------------------------------------------------------
  // A console connection: the agent is online while at least one is open. `listener` gets the
  // agent's view at once and after every change; `ended` runs when the agent is removed (the
  // connection must close). Dropping the subscription disconnects.
  virtual subscription connect(std::string agent_id, std::function<void(const desk_view&)> listener,
                               std::function<void()> ended) = 0;
  virtual void set_presence(std::string agent_id, presence p) = 0;

  // ---- conversations --------------------------------------------------------------------------
  // Whether the agent may read the conversation (their team's queue, or theirs).
  virtual void may_view(std::string agent_id, std::string conversation_id,
                        std::function<void(bool)> done) = 0;
  virtual void accept(std::string agent_id, std::string conversation_id,
                      std::function<void(boost::system::error_code)> done) = 0;
  // Passes an offer on to the next agent.
  virtual void decline(std::string agent_id, std::string conversation_id) = 0;
  // A message from the owner to the visitor (de-duplicated by client_id).
  virtual void send(std::string agent_id, std::string conversation_id, std::string text,
                    std::string client_id, std::function<void(result<post_result>)> done) = 0;
  virtual void typing(std::string agent_id, std::string conversation_id, bool on) = 0;
  // Back to the bot: after the handoff step, or into `flow` (e.g. "csat").
  virtual void return_to_bot(std::string agent_id, std::string conversation_id, std::string flow,
                             std::function<void(boost::system::error_code)> done) = 0;
  // To another team's queue, or offered to one agent (`to_agent`), first in line.
  virtual void transfer(std::string agent_id, std::string conversation_id, std::string team,
                        std::string to_agent, std::function<void(boost::system::error_code)> done) = 0;
  // Ends the conversation with one of close_outcomes(); the lead is saved and sent to the CRM.
  virtual void close(std::string agent_id, std::string conversation_id, std::string outcome,
                     std::function<void(boost::system::error_code)> done) = 0;

  virtual desk_stats stats() const = 0;
};

// Password hashes as `rapport agents` stores them (libsodium crypto_pwhash_str, argon2id).
// hash_password throws std::runtime_error when libsodium cannot allocate its memory.
std::string hash_password(std::string_view password);
bool verify_password(std::string_view hash, std::string_view password);

}  // namespace rapport::engine

template <>
struct boost::system::is_error_code_enum<rapport::engine::desk_errc> : std::true_type {};
