#include "http/server_state.hpp"

#include "http/origin.hpp"

namespace rapport::connectors::http {

server_state::server_state(engine::engine& e, server_options o)
    : engine(e),
      options(std::move(o)),
      limiter(std::make_shared<ip_limiter>(options.limits.connections_per_ip,
                                           options.limits.messages_per_minute)) {
  for (const auto& origin : options.allowed_origins) {
    auto n = normalize_origin(origin);
    if (!n.empty()) allowed_origins.push_back(std::move(n));
  }
}

std::uint64_t server_state::add_session(std::weak_ptr<session_base> s) {
  std::lock_guard lock(mutex_);
  const auto id = next_id_++;
  sessions_.emplace(id, std::move(s));
  return id;
}

void server_state::remove_session(std::uint64_t id) {
  std::function<void()> notify;
  {
    std::lock_guard lock(mutex_);
    sessions_.erase(id);
    if (sessions_.empty() && on_empty_) notify = std::exchange(on_empty_, nullptr);
  }
  if (notify) notify();
}

std::vector<std::shared_ptr<session_base>> server_state::sessions() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<session_base>> out;
  for (const auto& [id, weak] : sessions_)
    if (auto s = weak.lock()) out.push_back(std::move(s));
  return out;
}

std::size_t server_state::session_count() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

void server_state::on_empty(std::function<void()> f) {
  {
    std::lock_guard lock(mutex_);
    if (!sessions_.empty()) {
      on_empty_ = std::move(f);
      return;
    }
  }
  f();
}

}  // namespace rapport::connectors::http
