#pragma once
// Accepts connections, each onto its own strand, and starts an HTTP session for each.
#include <memory>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "http/handler.hpp"
#include "http/server_state.hpp"

namespace rapport::connectors::http {

class listener : public std::enable_shared_from_this<listener> {
 public:
  // Binds; throws std::system_error when the address cannot be used.
  listener(net::io_context& io, tcp::endpoint endpoint, std::shared_ptr<server_state> state,
           std::shared_ptr<request_handler> handler);

  void run();
  void stop();  // stops accepting (thread-safe)
  tcp::endpoint local_endpoint() const { return endpoint_; }

 private:
  void do_accept();
  void on_accept(beast::error_code ec, tcp::socket socket);

  net::io_context& io_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_;  // pause after an accept error (e.g. out of file descriptors)
  tcp::endpoint endpoint_;
  std::shared_ptr<server_state> state_;
  std::shared_ptr<request_handler> handler_;
};

}  // namespace rapport::connectors::http
