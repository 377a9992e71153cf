#pragma once
// Delivers the persisted outbox (leads for the CRM webhook) over HTTP: due rows are sent with an
// HMAC-SHA256 signature; a 2xx marks them delivered; anything else is retried with exponential
// backoff until the row expires. Rows are committed before they are sent, so a crash or restart
// loses nothing (the receiver de-duplicates by the X-Rapport-Delivery id).
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "rapport/engine/desk_options.hpp"
#include "rapport/engine/http_client.hpp"
#include "rapport/engine/store.hpp"

namespace rapport::engine::detail {

// The signature header's value for `body` at `unix_seconds`: "t=<seconds>,v1=<hex HMAC-SHA256
// of "<seconds>.<body>" keyed with the secret>".
std::string sign_delivery(std::string_view secret, std::string_view body, std::int64_t unix_seconds);

// When the attempt after `attempts` failed ones is due.
std::int64_t next_attempt_ms(const crm_webhook_options& crm, int attempts, std::int64_t now_ms);

class outbox_dispatcher : public std::enable_shared_from_this<outbox_dispatcher> {
 public:
  outbox_dispatcher(boost::asio::io_context& io, std::shared_ptr<store> storage,
                    std::shared_ptr<http_client> http, crm_webhook_options crm,
                    std::function<dialogs::sys_ms()> clock, std::function<void(std::string_view)> log,
                    std::chrono::milliseconds poll);
  void start();
  void stop();
  // Something was just committed to the outbox: look now rather than at the next poll.
  void kick();
  std::uint64_t delivered() const { return delivered_; }
  std::uint64_t failed_attempts() const { return failed_attempts_; }

 private:
  void schedule();
  void poll();
  void send(outbox_record row);
  void settle(outbox_record row, boost::system::result<http_response> r);

  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::steady_timer timer_;
  std::shared_ptr<store> store_;
  std::shared_ptr<http_client> http_;
  crm_webhook_options crm_;
  std::function<dialogs::sys_ms()> clock_;
  std::function<void(std::string_view)> log_;
  std::chrono::milliseconds poll_;
  std::set<std::int64_t> in_flight_;  // strand only
  bool stopped_ = false;              // strand only
  std::atomic<std::uint64_t> delivered_{0};
  std::atomic<std::uint64_t> failed_attempts_{0};
};

}  // namespace rapport::engine::detail
