// The dialog-level send gate: unanswered messages, promotions, nudges.
#include "bot_fixture.hpp"

using namespace rapport::dialogs;
using namespace rapport::dialogs::test;
using namespace std::chrono_literals;

TEST_CASE("a flow that would send too many messages in a row is cut and the cut reported") {
  simulator sim(load(bot(R"(
flows:
  chatty:
    triggers: [start]
    steps:
      - say: one
      - say: two
      - say: three
      - say: four
)",
                         "one: One\ntwo: Two\nthree: Three\nfour: Four\n")),
                {});
  auto out = sim.start();
  CHECK(keys(out) == strings{"one", "two"});
  auto blocks = all<policy_block>(out);
  REQUIRE(blocks.size() == 1);
  CHECK(blocks[0].reason == "max_unanswered");
  CHECK(blocks[0].key == "three");
  CHECK(sim.state().stack.empty());
}

TEST_CASE("the unanswered limit is configurable and resets when the visitor writes") {
  simulator sim(load(bot(R"(
slots:
  name: {type: text}
flows:
  chatty:
    triggers: [start]
    steps:
      - say: one
      - say: two
      - say: three
      - ask: name
      - say: four
)",
                         "one: One\ntwo: Two\nthree: Three\nask_name: Name?\nfour: Four\n",
                         "policies: {max_unanswered: 4}\n")),
                {});
  CHECK(keys(sim.start()) == strings{"one", "two", "three", "ask_name"});
  CHECK(keys(sim.say("Ana")) == strings{"four"});
}

namespace {

const char* promo_flows = R"(
slots:
  interested: {type: yes_no}
flows:
  welcome:
    triggers: [start]
    steps:
      - say: offer
      - ask: interested
      - if: interested
        then:
          - set: {consent: true}
          - say: offer
)";
const char* promo_messages = R"(
offer:
  text: 20% off this month!
  promo: true
ask_interested: Would you like to hear about our offers?
)";

}  // namespace

TEST_CASE("promotional messages are blocked until consent or buying intent") {
  simulator sim(load(bot(promo_flows, promo_messages)), {});
  auto out = sim.start();
  CHECK(keys(out) == strings{"ask_interested"});
  auto blocks = all<policy_block>(out);
  REQUIRE(blocks.size() == 1);
  CHECK(blocks[0].reason == "promo");
  auto after = messages(sim.click("yes"));
  REQUIRE(after.size() == 1);
  CHECK(after[0].key == "offer");
  CHECK(after[0].promo);
}

TEST_CASE("a buying intent unlocks promotional messages") {
  auto files = bot(R"(
flows:
  pricing:
    triggers:
      - intent: pricing
    steps:
      - say: offer
)",
                   "offer:\n  text: 20% off!\n  promo: true\n", "buying_intents: [pricing]\n");
  files["intents/sales.yaml"] =
      "intents:\n  pricing: [how much does it cost, what's the price, what are your prices]\n";
  simulator sim(load(files), {});
  sim.start();
  auto out = sim.click("intent:pricing", "Pricing");  // as from a disambiguation button
  CHECK(sim.state().buying_intent);
  CHECK(sim.state().intent == "pricing");
  CHECK(keys(out) == strings{"offer"});
  CHECK(all<policy_block>(out).empty());
}

namespace {

const char* timer_flows = R"(
slots:
  name: {type: text}
flows:
  welcome:
    triggers: [start]
    steps:
      - ask: name
        no_input: {nudge_after: 2m, close_after: 10m, nudge: still_there, close: goodbye}
      - say: hi
)";
const char* timer_messages = "ask_name: Name?\nstill_there: Still there?\ngoodbye: Bye for now.\nhi: \"Hi {name}\"\n";

}  // namespace

TEST_CASE("an ask sets a durable no-input timer instead of sleeping") {
  simulator sim(load(bot(timer_flows, timer_messages)), {});
  auto timers = all<timer_set>(sim.start());
  REQUIRE(timers.size() == 1);
  CHECK(timers[0].name == "no_input");
  CHECK(timers[0].due == sim.now() + 2min);
}

TEST_CASE("silence gets one nudge, then a polite close") {
  simulator sim(load(bot(timer_flows, timer_messages)), {});
  sim.start();
  CHECK(messages(sim.wait(1min)).empty());
  CHECK(keys(sim.wait(1min)) == strings{"still_there"});
  CHECK(messages(sim.wait(9min)).empty());
  auto out = sim.wait(1min);
  CHECK(keys(out) == strings{"goodbye"});
  CHECK(all<conversation_end>(out).at(0).outcome == "no_input");
}

TEST_CASE("an answer cancels the timer and a stale timer does nothing") {
  simulator sim(load(bot(timer_flows, timer_messages)), {});
  auto started = all<timer_set>(sim.start());
  auto out = sim.say("Ana");
  CHECK(all<timer_cancel>(out).size() == 1);
  CHECK(keys(out) == strings{"hi"});
  CHECK(messages(sim.deliver(timer_fired{"no_input", started.at(0).seq})).empty());
}

TEST_CASE("a nudge is not counted against the unanswered limit but only one comes per silence") {
  simulator sim(load(bot(R"(
slots:
  name: {type: text}
flows:
  welcome:
    triggers: [start]
    steps:
      - say: hello
      - ask: name
        no_input: {nudge_after: 1m, close_after: 1m}
)",
                         "hello: Hello!\nask_name: Name?\n")),
                {});
  sim.start();
  auto out = sim.wait(1min);
  CHECK(keys(out) == strings{"rapport.nudge"});
  CHECK(sim.state().nudged);
  CHECK(keys(sim.wait(1min)) == strings{"rapport.no_input_close"});
}
