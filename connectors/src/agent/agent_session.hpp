#pragma once
// One agent console WebSocket (docs/protocols/agent.md) of a logged-in agent. Like the widget's
// session: it owns its stream, runs on the connection's strand, has one write in flight and a
// bounded queue. It connects the agent to the desk (presence, the desk view) and subscribes to
// the conversations the console opens.
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "agent/agent_protocol.hpp"
#include "http/limiter.hpp"
#include "http/server_state.hpp"
#include "http/types.hpp"
#include "http/ws_writer.hpp"

namespace rapport::connectors::agent {

class agent_session : public http::session_base, public std::enable_shared_from_this<agent_session> {
 public:
  agent_session(tcp::socket&& socket, std::shared_ptr<http::server_state> state,
                http::connection_slot slot, std::unique_ptr<http::connection_guard> guard,
                std::string client_address, engine::agent_profile agent);
  ~agent_session() override;

  void run(request req);
  void shutdown() override;  // close 1001 "service restart"
  void abort() override;

 private:
  template <class F>
  void on_strand(F&& f);
  void on_accept(beast::error_code ec);
  void do_read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void handle_frame(std::string_view text);
  void on_desk(const engine::desk_view& v);
  void open(const std::string& conversation);
  void leave(const std::string& conversation);
  void answer(const std::string& request, boost::system::error_code ec);
  std::string owner_of(const std::string& conversation) const;

  void send(std::string frame);
  void send_error(frame_error e);
  void close(boost::beast::websocket::close_reason reason);
  void finish();

  http::ws_stream ws_;
  beast::flat_buffer buffer_;
  std::shared_ptr<http::server_state> state_;
  http::ws_writer writer_;  // after state_: it is built from it
  http::connection_slot slot_;
  std::unique_ptr<http::connection_guard> guard_;
  std::string client_address_;
  engine::agent_profile agent_;
  std::uint64_t registry_id_ = 0;

  engine::subscription desk_;
  engine::desk_view view_;  // the last one sent
  std::map<std::string, engine::subscription> open_;  // conversations the console shows
  bool closing_ = false;
  bool finished_ = false;
  bool accepted_ = false;
  std::size_t errors_ = 0;
};

}  // namespace rapport::connectors::agent
