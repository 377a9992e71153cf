// The crash test (scripts/crash-test) passes only if loadgen --verify can tell a good
// conversation from a damaged one: these cases damage one on purpose.
#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include "script.hpp"
#include "verify_check.hpp"

namespace rapport::bench {
namespace {

// Opener, one click answered: what the store holds and what the visitor saw of it.
struct good_conversation {
  script steps = default_script();
  conversation_record seen;
  std::vector<transcript_row> stored{
      {1, "bot", "ask_visit_reason", ""},
      {2, "visitor", "", "m1"},
      {3, "bot", "ask_current_tool", ""},
  };
  good_conversation() {
    seen.id = "c1";
    seen.steps_answered = 2;
    seen.acked = {{"m1", 2}};
    seen.received = {{1, "bot ask_visit_reason"}, {2, "visitor "}, {3, "bot ask_current_tool"}};
  }
  std::vector<std::string> problems() const { return check_conversation(seen, stored, steps, "rapport.nudge"); }
};

TEST_CASE("crash check: a conversation that went on as scripted has no problem") {
  good_conversation c;
  CHECK(c.problems().empty());
}

TEST_CASE("crash check: an acknowledged message missing from the store is reported") {
  good_conversation c;
  c.stored = {{1, "bot", "ask_visit_reason", ""}};
  c.seen.received = {{1, "bot ask_visit_reason"}};
  c.seen.steps_answered = 1;
  const auto p = c.problems();
  CHECK(std::find(p.begin(), p.end(), "verify_acked_message_lost") != p.end());
}

TEST_CASE("crash check: a message stored twice, or a reply produced twice, is reported") {
  good_conversation c;
  c.stored.push_back({4, "visitor", "", "m1"});
  c.stored.push_back({5, "bot", "ask_current_tool", ""});
  const auto p = c.problems();
  CHECK(std::find(p.begin(), p.end(), "verify_visitor_message_twice") != p.end());
  CHECK(std::find(p.begin(), p.end(), "verify_reply_order") != p.end());
}

TEST_CASE("crash check: a conversation that restarted from the opener is reported") {
  good_conversation c;
  c.stored[2].key = "ask_visit_reason";
  c.seen.received[3] = "bot ask_visit_reason";
  const auto p = c.problems();
  CHECK(std::find(p.begin(), p.end(), "verify_reply_order") != p.end());
}

TEST_CASE("crash check: what the visitor was sent must be what the store holds at that seq") {
  good_conversation c;
  c.seen.received[3] = "bot open_door";
  const auto p = c.problems();
  CHECK(std::find(p.begin(), p.end(), "verify_delivered_differs") != p.end());
}

TEST_CASE("crash check: a gap in the transcript's seqs is reported") {
  good_conversation c;
  c.stored[2].seq = 4;
  c.seen.received = {{1, "bot ask_visit_reason"}, {2, "visitor "}};
  const auto p = c.problems();
  CHECK(std::find(p.begin(), p.end(), "verify_seq_gap") != p.end());
}

TEST_CASE("crash check: a silent visitor needs exactly one nudge") {
  good_conversation c;
  c.seen.silent = true;
  CHECK(c.problems() == std::vector<std::string>{"verify_nudges_0"});
  c.stored.push_back({4, "bot", "rapport.nudge", ""});
  CHECK(c.problems().empty());
  c.stored.push_back({5, "bot", "rapport.nudge", ""});
  CHECK(c.problems() == std::vector<std::string>{"verify_nudges_2"});
}

TEST_CASE("crash check: transcript rows are read from the REST response") {
  const auto body = boost::json::parse(R"({"conversation":"c1","owner":"bot","messages":[
    {"seq":1,"role":"bot","text":"Hi","buttons":[],"key":"ask_visit_reason","at":1},
    {"seq":2,"role":"visitor","text":"Exploring","buttons":[],"key":"","client_id":"m1","at":2}]})");
  const auto rows = transcript_rows(body);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].key == "ask_visit_reason");
  CHECK(rows[1].role == "visitor");
  CHECK(rows[1].client_id == "m1");
}

TEST_CASE("loadgen script: the built-in script starts with the opener") {
  const auto s = default_script();
  REQUIRE(s.steps.size() >= 2);
  CHECK(s.steps[0].what == script_step::kind::start);
  CHECK(s.steps[0].expect == "ask_visit_reason");
  CHECK(s.steps[1].payload == "exploring");
  CHECK(s.steps[1].text == "Exploring analytics tools");
}

TEST_CASE("loadgen script: a malformed line is reported with file and line") {
  std::string error;
  CHECK_FALSE(parse_script("start -> ask_visit_reason\nclick exploring\n", "s.txt", error));
  CHECK(error == "s.txt:2: expected `... -> reply_key`");
  CHECK_FALSE(parse_script("say hello -> x\n", "s.txt", error));
  CHECK(error == "s.txt:1: the first step must be `start -> OPENER_KEY`");
}

}  // namespace
}  // namespace rapport::bench
