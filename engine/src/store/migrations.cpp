#include "store/migrations.hpp"

#include <sqlite3.h>

namespace rapport::engine::sqlite {

namespace {

constexpr std::string_view base_schema = R"sql(
CREATE TABLE conversations (
  id          TEXT PRIMARY KEY,
  token_hash  TEXT NOT NULL,
  bot         TEXT NOT NULL,
  channel     TEXT NOT NULL,
  user        TEXT NOT NULL,
  bot_version TEXT NOT NULL,
  state       TEXT NOT NULL,
  owner       TEXT NOT NULL,
  last_seq    INTEGER NOT NULL DEFAULT 0,
  created_ms  INTEGER NOT NULL,
  updated_ms  INTEGER NOT NULL
);
CREATE UNIQUE INDEX conversations_by_user ON conversations(bot, channel, user);

CREATE TABLE transcript (
  conversation_id TEXT NOT NULL,
  seq             INTEGER NOT NULL,
  author          TEXT NOT NULL,
  text            TEXT NOT NULL,
  buttons         TEXT NOT NULL DEFAULT '[]',
  key             TEXT NOT NULL DEFAULT '',
  agent           TEXT NOT NULL DEFAULT '',
  client_id       TEXT,
  at_ms           INTEGER NOT NULL,
  PRIMARY KEY (conversation_id, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX transcript_by_client_id ON transcript(conversation_id, client_id)
  WHERE client_id IS NOT NULL;

CREATE TABLE timers (
  conversation_id TEXT NOT NULL,
  name            TEXT NOT NULL,
  due_ms          INTEGER NOT NULL,
  seq             INTEGER NOT NULL,
  PRIMARY KEY (conversation_id, name)
) WITHOUT ROWID;

CREATE TABLE bot_versions (
  bot        TEXT NOT NULL,
  version    TEXT NOT NULL,
  files      TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  PRIMARY KEY (bot, version)
) WITHOUT ROWID;

CREATE TABLE leads (
  id              INTEGER PRIMARY KEY,
  conversation_id TEXT NOT NULL,
  bot             TEXT NOT NULL,
  email           TEXT NOT NULL,
  need            TEXT NOT NULL,
  props           TEXT NOT NULL,
  at_ms           INTEGER NOT NULL
);
CREATE INDEX leads_by_bot ON leads(bot, at_ms);

CREATE TABLE opt_outs (
  bot             TEXT NOT NULL,
  channel         TEXT NOT NULL,
  user            TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  at_ms           INTEGER NOT NULL,
  PRIMARY KEY (bot, channel, user)
) WITHOUT ROWID;

CREATE TABLE analytics (
  id              INTEGER PRIMARY KEY,
  conversation_id TEXT NOT NULL,
  bot             TEXT NOT NULL,
  name            TEXT NOT NULL,
  props           TEXT NOT NULL,
  at_ms           INTEGER NOT NULL
);
CREATE INDEX analytics_by_conversation ON analytics(conversation_id);

CREATE TABLE handoffs (
  id              INTEGER PRIMARY KEY,
  conversation_id TEXT NOT NULL,
  bot             TEXT NOT NULL,
  team            TEXT NOT NULL,
  reason          TEXT NOT NULL,
  summary         TEXT NOT NULL,
  status          TEXT NOT NULL,
  agent           TEXT NOT NULL DEFAULT '',
  requested_ms    INTEGER NOT NULL,
  updated_ms      INTEGER NOT NULL
);
CREATE INDEX handoffs_by_conversation ON handoffs(conversation_id);
)sql";

// Crash recovery of side effects under way, and the engine's proactive cap.
constexpr std::string_view recovery_columns = R"sql(
ALTER TABLE conversations ADD COLUMN pending TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN proactive INTEGER NOT NULL DEFAULT 0;
CREATE INDEX conversations_pending ON conversations(pending) WHERE pending <> '';
CREATE INDEX analytics_by_name ON analytics(name, at_ms);
)sql";

// People: agents, their login sessions, what human messages show; leads from handoffs; the
// outbox of HTTP deliveries (CRM webhook).
constexpr std::string_view people = R"sql(
ALTER TABLE transcript ADD COLUMN agent_name TEXT NOT NULL DEFAULT '';
ALTER TABLE leads ADD COLUMN source TEXT NOT NULL DEFAULT 'lead_capture';
ALTER TABLE leads ADD COLUMN outcome TEXT NOT NULL DEFAULT '';

CREATE TABLE agents (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  teams         TEXT NOT NULL,
  capacity      INTEGER NOT NULL,
  created_ms    INTEGER NOT NULL,
  updated_ms    INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE agent_sessions (
  token_hash TEXT PRIMARY KEY,
  agent      TEXT NOT NULL,
  expires_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX agent_sessions_by_agent ON agent_sessions(agent);

CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  kind            TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  body            TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL,
  expires_ms      INTEGER NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending',
  last_error      TEXT NOT NULL DEFAULT '',
  created_ms      INTEGER NOT NULL,
  updated_ms      INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox(next_attempt_ms) WHERE status = 'pending';
CREATE INDEX outbox_by_conversation ON outbox(conversation_id);
)sql";

// The write path (docs/performance.md, "The storage write path"): an index on the event name
// put each turn's events, by name, on as many pages as the turn had event names — about a
// quarter of the pages a turn wrote — for reports that may as well read the table.
constexpr std::string_view lighter_analytics = R"sql(
DROP INDEX IF EXISTS analytics_by_name;
)sql";

}  // namespace

const std::vector<migration>& migrations() {
  static const std::vector<migration> all{
      {1, "conversations, transcript, timers, bot versions, leads, opt-outs, analytics, handoffs",
       base_schema},
      {2, "conversations.pending and conversations.proactive", recovery_columns},
      {3, "agents, agent sessions, the outbox, lead sources, agent names in transcripts", people},
      {4, "no index of analytics by event name", lighter_analytics},
  };
  return all;
}

int current_version(connection& db) {
  auto& has_table = db.prepare(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'");
  if (!has_table.step()) return -1;
  const bool exists = has_table.integer(0) != 0;
  has_table.reset();
  if (!exists) return 0;
  auto& version = db.prepare("SELECT max(version) FROM schema_version");
  if (!version.step()) return -1;
  const int v = int(version.integer(0));
  version.reset();
  return v;
}

std::string migrate(connection& db) {
  auto& user_tables = db.prepare(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  if (!user_tables.step()) return user_tables.error();
  const bool empty = user_tables.integer(0) == 0;
  user_tables.reset();

  int version = current_version(db);
  if (version < 0) return "cannot read schema_version";
  if (version == 0 && !empty) return "the file holds tables but no schema_version: not a Rapport database";
  const int newest = migrations().back().version;
  if (version > newest)
    return "the database has schema version " + std::to_string(version) +
           ", newer than this build understands (" + std::to_string(newest) + ")";

  if (version == 0) {
    if (auto e = db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);"
                         "INSERT INTO schema_version(version) VALUES (0);");
        !e.empty())
      return e;
  }
  for (const auto& m : migrations()) {
    if (m.version <= version) continue;
    std::string sql = "BEGIN IMMEDIATE;\n" + std::string(m.sql) +
                      "\nUPDATE schema_version SET version = " + std::to_string(m.version) +
                      ";\nCOMMIT;";
    if (auto e = db.exec(sql); !e.empty()) {
      db.exec("ROLLBACK");
      return "migration " + std::to_string(m.version) + " (" + std::string(m.description) +
             ") failed: " + e;
    }
  }
  return {};
}

}  // namespace rapport::engine::sqlite
