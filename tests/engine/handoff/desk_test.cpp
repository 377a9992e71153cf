// The agent desk inside a real engine (SQLite store, fake clock): a visitor asks for a person,
// an agent is offered the conversation, accepts, answers; the bot stays silent; fallbacks run
// when nobody can come; leads reach the CRM webhook, signed, retried until delivered.
#include <doctest/doctest.h>

#include <openssl/hmac.h>

#include "../engine_harness.hpp"
#include "rapport/engine/agent_desk.hpp"

using namespace rapport;
using namespace rapport::engine;
using namespace rapport::engine::test;
using namespace std::chrono_literals;

namespace {

// Agents exist before the engine starts, as `rapport agents add` leaves them.
void add_agents(engine_harness& h, const std::vector<agent_profile>& agents) {
  sqlite_store_options o;
  o.path = h.db_path();
  auto s = open_sqlite_store(o);
  unit_of_work w;
  for (const auto& a : agents)
    w.agents_set.push_back({a.id, a.name, hash_password("pw-" + a.id), a.teams, a.capacity, 1, 1});
  auto done = await<boost::system::error_code>([&](auto d) { s->commit(std::move(w), d); });
  REQUIRE(done.has_value());
  REQUIRE_FALSE(*done);
}

team_options team(std::string name) {
  team_options t;
  t.name = std::move(name);
  return t;
}

// The harness with a desk: team "default" (the fixture bot's human flow asks for it), quick
// ticks, no reconnect grace unless a test wants one.
struct desk_harness {
  engine_harness h;
  explicit desk_harness(std::vector<agent_profile> agents = {{"ana", "Ana", {"default"}, 2},
                                                             {"ben", "Ben", {"default"}, 2}}) {
    h.options.desk.teams = {team("default"), team("billing")};
    h.options.desk.tick = 5ms;
    h.options.desk.reconnect_grace = 0ms;
    h.options.desk.public_url = "https://chat.example.test/";
    add_agents(h, agents);
  }
  agent_desk& desk() { return h.e().desk(); }
};

// A console connection that records every view it is sent. The record outlives the console:
// the desk may be calling the listener while the console goes away.
struct console {
  struct record {
    std::mutex mutex;
    std::vector<desk_view> views;
    std::atomic<bool> ended{false};  // the agent was removed
  };
  std::shared_ptr<record> seen = std::make_shared<record>();
  subscription sub;
  console(agent_desk& d, const std::string& agent) {
    sub = d.connect(
        agent,
        [seen = seen](const desk_view& v) {
          std::lock_guard lock(seen->mutex);
          seen->views.push_back(v);
        },
        [seen = seen] { seen->ended = true; });
  }
  desk_view last() {
    std::lock_guard lock(seen->mutex);
    return seen->views.empty() ? desk_view{} : seen->views.back();
  }
  bool offered(const std::string& conversation) {
    const auto v = last();
    for (const auto& c : v.queue)
      if (c.id == conversation && c.offered_to == v.me.id) return true;
    return false;
  }
};

boost::system::error_code call(const std::function<void(std::function<void(boost::system::error_code)>)>& f) {
  auto r = await<boost::system::error_code>(f);
  REQUIRE(r.has_value());
  return *r;
}

std::string hmac_hex(const std::string& key, const std::string& text) {
  unsigned char mac[32];
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), int(key.size()), reinterpret_cast<const unsigned char*>(text.data()),
       text.size(), mac, &n);
  std::string out;
  for (unsigned i = 0; i < n; ++i) {
    static const char* hex = "0123456789abcdef";
    out += hex[mac[i] >> 4];
    out += hex[mac[i] & 15];
  }
  return out;
}

std::string header(const http_request& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return {};
}

}  // namespace

TEST_CASE("desk: a password opens a session; a wrong one or an unknown agent does not") {
  desk_harness d;
  d.h.start();
  auto token = await<result<std::string>>([&](auto done) { d.desk().login("ana", "pw-ana", done); });
  REQUIRE(token.has_value());
  REQUIRE(token->has_value());
  auto who = await<result<agent_profile>>([&](auto done) { d.desk().session(**token, done); });
  REQUIRE(who.has_value());
  REQUIRE(who->has_value());
  CHECK((*who)->name == "Ana");
  CHECK(d.h.sql("SELECT count(*) FROM agent_sessions") == "1");
  CHECK(d.h.sql("SELECT token_hash FROM agent_sessions") != **token);  // only its hash is kept

  auto wrong = await<result<std::string>>([&](auto done) { d.desk().login("ana", "nope", done); });
  CHECK(wrong->error() == desk_errc::bad_credentials);
  auto nobody = await<result<std::string>>([&](auto done) { d.desk().login("zed", "pw-zed", done); });
  CHECK(nobody->error() == desk_errc::bad_credentials);

  REQUIRE(await<bool>([&](auto done) { d.desk().logout(**token, [done] { done(true); }); }));
  CHECK(d.h.sql("SELECT count(*) FROM agent_sessions") == "0");
  auto gone = await<result<agent_profile>>([&](auto done) { d.desk().session(**token, done); });
  CHECK(gone->error() == desk_errc::no_session);
}

TEST_CASE("desk: an online agent is offered the conversation, accepts it, and the bot goes silent") {
  desk_harness d;
  d.h.start();
  console ana(d.desk(), "ana");
  REQUIRE(eventually([&] { return ana.last().status == presence::online; }));
  const auto id = d.h.open_ok().conversation.id;
  REQUIRE(d.h.say(id, "my note").has_value());
  REQUIRE(d.h.say(id, "agent").has_value());

  // The visitor is told their place in line; Ana is offered the conversation with a summary.
  CHECK(d.h.wait_for_key(id, "rapport.handoff_queued") == 1);
  REQUIRE(eventually([&] { return ana.offered(id); }));
  const auto offer = ana.last().queue.front();
  CHECK(offer.team == "default");
  CHECK(dialogs::to_text(offer.summary.at("note")) == "my note");
  CHECK(offer.position == 1);
  auto notes = d.h.transcript(id);
  CHECK(notes.back().by == author::system);
  CHECK(notes.back().text == "You're next in line.");

  CHECK_FALSE(call([&](auto done) { d.desk().accept("ana", id, done); }));
  CHECK(d.h.wait_for_key(id, "rapport.handoff_joined") == 1);
  CHECK(d.h.transcript(id).back().text == "Ana has joined the conversation.");
  REQUIRE(eventually([&] { return d.h.sql("SELECT owner FROM conversations") == "human"; }));
  REQUIRE(eventually([&] { return ana.last().mine.size() == 1 && ana.last().queue.empty(); }));
  CHECK(d.h.sql("SELECT status || ' ' || agent FROM handoffs") == "accepted ana");

  // The visitor writes: no bot reply. Ana answers: a human message with her name.
  auto visitor = d.h.say(id, "hi, is someone there?");
  REQUIRE(visitor.has_value());
  CHECK(visitor->replies.empty());
  auto sent = await<result<post_result>>([&](auto done) {
    d.desk().send("ana", id, "Hi! Ana here. How can I help?", "m1", done);
  });
  REQUIRE(sent->has_value());
  const auto last = d.h.transcript(id).back();
  CHECK(last.by == author::human);
  CHECK(last.agent == "ana");
  CHECK(last.agent_name == "Ana");
  CHECK(last.text == "Hi! Ana here. How can I help?");
  // Sent twice (a retry after a dropped connection): stored once.
  auto again = await<result<post_result>>([&](auto done) {
    d.desk().send("ana", id, "Hi! Ana here. How can I help?", "m1", done);
  });
  CHECK((*again)->duplicate);
  // Ben is not the owner: he cannot write.
  auto ben = await<result<post_result>>([&](auto done) { d.desk().send("ben", id, "me too", "b1", done); });
  CHECK(ben->error() == desk_errc::not_yours);

  // Back to the bot: it speaks again.
  CHECK_FALSE(call([&](auto done) { d.desk().return_to_bot("ana", id, "", done); }));
  REQUIRE(eventually([&] { return d.h.sql("SELECT owner FROM conversations") == "bot"; }));
  auto back = d.h.say(id, "another note");
  REQUIRE(back.has_value());
  CHECK_FALSE(back->replies.empty());
  const auto stats = d.desk().stats();
  CHECK(stats.queued == 1);
  CHECK(stats.accepted == 1);
  CHECK(stats.time_to_human_counts.back() == 1);
  CHECK(stats.first_response_counts.back() == 1);
}

TEST_CASE("desk: with nobody of the team online the fallback runs at once, and says why") {
  desk_harness d;
  d.h.start();
  const auto id = d.h.open_ok().conversation.id;
  REQUIRE(d.h.say(id, "agent").has_value());
  CHECK(d.h.wait_for_key(id, "rapport.lead_ask_email") == 1);
  CHECK(d.h.sql("SELECT status FROM handoffs") == "unavailable");
  CHECK(d.h.sql("SELECT json_extract(state, '$.context.handoff_reason') FROM conversations") == "no_agents");
  CHECK(d.desk().stats().unavailable_by_reason ==
        std::vector<std::pair<std::string, std::uint64_t>>{{"no_agents", 1}});
}

TEST_CASE("desk: outside office hours the fallback learns when the team is back") {
  desk_harness d;
  // The fake clock starts on a Friday at midnight UTC (01:00 in Berlin): the team is closed.
  d.h.options.desk.teams[0].hours.time_zone = "Europe/Berlin";
  REQUIRE(dialogs::add_office_hours(d.h.options.desk.teams[0].hours, "mon-fri", "09:00-17:00").empty());
  d.h.start();
  console ana(d.desk(), "ana");  // online, but the team is closed
  const auto id = d.h.open_ok().conversation.id;
  REQUIRE(d.h.say(id, "agent").has_value());
  CHECK(d.h.wait_for_key(id, "rapport.lead_ask_email") == 1);
  CHECK(d.h.sql("SELECT json_extract(state, '$.context.handoff_reason') FROM conversations") == "closed");
  CHECK(d.h.sql("SELECT json_extract(state, '$.context.handoff_back_at') FROM conversations") ==
        dialogs::describe_opening(*dialogs::next_opening(d.h.options.desk.teams[0].hours, d.h.clock.now()),
                                  "Europe/Berlin", "en"));
}

TEST_CASE("desk: when nobody accepts within the wait limit the fallback runs") {
  desk_harness d({{"ana", "Ana", {"default"}, 1}});
  d.h.options.desk.teams[0].wait_limit = 2min;
  d.h.start();
  console ana(d.desk(), "ana");
  const auto id = d.h.open_ok().conversation.id;
  REQUIRE(d.h.say(id, "agent").has_value());
  REQUIRE(eventually([&] { return ana.offered(id); }));
  d.h.clock.advance(2min);
  CHECK(d.h.wait_for_key(id, "rapport.lead_ask_email") == 1);
  REQUIRE(eventually([&] { return ana.last().queue.empty(); }));
  CHECK(call([&](auto done) { d.desk().accept("ana", id, done); }) == desk_errc::not_waiting);
}

TEST_CASE("desk: an offer not taken moves on; a declined one too") {
  desk_harness d;
  d.h.options.desk.offer_timeout = 30s;
  d.h.start();
  console ana(d.desk(), "ana");
  console ben(d.desk(), "ben");
  const auto id = d.h.open_ok().conversation.id;
  REQUIRE(d.h.say(id, "agent").has_value());
  REQUIRE(eventually([&] { return ana.offered(id) || ben.offered(id); }));
  const bool ana_first = ana.offered(id);
  auto& first = ana_first ? ana : ben;
  auto& second = ana_first ? ben : ana;
  d.h.clock.advance(30s);
  REQUIRE(eventually([&] { return second.offered(id) && !first.offered(id); }));
  d.desk().decline(second.last().me.id, id);
  REQUIRE(eventually([&] { return first.offered(id); }));
}

TEST_CASE("desk: an agent who disconnects keeps the conversation for the grace period, then it is queued again") {
  desk_harness d;
  d.h.options.desk.reconnect_grace = 1min;
  d.h.start();
  auto ana = std::make_unique<console>(d.desk(), "ana");
  const auto id = d.h.open_ok().conversation.id;
  REQUIRE(d.h.say(id, "agent").has_value());
  REQUIRE(eventually([&] { return ana->offered(id); }));
  REQUIRE_FALSE(call([&](auto done) { d.desk().accept("ana", id, done); }));
  REQUIRE(eventually([&] { return d.h.sql("SELECT owner FROM conversations") == "human"; }));

  console ben(d.desk(), "ben");
  auto ana_status = [&] {
    for (const auto& c : ben.last().colleagues)
      if (c.id == "ana") return c.status;
    return presence::online;
  };
  REQUIRE(eventually([&] { return ana_status() == presence::online; }));
  ana.reset();  // the browser tab closed
  REQUIRE(eventually([&] { return ana_status() == presence::offline; }));
  d.h.clock.advance(59s);
  CHECK(d.h.sql("SELECT owner FROM conversations") == "human");  // still Ana's
  d.h.clock.advance(1s);
  CHECK(d.h.wait_for_key(id, "rapport.handoff_requeued") == 1);
  REQUIRE(eventually([&] { return ben.offered(id); }));
  CHECK(d.h.sql("SELECT owner FROM conversations") == "queued");
  CHECK_FALSE(call([&](auto done) { d.desk().accept("ben", id, done); }));
  auto joined = [&] {
    int n = 0;
    for (const auto& e : d.h.transcript(id)) n += e.key == "rapport.handoff_joined";
    return n;
  };
  REQUIRE(eventually([&] { return joined() == 2; }));
  CHECK(d.h.transcript(id).back().text == "Ben has joined the conversation.");
  CHECK(d.desk().stats().requeued == 1);
}

TEST_CASE("desk: a transfer queues the conversation for another team; a close records the outcome") {
  desk_harness d({{"ana", "Ana", {"default"}, 2}, {"bill", "Bill", {"billing"}, 2}});
  d.h.start();
  console ana(d.desk(), "ana");
  console bill(d.desk(), "bill");
  const auto id = d.h.open_ok().conversation.id;
  REQUIRE(d.h.say(id, "agent").has_value());
  REQUIRE(eventually([&] { return ana.offered(id); }));
  REQUIRE_FALSE(call([&](auto done) { d.desk().accept("ana", id, done); }));
  CHECK(call([&](auto done) { d.desk().transfer("ana", id, "nowhere", "", done); }) == desk_errc::unknown_team);
  CHECK_FALSE(call([&](auto done) { d.desk().transfer("ana", id, "billing", "", done); }));
  CHECK(d.h.wait_for_key(id, "rapport.handoff_transferred") == 1);
  REQUIRE(eventually([&] { return bill.offered(id); }));
  REQUIRE_FALSE(call([&](auto done) { d.desk().accept("bill", id, done); }));
  CHECK(call([&](auto done) { d.desk().close("bill", id, "maybe", done); }) == desk_errc::bad_outcome);
  CHECK_FALSE(call([&](auto done) { d.desk().close("bill", id, "qualified_lead", done); }));
  REQUIRE(eventually([&] { return d.h.sql("SELECT owner FROM conversations") == "closed"; }));
  CHECK(d.h.sql("SELECT outcome FROM leads WHERE source = 'closed'") == "qualified_lead");
  CHECK(d.h.sql("SELECT json_extract(props, '$.agent') FROM leads WHERE source = 'closed'") == "bill");
  CHECK(d.h.sql("SELECT json_extract(props, '$.transcript_url') FROM leads WHERE source = 'closed'") ==
        "https://chat.example.test/agent/#conversation=" + id);
  CHECK(d.desk().stats().closed_by_outcome ==
        std::vector<std::pair<std::string, std::uint64_t>>{{"qualified_lead", 1}});
}

TEST_CASE("desk: a person's conversation survives a restart; the agent reconnects and carries on") {
  desk_harness d;
  d.h.options.desk.reconnect_grace = 1min;
  d.h.start();
  std::string id;
  {
    console ana(d.desk(), "ana");
    id = d.h.open_ok().conversation.id;
    REQUIRE(d.h.say(id, "agent").has_value());
    REQUIRE(eventually([&] { return ana.offered(id); }));
    REQUIRE_FALSE(call([&](auto done) { d.desk().accept("ana", id, done); }));
    REQUIRE(eventually([&] { return d.h.sql("SELECT owner FROM conversations") == "human"; }));
  }
  d.h.stop();
  d.h.start();
  console ana(d.desk(), "ana");
  REQUIRE(eventually([&] { return ana.last().mine.size() == 1; }));
  CHECK(ana.last().mine[0].id == id);
  auto sent = await<result<post_result>>([&](auto done) { d.desk().send("ana", id, "Still here!", "m2", done); });
  CHECK(sent->has_value());
}

TEST_CASE("desk: leads reach the CRM webhook signed, and are retried until it answers 2xx") {
  desk_harness d;
  d.h.options.desk.crm.url = "https://crm.example.test/leads";
  d.h.options.desk.crm.secret = "s3cret";
  d.h.options.desk.crm.retry_base = 10s;
  d.h.start();
  const auto id = d.h.open_ok().conversation.id;
  REQUIRE(d.h.say(id, "agent").has_value());  // a handoff: a lead with source "handoff"
  REQUIRE(eventually([&] { return d.h.http->count() == 1; }));
  const auto first = d.h.http->request(0);
  CHECK(first.url == "https://crm.example.test/leads");
  CHECK(first.body.find("\"conversation\":\"" + id + "\"") != std::string::npos);
  CHECK(first.body.find("\"event\":\"handoff\"") != std::string::npos);
  // The receiver's check: HMAC-SHA256 of "<t>.<body>" with the shared secret.
  const auto signature = header(first, "X-Rapport-Signature");
  const auto comma = signature.find(',');
  REQUIRE(signature.starts_with("t="));
  REQUIRE(comma != std::string::npos);
  const auto stamp = signature.substr(2, comma - 2);
  CHECK(signature.substr(comma + 1) == "v1=" + hmac_hex("s3cret", stamp + "." + first.body));
  CHECK(signature.substr(comma + 1) != "v1=" + hmac_hex("wrong", stamp + "." + first.body));

  d.h.http->answer(0, 503, "busy");
  REQUIRE(eventually([&] { return d.h.sql("SELECT attempts FROM outbox") == "1"; }));
  CHECK(d.h.sql("SELECT status FROM outbox") == "pending");
  CHECK(d.h.sql("SELECT last_error FROM outbox") == "HTTP 503");
  d.h.clock.advance(9s);
  CHECK(d.h.http->count() == 1);  // not before the backoff
  d.h.clock.advance(1s);
  REQUIRE(eventually([&] { return d.h.http->count() == 2; }));
  CHECK(header(d.h.http->request(1), "X-Rapport-Delivery") == header(first, "X-Rapport-Delivery"));
  d.h.http->answer(1, 200, "{}");
  REQUIRE(eventually([&] { return d.h.sql("SELECT status FROM outbox") == "delivered"; }));
  CHECK(d.h.sql("SELECT attempts FROM outbox") == "2");
}

TEST_CASE("desk: removing an agent ends their open consoles; new teams apply without a restart") {
  desk_harness d;
  d.h.start();
  console ana(d.desk(), "ana");
  REQUIRE(eventually([&] { return ana.last().status == presence::online; }));
  {
    sqlite_store_options o;
    o.path = d.h.db_path();
    auto s = open_sqlite_store(o);
    unit_of_work w;
    w.agents_deleted.push_back("ana");
    w.agents_set.push_back({"ben", "Ben", hash_password("pw-ben"), {"billing"}, 5, 1, 2});
    REQUIRE_FALSE(*await<boost::system::error_code>([&](auto done) { s->commit(std::move(w), done); }));
  }
  REQUIRE(eventually([&] { return ana.seen->ended.load(); }));
  console ben(d.desk(), "ben");
  REQUIRE(eventually([&] { return ben.last().me.teams == std::vector<std::string>{"billing"}; }));
  CHECK(ben.last().me.capacity == 5);
}

TEST_CASE("desk: when the last agent of the team leaves, waiting visitors get the fallback at once") {
  desk_harness d({{"ana", "Ana", {"default"}, 2}});
  d.h.options.desk.reconnect_grace = 30s;
  d.h.start();
  d.h.clock.advance(30s);  // past the start-up grace
  auto ana = std::make_unique<console>(d.desk(), "ana");
  REQUIRE(eventually([&] { return ana->last().status == presence::online; }));
  const auto id = d.h.open_ok().conversation.id;
  REQUIRE(d.h.say(id, "agent").has_value());
  REQUIRE(eventually([&] { return ana->offered(id); }));
  ana.reset();  // her console closed; she may be back within the grace (a reload)
  REQUIRE(eventually([&] { return d.desk().stats().agents_online == 0; }));
  d.h.clock.advance(29s);
  CHECK(d.h.sql("SELECT owner FROM conversations") == "queued");
  d.h.clock.advance(1s);  // nobody of the team is coming: no need to wait out the 3 minutes
  CHECK(d.h.wait_for_key(id, "rapport.lead_ask_email") == 1);
  CHECK(d.h.sql("SELECT json_extract(state, '$.context.handoff_reason') FROM conversations") == "no_agents");
}
