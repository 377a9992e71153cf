// Conversation state: JSON round trips, versions, determinism, locales, triggers.
#include "bot_fixture.hpp"

using namespace rapport::dialogs;
using namespace rapport::dialogs::test;

namespace {

const char* flows = R"(
slots:
  team_size: {type: number}
flows:
  welcome:
    triggers: [start]
    steps:
      - say: hello
      - ask: team_size
      - say: ack
  pricing:
    triggers:
      - keyword: [price, pricing]
    steps:
      - say: price
  tour:
    triggers:
      - event: page_view
        if: context.page == "/tour"
    steps:
      - say: tour_hint
)";
const char* en = R"(
hello: [Hi!, Hello!, Hey there!, Welcome!, Good to see you!]
ask_team_size: How big is your team?
ack: "{team_size, plural, one {One person} other {# people}}"
price: Plans start at 10 EUR.
tour_hint: Want a quick tour?
)";
const char* de = R"(
hello: [Hallo!]
ask_team_size: Wie groß ist Ihr Team?
ack: "{team_size, plural, one {Eine Person} other {# Personen}}"
price: Ab 10 EUR.
tour_hint: Eine kurze Tour?
)";

bot_files bilingual() {
  auto files = bot(flows, en, "locales: [en, de]\n");
  files["messages/de.yaml"] = de;
  return files;
}

}  // namespace

TEST_CASE("state survives a JSON round trip exactly, mid-conversation") {
  auto model = load(bilingual());
  simulator sim(model, {});
  sim.start();
  sim.say("3");
  auto json = to_json(sim.state());
  auto back = state_from_json(json);
  REQUIRE(back);
  CHECK(*back == sim.state());
  CHECK(back->bot_version == model->version);
}

TEST_CASE("malformed state JSON is rejected with a reason, not a crash") {
  std::string error;
  CHECK_FALSE(state_from_json("{\"turns\": \"many\"}", &error));
  CHECK(error.find("turns") != std::string::npos);
  CHECK_FALSE(state_from_json("not json", &error));
  CHECK_FALSE(state_from_json("[1,2]", &error));
}

TEST_CASE("the same seed gives the same variants; the seed changes them") {
  auto model = load(bilingual());
  auto first_words = [&](std::uint64_t seed) {
    std::string all;
    for (int i = 0; i < 5; ++i) {
      simulator sim(model, {.seed = seed + std::uint64_t(i) * 7919});
      all += messages(sim.start()).at(0).text;
    }
    return all;
  };
  CHECK(first_words(1) == first_words(1));
  CHECK(first_words(1) != first_words(2));
}

TEST_CASE("a visitor's locale picks the bot's messages, with plurals in that language") {
  simulator sim(load(bilingual()), {.locale = "de-AT"});
  CHECK(messages(sim.start()).at(0).text == "Hallo!");
  CHECK(sim.state().locale == "de");
  CHECK(messages(sim.say("1")).at(0).text == "Eine Person");
}

TEST_CASE("a keyword trigger starts its flow when the conversation is idle") {
  simulator sim(load(bilingual()), {});
  sim.start();
  sim.say("4");
  CHECK(keys(sim.say("what's your pricing?")) == strings{"price"});
}

TEST_CASE("event triggers only fire when idle and their condition holds") {
  simulator sim(load(bilingual()), {});
  sim.start();
  CHECK(messages(sim.deliver(named_event{"page_view", {{"page", std::string("/tour")}}})).empty());
  sim.say("4");
  CHECK(keys(sim.deliver(named_event{"page_view", {{"page", std::string("/blog")}}})).empty());
  CHECK(keys(sim.deliver(named_event{"page_view", {{"page", std::string("/tour")}}})) ==
        strings{"tour_hint"});
}

TEST_CASE("a message nothing understands runs the fallback") {
  simulator sim(load(bilingual()), {});
  sim.start();
  sim.say("4");
  CHECK(keys(sim.say("purple elephants")) == strings{"rapport.fallback"});
  CHECK(sim.state().fallbacks == 1);
  sim.say("more purple elephants");
  CHECK(keys(sim.say("so many elephants")) == strings{"rapport.fallback_again"});
}

TEST_CASE("a visitor who writes first gets the opener when nothing else matches") {
  simulator sim(load(bilingual()), {});
  auto out = keys(sim.say("hi"));
  REQUIRE_MESSAGE(out.size() == 2, doctest::toString(out));
  CHECK(out[1] == "ask_team_size");
}

TEST_CASE("lead score rules add points once when they first hold") {
  simulator sim(load(bot(flows, en, R"(
lead_score:
  - if: team_size >= 50
    add: 30
  - if: turns >= 1
    add: 5
)")),
                {});
  sim.start();
  sim.say("80");
  CHECK(sim.state().lead_score == 35);
  sim.say("what's the price");
  CHECK(sim.state().lead_score == 35);
}
