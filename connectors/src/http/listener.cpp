#include "http/listener.hpp"

#include <system_error>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include "http/http_session.hpp"
#include "http/origin.hpp"

namespace rapport::connectors::http {

listener::listener(net::io_context& io, tcp::endpoint endpoint, std::shared_ptr<server_state> state,
                   std::shared_ptr<request_handler> handler)
    : io_(io),
      acceptor_(net::make_strand(io)),
      retry_(acceptor_.get_executor()),
      state_(std::move(state)),
      handler_(std::move(handler)) {
  const auto where = endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
  auto check = [&](boost::system::error_code ec, const char* what) {
    if (ec) throw std::system_error(ec, std::string("cannot ") + what + " " + where);
  };
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  check(ec, "open a socket for");
  acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  check(ec, "set SO_REUSEADDR on");
  acceptor_.bind(endpoint, ec);
  check(ec, "listen on");
  acceptor_.listen(net::socket_base::max_listen_connections, ec);
  check(ec, "listen on");
  endpoint_ = acceptor_.local_endpoint(ec);
  check(ec, "read the address of");
}

void listener::run() {
  net::dispatch(acceptor_.get_executor(), [self = shared_from_this()] { self->do_accept(); });
}

void listener::stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    beast::error_code ignored;
    self->acceptor_.close(ignored);
    self->retry_.cancel();
  });
}

void listener::do_accept() {
  if (!acceptor_.is_open()) return;
  acceptor_.async_accept(net::make_strand(io_),
                         [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
                           self->on_accept(ec, std::move(socket));
                         });
}

void listener::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
  if (!ec) {
    if (state_->draining.load()) {
      beast::error_code ignored;
      socket.close(ignored);
    } else {
      beast::error_code addr_ec;
      const auto peer = socket.remote_endpoint(addr_ec);
      if (addr_ec) {
        socket.close(addr_ec);
      } else {
        const std::string address = peer.address().to_string();
        // A reply is often several small writes (a WebSocket ack, the echo, the bot's message):
        // with Nagle each waits for the peer's delayed ACK, up to 40 ms.
        socket.set_option(tcp::no_delay(true), addr_ec);
        connection_slot slot;
        bool over_limit = false;
        if (!is_trusted(address, state_->options.trusted_proxies)) {
          slot = state_->limiter->try_connect(address);
          over_limit = !slot;
        }
        std::make_shared<http_session>(std::move(socket), state_, handler_, std::move(slot),
                                       over_limit)
            ->run();
      }
    }
  }
  if (ec) {
    // Accept errors (e.g. too many open files) must not stop the server, nor spin on it.
    retry_.expires_after(std::chrono::milliseconds(100));
    retry_.async_wait([self = shared_from_this()](beast::error_code e) {
      if (!e) self->do_accept();
    });
    return;
  }
  do_accept();
}

}  // namespace rapport::connectors::http
