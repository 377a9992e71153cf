#pragma once
// What the visitors of one generator thread counted; merged at the end of the run.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rapport::bench {

struct stats {
  std::vector<std::uint32_t> latency_us;  // one per round trip (request → its reply)
  std::uint64_t conversations_started = 0;
  std::uint64_t conversations_done = 0;   // every step answered as scripted
  std::uint64_t round_trips = 0;
  std::uint64_t reconnects = 0;
  std::uint64_t nudges = 0;               // silent visitors' nudges received
  std::uint64_t open_loop_skipped = 0;    // arrivals with every visitor busy (open loop)
  std::map<std::string, std::uint64_t> errors;  // by kind

  void error(const std::string& kind) { ++errors[kind]; }
  std::uint64_t error_count() const;
  void merge(const stats& other);
};

struct latency_summary {
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
};
// Sorts `samples`.
latency_summary summarize(std::vector<std::uint32_t>& samples);

}  // namespace rapport::bench
