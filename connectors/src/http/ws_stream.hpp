#pragma once
// The server side of a WebSocket (the widget's and the agent console's): its options.
#include <boost/beast/websocket/stream.hpp>

#include "http/types.hpp"
#include "rapport/connectors/server.hpp"

namespace rapport::connectors::http {

using ws_stream = boost::beast::websocket::stream<beast::tcp_stream>;

// Before the handshake: the WebSocket's own timeouts (the TCP stream's are turned off), pings
// when idle and a drop when no answer comes within limits.idle_timeout, the Server header,
// text frames, and the largest frame accepted.
void configure_server_stream(ws_stream& ws, const server_limits& limits);

}  // namespace rapport::connectors::http
