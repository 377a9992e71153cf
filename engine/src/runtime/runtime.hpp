#pragma once
// The engine's runtime: conversations on strands over the application's io_context, a store
// with group commit, durable timers, the bot registry with hot reload, handoffs and webhooks
// through interfaces.
//
// A conversation's events queue on its slot and run one at a time: load (memory, else store,
// with its pinned bot version) → de-duplicate → dialogs::advance → commit everything the turn
// wrote in one unit of work → complete the caller → push updates to subscribers → start the
// turn's side effects (handoff routing, webhook calls, timers). Different conversations run in
// parallel on the io_context's threads, and their commits share transactions.
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "handoff/desk.hpp"
#include "handoff/outbox_dispatcher.hpp"
#include "rapport/engine/engine.hpp"
#include "rapport/engine/handoff_router.hpp"
#include "rapport/engine/http_client.hpp"
#include "rapport/engine/store.hpp"
#include "runtime/bot_registry.hpp"
#include "runtime/conversation_slot.hpp"
#include "runtime/stats_collector.hpp"
#include "runtime/timer_schedule.hpp"
#include "runtime/turn_record.hpp"

namespace rapport::engine::detail {

class runtime : public std::enable_shared_from_this<runtime> {
 public:
  runtime(const engine_options& options, boost::asio::io_context& io);
  ~runtime();

  // Opens the store, loads the bots, re-arms timers, recovers interrupted side effects.
  // Throws std::runtime_error (start-up only).
  void start();
  // The engine handle is gone: stop timers and take no more events.
  void close();

  void open(open_request request, std::function<void(result<open_result>)> done);
  void find(std::string id, std::string token, std::function<void(result<conversation_ref>)> done);
  void post_message(std::string id, dialogs::user_message message, std::string client_id,
                    post_handler done);
  void post_event(std::string id, dialogs::event e, post_handler done);
  void typing(std::string id, author who, bool on);
  void seen(std::string id, author who, std::int64_t seq);
  void transcript(std::string id, std::int64_t after_seq,
                  std::function<void(result<std::vector<transcript_entry>>)> done);
  subscription subscribe(std::string id, listener l);
  engine_stats stats() const;
  agent_desk& desk() { return *desk_; }
  void shutdown(std::function<void()> done);

  // A person's message to the visitor: committed to the transcript like a visitor's, without
  // the interpreter (the bot is silent while a person owns the conversation).
  void post_human(std::string id, transcript_entry message, post_handler done);

 private:
  struct turn_in_progress;
  using slot_ptr = std::shared_ptr<conversation_slot>;

  // ---- admission (runtime_api.cpp) ----
  boost::system::error_code admit();  // one more external event, or why not
  void release(bool counted);          // an event (or webhook call) finished
  template <class T>
  void fail_soon(std::function<void(result<T>)> done, boost::system::error_code ec);
  void open_now(open_request request, std::shared_ptr<const dialogs::bot_model> model,
                std::function<void(result<open_result>)> done, std::string user_key);
  void run_keyed(const std::string& key, std::function<void()> task);
  void release_key(const std::string& key);

  // ---- conversation jobs (runtime_turns.cpp) ----
  void enqueue(const std::string& id, job j);
  // The engine's own follow-up events; false when the engine no longer takes them.
  bool enqueue_internal(const std::string& id, job_kind kind, dialogs::event e);
  void pump(const slot_ptr& s);
  void run_job(const slot_ptr& s, job j);
  boost::system::error_code load(conversation_slot& s);
  bool answer_duplicate(conversation_slot& s, job& j);
  void begin_turn(const slot_ptr& s, job j);
  void finish_turn(const slot_ptr& s, std::shared_ptr<turn_in_progress> t,
                   boost::system::error_code ec);
  void complete(job& j, result<post_result> r);
  // The leads a turn produces (a handoff was asked for, an agent closed the conversation) and
  // their CRM deliveries, into the turn's unit of work.
  void record_leads(turn_in_progress& t, const job& j, std::int64_t now_ms);
  void try_evict(const slot_ptr& s);

  // ---- after a commit (runtime_effects.cpp) ----
  void notify(conversation_slot& s, const std::vector<conversation_update>& updates);
  // Typing and read receipts: straight to the subscribers, nothing stored.
  void notify_transient(std::string id, conversation_update u);
  void route_handoffs(const conversation_slot& s, const turn_record& r);
  void call_webhook(const std::string& id, const dialogs::webhook_request& w);
  void recover_handoff(conversation_slot& s);
  void on_timer(const std::string& id, const std::string& name, std::uint64_t seq);

  // ---- lifecycle (runtime_lifecycle.cpp) ----
  void rearm_timers();
  void recover_pending();
  void schedule_reload();
  void schedule_sweep();
  void sweep();
  void maybe_finish_shutdown();
  void start_desk();
  void log(std::string_view line) const;

  engine_options options_;
  boost::asio::io_context& io_;
  std::function<dialogs::sys_ms()> clock_;
  std::shared_ptr<store> store_;
  std::shared_ptr<bot_registry> registry_;
  std::shared_ptr<detail::desk> desk_;
  std::shared_ptr<handoff_router> router_;  // the desk, unless options.handoff replaces it
  std::shared_ptr<outbox_dispatcher> outbox_;
  std::shared_ptr<http_client> http_;
  std::shared_ptr<timer_schedule> timers_;
  stats_collector stats_;

  std::mutex slots_mutex_;
  std::unordered_map<std::string, slot_ptr> slots_;

  std::mutex opening_mutex_;
  std::map<std::string, std::deque<std::function<void()>>> opening_;  // opens waiting per user

  std::atomic<std::size_t> unloaded_since_trim_{0};  // conversations evicted since the last trim
  static constexpr std::size_t trim_after_unloads = 1000;
  std::atomic<std::size_t> queued_{0};     // external events accepted, not completed
  std::atomic<std::size_t> in_flight_{0};  // every job and webhook call under way
  std::atomic<bool> stopping_{false};      // no external events
  std::atomic<bool> finishing_{false};     // no events at all
  std::mutex shutdown_mutex_;
  std::vector<std::function<void()>> shutdown_done_;
  bool shut_down_ = false;  // the final flush is done (guarded by shutdown_mutex_)

  strand_type background_;  // reload polling and the eviction sweep
  boost::asio::steady_timer reload_timer_;
  boost::asio::steady_timer sweep_timer_;
};

}  // namespace rapport::engine::detail
