#pragma once
// Where handoff requests go: a router finds a person on the requested team and reports back what
// happened as dialog handoff events. The engine's own router is the agent desk (agent_desk.hpp);
// tests and external routing systems can put another in engine_options::handoff.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "rapport/dialogs/conversation.hpp"

namespace rapport::engine {

struct handoff_ticket {
  std::string conversation_id;
  std::string bot;
  std::string channel;
  std::string team;
  std::string reason;
  dialogs::value_map summary;  // slots, intent, lead score, first message, page context
  std::int64_t requested_ms = 0;  // when the visitor asked (kept when the server restarts)
};

// Delivers a handoff event to the conversation (accepted, unavailable, returned, closed). May be
// called from any thread, later, and more than once (accepted, then returned or closed).
using handoff_reply = std::function<void(dialogs::handoff_event)>;

class handoff_router {
 public:
  virtual ~handoff_router() = default;
  // A conversation asks for a person. Must not block.
  virtual void route(handoff_ticket ticket, handoff_reply reply) = 0;
  // The conversation no longer waits (the visitor opted out or the conversation closed).
  virtual void withdraw(const std::string& conversation_id) {}
};

}  // namespace rapport::engine
