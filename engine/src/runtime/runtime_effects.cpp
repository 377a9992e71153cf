// What a committed turn sets in motion: updates to subscribers, handoff routing, webhook calls,
// and timers firing.
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "runtime/env_substitution.hpp"
#include "runtime/runtime.hpp"
#include "runtime/value_json.hpp"

namespace rapport::engine::detail {

namespace asio = boost::asio;

void runtime::notify(conversation_slot& s, const std::vector<conversation_update>& updates) {
  if (updates.empty()) return;
  std::vector<listener> listeners;
  {
    std::lock_guard lock(s.listeners_mutex);
    for (const auto& [key, l] : s.listeners) listeners.push_back(l);
  }
  // Outside the lock: a listener may unsubscribe (or subscribe) from inside its call.
  for (const auto& u : updates)
    for (const auto& l : listeners) l(u);
}

void runtime::route_handoffs(const conversation_slot& s, const turn_record& r) {
  for (const auto& ticket : r.handoffs) {
    router_->route(ticket, [weak = weak_from_this(), id = s.id](dialogs::handoff_event e) {
      if (auto self = weak.lock())
        if (!self->enqueue_internal(id, job_kind::follow_up, std::move(e)))
          self->log("rapport: conversation " + id +
                    ": a handoff answer arrived after shutdown; it is asked again at start");
    });
  }
}

void runtime::recover_handoff(conversation_slot& s) {
  if (s.row.pending != "handoff") return;
  auto requests = store_->handoffs(s.id);
  handoff_ticket ticket{s.id, s.row.bot, s.row.channel, s.model->default_team, "", {}};
  if (requests && !requests->empty()) {
    const auto& last = requests->back();
    ticket.team = last.team;
    ticket.reason = last.reason;
    ticket.summary = value_map_from_json(last.summary_json);
    ticket.requested_ms = last.requested_ms;
  }
  turn_record r;
  r.handoffs.push_back(std::move(ticket));
  route_handoffs(s, r);
}

namespace {

// The first of the client's answer and the engine's own deadline wins.
struct webhook_call {
  std::atomic<bool> answered{false};
  strand_type strand;
  asio::steady_timer guard;  // used on `strand` only
  explicit webhook_call(asio::io_context& io) : strand(asio::make_strand(io)), guard(strand) {}
};

}  // namespace

void runtime::call_webhook(const std::string& id, const dialogs::webhook_request& w) {
  const auto env = process_environment();
  auto missing = [&](std::string_view name) {
    log("rapport: webhook '" + w.webhook + "': environment variable " + std::string(name) +
        " is not set");
  };
  http_request request;
  request.method = w.method.empty() ? "POST" : w.method;
  request.url = substitute_env(w.url, env, missing);
  for (const auto& [name, value] : w.headers)
    request.headers.emplace_back(name, substitute_env(value, env, missing));
  request.headers.emplace_back("Content-Type", "application/json");
  request.body = w.body;
  request.timeout = w.timeout.count() > 0 ? w.timeout : std::chrono::milliseconds(5000);
  request.max_response_bytes = options_.max_webhook_response_bytes;

  ++in_flight_;  // shutdown waits for the answer (bounded by the timeout)
  auto call = std::make_shared<webhook_call>(io_);
  auto deliver = [weak = weak_from_this(), id, call](dialogs::webhook_result r) {
    if (call->answered.exchange(true)) return;
    asio::post(call->strand, [call] { call->guard.cancel(); });
    auto self = weak.lock();
    if (!self) return;
    self->enqueue_internal(id, job_kind::follow_up, std::move(r));
    self->release(false);
  };
  if (!http_) {
    deliver(dialogs::webhook_result{false, 0, ""});
    return;
  }
  // Should the client never answer, the conversation still moves on (the on_error path).
  asio::post(call->strand, [call, deliver, wait = request.timeout + std::chrono::seconds(1)] {
    if (call->answered) return;
    call->guard.expires_after(wait);
    call->guard.async_wait([deliver](boost::system::error_code ec) {
      if (!ec) deliver(dialogs::webhook_result{false, 0, ""});
    });
  });
  http_->send(std::move(request), [deliver](boost::system::result<http_response> r) {
    if (!r) return deliver(dialogs::webhook_result{false, 0, ""});
    const bool ok = r->status >= 200 && r->status < 300;
    deliver(dialogs::webhook_result{ok, r->status, std::move(r->body)});
  });
}

void runtime::on_timer(const std::string& id, const std::string& name, std::uint64_t seq) {
  enqueue_internal(id, job_kind::timer, dialogs::timer_fired{name, seq});
}

}  // namespace rapport::engine::detail
