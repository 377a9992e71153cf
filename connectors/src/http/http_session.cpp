#include "http/http_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "http/origin.hpp"
#include "agent/agent_api.hpp"
#include "agent/agent_session.hpp"
#include "http/router.hpp"
#include "widget/ws_session.hpp"

namespace rapport::connectors::http {
namespace bhttp = boost::beast::http;

http_session::http_session(tcp::socket&& socket, std::shared_ptr<server_state> state,
                           std::shared_ptr<request_handler> handler, connection_slot slot,
                           bool over_limit)
    : stream_(std::move(socket)),
      state_(std::move(state)),
      handler_(std::move(handler)),
      slot_(std::move(slot)),
      guard_(std::make_unique<connection_guard>(state_)),
      over_limit_(over_limit) {
  beast::error_code ec;
  auto ep = stream_.socket().remote_endpoint(ec);
  if (!ec) peer_ = ep.address().to_string();
}

http_session::~http_session() {
  if (registry_id_ != 0) state_->remove_session(registry_id_);
}

void http_session::run() {
  registry_id_ = state_->add_session(weak_from_this());
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_read(); });
}

void http_session::shutdown() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->closing_ = true;
    // Idle between requests: close now. Busy: close after the response (keep_alive false).
    if (!self->busy_) self->do_close();
  });
}

void http_session::abort() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->closing_ = true;
    self->do_close();
  });
}

void http_session::do_read() {
  if (closing_ || state_->draining.load()) return do_close();
  parser_.emplace();
  parser_->body_limit(state_->options.limits.max_body_bytes);
  parser_->header_limit(static_cast<std::uint32_t>(state_->options.limits.max_header_bytes));
  // Waiting for the next request of a keep-alive connection and reading it share one deadline.
  stream_.expires_after(state_->options.limits.idle_timeout);
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                             self->on_read_header(ec, n);
                           });
}

void http_session::on_read_header(beast::error_code ec, std::size_t n) {
  if (ec) return on_read(ec, n);
  busy_ = true;
  if (parser_->is_done()) return on_read(ec, n);
  // "Expect: 100-continue" (curl sends it for bodies over 1 KiB): say go ahead, then read.
  const auto expect = parser_->get()[field::expect];
  if (expect.size() == 12 && beast::iequals(expect, "100-continue")) {
    static constexpr std::string_view go_ahead = "HTTP/1.1 100 Continue\r\n\r\n";
    stream_.expires_after(state_->options.limits.request_timeout);
    return net::async_write(stream_, net::buffer(go_ahead.data(), go_ahead.size()),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->do_close();
                              self->do_read_body();
                            });
  }
  do_read_body();
}

void http_session::do_read_body() {
  stream_.expires_after(state_->options.limits.request_timeout);
  bhttp::async_read(stream_, buffer_, *parser_,
                    [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                      self->on_read(ec, n);
                    });
}

void http_session::on_read(beast::error_code ec, std::size_t) {
  if (ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted ||
      ec == beast::error::timeout || ec == net::error::connection_reset || ec == net::error::eof)
    return do_close();
  if (ec == bhttp::error::body_limit) {
    busy_ = true;
    state_->counters.bad_requests.fetch_add(1);
    return refuse(to_response(make_problem(
        status::payload_too_large, "too_large",
        "the body is larger than " + std::to_string(state_->options.limits.max_body_bytes) +
            " bytes")));
  }
  if (ec == bhttp::error::header_limit) {
    busy_ = true;
    state_->counters.bad_requests.fetch_add(1);
    return refuse(to_response(make_problem(
        status::request_header_fields_too_large, "headers_too_large",
        "the request head is larger than " +
            std::to_string(state_->options.limits.max_header_bytes) + " bytes")));
  }
  if (ec) {
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_version).category()) {
      busy_ = true;
      state_->counters.bad_requests.fetch_add(1);
      return refuse(to_response(
          make_problem(status::bad_request, "bad_http", "malformed HTTP request: " + ec.message())));
    }
    return do_close();
  }
  // No exception may leave a completion handler: answer 500 and close instead.
  try {
    on_request(parser_->release());
  } catch (const std::exception& e) {
    if (out_) return do_close();  // a response is already being written
    current_.reset();
    send(to_response(make_problem(status::internal_server_error, "internal", e.what())), true);
  }
}

void http_session::on_request(request req) {
  if (over_limit_) {
    state_->counters.rate_limited_connections.fetch_add(1);
    auto res = to_response(make_problem(
        status::too_many_requests, "too_many_connections",
        "at most " + std::to_string(state_->options.limits.connections_per_ip) +
            " connections are accepted from one address"));
    res.set(field::retry_after, "5");
    current_ = std::move(req);
    return refuse(std::move(res));
  }
  const std::string client = client_address(peer_, req["X-Forwarded-For"],
                                            state_->options.trusted_proxies);
  if (boost::beast::websocket::is_upgrade(req)) return upgrade(std::move(req), client);

  current_.emplace();
  current_->method(req.method());
  current_->version(req.version());
  current_->keep_alive(req.keep_alive());
  handler_->handle(std::move(req), request_context{client},
                   [self = shared_from_this()](response res) {
                     net::post(self->stream_.get_executor(),
                               [self, res = std::move(res)]() mutable { self->send(std::move(res), false); });
                   });
}

void http_session::upgrade(request req, const std::string& client_address) {
  endpoint to = endpoint::not_found;
  if (auto refusal = handler_->check_upgrade(req, to)) {
    current_ = std::move(req);
    return send(std::move(*refusal), true);
  }
  if (to == endpoint::agent_ws) {
    // The agent's session decides; the answer comes back on this connection's strand.
    const auto token = agent::session_token(req[field::cookie]);
    auto shared_req = std::make_shared<request>(std::move(req));
    state_->engine.desk().session(token, [self = shared_from_this(), shared_req, client_address](
                                             engine::result<engine::agent_profile> who) {
      net::post(self->stream_.get_executor(), [self, shared_req, client_address, who = std::move(who)]() mutable {
        if (!who) {
          self->current_ = std::move(*shared_req);
          return self->send(to_response(make_problem(status::unauthorized, "no_session",
                                                     "not logged in, or the session expired")),
                            true);
        }
        self->take_over(std::move(*shared_req), client_address, std::move(*who));
      });
    });
    return;
  }
  take_over(std::move(req), client_address, std::nullopt);
}

void http_session::take_over(request req, const std::string& client_address,
                             std::optional<engine::agent_profile> agent) {
  connection_slot slot = std::move(slot_);
  if (is_trusted(peer_, state_->options.trusted_proxies)) {
    // Behind a proxy the limit applies to the visitor's address, known only now.
    slot = state_->limiter->try_connect(client_address);
    if (!slot) {
      state_->counters.rate_limited_connections.fetch_add(1);
      auto res = to_response(make_problem(
          status::too_many_requests, "too_many_connections",
          "at most " + std::to_string(state_->options.limits.connections_per_ip) +
              " connections are accepted from one address"));
      res.set(field::retry_after, "5");
      current_ = std::move(req);
      return send(std::move(res), true);
    }
  }
  // The connection becomes a WebSocket: its session takes the socket and the limits'
  // bookkeeping; this session ends here.
  if (agent) {
    auto ws = std::make_shared<agent::agent_session>(stream_.release_socket(), state_, std::move(slot),
                                                     std::move(guard_), client_address, std::move(*agent));
    return ws->run(std::move(req));
  }
  auto ws = std::make_shared<widget::ws_session>(stream_.release_socket(), state_, std::move(slot),
                                                 std::move(guard_), client_address);
  ws->run(std::move(req));
}

void http_session::send(response res, bool close_after) {
  const bool keep_alive = !close_after && !closing_ && !state_->draining.load() &&
                          current_.has_value() && current_->keep_alive();
  finish_response(res, current_ ? &*current_ : nullptr, keep_alive, state_->counters);
  out_ = std::make_shared<response>(std::move(res));
  stream_.expires_after(state_->options.limits.request_timeout);
  bhttp::async_write(stream_, *out_,
                     [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t n) {
                       self->on_write(ec, n, keep_alive);
                     });
}

void http_session::on_write(beast::error_code ec, std::size_t, bool keep_alive) {
  out_.reset();
  current_.reset();
  busy_ = false;
  if (ec) return do_close();
  if (!keep_alive) {
    // Half-close, then drain: closing with unread input would reset the connection and could
    // destroy the response before the client reads it.
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    drained_ = 0;
    return do_drain();
  }
  do_read();
}

void http_session::refuse(response res) {
  if (!current_ && parser_ && parser_->is_header_done()) {
    current_.emplace();
    current_->version(parser_->get().version());
    current_->method(parser_->get().method());
  }
  send(std::move(res), true);
}

void http_session::do_drain() {
  // Read and discard what the client still sends (e.g. the rest of an oversized body), for a
  // short while and up to a bound, so that it can read our answer.
  if (drained_ > 4 * 1024 * 1024) return do_close();
  stream_.expires_after(std::chrono::seconds(2));
  stream_.async_read_some(net::buffer(drain_buffer_),
                          [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                            if (ec) return self->do_close();
                            self->drained_ += n;
                            self->do_drain();
                          });
}

void http_session::do_close() {
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.close();
}

}  // namespace rapport::connectors::http
