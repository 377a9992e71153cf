#include <doctest/doctest.h>

#include "fixtures/small_bot.hpp"
#include "rapport/dialogs/nlu.hpp"

using namespace rapport::dialogs::nlu;

namespace {

result ask(const model& m, std::string_view text, std::string_view locale = "en") {
  return m.parse({text, locale});
}

}  // namespace

TEST_CASE("the classifier recognises paraphrases of a small bot's examples") {
  auto m = train(fixtures::small_bot(), {});
  CHECK(ask(*m, "How much is it?").intent == "pricing");
  CHECK(ask(*m, "what's the price for the pro plan").intent == "pricing");
  CHECK(ask(*m, "could I get a demo please").intent == "demo");
  CHECK(ask(*m, "my password reset is broken").intent == "support");
  CHECK(ask(*m, "I need to talk to a real human").intent == "human");
  CHECK(ask(*m, "Was kostet der Pro-Plan?", "de").intent == "pricing");
}

TEST_CASE("confidence is a probability and the ranking is best first") {
  auto m = train(fixtures::small_bot(), {});
  auto r = ask(*m, "how much does it cost");
  CHECK(r.confidence > 0.5);
  CHECK(r.confidence <= 1.0);
  REQUIRE(r.ranking.size() == 4);  // every intent, at most five
  CHECK(r.ranking[0].name == "pricing");
  CHECK(r.ranking[0].confidence == doctest::Approx(r.confidence));
  for (std::size_t i = 1; i < r.ranking.size(); ++i)
    CHECK(r.ranking[i - 1].confidence >= r.ranking[i].confidence);
  double total = 0;
  for (const auto& s : r.ranking) total += s.confidence;
  CHECK(total <= 1.0 + 1e-9);
}

TEST_CASE("text unlike every intent is out of scope") {
  auto m = train(fixtures::small_bot(), {});
  auto r = ask(*m, "tell me a joke about the weather");
  CHECK(r.intent.empty());
  auto gibberish = ask(*m, "qwzx vvbn");
  CHECK(gibberish.intent.empty());
  CHECK(gibberish.confidence < 0.45);
}

TEST_CASE("the threshold is configurable") {
  config strict;
  strict.threshold = 0.999;
  auto m = train(fixtures::small_bot(), strict);
  auto r = ask(*m, "could I get a demo please");
  CHECK(r.intent.empty());  // below the threshold: out of scope...
  REQUIRE_FALSE(r.ranking.empty());
  CHECK(r.ranking[0].name == "demo");  // ...but the ranking still tells what was closest
}

TEST_CASE("two intents too close to call are flagged as ambiguous") {
  config cfg;
  cfg.ambiguity_margin = 1.0;  // everything is "too close"
  auto m = train(fixtures::small_bot(), cfg);
  CHECK(ask(*m, "how much does a demo cost").ambiguous);
  cfg.ambiguity_margin = 0.0;
  CHECK_FALSE(train(fixtures::small_bot(), cfg)->parse({"how much does a demo cost"}).ambiguous);
}

TEST_CASE("training is deterministic") {
  auto a = train(fixtures::small_bot(), {});
  auto b = train(fixtures::small_bot(), {});
  for (const char* text : {"how much", "demo please", "broken login", "hello", "ok"}) {
    auto ra = ask(*a, text), rb = ask(*b, text);
    CHECK(ra.intent == rb.intent);
    CHECK(ra.confidence == rb.confidence);
  }
}

TEST_CASE("the model lists its intents") {
  auto m = train(fixtures::small_bot(), {});
  CHECK(m->intents() == std::vector<std::string>{"demo", "human", "pricing", "support"});
}

TEST_CASE("parse also extracts entities") {
  auto m = train(fixtures::small_bot(), {});
  auto r = ask(*m, "pricing for 40 users, mail me at a@b.io");
  CHECK(r.intent == "pricing");
  REQUIRE(r.entities.size() == 2);
  CHECK(r.entities[0].type == "number");
  CHECK(r.entities[1].type == "email");
  CHECK(m->classify({"pricing for 40 users"}).entities.empty());
}

TEST_CASE("degenerate training data and input never crash") {
  auto empty = train({}, {});
  CHECK(empty->parse({"hello"}).intent.empty());
  CHECK(empty->intents().empty());
  training_data one;
  one.intents = {{"only", "en", {"the only thing"}}};
  auto single = train(one, {});
  CHECK(single->parse({"the only thing"}).intent == "only");
  CHECK(single->parse({"what a lovely day"}).intent.empty());
  auto m = train(fixtures::small_bot(), {});
  CHECK(ask(*m, "").intent.empty());
  CHECK_NOTHROW(ask(*m, "\xFF\xFE\xC3"));
  CHECK_NOTHROW(ask(*m, std::string(100000, 'a')));
}
