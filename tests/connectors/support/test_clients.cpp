// The Beast clients of test_server.hpp: HTTP and the widget WebSocket, each wait bounded by the
// safety deadline.
#include "support/test_server.hpp"

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
