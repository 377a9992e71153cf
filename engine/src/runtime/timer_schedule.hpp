#pragma once
// The in-memory side of durable timers: what is due when. The rows live in the store; this
// schedule only decides when to fire. One asio timer serves every conversation: it sleeps until
// the earliest due time or `check` (whichever is sooner), then reads the injected clock — so a
// test moving a fake clock sees its timers fire within one `check`.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "rapport/dialogs/conversation.hpp"

namespace rapport::engine::detail {

class timer_schedule : public std::enable_shared_from_this<timer_schedule> {
 public:
  using fire_handler =
      std::function<void(const std::string& conversation, const std::string& name, std::uint64_t seq)>;

  timer_schedule(boost::asio::io_context& io, std::function<dialogs::sys_ms()> clock,
                 std::chrono::milliseconds check, fire_handler fire);

  // All thread-safe; the work happens on the schedule's strand.
  void start();
  void set(std::string conversation, std::string name, dialogs::sys_ms due, std::uint64_t seq);
  void cancel(std::string conversation, std::string name);
  void stop();

 private:
  using key = std::pair<std::string, std::string>;  // conversation, timer name
  struct entry {
    dialogs::sys_ms due;
    std::uint64_t seq;
  };

  void fire_due();
  void arm();

  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::steady_timer timer_;
  std::function<dialogs::sys_ms()> clock_;
  std::chrono::milliseconds check_;
  fire_handler fire_;

  // strand only
  std::map<key, entry> entries_;
  std::set<std::tuple<dialogs::sys_ms, std::string, std::string>> by_due_;
  std::uint64_t generation_ = 0;  // the armed wait; older waits finishing are ignored
  dialogs::sys_ms armed_until_{};
  bool stopped_ = false;
};

}  // namespace rapport::engine::detail
