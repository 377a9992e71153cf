#pragma once
// The server side of a WebSocket (the widget's and the agent console's): its options.
#include <boost/beast/websocket/stream.hpp>

#include "http/types.hpp"
#include "rapport/connectors/server.hpp"

namespace rapport::connectors::http {

// Straight over the socket: the WebSocket's own timeouts are all a session needs, and Beast's
// tcp_stream would add ≈ 0.5 KiB per connection (its timers and state) and a layer to every
// read and write.
using ws_stream = boost::beast::websocket::stream<tcp::socket>;

// Before the handshake: the WebSocket's own timeouts, pings
// when idle and a drop when no answer comes within limits.idle_timeout, the Server header,
// text frames, and the largest frame accepted.
void configure_server_stream(ws_stream& ws, const server_limits& limits);

}  // namespace rapport::connectors::http
