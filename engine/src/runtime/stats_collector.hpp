#pragma once
// The engine's counters for /metrics; safe to update from any thread.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "rapport/engine/engine.hpp"

namespace rapport::engine::detail {

class stats_collector {
 public:
  std::atomic<std::uint64_t> conversations_started{0};
  std::atomic<std::int64_t> conversations_active{0};
  std::atomic<std::uint64_t> messages_in{0};
  std::atomic<std::uint64_t> messages_out{0};
  std::atomic<std::uint64_t> handoffs{0};
  std::atomic<std::uint64_t> timers_fired{0};

  void blocked(const std::string& reason);
  void csat(int score);
  void turn_latency(std::chrono::steady_clock::duration d);

  // A consistent-enough copy; `bots` is filled by the caller.
  engine_stats snapshot() const;

 private:
  static constexpr std::array<double, 12> bounds_ms{1,   2,   5,    10,   25,   50,
                                                    100, 250, 500, 1000, 2500, 5000};
  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t> blocked_;
  std::array<std::uint64_t, bounds_ms.size() + 1> buckets_{};  // not cumulative; last is +Inf
  double latency_sum_ms_ = 0;
  std::array<std::uint64_t, 6> csat_{};  // by score 1..5 (index 0 unused)
};

}  // namespace rapport::engine::detail
