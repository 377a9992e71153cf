#pragma once
// CPU time and memory of a process, from /proc/<pid>/stat and /proc/<pid>/status.
#include <cstdint>
#include <optional>

namespace rapport::bench {

struct process_sample {
  double cpu_seconds = 0;         // user + system
  std::uint64_t rss_bytes = 0;    // VmRSS
  std::uint64_t peak_rss_bytes = 0;  // VmHWM
};

std::optional<process_sample> sample_process(int pid);

}  // namespace rapport::bench
