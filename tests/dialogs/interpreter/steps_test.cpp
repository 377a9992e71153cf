// Every step kind, run through the interpreter.
#include "bot_fixture.hpp"

using namespace rapport::dialogs;
using namespace rapport::dialogs::test;
using namespace std::chrono_literals;

namespace {

const char* qualify_flows = R"(
slots:
  reason: {type: choice, options: [pricing, demo, support]}
  team_size: {type: number, min: 1}
flows:
  welcome:
    triggers: [start]
    steps:
      - ask: reason
      - if: reason == "support"
        then:
          - say: support_reply
        else:
          - ask: team_size
            validate: value <= 5000
            invalid: team_size_invalid
            retries: 1
            on_fail:
              - say: no_size
          - say: size_ack
)";

const char* qualify_messages = R"(
ask_reason:
  text: What brought you here today?
  buttons: {pricing: Pricing, demo: See a demo, support: I need help}
ask_team_size: How many people are on your team?
team_size_invalid: Just a number is fine, up to 5000.
support_reply: Let me help with that.
size_ack: "{team_size, plural, one {Just you} other {A team of #}}. Thanks!"
no_size: No problem, we'll skip that.
)";

}  // namespace

TEST_CASE("an ask offers the choice options as buttons labelled from its prompt") {
  simulator sim(load(bot(qualify_flows, qualify_messages)), {});
  auto out = messages(sim.start());
  REQUIRE(out.size() == 1);
  CHECK(out[0].key == "ask_reason");
  CHECK(out[0].role == message_role::prompt);
  REQUIRE(out[0].buttons.size() == 3);
  CHECK(out[0].buttons[1].label == "See a demo");
  CHECK(out[0].buttons[1].payload == "demo");
  CHECK(sim.state().waiting == waiting_for::answer);
}

TEST_CASE("clicking a button fills the slot and the flow goes on") {
  simulator sim(load(bot(qualify_flows, qualify_messages)), {});
  sim.start();
  CHECK(keys(sim.click("pricing", "Pricing")) == strings{"ask_team_size"});
  CHECK(slot(sim, "reason") == value{std::string("pricing")});
}

TEST_CASE("a choice can be answered in words: the label, or an option named in a sentence") {
  simulator sim(load(bot(qualify_flows, qualify_messages)), {});
  sim.start();
  sim.say("see a demo");
  CHECK(slot(sim, "reason") == value{std::string("demo")});

  simulator other(load(bot(qualify_flows, qualify_messages)), {});
  other.start();
  other.say("I'm mostly curious about pricing");
  CHECK(slot(other, "reason") == value{std::string("pricing")});
}

TEST_CASE("if/else follows the condition") {
  simulator sim(load(bot(qualify_flows, qualify_messages)), {});
  sim.start();
  CHECK(keys(sim.click("support")) == strings{"support_reply"});
  CHECK(sim.state().stack.empty());
}

TEST_CASE("a number slot understands digits in a sentence and renders with plurals") {
  simulator sim(load(bot(qualify_flows, qualify_messages)), {});
  sim.start();
  sim.click("pricing");
  auto out = messages(sim.say("we're about 40 people"));
  CHECK(slot(sim, "team_size") == value{40.0});
  REQUIRE(out.size() == 1);
  CHECK(out[0].text == "A team of 40. Thanks!");
}

TEST_CASE("an invalid answer gets the invalid message and the question again") {
  simulator sim(load(bot(qualify_flows, qualify_messages)), {});
  sim.start();
  sim.click("pricing");
  auto out = messages(sim.say("99999"));  // fails validate
  REQUIRE(out.size() == 2);
  CHECK(out[0].key == "team_size_invalid");
  CHECK(out[0].role == message_role::invalid);
  CHECK(out[1].key == "ask_team_size");
  CHECK(out[1].role == message_role::reprompt);
  CHECK(sim.state().retries == 1);
}

TEST_CASE("when retries run out, on_fail runs and the slot stays empty") {
  simulator sim(load(bot(qualify_flows, qualify_messages)), {});
  sim.start();
  sim.click("pricing");
  sim.say("lots");
  auto out = keys(sim.say("many"));
  CHECK(out == strings{"no_size", "size_ack"});
  CHECK(is_null(slot(sim, "team_size")));
}

TEST_CASE("goto continues in another flow, or at a step of it, without returning") {
  simulator sim(load(bot(R"(
flows:
  first:
    triggers: [start]
    steps:
      - say: one
      - goto: second.middle
      - say: never
  second:
    steps:
      - say: skipped
      - say: two
        id: middle
)",
                         "one: One\nnever: Never\nskipped: Skipped\ntwo: Two\n")),
                {});
  CHECK(keys(sim.start()) == strings{"one", "two"});
}

TEST_CASE("call runs a flow and returns after the call") {
  simulator sim(load(bot(R"(
flows:
  first:
    triggers: [start]
    steps:
      - call: helper
      - say: after
  helper:
    steps:
      - say: inside
)",
                         "after: After\ninside: Inside\n")),
                {});
  CHECK(keys(sim.start()) == strings{"inside", "after"});
}

TEST_CASE("set assigns literals and expressions and clears with null") {
  simulator sim(load(bot(R"(
slots:
  plan: {type: text}
  visits: {type: number}
flows:
  first:
    triggers: [start]
    steps:
      - set: {plan: pro, visits: 1}
      - set: {visits: =visits + 1, consent: true}
      - say: done
      - set: {plan: null}
)",
                         "done: \"{plan} {visits}\"\n")),
                {});
  auto out = messages(sim.start());
  REQUIRE(out.size() == 1);
  CHECK(out[0].text == "pro 2");
  CHECK(sim.state().consent);
  CHECK(is_null(slot(sim, "plan")));
}

TEST_CASE("track records an analytics event with its properties") {
  simulator sim(load(bot(R"(
slots:
  plan: {type: text}
flows:
  first:
    triggers: [start]
    steps:
      - set: {plan: pro}
      - track: plan_chosen
        props: {plan: =plan, source: widget}
      - say: done
)",
                         "done: Done\n")),
                {});
  auto events = all<analytics_event>(sim.start());
  auto it = std::find_if(events.begin(), events.end(),
                         [](const auto& e) { return e.name == "plan_chosen"; });
  REQUIRE(it != events.end());
  CHECK(it->props.at("plan") == value{std::string("pro")});
  CHECK(it->props.at("source") == value{std::string("widget")});
}

TEST_CASE("end closes the conversation with its outcome") {
  simulator sim(load(bot(R"(
flows:
  first:
    triggers: [start]
    steps:
      - say: bye
      - end: resolved
      - say: never
)",
                         "bye: Bye\nnever: Never\n")),
                {});
  auto out = sim.start();
  CHECK(keys(out) == strings{"bye"});
  auto ends = all<conversation_end>(out);
  REQUIRE(ends.size() == 1);
  CHECK(ends[0].outcome == "resolved");
  CHECK(sim.state().owned_by == owner::closed);
}

TEST_CASE("return leaves a called flow early") {
  simulator sim(load(bot(R"(
flows:
  first:
    triggers: [start]
    steps:
      - call: helper
      - say: after
  helper:
    steps:
      - say: inside
      - return
      - say: never
)",
                         "after: After\ninside: Inside\nnever: Never\n")),
                {});
  CHECK(keys(sim.start()) == strings{"inside", "after"});
}
