#pragma once
// Helpers for engine tests: temporary data directories, waiting on conditions with generous
// deadlines (never on durations), a fake clock.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "rapport/dialogs/conversation.hpp"

namespace rapport::engine::test {

// A fresh directory under the system temp folder, removed afterwards.
class temp_dir {
 public:
  temp_dir() {
    auto base = std::filesystem::temp_directory_path() / "rapport-engine-test-XXXXXX";
    std::string pattern = base.string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Generous: conditions are met in milliseconds; the deadline only stops a hung test.
inline constexpr std::chrono::seconds deadline{30};

// Polls `condition` until true or the deadline passes; returns its last value.
inline bool eventually(const std::function<bool()>& condition) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

// Calls `start(callback)` and waits for the callback's value.
template <class T>
std::optional<T> await(const std::function<void(std::function<void(T)>)>& start) {
  auto promise = std::make_shared<std::promise<T>>();
  auto future = promise->get_future();
  start([promise](T value) { promise->set_value(std::move(value)); });
  if (future.wait_for(deadline) != std::future_status::ready) return std::nullopt;
  return future.get();
}

// A clock tests move by hand.
class fake_clock {
 public:
  explicit fake_clock(dialogs::sys_ms start = dialogs::sys_ms(std::chrono::hours(24 * 20000)))
      : now_(start.time_since_epoch().count()) {}
  dialogs::sys_ms now() const { return dialogs::sys_ms(std::chrono::milliseconds(now_.load())); }
  void advance(std::chrono::milliseconds by) { now_ += by.count(); }
  std::function<dialogs::sys_ms()> function() {
    return [this] { return now(); };
  }

 private:
  std::atomic<std::int64_t> now_;
};

}  // namespace rapport::engine::test
