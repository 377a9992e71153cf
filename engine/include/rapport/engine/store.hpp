#pragma once
// The durable store behind the engine: conversations and their state, transcripts, timers, the
// bot versions conversations are pinned to, leads, opt-outs, analytics events and handoff
// requests. SQLite by default (open_sqlite_store); the interface is shaped so a networked store
// (PostgreSQL, see DESIGN.md "Scale") can implement it too: every write is a unit of work
// committed asynchronously, reads return plain values, and no driver type appears here.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include "rapport/dialogs/loader.hpp"
#include "rapport/engine/engine.hpp"

namespace rapport::engine {

struct stored_conversation {
  std::string id;
  std::string token_hash;  // hex SHA-256 of the bearer token; the token itself is never stored
  std::string bot;
  std::string channel;
  std::string user;
  std::string bot_version;  // the version the conversation is pinned to
  std::string state_json;   // dialogs::to_json(conversation_state)
  std::string owner;        // "bot", "queued", "human", "closed"
  std::string pending;      // side effect under way at the last commit: "", "handoff", "webhook"
  std::int64_t last_seq = 0;     // highest transcript seq
  std::int64_t proactive = 0;    // proactive events processed (the engine allows one)
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
};

struct stored_message {
  std::string conversation_id;
  transcript_entry entry;
};

struct stored_timer {
  std::string conversation_id;
  std::string name;  // "no_input"
  std::int64_t due_ms = 0;
  std::uint64_t seq = 0;
};

struct timer_key {
  std::string conversation_id;
  std::string name;
  std::uint64_t seq = 0;  // delete only the timer with this seq; 0 → whatever is set
};

struct analytics_record {
  std::string conversation_id;
  std::string bot;
  std::string name;        // the interpreter's event name; blocked sends are "policy_block"
  std::string props_json;  // JSON object
  std::int64_t at_ms = 0;
};

struct lead_record {
  std::string conversation_id;
  std::string bot;
  std::string email;
  std::string need;
  std::string props_json;  // lead_capture: the lead_captured event's properties; else the lead
  std::int64_t at_ms = 0;
  std::string source = "lead_capture";  // lead_capture, handoff (a person was asked), closed
  std::string outcome{};                // closed: the agent's outcome, e.g. qualified_lead
};

// A person who answers handed-over conversations (managed by `rapport agents`).
struct agent_record {
  std::string id;  // the login name
  std::string name;  // what visitors see
  std::string password_hash;  // libsodium crypto_pwhash_str (argon2id)
  std::vector<std::string> teams;
  int capacity = 3;  // conversations at once
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
};

struct agent_session_record {
  std::string token_hash;  // hex SHA-256 of the session cookie; the cookie itself is not stored
  std::string agent;
  std::int64_t expires_ms = 0;
};

// Something to deliver over HTTP until it succeeds or expires (e.g. a lead to the CRM webhook).
struct outbox_record {
  std::int64_t id = 0;  // assigned by the store
  std::string kind;     // "crm_lead"
  std::string conversation_id;
  std::string body;     // JSON
  int attempts = 0;
  std::int64_t next_attempt_ms = 0;
  std::int64_t expires_ms = 0;
  std::string status = "pending";  // pending, delivered, expired
  std::string last_error;
  std::int64_t created_ms = 0;
};

struct outbox_update {
  std::int64_t id = 0;
  std::string status;  // pending (retry later), delivered, expired
  int attempts = 0;
  std::int64_t next_attempt_ms = 0;
  std::string last_error;
  std::int64_t at_ms = 0;
};

struct opt_out_record {
  std::string bot;
  std::string channel;
  std::string user;
  std::string conversation_id;
  bool opted_out = true;  // false: the user opted back in (the row is removed)
  std::int64_t at_ms = 0;
};

struct handoff_record {
  std::string conversation_id;
  std::string bot;
  std::string team;
  std::string reason;
  std::string summary_json;  // JSON object
  // requested, queued, accepted, requeued, unavailable, returned, closed
  std::string status = "requested";
  std::string agent;
  std::int64_t requested_ms = 0;
  std::int64_t updated_ms = 0;
};

// A later step of the conversation's most recent handoff request.
struct handoff_update {
  std::string conversation_id;
  std::string status;
  std::string agent;
  std::int64_t at_ms = 0;
};

struct bot_version_record {
  std::string bot;
  std::string version;
  dialogs::bot_files files;  // what load_bot needs to rebuild this exact version
  std::int64_t created_ms = 0;
};

// Everything one turn writes; committed atomically, in submission order.
struct unit_of_work {
  std::optional<stored_conversation> conversation;  // inserted, or replaced by id
  std::vector<stored_message> messages;             // transcript rows; (conversation, client_id) unique
  std::vector<timer_key> timers_deleted;            // applied before timers_set
  std::vector<stored_timer> timers_set;             // replaces a timer of the same name
  std::vector<analytics_record> analytics;
  std::vector<lead_record> leads;
  std::vector<opt_out_record> opt_outs;
  std::vector<handoff_record> handoffs;
  std::vector<handoff_update> handoff_updates;
  std::vector<bot_version_record> bot_versions;  // ignored when (bot, version) exists
  std::vector<agent_record> agents_set;           // inserted or replaced by id
  std::vector<std::string> agents_deleted;        // ids; their sessions go too
  std::vector<agent_session_record> sessions_set;
  std::vector<std::string> sessions_deleted;      // token hashes
  std::vector<outbox_record> outbox_added;
  std::vector<outbox_update> outbox_updates;

  bool empty() const;
};

// Runs once the transaction holding the unit committed (no error) or failed (nothing of the
// unit was written). Runs on a thread of the store's own: it must not block.
using commit_handler = std::function<void(boost::system::error_code)>;

class store {
 public:
  virtual ~store() = default;

  // ---- writes --------------------------------------------------------------------------------
  virtual void commit(unit_of_work work, commit_handler done) = 0;
  // `done` runs after everything submitted before it has committed.
  virtual void flush(commit_handler done) = 0;

  // ---- reads: committed data only; they may block the calling thread briefly -----------------
  virtual result<std::optional<stored_conversation>> conversation(std::string_view id) = 0;
  virtual result<std::optional<stored_conversation>> conversation_of(std::string_view bot,
                                                                     std::string_view channel,
                                                                     std::string_view user) = 0;
  // Conversations whose last commit left a side effect under way (pending != "").
  virtual result<std::vector<stored_conversation>> conversations_pending() = 0;
  // Entries with seq > after_seq, oldest first, at most `limit`.
  virtual result<std::vector<transcript_entry>> transcript(std::string_view conversation_id,
                                                           std::int64_t after_seq,
                                                           std::size_t limit) = 0;
  // The seq of the visitor message with that client_id, if any.
  virtual result<std::optional<std::int64_t>> message_seq(std::string_view conversation_id,
                                                          std::string_view client_id) = 0;
  virtual result<std::vector<stored_timer>> timers() = 0;
  virtual result<std::optional<dialogs::bot_files>> bot_version(std::string_view bot,
                                                                std::string_view version) = 0;
  virtual result<std::vector<lead_record>> leads(std::string_view bot) = 0;
  virtual result<std::vector<analytics_record>> analytics(std::string_view conversation_id) = 0;
  virtual result<std::vector<handoff_record>> handoffs(std::string_view conversation_id) = 0;
  virtual result<bool> opted_out(std::string_view bot, std::string_view channel,
                                 std::string_view user) = 0;
  // The latest handoff of every conversation a person owns now (owner "human").
  virtual result<std::vector<handoff_record>> handoffs_with_people() = 0;
  virtual result<std::vector<agent_record>> agents() = 0;
  virtual result<std::optional<agent_record>> agent(std::string_view id) = 0;
  virtual result<std::optional<agent_session_record>> agent_session(std::string_view token_hash) = 0;
  // Pending deliveries due at `now_ms`, oldest first, at most `limit`.
  virtual result<std::vector<outbox_record>> outbox_due(std::int64_t now_ms, std::size_t limit) = 0;
  virtual result<std::vector<outbox_record>> outbox(std::string_view conversation_id) = 0;

  virtual int schema_version() const = 0;
};

struct sqlite_store_options {
  std::string path;  // the database file; missing folders are created
  // FULL: the WAL is fsynced at every commit, so an acknowledged message survives a power loss.
  // Group commit shares that fsync among every turn in the transaction. NORMAL survives a
  // process crash but may lose the last commits on power loss.
  bool synchronous_full = true;
  std::chrono::milliseconds busy_timeout{5000};  // waits on locks held by other processes
  std::size_t max_batch = 512;                   // units per transaction
  // The writer copies the write-ahead log into the database file (a checkpoint) once the log
  // holds this many pages: after a transaction's completions, when no commit is waiting, or at
  // four times as many whatever is waiting. The log then starts over, so its file stays near
  // 4 x checkpoint_pages pages (64 MiB with 4 KiB pages) unless a reader holds it for long.
  int checkpoint_pages = 4000;
  std::function<void(std::string_view line)> log;  // failed commits; default: stderr
};

// The schema version this build writes (the migrations it knows).
int sqlite_schema_version();

// Opens (creating or migrating) the database. Start-up only: throws std::runtime_error with the
// reason when the file cannot be opened, is not a Rapport database, or is newer than this build.
std::unique_ptr<store> open_sqlite_store(const sqlite_store_options& options);

// Hex SHA-256 of a conversation token, as stored.
std::string hash_token(std::string_view token);

}  // namespace rapport::engine
