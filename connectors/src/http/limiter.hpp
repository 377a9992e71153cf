#pragma once
// Per-client-address limits shared by every connection: open connections and a message rate
// (token bucket). Thread-safe; the clock is injectable so tests need no sleeping.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace rapport::connectors::http {

class ip_limiter;

// Holds one connection slot of an address; releases it when destroyed.
class connection_slot {
 public:
  connection_slot() = default;
  connection_slot(std::shared_ptr<ip_limiter> limiter, std::string address);
  connection_slot(connection_slot&&) noexcept = default;
  connection_slot& operator=(connection_slot&& other) noexcept;
  ~connection_slot();
  void reset();
  explicit operator bool() const { return limiter_ != nullptr; }

 private:
  std::shared_ptr<ip_limiter> limiter_;
  std::string address_;
};

class ip_limiter : public std::enable_shared_from_this<ip_limiter> {
 public:
  using clock = std::function<std::chrono::steady_clock::time_point()>;
  ip_limiter(std::size_t connections_per_ip, std::size_t messages_per_minute, clock now = {});

  // A slot, or an empty one when the address already has connections_per_ip connections.
  connection_slot try_connect(const std::string& address);
  // Takes one token of the address's bucket; false when it is empty (rate limited).
  bool allow_message(const std::string& address);
  // Seconds until the next token (for Retry-After); at least 1.
  int retry_after_seconds() const;

  std::size_t connections(const std::string& address) const;

 private:
  friend class connection_slot;
  void release(const std::string& address);
  struct bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point at;
  };
  void prune(std::chrono::steady_clock::time_point now);

  const std::size_t connections_per_ip_;
  const double per_minute_;
  clock now_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::size_t> connections_;
  std::unordered_map<std::string, bucket> buckets_;
  std::size_t inserts_since_prune_ = 0;
};

}  // namespace rapport::connectors::http
