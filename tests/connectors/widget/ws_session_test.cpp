// The widget WebSocket protocol over loopback, through the real engine (SQLite in a temporary
// directory) and the fixture bot tests/connectors/fixtures/echo — except where a test needs to
// script the engine (agent messages, a flood of updates): those use the fake engine.
#include <algorithm>

#include "support/test_server.hpp"

using namespace rapport;
using namespace rapport::testing;

namespace {

json::value str(std::string_view s) { return json::value(json::string(s)); }

struct joined {
  std::string conversation, token;
  std::int64_t last_seq = 0;
};

joined join_and_start(ws_client& c) {
  REQUIRE_FALSE(c.handshake_error());
  c.send(hello("echo"));
  auto welcome = c.read();
  REQUIRE(welcome["type"] == "welcome");
  c.send(json::object{{"type", "start"}});
  auto opener = c.read();
  REQUIRE(opener["type"] == "message");
  return {json::value_to<std::string>(welcome["conversation"]),
          json::value_to<std::string>(welcome["token"]), opener["seq"].as_int64()};
}

// Reads until the client has seen the message with `seq` and, if given, the ack of `ack_id`
// (the engine tells subscribers before it completes the post, so either may come first).
std::vector<json::object> read_through(ws_client& c, std::int64_t seq, std::string_view ack_id = {}) {
  std::vector<json::object> frames;
  bool seen_seq = false, seen_ack = ack_id.empty();
  for (int i = 0; i < 50 && !(seen_seq && seen_ack); ++i) {
    auto f = c.read();
    REQUIRE_FALSE(f.empty());
    frames.push_back(f);
    if (f["type"] == "message" && f["seq"].as_int64() >= seq) seen_seq = true;
    if (f["type"] == "ack" && f["id"] == str(ack_id)) seen_ack = true;
  }
  return frames;
}

// The last message frame.
json::object last_message(const std::vector<json::object>& frames) {
  for (auto it = frames.rbegin(); it != frames.rend(); ++it)
    if (it->at("type") == "message") return *it;
  return {};
}

const json::object* find(const std::vector<json::object>& frames, std::string_view type,
                         std::string_view role = {}) {
  for (auto& f : frames)
    if (f.at("type") == str(type) && (role.empty() || f.at("role") == str(role))) return &f;
  return nullptr;
}

}  // namespace

TEST_CASE("widget: a visitor conversation through the bot (hello, start, buttons, text)") {
  test_server s;
  ws_client c(s.port(), s.origin());
  REQUIRE_FALSE(c.handshake_error());
  c.send(hello("echo"));
  auto welcome = c.read();
  CHECK(welcome["type"] == "welcome");
  CHECK(welcome["resumed"] == false);
  CHECK(welcome["owner"] == "bot");
  CHECK(welcome["conversation"].as_string().size() > 0);
  CHECK(welcome["token"].as_string().size() >= 20);  // unguessable

  c.send(json::object{{"type", "start"}});
  auto opener = c.read();
  CHECK(opener["type"] == "message");
  CHECK(opener["seq"] == 1);
  CHECK(opener["role"] == "bot");
  CHECK(opener["text"] == "Hi! What brought you here today?");
  CHECK(opener["key"] == "ask_reason");
  REQUIRE(opener["buttons"].as_array().size() == 2);
  CHECK(opener["buttons"].as_array()[0] == json::parse(R"({"label":"Pricing","payload":"pricing"})"));
  CHECK(opener["pace_ms"].as_int64() >= 400);  // live bot messages carry a pacing hint

  // A button click: the ack, the visitor's message echoed with its client id, the next question.
  c.send(message("m1", "Pricing", "pricing"));
  auto frames = read_through(c, 3, "m1");
  auto* ack = find(frames, "ack");
  REQUIRE(ack);
  CHECK(ack->at("id") == "m1");
  CHECK(ack->at("seq") == 2);
  auto* echoed = find(frames, "message", "visitor");
  REQUIRE(echoed);
  CHECK(echoed->at("seq") == 2);
  CHECK(echoed->at("client_id") == "m1");
  CHECK(echoed->at("pace_ms") == 0);
  CHECK(last_message(frames).at("text") == "What else?");

  // Free text.
  c.send(message("m2", "hello <b>there</b>"));
  frames = read_through(c, 6, "m2");
  CHECK(find(frames, "ack")->at("seq") == 4);
  std::vector<std::string> texts;
  for (auto& f : frames)
    if (f.at("type") == "message") texts.push_back(json::value_to<std::string>(f.at("text")));
  CHECK(texts == std::vector<std::string>{"hello <b>there</b>", "You said: hello <b>there</b>", "What else?"});

  // The visitor typing reaches the engine without an echo; seen/closed are accepted silently.
  c.send(json::object{{"type", "typing"}, {"on", true}});
  c.send(json::object{{"type", "seen"}, {"seq", 6}});
  c.send(json::object{{"type", "closed"}});
  c.send(json::object{{"type", "event"}, {"name", "page_view"}, {"props", {{"path", "/pricing"}}}});
  c.send(message("m3", "still here"));
  frames = read_through(c, 9, "m3");
  CHECK(find(frames, "typing") == nullptr);
  CHECK(find(frames, "error") == nullptr);

  const auto conversation = json::value_to<std::string>(welcome["conversation"]);
  CHECK(s.visitor_messages(conversation) == 3);
  c.close();
}

TEST_CASE("widget: with batch, what is ready together arrives in one message; without, one frame each") {
  test_server s;
  // The same turn in both modes: the frames are the same, only their packaging differs.
  auto turn = [&](bool batch) {
    ws_client c(s.port(), s.origin());
    REQUIRE_FALSE(c.handshake_error());
    auto h = hello("echo");
    if (batch) h["batch"] = true;
    c.send(h);
    REQUIRE(c.read()["type"] == "welcome");
    c.send(json::object{{"type", "start"}});
    REQUIRE(c.read()["type"] == "message");
    c.send(message("m1", "hello"));
    auto frames = read_through(c, 4, "m1");
    std::vector<std::string> texts;
    for (auto& f : frames)
      if (f.at("type") == "message") texts.push_back(json::value_to<std::string>(f.at("text")));
    CHECK(texts == std::vector<std::string>{"hello", "You said: hello", "What else?"});
    CHECK(find(frames, "ack")->at("seq") == 2);
    return c.batches;
  };
  CHECK(turn(false).empty());
  // The echo of the visitor's message and both replies are committed and published together:
  // one batch holds all three (the ack may join them or follow in the next message).
  const auto batches = turn(true);
  REQUIRE_FALSE(batches.empty());
  CHECK(*std::max_element(batches.begin(), batches.end()) >= 3);

  // A replay goes out in batches too, every entry once and in order.
  ws_client c(s.port(), s.origin());
  auto j = join_and_start(c);
  for (int i = 0; i < 5; ++i) {
    c.send(message("r" + std::to_string(i), "hi"));
    c.read_until("ack");
  }
  c.close();
  ws_client again(s.port(), s.origin());
  auto h = hello("echo", j.conversation, j.token, 0);
  h["batch"] = true;
  again.send(h);
  REQUIRE(again.read()["resumed"] == true);
  for (std::int64_t seq = 1; seq <= 16; ++seq) CHECK(again.read()["seq"] == seq);
  CHECK_FALSE(again.batches.empty());
}

TEST_CASE("widget: reconnect and resume loses nothing and duplicates nothing") {
  test_server s;
  joined j;
  {
    ws_client c(s.port(), s.origin());
    j = join_and_start(c);
    // Send a message and drop the connection before reading anything back.
    c.send(message("m-lost", "Pricing", "pricing"));
    c.drop();
  }
  ws_client c(s.port(), s.origin());
  REQUIRE_FALSE(c.handshake_error());
  c.send(hello("echo", j.conversation, j.token, j.last_seq));
  auto welcome = c.read();
  CHECK(welcome["type"] == "welcome");
  CHECK(welcome["resumed"] == true);
  CHECK(welcome["conversation"] == str(j.conversation));
  // The client re-sends its unacknowledged message with the same id.
  c.send(message("m-lost", "Pricing", "pricing"));
  auto ack = c.read_until("ack");
  REQUIRE(ack["type"] == "ack");
  CHECK(ack["id"] == "m-lost");
  CHECK(ack["seq"] == 2);

  // Whatever the interleaving, the message was processed exactly once...
  CHECK(s.copies_of(j.conversation, "m-lost") == 1);
  auto entries = s.transcript(j.conversation);
  REQUIRE(entries.size() == 3);  // opener, the visitor's answer, the next question

  // ...and the client saw every entry after last_seq exactly once, in order.
  std::vector<std::int64_t> seqs;
  auto collect = [&](json::object& f) {
    if (f["type"] == "message") seqs.push_back(f["seq"].as_int64());
  };
  for (auto& f : c.seen) collect(f);
  while (seqs.empty() || seqs.back() < entries.back().seq) {
    auto f = c.read();
    REQUIRE_FALSE(f.empty());
    collect(f);
  }
  CHECK(seqs == std::vector<std::int64_t>{2, 3});
}

TEST_CASE("widget: resume replays history with pace 0; a wrong token starts afresh") {
  test_server s;
  joined j;
  {
    ws_client c(s.port(), s.origin());
    j = join_and_start(c);
    c.send(message("a", "Pricing", "pricing"));
    c.read_until("ack");
    c.close();
  }
  {
    ws_client c(s.port(), s.origin());
    c.send(hello("echo", j.conversation, j.token, 0));
    CHECK(c.read()["resumed"] == true);
    for (std::int64_t seq = 1; seq <= 3; ++seq) {
      auto m = c.read();
      CHECK(m["type"] == "message");
      CHECK(m["seq"] == seq);
      CHECK(m["pace_ms"] == 0);
    }
  }
  ws_client c(s.port(), s.origin());
  c.send(hello("echo", j.conversation, "forged-token"));
  auto error = c.read();
  CHECK(error["type"] == "error");
  CHECK(error["code"] == "bad_token");
  auto welcome = c.read();
  CHECK(welcome["type"] == "welcome");
  CHECK(welcome["resumed"] == false);
  CHECK(welcome["conversation"] != str(j.conversation));
}

TEST_CASE("widget: the proactive opener runs once and never after the visitor closed the widget") {
  test_server s;
  {
    ws_client c(s.port(), s.origin());
    c.send(hello("echo"));
    c.read();
    c.send(json::object{{"type", "event"}, {"name", "proactive"}});
    auto hello_there = c.read();
    CHECK(hello_there["text"] == "Hello there.");
    CHECK(c.read()["text"] == "Hi! What brought you here today?");
    c.send(json::object{{"type", "event"}, {"name", "proactive"}});  // once per conversation
    c.send(message("m1", "Pricing", "pricing"));
    auto frames = read_through(c, 4, "m1");
    CHECK(frames.size() == 3);  // ack, the visitor's message, the next question: no second opener
  }
  {
    ws_client c(s.port(), s.origin());
    auto welcome = (c.send(hello("echo")), c.read());
    c.send(json::object{{"type", "closed"}});
    c.send(json::object{{"type", "event"}, {"name", "proactive"}});
    c.send(json::object{{"type", "start"}});
    auto first = c.read();
    CHECK(first["seq"] == 1);
    CHECK(first["text"] == "Hi! What brought you here today?");  // the opener, not the proactive one
    auto conversation = json::value_to<std::string>(welcome["conversation"]);
    CHECK(s.transcript(conversation).size() == 1);
  }
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
  INFO(e["message"]);
  CHECK(e["message"].as_string().find("line 1, column 19") != json::string::npos);
  c.send(json::object{{"type", "dance"}});
  CHECK(c.read()["code"] == "bad_frame");
  c.send(json::object{{"type", "message"}, {"id", "x"}, {"text", 5}});
  e = c.read();
  CHECK(e["code"] == "bad_frame");
  CHECK(e["message"] == "`text` must be a string");
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
  CHECK(c.seen.size() == 3);  // every error frame arrives before the close
}

TEST_CASE("widget: an oversized frame closes with 1009; a long message is too_long") {
  auto o = test_options();
  o.limits.max_frame_bytes = 1024;
  o.limits.max_message_bytes = 100;
  test_server s(o);
  ws_client c(s.port(), s.origin());
  auto j = join_and_start(c);
  c.send(message("m1", std::string(101, 'x')));
  auto e = c.read();
  CHECK(e["code"] == "too_long");
  CHECK(e["id"] == "m1");
  c.send(message("m2", std::string(2000, 'x')));
  CHECK(c.read_until_closed() == 1009);
  CHECK(s.visitor_messages(j.conversation) == 0);
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
  o.limits.messages_per_minute = 4;  // a new conversation, start and 2 messages
  test_server s(o);
  ws_client c(s.port(), s.origin());
  auto j = join_and_start(c);
  c.send(message("m1", "Pricing", "pricing"));
  CHECK(c.read_until("ack")["id"] == "m1");
  c.send(message("m2", "two"));
  CHECK(c.read_until("ack")["id"] == "m2");
  c.send(message("m3", "three"));
  auto e = c.read_until("error");
  CHECK(e["code"] == "rate_limited");
  CHECK(e["id"] == "m3");
  CHECK(s.visitor_messages(j.conversation) == 2);
  CHECK(s.copies_of(j.conversation, "m3") == 0);
  CHECK(s.server().stats().rate_limited == 1);
  // New conversations count too.
  ws_client other(s.port(), s.origin());
  other.send(hello("echo"));
  auto refused = other.read();
  CHECK(refused["code"] == "rate_limited");
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

TEST_CASE("widget: agent messages, owner changes and typing are pushed (fake engine)") {
  test_server s(backend::fake);
  ws_client c(s.port(), s.origin());
  auto j = join_and_start(c);
  s.fake().say_as_agent(j.conversation, "Hi, I'm Sam from sales.");
  auto human = c.read();
  CHECK(human["role"] == "human");
  CHECK(human["seq"] == 2);
  CHECK(human["pace_ms"] == 0);
  auto owner = c.read();
  CHECK(owner["type"] == "owner");
  CHECK(owner["owner"] == "human");
  s.engine().typing(j.conversation, engine::author::human, true);
  auto typing = c.read();
  CHECK(typing["type"] == "typing");
  CHECK(typing["role"] == "human");
  CHECK(typing["on"] == true);
}

TEST_CASE("widget: a client that does not read is dropped, others are not held up (fake engine)") {
  auto o = test_options();
  o.limits.write_queue_frames = 8;
  test_server s(o, backend::fake);
  ws_client slow(s.port(), s.origin());
  // A tiny receive buffer so the server's writes back up quickly.
  beast::get_lowest_layer(slow.stream()).socket().set_option(net::socket_base::receive_buffer_size(4096));
  auto j = join_and_start(slow);
  ws_client fast(s.port(), s.origin());
  join_and_start(fast);

  const std::string text(16 * 1024, 'z');
  for (int i = 0; i < 2000 && s.server().stats().slow_clients_dropped == 0; ++i)
    s.fake().say_as_agent(j.conversation, text);
  CHECK(eventually([&] { return s.server().stats().slow_clients_dropped >= 1; }));
  // The other visitor's conversation goes on.
  fast.send(message("f1", "still here?"));
  CHECK(fast.read_until("ack")["id"] == "f1");
}

TEST_CASE("widget: a connection that never says hello is closed with 1008") {
  auto o = test_options();
  o.limits.request_timeout = 50ms;
  test_server s(o, backend::fake);
  ws_client c(s.port(), s.origin());
  REQUIRE_FALSE(c.handshake_error());
  CHECK(c.read_until_closed() == 1008);
  CHECK(c.stream().reason().reason == "no hello");
}
