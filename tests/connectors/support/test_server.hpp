#pragma once
// Loopback integration support: a server on an ephemeral port backed by the fake engine (or the
// real one), and small Beast clients whose every wait has a safety deadline (the deadlines only
// keep a broken build from hanging; no test asserts on time).
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

#include <sqlite3.h>
#include <stdlib.h>

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

inline connectors::server_options test_options() {
  connectors::server_options o;
  o.address = "127.0.0.1";
  o.port = 0;
  o.limits.shutdown_grace = 5s;
  return o;
}

// Which engine backs the server: the real one (SQLite in a temporary data directory, the
// fixture bot tests/connectors/fixtures/echo) or the in-memory fake (tests/mocks).
enum class backend { real, fake };

inline std::string fixture_bot() {
  return std::string(RAPPORT_SOURCE_DIR) + "/tests/connectors/fixtures/echo";
}

// A fresh directory under the system temp folder, removed afterwards.
class temp_dir {
 public:
  temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "rapport-connectors-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
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
  test_server(connectors::server_options options, engine_setup setup)
      : work_(net::make_work_guard(io_)) {
    engine_ = make_engine(options, std::move(setup));
    start(std::move(options));
  }
  explicit test_server(connectors::server_options options = test_options(), backend b = backend::real)
      : work_(net::make_work_guard(io_)) {
    if (b == backend::real) {
      engine_ = make_engine(options, engine_setup{});
    } else {
      auto fake = std::make_unique<mocks::fake_engine>(io_);
      fake_ = fake.get();
      engine_ = std::move(fake);
    }
    start(std::move(options));
  }
  explicit test_server(backend b) : test_server(test_options(), b) {}
  explicit test_server(engine_setup setup) : test_server(test_options(), std::move(setup)) {}

  ~test_server() { stop(); }

  // Graceful stop; returns once the server reported done.
  void stop() {
    if (stopped_) return;
    stopped_ = true;
    auto done = std::make_shared<std::promise<void>>();
    server_->stop([done] { done->set_value(); });
    const bool finished = done->get_future().wait_for(30s) == std::future_status::ready;
    CHECK_MESSAGE(finished, "server::stop did not complete");
    work_.reset();
    io_.stop();
    for (auto& t : threads_) t.join();
    server_.reset();
    engine_.reset();
  }

  // Like a killed process: no graceful stop, no engine shutdown. The threads stop where they
  // are and the connections are cut; only what the store committed remains.
  void crash() {
    if (stopped_) return;
    stopped_ = true;
    work_.reset();
    io_.stop();
    for (auto& t : threads_) t.join();
    server_.reset();
    engine_.reset();
  }

  std::uint16_t port() const { return server_->port(); }
  std::string host() const { return "127.0.0.1:" + std::to_string(port()); }
  std::string origin() const { return "http://" + host(); }
  mocks::fake_engine& fake() {
    REQUIRE(fake_ != nullptr);
    return *fake_;
  }

  // The conversation's transcript, read through the engine.
  std::vector<engine::transcript_entry> transcript(const std::string& id, std::int64_t after = 0) {
    auto p = std::make_shared<std::promise<engine::result<std::vector<engine::transcript_entry>>>>();
    engine_->transcript(id, after, [p](auto r) { p->set_value(std::move(r)); });
    auto f = p->get_future();
    REQUIRE(f.wait_for(safety_deadline) == std::future_status::ready);
    auto r = f.get();
    REQUIRE(r.has_value());
    return *r;
  }
  // How many visitor messages of the conversation carry `client_id`.
  int copies_of(const std::string& id, const std::string& client_id) {
    int n = 0;
    for (const auto& e : transcript(id)) n += e.by == engine::author::visitor && e.client_id == client_id;
    return n;
  }
  int visitor_messages(const std::string& id) {
    int n = 0;
    for (const auto& e : transcript(id)) n += e.by == engine::author::visitor;
    return n;
  }
  // One value from the database, read as an operator's sqlite3 shell would (the server may run).
  std::string sql(const std::string& query) const {
    sqlite3* db = nullptr;
    const auto path = std::filesystem::path(data_dir_in_use_) / "rapport.db";
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, query.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
    std::string out;
    if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
      out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return out;
  }
  engine::engine& engine() { return *engine_; }
  connectors::server& server() { return *server_; }
  net::io_context& io() { return io_; }

 private:
  std::unique_ptr<engine::engine> make_engine(const connectors::server_options& options, engine_setup setup) {
    engine::engine_options eo;
    eo.data_dir = data_dir_in_use_ = setup.data_dir.empty() ? data_dir_.path().string() : setup.data_dir;
    eo.bot_folders = std::move(setup.bot_folders);
    eo.max_message_bytes = options.limits.max_message_bytes;
    eo.clock = std::move(setup.clock);
    eo.reload_poll = setup.reload_poll;
    eo.timer_check = setup.timer_check;
    eo.log = setup.log ? std::move(setup.log) : [](std::string_view) {};
    eo.http = connectors::make_http_client(io_);
    eo.desk = std::move(setup.desk);
    return engine::engine::create(eo, io_);
  }
  void start(connectors::server_options options) {
    server_ = std::make_unique<connectors::server>(io_, *engine_, std::move(options));
    server_->start();
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
  }

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

// Runs the client io_context until the operation started by `start` completes (or the safety
// deadline passes; then the stream is closed and the error is `timeout`).
template <class Stream, class Start>
beast::error_code run_op(net::io_context& io, Stream& lowest, Start&& start) {
  beast::error_code result = beast::error::timeout;
  bool done = false;
  start([&](beast::error_code ec, auto&&...) {
    result = ec;
    done = true;
  });
  io.restart();
  io.run_for(safety_deadline);
  if (!done) {
    beast::error_code ignored;
    lowest.close();
    io.restart();
    io.run();
    result = beast::error::timeout;
  }
  return result;
}

struct http_reply {
  unsigned status = 0;
  bhttp::response<bhttp::string_body> raw;
  beast::error_code ec;
  json::value json() const {
    boost::system::error_code e;
    auto v = json::parse(raw.body(), e);
    return e ? json::value() : v;
  }
  std::string header(std::string_view name) const { return std::string(raw[name]); }
};

// One HTTP client connection (keep-alive across requests).
class http_client {
 public:
  explicit http_client(std::uint16_t port) : stream_(io_) {
    ec_ = run_op(io_, stream_, [&](auto handler) {
      stream_.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), handler);
    });
    host_ = "127.0.0.1:" + std::to_string(port);
  }

  http_reply request(bhttp::verb method, std::string target, std::string body = {},
                     std::vector<std::pair<std::string, std::string>> headers = {}) {
    bhttp::request<bhttp::string_body> req{method, target, 11};
    req.set(bhttp::field::host, host_);
    if (!body.empty()) req.set(bhttp::field::content_type, "application/json");
    for (auto& [k, v] : headers) req.set(k, v);
    req.body() = std::move(body);
    req.prepare_payload();
    return send(req);
  }

  http_reply send(bhttp::request<bhttp::string_body>& req) {
    http_reply reply;
    reply.ec = run_op(io_, stream_, [&](auto handler) { bhttp::async_write(stream_, req, handler); });
    if (reply.ec) return reply;
    return read(req.method() == bhttp::verb::head);
  }

  http_reply read(bool head = false) {
    http_reply reply;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.skip(head);  // a response to HEAD has no body whatever its Content-Length says
    parser.body_limit(64 * 1024 * 1024);
    reply.ec = run_op(io_, stream_, [&](auto handler) { bhttp::async_read(stream_, buffer_, parser, handler); });
    if (!reply.ec) {
      reply.raw = parser.release();
      reply.status = reply.raw.result_int();
    }
    return reply;
  }

  // Writes raw bytes (for malformed requests).
  beast::error_code write_raw(const std::string& bytes) {
    return run_op(io_, stream_, [&](auto handler) { net::async_write(stream_, net::buffer(bytes), handler); });
  }

  // True when the server closed the connection (EOF) before any further response.
  bool closed_by_server() {
    char c;
    auto ec = run_op(io_, stream_, [&](auto handler) { stream_.async_read_some(net::buffer(&c, 1), handler); });
    return ec == net::error::eof || ec == net::error::connection_reset;
  }

  beast::error_code connect_error() const { return ec_; }

 private:
  net::io_context io_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  beast::error_code ec_;
  std::string host_;
};

inline http_reply http_call(std::uint16_t port, bhttp::verb method, std::string target,
                            std::string body = {},
                            std::vector<std::pair<std::string, std::string>> headers = {}) {
  http_client c(port);
  return c.request(method, std::move(target), std::move(body), std::move(headers));
}

// A widget WebSocket client.
class ws_client {
 public:
  ws_client(std::uint16_t port, std::string origin, std::string target = "/widget/ws",
            std::string cookie = {})
      : ws_(io_) {
    auto& lowest = beast::get_lowest_layer(ws_);
    ec_ = run_op(io_, lowest, [&](auto handler) {
      lowest.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), handler);
    });
    if (ec_) return;
    ws_.set_option(websocket::stream_base::decorator([origin, cookie](websocket::request_type& req) {
      if (!origin.empty()) req.set(bhttp::field::origin, origin);
      if (!cookie.empty()) req.set(bhttp::field::cookie, cookie);
    }));
    ec_ = run_op(io_, lowest, [&](auto handler) {
      ws_.async_handshake(upgrade_response_, "127.0.0.1:" + std::to_string(port), target, handler);
    });
  }

  beast::error_code handshake_error() const { return ec_; }
  unsigned handshake_status() const { return upgrade_response_.result_int(); }
  const websocket::response_type& upgrade_response() const { return upgrade_response_; }

  beast::error_code send(const json::value& frame) { return send_text(json::serialize(frame)); }
  beast::error_code send_text(const std::string& text) {
    return run_op(io_, beast::get_lowest_layer(ws_), [&](auto handler) { ws_.async_write(net::buffer(text), handler); });
  }

  // The next frame as JSON; null on error (then error() says why). A message that is a batch
  // (a JSON array of frames, for a hello with `batch: true`) yields its frames one by one.
  json::object read() {
    if (!unread_.empty()) {
      auto f = std::move(unread_.front());
      unread_.pop_front();
      return f;
    }
    beast::flat_buffer buffer;
    last_ec_ = run_op(io_, beast::get_lowest_layer(ws_), [&](auto handler) { ws_.async_read(buffer, handler); });
    if (last_ec_) return {};
    boost::system::error_code e;
    auto v = json::parse(beast::buffers_to_string(buffer.data()), e);
    if (!e && v.is_array() && !v.as_array().empty()) {
      batches.push_back(v.as_array().size());
      for (auto& f : v.as_array()) unread_.push_back(f.is_object() ? std::move(f.as_object()) : json::object{});
      return read();
    }
    if (e || !v.is_object()) return {};
    return v.as_object();
  }

  // Reads frames until one of `type` arrives; the skipped ones are kept in `seen`.
  json::object read_until(std::string_view type) {
    for (int i = 0; i < 100; ++i) {
      auto f = read();
      if (f.empty()) return {};
      seen.push_back(f);
      if (f["type"] == json::value(json::string(type))) return f;
    }
    return {};
  }

  // Reads until the server closes; returns the close code (0 when the connection just died).
  int read_until_closed() {
    for (int i = 0; i < 1000; ++i) {
      auto f = read();
      if (f.empty() && last_ec_) break;
      seen.push_back(f);
    }
    // Beast records the peer's close frame even when the TCP teardown after it then fails
    // (e.g. ENOTCONN because the server already closed its end).
    if (ws_.reason().code != websocket::close_code::none) return ws_.reason().code;
    MESSAGE("connection ended without a close frame: " << last_ec_.message());
    return 0;
  }

  void close() {
    run_op(io_, beast::get_lowest_layer(ws_), [&](auto handler) { ws_.async_close(websocket::close_code::normal, handler); });
  }
  // Drops the TCP connection without a closing handshake.
  void drop() {
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(ws_).close();
  }

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

inline json::object hello(std::string bot, std::string conversation = {}, std::string token = {},
                          std::int64_t last_seq = 0) {
  json::object h{{"type", "hello"}, {"bot", bot}, {"last_seq", last_seq}, {"locale", "en"},
                 {"page", json::object{{"url", "https://shop.example/?utm_source=test"}, {"title", "Shop"}}}};
  h["conversation"] = conversation.empty() ? json::value(nullptr) : json::value(conversation);
  h["token"] = token.empty() ? json::value(nullptr) : json::value(token);
  return h;
}

inline json::object message(std::string id, std::string text, std::string payload = {}) {
  json::object m{{"type", "message"}, {"id", id}, {"text", text}};
  if (!payload.empty()) m["payload"] = payload;
  return m;
}

}  // namespace rapport::testing
