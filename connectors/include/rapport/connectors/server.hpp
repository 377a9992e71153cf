#pragma once
// The HTTP/WebSocket server of `rapport serve`: the web widget (WebSocket on /widget/ws and its
// embedded assets), the agent console (/agent, its API and WebSocket), the REST API
// (/api/v1/...), /healthz, /readyz and /metrics.
//
// Everything runs on the io_context it is given (one strand per connection); the engine's
// completions are marshalled back onto the connection's strand. No Beast or Asio types appear
// here beyond the io_context forward declaration.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "rapport/engine/engine.hpp"

namespace boost::asio {
class io_context;
}

namespace rapport::connectors {

struct server_limits {
  std::size_t max_body_bytes = 64 * 1024;     // HTTP request bodies; larger → 413
  std::size_t max_header_bytes = 16 * 1024;   // HTTP request head; larger → 431
  std::size_t max_frame_bytes = 16 * 1024;    // WebSocket frames; larger → close 1009
  std::size_t max_message_bytes = 4096;       // a visitor message's text; larger → too_long/413
  std::size_t connections_per_ip = 32;        // open connections per client address; more → 429
  std::size_t messages_per_minute = 60;       // messages/events per client address; more → 429
  std::size_t write_queue_frames = 256;       // frames queued for a slow client before it is dropped
  std::size_t max_errors = 10;                // error frames before a WebSocket is closed (1008)
  std::chrono::milliseconds request_timeout{30'000};  // reading one request / writing a response
  std::chrono::milliseconds idle_timeout{60'000};     // keep-alive HTTP and silent WebSockets
  std::chrono::milliseconds shutdown_grace{5'000};    // after this, open connections are cut
};

struct server_options {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: an ephemeral port, see server::port()
  // Origins allowed to open the widget WebSocket besides the server's own, e.g.
  // "https://www.example.com"; "*" allows any.
  std::vector<std::string> allowed_origins;
  // Peers whose X-Forwarded-For is believed (reverse proxies); their own address is exempt
  // from the per-IP connection limit.
  std::vector<std::string> trusted_proxies;
  server_limits limits;
  // The agent console's session cookie: its lifetime (as the desk's sessions) and whether it is
  // marked Secure (set it when browsers reach the server over HTTPS, e.g. behind a proxy).
  std::chrono::seconds agent_session_lifetime{std::chrono::hours(12)};
  bool secure_cookies = false;
  // /readyz: true when the store is writable. Unset: assumed writable.
  std::function<bool()> store_ready;
};

// Counters the server keeps for /metrics (also handy in tests).
struct server_stats {
  std::uint64_t connections_total = 0;
  std::uint64_t connections_active = 0;
  std::uint64_t websockets_active = 0;
  std::uint64_t frames_in = 0;
  std::uint64_t frames_out = 0;
  std::uint64_t rate_limited = 0;
  std::uint64_t slow_clients_dropped = 0;
};

class server {
 public:
  server(boost::asio::io_context& io, engine::engine& engine, server_options options);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Binds and starts accepting. Throws std::system_error at start-up (e.g. address in use).
  void start();

  // The bound port (the ephemeral one when options.port was 0). Valid after start().
  std::uint16_t port() const;

  // Graceful shutdown: stops accepting, lets the engine finish the events in flight
  // (engine::shutdown), closes WebSockets with 1001 "service restart", closes keep-alive HTTP
  // connections after their current response, cuts whatever is still open after
  // limits.shutdown_grace; then calls done (on the io_context). Safe to call more than once.
  void stop(std::function<void()> done);

  server_stats stats() const;

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace rapport::connectors
