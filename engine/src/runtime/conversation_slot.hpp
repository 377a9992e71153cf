#pragma once
// A conversation resident in memory: its strand, its queue of events, its committed state and
// its subscribers. Everything below "strand only" is touched only on `strand`.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include "rapport/dialogs/interpreter.hpp"
#include "rapport/engine/engine.hpp"
#include "rapport/engine/store.hpp"

namespace rapport::engine::detail {

using strand_type = boost::asio::strand<boost::asio::io_context::executor_type>;
using post_handler = std::function<void(result<post_result>)>;
using listener = std::function<void(const conversation_update&)>;

// A conversation open() is creating: committed by its first job.
struct fresh_conversation {
  stored_conversation row;
  dialogs::conversation_state state;
  std::shared_ptr<const dialogs::bot_model> model;
  bool start = true;
};

enum class job_kind {
  message,          // a visitor's message (transcript entry, de-duplicated by client_id)
  event,            // any other event from a connector
  open,             // the first job of a new conversation
  timer,            // a durable timer fired; its row goes in the same commit
  follow_up,        // a handoff answer or webhook result
  recover_handoff,  // after a restart: ask the router again
  agent_message,    // a person's message to the visitor (the conversation's owner)
};

struct job {
  job_kind kind = job_kind::event;
  dialogs::event ev;
  std::string client_id;
  transcript_entry human;  // agent_message: author, agent and text
  post_handler done;  // may be empty (engine's own jobs)
  std::shared_ptr<fresh_conversation> fresh;
  std::chrono::steady_clock::time_point accepted = std::chrono::steady_clock::now();
  bool counted = false;  // holds a place in max_queued_events
};

struct conversation_slot {
  conversation_slot(std::string conversation_id, strand_type s, std::int64_t now_ms)
      : id(std::move(conversation_id)), strand(std::move(s)), last_active_ms(now_ms) {}

  const std::string id;
  strand_type strand;
  std::atomic<int> pins{0};  // jobs posted to the strand, not yet queued (guards eviction)
  std::atomic<std::int64_t> last_active_ms;

  std::mutex listeners_mutex;
  std::vector<std::pair<std::uint64_t, listener>> listeners;
  std::uint64_t next_listener = 1;

  // ---- strand only ----
  std::list<job> queue;  // not a deque: an idle conversation holds no node
  bool busy = false;    // a turn is being committed
  // Row, state and model hold the committed conversation. Written on the strand only; atomic
  // because the eviction sweep reads it.
  std::atomic<bool> loaded{false};
  std::atomic<bool> gone{false};  // evicted (set under the slots mutex); jobs go elsewhere
  stored_conversation row;  // state_json left empty: `state` is the parsed form
  dialogs::conversation_state state;
  std::shared_ptr<const dialogs::bot_model> model;
};

}  // namespace rapport::engine::detail
