#pragma once
// One widget WebSocket (docs/protocols/widget.md). The session owns its stream and buffer and
// runs on the connection's strand; engine completions and subscription updates are posted back
// to it. One write in flight, a bounded queue behind it: a client that does not keep up is
// dropped rather than holding anything up.
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "http/limiter.hpp"
#include "http/server_state.hpp"
#include "http/ws_writer.hpp"
#include "http/types.hpp"
#include "widget/protocol.hpp"

namespace rapport::connectors::widget {

class ws_session : public http::session_base, public std::enable_shared_from_this<ws_session> {
 public:
  ws_session(tcp::socket&& socket, std::shared_ptr<http::server_state> state,
             http::connection_slot slot, std::unique_ptr<http::connection_guard> guard,
             std::string client_address);
  ~ws_session() override;

  // Completes the upgrade of `req` and starts reading frames.
  void run(request req);

  void shutdown() override;  // close 1001 "service restart"
  void abort() override;     // cut the connection

 private:
  enum class phase { waiting_hello, joining, joined };

  void on_accept(beast::error_code ec);
  void do_read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void handle_frame(std::string_view text);

  void on_hello(hello_frame h);
  bool open_new();  // false: refused (rate limit); the caller resumes reading
  void joined(engine::conversation_ref ref, bool resumed);
  void on_replay(engine::result<std::vector<engine::transcript_entry>> entries);
  void on_message(message_frame m);
  void on_event(event_frame e);
  void post_event(dialogs::event e);
  void on_update(const engine::conversation_update& u);
  void deliver(const engine::conversation_update& u);

  void send(std::string frame);
  void send_error(frame_error e);
  void close(boost::beast::websocket::close_reason reason);
  void finish();

  // Runs `f(*this)` on this session's strand, keeping the session alive until it has run. Safe
  // from any thread. What arrives before the strand gets to it runs in one handler, in order —
  // a turn's updates and its ack then go out in one write.
  template <class F>
  void on_strand(F&& f);
  template <class F>
  void guarded(F&& f);

  http::ws_stream ws_;
  beast::flat_buffer buffer_;
  // A connection that never says hello is closed. Only until the hello: a timer is 120 bytes
  // an open connection need not keep.
  std::unique_ptr<net::steady_timer> hello_deadline_;
  std::mutex inbox_mutex_;
  std::vector<std::function<void(ws_session&)>> inbox_;  // on_strand's, guarded by the mutex
  std::shared_ptr<http::server_state> state_;
  http::ws_writer writer_;  // after state_: it is built from it
  http::connection_slot slot_;
  std::unique_ptr<http::connection_guard> guard_;
  std::string client_address_;
  std::uint64_t registry_id_ = 0;

  bool accepted_ = false;
  std::unique_ptr<boost::beast::websocket::close_reason> close_on_accept_;  // boxed: ≈ 130 bytes
  bool closing_ = false;
  bool finished_ = false;

  phase phase_ = phase::waiting_hello;
  hello_frame hello_;  // its bot, locale and page (the conversation and token are not kept)
  std::string conversation_id_;
  engine::subscription subscription_;
  std::int64_t last_sent_seq_ = 0;
  std::int64_t seen_seq_ = 0;
  bool replaying_ = false;
  std::vector<engine::conversation_update> pending_updates_;
  std::size_t errors_ = 0;
  bool visitor_closed_ = false;
  bool visitor_typing_ = false;
  parse_limits parse_limits_;
};

}  // namespace rapport::connectors::widget
