#include "runtime/stats_collector.hpp"

namespace rapport::engine::detail {

void stats_collector::blocked(const std::string& reason) {
  std::lock_guard lock(mutex_);
  ++blocked_[reason];
}

void stats_collector::csat(int score) {
  if (score < 1 || score > 5) return;
  std::lock_guard lock(mutex_);
  ++csat_[score];
}

void stats_collector::turn_latency(std::chrono::steady_clock::duration d) {
  const double ms = std::chrono::duration<double, std::milli>(d).count();
  std::size_t bucket = 0;
  while (bucket < bounds_ms.size() && ms > bounds_ms[bucket]) ++bucket;
  std::lock_guard lock(mutex_);
  ++buckets_[bucket];
  latency_sum_ms_ += ms;
}

engine_stats stats_collector::snapshot() const {
  engine_stats out;
  out.conversations_started = conversations_started;
  out.conversations_active = std::uint64_t(std::max<std::int64_t>(0, conversations_active));
  out.messages_in = messages_in;
  out.messages_out = messages_out;
  out.handoffs = handoffs;
  out.timers_fired = timers_fired;
  out.turn_latency_buckets_ms.assign(bounds_ms.begin(), bounds_ms.end());
  std::lock_guard lock(mutex_);
  for (const auto& [reason, count] : blocked_) out.blocked_by_reason.emplace_back(reason, count);
  std::uint64_t cumulative = 0;
  for (auto count : buckets_) {
    cumulative += count;
    out.turn_latency_counts.push_back(cumulative);
  }
  out.turn_latency_sum_ms = latency_sum_ms_;
  out.csat_by_score.assign(csat_.begin(), csat_.end());
  return out;
}

}  // namespace rapport::engine::detail
