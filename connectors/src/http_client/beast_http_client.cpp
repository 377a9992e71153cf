// engine::http_client over Boost.Beast: one operation object per request, do_x/on_x steps, one
// deadline for the whole exchange.
#include <chrono>
#include <optional>
#include <stdexcept>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/url/parse.hpp>

#include "rapport/connectors/http_client.hpp"

namespace rapport::connectors {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using clock = std::chrono::steady_clock;
using done_fn = std::function<void(boost::system::result<engine::http_response>)>;

struct target {
  bool tls = false;
  std::string host, port, path;
};

std::optional<target> parse_target(const std::string& url) {
  auto u = boost::urls::parse_absolute_uri(url);
  if (!u) return std::nullopt;
  target t;
  if (u->scheme_id() == boost::urls::scheme::https) t.tls = true;
  else if (u->scheme_id() != boost::urls::scheme::http) return std::nullopt;
  t.host = u->encoded_host();
  if (t.host.empty()) return std::nullopt;
  if (t.host.front() == '[' && t.host.back() == ']') t.host = t.host.substr(1, t.host.size() - 2);
  t.port = u->has_port() ? std::string(u->port()) : (t.tls ? "443" : "80");
  t.path = u->encoded_path().empty() ? "/" : std::string(u->encoded_path());
  if (u->has_query()) t.path += "?" + std::string(u->encoded_query());
  return t;
}

class exchange : public std::enable_shared_from_this<exchange> {
 public:
  exchange(net::io_context& io, std::shared_ptr<ssl::context> tls, const http_client_options& o,
           engine::http_request request, target where, done_fn done)
      : strand_(net::make_strand(io)),
        resolver_(strand_),
        timer_(strand_),
        tls_context_(std::move(tls)),
        request_(std::move(request)),
        where_(std::move(where)),
        user_agent_(o.user_agent),
        done_(std::move(done)) {
    if (where_.tls)
      tls_stream_.emplace(strand_, *tls_context_);
    else
      plain_stream_.emplace(strand_);
  }

  void run() {
    net::dispatch(strand_, [self = shared_from_this()] { self->start(); });
  }

 private:
  beast::tcp_stream& lowest() {
    return tls_stream_ ? beast::get_lowest_layer(*tls_stream_) : *plain_stream_;
  }
  template <class F>
  void with_stream(F&& f) {
    if (tls_stream_) f(*tls_stream_);
    else f(*plain_stream_);
  }

  void start() {
    deadline_ = clock::now() + request_.timeout;
    // The resolver has no timeout of its own: a timer cancels it.
    timer_.expires_at(deadline_);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec && !self->resolved_) {
        self->timed_out_ = true;
        self->resolver_.cancel();
      }
    });
    resolver_.async_resolve(where_.host, where_.port,
                            [self = shared_from_this()](beast::error_code ec, tcp::resolver::results_type r) {
                              self->on_resolve(ec, std::move(r));
                            });
  }

  void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
    resolved_ = true;
    timer_.cancel();
    if (timed_out_) return finish(beast::error_code(beast::error::timeout));
    if (ec) return finish(ec);
    lowest().expires_at(deadline_);
    lowest().async_connect(results, [self = shared_from_this()](beast::error_code ec, const tcp::endpoint&) {
      self->on_connect(ec);
    });
  }

  void on_connect(beast::error_code ec) {
    if (ec) return finish(ec);
    if (!tls_stream_) return do_write();
    auto* tls = &*tls_stream_;
    // SNI, and the certificate must name the host.
    if (!SSL_set_tlsext_host_name(tls->native_handle(), where_.host.c_str()))
      return finish(beast::error_code(static_cast<int>(::ERR_get_error()), net::error::get_ssl_category()));
    tls->set_verify_callback(ssl::host_name_verification(where_.host));
    lowest().expires_at(deadline_);
    tls->async_handshake(ssl::stream_base::client, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->finish(ec);
      self->do_write();
    });
  }

  void do_write() {
    req_.method_string(request_.method.empty() ? "POST" : request_.method);
    req_.target(where_.path);
    req_.version(11);
    const bool default_port = where_.port == (where_.tls ? "443" : "80");
    req_.set(bhttp::field::host, default_port ? where_.host : where_.host + ":" + where_.port);
    req_.set(bhttp::field::user_agent, user_agent_);
    req_.set(bhttp::field::connection, "close");
    bool has_type = false;
    for (const auto& [k, v] : request_.headers) {
      if (beast::iequals(k, "content-type")) has_type = true;
      if (beast::iequals(k, "host") || beast::iequals(k, "content-length")) continue;
      req_.set(k, v);
    }
    if (!request_.body.empty() && !has_type) req_.set(bhttp::field::content_type, "application/json");
    req_.body() = std::move(request_.body);
    req_.prepare_payload();
    lowest().expires_at(deadline_);
    with_stream([this](auto& s) {
      bhttp::async_write(s, req_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
        if (ec) return self->finish(ec);
        self->do_read();
      });
    });
  }

  void do_read() {
    parser_.body_limit(request_.max_response_bytes);
    parser_.header_limit(64 * 1024);
    lowest().expires_at(deadline_);
    with_stream([this](auto& s) {
      bhttp::async_read(s, buffer_, parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
        self->on_read(ec);
      });
    });
  }

  void on_read(beast::error_code ec) {
    // A server that closes without a TLS close_notify after a complete response is common.
    if (ec == ssl::error::stream_truncated && parser_.is_done()) ec = {};
    if (ec) return finish(ec);
    engine::http_response res;
    res.status = static_cast<int>(parser_.get().result_int());
    res.body = std::move(parser_.get().body());
    finish(std::move(res));
  }

  void finish(boost::system::result<engine::http_response> r) {
    if (!done_) return;
    timer_.cancel();
    beast::error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    lowest().close();
    auto done = std::exchange(done_, nullptr);
    try {
      done(std::move(r));
    } catch (...) {
      // The callback must not throw; never let it escape into the io_context.
    }
  }
  void finish(beast::error_code ec) { finish(boost::system::result<engine::http_response>(ec)); }

  net::strand<net::io_context::executor_type> strand_;
  tcp::resolver resolver_;
  net::steady_timer timer_;
  std::shared_ptr<ssl::context> tls_context_;
  std::optional<beast::tcp_stream> plain_stream_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls_stream_;
  engine::http_request request_;
  target where_;
  std::string user_agent_;
  done_fn done_;
  clock::time_point deadline_;
  bool resolved_ = false;
  bool timed_out_ = false;
  bhttp::request<bhttp::string_body> req_;
  beast::flat_buffer buffer_;
  bhttp::response_parser<bhttp::string_body> parser_;
};

class beast_http_client final : public engine::http_client {
 public:
  beast_http_client(net::io_context& io, http_client_options o) : io_(io), options_(std::move(o)) {
    tls_ = std::make_shared<ssl::context>(ssl::context::tls_client);
    tls_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                      ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    boost::system::error_code ec;
    tls_->set_default_verify_paths(ec);
    if (!options_.extra_ca_file.empty()) {
      tls_->load_verify_file(options_.extra_ca_file, ec);
      if (ec) throw std::runtime_error("cannot read the CA file " + options_.extra_ca_file + ": " + ec.message());
    }
    if (!options_.extra_ca_pem.empty()) {
      tls_->add_certificate_authority(net::buffer(options_.extra_ca_pem), ec);
      if (ec) throw std::runtime_error("the extra CA certificate is not valid PEM: " + ec.message());
    }
    tls_->set_verify_mode(options_.verify_peer ? ssl::verify_peer : ssl::verify_none);
  }

  void send(engine::http_request request, done_fn done) override {
    auto where = parse_target(request.url);
    if (!where) {
      net::post(io_, [done = std::move(done)] {
        done(boost::system::result<engine::http_response>(
            boost::system::errc::make_error_code(boost::system::errc::invalid_argument)));
      });
      return;
    }
    std::make_shared<exchange>(io_, tls_, options_, std::move(request), std::move(*where), std::move(done))
        ->run();
  }

 private:
  net::io_context& io_;
  http_client_options options_;
  std::shared_ptr<ssl::context> tls_;
};

}  // namespace

std::shared_ptr<engine::http_client> make_http_client(net::io_context& io, http_client_options options) {
  return std::make_shared<beast_http_client>(io, std::move(options));
}

}  // namespace rapport::connectors
