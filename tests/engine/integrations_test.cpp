// The engine's edges: the proactive cap, webhooks through the http_client interface, handoffs
// through the handoff_router interface (default: nobody available → the fallback runs).
#include <doctest/doctest.h>

#include <cstdlib>

#include "engine_harness.hpp"
#include "rapport/engine/handoff_router.hpp"

namespace rapport::engine {
namespace {

using test::engine_harness;
using test::keys;
using test::texts;

std::uint64_t blocked(const engine_stats& s, const std::string& reason) {
  for (const auto& [r, n] : s.blocked_by_reason)
    if (r == reason) return n;
  return 0;
}

TEST_CASE("policies: a proactive event runs once per conversation; later ones are recorded as blocked") {
  engine_harness h;
  h.start();
  const auto id = h.open_ok({}, false).conversation.id;  // the visitor has not opened the widget
  CHECK(h.transcript(id).empty());

  auto opener = h.event(id, dialogs::named_event{"proactive", {}});
  REQUIRE(opener.has_value());
  CHECK(keys(opener->replies) == std::vector<std::string>{"ask_interest"});
  REQUIRE(h.say(id, "pricing").has_value());

  auto again = h.event(id, dialogs::named_event{"proactive", {}});
  REQUIRE(again.has_value());
  CHECK(again->replies.empty());
  h.stop();  // the cap holds across restarts too
  h.start();
  auto third = h.event(id, dialogs::named_event{"proactive", {}});
  REQUIRE(third.has_value());
  CHECK(third->replies.empty());

  CHECK(blocked(h.e().stats(), "proactive_cap") == 1);  // this process saw one
  CHECK(h.sql("SELECT count(*) FROM analytics WHERE name = 'policy_block'"
              " AND props LIKE '%proactive_cap%'") == "2");
  CHECK(h.sql("SELECT proactive FROM conversations") == "1");
}

TEST_CASE("policies: sends the dialog gate blocks are counted and recorded with their reason") {
  engine_harness h;
  h.start();
  const auto id = h.open_ok().conversation.id;

  auto offer = h.say(id, "offer");  // promotional, and the visitor showed no buying intent
  REQUIRE(offer.has_value());
  CHECK(texts(offer->replies) == std::vector<std::string>{"Noted: offer", "What should I note?"});
  auto chatty = h.say(id, "everything");  // a flow that would send three in a row
  REQUIRE(chatty.has_value());
  CHECK(texts(chatty->replies) == std::vector<std::string>{"Fact one.", "Fact two."});

  auto stats = h.e().stats();
  CHECK(blocked(stats, "max_unanswered") == 1);
  CHECK(blocked(stats, "promo") == 1);
  CHECK(h.sql("SELECT count(*) FROM analytics WHERE name = 'policy_block'") == "2");
  CHECK(h.sql("SELECT json_extract(props, '$.key') FROM analytics WHERE name = 'policy_block'"
              " AND json_extract(props, '$.reason') = 'promo'") == "spring_offer");
  CHECK(h.sql("SELECT json_extract(props, '$.text') FROM analytics WHERE name = 'policy_block'"
              " AND json_extract(props, '$.reason') = 'max_unanswered'") == "Fact three.");

  REQUIRE(h.say(id, "stop").has_value());  // opt-out: recorded for the channel user
  CHECK(h.say(id, "hello?")->replies.empty());
  CHECK(h.sql("SELECT count(*) FROM opt_outs") == "1");
}

TEST_CASE("webhooks: the request goes through the http_client with ${ENV} substituted; the answer feeds the flow") {
  ::setenv("RAPPORT_ENGINE_TEST_KEY", "s3cret", 1);
  engine_harness h;
  h.start();
  const auto id = h.open_ok().conversation.id;

  auto reply = h.say(id, "lookup");
  REQUIRE(reply.has_value());
  CHECK(reply->replies.empty());  // waiting for the webhook
  REQUIRE(test::eventually([&] { return h.http->count() == 1; }));
  auto request = h.http->request(0);
  CHECK(request.method == "POST");
  CHECK(request.url == "https://crm.example.test/lookup?key=s3cret");
  CHECK(request.timeout == std::chrono::seconds(3));
  bool header = false;
  for (const auto& [name, value] : request.headers) header |= name == "X-Api-Key" && value == "s3cret";
  CHECK(header);
  CHECK(request.body == R"({"note":"lookup"})");
  CHECK(h.sql("SELECT pending FROM conversations") == "webhook");

  h.http->answer(0, 200, R"({"company":{"name":"Acme"}})");
  CHECK(h.wait_for_key(id, "lookup_done") == 1);
  auto all = h.transcript(id);
  CHECK(all.back().key == "ask_note");
  CHECK(all[all.size() - 2].text == "Found Acme.");
  CHECK(h.sql("SELECT pending FROM conversations").empty());

  // A failing endpoint takes the step's on_error path.
  REQUIRE(h.say(id, "lookup").has_value());
  REQUIRE(test::eventually([&] { return h.http->count() == 2; }));
  h.http->answer(1, 500, "oops");
  CHECK(h.wait_for_key(id, "lookup_failed") == 1);
}

TEST_CASE("webhooks: a call interrupted by a restart takes its on_error path instead of hanging") {
  engine_harness h;
  h.start();
  const auto id = h.open_ok().conversation.id;
  REQUIRE(h.say(id, "lookup").has_value());
  REQUIRE(test::eventually([&] { return h.http->count() == 1; }));
  h.kill();  // the answer never comes

  h.http = std::make_shared<test::fake_http_client>();
  h.start();
  CHECK(h.wait_for_key(id, "lookup_failed") == 1);
  CHECK(h.http->count() == 0);
  REQUIRE(test::eventually([&] { return h.sql("SELECT pending FROM conversations").empty(); }));
}

TEST_CASE("handoff: with no agents the default router answers unavailable and lead capture runs") {
  engine_harness h;
  h.start();
  const auto id = h.open_ok().conversation.id;

  auto reply = h.say(id, "agent");
  REQUIRE(reply.has_value());
  CHECK(keys(reply->replies) == std::vector<std::string>{"rapport.handoff_connecting"});
  CHECK(h.wait_for_key(id, "rapport.lead_ask_email") == 1);  // the fallback, after "unavailable"
  REQUIRE(test::eventually([&] { return h.e().stats().handoffs == 1; }));
  REQUIRE(test::eventually([&] { return h.sql("SELECT status FROM handoffs") == "unavailable"; }));
  CHECK(h.sql("SELECT team FROM handoffs") == "default");

  auto email = h.say(id, "ana@example.com");
  REQUIRE(email.has_value());
  CHECK(keys(email->replies) == std::vector<std::string>{"rapport.lead_ask_need"});
  auto need = h.say(id, "a demo for my team of 20");
  REQUIRE(need.has_value());
  REQUIRE_FALSE(need->replies.empty());
  CHECK(need->replies.front().key == "rapport.lead_thanks");
  CHECK(need->replies.front().text.find("ana@example.com") != std::string::npos);

  // Two leads: the handoff request itself (the visitor asked for a person), then the message.
  CHECK(h.sql("SELECT need FROM leads WHERE source = 'handoff'") == "agent");
  CHECK(h.sql("SELECT email FROM leads WHERE source = 'lead_capture'") == "ana@example.com");
  CHECK(h.sql("SELECT need FROM leads WHERE source = 'lead_capture'") == "a demo for my team of 20");
  CHECK(h.sql("SELECT owner FROM conversations") == "bot");
}

// A router that keeps tickets so the test can see the request and answer later.
class recording_router final : public handoff_router {
 public:
  void route(handoff_ticket ticket, handoff_reply reply) override {
    std::lock_guard lock(mutex_);
    tickets_.push_back(std::move(ticket));
    replies_.push_back(std::move(reply));
  }
  std::size_t count() {
    std::lock_guard lock(mutex_);
    return tickets_.size();
  }
  handoff_ticket ticket(std::size_t i) {
    std::lock_guard lock(mutex_);
    return tickets_.at(i);
  }
  void answer(std::size_t i, dialogs::handoff_event e) {
    handoff_reply r;
    {
      std::lock_guard lock(mutex_);
      r = replies_.at(i);
    }
    r(std::move(e));
  }

 private:
  std::mutex mutex_;
  std::vector<handoff_ticket> tickets_;
  std::vector<handoff_reply> replies_;
};

TEST_CASE("handoff: a router gets the ticket; the bot stays silent while queued; a restart asks again") {
  engine_harness h;
  auto router = std::make_shared<recording_router>();
  h.options.handoff = router;
  h.start();
  const auto id = h.open_ok().conversation.id;
  REQUIRE(h.say(id, "my note").has_value());
  REQUIRE(h.say(id, "agent").has_value());
  REQUIRE(test::eventually([&] { return router->count() == 1; }));
  auto ticket = router->ticket(0);
  CHECK(ticket.conversation_id == id);
  CHECK(ticket.bot == "support");
  CHECK(ticket.team == "default");
  CHECK(dialogs::to_text(ticket.summary.at("note")) == "my note");

  auto waiting = h.say(id, "hello? anyone?");
  REQUIRE(waiting.has_value());
  CHECK(waiting->replies.empty());
  CHECK(h.sql("SELECT owner FROM conversations") == "queued");

  h.kill();
  auto second = std::make_shared<recording_router>();
  h.options.handoff = second;
  h.start();
  REQUIRE(test::eventually([&] { return second->count() == 1; }));  // re-routed at start
  CHECK(second->ticket(0).team == "default");
  CHECK(dialogs::to_text(second->ticket(0).summary.at("note")) == "my note");

  second->answer(0, {dialogs::handoff_event::kind::accepted, "agent-7", "", ""});
  REQUIRE(test::eventually([&] { return h.sql("SELECT owner FROM conversations") == "human"; }));
  CHECK(h.sql("SELECT agent FROM handoffs ORDER BY id DESC LIMIT 1") == "agent-7");
}

}  // namespace
}  // namespace rapport::engine
