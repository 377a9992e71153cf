#pragma once
// The agent console's WebSocket frames (docs/protocols/agent.md) as values: parsing what the
// console sends (errors as values with the protocol's codes) and writing what the server sends.
// Pure functions, no I/O.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/json/object.hpp>

#include "rapport/engine/agent_desk.hpp"
#include "rapport/engine/engine.hpp"

namespace rapport::connectors::agent {

struct presence_frame {
  engine::presence status = engine::presence::online;
};
struct open_frame {
  std::string conversation;
};
struct leave_frame {
  std::string conversation;
};
struct accept_frame {
  std::string conversation, request;
};
struct decline_frame {
  std::string conversation;
};
struct message_frame {
  std::string conversation, id, text;
};
struct typing_frame {
  std::string conversation;
  bool on = false;
};
struct seen_frame {
  std::string conversation;
  std::int64_t seq = 0;
};
struct return_frame {
  std::string conversation, flow, request;
};
struct transfer_frame {
  std::string conversation, team, agent, request;
};
struct close_frame {
  std::string conversation, outcome, request;
};

using agent_frame = std::variant<presence_frame, open_frame, leave_frame, accept_frame, decline_frame,
                                 message_frame, typing_frame, seen_frame, return_frame,
                                 transfer_frame, close_frame>;

struct frame_error {
  std::string code;  // bad_json, bad_frame, too_long, ...
  std::string message;
  std::string id;       // a refused message's id
  std::string request;  // a refused action's request id
};

std::variant<agent_frame, frame_error> parse_agent_frame(std::string_view text,
                                                         std::size_t max_message_bytes);

// ---- server → console
boost::json::object profile_json(const engine::agent_profile& p);
std::string desk_json(const engine::desk_view& v);
std::string conversation_json(std::string_view id, std::string_view owner,
                              const std::vector<engine::transcript_entry>& entries);
std::string message_json(std::string_view conversation, const engine::transcript_entry& e);
std::string update_json(const engine::conversation_update& u);  // typing, seen, owner
std::string gone_json(std::string_view conversation);
std::string ack_json(std::string_view id, std::string_view conversation, std::int64_t seq);
std::string result_json(std::string_view request, const boost::system::error_code& ec);
std::string error_json(const frame_error& e);

// The protocol's code for an engine or desk error ("not_yours", "overloaded", ...).
std::string code_for(const boost::system::error_code& ec);

}  // namespace rapport::connectors::agent
