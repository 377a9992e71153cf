// echo_server: the transport baseline. A minimal Boost.Beast WebSocket server that sends every
// text frame back, on the same kind of io_context and thread pool as `rapport serve`, so
// loadgen --mode echo measures what this machine's loopback, kernel and Beast can do at most.
//
//   echo_server [--address 127.0.0.1] [--port 9090] [--threads 2]
// Prints "echo_server: listening on 127.0.0.1:PORT" once it accepts connections.
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
constexpr auto use = net::as_tuple(net::use_awaitable);

net::awaitable<void> session(tcp::socket socket) {
  socket.set_option(tcp::no_delay(true));
  websocket::stream<beast::tcp_stream> ws(std::move(socket));
  ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws.read_message_max(16 * 1024);
  if (auto [ec] = co_await ws.async_accept(use); ec) co_return;
  beast::flat_buffer buffer;
  for (;;) {
    auto [re, n] = co_await ws.async_read(buffer, use);
    if (re) co_return;
    ws.text(ws.got_text());
    auto [we, m] = co_await ws.async_write(buffer.data(), use);
    if (we) co_return;
    buffer.consume(buffer.size());
  }
}

net::awaitable<void> listen(net::io_context& io, tcp::acceptor& acceptor) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(net::make_strand(io), use);
    if (ec == net::error::operation_aborted) co_return;
    if (ec) continue;  // e.g. out of file descriptors: keep accepting the next ones
    net::co_spawn(socket.get_executor(), session(std::move(socket)), net::detached);
  }
}

int main(int argc, char** argv) {
  std::string address = "127.0.0.1";
  unsigned short port = 9090;
  unsigned threads = 2;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--address")) address = argv[i + 1];
    else if (!std::strcmp(argv[i], "--port")) port = static_cast<unsigned short>(std::stoi(argv[i + 1]));
    else if (!std::strcmp(argv[i], "--threads")) threads = static_cast<unsigned>(std::stoi(argv[i + 1]));
    else {
      std::fprintf(stderr, "usage: echo_server [--address A] [--port P] [--threads N]\n");
      return 2;
    }
  }
  net::io_context io(static_cast<int>(threads));
  tcp::acceptor acceptor(io);
  const tcp::endpoint endpoint(net::ip::make_address(address), port);
  acceptor.open(endpoint.protocol());
  acceptor.set_option(net::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(net::socket_base::max_listen_connections);
  std::printf("echo_server: listening on %s:%u\n", address.c_str(), acceptor.local_endpoint().port());
  std::fflush(stdout);
  net::co_spawn(io, listen(io, acceptor), net::detached);
  net::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](auto, int) { io.stop(); });
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&] { io.run(); });
  io.run();
  for (auto& t : pool) t.join();
}
