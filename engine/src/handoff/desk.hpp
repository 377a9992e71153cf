#pragma once
// The agent desk (rapport/engine/agent_desk.hpp) on a strand of its own: the board's decisions
// become handoff events for conversations and views for agents. It is the engine's handoff
// router. Passwords are checked on a thread of its own (argon2id takes tens of milliseconds).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include "handoff/board.hpp"
#include "rapport/engine/agent_desk.hpp"
#include "rapport/engine/handoff_router.hpp"
#include "rapport/engine/store.hpp"

namespace rapport::engine::detail {

// What the desk needs from the runtime.
struct desk_hooks {
  std::function<void(const std::string& conversation, dialogs::handoff_event)> deliver;
  // Commits a human message (author, agent, agent_name, text, client_id set) to the conversation.
  std::function<void(const std::string& conversation, transcript_entry message,
                     std::function<void(result<post_result>)> done)>
      post_human;
  std::function<void(const std::string& conversation, bool on)> typing;
  std::function<std::vector<std::string>(const std::string& bot)> flows;
  std::function<dialogs::sys_ms()> clock;
  std::function<void(std::string_view)> log;
};

class desk final : public agent_desk,
                   public handoff_router,
                   public std::enable_shared_from_this<desk> {
 public:
  desk(boost::asio::io_context& io, desk_options options, std::shared_ptr<store> storage,
       desk_hooks hooks);
  ~desk() override;

  // Agents from the store, the conversations people owned when the server stopped, the tick.
  // Start-up only; throws std::runtime_error when the store cannot be read.
  void start();
  void stop();

  // ---- handoff_router ----
  void route(handoff_ticket ticket, handoff_reply reply) override;
  void withdraw(const std::string& conversation_id) override;

  // ---- agent_desk ----
  void login(std::string agent_id, std::string password,
             std::function<void(result<std::string>)> done) override;
  void session(std::string token, std::function<void(result<agent_profile>)> done) override;
  void logout(std::string token, std::function<void()> done) override;
  subscription connect(std::string agent_id, std::function<void(const desk_view&)> listener,
                       std::function<void()> ended) override;
  void set_presence(std::string agent_id, presence p) override;
  void may_view(std::string agent_id, std::string conversation_id,
                std::function<void(bool)> done) override;
  void accept(std::string agent_id, std::string conversation_id,
              std::function<void(boost::system::error_code)> done) override;
  void decline(std::string agent_id, std::string conversation_id) override;
  void send(std::string agent_id, std::string conversation_id, std::string text,
            std::string client_id, std::function<void(result<post_result>)> done) override;
  void typing(std::string agent_id, std::string conversation_id, bool on) override;
  void return_to_bot(std::string agent_id, std::string conversation_id, std::string flow,
                     std::function<void(boost::system::error_code)> done) override;
  void transfer(std::string agent_id, std::string conversation_id, std::string team,
                std::string to_agent, std::function<void(boost::system::error_code)> done) override;
  void close(std::string agent_id, std::string conversation_id, std::string outcome,
             std::function<void(boost::system::error_code)> done) override;
  desk_stats stats() const override;

 private:
  struct connection {
    std::uint64_t id = 0;
    std::string agent;
    std::function<void(const desk_view&)> listener;
    std::function<void()> ended;
    std::shared_ptr<std::atomic<bool>> open;  // false once the subscription is dropped
    std::optional<desk_view> last;  // what it was last sent
  };

  template <class F>
  void on_strand(F&& f);
  std::int64_t now_ms() const;
  void schedule_tick();
  void tick();
  // After any change: new offers, then every connection whose view changed gets it.
  void changed();
  void unavailable(const std::string& conversation, std::string reason, std::string back_at = {});
  void requeue(board_entry e, std::string reason);
  std::int64_t expected_wait(const std::string& team) const;
  // The owner's entry, or why not.
  result<board_entry*> owned_by(const std::string& agent, const std::string& conversation);
  void disconnected(std::uint64_t connection_id);
  void count_unavailable(const std::string& reason);
  // Someone of the entry's team is online, or may be back soon (reconnecting, or just started).
  bool anyone_coming(const board_entry& e) const;
  // `rapport agents` changes the store under a running server: new teams and capacities apply,
  // removed agents' consoles are closed.
  void refresh_agents();
  std::optional<agent_profile> load_agent(const std::string& id);

  boost::asio::io_context& io_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::steady_timer tick_timer_;
  boost::asio::thread_pool hashing_{1};
  desk_options options_;
  std::shared_ptr<store> store_;
  desk_hooks hooks_;

  // ---- strand only ----
  board board_;
  std::vector<connection> connections_;
  std::uint64_t next_connection_ = 1;
  std::map<std::string, std::int64_t> disconnected_since_;  // agents with no console open
  std::map<std::string, std::deque<std::int64_t>> recent_waits_;  // team → recent times to human
  std::int64_t started_ms_ = 0;
  std::int64_t agents_checked_ms_ = 0;  // when the agents were last read from the store
  bool stopped_ = false;

  mutable std::mutex stats_mutex_;
  desk_stats stats_;
};

}  // namespace rapport::engine::detail
