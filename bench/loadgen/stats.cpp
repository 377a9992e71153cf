#include "stats.hpp"

#include <algorithm>

namespace rapport::bench {

std::uint64_t stats::error_count() const {
  std::uint64_t n = 0;
  for (const auto& [kind, count] : errors) n += count;
  return n;
}

void stats::merge(const stats& o) {
  latency_us.insert(latency_us.end(), o.latency_us.begin(), o.latency_us.end());
  conversations_started += o.conversations_started;
  conversations_done += o.conversations_done;
  round_trips += o.round_trips;
  reconnects += o.reconnects;
  nudges += o.nudges;
  open_loop_skipped += o.open_loop_skipped;
  for (const auto& [kind, count] : o.errors) errors[kind] += count;
}

latency_summary summarize(std::vector<std::uint32_t>& samples) {
  latency_summary s;
  if (samples.empty()) return s;
  std::sort(samples.begin(), samples.end());
  auto at = [&](double q) {
    const auto i = static_cast<std::size_t>(q * static_cast<double>(samples.size() - 1) + 0.5);
    return samples[std::min(i, samples.size() - 1)] / 1000.0;
  };
  s.p50_ms = at(0.50);
  s.p90_ms = at(0.90);
  s.p99_ms = at(0.99);
  s.max_ms = samples.back() / 1000.0;
  return s;
}

}  // namespace rapport::bench
