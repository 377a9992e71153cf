#pragma once
// Outbound HTTP for webhooks, as an interface: the engine knows no sockets. The connectors
// implement it with Boost.Beast; tests use a fake.
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <boost/system/result.hpp>

namespace rapport::engine {

struct http_request {
  std::string method = "POST";
  std::string url;  // absolute http(s) URL, ${ENV_VAR}s already substituted
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{5000};  // the whole exchange: connect, send, receive
  std::size_t max_response_bytes = 1 << 20;  // a longer body is an error
};

struct http_response {
  int status = 0;
  std::string body;
};

class http_client {
 public:
  virtual ~http_client() = default;
  // Performs the request. `done` runs exactly once, on any thread, and must not block. A
  // transport failure, the timeout or an oversized body is an error; any HTTP status is a
  // response.
  virtual void send(http_request request,
                    std::function<void(boost::system::result<http_response>)> done) = 0;
};

}  // namespace rapport::engine
