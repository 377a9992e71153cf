#include "http/limiter.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace rapport::connectors::http {

connection_slot::connection_slot(std::shared_ptr<ip_limiter> limiter, std::string address)
    : limiter_(std::move(limiter)), address_(std::move(address)) {}

connection_slot& connection_slot::operator=(connection_slot&& other) noexcept {
  if (this != &other) {
    reset();
    limiter_ = std::move(other.limiter_);
    address_ = std::move(other.address_);
  }
  return *this;
}

connection_slot::~connection_slot() { reset(); }

void connection_slot::reset() {
  if (auto l = std::exchange(limiter_, nullptr)) l->release(address_);
}

ip_limiter::ip_limiter(std::size_t connections_per_ip, std::size_t messages_per_minute, clock now)
    : connections_per_ip_(connections_per_ip),
      per_minute_(static_cast<double>(messages_per_minute)),
      now_(now ? std::move(now) : clock([] { return std::chrono::steady_clock::now(); })) {}

connection_slot ip_limiter::try_connect(const std::string& address) {
  std::lock_guard lock(mutex_);
  auto& n = connections_[address];
  if (n >= connections_per_ip_) {
    if (n == 0) connections_.erase(address);
    return {};
  }
  ++n;
  return connection_slot(shared_from_this(), address);
}

void ip_limiter::release(const std::string& address) {
  std::lock_guard lock(mutex_);
  auto it = connections_.find(address);
  if (it == connections_.end()) return;
  if (--it->second == 0) connections_.erase(it);
}

std::size_t ip_limiter::connections(const std::string& address) const {
  std::lock_guard lock(mutex_);
  auto it = connections_.find(address);
  return it == connections_.end() ? 0 : it->second;
}

bool ip_limiter::allow_message(const std::string& address) {
  const auto now = now_();
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(address);
  if (it == buckets_.end()) {
    if (++inserts_since_prune_ >= 1024) prune(now);
    it = buckets_.try_emplace(address, bucket{per_minute_, now}).first;
  }
  bucket& b = it->second;
  const double elapsed_min = std::chrono::duration<double, std::ratio<60>>(now - b.at).count();
  b.tokens = std::min(per_minute_, b.tokens + std::max(0.0, elapsed_min) * per_minute_);
  b.at = now;
  if (b.tokens < 1.0) return false;
  b.tokens -= 1.0;
  return true;
}

int ip_limiter::retry_after_seconds() const {
  if (per_minute_ <= 0) return 60;
  return std::max(1, static_cast<int>(std::ceil(60.0 / per_minute_)));
}

void ip_limiter::prune(std::chrono::steady_clock::time_point now) {
  inserts_since_prune_ = 0;
  // A bucket that has refilled completely carries no information: forget it.
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    const double elapsed_min =
        std::chrono::duration<double, std::ratio<60>>(now - it->second.at).count();
    if (it->second.tokens + elapsed_min * per_minute_ >= per_minute_)
      it = buckets_.erase(it);
    else
      ++it;
  }
}

}  // namespace rapport::connectors::http
