#pragma once
// One HTTP/1.1 connection: reads requests (with size limits and timeouts), hands each to the
// request handler, writes the response, keeps the connection alive; hands WebSocket upgrades to
// the widget session. The session only moves bytes.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>

#include "http/handler.hpp"
#include "http/limiter.hpp"
#include "http/server_state.hpp"
#include "http/types.hpp"
#include "rapport/engine/agent_desk.hpp"

namespace rapport::connectors::http {

class http_session : public session_base, public std::enable_shared_from_this<http_session> {
 public:
  // `slot` is empty when the peer is over its connection limit: the session then answers its
  // first request with 429 and closes.
  http_session(tcp::socket&& socket, std::shared_ptr<server_state> state,
               std::shared_ptr<request_handler> handler, connection_slot slot, bool over_limit);
  ~http_session() override;

  void run();
  void shutdown() override;
  void abort() override;

 private:
  void do_read();
  void on_read_header(beast::error_code ec, std::size_t bytes);
  void do_read_body();
  void on_read(beast::error_code ec, std::size_t bytes);
  void on_request(request req);
  void upgrade(request req, const std::string& client_address);
  // Hands the socket to the widget's session, or the agent console's for a logged-in agent.
  void take_over(request req, const std::string& client_address,
                 std::optional<engine::agent_profile> agent);
  void send(response res, bool close_after);
  void on_write(beast::error_code ec, std::size_t bytes, bool keep_alive);
  void refuse(response res);  // answer and close, draining what the client still sends
  void do_drain();
  void do_close();

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<beast::http::request_parser<beast::http::string_body>> parser_;
  std::shared_ptr<server_state> state_;
  std::shared_ptr<request_handler> handler_;
  connection_slot slot_;
  std::unique_ptr<connection_guard> guard_;
  bool over_limit_;
  std::string peer_;
  std::uint64_t registry_id_ = 0;

  // The request being answered.
  std::optional<request> current_;  // method/version/keep-alive of the request being answered
  bool busy_ = false;               // between a complete request and its response written
  bool closing_ = false;
  std::shared_ptr<response> out_;   // the response being written
  std::array<char, 4096> drain_buffer_{};
  std::size_t drained_ = 0;
};

}  // namespace rapport::connectors::http
