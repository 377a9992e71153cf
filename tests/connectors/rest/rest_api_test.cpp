// The REST API over loopback through the real engine and the fixture bot.
#include <sstream>

#include "support/test_server.hpp"

using namespace rapport;
using namespace rapport::testing;
using bhttp::verb;

namespace {

struct conversation {
  std::string id, token;
};

json::value str(std::string_view v) { return json::value(json::string(v)); }

std::vector<std::string> texts(const json::value& messages) {
  std::vector<std::string> out;
  for (const auto& m : messages.as_array()) out.push_back(json::value_to<std::string>(m.as_object().at("text")));
  return out;
}

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
  CHECK(messages[0].as_object()["key"] == "ask_reason");
  CHECK(messages[0].as_object()["buttons"].as_array().size() == 2);
  CHECK(o["token"].as_string().size() >= 20);
}

TEST_CASE("rest: post a message or a button payload and get the replies") {
  test_server s;
  auto c = create(s);
  auto url = "/api/v1/conversations/" + c.id + "/messages";
  auto r = http_call(s.port(), verb::post, url, R"({"text":"Pricing","payload":"pricing"})", bearer(c));
  REQUIRE(r.status == 200);
  auto o = r.json().as_object();
  CHECK(o["seq"] == 2);
  CHECK(o["duplicate"] == false);
  CHECK(texts(o["messages"]) == std::vector<std::string>{"What else?"});
  CHECK(o["messages"].as_array()[0].as_object()["seq"] == 3);

  r = http_call(s.port(), verb::post, url, R"({"text":"hello"})", bearer(c));
  REQUIRE(r.status == 200);
  CHECK(texts(r.json().as_object()["messages"]) == std::vector<std::string>{"You said: hello", "What else?"});

  // A button's payload alone is a message too.
  auto c2 = create(s);
  r = http_call(s.port(), verb::post, "/api/v1/conversations/" + c2.id + "/messages",
                R"({"text":"","payload":"browsing"})", bearer(c2));
  REQUIRE(r.status == 200);
  CHECK(texts(r.json().as_object()["messages"]) == std::vector<std::string>{"What else?"});

  r = http_call(s.port(), verb::get, "/api/v1/conversations/" + c.id + "/transcript?after=3", {}, bearer(c));
  REQUIRE(r.status == 200);
  auto t = r.json().as_object();
  CHECK(t["conversation"] == str(c.id));
  CHECK(t["owner"] == "bot");
  auto entries = t["messages"].as_array();
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].as_object()["seq"] == 4);
  CHECK(entries[0].as_object()["role"] == "visitor");
  CHECK(entries[0].as_object()["text"] == "hello");
  CHECK(entries[1].as_object()["key"] == "noted");

  r = http_call(s.port(), verb::get, "/api/v1/conversations/" + c.id, {}, bearer(c));
  REQUIRE(r.status == 200);
  CHECK(r.json().as_object()["owner"] == "bot");
  CHECK(r.json().as_object()["bot"] == "echo");
}

TEST_CASE("rest: Idempotency-Key (or body id) de-duplicates and repeats the answer") {
  test_server s;
  auto c = create(s);
  auto h = bearer(c);
  h.emplace_back("Idempotency-Key", "k-1");
  auto url = "/api/v1/conversations/" + c.id + "/messages";
  auto first = http_call(s.port(), verb::post, url, R"({"text":"Pricing","payload":"pricing"})", h);
  auto second = http_call(s.port(), verb::post, url, R"({"text":"Pricing","payload":"pricing"})", h);
  REQUIRE(first.status == 200);
  REQUIRE(second.status == 200);
  CHECK(first.json().as_object()["duplicate"] == false);
  CHECK(second.json().as_object()["duplicate"] == true);
  CHECK(second.json().as_object()["seq"] == first.json().as_object()["seq"]);
  CHECK(second.json().as_object()["messages"] == first.json().as_object()["messages"]);
  auto third = http_call(s.port(), verb::post, url, R"({"text":"Pricing","payload":"pricing","id":"k-1"})", bearer(c));
  CHECK(third.json().as_object()["duplicate"] == true);
  CHECK(s.copies_of(c.id, "k-1") == 1);
  CHECK(s.visitor_messages(c.id) == 1);
}

TEST_CASE("rest: events, including start for conversations created with start false") {
  test_server s;
  auto c = create(s, R"({"bot":"echo","start":false})");
  CHECK(s.transcript(c.id).empty());
  auto r = http_call(s.port(), verb::post, "/api/v1/conversations/" + c.id + "/events",
                     R"({"name":"page_view","props":{"path":"/pricing"}})", bearer(c));
  CHECK(r.status == 200);
  CHECK(r.json().as_object()["messages"].as_array().empty());
  r = http_call(s.port(), verb::post, "/api/v1/conversations/" + c.id + "/events",
                R"({"name":"start","locale":"en"})", bearer(c));
  REQUIRE(r.status == 200);
  CHECK(texts(r.json().as_object()["messages"]) == std::vector<std::string>{"Hi! What brought you here today?"});
  r = http_call(s.port(), verb::post, "/api/v1/conversations/" + c.id + "/events", R"({"name":"start"})", bearer(c));
  CHECK(r.json().as_object()["messages"].as_array().empty());  // started once
  check_problem(http_call(s.port(), verb::post, "/api/v1/conversations/" + c.id + "/events",
                          R"({"props":{}})", bearer(c)),
                400, "bad_field");
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
  CHECK(s.visitor_messages(c.id) == 0);
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
  CHECK(s.visitor_messages(c.id) == 0);
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
  CHECK(s.visitor_messages(c.id) == 2);
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
