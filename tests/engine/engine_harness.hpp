#pragma once
// An engine on a real SQLite store in a temporary directory, an io_context on a few threads, a
// fake clock, a fake HTTP client, and helpers that wait for completions with generous deadlines.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "rapport/engine/engine.hpp"
#include "rapport/engine/http_client.hpp"
#include "rapport/engine/store.hpp"
#include "test_support.hpp"

namespace rapport::engine::test {

inline std::filesystem::path fixture_bot() {
  return std::filesystem::path(RAPPORT_SOURCE_DIR) / "tests/engine/fixtures/support";
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_file(const std::filesystem::path& p, const std::string& contents) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << contents;
}

// Records requests; answers them when the test says so.
class fake_http_client final : public http_client {
 public:
  struct call {
    http_request request;
    std::function<void(boost::system::result<http_response>)> done;
  };

  void send(http_request request,
            std::function<void(boost::system::result<http_response>)> done) override {
    std::lock_guard lock(mutex_);
    calls_.push_back({std::move(request), std::move(done)});
  }

  std::size_t count() {
    std::lock_guard lock(mutex_);
    return calls_.size();
  }
  http_request request(std::size_t i) {
    std::lock_guard lock(mutex_);
    return calls_.at(i).request;
  }
  void answer(std::size_t i, int status, std::string body) {
    std::function<void(boost::system::result<http_response>)> done;
    {
      std::lock_guard lock(mutex_);
      done = std::move(calls_.at(i).done);
    }
    done(http_response{status, std::move(body)});
  }

 private:
  std::mutex mutex_;
  std::deque<call> calls_;
};

// A store that holds commits until the test opens the gate: makes "work in flight" a state the
// test controls instead of a race it hopes to win.
class gated_store final : public store {
 public:
  explicit gated_store(std::shared_ptr<store> inner) : inner_(std::move(inner)) {}

  void close_gate() {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  void open_gate() {
    std::vector<std::pair<unit_of_work, commit_handler>> held;
    {
      std::lock_guard lock(mutex_);
      closed_ = false;
      held.swap(held_);
    }
    for (auto& [w, done] : held) inner_->commit(std::move(w), std::move(done));
  }
  std::size_t held() {
    std::lock_guard lock(mutex_);
    return held_.size();
  }

  void commit(unit_of_work work, commit_handler done) override {
    {
      std::lock_guard lock(mutex_);
      if (closed_) {
        held_.emplace_back(std::move(work), std::move(done));
        return;
      }
    }
    inner_->commit(std::move(work), std::move(done));
  }
  void flush(commit_handler done) override { commit(unit_of_work{}, std::move(done)); }
  result<std::optional<stored_conversation>> conversation(std::string_view id) override {
    return inner_->conversation(id);
  }
  result<std::optional<stored_conversation>> conversation_of(std::string_view b, std::string_view c,
                                                             std::string_view u) override {
    return inner_->conversation_of(b, c, u);
  }
  result<std::vector<stored_conversation>> conversations_pending() override {
    return inner_->conversations_pending();
  }
  result<std::vector<transcript_entry>> transcript(std::string_view id, std::int64_t after,
                                                   std::size_t limit) override {
    return inner_->transcript(id, after, limit);
  }
  result<std::optional<std::int64_t>> message_seq(std::string_view id,
                                                  std::string_view client_id) override {
    return inner_->message_seq(id, client_id);
  }
  result<std::vector<stored_timer>> timers() override { return inner_->timers(); }
  result<std::optional<dialogs::bot_files>> bot_version(std::string_view b,
                                                        std::string_view v) override {
    return inner_->bot_version(b, v);
  }
  result<std::vector<lead_record>> leads(std::string_view b) override { return inner_->leads(b); }
  result<std::vector<analytics_record>> analytics(std::string_view id) override {
    return inner_->analytics(id);
  }
  result<std::vector<handoff_record>> handoffs(std::string_view id) override {
    return inner_->handoffs(id);
  }
  result<bool> opted_out(std::string_view b, std::string_view c, std::string_view u) override {
    return inner_->opted_out(b, c, u);
  }
  result<std::vector<handoff_record>> handoffs_with_people() override {
    return inner_->handoffs_with_people();
  }
  result<std::vector<agent_record>> agents() override { return inner_->agents(); }
  result<std::optional<agent_record>> agent(std::string_view id) override { return inner_->agent(id); }
  result<std::optional<agent_session_record>> agent_session(std::string_view h) override {
    return inner_->agent_session(h);
  }
  result<std::vector<outbox_record>> outbox_due(std::int64_t now, std::size_t limit) override {
    return inner_->outbox_due(now, limit);
  }
  result<std::vector<outbox_record>> outbox(std::string_view id) override { return inner_->outbox(id); }
  int schema_version() const override { return inner_->schema_version(); }

 private:
  std::shared_ptr<store> inner_;
  std::mutex mutex_;
  bool closed_ = false;
  std::vector<std::pair<unit_of_work, commit_handler>> held_;
};

class engine_harness {
 public:
  explicit engine_harness(int threads = 3) : guard_(io_.get_executor()) {
    std::filesystem::create_directories(bot_dir());
    std::filesystem::copy(fixture_bot(), bot_dir(), std::filesystem::copy_options::recursive);
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { io_.run(); });
  }
  ~engine_harness() {
    stop();
    guard_.reset();
    io_.stop();
    for (auto& t : threads_) t.join();
  }

  // The options a test may change before start().
  engine_options options;

  std::filesystem::path bot_dir() const { return dir_.path() / "bots/support"; }
  std::string data_dir() const { return dir_ / "data"; }
  std::string db_path() const { return dir_ / "data/rapport.db"; }
  fake_clock clock;
  std::shared_ptr<fake_http_client> http = std::make_shared<fake_http_client>();

  engine& start() {
    auto o = options;
    if (o.bot_folders.empty()) o.bot_folders = {bot_dir().string()};
    o.data_dir = data_dir();
    o.clock = clock.function();
    if (!o.http) o.http = http;
    o.log = [this](std::string_view line) {
      std::lock_guard lock(log_mutex_);
      log_.emplace_back(line);
    };
    if (o.timer_check == engine_options{}.timer_check) o.timer_check = std::chrono::milliseconds(5);
    if (o.reload_poll == engine_options{}.reload_poll) o.reload_poll = std::chrono::milliseconds(20);
    engine_ = engine::create(o, io_);
    return *engine_;
  }

  // Graceful: shutdown, wait for it, destroy.
  void stop() {
    if (!engine_) return;
    auto done = await<bool>([&](auto d) { engine_->shutdown([d] { d(true); }); });
    CHECK(done.has_value());
    engine_.reset();
    // A store the test passed in is not joined by the engine: drain it before io_ can go away.
    if (options.storage) {
      auto flushed = await<bool>([&](auto d) { options.storage->flush([d](auto) { d(true); }); });
      CHECK(flushed.has_value());
    }
  }
  // Like a crash between commits: the engine goes away without shutdown.
  void kill() { engine_.reset(); }

  engine& e() { return *engine_; }

  std::vector<std::string> log_lines() {
    std::lock_guard lock(log_mutex_);
    return log_;
  }
  bool logged(std::string_view needle) {
    for (const auto& l : log_lines())
      if (l.find(needle) != std::string::npos) return true;
    return false;
  }

  // ---- blocking helpers (they fail the test after the generous deadline) ----
  result<open_result> open(open_request r) {
    auto out = await<result<open_result>>([&](auto d) { e().open(std::move(r), d); });
    REQUIRE(out.has_value());
    return std::move(*out);
  }
  open_result open_ok(const std::string& user = {}, bool start = true) {
    open_request r;
    r.bot = "support";
    r.user = user;
    r.start = start;
    auto out = open(std::move(r));
    REQUIRE(out.has_value());
    return std::move(*out);
  }
  result<post_result> say(const std::string& id, const std::string& text,
                          const std::string& client_id = {}) {
    auto out = await<result<post_result>>([&](auto d) {
      e().post_message(id, dialogs::user_message{text, ""}, client_id, d);
    });
    REQUIRE(out.has_value());
    return std::move(*out);
  }
  result<post_result> event(const std::string& id, dialogs::event ev) {
    auto out = await<result<post_result>>([&](auto d) { e().post_event(id, std::move(ev), d); });
    REQUIRE(out.has_value());
    return std::move(*out);
  }
  std::vector<transcript_entry> transcript(const std::string& id, std::int64_t after = 0) {
    auto out = await<result<std::vector<transcript_entry>>>(
        [&](auto d) { e().transcript(id, after, d); });
    REQUIRE(out.has_value());
    REQUIRE(out->has_value());
    return std::move(**out);
  }
  // Waits until the transcript holds a message with that key; returns how many it holds.
  int wait_for_key(const std::string& id, const std::string& key) {
    int count = 0;
    eventually([&] {
      count = 0;
      for (const auto& entry : transcript(id)) count += entry.key == key ? 1 : 0;
      return count > 0;
    });
    return count;
  }

  // A single-value SQL query on the live database, as an operator's sqlite3 shell would run it.
  std::string sql(const std::string& query) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(db_path().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, query.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
    std::string out;
    if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
      out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return out;
  }

 private:
  temp_dir dir_;
  std::mutex log_mutex_;  // before io_: a lingering runtime may log while io_ is destroyed
  std::vector<std::string> log_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::vector<std::thread> threads_;
  std::unique_ptr<engine> engine_;
};

inline std::vector<std::string> texts(const std::vector<transcript_entry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.text);
  return out;
}

inline std::vector<std::string> keys(const std::vector<transcript_entry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.key);
  return out;
}

}  // namespace rapport::engine::test
