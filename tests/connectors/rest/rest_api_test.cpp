// The REST API over loopback against the fake engine.
#include <sstream>

#include "support/test_server.hpp"

using namespace rapport;
using namespace rapport::testing;
using bhttp::verb;

namespace {

struct conversation {
  std::string id, token;
};

conversation create(test_server& s, std::string body = R"({"bot":"echo","locale":"en"})") {
  auto r = http_call(s.port(), verb::post, "/api/v1/conversations", body);
  REQUIRE(r.status == 201);
  auto o = r.json().as_object();
  return {json::value_to<std::string>(o["conversation"]), json::value_to<std::string>(o["token"])};
}

std::vector<std::pair<std::string, std::string>> bearer(const conversation& c) {
  return {{"Authorization", "Bearer " + c.token}};
}

void check_problem(const http_reply& r, unsigned status, std::string_view code) {
  CHECK(r.status == status);
  CHECK(r.header("Content-Type") == "application/problem+json");
  auto o = r.json().as_object();
  CHECK(o["type"] == json::value(json::string("urn:rapport:problem:" + std::string(code))));
  CHECK(o["status"] == status);
  CHECK(o["title"].as_string().size() > 0);
  CHECK(o["detail"].as_string().size() > 0);
}

}  // namespace

TEST_CASE("rest: start a conversation and get the bot's first replies") {
  test_server s;
  auto r = http_call(s.port(), verb::post, "/api/v1/conversations",
                     R"({"bot":"echo","locale":"en","context":{"page":"/pricing"}})");
  REQUIRE(r.status == 201);
  CHECK(r.header("Content-Type") == "application/json");
  auto o = r.json().as_object();
  CHECK(o["bot"] == "echo");
  CHECK(o["channel"] == "api");
  CHECK(o["owner"] == "bot");
  CHECK(r.header("Location") == "/api/v1/conversations/" + std::string(o["conversation"].as_string()));
  auto messages = o["messages"].as_array();
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].as_object()["role"] == "bot");
  CHECK(messages[0].as_object()["text"] == "Hi! What brought you here today?");
  CHECK(messages[0].as_object()["buttons"].as_array().size() == 2);
}

TEST_CASE("rest: post a message or a button payload and get the replies") {
  test_server s;
  auto c = create(s);
  auto r = http_call(s.port(), verb::post, "/api/v1/conversations/" + c.id + "/messages",
                     R"({"text":"hello"})", bearer(c));
  REQUIRE(r.status == 200);
  auto o = r.json().as_object();
  CHECK(o["seq"] == 2);
  CHECK(o["duplicate"] == false);
  CHECK(o["messages"].as_array()[0].as_object()["text"] == "You said: hello");

  r = http_call(s.port(), verb::post, "/api/v1/conversations/" + c.id + "/messages",
                R"({"text":"Pricing","payload":"pricing"})", bearer(c));
  CHECK(r.json().as_object()["messages"].as_array()[0].as_object()["text"] == "Clicked: pricing");

  r = http_call(s.port(), verb::get, "/api/v1/conversations/" + c.id + "/transcript?after=3", {}, bearer(c));
  REQUIRE(r.status == 200);
  auto t = r.json().as_object();
  CHECK(t["conversation"] == json::value(json::string(c.id)));
  auto entries = t["messages"].as_array();
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].as_object()["seq"] == 4);
  CHECK(entries[0].as_object()["role"] == "visitor");

  r = http_call(s.port(), verb::get, "/api/v1/conversations/" + c.id, {}, bearer(c));
  CHECK(r.json().as_object()["owner"] == "bot");
}

TEST_CASE("rest: Idempotency-Key (or body id) de-duplicates") {
  test_server s;
  auto c = create(s);
  auto h = bearer(c);
  h.emplace_back("Idempotency-Key", "k-1");
  auto first = http_call(s.port(), verb::post, "/api/v1/conversations/" + c.id + "/messages",
                         R"({"text":"once"})", h);
  auto second = http_call(s.port(), verb::post, "/api/v1/conversations/" + c.id + "/messages",
                          R"({"text":"once"})", h);
  REQUIRE(first.status == 200);
  REQUIRE(second.status == 200);
  CHECK(first.json().as_object()["duplicate"] == false);
  CHECK(second.json().as_object()["duplicate"] == true);
  CHECK(second.json().as_object()["seq"] == first.json().as_object()["seq"]);
  auto third = http_call(s.port(), verb::post, "/api/v1/conversations/" + c.id + "/messages",
                         R"({"text":"once","id":"k-1"})", bearer(c));
  CHECK(third.json().as_object()["duplicate"] == true);
  CHECK(s.fake().processed_messages == 1);
}

TEST_CASE("rest: events, including start for conversations created with start false") {
  test_server s;
  auto c = create(s, R"({"bot":"echo","start":false})");
  auto r = http_call(s.port(), verb::post, "/api/v1/conversations/" + c.id + "/events",
                     R"({"name":"page_view","props":{"path":"/pricing"}})", bearer(c));
  CHECK(r.status == 200);
  CHECK(s.fake().events == std::vector<std::string>{"page_view"});
  r = http_call(s.port(), verb::post, "/api/v1/conversations/" + c.id + "/events",
                R"({"name":"start","locale":"en"})", bearer(c));
  REQUIRE(r.status == 200);
  CHECK(r.json().as_object()["messages"].as_array().size() == 1);
}

TEST_CASE("rest: 401 without a token, 404 for a wrong token or unknown conversation") {
  test_server s;
  auto c = create(s);
  auto url = "/api/v1/conversations/" + c.id + "/messages";
  auto r = http_call(s.port(), verb::post, url, R"({"text":"x"})");
  check_problem(r, 401, "unauthorized");
  CHECK(r.header("WWW-Authenticate") == "Bearer realm=\"rapport\"");
  check_problem(http_call(s.port(), verb::post, url, R"({"text":"x"})", {{"Authorization", "Basic eDp5"}}),
                401, "unauthorized");
  check_problem(http_call(s.port(), verb::post, url, R"({"text":"x"})", {{"Authorization", "Bearer wrong"}}),
                404, "no_such_conversation");
  check_problem(http_call(s.port(), verb::get, "/api/v1/conversations/nope/transcript", {}, bearer(c)),
                404, "no_such_conversation");
  CHECK(s.fake().processed_messages == 0);
}

TEST_CASE("rest: 400 for malformed JSON and invalid fields, with where") {
  test_server s;
  auto r = http_call(s.port(), verb::post, "/api/v1/conversations", "{\"bot\": \"echo\",\n \"locale\": }");
  check_problem(r, 400, "bad_json");
  auto o = r.json().as_object();
  CHECK(o["line"] == 2);
  CHECK(o["column"] == 12);
  r = http_call(s.port(), verb::post, "/api/v1/conversations", R"({"bot": ["echo"]})");
  check_problem(r, 400, "bad_field");
  CHECK(r.json().as_object()["pointer"] == "/bot");
  CHECK(r.json().as_object()["detail"] == "`bot` must be a string");
  auto c = create(s);
  check_problem(http_call(s.port(), verb::get, "/api/v1/conversations/" + c.id + "/transcript?after=x", {},
                          bearer(c)),
                400, "bad_request");
  check_problem(http_call(s.port(), verb::post, "/api/v1/conversations", R"({"bot":"nobody"})"), 422,
                "unknown_bot");
}

TEST_CASE("rest: 413 for a body over the limit or a message over max_message_bytes") {
  auto o = test_options();
  o.limits.max_body_bytes = 1024;
  o.limits.max_message_bytes = 50;
  test_server s(o);
  auto c = create(s);
  auto r = http_call(s.port(), verb::post, "/api/v1/conversations/" + c.id + "/messages",
                     R"({"text":")" + std::string(4000, 'x') + R"("})", bearer(c));
  check_problem(r, 413, "too_large");
  CHECK(r.header("Connection") == "close");
  r = http_call(s.port(), verb::post, "/api/v1/conversations/" + c.id + "/messages",
                R"({"text":")" + std::string(60, 'x') + R"("})", bearer(c));
  check_problem(r, 413, "too_long");
  // A large body announced with Expect: 100-continue is refused before it is sent.
  http_client client(s.port());
  bhttp::request<bhttp::string_body> req{verb::post, "/api/v1/conversations", 11};
  req.set(bhttp::field::host, "x");
  req.set(bhttp::field::content_type, "application/json");
  req.set(bhttp::field::expect, "100-continue");
  req.content_length(1'000'000);
  std::ostringstream head;
  head << req.base();
  CHECK_FALSE(client.write_raw(head.str()));
  auto refused = client.read();
  CHECK(refused.status == 413);
  CHECK(s.fake().processed_messages == 0);
}

TEST_CASE("rest: 429 when an address posts faster than the rate limit") {
  auto o = test_options();
  o.limits.messages_per_minute = 3;
  test_server s(o);
  auto c = create(s);  // 1
  auto url = "/api/v1/conversations/" + c.id + "/messages";
  CHECK(http_call(s.port(), verb::post, url, R"({"text":"a"})", bearer(c)).status == 200);  // 2
  CHECK(http_call(s.port(), verb::post, url, R"({"text":"b"})", bearer(c)).status == 200);  // 3
  auto r = http_call(s.port(), verb::post, url, R"({"text":"c"})", bearer(c));
  check_problem(r, 429, "rate_limited");
  CHECK(r.header("Retry-After") == "20");
  CHECK(s.fake().processed_messages == 2);
  // Reading is not rate limited.
  CHECK(http_call(s.port(), verb::get, "/api/v1/conversations/" + c.id + "/transcript", {}, bearer(c)).status == 200);
}

TEST_CASE("rest: 404 and 405 with problem bodies") {
  test_server s;
  check_problem(http_call(s.port(), verb::get, "/api/v2/whatever"), 404, "not_found");
  auto r = http_call(s.port(), verb::delete_, "/api/v1/conversations");
  check_problem(r, 405, "method_not_allowed");
  CHECK(r.header("Allow") == "POST");
  check_problem(http_call(s.port(), verb::post, "/api/v1/conversations", "bot=echo",
                          {{"Content-Type", "application/x-www-form-urlencoded"}}),
                415, "unsupported_media_type");
}
