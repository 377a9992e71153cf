// The writer thread: group commit of queued units of work.
#include <sqlite3.h>

#include "store/json_columns.hpp"
#include "store/sqlite_store.hpp"

namespace rapport::engine::sqlite {
namespace {

// Runs a bound statement: empty on success, else SQLite's error.
std::string run(statement& s) { return s.run() ? std::string{} : s.error(); }

}  // namespace

void sqlite_store::writer_loop() {
  std::vector<queued> batch;
  for (;;) {
    {
      std::unique_lock lock(queue_mutex_);
      queue_ready_.wait(lock, [&] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing, and everything submitted is done
      while (!queue_.empty() && batch.size() < options_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    run_batch(batch);
    batch.clear();
    checkpoint_if_due();
  }
}

void sqlite_store::run_batch(std::vector<queued>& batch) {
  std::vector<boost::system::error_code> results(batch.size());
  // A savepoint per unit would let a failing unit roll back alone, but SQLite pays for it on
  // every unit: each page a unit changes that an earlier unit of the batch already changed is
  // copied to a sub-journal first (several pages per turn, spilled to a temporary file past
  // 64 KiB). Units rarely fail, so the batch runs without savepoints, and only when a unit
  // fails is it rolled back and run again with them.
  if (!commit_batch(batch, false, results)) commit_batch(batch, true, results);
  for (std::size_t i = 0; i < batch.size(); ++i)
    if (batch[i].done) batch[i].done(results[i]);
}

// False when, without savepoints, a unit failed: the whole transaction was rolled back.
bool sqlite_store::commit_batch(const std::vector<queued>& batch, bool savepoints,
                                std::vector<boost::system::error_code>& results) {
  connection& db = *writer_db_;
  const auto failed = make_error_code(errc::store_failed);
  auto fail_all = [&] {
    for (auto& r : results) r = failed;
    return true;
  };

  if (auto e = db.run("BEGIN IMMEDIATE"); !e.empty()) {
    log("rapport: store: cannot begin a transaction: " + e);
    return fail_all();
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (batch[i].work.empty()) continue;  // a flush marker
    if (!savepoints) {
      if (!apply(batch[i].work).empty()) {
        db.run("ROLLBACK");
        return false;
      }
      continue;
    }
    db.run("SAVEPOINT unit");
    if (auto e = apply(batch[i].work); !e.empty()) {
      log("rapport: store: a unit of work was rolled back: " + e);
      db.run("ROLLBACK TO unit");
      results[i] = failed;
    }
    db.run("RELEASE unit");
  }
  if (auto e = db.run("COMMIT"); !e.empty()) {
    log("rapport: store: commit failed: " + e);
    db.run("ROLLBACK");
    return fail_all();
  }
  return true;
}

void sqlite_store::checkpoint_if_due() {
  const int soft = options_.checkpoint_pages;
  if (wal_pages_ < soft) return;
  if (wal_pages_ < 4 * soft) {
    std::lock_guard lock(queue_mutex_);
    if (!queue_.empty()) return;  // commits first, unless the log is past the hard bound
  }
  // PASSIVE copies what no reader still needs and never waits for a reader (an operator's
  // backup may read for minutes). Once everything is copied, the next commit starts the log
  // over from its beginning, so the file stays bounded as long as readers come and go.
  const int rc = sqlite3_wal_checkpoint_v2(writer_db_->handle(), nullptr,
                                           SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY)
    log(std::string("rapport: store: checkpoint failed: ") + sqlite3_errmsg(writer_db_->handle()));
  wal_pages_ = 0;  // the next commit tells how many pages the log holds then
}

std::string sqlite_store::apply(const unit_of_work& w) {
  // bind_values binds text without copying it: `w`, and each temporary of an expression that
  // ends with run(), outlive the statement's run.
  connection& db = *writer_db_;

  if (const auto& c = w.conversation) {
    auto& s = db.prepare(
        "INSERT INTO conversations(id, token_hash, bot, channel, user, bot_version, state, owner,"
        " pending, last_seq, proactive, created_ms, updated_ms)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
        " ON CONFLICT(id) DO UPDATE SET bot_version = excluded.bot_version,"
        " state = excluded.state, owner = excluded.owner, pending = excluded.pending,"
        " last_seq = excluded.last_seq, proactive = excluded.proactive,"
        " updated_ms = excluded.updated_ms");
    s.bind_values(c->id, c->token_hash, c->bot, c->channel, c->user, c->bot_version, c->state_json,
                  c->owner, c->pending, c->last_seq, c->proactive, c->created_ms, c->updated_ms);
    if (auto e = run(s); !e.empty()) return e;
  }
  for (const auto& m : w.messages) {
    auto& s = db.prepare(
        "INSERT INTO transcript(conversation_id, seq, author, text, buttons, key, agent,"
        " client_id, at_ms, agent_name) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    const auto& e = m.entry;
    const auto client_id =
        e.client_id.empty() ? std::nullopt : std::optional<std::string_view>(e.client_id);
    if (auto error = run(s.bind_values(m.conversation_id, e.seq, to_string(e.by), e.text,
                                       buttons_to_json(e.buttons), e.key, e.agent, client_id,
                                       e.at_ms, e.agent_name));
        !error.empty())
      return error;
  }
  for (const auto& t : w.timers_deleted) {
    auto& s = db.prepare(
        "DELETE FROM timers WHERE conversation_id = ?1 AND name = ?2 AND (?3 = 0 OR seq = ?3)");
    s.bind_values(t.conversation_id, t.name, std::int64_t(t.seq));
    if (auto e = run(s); !e.empty()) return e;
  }
  for (const auto& t : w.timers_set) {
    auto& s = db.prepare(
        "INSERT OR REPLACE INTO timers(conversation_id, name, due_ms, seq) VALUES (?1, ?2, ?3, ?4)");
    s.bind_values(t.conversation_id, t.name, t.due_ms, std::int64_t(t.seq));
    if (auto e = run(s); !e.empty()) return e;
  }
  for (const auto& a : w.analytics) {
    auto& s = db.prepare(
        "INSERT INTO analytics(conversation_id, bot, name, props, at_ms) VALUES (?1, ?2, ?3, ?4, ?5)");
    s.bind_values(a.conversation_id, a.bot, a.name, a.props_json, a.at_ms);
    if (auto e = run(s); !e.empty()) return e;
  }
  for (const auto& l : w.leads) {
    auto& s = db.prepare(
        "INSERT INTO leads(conversation_id, bot, email, need, props, at_ms, source, outcome)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    s.bind_values(l.conversation_id, l.bot, l.email, l.need, l.props_json, l.at_ms, l.source,
                  l.outcome);
    if (auto e = run(s); !e.empty()) return e;
  }
  for (const auto& o : w.opt_outs) {
    if (o.opted_out) {
      auto& s = db.prepare(
          "INSERT OR REPLACE INTO opt_outs(bot, channel, user, conversation_id, at_ms)"
          " VALUES (?1, ?2, ?3, ?4, ?5)");
      s.bind_values(o.bot, o.channel, o.user, o.conversation_id, o.at_ms);
      if (auto e = run(s); !e.empty()) return e;
    } else {
      auto& s = db.prepare("DELETE FROM opt_outs WHERE bot = ?1 AND channel = ?2 AND user = ?3");
      s.bind_values(o.bot, o.channel, o.user);
      if (auto e = run(s); !e.empty()) return e;
    }
  }
  for (const auto& h : w.handoffs) {
    auto& s = db.prepare(
        "INSERT INTO handoffs(conversation_id, bot, team, reason, summary, status, agent,"
        " requested_ms, updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    s.bind_values(h.conversation_id, h.bot, h.team, h.reason, h.summary_json, h.status, h.agent,
                  h.requested_ms, h.updated_ms);
    if (auto e = run(s); !e.empty()) return e;
  }
  for (const auto& u : w.handoff_updates) {
    auto& s = db.prepare(
        "UPDATE handoffs SET status = ?2, agent = CASE WHEN ?3 = '' THEN agent ELSE ?3 END,"
        " updated_ms = ?4 WHERE id = (SELECT max(id) FROM handoffs WHERE conversation_id = ?1)");
    s.bind_values(u.conversation_id, u.status, u.agent, u.at_ms);
    if (auto e = run(s); !e.empty()) return e;
  }
  for (const auto& v : w.bot_versions) {
    auto& s = db.prepare(
        "INSERT OR IGNORE INTO bot_versions(bot, version, files, created_ms) VALUES (?1, ?2, ?3, ?4)");
    if (auto e = run(s.bind_values(v.bot, v.version, files_to_json(v.files), v.created_ms));
        !e.empty())
      return e;
  }
  return apply_people(w);
}

std::string sqlite_store::apply_people(const unit_of_work& w) {
  connection& db = *writer_db_;
  for (const auto& a : w.agents_set) {
    auto& s = db.prepare(
        "INSERT INTO agents(id, name, password_hash, teams, capacity, created_ms, updated_ms)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
        " password_hash = excluded.password_hash, teams = excluded.teams,"
        " capacity = excluded.capacity, updated_ms = excluded.updated_ms");
    if (auto e = run(s.bind_values(a.id, a.name, a.password_hash, strings_to_json(a.teams),
                                   std::int64_t(a.capacity), a.created_ms, a.updated_ms));
        !e.empty())
      return e;
  }
  for (const auto& id : w.agents_deleted) {
    if (auto e = run(db.prepare("DELETE FROM agents WHERE id = ?1").bind_values(id)); !e.empty())
      return e;
    auto& sessions = db.prepare("DELETE FROM agent_sessions WHERE agent = ?1");
    if (auto e = run(sessions.bind_values(id)); !e.empty()) return e;
  }
  for (const auto& x : w.sessions_set) {
    auto& s = db.prepare(
        "INSERT OR REPLACE INTO agent_sessions(token_hash, agent, expires_ms) VALUES (?1, ?2, ?3)");
    if (auto e = run(s.bind_values(x.token_hash, x.agent, x.expires_ms)); !e.empty()) return e;
  }
  for (const auto& hash : w.sessions_deleted) {
    auto& s = db.prepare("DELETE FROM agent_sessions WHERE token_hash = ?1");
    if (auto e = run(s.bind_values(hash)); !e.empty()) return e;
  }
  for (const auto& o : w.outbox_added) {
    auto& s = db.prepare(
        "INSERT INTO outbox(kind, conversation_id, body, attempts, next_attempt_ms, expires_ms,"
        " status, last_error, created_ms, updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)");
    if (auto e = run(s.bind_values(o.kind, o.conversation_id, o.body, std::int64_t(o.attempts),
                                   o.next_attempt_ms, o.expires_ms, o.status, o.last_error,
                                   o.created_ms));
        !e.empty())
      return e;
  }
  for (const auto& u : w.outbox_updates) {
    auto& s = db.prepare(
        "UPDATE outbox SET status = ?2, attempts = ?3, next_attempt_ms = ?4, last_error = ?5,"
        " updated_ms = ?6 WHERE id = ?1");
    if (auto e = run(s.bind_values(u.id, u.status, std::int64_t(u.attempts), u.next_attempt_ms,
                                   u.last_error, u.at_ms));
        !e.empty())
      return e;
  }
  return {};
}

}  // namespace rapport::engine::sqlite
