// The writer thread: group commit of queued units of work.
#include <sqlite3.h>

#include "store/json_columns.hpp"
#include "store/sqlite_store.hpp"

namespace rapport::engine::sqlite {

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
  }
}

void sqlite_store::run_batch(std::vector<queued>& batch) {
  std::vector<boost::system::error_code> results(batch.size());
  const auto failed = make_error_code(errc::store_failed);

  if (auto e = writer_db_->exec("BEGIN IMMEDIATE"); !e.empty()) {
    log("rapport: store: cannot begin a transaction: " + e);
    for (auto& r : results) r = failed;
  } else {
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (batch[i].work.empty()) continue;  // a flush marker
      writer_db_->exec("SAVEPOINT unit");
      if (auto e = apply(batch[i].work); !e.empty()) {
        log("rapport: store: a unit of work was rolled back: " + e);
        writer_db_->exec("ROLLBACK TO unit");
        results[i] = failed;
      }
      writer_db_->exec("RELEASE unit");
    }
    if (auto e = writer_db_->exec("COMMIT"); !e.empty()) {
      log("rapport: store: commit failed: " + e);
      writer_db_->exec("ROLLBACK");
      for (auto& r : results) r = failed;
    }
  }
  for (std::size_t i = 0; i < batch.size(); ++i)
    if (batch[i].done) batch[i].done(results[i]);
}

std::string sqlite_store::apply(const unit_of_work& w) {
  connection& db = *writer_db_;
  auto failed = [](statement& s) { return s.error(); };

  if (const auto& c = w.conversation) {
    auto& s = db.prepare(
        "INSERT INTO conversations(id, token_hash, bot, channel, user, bot_version, state, owner,"
        " pending, last_seq, proactive, created_ms, updated_ms)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
        " ON CONFLICT(id) DO UPDATE SET bot_version = excluded.bot_version,"
        " state = excluded.state, owner = excluded.owner, pending = excluded.pending,"
        " last_seq = excluded.last_seq, proactive = excluded.proactive,"
        " updated_ms = excluded.updated_ms");
    s.bind(1, c->id).bind(2, c->token_hash).bind(3, c->bot).bind(4, c->channel).bind(5, c->user);
    s.bind(6, c->bot_version).bind(7, c->state_json).bind(8, c->owner).bind(9, c->pending);
    s.bind(10, c->last_seq).bind(11, c->proactive).bind(12, c->created_ms).bind(13, c->updated_ms);
    if (!s.run()) return failed(s);
  }
  for (const auto& m : w.messages) {
    auto& s = db.prepare(
        "INSERT INTO transcript(conversation_id, seq, author, text, buttons, key, agent,"
        " client_id, at_ms, agent_name) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    const auto& e = m.entry;
    s.bind(1, m.conversation_id).bind(2, e.seq).bind(3, std::string_view(to_string(e.by)));
    s.bind(4, e.text).bind(5, buttons_to_json(e.buttons)).bind(6, e.key).bind(7, e.agent);
    if (e.client_id.empty())
      s.bind_null(8);
    else
      s.bind(8, e.client_id);
    s.bind(9, e.at_ms).bind(10, e.agent_name);
    if (!s.run()) return failed(s);
  }
  for (const auto& t : w.timers_deleted) {
    auto& s = db.prepare(
        "DELETE FROM timers WHERE conversation_id = ?1 AND name = ?2 AND (?3 = 0 OR seq = ?3)");
    s.bind(1, t.conversation_id).bind(2, t.name).bind(3, std::int64_t(t.seq));
    if (!s.run()) return failed(s);
  }
  for (const auto& t : w.timers_set) {
    auto& s = db.prepare(
        "INSERT OR REPLACE INTO timers(conversation_id, name, due_ms, seq) VALUES (?1, ?2, ?3, ?4)");
    s.bind(1, t.conversation_id).bind(2, t.name).bind(3, t.due_ms).bind(4, std::int64_t(t.seq));
    if (!s.run()) return failed(s);
  }
  for (const auto& a : w.analytics) {
    auto& s = db.prepare(
        "INSERT INTO analytics(conversation_id, bot, name, props, at_ms) VALUES (?1, ?2, ?3, ?4, ?5)");
    s.bind(1, a.conversation_id).bind(2, a.bot).bind(3, a.name).bind(4, a.props_json).bind(5, a.at_ms);
    if (!s.run()) return failed(s);
  }
  for (const auto& l : w.leads) {
    auto& s = db.prepare(
        "INSERT INTO leads(conversation_id, bot, email, need, props, at_ms, source, outcome)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    s.bind(1, l.conversation_id).bind(2, l.bot).bind(3, l.email).bind(4, l.need);
    s.bind(5, l.props_json).bind(6, l.at_ms).bind(7, l.source).bind(8, l.outcome);
    if (!s.run()) return failed(s);
  }
  for (const auto& o : w.opt_outs) {
    if (o.opted_out) {
      auto& s = db.prepare(
          "INSERT OR REPLACE INTO opt_outs(bot, channel, user, conversation_id, at_ms)"
          " VALUES (?1, ?2, ?3, ?4, ?5)");
      s.bind(1, o.bot).bind(2, o.channel).bind(3, o.user).bind(4, o.conversation_id).bind(5, o.at_ms);
      if (!s.run()) return failed(s);
    } else {
      auto& s = db.prepare("DELETE FROM opt_outs WHERE bot = ?1 AND channel = ?2 AND user = ?3");
      s.bind(1, o.bot).bind(2, o.channel).bind(3, o.user);
      if (!s.run()) return failed(s);
    }
  }
  for (const auto& h : w.handoffs) {
    auto& s = db.prepare(
        "INSERT INTO handoffs(conversation_id, bot, team, reason, summary, status, agent,"
        " requested_ms, updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    s.bind(1, h.conversation_id).bind(2, h.bot).bind(3, h.team).bind(4, h.reason);
    s.bind(5, h.summary_json).bind(6, h.status).bind(7, h.agent).bind(8, h.requested_ms);
    s.bind(9, h.updated_ms);
    if (!s.run()) return failed(s);
  }
  for (const auto& u : w.handoff_updates) {
    auto& s = db.prepare(
        "UPDATE handoffs SET status = ?2, agent = CASE WHEN ?3 = '' THEN agent ELSE ?3 END,"
        " updated_ms = ?4 WHERE id = (SELECT max(id) FROM handoffs WHERE conversation_id = ?1)");
    s.bind(1, u.conversation_id).bind(2, u.status).bind(3, u.agent).bind(4, u.at_ms);
    if (!s.run()) return failed(s);
  }
  for (const auto& v : w.bot_versions) {
    auto& s = db.prepare(
        "INSERT OR IGNORE INTO bot_versions(bot, version, files, created_ms) VALUES (?1, ?2, ?3, ?4)");
    s.bind(1, v.bot).bind(2, v.version).bind(3, files_to_json(v.files)).bind(4, v.created_ms);
    if (!s.run()) return failed(s);
  }
  return apply_people(w);
}

std::string sqlite_store::apply_people(const unit_of_work& w) {
  connection& db = *writer_db_;
  auto failed = [](statement& s) { return s.error(); };
  for (const auto& a : w.agents_set) {
    auto& s = db.prepare(
        "INSERT INTO agents(id, name, password_hash, teams, capacity, created_ms, updated_ms)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
        " password_hash = excluded.password_hash, teams = excluded.teams,"
        " capacity = excluded.capacity, updated_ms = excluded.updated_ms");
    s.bind(1, a.id).bind(2, a.name).bind(3, a.password_hash).bind(4, strings_to_json(a.teams));
    s.bind(5, std::int64_t(a.capacity)).bind(6, a.created_ms).bind(7, a.updated_ms);
    if (!s.run()) return failed(s);
  }
  for (const auto& id : w.agents_deleted) {
    auto& s = db.prepare("DELETE FROM agents WHERE id = ?1");
    s.bind(1, id);
    if (!s.run()) return failed(s);
    auto& sessions = db.prepare("DELETE FROM agent_sessions WHERE agent = ?1");
    sessions.bind(1, id);
    if (!sessions.run()) return failed(sessions);
  }
  for (const auto& x : w.sessions_set) {
    auto& s = db.prepare(
        "INSERT OR REPLACE INTO agent_sessions(token_hash, agent, expires_ms) VALUES (?1, ?2, ?3)");
    s.bind(1, x.token_hash).bind(2, x.agent).bind(3, x.expires_ms);
    if (!s.run()) return failed(s);
  }
  for (const auto& hash : w.sessions_deleted) {
    auto& s = db.prepare("DELETE FROM agent_sessions WHERE token_hash = ?1");
    s.bind(1, hash);
    if (!s.run()) return failed(s);
  }
  for (const auto& o : w.outbox_added) {
    auto& s = db.prepare(
        "INSERT INTO outbox(kind, conversation_id, body, attempts, next_attempt_ms, expires_ms,"
        " status, last_error, created_ms, updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)");
    s.bind(1, o.kind).bind(2, o.conversation_id).bind(3, o.body).bind(4, std::int64_t(o.attempts));
    s.bind(5, o.next_attempt_ms).bind(6, o.expires_ms).bind(7, o.status).bind(8, o.last_error);
    s.bind(9, o.created_ms);
    if (!s.run()) return failed(s);
  }
  for (const auto& u : w.outbox_updates) {
    auto& s = db.prepare(
        "UPDATE outbox SET status = ?2, attempts = ?3, next_attempt_ms = ?4, last_error = ?5,"
        " updated_ms = ?6 WHERE id = ?1");
    s.bind(1, u.id).bind(2, u.status).bind(3, std::int64_t(u.attempts)).bind(4, u.next_attempt_ms);
    s.bind(5, u.last_error).bind(6, u.at_ms);
    if (!s.run()) return failed(s);
  }
  return {};
}

}  // namespace rapport::engine::sqlite
