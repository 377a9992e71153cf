#pragma once
// What one turn writes and what it sets in motion, from the interpreter's outputs. Pure: the
// runtime commits `unit` and, once committed, acts on the rest.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rapport/dialogs/conversation.hpp"
#include "rapport/engine/handoff_router.hpp"
#include "rapport/engine/store.hpp"

namespace rapport::engine::detail {

struct turn_facts {
  std::string conversation_id;
  std::string bot;
  std::string channel;
  std::string user;
  std::int64_t now_ms = 0;
  std::int64_t last_seq = 0;  // the transcript's highest seq before this turn
};

struct turn_record {
  unit_of_work unit;  // everything but the conversation row, which the runtime adds
  std::optional<transcript_entry> inbound;
  std::vector<transcript_entry> replies;
  std::int64_t last_seq = 0;
  std::vector<std::string> blocked;  // reasons of the sends the gate stopped
  std::vector<handoff_ticket> handoffs;
  std::vector<dialogs::webhook_request> webhooks;
  // Net effect on each timer name: set (the last timer_set) or cancelled (nullopt).
  std::map<std::string, std::optional<stored_timer>> timers;
  std::optional<std::string> ended;  // the outcome when the conversation ended
  std::optional<int> csat;           // a CSAT score the visitor gave
};

// `inbound` is the visitor's (or a person's) message — author, text and ids filled by the
// caller, seq and time by record_turn — or null.
turn_record record_turn(const turn_facts& facts, std::optional<transcript_entry> inbound,
                        const std::vector<dialogs::output>& outputs);

}  // namespace rapport::engine::detail
