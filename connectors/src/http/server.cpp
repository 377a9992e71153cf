#include "rapport/connectors/server.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "http/handler.hpp"
#include "http/listener.hpp"
#include "http/server_state.hpp"

namespace rapport::connectors {

struct server::impl : std::enable_shared_from_this<server::impl> {
  impl(net::io_context& i, engine::engine& e, server_options o)
      : io(i), state(std::make_shared<http::server_state>(e, std::move(o))),
        handler(std::make_shared<http::request_handler>(*state)) {}

  net::io_context& io;
  std::shared_ptr<http::server_state> state;
  std::shared_ptr<http::request_handler> handler;
  std::shared_ptr<http::listener> listener;
  std::uint16_t port = 0;

  std::mutex mutex;
  bool stopping = false;
  bool stopped = false;
  std::vector<std::function<void()>> waiting;
  std::shared_ptr<net::steady_timer> grace;

  void stop(std::function<void()> done);
  void close_sessions();
  void finished();
};

server::server(net::io_context& io, engine::engine& engine, server_options options)
    : impl_(std::make_shared<impl>(io, engine, std::move(options))) {}

server::~server() {
  if (impl_->listener) impl_->listener->stop();
}

void server::start() {
  const auto& o = impl_->state->options;
  boost::system::error_code ec;
  const auto address = net::ip::make_address(o.address, ec);
  if (ec)
    throw std::system_error(ec, "server.address \"" + o.address + "\" is not an IP address");
  impl_->listener = std::make_shared<http::listener>(impl_->io, tcp::endpoint{address, o.port},
                                                     impl_->state, impl_->handler);
  impl_->port = impl_->listener->local_endpoint().port();
  impl_->listener->run();
}

std::uint16_t server::port() const { return impl_->port; }

server_stats server::stats() const { return impl_->state->counters.snapshot(); }

void server::stop(std::function<void()> done) { impl_->stop(std::move(done)); }

void server::impl::stop(std::function<void()> done) {
  {
    std::lock_guard lock(mutex);
    if (stopped) {
      if (done) net::post(io, std::move(done));
      return;
    }
    if (done) waiting.push_back(std::move(done));
    if (stopping) return;
    stopping = true;
  }
  // 1. Stop accepting; new requests on open connections are refused from now on.
  state->draining.store(true);
  if (listener) listener->stop();
  // 2. Let the engine finish the events in flight (their acks still reach the clients), then
  // 3. close every connection: WebSockets with 1001 "service restart".
  state->engine.shutdown([self = shared_from_this()] {
    net::post(self->io, [self] { self->close_sessions(); });
  });
}

void server::impl::close_sessions() {
  for (auto& s : state->sessions()) s->shutdown();
  // 4. Cut whatever has not closed within the grace period.
  grace = std::make_shared<net::steady_timer>(io, state->options.limits.shutdown_grace);
  grace->async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    auto self = weak.lock();
    if (!self || ec) return;
    for (auto& s : self->state->sessions()) s->abort();
  });
  state->on_empty([self = shared_from_this()] {
    net::post(self->io, [self] { self->finished(); });
  });
}

void server::impl::finished() {
  std::vector<std::function<void()>> callbacks;
  {
    std::lock_guard lock(mutex);
    stopped = true;
    callbacks = std::move(waiting);
  }
  if (grace) grace->cancel();
  for (auto& f : callbacks) f();
}

}  // namespace rapport::connectors
