#include <netinet/in.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "run.hpp"

namespace rapport::bench {

bool shared_run::take_conversation() {
  if (stopping.load() || steady::now() >= deadline) return false;
  const std::size_t n = started.fetch_add(1);
  return opt.conversations == 0 || n < opt.conversations;
}

std::size_t shared_run::steps_per_conversation() const {
  return opt.turns == 0 ? steps.steps.size() : std::min(steps.steps.size(), opt.turns + 1);
}

net::ip::address_v4 generator_thread::source_for(std::size_t visitor) const {
  return net::ip::address_v4((127u << 24) | (1u + static_cast<unsigned>(visitor % run.opt.sources)));
}

net::awaitable<boost::system::error_code> connect_from(tcp::socket& socket, const options& opt,
                                                      net::ip::address_v4 source) {
  boost::system::error_code ec;
  if (socket.is_open()) socket.close(ec);
  socket.open(tcp::v4(), ec);
  if (ec) co_return ec;
  if (opt.sources > 1) {
    // Let connect() choose the port for the whole 4-tuple, so each source address has its own
    // ephemeral range (bind() alone would reserve a port per address).
    int one = 1;
    ::setsockopt(socket.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    socket.bind(tcp::endpoint(source, 0), ec);
    if (ec) co_return ec;
  }
  const tcp::endpoint server(net::ip::make_address(opt.host, ec), opt.port);
  if (ec) co_return ec;
  auto [e] = co_await socket.async_connect(server, net::as_tuple(net::use_awaitable));
  if (!e) socket.set_option(tcp::no_delay(true), ec);
  co_return e;
}

}  // namespace rapport::bench
