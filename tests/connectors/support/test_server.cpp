// The loopback support of test_server.hpp: the server's set-up and the Beast clients.
#include "support/test_server.hpp"

#include <sqlite3.h>
#include <stdlib.h>

namespace rapport::testing {
namespace {

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
    lowest.close();
    io.restart();
    io.run();
    result = beast::error::timeout;
  }
  return result;
}

}  // namespace

connectors::server_options test_options() {
  connectors::server_options o;
  o.address = "127.0.0.1";
  o.port = 0;
  o.limits.shutdown_grace = 5s;
  return o;
}

std::string fixture_bot() { return std::string(RAPPORT_SOURCE_DIR) + "/tests/connectors/fixtures/echo"; }

temp_dir::temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "rapport-connectors-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

test_server::test_server(connectors::server_options options, engine_setup setup)
    : work_(net::make_work_guard(io_)) {
  engine_ = make_engine(options, std::move(setup));
  start(std::move(options));
}

test_server::test_server(connectors::server_options options, backend b)
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

void test_server::stop() {
  if (stopped_) return;
  stopped_ = true;
  auto done = std::make_shared<std::promise<void>>();
  server_->stop([done] { done->set_value(); });
  const bool finished = done->get_future().wait_for(30s) == std::future_status::ready;
  CHECK_MESSAGE(finished, "server::stop did not complete");
  halt();
}

void test_server::crash() {
  if (stopped_) return;
  stopped_ = true;
  halt();
}

void test_server::halt() {
  work_.reset();
  io_.stop();
  for (auto& t : threads_) t.join();
  server_.reset();
  engine_.reset();
}

std::uint16_t test_server::port() const { return server_->port(); }

mocks::fake_engine& test_server::fake() {
  REQUIRE(fake_ != nullptr);
  return *fake_;
}

std::vector<engine::transcript_entry> test_server::transcript(const std::string& id, std::int64_t after) {
  auto p = std::make_shared<std::promise<engine::result<std::vector<engine::transcript_entry>>>>();
  engine_->transcript(id, after, [p](auto r) { p->set_value(std::move(r)); });
  auto f = p->get_future();
  REQUIRE(f.wait_for(safety_deadline) == std::future_status::ready);
  auto r = f.get();
  REQUIRE(r.has_value());
  return *r;
}

int test_server::copies_of(const std::string& id, const std::string& client_id) {
  int n = 0;
  for (const auto& e : transcript(id)) n += e.by == engine::author::visitor && e.client_id == client_id;
  return n;
}

int test_server::visitor_messages(const std::string& id) {
  int n = 0;
  for (const auto& e : transcript(id)) n += e.by == engine::author::visitor;
  return n;
}

std::string test_server::sql(const std::string& query) const {
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

std::unique_ptr<engine::engine> test_server::make_engine(const connectors::server_options& options,
                                                         engine_setup setup) {
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

void test_server::start(connectors::server_options options) {
  server_ = std::make_unique<connectors::server>(io_, *engine_, std::move(options));
  server_->start();
  for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
}

json::value http_reply::json() const {
  boost::system::error_code e;
  auto v = json::parse(raw.body(), e);
  return e ? json::value() : v;
}

http_client::http_client(std::uint16_t port) : stream_(io_) {
  ec_ = run_op(io_, stream_, [&](auto handler) {
    stream_.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), handler);
  });
  host_ = "127.0.0.1:" + std::to_string(port);
}

http_reply http_client::request(bhttp::verb method, std::string target, std::string body,
                                std::vector<std::pair<std::string, std::string>> headers) {
  bhttp::request<bhttp::string_body> req{method, target, 11};
  req.set(bhttp::field::host, host_);
  if (!body.empty()) req.set(bhttp::field::content_type, "application/json");
  for (auto& [k, v] : headers) req.set(k, v);
  req.body() = std::move(body);
  req.prepare_payload();
  return send(req);
}

http_reply http_client::send(bhttp::request<bhttp::string_body>& req) {
  http_reply reply;
  reply.ec = run_op(io_, stream_, [&](auto handler) { bhttp::async_write(stream_, req, handler); });
  if (reply.ec) return reply;
  return read(req.method() == bhttp::verb::head);
}

http_reply http_client::read(bool head) {
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

beast::error_code http_client::write_raw(const std::string& bytes) {
  return run_op(io_, stream_, [&](auto handler) { net::async_write(stream_, net::buffer(bytes), handler); });
}

bool http_client::closed_by_server() {
  char c;
  auto ec = run_op(io_, stream_, [&](auto handler) { stream_.async_read_some(net::buffer(&c, 1), handler); });
  return ec == net::error::eof || ec == net::error::connection_reset;
}

http_reply http_call(std::uint16_t port, bhttp::verb method, std::string target, std::string body,
                     std::vector<std::pair<std::string, std::string>> headers) {
  http_client c(port);
  return c.request(method, std::move(target), std::move(body), std::move(headers));
}

ws_client::ws_client(std::uint16_t port, std::string origin, std::string target, std::string cookie)
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

beast::error_code ws_client::send_text(const std::string& text) {
  return run_op(io_, beast::get_lowest_layer(ws_), [&](auto handler) { ws_.async_write(net::buffer(text), handler); });
}

json::object ws_client::read() {
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

json::object ws_client::read_until(std::string_view type) {
  for (int i = 0; i < 100; ++i) {
    auto f = read();
    if (f.empty()) return {};
    seen.push_back(f);
    if (f["type"] == json::value(json::string(type))) return f;
  }
  return {};
}

int ws_client::read_until_closed() {
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

void ws_client::close() {
  run_op(io_, beast::get_lowest_layer(ws_), [&](auto handler) { ws_.async_close(websocket::close_code::normal, handler); });
}

void ws_client::drop() {
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
  beast::get_lowest_layer(ws_).close();
}

json::object hello(std::string bot, std::string conversation, std::string token, std::int64_t last_seq) {
  json::object h{{"type", "hello"}, {"bot", bot}, {"last_seq", last_seq}, {"locale", "en"},
                 {"page", json::object{{"url", "https://shop.example/?utm_source=test"}, {"title", "Shop"}}}};
  h["conversation"] = conversation.empty() ? json::value(nullptr) : json::value(conversation);
  h["token"] = token.empty() ? json::value(nullptr) : json::value(token);
  return h;
}

json::object message(std::string id, std::string text, std::string payload) {
  json::object m{{"type", "message"}, {"id", id}, {"text", text}};
  if (!payload.empty()) m["payload"] = payload;
  return m;
}

}  // namespace rapport::testing
