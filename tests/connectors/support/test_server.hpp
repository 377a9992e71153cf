#pragma once
// Loopback integration support: a server on an ephemeral port backed by the fake engine (or the
// real one), and small Beast clients whose every wait has a safety deadline (the deadlines only
// keep a broken build from hanging; no test asserts on time). Defined in test_server.cpp and
// test_clients.cpp, so Beast's operations are compiled once, not in every test file.
#include <chrono>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_to.hpp>

#include <filesystem>

#include "mocks/fake_engine.hpp"
#include "rapport/connectors/http_client.hpp"
#include "rapport/connectors/server.hpp"

namespace rapport::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
namespace json = boost::json;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

inline constexpr auto safety_deadline = 20s;

// Waits until `condition` holds (polling; bounded by the safety deadline). For effects that
// happen on the server's threads after the client's last observable event.
template <class F>
bool eventually(F&& condition) {
  const auto until = std::chrono::steady_clock::now() + safety_deadline;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

connectors::server_options test_options();

// Which engine backs the server: the real one (SQLite in a temporary data directory, the
// fixture bot tests/connectors/fixtures/echo) or the in-memory fake (tests/mocks).
enum class backend { real, fake };

std::string fixture_bot();

// A fresh directory under the system temp folder, removed afterwards.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// How the real engine is set up. The defaults: the fixture bot, a temporary data directory
// removed with the server, the system clock, no log.
struct engine_setup {
  std::vector<std::string> bot_folders = {fixture_bot()};
  std::string data_dir;  // empty: a temporary one; set it to restart on the same store
  std::function<engine::sys_ms()> clock;
  std::chrono::milliseconds reload_poll{1000};
  std::chrono::milliseconds timer_check{1000};
  std::function<void(std::string_view)> log;
  engine::desk_options desk;  // teams, timeouts (none: handoffs run their fallback)
};

// A server on 127.0.0.1:<ephemeral> running on two threads.
class test_server {
 public:
  test_server(connectors::server_options options, engine_setup setup);
  explicit test_server(connectors::server_options options = test_options(), backend b = backend::real);
  explicit test_server(backend b) : test_server(test_options(), b) {}
  explicit test_server(engine_setup setup) : test_server(test_options(), std::move(setup)) {}

  ~test_server() { stop(); }

  // Graceful stop; returns once the server reported done.
  void stop();
  // Like a killed process: no graceful stop, no engine shutdown. The threads stop where they
  // are and the connections are cut; only what the store committed remains.
  void crash();

  std::uint16_t port() const;
  std::string host() const { return "127.0.0.1:" + std::to_string(port()); }
  std::string origin() const { return "http://" + host(); }
  mocks::fake_engine& fake();

  // The conversation's transcript, read through the engine.
  std::vector<engine::transcript_entry> transcript(const std::string& id, std::int64_t after = 0);
  // How many visitor messages of the conversation carry `client_id`.
  int copies_of(const std::string& id, const std::string& client_id);
  int visitor_messages(const std::string& id);
  // One value from the database, read as an operator's sqlite3 shell would (the server may run).
  std::string sql(const std::string& query) const;
  engine::engine& engine() { return *engine_; }
  connectors::server& server() { return *server_; }
  net::io_context& io() { return io_; }

 private:
  std::unique_ptr<engine::engine> make_engine(const connectors::server_options& options, engine_setup setup);
  void start(connectors::server_options options);
  void halt();  // stops the threads and drops the server and the engine

  temp_dir data_dir_;
  std::string data_dir_in_use_;
  net::io_context io_{2};
  net::executor_work_guard<net::io_context::executor_type> work_;
  std::unique_ptr<engine::engine> engine_;
  mocks::fake_engine* fake_ = nullptr;
  std::unique_ptr<connectors::server> server_;
  std::vector<std::thread> threads_;
  bool stopped_ = false;
};

struct http_reply {
  unsigned status = 0;
  bhttp::response<bhttp::string_body> raw;
  beast::error_code ec;
  json::value json() const;
  std::string header(std::string_view name) const { return std::string(raw[name]); }
};

// One HTTP client connection (keep-alive across requests).
class http_client {
 public:
  explicit http_client(std::uint16_t port);

  http_reply request(bhttp::verb method, std::string target, std::string body = {},
                     std::vector<std::pair<std::string, std::string>> headers = {});
  http_reply send(bhttp::request<bhttp::string_body>& req);
  http_reply read(bool head = false);
  // Writes raw bytes (for malformed requests).
  beast::error_code write_raw(const std::string& bytes);
  // True when the server closed the connection (EOF) before any further response.
  bool closed_by_server();

  beast::error_code connect_error() const { return ec_; }

 private:
  net::io_context io_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  beast::error_code ec_;
  std::string host_;
};

http_reply http_call(std::uint16_t port, bhttp::verb method, std::string target, std::string body = {},
                     std::vector<std::pair<std::string, std::string>> headers = {});

// A widget WebSocket client.
class ws_client {
 public:
  ws_client(std::uint16_t port, std::string origin, std::string target = "/widget/ws",
            std::string cookie = {});

  beast::error_code handshake_error() const { return ec_; }
  unsigned handshake_status() const { return upgrade_response_.result_int(); }
  const websocket::response_type& upgrade_response() const { return upgrade_response_; }

  beast::error_code send(const json::value& frame) { return send_text(json::serialize(frame)); }
  beast::error_code send_text(const std::string& text);

  // The next frame as JSON; null on error (then error() says why). A message that is a batch
  // (a JSON array of frames, for a hello with `batch: true`) yields its frames one by one.
  json::object read();
  // Reads frames until one of `type` arrives; the skipped ones are kept in `seen`.
  json::object read_until(std::string_view type);
  // Reads until the server closes; returns the close code (0 when the connection just died).
  int read_until_closed();

  void close();
  // Drops the TCP connection without a closing handshake.
  void drop();

  beast::error_code error() const { return last_ec_; }
  websocket::stream<beast::tcp_stream>& stream() { return ws_; }

  std::vector<json::object> seen;
  std::vector<std::size_t> batches;  // the number of frames in each batch read so far

 private:
  std::deque<json::object> unread_;  // the rest of a batch
  net::io_context io_;
  websocket::stream<beast::tcp_stream> ws_;
  websocket::response_type upgrade_response_;
  beast::error_code ec_, last_ec_;
};

json::object hello(std::string bot, std::string conversation = {}, std::string token = {},
                   std::int64_t last_seq = 0);
json::object message(std::string id, std::string text, std::string payload = {});

}  // namespace rapport::testing
