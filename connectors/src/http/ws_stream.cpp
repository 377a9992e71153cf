#include "http/ws_stream.hpp"

#include <boost/beast/websocket.hpp>

namespace rapport::connectors::http {

void configure_server_stream(ws_stream& ws, const server_limits& limits) {
  namespace websocket = boost::beast::websocket;
  auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
  timeouts.idle_timeout = limits.idle_timeout;
  timeouts.keep_alive_pings = true;
  ws.set_option(timeouts);
  ws.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(boost::beast::http::field::server, "rapport"); }));
  ws.read_message_max(limits.max_frame_bytes);
  ws.text(true);
}

}  // namespace rapport::connectors::http
