#pragma once
// The router: a pure function from method and target to the endpoint that answers.
#include <string>
#include <string_view>

#include <boost/beast/http/verb.hpp>

namespace rapport::connectors::http {

enum class endpoint {
  asset,                // GET/HEAD an embedded widget asset ("/" → index.html)
  healthz,
  readyz,
  metrics,
  widget_ws,            // the widget's WebSocket (only as an upgrade)
  create_conversation,  // POST /api/v1/conversations
  get_conversation,     // GET  /api/v1/conversations/{id}
  post_message,         // POST /api/v1/conversations/{id}/messages
  post_event,           // POST /api/v1/conversations/{id}/events
  get_transcript,       // GET  /api/v1/conversations/{id}/transcript
  agent_login,          // POST /agent/api/login
  agent_logout,         // POST /agent/api/logout
  agent_me,             // GET  /agent/api/me
  agent_ws,             // the agent console's WebSocket (only as an upgrade)
  not_found,
  method_not_allowed,   // `allow` lists the methods
  bad_target,           // `detail` says why
};

struct route {
  endpoint to = endpoint::not_found;
  std::string conversation_id;  // {id}, percent-decoded
  std::string asset;            // asset path relative to the assets folder
  std::string query;            // the raw query (without '?')
  std::string allow;            // for method_not_allowed
  std::string detail;           // for bad_target
};

route match_route(boost::beast::http::verb method, std::string_view target);

const char* to_string(endpoint e);  // metric/log label: "asset", "rest", ...

}  // namespace rapport::connectors::http
