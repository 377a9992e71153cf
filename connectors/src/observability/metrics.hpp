#pragma once
// Server counters and the Prometheus text exposition of them plus the engine's statistics.
#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "rapport/connectors/server.hpp"
#include "rapport/engine/agent_desk.hpp"
#include "rapport/engine/engine.hpp"

namespace rapport::connectors::observability {

// Lock-free counters updated by every connection.
struct counters {
  std::atomic<std::uint64_t> connections_total{0};
  std::atomic<std::uint64_t> connections_active{0};
  std::atomic<std::uint64_t> websockets_total{0};
  std::atomic<std::uint64_t> websockets_active{0};
  std::atomic<std::uint64_t> frames_in{0};
  std::atomic<std::uint64_t> frames_out{0};
  std::atomic<std::uint64_t> rate_limited_messages{0};
  std::atomic<std::uint64_t> rate_limited_connections{0};
  std::atomic<std::uint64_t> slow_clients_dropped{0};
  std::atomic<std::uint64_t> bad_requests{0};  // malformed HTTP, JSON or frames
  std::array<std::atomic<std::uint64_t>, 600> responses_by_status{};  // index: status code

  void count_response(unsigned status) {
    if (status < responses_by_status.size()) responses_by_status[status].fetch_add(1);
  }
  server_stats snapshot() const;
};

// Every reason a message can be blocked for: the dialog send gate's (dialogs/src/interpreter/
// send_gate.cpp) and the engine's proactive cap. /metrics shows each of them from the start, at 0
// until it happens, so dashboards and alerts see the series before the first block.
inline constexpr std::array<std::string_view, 5> block_reasons{
    "max_unanswered", "promo", "opted_out", "human_owner", "proactive_cap"};

// Prometheus text format 0.0.4 ("text/plain; version=0.0.4").
std::string render_prometheus(const engine::engine_stats& engine, const counters& server,
                              const engine::desk_stats& desk = {});

// Escapes a label value (\, " and newline).
std::string escape_label(std::string_view value);

}  // namespace rapport::connectors::observability
