#pragma once
// The SQLite store. One database file in WAL mode.
//
// Writes: one writer thread owns the only write connection. commit() queues a unit of work; the
// writer takes everything queued (up to max_batch units) into one transaction, commits once and
// runs the completions in submission order. Many turns share one fsync. A unit that fails (e.g.
// a duplicate client_id) is rolled back alone: the batch is then committed again with each unit
// in its own SAVEPOINT (see run_batch for why not always).
//
// Checkpoints (copying the write-ahead log into the database file) run on the writer thread too,
// between transactions, after the completions: never inside a commit that acknowledges a turn.
//
// Reads: a small pool of read-only connections, used from the calling thread. WAL lets them
// read the last committed snapshot while the writer writes, so a read never waits for a batch.
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "rapport/engine/store.hpp"
#include "store/sqlite_connection.hpp"

namespace rapport::engine::sqlite {

class sqlite_store final : public store {
 public:
  sqlite_store(const sqlite_store_options& options, std::unique_ptr<connection> writer,
               int schema_version);
  ~sqlite_store() override;

  void commit(unit_of_work work, commit_handler done) override;
  void flush(commit_handler done) override;

  result<std::optional<stored_conversation>> conversation(std::string_view id) override;
  result<std::optional<stored_conversation>> conversation_of(std::string_view bot,
                                                             std::string_view channel,
                                                             std::string_view user) override;
  result<std::vector<stored_conversation>> conversations_pending() override;
  result<std::vector<transcript_entry>> transcript(std::string_view conversation_id,
                                                   std::int64_t after_seq,
                                                   std::size_t limit) override;
  result<std::optional<std::int64_t>> message_seq(std::string_view conversation_id,
                                                  std::string_view client_id) override;
  result<std::vector<stored_timer>> timers() override;
  result<std::optional<dialogs::bot_files>> bot_version(std::string_view bot,
                                                        std::string_view version) override;
  result<std::vector<lead_record>> leads(std::string_view bot) override;
  result<std::vector<analytics_record>> analytics(std::string_view conversation_id) override;
  result<std::vector<handoff_record>> handoffs(std::string_view conversation_id) override;
  result<bool> opted_out(std::string_view bot, std::string_view channel,
                         std::string_view user) override;
  result<std::vector<handoff_record>> handoffs_with_people() override;
  result<std::vector<agent_record>> agents() override;
  result<std::optional<agent_record>> agent(std::string_view id) override;
  result<std::optional<agent_session_record>> agent_session(std::string_view token_hash) override;
  result<std::vector<outbox_record>> outbox_due(std::int64_t now_ms, std::size_t limit) override;
  result<std::vector<outbox_record>> outbox(std::string_view conversation_id) override;

  int schema_version() const override { return schema_version_; }

 private:
  struct queued {
    unit_of_work work;
    commit_handler done;
  };

  // ---- writer (sqlite_store_writes.cpp) ----
  void writer_loop();
  void run_batch(std::vector<queued>& batch);
  bool commit_batch(const std::vector<queued>& batch, bool savepoints,
                    std::vector<boost::system::error_code>& results);
  std::string apply(const unit_of_work& work);  // empty on success
  std::string apply_people(const unit_of_work& work);  // agents, sessions, outbox
  void checkpoint_if_due();

  // ---- readers (sqlite_store_reads.cpp) ----
  class lease;
  lease acquire_reader();
  void release_reader(std::unique_ptr<connection> c);
  void log(const std::string& line) const;

  sqlite_store_options options_;
  int schema_version_;

  std::unique_ptr<connection> writer_db_;
  int wal_pages_ = 0;  // pages in the write-ahead log after the last commit (writer thread)
  std::mutex queue_mutex_;
  std::condition_variable queue_ready_;
  std::deque<queued> queue_;
  bool closing_ = false;
  std::thread writer_;

  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<connection>> idle_readers_;
};

}  // namespace rapport::engine::sqlite
