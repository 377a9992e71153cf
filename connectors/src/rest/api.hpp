#pragma once
// The REST API (/api/v1/...; docs/protocols/rest.md, docs/openapi.yaml). Parsing requests and
// building responses are pure functions; `api::handle` strings them together with the engine.
#include <functional>
#include <optional>
#include <string>
#include <variant>

#include <boost/json/value.hpp>

#include "http/limiter.hpp"
#include "http/problem.hpp"
#include "http/router.hpp"
#include "http/types.hpp"
#include "observability/metrics.hpp"
#include "rapport/connectors/server.hpp"
#include "rapport/engine/engine.hpp"

namespace rapport::connectors::rest {

// ---- requests as values
struct create_conversation {
  std::string bot;
  std::string channel = "api";
  std::string locale;
  dialogs::value_map context;
  bool start = true;
};
struct post_message {
  std::string text;
  std::string payload;
  std::string client_id;  // Idempotency-Key header or body `id`
};
struct post_event {
  std::string name;
  std::string locale;  // start only
  dialogs::value_map props;
};

template <class T>
using parsed = std::variant<T, http::problem>;

parsed<create_conversation> parse_create_conversation(const request& req);
parsed<post_message> parse_post_message(const request& req, std::size_t max_message_bytes);
parsed<post_event> parse_post_event(const request& req);
parsed<std::int64_t> parse_after(std::string_view query);  // ?after=N (default 0)

// The bearer token of `Authorization: Bearer <token>`, or a 401 problem.
parsed<std::string> bearer_token(const request& req);

// ---- responses
boost::json::object entry_json(const engine::transcript_entry& e);
boost::json::array entries_json(const std::vector<engine::transcript_entry>& entries);
response json_response(status s, const boost::json::value& body);
http::problem problem_for(const boost::system::error_code& ec);

class api {
 public:
  api(engine::engine& engine, const server_limits& limits, http::ip_limiter& limiter,
      observability::counters& counters);

  // Answers one REST request; `done` may run on any thread.
  void handle(const http::route& r, request&& req, const std::string& client_address,
              std::function<void(response)> done);

 private:
  engine::engine& engine_;
  const server_limits& limits_;
  http::ip_limiter& limiter_;
  observability::counters& counters_;
};

}  // namespace rapport::connectors::rest
