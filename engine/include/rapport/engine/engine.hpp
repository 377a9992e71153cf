#pragma once
// The engine: the async runtime that runs conversations. Connectors (widget, REST, messaging
// platforms, agent console) talk to it through this interface only; it knows nothing of HTTP or
// any platform's wire format.
//
// Guarantees:
// - Events of one conversation are processed one at a time, in order; different conversations
//   run in parallel on the engine's thread pool.
// - An inbound message is committed to the store before its completion runs (before the
//   connector acknowledges it); the bot's replies are committed in the same transaction, so a
//   crash never loses an acknowledged message and never sends a reply twice.
// - Completions run on the engine's io_context; they must not block.
#include <chrono>
#include <cstdint>
#include <functional>
#include <utility>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include "rapport/dialogs/conversation.hpp"
#include "rapport/engine/desk_options.hpp"

namespace boost::asio {
class io_context;
}

namespace rapport::engine {

using dialogs::sys_ms;

class store;
class http_client;
class handoff_router;
class agent_desk;

enum class errc {
  unknown_bot = 1,        // no bot loaded under that name
  no_such_conversation,   // unknown id or wrong token
  bad_request,            // e.g. an empty message
  overloaded,             // too many events queued; try again later
  shutting_down,
  store_failed,           // the store could not commit; nothing was acknowledged
};
const boost::system::error_category& engine_category();
boost::system::error_code make_error_code(errc e);

template <class T>
using result = boost::system::result<T>;

enum class author { visitor, bot, human, system };
const char* to_string(author a);

// One line of a conversation's transcript.
struct transcript_entry {
  std::int64_t seq = 0;  // position in the conversation, from 1, no gaps
  author by = author::bot;
  std::string text;
  std::vector<dialogs::button> buttons;
  std::string key;        // bot messages: the message key
  std::string agent;      // human messages: the agent's id
  std::string client_id;  // visitor messages: the connector's idempotency key
  std::int64_t at_ms = 0;  // Unix time in milliseconds
  std::string agent_name{};  // human messages: the name the visitor sees
};

struct conversation_ref {
  std::string id;     // public id (URLs, logs)
  std::string token;  // secret bearer credential; only returned by open() when it created the
                      // conversation (only a hash is stored, so it cannot be shown again)
  std::string bot;
  std::string channel;
  std::string user;   // the channel's user id
  std::string owner;  // "bot", "queued", "human", "closed"
};

struct open_request {
  std::string bot;
  std::string channel = "web";
  std::string user;    // the channel's user id; empty → a new anonymous visitor
  std::string locale;  // the visitor's, e.g. "de-DE"
  dialogs::value_map context;  // page, referrer, utm_*, ...
  bool start = true;   // run the bot's start flow now (false: wait for an explicit start event)
};

struct open_result {
  conversation_ref conversation;
  bool created = false;                  // false: an existing conversation of that user
  std::vector<transcript_entry> replies;  // what the start flow said
};

struct post_result {
  bool duplicate = false;  // the client_id was seen before; nothing was processed again
  std::int64_t seq = 0;    // the inbound message's transcript seq
  std::vector<transcript_entry> replies;  // the bot's answer (empty while a human owns it)
};

// Pushed to subscribers after each commit, in commit order per conversation.
struct conversation_update {
  enum class kind { message, typing, owner, closed, seen } what = kind::message;
  std::string conversation_id;
  transcript_entry message;  // kind::message
  author who = author::bot;  // kind::typing, kind::seen
  bool typing = false;       // kind::typing
  std::int64_t seen_seq = 0;  // kind::seen: `who` has read everything up to this seq
  std::string owner;         // kind::owner / kind::closed
};

// Unsubscribes when destroyed.
class subscription {
 public:
  subscription() = default;
  explicit subscription(std::function<void()> cancel) : cancel_(std::move(cancel)) {}
  subscription(subscription&&) noexcept = default;
  subscription& operator=(subscription&& other) noexcept {
    reset();
    cancel_ = std::move(other.cancel_);
    return *this;
  }
  ~subscription() { reset(); }
  void reset() {
    if (cancel_) std::exchange(cancel_, nullptr)();
  }

 private:
  std::function<void()> cancel_;
};

struct engine_options {
  std::string data_dir = "data";          // the SQLite file lives here
  std::vector<std::string> bot_folders;   // each loaded at start and watched for changes
  std::chrono::milliseconds reload_poll{1000};
  std::size_t max_queued_events = 10000;  // per engine; beyond it post() fails with overloaded
  std::size_t max_message_bytes = 4096;   // text longer than this is rejected (bad_request)
  std::function<sys_ms()> clock;           // default: system clock; tests inject a fake one

  // Optional collaborators; null → the default.
  // default: SQLite, data_dir/rapport.db. A store passed here posts completions to `io`: flush
  // it (or destroy it) after shutdown and before the io_context is destroyed.
  std::shared_ptr<engine::store> storage;
  std::shared_ptr<http_client> http;               // webhooks; default: every call fails
  // Handoffs go to the agent desk configured by `desk` (no teams: the fallback always runs);
  // a router given here replaces the desk (tests, external routing).
  std::shared_ptr<handoff_router> handoff;
  desk_options desk;
  std::function<void(std::string_view line)> log;  // default: one line each to stderr

  // Longest real-time wait before `clock` is read again for due timers and idle conversations.
  std::chrono::milliseconds timer_check{1000};
  // A conversation with no subscriber, nothing queued and nothing under way leaves memory after
  // this long without events (measured by `clock`); its state stays in the store.
  std::chrono::milliseconds evict_after{std::chrono::minutes(10)};
  std::size_t max_transcript_entries = 10000;      // per transcript() call
  std::size_t max_webhook_response_bytes = 1 << 20;
};

// Counters for /metrics. Monotonic unless noted.
struct engine_stats {
  std::uint64_t conversations_started = 0;
  std::uint64_t conversations_active = 0;  // gauge: in memory now
  std::uint64_t messages_in = 0;
  std::uint64_t messages_out = 0;
  std::uint64_t handoffs = 0;
  std::uint64_t timers_fired = 0;
  std::vector<std::pair<std::string, std::uint64_t>> blocked_by_reason;
  std::vector<std::pair<std::string, std::string>> bots;  // name → loaded version
  std::vector<double> turn_latency_buckets_ms;              // histogram upper bounds
  std::vector<std::uint64_t> turn_latency_counts;           // cumulative, one per bucket + +Inf
  double turn_latency_sum_ms = 0;
  std::vector<std::uint64_t> csat_by_score;  // CSAT answers; index = score 1..5 (0 unused)
};

class engine {
 public:
  // Opens the store, loads the bots (throws std::runtime_error with file:line:column details
  // when a bot does not load at start-up), re-arms stored timers.
  static std::unique_ptr<engine> create(const engine_options& options,
                                        boost::asio::io_context& io);
  virtual ~engine() = default;

  virtual void open(open_request request, std::function<void(result<open_result>)> done) = 0;

  // Finds a conversation by id, checking the bearer token (constant-time comparison).
  virtual void find(std::string id, std::string token,
                    std::function<void(result<conversation_ref>)> done) = 0;

  // A visitor's message or button click. `client_id` de-duplicates redeliveries: a duplicate
  // completes with duplicate=true, the original seq and the replies that followed it.
  // `replies` hold what this turn said; what follows from asynchronous work it started (a
  // handoff's answer, a webhook's result, a timer) reaches subscribers and the transcript.
  virtual void post_message(std::string conversation_id, dialogs::user_message message,
                            std::string client_id,
                            std::function<void(result<post_result>)> done) = 0;

  // Any other dialog event: start, named events (page_view, proactive), handoff events from an
  // agent tool, ... A `proactive` event runs at most once per conversation; later ones complete
  // with no replies and are recorded as blocked sends (reason "proactive_cap"). Timer and
  // webhook results are the engine's own: posting them is a bad_request.
  virtual void post_event(std::string conversation_id, dialogs::event e,
                          std::function<void(result<post_result>)> done) = 0;

  // The visitor (or an agent) is typing (forwarded to subscribers; not stored).
  virtual void typing(std::string conversation_id, author who, bool on) = 0;
  // Read receipts: `who` has seen the transcript up to `seq` (forwarded; not stored).
  virtual void seen(std::string conversation_id, author who, std::int64_t seq) = 0;

  // Transcript entries with seq > after_seq, oldest first.
  virtual void transcript(std::string conversation_id, std::int64_t after_seq,
                          std::function<void(result<std::vector<transcript_entry>>)> done) = 0;

  virtual subscription subscribe(std::string conversation_id,
                                 std::function<void(const conversation_update&)> listener) = 0;

  virtual engine_stats stats() const = 0;

  // Where people answer handed-over conversations (the agent console's side of the engine).
  virtual agent_desk& desk() = 0;

  // Stops taking events, finishes those in flight, flushes the store; then calls done.
  virtual void shutdown(std::function<void()> done) = 0;
};

}  // namespace rapport::engine

template <>
struct boost::system::is_error_code_enum<rapport::engine::errc> : std::true_type {};
