// The SQLite store: schema and migrations, round trips, de-duplication, group commit.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "rapport/engine/store.hpp"
#include "test_support.hpp"

namespace rapport::engine {
namespace {

using test::temp_dir;

std::unique_ptr<store> open_store(const std::string& path) {
  sqlite_store_options options;
  options.path = path;
  options.log = [](std::string_view) {};
  return open_sqlite_store(options);
}

boost::system::error_code commit_and_wait(store& s, unit_of_work w) {
  auto ec = test::await<boost::system::error_code>(
      [&](auto done) { s.commit(std::move(w), [done](boost::system::error_code ec) { done(ec); }); });
  REQUIRE(ec.has_value());
  return *ec;
}

stored_conversation sample_conversation(const std::string& id, const std::string& user) {
  stored_conversation c;
  c.id = id;
  c.token_hash = hash_token("token-" + id);
  c.bot = "support";
  c.channel = "web";
  c.user = user;
  c.bot_version = "v1";
  c.state_json = R"({"format":1})";
  c.owner = "bot";
  c.created_ms = 1000;
  c.updated_ms = 1000;
  return c;
}

stored_message visitor_message(const std::string& conversation, std::int64_t seq,
                               const std::string& text, const std::string& client_id = "") {
  stored_message m;
  m.conversation_id = conversation;
  m.entry.seq = seq;
  m.entry.by = author::visitor;
  m.entry.text = text;
  m.entry.client_id = client_id;
  m.entry.at_ms = 1000 + seq;
  return m;
}

// Runs SQL on a database file directly, as an operator's sqlite3 shell would.
void run_sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  std::string message = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  REQUIRE_MESSAGE(rc == SQLITE_OK, message);
}

std::string query_text(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
  std::string out;
  if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
    out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

// The schema as version 1 of Rapport created it: kept frozen here so the upgrade is tested
// against what real databases in the field look like.
constexpr const char* schema_v1 = R"sql(
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version(version) VALUES (1);
CREATE TABLE conversations (id TEXT PRIMARY KEY, token_hash TEXT NOT NULL, bot TEXT NOT NULL,
  channel TEXT NOT NULL, user TEXT NOT NULL, bot_version TEXT NOT NULL, state TEXT NOT NULL,
  owner TEXT NOT NULL, last_seq INTEGER NOT NULL DEFAULT 0, created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL);
CREATE UNIQUE INDEX conversations_by_user ON conversations(bot, channel, user);
CREATE TABLE transcript (conversation_id TEXT NOT NULL, seq INTEGER NOT NULL, author TEXT NOT NULL,
  text TEXT NOT NULL, buttons TEXT NOT NULL DEFAULT '[]', key TEXT NOT NULL DEFAULT '',
  agent TEXT NOT NULL DEFAULT '', client_id TEXT, at_ms INTEGER NOT NULL,
  PRIMARY KEY (conversation_id, seq)) WITHOUT ROWID;
CREATE UNIQUE INDEX transcript_by_client_id ON transcript(conversation_id, client_id)
  WHERE client_id IS NOT NULL;
CREATE TABLE timers (conversation_id TEXT NOT NULL, name TEXT NOT NULL, due_ms INTEGER NOT NULL,
  seq INTEGER NOT NULL, PRIMARY KEY (conversation_id, name)) WITHOUT ROWID;
CREATE TABLE bot_versions (bot TEXT NOT NULL, version TEXT NOT NULL, files TEXT NOT NULL,
  created_ms INTEGER NOT NULL, PRIMARY KEY (bot, version)) WITHOUT ROWID;
CREATE TABLE leads (id INTEGER PRIMARY KEY, conversation_id TEXT NOT NULL, bot TEXT NOT NULL,
  email TEXT NOT NULL, need TEXT NOT NULL, props TEXT NOT NULL, at_ms INTEGER NOT NULL);
CREATE INDEX leads_by_bot ON leads(bot, at_ms);
CREATE TABLE opt_outs (bot TEXT NOT NULL, channel TEXT NOT NULL, user TEXT NOT NULL,
  conversation_id TEXT NOT NULL, at_ms INTEGER NOT NULL, PRIMARY KEY (bot, channel, user))
  WITHOUT ROWID;
CREATE TABLE analytics (id INTEGER PRIMARY KEY, conversation_id TEXT NOT NULL, bot TEXT NOT NULL,
  name TEXT NOT NULL, props TEXT NOT NULL, at_ms INTEGER NOT NULL);
CREATE INDEX analytics_by_conversation ON analytics(conversation_id);
CREATE TABLE handoffs (id INTEGER PRIMARY KEY, conversation_id TEXT NOT NULL, bot TEXT NOT NULL,
  team TEXT NOT NULL, reason TEXT NOT NULL, summary TEXT NOT NULL, status TEXT NOT NULL,
  agent TEXT NOT NULL DEFAULT '', requested_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);
CREATE INDEX handoffs_by_conversation ON handoffs(conversation_id);
INSERT INTO conversations VALUES ('c-old', 'hash', 'support', 'web', 'u1', 'v0', '{}', 'bot', 3,
  10, 20);
INSERT INTO transcript VALUES ('c-old', 1, 'visitor', 'hello', '[]', '', '', 'm-1', 11);
INSERT INTO timers VALUES ('c-old', 'no_input', 5000, 2);
)sql";

TEST_CASE("store: a new database is created under the data directory, in WAL mode, at the newest schema") {
  temp_dir dir;
  const std::string path = dir / "nested/data/rapport.db";
  auto s = open_store(path);
  CHECK(std::filesystem::exists(path));
  CHECK(s->schema_version() == sqlite_schema_version());
  CHECK(sqlite_schema_version() >= 3);
  CHECK(query_text(path, "PRAGMA journal_mode") == "wal");
  CHECK(query_text(path, "SELECT count(*) FROM sqlite_master WHERE name = 'analytics_by_name'") ==
        "0");  // dropped by migration 4: it cost a page per event name and turn
  CHECK(query_text(path, "SELECT max(version) FROM schema_version") ==
        std::to_string(sqlite_schema_version()));
}

TEST_CASE("store: a version 1 database is migrated in place and keeps its rows") {
  temp_dir dir;
  const std::string path = dir / "rapport.db";
  run_sql(path, schema_v1);

  auto s = open_store(path);
  CHECK(s->schema_version() == sqlite_schema_version());
  auto c = s->conversation("c-old");
  REQUIRE(c.has_value());
  REQUIRE(c->has_value());
  CHECK((*c)->user == "u1");
  CHECK((*c)->last_seq == 3);
  CHECK((*c)->pending.empty());  // added by migration 2 with its default
  CHECK((*c)->proactive == 0);
  auto seq = s->message_seq("c-old", "m-1");
  REQUIRE(seq.has_value());
  CHECK(*seq == std::optional<std::int64_t>(1));
  auto timers = s->timers();
  REQUIRE(timers.has_value());
  REQUIRE(timers->size() == 1);
  CHECK(timers->front().due_ms == 5000);

  // The migrated database takes new writes, and opening it again changes nothing.
  auto conversation = sample_conversation("c-new", "u2");
  conversation.pending = "webhook";
  unit_of_work w;
  w.conversation = conversation;
  CHECK_FALSE(commit_and_wait(*s, std::move(w)));
  auto pending = s->conversations_pending();
  REQUIRE(pending.has_value());
  REQUIRE(pending->size() == 1);
  CHECK(pending->front().id == "c-new");
  s.reset();
  CHECK(open_store(path)->schema_version() == sqlite_schema_version());
  CHECK(query_text(path, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                         " AND tbl_name = 'analytics'") == "1");  // analytics_by_conversation
}

TEST_CASE("store: a database from a newer Rapport, or a foreign file, is refused at start") {
  temp_dir dir;
  run_sql(dir / "newer.db", "CREATE TABLE schema_version (version INTEGER NOT NULL);"
                            "INSERT INTO schema_version VALUES (999);");
  CHECK_THROWS_WITH_AS(open_store(dir / "newer.db"), doctest::Contains("newer"), std::runtime_error);
  run_sql(dir / "foreign.db", "CREATE TABLE customers (id INTEGER);");
  CHECK_THROWS_WITH_AS(open_store(dir / "foreign.db"), doctest::Contains("not a Rapport database"),
                       std::runtime_error);
}

TEST_CASE("store: one turn round-trips: conversation, transcript, timers, analytics, lead, opt-out, handoff, bot version") {
  temp_dir dir;
  auto s = open_store(dir / "rapport.db");

  unit_of_work w;
  auto conversation = sample_conversation("c1", "visitor-1");
  conversation.last_seq = 2;
  w.conversation = conversation;
  w.messages.push_back(visitor_message("c1", 1, "hi there", "client-1"));
  stored_message reply;
  reply.conversation_id = "c1";
  reply.entry = {2, author::bot, "Pick one", {{"Pricing", "pricing"}, {"Demo", "demo"}}, "ask_reason",
                 "", "", 1002};
  w.messages.push_back(reply);
  w.timers_set.push_back({"c1", "no_input", 120000, 1});
  w.analytics.push_back({"c1", "support", "policy_block", R"({"reason":"promo"})", 1002});
  w.leads.push_back({"c1", "support", "ana@example.com", "a demo", R"({"email":"ana@example.com"})", 1002});
  w.opt_outs.push_back({"support", "web", "visitor-1", "c1", true, 1002});
  w.handoffs.push_back({"c1", "support", "sales", "pricing", R"({"intent":"pricing"})", "requested", "", 1002, 1002});
  w.bot_versions.push_back({"support", "v1", {{"bot.yaml", "name: support\n"}, {"messages/en.yaml", "hi: Hi\n"}}, 1000});
  CHECK_FALSE(commit_and_wait(*s, std::move(w)));

  auto c = s->conversation("c1");
  REQUIRE(c.has_value());
  REQUIRE(c->has_value());
  CHECK((*c)->token_hash == hash_token("token-c1"));
  CHECK((*c)->state_json == R"({"format":1})");
  CHECK((*c)->last_seq == 2);
  auto by_user = s->conversation_of("support", "web", "visitor-1");
  REQUIRE(by_user.has_value());
  REQUIRE(by_user->has_value());
  CHECK((*by_user)->id == "c1");
  CHECK_FALSE(s->conversation("nope")->has_value());

  auto transcript = s->transcript("c1", 0, 100);
  REQUIRE(transcript.has_value());
  REQUIRE(transcript->size() == 2);
  CHECK((*transcript)[0].by == author::visitor);
  CHECK((*transcript)[0].client_id == "client-1");
  CHECK((*transcript)[1].by == author::bot);
  CHECK((*transcript)[1].key == "ask_reason");
  REQUIRE((*transcript)[1].buttons.size() == 2);
  CHECK((*transcript)[1].buttons[1].payload == "demo");
  CHECK(s->transcript("c1", 1, 100)->size() == 1);
  CHECK(s->transcript("c1", 0, 1)->size() == 1);

  CHECK(s->timers()->size() == 1);
  REQUIRE(s->analytics("c1")->size() == 1);
  CHECK(s->analytics("c1")->front().props_json == R"({"reason":"promo"})");
  REQUIRE(s->leads("support")->size() == 1);
  CHECK(s->leads("support")->front().email == "ana@example.com");
  CHECK(*s->opted_out("support", "web", "visitor-1"));
  CHECK_FALSE(*s->opted_out("support", "web", "someone-else"));
  auto files = s->bot_version("support", "v1");
  REQUIRE(files.has_value());
  REQUIRE(files->has_value());
  CHECK((**files).at("messages/en.yaml") == "hi: Hi\n");
  CHECK_FALSE(s->bot_version("support", "v2")->has_value());

  // A later turn: the state is replaced, the handoff moves on, the visitor opts back in.
  unit_of_work later;
  conversation.state_json = R"({"format":1,"turns":1})";
  conversation.owner = "queued";
  later.conversation = conversation;
  later.handoff_updates.push_back({"c1", "unavailable", "", 2000});
  later.opt_outs.push_back({"support", "web", "visitor-1", "c1", false, 2000});
  later.timers_deleted.push_back({"c1", "no_input", 0});
  CHECK_FALSE(commit_and_wait(*s, std::move(later)));
  CHECK((*s->conversation("c1"))->owner == "queued");
  CHECK((*s->conversation("c1"))->token_hash == hash_token("token-c1"));  // never rewritten
  CHECK(s->handoffs("c1")->front().status == "unavailable");
  CHECK_FALSE(*s->opted_out("support", "web", "visitor-1"));
  CHECK(s->timers()->empty());
}

TEST_CASE("store: a client_id is unique per conversation; a duplicate fails its own unit only") {
  temp_dir dir;
  auto s = open_store(dir / "rapport.db");
  unit_of_work first;
  first.conversation = sample_conversation("c1", "u1");
  first.messages.push_back(visitor_message("c1", 1, "hello", "m-1"));
  CHECK_FALSE(commit_and_wait(*s, std::move(first)));

  // Submitted together, so they share one transaction: the duplicate rolls back alone.
  std::promise<boost::system::error_code> duplicate_done, other_done;
  unit_of_work duplicate;
  auto changed = sample_conversation("c1", "u1");
  changed.owner = "closed";
  duplicate.conversation = changed;
  duplicate.messages.push_back(visitor_message("c1", 2, "hello again", "m-1"));
  unit_of_work other;
  other.conversation = sample_conversation("c2", "u2");
  other.messages.push_back(visitor_message("c2", 1, "hello", "m-1"));  // same id, other conversation
  s->commit(std::move(duplicate), [&](auto ec) { duplicate_done.set_value(ec); });
  s->commit(std::move(other), [&](auto ec) { other_done.set_value(ec); });

  CHECK(duplicate_done.get_future().get() == make_error_code(errc::store_failed));
  CHECK_FALSE(other_done.get_future().get());
  CHECK((*s->conversation("c1"))->owner == "bot");  // nothing of the failed unit was written
  CHECK(s->transcript("c1", 0, 10)->size() == 1);
  CHECK(s->transcript("c2", 0, 10)->size() == 1);
  CHECK(*s->message_seq("c2", "m-1") == std::optional<std::int64_t>(1));
}

TEST_CASE("store: a unit that fails inside a batch rolls back alone; the others commit once") {
  temp_dir dir;
  sqlite_store_options options;
  options.path = dir / "rapport.db";
  std::mutex log_mutex;
  std::vector<std::string> log;
  options.log = [&](std::string_view line) {
    std::lock_guard lock(log_mutex);
    log.emplace_back(line);
  };
  auto s = open_sqlite_store(options);
  unit_of_work first;
  first.conversation = sample_conversation("c1", "u1");
  first.messages.push_back(visitor_message("c1", 1, "hello", "m-1"));
  CHECK_FALSE(commit_and_wait(*s, std::move(first)));

  // Completions run on the writer's thread: holding one there lets the next three units queue
  // up, so the writer takes them as one batch — the failing unit in the middle.
  std::promise<void> holding, release;
  s->flush([&](auto) {
    holding.set_value();
    release.get_future().wait();
  });
  holding.get_future().wait();
  auto turn = [](const std::string& id, std::int64_t seq, const std::string& client_id) {
    unit_of_work u;
    auto c = sample_conversation(id, "user-" + id);
    c.last_seq = seq;
    u.conversation = c;
    u.messages.push_back(visitor_message(id, seq, "text", client_id));
    u.analytics.push_back({id, "support", "slot_filled", "{}", 1000 + seq});
    u.timers_set.push_back({id, "no_input", 5000, std::uint64_t(seq)});
    return u;
  };
  std::promise<boost::system::error_code> before, duplicate, after;
  s->commit(turn("c2", 1, "m-1"), [&](auto ec) { before.set_value(ec); });
  s->commit(turn("c1", 2, "m-1"), [&](auto ec) { duplicate.set_value(ec); });  // m-1 again
  s->commit(turn("c3", 1, "m-1"), [&](auto ec) { after.set_value(ec); });
  release.set_value();

  CHECK_FALSE(before.get_future().get());
  CHECK(duplicate.get_future().get() == make_error_code(errc::store_failed));
  CHECK_FALSE(after.get_future().get());
  for (const char* id : {"c2", "c3"}) {
    CAPTURE(id);
    CHECK(s->transcript(id, 0, 10)->size() == 1);
    CHECK(s->analytics(id)->size() == 1);  // written once, though the batch ran twice
    CHECK((*s->conversation(id))->last_seq == 1);
  }
  CHECK(s->transcript("c1", 0, 10)->size() == 1);  // nothing of the failed unit
  CHECK(s->analytics("c1")->empty());
  CHECK((*s->conversation("c1"))->last_seq == 0);
  REQUIRE(s->timers()->size() == 2);
  std::lock_guard lock(log_mutex);
  REQUIRE(log.size() == 1);
  CHECK(log.front().find("a unit of work was rolled back") != std::string::npos);
}

TEST_CASE("store: checkpoints keep the write-ahead log small, and lose nothing") {
  temp_dir dir;
  sqlite_store_options options;
  options.path = dir / "rapport.db";
  options.log = [](std::string_view) {};
  options.checkpoint_pages = 16;
  auto s = open_sqlite_store(options);
  // 400 commits write thousands of pages; the log is copied into the database and starts over
  // every 16 or so.
  for (int i = 1; i <= 400; ++i) {
    unit_of_work u;
    const std::string id = "c" + std::to_string(i % 7);
    u.conversation = sample_conversation(id, "user-" + id);
    u.messages.push_back(visitor_message(id, i, std::string(300, 'x'), "m-" + std::to_string(i)));
    u.analytics.push_back({id, "support", "asked", "{}", i});
    REQUIRE_FALSE(commit_and_wait(*s, std::move(u)));
  }
  const auto log_bytes = std::filesystem::file_size(options.path + "-wal");
  CHECK(log_bytes <= 4 * 16 * (4096 + 24) + 32);  // the hard bound, 4 x checkpoint_pages
  CHECK(std::filesystem::file_size(options.path) > 400 * 300);  // most of it is there already
  s.reset();
  auto reopened = open_store(options.path);
  std::size_t messages = 0;
  for (int c = 0; c < 7; ++c)
    messages += reopened->transcript("c" + std::to_string(c), 0, 1000)->size();
  CHECK(messages == 400);
}

TEST_CASE("store: timers are replaced by name and deleted only when their seq matches") {
  temp_dir dir;
  auto s = open_store(dir / "rapport.db");
  unit_of_work set;
  set.timers_set.push_back({"c1", "no_input", 1000, 1});
  CHECK_FALSE(commit_and_wait(*s, std::move(set)));
  unit_of_work replace;
  replace.timers_set.push_back({"c1", "no_input", 9000, 2});
  CHECK_FALSE(commit_and_wait(*s, std::move(replace)));
  unit_of_work stale_delete;  // the turn for timer 1 arrives late: timer 2 must survive
  stale_delete.timers_deleted.push_back({"c1", "no_input", 1});
  CHECK_FALSE(commit_and_wait(*s, std::move(stale_delete)));
  auto timers = s->timers();
  REQUIRE(timers->size() == 1);
  CHECK(timers->front().seq == 2);
  CHECK(timers->front().due_ms == 9000);
  unit_of_work fired;
  fired.timers_deleted.push_back({"c1", "no_input", 2});
  CHECK_FALSE(commit_and_wait(*s, std::move(fired)));
  CHECK(s->timers()->empty());
}

TEST_CASE("store: group commit of many concurrent submissions commits all, in per-conversation order") {
  temp_dir dir;
  auto s = open_store(dir / "rapport.db");
  constexpr int writers = 8;
  constexpr int turns = 150;

  std::mutex mutex;
  std::map<int, std::vector<std::int64_t>> completed;  // writer → seqs in completion order
  std::atomic<int> failures{0};
  std::atomic<int> done_count{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      const std::string id = "c" + std::to_string(w);
      for (int t = 1; t <= turns; ++t) {
        unit_of_work u;
        auto c = sample_conversation(id, "u" + std::to_string(w));
        c.last_seq = t;
        u.conversation = c;
        u.messages.push_back(visitor_message(id, t, "message " + std::to_string(t),
                                             "client-" + std::to_string(t)));
        u.analytics.push_back({id, "support", "turn", "{}", t});
        s->commit(std::move(u), [&, w, t](boost::system::error_code ec) {
          if (ec) ++failures;
          {
            std::lock_guard lock(mutex);
            completed[w].push_back(t);
          }
          ++done_count;
        });
      }
    });
  }
  for (auto& t : threads) t.join();
  REQUIRE(test::eventually([&] { return done_count == writers * turns; }));
  CHECK(failures == 0);

  for (int w = 0; w < writers; ++w) {
    const std::string id = "c" + std::to_string(w);
    std::vector<std::int64_t> expected(turns);
    for (int t = 0; t < turns; ++t) expected[t] = t + 1;
    {
      std::lock_guard lock(mutex);
      CHECK(completed[w] == expected);  // completions in submission order
    }
    auto transcript = s->transcript(id, 0, 1000);
    REQUIRE(transcript.has_value());
    REQUIRE(transcript->size() == std::size_t(turns));
    for (int t = 0; t < turns; ++t) {
      CHECK((*transcript)[t].seq == t + 1);
      CHECK((*transcript)[t].text == "message " + std::to_string(t + 1));
    }
    CHECK((*s->conversation(id))->last_seq == turns);
  }
}

TEST_CASE("store: flush completes after everything submitted before it, and closing drains the queue") {
  temp_dir dir;
  const std::string path = dir / "rapport.db";
  auto s = open_store(path);
  std::atomic<int> committed{0};
  for (int i = 1; i <= 50; ++i) {
    unit_of_work u;
    u.messages.push_back(visitor_message("c1", i, "m"));
    s->commit(std::move(u), [&](auto ec) {
      if (!ec) ++committed;
    });
  }
  std::promise<void> flushed;
  int seen_at_flush = -1;
  s->flush([&](auto) {
    seen_at_flush = committed.load();
    flushed.set_value();
  });
  flushed.get_future().wait();
  CHECK(seen_at_flush == 50);

  for (int i = 51; i <= 60; ++i) {
    unit_of_work u;
    u.messages.push_back(visitor_message("c1", i, "m"));
    s->commit(std::move(u), nullptr);
  }
  s.reset();  // the destructor commits what was queued
  CHECK(open_store(path)->transcript("c1", 0, 100)->size() == 60);
}

TEST_CASE("store: tokens are stored as SHA-256 hashes") {
  CHECK(hash_token("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hash_token("a") != hash_token("b"));
}

}  // namespace
}  // namespace rapport::engine
