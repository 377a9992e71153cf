// The widget WebSocket protocol over loopback against the fake engine.
#include "support/test_server.hpp"

using namespace rapport;
using namespace rapport::testing;

namespace {

struct joined {
  std::string conversation, token;
  std::int64_t last_seq = 0;
};

joined join_and_start(ws_client& c, const std::string& bot = "echo") {
  REQUIRE_FALSE(c.handshake_error());
  c.send(hello(bot));
  auto welcome = c.read();
  REQUIRE(welcome["type"] == "welcome");
  c.send(json::object{{"type", "start"}});
  auto opener = c.read();
  REQUIRE(opener["type"] == "message");
  return {json::value_to<std::string>(welcome["conversation"]),
          json::value_to<std::string>(welcome["token"]), opener["seq"].as_int64()};
}

}  // namespace

TEST_CASE("widget: a visitor conversation (hello, start, message, ack, reply)") {
  test_server s;
  ws_client c(s.port(), s.origin());
  REQUIRE_FALSE(c.handshake_error());
  c.send(hello("echo"));
  auto welcome = c.read();
  CHECK(welcome["type"] == "welcome");
  CHECK(welcome["resumed"] == false);
  CHECK(welcome["owner"] == "bot");
  CHECK(welcome["conversation"].as_string().size() > 0);
  CHECK(welcome["token"].as_string().size() > 0);

  c.send(json::object{{"type", "start"}});
  auto opener = c.read();
  CHECK(opener["type"] == "message");
  CHECK(opener["seq"] == 1);
  CHECK(opener["role"] == "bot");
  CHECK(opener["text"] == "Hi! What brought you here today?");
  CHECK(opener["buttons"].as_array().size() == 2);
  CHECK(opener["pace_ms"].as_int64() > 0);  // live bot messages carry a pacing hint

  c.send(message("m1", "Pricing", "pricing"));
  // The ack, the visitor's own message (echoed with its client id) and the reply, in seq order.
  std::vector<json::object> frames;
  for (int i = 0; i < 3; ++i) frames.push_back(c.read());
  auto find = [&](std::string_view type, std::string_view role = {}) {
    for (auto& f : frames)
      if (f["type"] == json::value(json::string(type)) &&
          (role.empty() || f["role"] == json::value(json::string(role))))
        return f;
    FAIL("missing frame " << type << " " << role);
    return json::object{};
  };
  auto ack = find("ack");
  CHECK(ack["id"] == "m1");
  CHECK(ack["seq"] == 2);
  auto echoed = find("message", "visitor");
  CHECK(echoed["seq"] == 2);
  CHECK(echoed["client_id"] == "m1");
  CHECK(echoed["pace_ms"] == 0);
  auto reply = find("message", "bot");
  CHECK(reply["seq"] == 3);
  CHECK(reply["text"] == "Clicked: pricing");

  // The context came from the hello's page.
  auto conv = json::value_to<std::string>(welcome["conversation"]);
  CHECK(s.fake().entries(conv).size() == 3);
  c.close();
}

TEST_CASE("widget: reconnect and resume loses nothing and duplicates nothing") {
  test_server s;
  joined j;
  {
    ws_client c(s.port(), s.origin());
    j = join_and_start(c);
    // Send a message and drop the connection before reading anything back.
    c.send(message("m-lost", "are you there?"));
    c.drop();
  }
  ws_client c(s.port(), s.origin());
  REQUIRE_FALSE(c.handshake_error());
  c.send(hello("echo", j.conversation, j.token, j.last_seq));
  auto welcome = c.read();
  CHECK(welcome["type"] == "welcome");
  CHECK(welcome["resumed"] == true);
  CHECK(welcome["conversation"] == json::value(json::string(j.conversation)));
  // The client re-sends its unacknowledged message with the same id.
  c.send(message("m-lost", "are you there?"));
  auto ack = c.read_until("ack");
  REQUIRE(ack["type"] == "ack");
  CHECK(ack["id"] == "m-lost");

  // Whatever the interleaving, the visitor's message was processed exactly once and the client
  // saw every entry after last_seq exactly once.
  auto entries = s.fake().entries(j.conversation);
  int copies = 0;
  for (auto& e : entries) copies += e.client_id == "m-lost";
  CHECK(copies == 1);
  CHECK(s.fake().processed_messages == 1);
  CHECK(ack["seq"] == 2);

  // Read until the client has seen every seq up to the last entry.
  const auto last = entries.back().seq;
  std::vector<std::int64_t> seqs;
  auto collect = [&](json::object& f) {
    if (f["type"] == "message") seqs.push_back(f["seq"].as_int64());
  };
  for (auto& f : c.seen) collect(f);
  while (seqs.empty() || seqs.back() < last) {
    auto f = c.read();
    REQUIRE_FALSE(f.empty());
    collect(f);
  }
  std::vector<std::int64_t> expected;
  for (auto seq = j.last_seq + 1; seq <= last; ++seq) expected.push_back(seq);
  CHECK(seqs == expected);
}

TEST_CASE("widget: replay sends history with pace 0, then live messages") {
  test_server s;
  joined j;
  {
    ws_client c(s.port(), s.origin());
    j = join_and_start(c);
    c.send(message("a", "one"));
    c.read_until("ack");
    c.close();
  }
  ws_client c(s.port(), s.origin());
  c.send(hello("echo", j.conversation, j.token, 0));
  CHECK(c.read()["resumed"] == true);
  for (std::int64_t seq = 1; seq <= 3; ++seq) {
    auto m = c.read();
    CHECK(m["type"] == "message");
    CHECK(m["seq"] == seq);
    CHECK(m["pace_ms"] == 0);
  }
  // An agent takes over: owner update and the human's message are pushed.
  s.fake().say_as_agent(j.conversation, "Hi, I'm Sam from sales.");
  auto human = c.read();
  CHECK(human["role"] == "human");
  CHECK(human["seq"] == 4);
  auto owner = c.read();
  CHECK(owner["type"] == "owner");
  CHECK(owner["owner"] == "human");
  s.engine().typing(j.conversation, engine::author::human, true);
  auto typing = c.read();
  CHECK(typing["type"] == "typing");
  CHECK(typing["role"] == "human");
  CHECK(typing["on"] == true);
}

TEST_CASE("widget: a wrong token gets bad_token and a fresh conversation") {
  test_server s;
  ws_client c(s.port(), s.origin());
  c.send(hello("echo", "c999", "forged"));
  auto error = c.read();
  CHECK(error["type"] == "error");
  CHECK(error["code"] == "bad_token");
  auto welcome = c.read();
  CHECK(welcome["type"] == "welcome");
  CHECK(welcome["resumed"] == false);
  CHECK(welcome["conversation"] != "c999");
}

TEST_CASE("widget: unknown bot, frames before hello, malformed frames") {
  test_server s;
  ws_client c(s.port(), s.origin());
  c.send(message("m1", "hi"));
  auto e = c.read();
  CHECK(e["code"] == "no_hello");
  CHECK(e["id"] == "m1");
  c.send(json::object{{"type", "typing"}, {"on", true}});
  CHECK(c.read()["code"] == "no_hello");
  c.send(hello("nobody"));
  e = c.read();
  CHECK(e["code"] == "unknown_bot");
  c.send_text("{\"type\": \"hello\", oops}");
  e = c.read();
  CHECK(e["code"] == "bad_json");
  CHECK(e["message"].as_string().find("column") != json::string::npos);
  c.send(json::object{{"type", "dance"}});
  CHECK(c.read()["code"] == "bad_frame");
  // Still usable afterwards.
  c.send(hello("echo"));
  CHECK(c.read()["type"] == "welcome");
  c.send(hello("echo"));
  CHECK(c.read()["code"] == "bad_frame");  // one hello per connection
}

TEST_CASE("widget: too many errors close the connection with 1008") {
  auto o = test_options();
  o.limits.max_errors = 3;
  test_server s(o);
  ws_client c(s.port(), s.origin());
  for (int i = 0; i < 3; ++i) c.send_text("not json");
  CHECK(c.read_until_closed() == 1008);
  CHECK(c.seen.size() == 3);
}

TEST_CASE("widget: an oversized frame closes with 1009; a long message is too_long") {
  auto o = test_options();
  o.limits.max_frame_bytes = 1024;
  o.limits.max_message_bytes = 100;
  test_server s(o);
  {
    ws_client c(s.port(), s.origin());
    c.send(hello("echo"));
    c.read();
    c.send(message("m1", std::string(101, 'x')));
    auto e = c.read();
    CHECK(e["code"] == "too_long");
    CHECK(e["id"] == "m1");
    c.send(message("m2", std::string(2000, 'x')));
    CHECK(c.read_until_closed() == 1009);
  }
  CHECK(s.fake().processed_messages == 0);
}

TEST_CASE("widget: a foreign origin is refused with 403; listed origins are accepted") {
  auto o = test_options();
  o.allowed_origins = {"https://www.example.com"};
  test_server s(o);
  {
    ws_client c(s.port(), "https://evil.example");
    CHECK(c.handshake_error());
    CHECK(c.handshake_status() == 403);
  }
  {
    ws_client c(s.port(), "https://www.example.com");
    CHECK_FALSE(c.handshake_error());
  }
  {
    ws_client c(s.port(), s.origin());  // the server's own origin
    CHECK_FALSE(c.handshake_error());
  }
  {
    ws_client c(s.port(), s.origin(), "/elsewhere");
    CHECK(c.handshake_status() == 404);
  }
}

TEST_CASE("widget: per-IP message rate: over the limit is rate_limited and not processed") {
  auto o = test_options();
  o.limits.messages_per_minute = 3;  // start + 2 messages
  test_server s(o);
  ws_client c(s.port(), s.origin());
  join_and_start(c);
  c.send(message("m1", "one"));
  CHECK(c.read_until("ack")["id"] == "m1");
  c.send(message("m2", "two"));
  CHECK(c.read_until("ack")["id"] == "m2");
  c.send(message("m3", "three"));
  auto e = c.read_until("error");
  CHECK(e["code"] == "rate_limited");
  CHECK(e["id"] == "m3");
  CHECK(s.fake().processed_messages == 2);
  CHECK(s.server().stats().rate_limited == 1);
  (void)0;
}

TEST_CASE("widget: per-IP connection limit refuses the upgrade with 429") {
  auto o = test_options();
  o.limits.connections_per_ip = 1;
  test_server s(o);
  ws_client first(s.port(), s.origin());
  REQUIRE_FALSE(first.handshake_error());
  ws_client second(s.port(), s.origin());
  CHECK(second.handshake_error());
  CHECK(second.handshake_status() == 429);
}

TEST_CASE("widget: graceful shutdown closes WebSockets with 1001 service restart") {
  test_server s;
  ws_client a(s.port(), s.origin());
  join_and_start(a);
  ws_client b(s.port(), s.origin());
  REQUIRE_FALSE(b.handshake_error());
  std::thread stopper([&] { s.stop(); });
  CHECK(a.read_until_closed() == 1001);
  CHECK(a.stream().reason().reason == "service restart");
  CHECK(b.read_until_closed() == 1001);
  stopper.join();
}

TEST_CASE("widget: a client that does not read is dropped, others are not held up") {
  auto o = test_options();
  o.limits.write_queue_frames = 8;
  test_server s(o);
  ws_client slow(s.port(), s.origin());
  // A tiny receive buffer so the server's writes back up quickly.
  beast::get_lowest_layer(slow.stream()).socket().set_option(net::socket_base::receive_buffer_size(4096));
  auto j = join_and_start(slow);
  ws_client fast(s.port(), s.origin());
  auto k = join_and_start(fast);

  const std::string text(16 * 1024, 'z');
  for (int i = 0; i < 2000 && s.server().stats().slow_clients_dropped == 0; ++i)
    s.fake().say_as_agent(j.conversation, text);
  CHECK(eventually([&] { return s.server().stats().slow_clients_dropped >= 1; }));
  // The other visitor's conversation goes on.
  fast.send(message("f1", "still here?"));
  CHECK(fast.read_until("ack")["id"] == "f1");
  (void)k;
}
