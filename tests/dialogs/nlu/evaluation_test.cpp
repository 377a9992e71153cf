#include <doctest/doctest.h>

#include "fixtures/small_bot.hpp"
#include "rapport/dialogs/nlu.hpp"

using namespace rapport::dialogs::nlu;

TEST_CASE("evaluate reports accuracy, out-of-scope recall and precision") {
  std::vector<labelled_example> test{
      {"how much does it cost", "pricing"},    {"book a demo", "demo"},
      {"my login does not work", "support"},   {"tell me a joke", ""},
      {"what's the weather like", ""},         {"how much does it cost", "demo"},  // mislabelled
  };
  auto ev = evaluate(fixtures::small_bot(), {}, test);
  CHECK(ev.in_scope == 4);
  CHECK(ev.out_of_scope == 2);
  CHECK(ev.in_scope_accuracy == doctest::Approx(0.75));
  CHECK(ev.oos_recall == doctest::Approx(1.0));
  CHECK(ev.oos_precision == doctest::Approx(1.0));
  REQUIRE_FALSE(ev.most_confused.empty());
  CHECK(ev.most_confused[0].expected == "demo");
  CHECK(ev.most_confused[0].predicted == "pricing");
  CHECK(ev.macro_f1 > 0.5);
  CHECK(ev.macro_f1 <= 1.0);
  CHECK(ev.training_examples == 32);  // 28 intent examples + 4 out of scope
}

TEST_CASE("cross-validation tests every example exactly once") {
  auto data = fixtures::small_bot();
  auto ev = cross_validate(data, {}, 3);
  std::size_t intents = 0;
  for (const auto& ie : data.intents) intents += ie.examples.size();
  CHECK(ev.in_scope == static_cast<int>(intents));
  CHECK(ev.out_of_scope == static_cast<int>(data.out_of_scope.size()));
  CHECK(ev.in_scope_accuracy > 0.3);  // far better than chance (one in four) on a tiny bot
}

TEST_CASE("evaluation of an empty test set is all zeros, not a crash") {
  auto ev = evaluate(fixtures::small_bot(), {}, {});
  CHECK(ev.in_scope == 0);
  CHECK(ev.in_scope_accuracy == 0);
  CHECK(ev.most_confused.empty());
  CHECK_NOTHROW(cross_validate({}, {}, 5));
}
