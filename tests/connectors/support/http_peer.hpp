#pragma once
// A local HTTP(S) peer for outbound-client tests: answers each request with a handler's
// response (or never, to exercise timeouts). TLS with a self-signed certificate made on the fly.
// Defined in http_peer.cpp.
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace rapport::testing {

struct certificate {
  std::string cert_pem, key_pem;
};

// A self-signed certificate (P-256, SHA-256) for `host`, usable as its own trust anchor.
certificate make_self_signed(const std::string& host);

class http_peer {
 public:
  using request = boost::beast::http::request<boost::beast::http::string_body>;
  using response = boost::beast::http::response<boost::beast::http::string_body>;
  // nullopt: never answer.
  using handler = std::function<std::optional<response>(const request&)>;

  explicit http_peer(handler h, std::optional<certificate> tls = std::nullopt);
  ~http_peer();

  std::uint16_t port() const { return port_; }
  std::vector<request> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  struct connection;  // one accepted connection (http_peer.cpp)
  void accept();

  handler handler_;
  boost::asio::io_context io_;
  std::optional<boost::asio::ssl::context> tls_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<request> received_;
  std::vector<std::shared_ptr<connection>> hanging_;
};

}  // namespace rapport::testing
