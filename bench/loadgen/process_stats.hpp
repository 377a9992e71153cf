#pragma once
// CPU time and memory of a process, from /proc/<pid>/stat and /proc/<pid>/status.
#include <cstdint>

namespace rapport::bench {

struct process_sample {
  bool valid = false;             // false: no such process (or no --server-pid)
  double cpu_seconds = 0;         // user + system
  std::uint64_t rss_bytes = 0;    // VmRSS
  std::uint64_t peak_rss_bytes = 0;  // VmHWM
};

process_sample sample_process(int pid);

}  // namespace rapport::bench
