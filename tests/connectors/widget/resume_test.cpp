// Reconnect and resume over loopback with the real engine and SQLite, in the cases where the
// order of events is fixed by the test (ws_session_test covers a drop racing a message): what
// was committed while the visitor was away arrives once, and a message re-sent after a lost ack
// is not processed again. widget_visitor checks on every frame that seqs arrive once, in order,
// without gaps.
#include "engine/test_support.hpp"
#include "support/widget_visitor.hpp"

using namespace rapport;
using namespace rapport::testing;

TEST_CASE("resume: what another tab added while this one was offline arrives once, in order") {
  test_server s;
  widget_visitor first(s, "echo");
  first.hello();
  first.start();
  auto opener = first.next_message();
  REQUIRE(opener["key"] == "ask_reason");
  const auto conversation = first.conversation(), token = first.token();
  first.socket().drop();  // this tab goes offline having shown seq 1

  // The visitor goes on in another tab of the same conversation.
  widget_visitor second(s, "echo");
  CHECK(second.hello(conversation, token, 1)["resumed"] == true);
  second.click("t2-a", opener, "pricing");
  CHECK(second.wait_for_ack("t2-a") == 2);
  second.say("t2-b", "written in the other tab");
  CHECK(second.wait_for_ack("t2-b") == 4);
  second.catch_up(s);
  REQUIRE(second.last_seq() == 6);

  // The first tab comes back: seqs 2..6, each once (checked frame by frame), and then it goes on.
  widget_visitor back(s, "echo");
  CHECK(back.hello(conversation, token, 1)["resumed"] == true);
  back.catch_up(s);
  std::vector<std::string> texts;
  for (const auto& m : back.messages) texts.push_back(text_of(m));
  CHECK(texts == std::vector<std::string>{"Pricing", "What else?", "written in the other tab",
                                          "You said: written in the other tab", "What else?"});
  CHECK(back.messages[0]["client_id"] == "t2-a");
  CHECK(back.messages[0]["pace_ms"] == 0);  // history is not paced
  back.say("t1-c", "back again");
  CHECK(back.wait_for_ack("t1-c") == 7);
  back.catch_up(s);
  CHECK(back.last_seq() == 9);
  // The other tab sees this tab's message once too.
  second.catch_up(s);
  CHECK(second.last_seq() == 9);
  CHECK(s.visitor_messages(conversation) == 3);
}

TEST_CASE("resume: a nudge committed while nobody was connected arrives once on resume") {
  engine::test::fake_clock clock;
  engine_setup setup;
  setup.bot_folders = {std::string(RAPPORT_SOURCE_DIR) + "/examples/cx-opener"};
  setup.clock = clock.function();
  setup.timer_check = std::chrono::milliseconds(10);
  test_server s(setup);
  std::string conversation, token;
  json::object opener;
  {
    widget_visitor v(s, "cx-opener");
    v.hello();
    v.start();
    opener = v.next_message();
    conversation = v.conversation();
    token = v.token();
    v.socket().close();  // the visitor left the page
  }
  clock.advance(std::chrono::minutes(3));
  REQUIRE(eventually([&] { return s.engine().stats().timers_fired == 1; }));
  REQUIRE(s.transcript(conversation).size() == 2);

  widget_visitor v(s, "cx-opener");
  CHECK(v.hello(conversation, token, 1)["resumed"] == true);
  auto nudge = v.next_message();
  CHECK(nudge["seq"] == 2);
  CHECK(nudge["key"] == "rapport.nudge");
  CHECK(nudge["pace_ms"] == 0);
  v.click("m1", opener, "browsing");
  CHECK(v.next_bot_message()["key"] == "open_door");
  CHECK(v.wait_for_ack("m1") == 3);
  v.catch_up(s);
  CHECK(v.count_key("rapport.nudge") == 1);
}

TEST_CASE("resume: a message re-sent after its ack was lost is acknowledged again, not processed again") {
  test_server s;
  std::string conversation, token;
  {
    widget_visitor v(s, "echo");
    v.hello();
    v.start();
    auto opener = v.next_message();
    v.click("m1", opener, "pricing");
    CHECK(v.wait_for_ack("m1") == 2);  // committed; but the page is closed before it stores that
    v.catch_up(s);
    conversation = v.conversation();
    token = v.token();
    v.socket().drop();
  }
  REQUIRE(s.transcript(conversation).size() == 3);

  // The widget still has m1 in its outbox and last_seq 1: it resumes and re-sends m1 at once.
  widget_visitor v(s, "echo");
  CHECK(v.hello(conversation, token, 1)["resumed"] == true);
  v.say("m1", "Pricing", "pricing");
  CHECK(v.wait_for_ack("m1") == 2);  // the original seq
  v.catch_up(s);
  REQUIRE(v.messages.size() == 2);  // the replay of seq 2 and 3, nothing else
  CHECK(v.messages[0]["client_id"] == "m1");
  CHECK(text_of(v.messages[1]) == "What else?");

  // Nothing was processed twice; the conversation goes on from where it was.
  CHECK(s.copies_of(conversation, "m1") == 1);
  CHECK(s.transcript(conversation).size() == 3);
  v.say("m2", "next");
  CHECK(text_of(v.message_with_key("noted")) == "You said: next");
  CHECK(v.wait_for_ack("m2") == 4);
  CHECK(v.errors.empty());
}
