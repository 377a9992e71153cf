#include "http_conn.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>

namespace rapport::bench {
namespace http = boost::beast::http;

net::awaitable<std::optional<http_reply>> http_conn::request(http::verb method, std::string target,
                                                             std::string body, const std::string& token) {
  constexpr auto use = net::as_tuple(net::use_awaitable);
  if (!stream_) {
    stream_.emplace(co_await net::this_coro::executor);
    if (co_await connect_from(stream_->socket(), opt_, source_)) {
      stream_.reset();
      co_return std::nullopt;
    }
  }
  http::request<http::string_body> req(method, target, 11);
  req.set(http::field::host, opt_.host + ":" + std::to_string(opt_.port));
  req.set(http::field::user_agent, "rapport-loadgen");
  if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
  if (!body.empty()) {
    req.set(http::field::content_type, "application/json");
    req.body() = std::move(body);
  }
  req.prepare_payload();
  stream_->expires_after(opt_.timeout);
  auto [we, wn] = co_await http::async_write(*stream_, req, use);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> res;
  if (!we) {
    auto [re, rn] = co_await http::async_read(*stream_, buffer, res, use);
    we = re;
  }
  if (we) {
    stream_.reset();
    co_return std::nullopt;
  }
  if (!res.keep_alive()) stream_.reset();
  http_reply reply{res.result_int(), {}};
  boost::system::error_code ec;
  reply.body = boost::json::parse(res.body(), ec);
  co_return reply;
}

}  // namespace rapport::bench
