// Asking for phone, date, rating and NPS slots; entities on text slots and in lead-score rules.
#include "bot_fixture.hpp"

using namespace rapport::dialogs;
using namespace rapport::dialogs::test;

namespace {

// A bot whose opener asks for `slot` of `type`, then says thanks.
std::shared_ptr<const bot_model> asking(const std::string& type, const std::string& extra = "") {
  return load(bot("slots:\n  answer: {type: " + type + extra + "}\n"
                  "flows:\n"
                  "  welcome:\n"
                  "    triggers: [start]\n"
                  "    steps:\n"
                  "      - ask: answer\n"
                  "        retries: 2\n"
                  "      - say: thanks\n",
                  "ask_answer: What is it?\nthanks: Thanks!\n"));
}

struct typed_case {
  const char* type;
  const char* valid;
  value stored;
  const char* invalid;
};

}  // namespace

TEST_CASE("phone, date, rating and nps slots take a valid answer and re-ask an invalid one") {
  const typed_case cases[] = {
      {"phone", "call me on +1 415 555 2671", value{std::string("+14155552671")}, "no thanks"},
      {"date", "tomorrow works", value{std::string("2026-01-02")}, "whenever"},  // now: 2026-01-01
      {"rating", "4", value{4.0}, "9"},
      {"nps", "10", value{10.0}, "eleven"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.type);
    simulator sim(asking(c.type), {});
    sim.start();
    // Invalid: the built-in "that doesn't look like ..." for the type, then the question again.
    CHECK(keys(sim.say(c.invalid)) ==
          strings{std::string("rapport.invalid_") + c.type, "ask_answer"});
    CHECK(slot(sim, "answer") == value{null_value{}});
    CHECK(sim.state().waiting == waiting_for::answer);
    CHECK(keys(sim.say(c.valid)) == strings{"thanks"});
    CHECK(slot(sim, "answer") == c.stored);
  }
}

TEST_CASE("rating and nps questions offer their scale as buttons, and a click answers") {
  simulator rating(asking("rating"), {});
  auto out = messages(rating.start());
  REQUIRE(out.size() == 1);
  REQUIRE(out[0].buttons.size() == 5);
  CHECK(out[0].buttons.front().payload == "1");
  CHECK(keys(rating.click("5", "5")) == strings{"thanks"});
  CHECK(slot(rating, "answer") == value{5.0});

  simulator nps(asking("nps"), {});
  out = messages(nps.start());
  REQUIRE(out[0].buttons.size() == 11);
  CHECK(out[0].buttons.front().label == "0");
  CHECK(out[0].buttons.back().label == "10");
  CHECK(keys(nps.click("0", "0")) == strings{"thanks"});
  CHECK(slot(nps, "answer") == value{0.0});
}

TEST_CASE("a text slot with a built-in entity keeps the first match and re-asks without one") {
  simulator sim(asking("text", ", entity: email"), {});
  sim.start();
  CHECK(keys(sim.say("I'd rather not say")) == strings{"rapport.invalid_text", "ask_answer"});
  CHECK(slot(sim, "answer") == value{null_value{}});
  CHECK(keys(sim.say("sure, it's maria@example.com or m@example.org")) == strings{"thanks"});
  CHECK(slot(sim, "answer") == value{std::string("maria@example.com")});
}

TEST_CASE("a text slot with a lookup entity keeps the entity's value") {
  auto model = load({{"bot.yaml", "name: test\ndefault_locale: en\n"},
                     {"flows/main.yaml",
                      "slots:\n  plan_name: {type: text, entity: plan}\n"
                      "flows:\n  welcome:\n    triggers: [start]\n    steps:\n"
                      "      - ask: plan_name\n      - say: thanks\n"},
                     {"intents/entities.yaml",
                      "entities:\n  plan:\n    en:\n      pro: [pro plan, the big one]\n"
                      "      basic: [basic plan, starter]\n"},
                     {"messages/en.yaml", "ask_plan_name: Which plan?\nthanks: Thanks!\n"}});
  simulator sim(model, {});
  sim.start();
  CHECK(keys(sim.say("no idea")) == strings{"rapport.invalid_text", "ask_plan_name"});
  CHECK(keys(sim.say("we're on the starter thing")) == strings{"thanks"});
  CHECK(slot(sim, "plan_name") == value{std::string("basic")});
}

TEST_CASE("lead-score rules can read the entities of the visitor's last message") {
  auto model = load(bot("slots:\n  need: {type: text}\n"
                        "flows:\n  welcome:\n    triggers: [start]\n    steps:\n"
                        "      - ask: need\n",
                        "ask_need: What do you need?\n",
                        "lead_score:\n"
                        "  - if: is_set(entity.money)\n    add: 20\n"
                        "  - if: is_set(entity.phone)\n    add: 10\n"));
  simulator sim(model, {});
  sim.start();
  sim.say("something for the team");
  CHECK(sim.state().lead_score == 0);
  CHECK(sim.state().entities.empty());
  sim.say("our budget is $5,000");
  CHECK(sim.state().lead_score == 20);
  CHECK(sim.state().entities.at("money") == value{5000.0});
  // The state round-trips with its entities, so a persisted conversation reads the same.
  auto back = state_from_json(to_json(sim.state()));
  REQUIRE(back);
  CHECK(back->entities == sim.state().entities);
}

TEST_CASE("an unknown entity in an expression is an error with a suggestion") {
  auto loaded = load_bot(bot("slots:\n  need: {type: text}\n"
                             "flows:\n  welcome:\n    triggers: [start]\n    steps:\n"
                             "      - ask: need\n",
                             "ask_need: What do you need?\n",
                             "lead_score:\n  - if: is_set(entity.emial)\n    add: 5\n"));
  CHECK_FALSE(loaded.model);
  REQUIRE(loaded.diagnostics.size() == 1);
  CHECK(loaded.diagnostics[0].code == "unknown-entity");
  CHECK(loaded.diagnostics[0].hint == "did you mean 'email'?");
  CHECK(loaded.diagnostics[0].pos.line == 4);
}
