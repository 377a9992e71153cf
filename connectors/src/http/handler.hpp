#pragma once
// Request handling: route the request and produce its response. The sessions only move bytes;
// this decides what the bytes say. Responses may complete asynchronously (REST calls into the
// engine), so the answer comes through a callback that may run on any thread.
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/problem.hpp"
#include "http/server_state.hpp"
#include "http/types.hpp"
#include "agent/agent_api.hpp"
#include "rest/api.hpp"

namespace rapport::connectors::http {

struct request_context {
  std::string client_address;  // after trusted-proxy resolution
};

class request_handler {
 public:
  explicit request_handler(server_state& state);

  void handle(request&& req, const request_context& ctx, std::function<void(response)> done);

  // A WebSocket upgrade: nullopt to accept, or the refusal (404, 403 origin, 401 without an
  // agent session cookie, 503 draining). `to` says which WebSocket it is.
  std::optional<response> check_upgrade(const request& req, endpoint& to) const;

 private:
  response readyz() const;
  response metrics() const;
  server_state& state_;
  rest::api rest_;
  agent::agent_api agent_;
};

// Headers every response carries, the keep-alive decision and HEAD handling; counts the status.
void finish_response(response& res, const request* req, bool keep_alive,
                     observability::counters& counters);

}  // namespace rapport::connectors::http
