// The global interrupts work in the middle of a question and return to it.
#include "bot_fixture.hpp"

using namespace rapport::dialogs;
using namespace rapport::dialogs::test;
using kind = handoff_event::kind;

namespace {

const char* flows = R"(
slots:
  team_size: {type: number}
  feedback: {type: text}
flows:
  welcome:
    triggers: [start]
    steps:
      - ask: team_size
      - ask: feedback
        interrupts: {help: false}
      - say: thanks
)";
const char* msgs =
    "ask_team_size: How big is your team?\nask_feedback: Anything else?\nthanks: Thanks!\n";

}  // namespace

TEST_CASE("help mid-question explains and asks the question again") {
  simulator sim(load(bot(flows, msgs)), {});
  sim.start();
  auto out = keys(sim.say("help"));
  CHECK(out == strings{"rapport.help", "ask_team_size"});
  CHECK(sim.state().waiting == waiting_for::answer);
  sim.say("12");
  CHECK(slot(sim, "team_size") == value{12.0});
}

TEST_CASE("an interrupt can be switched off on one question") {
  simulator sim(load(bot(flows, msgs)), {});
  sim.start();
  sim.say("12");
  sim.say("help");  // a valid free-text answer here
  CHECK(slot(sim, "feedback") == value{std::string("help")});
}

TEST_CASE("asking for a human mid-question hands off, and the question comes back after") {
  simulator sim(load(bot(flows, msgs)), {});
  sim.start();
  auto out = sim.say("human");
  CHECK(keys(out) == strings{"rapport.handoff_connecting"});
  CHECK(all<handoff_request>(out).size() == 1);
  CHECK(sim.state().owned_by == owner::queued);
  sim.deliver(handoff_event{kind::accepted, "ana", "", ""});
  auto back = keys(sim.deliver(handoff_event{kind::returned, "ana", "", ""}));
  CHECK(back == strings{"ask_team_size"});
}

TEST_CASE("stop mid-question confirms once, then the bot is silent until START") {
  simulator sim(load(bot(flows, msgs)), {});
  sim.start();
  CHECK(keys(sim.say("stop")) == strings{"rapport.opted_out"});
  CHECK(sim.state().opted_out);
  CHECK(messages(sim.say("12")).empty());
  CHECK(messages(sim.say("hello?")).empty());
  CHECK(messages(sim.wait(std::chrono::hours(24))).empty());
  CHECK(keys(sim.say("START")) == strings{"ask_team_size"});
  CHECK_FALSE(sim.state().opted_out);
}

TEST_CASE("stop is honoured even while a human owns the conversation") {
  simulator sim(load(bot(flows, msgs)), {});
  sim.start();
  sim.say("human");
  sim.deliver(handoff_event{kind::accepted, "ana", "", ""});
  CHECK(keys(sim.say("unsubscribe")) == strings{"rapport.opted_out"});
  CHECK(sim.state().opted_out);
  CHECK(sim.state().owned_by == owner::bot);
}

TEST_CASE("restart clears the slots and starts over") {
  simulator sim(load(bot(flows, msgs)), {});
  sim.start();
  sim.say("12");
  CHECK(keys(sim.say("start over")) == strings{"ask_team_size"});
  CHECK(sim.state().slots.empty());
}

TEST_CASE("interrupts can be turned off for the whole bot") {
  simulator sim(load(bot(flows, msgs, "interrupts: {help: false}\n")), {});
  sim.start();
  auto out = keys(sim.say("help"));
  CHECK(out == strings{"rapport.invalid_number", "ask_team_size"});
}

TEST_CASE("a question that matches another flow's intent is a digression that comes back") {
  simulator sim(load(bot(std::string(flows) + R"(
  pricing:
    triggers:
      - keyword: [price, pricing]
    steps:
      - say: price_info
)",
                         std::string(msgs) + "price_info: Plans start at 10 EUR.\n")),
                {});
  sim.start();
  auto out = keys(sim.say("what's the price?"));
  CHECK(out == strings{"price_info", "ask_team_size"});
  CHECK(sim.state().waiting == waiting_for::answer);
}
