#pragma once
// The desk's bookkeeping as a pure value: agents with their presence and load, the queues, who
// is offered what, who owns what. No clock of its own (times are passed in), no I/O, no locks —
// the desk calls it from one strand and turns its answers into events and messages.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rapport/engine/agent_desk.hpp"
#include "rapport/engine/handoff_router.hpp"

namespace rapport::engine::detail {

// A conversation waiting for a person, or owned by one.
struct board_entry {
  handoff_ticket ticket;     // conversation id, bot, channel, team, reason, summary
  std::int64_t since_ms = 0;   // the visitor started waiting (kept when queued again)
  std::int64_t queued_ms = 0;  // it entered its current queue (the wait limit counts from here)
  std::string wanted_agent;    // transferred to one agent: only they are offered it
  std::string offered_to;
  std::int64_t offered_ms = 0;
  std::vector<std::string> passed;  // agents who let the offer go, in this round
  std::string agent;  // the owner, once accepted
  std::int64_t accepted_ms = 0;
  bool answered = false;  // the owner has written to the visitor
};

struct offer {
  std::string conversation;
  std::string agent;
};

class board {
 public:
  explicit board(std::vector<team_options> teams);

  const team_options* team(std::string_view name) const;
  std::vector<std::string> team_names() const;

  // ---- agents ----
  void upsert_agent(const agent_profile& profile);
  const agent_profile* agent(std::string_view id) const;
  // Going away or offline withdraws the agent's offers (their owned conversations stay).
  void set_presence(const std::string& id, presence p);
  presence status(std::string_view id) const;
  // Someone of the team is online (not away) — or the one agent a transfer named.
  bool anyone_for(const board_entry& e) const;
  int load(std::string_view agent) const;  // conversations owned

  // ---- the queue ----
  // Queued behind everything that has waited longer (by since_ms).
  void enqueue(board_entry e);
  // A conversation a person owned when the server stopped (restored at start).
  void adopt(board_entry e);
  // Out of the queue, or out of its owner's hands.
  std::optional<board_entry> remove(std::string_view conversation);
  const board_entry* waiting(std::string_view conversation) const;
  const board_entry* owned(std::string_view conversation) const;
  board_entry* owned(std::string_view conversation);
  int position(std::string_view conversation) const;  // 1 = next in its team's queue; 0 = not queued
  std::vector<std::string> owned_by(std::string_view agent) const;

  // New offers: for each team, the longest-waiting conversation nobody is offered goes to an
  // eligible agent (online, on the team, below capacity counting offers), round robin or least
  // busy as the team says.
  std::vector<offer> make_offers(std::int64_t now_ms);
  // Offers older than `timeout_ms` pass to the next agent; returns the conversations affected.
  std::vector<std::string> lapse_offers(std::int64_t now_ms, std::int64_t timeout_ms);
  void decline(std::string_view agent, std::string_view conversation);
  // Conversations that have waited in their current queue longer than their team allows.
  std::vector<std::string> past_wait_limit(std::int64_t now_ms) const;

  // The agent takes a waiting conversation: offered to them, or any of their team's queue.
  std::optional<desk_errc> accept(std::string_view agent, std::string_view conversation,
                                  std::int64_t now_ms);

  desk_view view(std::string_view agent) const;
  std::size_t waiting_count() const { return queue_.size(); }
  std::vector<std::string> waiting_ids() const;
  std::size_t online_count() const;

 private:
  struct agent_state {
    agent_profile profile;
    presence status = presence::offline;
    std::uint64_t last_offer = 0;  // round robin: the longest without an offer goes first
  };
  bool on_team(const agent_state& a, const std::string& team) const;
  bool eligible(const agent_state& a, const board_entry& e) const;
  int offers_to(std::string_view agent) const;
  desk_conversation listed(const board_entry& e, int position) const;

  std::vector<team_options> teams_;
  std::map<std::string, agent_state, std::less<>> agents_;
  std::vector<board_entry> queue_;  // longest-waiting first
  std::map<std::string, board_entry, std::less<>> owned_;
  std::uint64_t offers_made_ = 0;
};

}  // namespace rapport::engine::detail
