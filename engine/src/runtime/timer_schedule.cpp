#include "runtime/timer_schedule.hpp"

#include <boost/asio/post.hpp>

namespace rapport::engine::detail {

namespace asio = boost::asio;

timer_schedule::timer_schedule(asio::io_context& io, std::function<dialogs::sys_ms()> clock,
                               std::chrono::milliseconds check, fire_handler fire)
    : strand_(asio::make_strand(io)),
      timer_(strand_),
      clock_(std::move(clock)),
      check_(check.count() > 0 ? check : std::chrono::milliseconds(1000)),
      fire_(std::move(fire)) {}

void timer_schedule::start() {
  asio::post(strand_, [self = shared_from_this()] { self->fire_due(); });
}

void timer_schedule::set(std::string conversation, std::string name, dialogs::sys_ms due,
                         std::uint64_t seq) {
  asio::post(strand_, [self = shared_from_this(), conversation = std::move(conversation),
                       name = std::move(name), due, seq] {
    if (self->stopped_) return;
    key k{conversation, name};
    if (auto it = self->entries_.find(k); it != self->entries_.end())
      self->by_due_.erase({it->second.due, conversation, name});
    self->entries_[k] = {due, seq};
    self->by_due_.insert({due, conversation, name});
    if (due < self->armed_until_) self->arm();  // sooner than the current wait
  });
}

void timer_schedule::cancel(std::string conversation, std::string name) {
  asio::post(strand_, [self = shared_from_this(), conversation = std::move(conversation),
                       name = std::move(name)] {
    auto it = self->entries_.find({conversation, name});
    if (it == self->entries_.end()) return;
    self->by_due_.erase({it->second.due, conversation, name});
    self->entries_.erase(it);
  });
}

void timer_schedule::stop() {
  asio::post(strand_, [self = shared_from_this()] {
    self->stopped_ = true;
    ++self->generation_;
    self->timer_.cancel();
    self->entries_.clear();
    self->by_due_.clear();
  });
}

void timer_schedule::fire_due() {
  if (stopped_) return;
  const auto now = clock_();
  while (!by_due_.empty() && std::get<0>(*by_due_.begin()) <= now) {
    auto [due, conversation, name] = *by_due_.begin();
    by_due_.erase(by_due_.begin());
    auto it = entries_.find({conversation, name});
    const std::uint64_t seq = it->second.seq;
    entries_.erase(it);
    fire_(conversation, name, seq);
  }
  arm();
}

void timer_schedule::arm() {
  if (stopped_) return;
  const auto now = clock_();
  auto wait = check_;
  if (!by_due_.empty()) {
    auto until_due = std::get<0>(*by_due_.begin()) - now;
    if (until_due < wait) wait = std::max(until_due, std::chrono::milliseconds(0));
  }
  armed_until_ = now + wait;
  const auto generation = ++generation_;
  timer_.expires_after(wait);
  timer_.async_wait([self = shared_from_this(), generation](boost::system::error_code) {
    if (generation == self->generation_) self->fire_due();
  });
}

}  // namespace rapport::engine::detail
