#pragma once
// The state a run shares between its generator threads, and what each thread owns.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "options.hpp"
#include "script.hpp"
#include "stats.hpp"
#include "verify_check.hpp"

namespace rapport::bench {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using steady = std::chrono::steady_clock;

struct shared_run {
  const options& opt;
  const script& steps;
  steady::time_point deadline;
  std::atomic<std::size_t> started{0};
  std::atomic<std::size_t> idle{0};  // hold mode: visitors done with their turns
  std::atomic<bool> stopping{false};

  // Claims the next conversation; false when the run is over.
  bool take_conversation();
  std::size_t steps_per_conversation() const;
};

struct generator_thread {
  shared_run& run;
  unsigned index = 0;
  net::io_context io{1};
  stats st;
  std::vector<conversation_record> records;  // kept with --verify only
  std::size_t active = 0;                    // conversations in progress (open loop)

  generator_thread(shared_run& r, unsigned i) : run(r), index(i) {}
  // Source address of a visitor's connections: 127.0.0.1 .. 127.0.0.<sources>.
  net::ip::address_v4 source_for(std::size_t visitor) const;
};

// One visitor playing conversations until the run is over (closed loop) or exactly one
// conversation (open loop: `once`). Widget and echo modes.
net::awaitable<void> websocket_visitor(generator_thread& t, std::size_t visitor, bool silent, bool once);
// The same over the REST API.
net::awaitable<void> rest_visitor(generator_thread& t, std::size_t visitor, bool once);
// Checks every record against GET /api/v1/conversations/{id}/transcript; failures → t.st.errors.
net::awaitable<void> verify_records(generator_thread& t);

// Opens a TCP connection to the server from the visitor's source address.
net::awaitable<boost::system::error_code> connect_from(tcp::socket& socket, const options& opt,
                                                      net::ip::address_v4 source);

}  // namespace rapport::bench
