// intents/*.yaml → the NLU training data, merged with the core module's interrupt intents.
#include <algorithm>

#include "support.hpp"

using namespace loader_test;

namespace {

const nlu::intent_examples* examples_of(const bot_model& m, const std::string& intent,
                                        const std::string& locale) {
  for (const auto& e : m.training.intents) {
    if (e.intent == intent && e.locale == locale) return &e;
  }
  return nullptr;
}

bool has_example(const nlu::intent_examples* e, const std::string& text) {
  return e && std::find(e->examples.begin(), e->examples.end(), text) != e->examples.end();
}

}  // namespace

TEST_CASE("intents: a plain list is the default locale, a map is per locale") {
  auto r = load(bot_with({{"bot.yaml", std::string(minimal_bot_yaml) + "locales: [en, de]\n"},
                          {"messages/de.yaml", "ask_reason: Was führt Sie zu uns?\n"},
                          {"intents/sales.yaml",
                           "intents:\n"
                           "  pricing:\n"
                           "    en: [how much does it cost, what are your prices]\n"
                           "    de: [was kostet das]\n"
                           "  demo:\n"
                           "    - can I see a demo\n"
                           "    - book a demo\n"}}));
  INFO(dump(r));
  REQUIRE(r.model);
  const auto& m = *r.model;
  CHECK(examples_of(m, "pricing", "en")->examples ==
        std::vector<std::string>{"how much does it cost", "what are your prices"});
  CHECK(examples_of(m, "pricing", "de")->examples == std::vector<std::string>{"was kostet das"});
  CHECK(examples_of(m, "demo", "en")->examples.size() == 2);
  CHECK(examples_of(m, "demo", "de") == nullptr);
  REQUIRE(m.nlu);
  auto intents = m.nlu->intents();
  CHECK(std::find(intents.begin(), intents.end(), "pricing") != intents.end());
}

TEST_CASE("the core module's interrupt intents are merged with the bot's examples") {
  auto r = load(bot_with({{"intents/extra.yaml",
                           "intents:\n"
                           "  human:\n"
                           "    - put me through to sales\n"}}));
  REQUIRE(r.model);
  const auto* human = examples_of(*r.model, "human", "en");
  CHECK(has_example(human, "talk to a person"));
  CHECK(has_example(human, "put me through to sales"));
  CHECK(examples_of(*r.model, "stop", "en") != nullptr);
  // The module's German examples are left out: the bot does not speak German.
  CHECK(examples_of(*r.model, "human", "de") == nullptr);
}

TEST_CASE("an interrupt's intent is not trained while the interrupt is off everywhere") {
  auto r = load(
      bot_with({{"bot.yaml", std::string(minimal_bot_yaml) + "interrupts: {restart: false}\n"}}));
  REQUIRE(r.model);
  CHECK(examples_of(*r.model, "restart", "en") == nullptr);
  CHECK(examples_of(*r.model, "help", "en") != nullptr);

  auto on_for_one_ask =
      load(bot_with({{"bot.yaml", std::string(minimal_bot_yaml) + "interrupts: {restart: false}\n"},
                     {"flows/main.yaml",
                      "slots:\n"
                      "  reason: {type: text}\n"
                      "flows:\n"
                      "  welcome:\n"
                      "    triggers: [start]\n"
                      "    steps:\n"
                      "      - ask: reason\n"
                      "        interrupts: {restart: true}\n"}}));
  REQUIRE(on_for_one_ask.model);
  CHECK(examples_of(*on_for_one_ask.model, "restart", "en") != nullptr);
}

TEST_CASE("exact examples map normalised phrases to their intent") {
  auto r = load(bot_with({{"intents/sales.yaml",
                           "intents:\n"
                           "  pricing: [\"How much is it?\", shared phrase]\n"
                           "  demo: [Book a Démo, shared phrase]\n"}}));
  REQUIRE(r.model);
  const auto& exact = r.model->exact_examples;
  CHECK(exact.at("how much is it") == "pricing");
  CHECK(exact.at("book a demo") == "demo");
  CHECK(exact.at("talk to a person") == "human");
  CHECK_FALSE(exact.contains("shared phrase"));  // two intents: not certain
}

TEST_CASE("out-of-scope examples and lookup entities") {
  auto r = load(bot_with({{"flows/plans.yaml",
                           "slots:\n"
                           "  plan: {type: choice, options: [starter, pro], entity: plan}\n"},
                          {"intents/other.yaml",
                           "out_of_scope:\n"
                           "  en: [what's the weather like, tell me a joke]\n"
                           "entities:\n"
                           "  plan:\n"
                           "    en:\n"
                           "      starter: [starter, basic, the cheap one]\n"
                           "      pro: [pro, professional]\n"}}));
  INFO(dump(r));
  REQUIRE(r.model);
  const auto& t = r.model->training;
  CHECK(t.out_of_scope == std::vector<std::string>{"what's the weather like", "tell me a joke"});
  REQUIRE(t.lookups.size() == 1);
  CHECK(t.lookups[0].name == "plan");
  CHECK(t.lookups[0].locale == "en");
  REQUIRE(t.lookups[0].values.size() == 2);
  CHECK(t.lookups[0].values[0].value == "starter");
  CHECK(t.lookups[0].values[0].synonyms.size() == 3);
  CHECK(r.model->slots.at("plan").entity == "plan");
}

TEST_CASE("a slot's entity must be declared") {
  auto r = load(bot_with({{"flows/plans.yaml",
                           "slots:\n"
                           "  plan: {type: choice, options: [starter, pro], entity: plans}\n"}}));
  CHECK(where(only(r, "undefined-entity")) == "flows/plans.yaml:2:57");
}

TEST_CASE("examples for a locale the bot does not speak are ignored with a warning") {
  auto r = load(bot_with({{"intents/sales.yaml",
                           "intents:\n"
                           "  pricing:\n"
                           "    en: [how much]\n"
                           "    fr: [combien]\n"}}));
  REQUIRE(r.model);
  auto d = only(r, "unused-locale");
  CHECK(d.level == severity::warning);
  CHECK(where(d) == "intents/sales.yaml:4:5");
}

TEST_CASE("intents file shape errors") {
  auto r = load(bot_with({{"intents/sales.yaml",
                           "intents:\n"
                           "  Pricing: [how much]\n"
                           "  demo: a demo please\n"
                           "  trial: {english: [a trial]}\n"
                           "entites: {}\n"}}));
  CHECK(where(only(r, "bad-name")) == "intents/sales.yaml:2:3");
  CHECK(where(only(r, "bad-locale")) == "intents/sales.yaml:4:11");
  auto unknown = only(r, "unknown-key");
  CHECK(where(unknown) == "intents/sales.yaml:5:1");
  CHECK(unknown.hint == "did you mean 'entities'?");
  CHECK(where(only(r, "wrong-type")) == "intents/sales.yaml:3:9");
}
