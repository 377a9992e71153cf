// Flow triggers in every documented form.
#include "support.hpp"

using namespace loader_test;

namespace {

load_result load_triggers(const std::string& triggers) {
  return load(bot_with({{"flows/main.yaml",
                         "slots:\n"
                         "  reason: {type: text}\n"
                         "flows:\n"
                         "  welcome:\n"
                         "    steps:\n"
                         "      - ask: reason\n"
                         "    triggers:\n" +
                             triggers},
                        {"intents/sales.yaml", "intents:\n  pricing: [how much is it]\n"}}));
}

const std::vector<trigger_def>& triggers_of(const load_result& r) {
  INFO(dump(r));
  REQUIRE(r.model);
  return r.model->flows.at("welcome").triggers;
}

}  // namespace

TEST_CASE("'- start' starts the flow when a conversation starts") {
  auto r = load_triggers("      - start\n");
  const auto& ts = triggers_of(r);
  REQUIRE(ts.size() == 1);
  CHECK(ts[0].kind == trigger_kind::start);
  CHECK_FALSE(ts[0].condition);
  CHECK(ts[0].pos.line == 8);
  CHECK(ts[0].pos.column == 9);
}

TEST_CASE("'start:' with a condition") {
  auto r = load_triggers(
      "      - start:\n"
      "        if: context.returning != true\n");
  const auto& ts = triggers_of(r);
  REQUIRE(ts.size() == 1);
  CHECK(ts[0].kind == trigger_kind::start);
  REQUIRE(ts[0].condition);
  CHECK(ts[0].condition->text() == "context.returning != true");
}

TEST_CASE("intent, keyword and event triggers") {
  auto r = load_triggers(
      "      - intent: pricing\n"
      "      - keyword: [Price, \"PRICING list\", Café]\n"
      "      - keyword: cost\n"
      "      - event: page_view\n"
      "        if: context.page == \"/pricing\"\n");
  const auto& ts = triggers_of(r);
  REQUIRE(ts.size() == 4);
  CHECK(ts[0].kind == trigger_kind::intent);
  CHECK(ts[0].name == "pricing");
  CHECK(ts[1].kind == trigger_kind::keyword);
  CHECK(ts[1].keywords == std::vector<std::string>{"price", "pricing list", "cafe"});
  CHECK(ts[2].keywords == std::vector<std::string>{"cost"});
  CHECK(ts[3].kind == trigger_kind::event);
  CHECK(ts[3].name == "page_view");
  REQUIRE(ts[3].condition);
}

TEST_CASE("an unknown trigger is an error with a hint") {
  auto r = load_triggers(
      "      - strat\n"
      "      - intnet: pricing\n");
  auto ds = with_code(r, "unknown-trigger");
  REQUIRE(ds.size() == 2);
  CHECK(where(ds[0]) == "flows/main.yaml:8:9");
  CHECK(ds[0].hint == "did you mean 'start'?");
  CHECK(where(ds[1]) == "flows/main.yaml:9:9");
  CHECK(ds[1].hint == "did you mean 'intent'?");
}

TEST_CASE("a trigger with a kind but no value, or with two kinds, is an error") {
  auto r = load_triggers(
      "      - intent\n"
      "      - intent: pricing\n"
      "        event: page_view\n");
  CHECK(where(only(r, "missing-value")) == "flows/main.yaml:8:9");
  CHECK(where(only(r, "bad-value")) == "flows/main.yaml:10:9");
}

TEST_CASE("an intent trigger needs a declared intent") {
  auto r = load_triggers("      - intent: pricnig\n");
  auto d = only(r, "undefined-intent");
  CHECK(where(d) == "flows/main.yaml:8:17");
  CHECK(d.hint == "did you mean 'pricing'?");
}

TEST_CASE("a trigger condition must parse") {
  auto r = load_triggers(
      "      - event: page_view\n"
      "        if: context.page ==\n");
  // The expression starts at column 13; the error is at its end.
  CHECK(where(only(r, "bad-expression")) == "flows/main.yaml:9:28");
}

TEST_CASE("an unclosed bracket in a condition is placed in the file, not in the expression") {
  auto r = load_triggers(
      "      - event: page_view\n"
      "        if: context.page in [\"/a\", \"/b\"\n");
  auto d = only(r, "bad-expression");
  CHECK(where(d) == "flows/main.yaml:9:40");
  CHECK(d.message == "expression: expected ',' or ']' to close '[' but found the end of the expression");
  CHECK(d.hint == "opened at column 29");  // the '[' after 'in '
}
