#pragma once
// The agent console's HTTP side: login, logout and "who am I" (docs/protocols/agent.md), the
// session cookie, and the same-origin check that, with SameSite=Strict, keeps other sites from
// acting with an agent's session. Answers through a callback, like the REST API.
#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "http/limiter.hpp"
#include "http/router.hpp"
#include "http/types.hpp"
#include "rapport/connectors/server.hpp"
#include "rapport/engine/engine.hpp"

namespace rapport::connectors::agent {

inline constexpr std::string_view cookie_name = "rapport_agent";

// The session token in a Cookie header, or empty.
std::string session_token(std::string_view cookie_header);
// The Set-Cookie value for a session token (an empty token clears the cookie).
std::string session_cookie(std::string_view token, std::chrono::seconds max_age, bool secure);
// A request from the server's own pages: no Origin (not a browser) or the server's origin.
bool same_origin(const request& req);

class agent_api {
 public:
  agent_api(engine::engine& e, const server_options& options, http::ip_limiter& limiter);
  void handle(const http::route& r, request req, const std::string& client_address,
              std::function<void(response)> done);

 private:
  void login(request req, std::function<void(response)> done);
  void me(const request& req, std::function<void(response)> done);
  void logout(const request& req, std::function<void(response)> done);

  engine::engine& engine_;
  const server_options& options_;
  http::ip_limiter& limiter_;
};

}  // namespace rapport::connectors::agent
