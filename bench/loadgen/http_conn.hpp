#pragma once
// One keep-alive HTTP/1.1 connection to the server, for the REST visitor and --verify.
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json/value.hpp>

#include "run.hpp"

namespace rapport::bench {

struct http_reply {
  unsigned status = 0;
  boost::json::value body;  // null when not JSON
};

class http_conn {
 public:
  http_conn(const options& opt, net::ip::address_v4 source) : opt_(opt), source_(source) {}

  // Connects when needed; nullopt on a transport failure (the connection is then closed).
  net::awaitable<std::optional<http_reply>> request(boost::beast::http::verb method, std::string target,
                                                    std::string body, const std::string& token = {});

 private:
  const options& opt_;
  net::ip::address_v4 source_;
  std::optional<boost::beast::tcp_stream> stream_;
};

}  // namespace rapport::bench
