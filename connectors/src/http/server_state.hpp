#pragma once
// What every connection of one server shares: options, the engine, the per-IP limiter, the
// counters, and the registry of open sessions that graceful shutdown walks.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "http/limiter.hpp"
#include "observability/metrics.hpp"
#include "rapport/connectors/server.hpp"
#include "rapport/engine/engine.hpp"

namespace rapport::connectors::http {

// A connection the server can ask to finish (graceful) or cut (abort). Both may be called from
// any thread; implementations post to their strand.
class session_base {
 public:
  virtual ~session_base() = default;
  virtual void shutdown() = 0;
  virtual void abort() = 0;
};

struct server_state : std::enable_shared_from_this<server_state> {
  server_state(engine::engine& e, server_options o);

  engine::engine& engine;
  const server_options options;
  std::vector<std::string> allowed_origins;  // normalised
  std::shared_ptr<ip_limiter> limiter;
  observability::counters counters;
  std::atomic<bool> draining{false};

  // Session registry.
  std::uint64_t add_session(std::weak_ptr<session_base> s);
  void remove_session(std::uint64_t id);
  std::vector<std::shared_ptr<session_base>> sessions() const;
  std::size_t session_count() const;
  // Called (once, from whichever thread removes the last session) when the registry empties
  // while draining.
  void on_empty(std::function<void()> f);

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::uint64_t, std::weak_ptr<session_base>> sessions_;
  std::uint64_t next_id_ = 1;
  std::function<void()> on_empty_;
};

// Decrements the active-connection gauge when the connection ends, whichever session owns it.
class connection_guard {
 public:
  explicit connection_guard(std::shared_ptr<server_state> s) : state_(std::move(s)) {
    state_->counters.connections_total.fetch_add(1);
    state_->counters.connections_active.fetch_add(1);
  }
  ~connection_guard() { state_->counters.connections_active.fetch_sub(1); }
  connection_guard(const connection_guard&) = delete;
  connection_guard& operator=(const connection_guard&) = delete;

 private:
  std::shared_ptr<server_state> state_;
};

}  // namespace rapport::connectors::http
