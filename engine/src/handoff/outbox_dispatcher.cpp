#include "handoff/outbox_dispatcher.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <boost/asio/post.hpp>

namespace rapport::engine::detail {

namespace asio = boost::asio;

std::string sign_delivery(std::string_view secret, std::string_view body, std::int64_t unix_seconds) {
  const std::string stamp = std::to_string(unix_seconds);
  const std::string signed_text = stamp + "." + std::string(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size(), mac, &length);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "t=" + stamp + ",v1=";
  for (unsigned i = 0; i < length; ++i) {
    out += hex[mac[i] >> 4];
    out += hex[mac[i] & 15];
  }
  return out;
}

std::int64_t next_attempt_ms(const crm_webhook_options& crm, int attempts, std::int64_t now_ms) {
  std::int64_t wait = crm.retry_base.count();
  for (int i = 1; i < attempts && wait < crm.retry_max.count(); ++i) wait *= 2;
  return now_ms + std::min<std::int64_t>(wait, crm.retry_max.count());
}

outbox_dispatcher::outbox_dispatcher(asio::io_context& io, std::shared_ptr<store> storage,
                                     std::shared_ptr<http_client> http, crm_webhook_options crm,
                                     std::function<dialogs::sys_ms()> clock,
                                     std::function<void(std::string_view)> log,
                                     std::chrono::milliseconds poll)
    : strand_(asio::make_strand(io)),
      timer_(strand_),
      store_(std::move(storage)),
      http_(std::move(http)),
      crm_(std::move(crm)),
      clock_(std::move(clock)),
      log_(std::move(log)),
      poll_(poll) {}

void outbox_dispatcher::start() {
  asio::post(strand_, [self = shared_from_this()] { self->poll(); });
}

void outbox_dispatcher::stop() {
  asio::post(strand_, [self = shared_from_this()] {
    self->stopped_ = true;
    self->timer_.cancel();
  });
}

void outbox_dispatcher::kick() {
  asio::post(strand_, [self = shared_from_this()] {
    if (!self->stopped_) self->poll();
  });
}

void outbox_dispatcher::schedule() {
  timer_.expires_after(poll_);
  timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    if (auto self = weak.lock(); self && !ec) self->poll();
  });
}

void outbox_dispatcher::poll() {
  if (stopped_) return;
  if (crm_.url.empty() || !http_) return;  // nowhere to send: rows wait for a configured URL
  const auto now_ms = clock_().time_since_epoch().count();
  auto due = store_->outbox_due(now_ms, 32);
  if (!due) {
    log_("rapport: outbox: cannot read due deliveries: " + due.error().message());
  } else {
    for (auto& row : *due)
      if (in_flight_.insert(row.id).second) send(std::move(row));
  }
  schedule();
}

void outbox_dispatcher::send(outbox_record row) {
  const auto now = clock_();
  if (now.time_since_epoch().count() >= row.expires_ms)
    return settle(std::move(row), boost::system::result<http_response>(http_response{0, "expired"}));
  http_request request;
  request.url = crm_.url;
  request.body = row.body;
  request.timeout = crm_.timeout;
  request.max_response_bytes = 64 * 1024;
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  request.headers = {{"Content-Type", "application/json"},
                     {"X-Rapport-Event", "lead"},
                     {"X-Rapport-Delivery", std::to_string(row.id)},
                     {"X-Rapport-Signature", sign_delivery(crm_.secret, row.body, seconds)}};
  http_->send(std::move(request), [weak = weak_from_this(), row = std::move(row)](
                                      boost::system::result<http_response> r) mutable {
    auto self = weak.lock();
    if (!self) return;
    asio::post(self->strand_, [self, row = std::move(row), r = std::move(r)]() mutable {
      self->settle(std::move(row), std::move(r));
    });
  });
}

void outbox_dispatcher::settle(outbox_record row, boost::system::result<http_response> r) {
  const auto now_ms = clock_().time_since_epoch().count();
  outbox_update u;
  u.id = row.id;
  u.at_ms = now_ms;
  u.attempts = row.attempts + 1;
  if (r && r->status >= 200 && r->status < 300) {
    u.status = "delivered";
    ++delivered_;
  } else {
    ++failed_attempts_;
    u.last_error = !r ? r.error().message() : "HTTP " + std::to_string(r->status);
    u.next_attempt_ms = next_attempt_ms(crm_, u.attempts, now_ms);
    u.status = u.next_attempt_ms >= row.expires_ms ? "expired" : "pending";
    if (u.status == "expired")
      log_("rapport: outbox: delivery " + std::to_string(row.id) + " of conversation " +
           row.conversation_id + " expired after " + std::to_string(u.attempts) +
           " attempts (last: " + u.last_error + ")");
  }
  unit_of_work w;
  w.outbox_updates.push_back(std::move(u));
  store_->commit(std::move(w), [weak = weak_from_this(), id = row.id](boost::system::error_code) {
    if (auto self = weak.lock())
      asio::post(self->strand_, [self, id] { self->in_flight_.erase(id); });
  });
}

}  // namespace rapport::engine::detail
