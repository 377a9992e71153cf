#pragma once
// A small in-memory rapport::engine::engine for testing connectors without the runtime: conversations,
// transcripts with seqs, de-duplication by client id, subscriptions and a trivial echo bot.
// Completions are posted to the io_context like the real engine's.
//
//   bot "echo": the start event says "Hi! What brought you here today?" with two buttons;
//   a message replies "You said: <text>" (a payload replies "Clicked: <payload>").
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "fake_desk.hpp"
#include "rapport/engine/engine.hpp"

namespace rapport::mocks {

class fake_engine : public rapport::engine::engine {
 public:
  explicit fake_engine(boost::asio::io_context& io) : io_(io), desk_(io) {}

  std::vector<std::string> bots{"echo"};
  std::atomic<int> processed_messages{0};  // messages that were really processed (not dups)
  std::atomic<bool> hold_shutdown{false};

  void open(rapport::engine::open_request request,
            std::function<void(rapport::engine::result<rapport::engine::open_result>)> done) override {
    std::unique_lock lock(mutex_);
    if (stopped_) return complete(std::move(done), rapport::engine::errc::shutting_down);
    if (std::find(bots.begin(), bots.end(), request.bot) == bots.end())
      return complete(std::move(done), rapport::engine::errc::unknown_bot);
    auto c = std::make_shared<conversation>();
    c->ref.id = "c" + std::to_string(++next_id_);
    c->ref.token = "t" + std::to_string(next_id_) + "-secret";
    c->ref.bot = request.bot;
    c->ref.channel = request.channel;
    c->ref.user = request.user.empty() ? "u" + std::to_string(next_id_) : request.user;
    c->ref.owner = "bot";
    conversations_[c->ref.id] = c;
    rapport::engine::open_result r;
    r.conversation = c->ref;
    r.created = true;
    std::vector<rapport::engine::conversation_update> updates;
    if (request.start) r.replies = start_locked(*c, updates);
    lock.unlock();
    publish(updates);
    complete(std::move(done), std::move(r));
  }

  void find(std::string id, std::string token,
            std::function<void(rapport::engine::result<rapport::engine::conversation_ref>)> done) override {
    std::lock_guard lock(mutex_);
    auto it = conversations_.find(id);
    if (it == conversations_.end() || it->second->ref.token != token)
      return complete(std::move(done), rapport::engine::errc::no_such_conversation);
    auto ref = it->second->ref;
    ref.token.clear();
    complete(std::move(done), std::move(ref));
  }

  void post_message(std::string conversation_id, dialogs::user_message message,
                    std::string client_id,
                    std::function<void(rapport::engine::result<rapport::engine::post_result>)> done) override {
    std::unique_lock lock(mutex_);
    if (stopped_) return complete(std::move(done), rapport::engine::errc::shutting_down);
    auto it = conversations_.find(conversation_id);
    if (it == conversations_.end())
      return complete(std::move(done), rapport::engine::errc::no_such_conversation);
    auto& c = *it->second;
    if (message.text.empty() && message.payload.empty())
      return complete(std::move(done), rapport::engine::errc::bad_request);
    if (!client_id.empty()) {
      for (const auto& e : c.transcript) {
        if (e.by == rapport::engine::author::visitor && e.client_id == client_id) {
          rapport::engine::post_result r;
          r.duplicate = true;
          r.seq = e.seq;
          return complete(std::move(done), std::move(r));
        }
      }
    }
    ++processed_messages;
    std::vector<rapport::engine::conversation_update> updates;
    rapport::engine::post_result r;
    r.seq = append(c, rapport::engine::author::visitor, message.text, {}, client_id, updates).seq;
    c.started = true;
    const std::string reply = message.payload.empty() ? "You said: " + message.text
                                                      : "Clicked: " + message.payload;
    r.replies.push_back(append(c, rapport::engine::author::bot, reply, {}, {}, updates));
    lock.unlock();
    publish(updates);
    complete(std::move(done), std::move(r));
  }

  void post_event(std::string conversation_id, dialogs::event e,
                  std::function<void(rapport::engine::result<rapport::engine::post_result>)> done) override {
    std::unique_lock lock(mutex_);
    if (stopped_) return complete(std::move(done), rapport::engine::errc::shutting_down);
    auto it = conversations_.find(conversation_id);
    if (it == conversations_.end())
      return complete(std::move(done), rapport::engine::errc::no_such_conversation);
    std::vector<rapport::engine::conversation_update> updates;
    rapport::engine::post_result r;
    if (std::holds_alternative<dialogs::start_event>(e)) {
      r.replies = start_locked(*it->second, updates);
    } else if (auto* n = std::get_if<dialogs::named_event>(&e)) {
      events.push_back(n->name);
      if (n->name == "proactive" && !it->second->started) {
        it->second->started = true;
        r.replies.push_back(append(*it->second, rapport::engine::author::bot,
                                   "Can I help you find anything?", {}, {}, updates));
      }
    }
    lock.unlock();
    publish(updates);
    complete(std::move(done), std::move(r));
  }

  void typing(std::string conversation_id, rapport::engine::author who, bool on) override {
    rapport::engine::conversation_update u;
    u.what = rapport::engine::conversation_update::kind::typing;
    u.conversation_id = conversation_id;
    u.who = who;
    u.typing = on;
    publish({u});
  }

  void seen(std::string conversation_id, rapport::engine::author who, std::int64_t seq) override {
    rapport::engine::conversation_update u;
    u.what = rapport::engine::conversation_update::kind::seen;
    u.conversation_id = conversation_id;
    u.who = who;
    u.seen_seq = seq;
    publish({u});
  }

  void transcript(std::string conversation_id, std::int64_t after_seq,
                  std::function<void(rapport::engine::result<std::vector<rapport::engine::transcript_entry>>)> done)
      override {
    std::lock_guard lock(mutex_);
    auto it = conversations_.find(conversation_id);
    if (it == conversations_.end())
      return complete(std::move(done), rapport::engine::errc::no_such_conversation);
    std::vector<rapport::engine::transcript_entry> out;
    for (const auto& e : it->second->transcript)
      if (e.seq > after_seq) out.push_back(e);
    complete(std::move(done), std::move(out));
  }

  rapport::engine::subscription subscribe(std::string conversation_id,
                                 std::function<void(const rapport::engine::conversation_update&)> listener)
      override {
    std::lock_guard lock(mutex_);
    const auto id = ++next_subscription_;
    subscribers_[id] = {conversation_id, std::make_shared<decltype(listener)>(std::move(listener))};
    return rapport::engine::subscription([this, id] {
      std::lock_guard lock(mutex_);
      subscribers_.erase(id);
    });
  }

  rapport::engine::engine_stats stats() const override {
    std::lock_guard lock(mutex_);
    rapport::engine::engine_stats s;
    s.conversations_started = next_id_;
    s.conversations_active = conversations_.size();
    s.messages_in = static_cast<std::uint64_t>(processed_messages.load());
    s.blocked_by_reason = {{"max_unanswered", 2}};
    for (const auto& b : bots) s.bots.emplace_back(b, "v1");
    s.turn_latency_buckets_ms = {5, 50, 500};
    s.turn_latency_counts = {1, 2, 3, 3};
    s.turn_latency_sum_ms = 42;
    return s;
  }

  rapport::engine::agent_desk& desk() override { return desk_; }

  void shutdown(std::function<void()> done) override {
    {
      std::lock_guard lock(mutex_);
      stopped_ = true;
    }
    boost::asio::post(io_, std::move(done));
  }

  // Test helpers.
  void say_as_agent(const std::string& conversation_id, const std::string& text) {
    std::unique_lock lock(mutex_);
    auto& c = *conversations_.at(conversation_id);
    std::vector<rapport::engine::conversation_update> updates;
    append(c, rapport::engine::author::human, text, {}, {}, updates);
    rapport::engine::conversation_update o;
    o.what = rapport::engine::conversation_update::kind::owner;
    o.conversation_id = conversation_id;
    o.owner = c.ref.owner = "human";
    updates.push_back(o);
    lock.unlock();
    publish(updates);
  }
  std::vector<rapport::engine::transcript_entry> entries(const std::string& conversation_id) {
    std::lock_guard lock(mutex_);
    return conversations_.at(conversation_id)->transcript;
  }
  std::size_t subscriber_count() {
    std::lock_guard lock(mutex_);
    return subscribers_.size();
  }
  std::vector<std::string> events;

 private:
  struct conversation {
    rapport::engine::conversation_ref ref;
    std::vector<rapport::engine::transcript_entry> transcript;
    bool started = false;
  };

  template <class T, class F>
  void complete(F&& done, T&& value) {
    boost::asio::post(io_, [done = std::forward<F>(done), value = std::forward<T>(value)]() mutable {
      if constexpr (std::is_same_v<std::decay_t<T>, rapport::engine::errc>)
        done(boost::system::error_code(value));
      else
        done(std::move(value));
    });
  }

  rapport::engine::transcript_entry& append(conversation& c, rapport::engine::author by, std::string text,
                                   std::vector<dialogs::button> buttons, std::string client_id,
                                   std::vector<rapport::engine::conversation_update>& updates) {
    rapport::engine::transcript_entry e;
    e.seq = static_cast<std::int64_t>(c.transcript.size()) + 1;
    e.by = by;
    e.text = std::move(text);
    e.buttons = std::move(buttons);
    e.client_id = std::move(client_id);
    e.at_ms = 1'700'000'000'000 + e.seq;
    if (by == rapport::engine::author::bot) e.key = "reply";
    c.transcript.push_back(e);
    rapport::engine::conversation_update u;
    u.what = rapport::engine::conversation_update::kind::message;
    u.conversation_id = c.ref.id;
    u.message = e;
    updates.push_back(std::move(u));
    return c.transcript.back();
  }

  std::vector<rapport::engine::transcript_entry> start_locked(conversation& c,
                                                     std::vector<rapport::engine::conversation_update>& updates) {
    if (c.started) return {};
    c.started = true;
    return {append(c, rapport::engine::author::bot, "Hi! What brought you here today?",
                   {{"Pricing", "pricing"}, {"Just browsing", "browsing"}}, {}, updates)};
  }

  void publish(const std::vector<rapport::engine::conversation_update>& updates) {
    std::vector<std::pair<std::string, std::shared_ptr<std::function<void(const rapport::engine::conversation_update&)>>>> subs;
    {
      std::lock_guard lock(mutex_);
      for (const auto& [id, s] : subscribers_) subs.push_back(s);
    }
    for (const auto& u : updates)
      for (const auto& [conv, listener] : subs)
        if (conv == u.conversation_id) (*listener)(u);
  }

  boost::asio::io_context& io_;
  fake_desk desk_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<conversation>> conversations_;
  std::map<std::uint64_t, std::pair<std::string, std::shared_ptr<std::function<void(const rapport::engine::conversation_update&)>>>> subscribers_;
  std::uint64_t next_id_ = 0;
  std::uint64_t next_subscription_ = 0;
  bool stopped_ = false;
};

}  // namespace rapport::mocks
