// Opening the SQLite store: folder, pragmas, migrations; the writer thread's lifetime.
#include "store/sqlite_store.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <iostream>
#include <stdexcept>

#include "store/migrations.hpp"

namespace rapport::engine {

bool unit_of_work::empty() const {
  return !conversation && messages.empty() && timers_deleted.empty() && timers_set.empty() &&
         analytics.empty() && leads.empty() && opt_outs.empty() && handoffs.empty() &&
         handoff_updates.empty() && bot_versions.empty() && agents_set.empty() &&
         agents_deleted.empty() && sessions_set.empty() && sessions_deleted.empty() &&
         outbox_added.empty() && outbox_updates.empty();
}

int sqlite_schema_version() { return sqlite::migrations().back().version; }

std::unique_ptr<store> open_sqlite_store(const sqlite_store_options& options) {
  namespace fs = std::filesystem;
  const fs::path path(options.path);
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  if (ec)
    throw std::runtime_error("cannot create the data directory " +
                             path.parent_path().string() + ": " + ec.message());

  std::string error;
  auto db = sqlite::connection::open(options.path, false, options.busy_timeout, error);
  if (!db) throw std::runtime_error("cannot open " + options.path + ": " + error);
  // WAL: readers see the last commit while the writer writes. FULL fsyncs the WAL at each
  // commit (see sqlite_store_options::synchronous_full). The sub-journals of savepoints stay in
  // memory (temp_store) instead of temporary files.
  std::string pragmas =
      "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = OFF; PRAGMA temp_store = MEMORY;";
  pragmas += options.synchronous_full ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;";
  if (auto e = db->exec(pragmas); !e.empty())
    throw std::runtime_error(options.path + ": " + e);
  if (auto e = sqlite::migrate(*db); !e.empty())
    throw std::runtime_error(options.path + ": " + e);
  const int version = sqlite::current_version(*db);
  return std::make_unique<sqlite::sqlite_store>(options, std::move(db), version);
}

}  // namespace rapport::engine

namespace rapport::engine::sqlite {

sqlite_store::sqlite_store(const sqlite_store_options& options, std::unique_ptr<connection> writer,
                           int schema_version)
    : options_(options), schema_version_(schema_version), writer_db_(std::move(writer)) {
  if (options_.max_batch == 0) options_.max_batch = 1;
  if (options_.checkpoint_pages <= 0) options_.checkpoint_pages = 1;
  // The writer checkpoints itself, between transactions (writer_loop): SQLite's automatic
  // checkpoint would run inside the COMMIT that acknowledges turns. The hook replaces it and
  // counts the log's pages. After a spike the log file is cut back to the hard bound.
  sqlite3_wal_hook(
      writer_db_->handle(),
      [](void* self, sqlite3*, const char*, int pages) {
        static_cast<sqlite_store*>(self)->wal_pages_ = pages;
        return SQLITE_OK;
      },
      this);
  auto& page_size = writer_db_->prepare("PRAGMA page_size");
  const std::int64_t frame = (page_size.step() ? page_size.integer(0) : 4096) + 24;
  page_size.reset();
  writer_db_->exec("PRAGMA journal_size_limit = " +
                   std::to_string(4 * std::int64_t(options_.checkpoint_pages) * frame));
  writer_ = std::thread([this] { writer_loop(); });
}

sqlite_store::~sqlite_store() {
  {
    std::lock_guard lock(queue_mutex_);
    closing_ = true;
  }
  queue_ready_.notify_all();
  // The writer drains what is queued before it stops, so nothing submitted is dropped.
  // Completions must not own the store's last reference (the engine's only post from them).
  if (writer_.joinable()) writer_.join();
  {
    std::lock_guard lock(readers_mutex_);
    idle_readers_.clear();
  }
  if (writer_db_) writer_db_->exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

void sqlite_store::log(const std::string& line) const {
  if (options_.log)
    options_.log(line);
  else
    std::cerr << line << '\n';
}

void sqlite_store::commit(unit_of_work work, commit_handler done) {
  {
    std::lock_guard lock(queue_mutex_);
    if (!closing_) {
      queue_.push_back({std::move(work), std::move(done)});
      queue_ready_.notify_one();
      return;
    }
  }
  if (done) done(make_error_code(errc::shutting_down));
}

void sqlite_store::flush(commit_handler done) { commit(unit_of_work{}, std::move(done)); }

}  // namespace rapport::engine::sqlite
