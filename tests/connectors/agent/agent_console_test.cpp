// The agent console over loopback: login and the session cookie, the WebSocket's refusals, and a
// complete handoff between a visitor's widget WebSocket and an agent's console WebSocket on the
// real engine — the bot stays silent while the agent owns the conversation.
#include <future>

#include <openssl/hmac.h>

#include "rapport/engine/agent_desk.hpp"
#include "rapport/engine/store.hpp"
#include "support/http_peer.hpp"
#include "support/widget_visitor.hpp"

using namespace rapport;
using namespace rapport::testing;

namespace {

// A data directory with agents in it, as `rapport agents add` leaves it.
struct console_fixture {
  temp_dir data;
  std::unique_ptr<test_server> server;

  explicit console_fixture(int capacity = 2, engine::crm_webhook_options crm = {}) {
    engine::sqlite_store_options o;
    o.path = (data.path() / "rapport.db").string();
    auto store = engine::open_sqlite_store(o);
    engine::unit_of_work w;
    w.agents_set.push_back({"ana", "Ana", engine::hash_password("ana-secret"), {"default"}, capacity, 1, 1});
    std::promise<boost::system::error_code> done;
    store->commit(std::move(w), [&](boost::system::error_code ec) { done.set_value(ec); });
    REQUIRE_FALSE(done.get_future().get());
    store.reset();

    engine_setup setup;
    setup.data_dir = data.path().string();
    engine::team_options team;
    team.name = "default";
    setup.desk.teams = {team};
    setup.desk.tick = 10ms;
    setup.desk.crm = std::move(crm);
    server = std::make_unique<test_server>(test_options(), std::move(setup));
  }

  http_reply login(const std::string& password, std::string origin = {}) {
    http_client c(server->port());
    return c.request(bhttp::verb::post, "/agent/api/login",
                     json::serialize(json::object{{"agent", "ana"}, {"password", password}}),
                     {{"Origin", origin.empty() ? server->origin() : origin}});
  }
  // "rapport_agent=<token>" from a successful login.
  std::string cookie() {
    auto r = login("ana-secret");
    REQUIRE(r.status == 200);
    const auto set = r.header("Set-Cookie");
    return set.substr(0, set.find(';'));
  }
};

json::object read_desk_until(ws_client& agent, const std::function<bool(const json::object&)>& condition) {
  for (int i = 0; i < 50; ++i) {
    auto f = agent.read_until("desk");
    if (f.empty()) break;
    if (condition(f)) return f;
  }
  FAIL("the desk never showed what was expected");
  return {};
}

}  // namespace

TEST_CASE("agent console: login sets a strict session cookie; me and logout use it") {
  console_fixture f;
  auto wrong = f.login("not-it");
  CHECK(wrong.status == 401);
  CHECK(wrong.json().at("type") == "urn:rapport:problem:bad_credentials");
  CHECK(wrong.header("Set-Cookie").empty());

  auto ok = f.login("ana-secret");
  REQUIRE(ok.status == 200);
  CHECK(ok.json().at("agent").at("name") == "Ana");
  const auto set = ok.header("Set-Cookie");
  CHECK(set.starts_with("rapport_agent="));
  CHECK(set.find("HttpOnly") != std::string::npos);
  CHECK(set.find("SameSite=Strict") != std::string::npos);
  CHECK(set.find("Path=/agent") != std::string::npos);
  const auto cookie = set.substr(0, set.find(';'));

  http_client c(f.server->port());
  CHECK(c.request(bhttp::verb::get, "/agent/api/me").status == 401);
  auto me = c.request(bhttp::verb::get, "/agent/api/me", {}, {{"Cookie", cookie}});
  CHECK(me.status == 200);
  CHECK(me.json().at("agent").at("id") == "ana");
  auto out = c.request(bhttp::verb::post, "/agent/api/logout", {}, {{"Cookie", cookie}, {"Origin", f.server->origin()}});
  CHECK(out.status == 204);
  CHECK(out.header("Set-Cookie").find("Max-Age=0") != std::string::npos);
  CHECK(c.request(bhttp::verb::get, "/agent/api/me", {}, {{"Cookie", cookie}}).status == 401);
}

TEST_CASE("agent console: other sites cannot log in or connect; bad bodies get precise errors") {
  console_fixture f;
  auto foreign = f.login("ana-secret", "https://evil.example");
  CHECK(foreign.status == 403);
  CHECK(foreign.json().at("type") == "urn:rapport:problem:bad_origin");

  http_client c(f.server->port());
  auto form = c.request(bhttp::verb::post, "/agent/api/login", "agent=ana&password=ana-secret",
                        {{"Content-Type", "application/x-www-form-urlencoded"}});
  CHECK(form.status == 415);
  auto broken = c.request(bhttp::verb::post, "/agent/api/login", "{\"agent\": ");
  CHECK(broken.status == 400);
  CHECK(broken.json().at("type") == "urn:rapport:problem:bad_json");

  const auto cookie = f.cookie();
  ws_client no_cookie(f.server->port(), f.server->origin(), "/agent/ws");
  CHECK(no_cookie.handshake_status() == 401);
  ws_client other_site(f.server->port(), "https://evil.example", "/agent/ws", cookie);
  CHECK(other_site.handshake_status() == 403);
  ws_client forged(f.server->port(), f.server->origin(), "/agent/ws", "rapport_agent=forged");
  CHECK(forged.handshake_status() == 401);
  ws_client ok(f.server->port(), f.server->origin(), "/agent/ws", cookie);
  CHECK_FALSE(ok.handshake_error());
  CHECK(ok.read_until("desk").at("me").at("id") == "ana");
}

TEST_CASE("agent console: a visitor asks for a person, the agent accepts and they talk; the bot is silent") {
  console_fixture f;
  ws_client agent(f.server->port(), f.server->origin(), "/agent/ws", f.cookie());
  REQUIRE_FALSE(agent.handshake_error());
  auto first = agent.read_until("desk");
  CHECK(first.at("status") == "online");
  CHECK(first.at("queue").as_array().empty());

  widget_visitor visitor(*f.server, "echo");
  visitor.hello();
  visitor.start();
  visitor.next_message();  // the opener's question
  visitor.say("v1", "I want to talk to a human");
  const auto id = visitor.conversation();

  // The agent is offered it, with the bot's summary.
  auto offered = read_desk_until(agent, [&](const json::object& d) {
    for (const auto& c : d.at("queue").as_array())
      if (c.at("id") == json::value(json::string(id)) && c.at("offered_to_me").as_bool()) return true;
    return false;
  });
  const auto& listed = offered.at("queue").as_array()[0].as_object();
  CHECK(listed.at("team") == "default");
  CHECK(listed.at("position") == 1);
  CHECK(listed.at("summary").at("first_message") == "I want to talk to a human");

  agent.send(json::object{{"type", "open"}, {"conversation", id}});
  auto shown = agent.read_until("conversation");
  CHECK(shown.at("owner") == "queued");
  CHECK_FALSE(shown.at("messages").as_array().empty());

  agent.send(json::object{{"type", "accept"}, {"conversation", id}, {"request", "r1"}});
  auto accepted = agent.read_until("result");
  CHECK(accepted.at("request") == "r1");
  CHECK(accepted.at("ok") == true);

  // The visitor sees the note, then the agent's words with the agent's name.
  auto joined = visitor.message_with_key("rapport.handoff_joined");
  CHECK(joined.at("role") == "system");
  CHECK(text_of(joined) == "Ana has joined the conversation.");
  agent.send(json::object{{"type", "typing"}, {"conversation", id}, {"on", true}});
  agent.send(json::object{{"type", "message"}, {"conversation", id}, {"id", "a1"}, {"text", "Hi, Ana here!"}});
  CHECK(agent.read_until("ack").at("id") == "a1");
  json::object from_agent;
  while (from_agent.empty() || from_agent.at("role") != "human") from_agent = visitor.next_message();
  CHECK(text_of(from_agent) == "Hi, Ana here!");
  CHECK(from_agent.at("agent") == "Ana");

  // The visitor answers: the agent sees it live, and the bot says nothing.
  const std::string attack = "<img src=x onerror=alert(1)>";
  visitor.say("v2", attack);
  json::object live;
  while (live.empty() || live.at("message").at("role") != "visitor" ||
         live.at("message").at("text") != json::value(json::string(attack)))
    live = agent.read_until("message");
  CHECK(f.server->sql("SELECT owner FROM conversations") == "human");
  for (const auto& e : f.server->transcript(id, live.at("message").at("seq").to_number<std::int64_t>()))
    CHECK(e.by != engine::author::bot);

  // The visitor's widget reports what was read: the agent sees it.
  visitor.socket().send(json::object{{"type", "seen"}, {"seq", from_agent.at("seq")}});
  auto seen = agent.read_until("seen");
  CHECK(seen.at("role") == "visitor");

  agent.send(json::object{{"type", "close"}, {"conversation", id}, {"outcome", "qualified_lead"}, {"request", "r2"}});
  auto closed = agent.read_until("result");
  CHECK(closed.at("ok") == true);
  REQUIRE(eventually([&] { return f.server->sql("SELECT owner FROM conversations") == "closed"; }));
  CHECK(f.server->sql("SELECT outcome FROM leads WHERE source = 'closed'") == "qualified_lead");
}

TEST_CASE("agent console: refused actions answer with the desk's reason") {
  console_fixture f;
  ws_client agent(f.server->port(), f.server->origin(), "/agent/ws", f.cookie());
  agent.read_until("desk");
  agent.send(json::object{{"type", "accept"}, {"conversation", "nope"}, {"request", "x"}});
  auto r = agent.read_until("result");
  CHECK(r.at("ok") == false);
  CHECK(r.at("code") == "not_waiting");
  agent.send(json::object{{"type", "open"}, {"conversation", "nope"}});
  CHECK(agent.read_until("error").at("code") == "forbidden");
  agent.send(json::object{{"type", "close"}, {"conversation", "nope"}});
  CHECK(agent.read_until("error").at("code") == "bad_frame");  // outcome missing
  agent.send_text("{not json");
  CHECK(agent.read_until("error").at("code") == "bad_json");
}

TEST_CASE("agent console: the CRM webhook receives each lead signed, and gets it again after a failure") {
  std::atomic<int> calls{0};
  http_peer crm([&](const http_peer::request&) -> std::optional<http_peer::response> {
    // The first attempt fails (the CRM is down); the retry succeeds.
    http_peer::response res{calls++ == 0 ? bhttp::status::service_unavailable : bhttp::status::ok, 11};
    res.body() = "{}";
    res.prepare_payload();
    return res;
  });
  engine::crm_webhook_options o;
  o.url = "http://127.0.0.1:" + std::to_string(crm.port()) + "/leads";
  o.secret = "shared-secret";
  o.retry_base = 50ms;
  console_fixture f(2, o);

  widget_visitor visitor(*f.server, "echo");
  visitor.hello();
  visitor.start();
  visitor.next_message();
  visitor.say("v1", "I want to talk to a human");  // a handoff: a lead
  REQUIRE(eventually([&] { return crm.received().size() >= 2; }));
  REQUIRE(eventually([&] { return f.server->sql("SELECT status FROM outbox") == "delivered"; }));
  const auto requests = crm.received();
  const auto& first = requests[0];
  CHECK(first.target() == "/leads");
  CHECK(first[bhttp::field::content_type] == "application/json");
  CHECK(first["X-Rapport-Delivery"] == requests[1]["X-Rapport-Delivery"]);  // the same delivery
  CHECK(first.body() == requests[1].body());
  const auto lead = json::parse(first.body()).as_object();
  CHECK(lead.at("event") == "handoff");
  CHECK(lead.at("conversation") == json::value(json::string(visitor.conversation())));
  CHECK(lead.at("summary").at("first_message") == "I want to talk to a human");

  // What a receiver does: HMAC-SHA256 over "<t>.<body>" with the shared secret.
  const std::string signature(first["X-Rapport-Signature"]);
  const auto comma = signature.find(',');
  REQUIRE(signature.starts_with("t="));
  REQUIRE(comma != std::string::npos);
  const std::string signed_text = signature.substr(2, comma - 2) + "." + first.body();
  unsigned char mac[32];
  unsigned int n = 0;
  HMAC(EVP_sha256(), o.secret.data(), int(o.secret.size()),
       reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size(), mac, &n);
  std::string hex;
  for (unsigned i = 0; i < n; ++i) {
    static const char* digits = "0123456789abcdef";
    hex += digits[mac[i] >> 4];
    hex += digits[mac[i] & 15];
  }
  CHECK(signature.substr(comma + 1) == "v1=" + hex);
  CHECK(f.server->sql("SELECT attempts FROM outbox") == "2");
}
