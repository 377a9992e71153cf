// Warnings (and the few rules that are errors) about how flows and messages fit together.
#include "support.hpp"

using namespace loader_test;

namespace {

// flows/main.yaml is the given text; messages cover every key the tests use.
load_result load_flows(const std::string& flows, const std::string& bot_extra = "",
                       const std::string& extra_messages = "") {
  return load(bot_with(
      {{"bot.yaml", std::string(minimal_bot_yaml) + bot_extra},
       {"flows/main.yaml", flows},
       {"intents/sales.yaml", "intents:\n  pricing: [how much]\n  support: [it is broken]\n"},
       {"messages/en.yaml",
        "ask_reason: What brought you here today?\n"
        "hello: Hello!\n"
        "welcome: Welcome to Acme.\n"
        "how_are_you: How is the new plan working for you?\n"
        "offer:\n"
        "  text: 20% off this month.\n"
        "  promo: true\n"
        "bye: Bye.\n" +
            extra_messages}}));
}

constexpr std::string_view reason_slot = "slots:\n  reason: {type: text}\n";

}  // namespace

TEST_CASE("a step after goto, end or return is unreachable") {
  auto r = load_flows(std::string(reason_slot) +
                      "flows:\n"
                      "  welcome:\n"
                      "    triggers: [start]\n"
                      "    steps:\n"
                      "      - ask: reason\n"
                      "      - if: reason == \"x\"\n"
                      "        then:\n"
                      "          - end\n"
                      "          - say: bye\n"
                      "          - say: bye\n"
                      "      - goto: welcome\n"
                      "      - say: hello\n");
  auto ds = with_code(r, "unreachable-step");
  REQUIRE(ds.size() == 2);
  CHECK(ds[0].level == severity::warning);
  CHECK(where(ds[0]) == "flows/main.yaml:11:13");
  CHECK(where(ds[1]) == "flows/main.yaml:14:9");
  CHECK(r.model);
}

TEST_CASE("a step after an if whose branches both leave is unreachable") {
  auto r = load_flows(std::string(reason_slot) +
                      "flows:\n"
                      "  welcome:\n"
                      "    triggers: [start]\n"
                      "    steps:\n"
                      "      - ask: reason\n"
                      "      - if: reason == \"x\"\n"
                      "        then: [end]\n"
                      "        else: [return]\n"
                      "      - say: hello\n");
  CHECK(where(only(r, "unreachable-step")) == "flows/main.yaml:11:9");
}

TEST_CASE("a flow nothing starts is reported") {
  auto r = load_flows(std::string(reason_slot) +
                      "flows:\n"
                      "  welcome:\n"
                      "    triggers: [start]\n"
                      "    steps:\n"
                      "      - ask: reason\n"
                      "      - call: called\n"
                      "  called:\n"
                      "    steps: [{say: hello}]\n"
                      "  orphan:\n"
                      "    steps: [{say: bye}]\n"
                      "  help:\n"
                      "    steps: [{say: welcome}]\n");
  auto d = only(r, "unused-flow");
  CHECK(where(d) == "flows/main.yaml:11:3");
  CHECK(d.message ==
        "flow 'orphan' never starts: it has no trigger and no goto or call leads to it");
}

TEST_CASE("slots and messages nothing uses are reported; rapport.* messages never are") {
  auto r = load_flows(
      "slots:\n"
      "  reason: {type: text}\n"
      "  spare: {type: text}\n"
      "  shown: {type: text}\n"
      "  checked: {type: number}\n"
      "flows:\n"
      "  welcome:\n"
      "    triggers: [start]\n"
      "    steps:\n"
      "      - ask: reason\n"
      "      - if: checked > 1\n"
      "        then: [{say: hello}]\n",
      "",
      "shows: \"{shown}\"\n"
      "rapport.nudge: Still there?\n");
  auto slot = only(r, "unused-slot");
  CHECK(where(slot) == "flows/main.yaml:3:3");
  CHECK(slot.message == "slot 'spare' is declared but nothing asks, sets or reads it");
  std::vector<std::string> unused;
  for (const auto& d : with_code(r, "unused-message")) unused.push_back(where(d));
  CHECK(unused == std::vector<std::string>{"messages/en.yaml:3:1", "messages/en.yaml:4:1",
                                           "messages/en.yaml:5:1", "messages/en.yaml:8:1",
                                           "messages/en.yaml:9:1"});
}

TEST_CASE("an opener that asks nothing is reported; a question or an ask is enough") {
  std::string flows = std::string(reason_slot) +
                      "flows:\n"
                      "  silent:\n"  // 4
                      "    triggers: [start]\n"
                      "    steps: [{say: welcome}, {say: hello}]\n"
                      "  asking:\n"
                      "    triggers: [{event: proactive}]\n"
                      "    steps: [{say: welcome}, {ask: reason}]\n"
                      "  questioning:\n"
                      "    triggers: [{event: page_view}]\n"
                      "    steps: [{say: how_are_you}]\n"
                      "  via_call:\n"
                      "    triggers: [{event: returning}]\n"
                      "    steps: [{say: welcome}, {call: questioning}]\n"
                      "  pageless:\n"  // 16
                      "    triggers: [{event: idle}]\n"
                      "    steps: [{say: welcome}, {goto: silent}]\n"
                      "  by_intent:\n"
                      "    triggers: [{intent: pricing}]\n"
                      "    steps: [{say: welcome}]\n";
  auto r = load_flows(flows);
  auto ds = with_code(r, "opener-without-question");
  REQUIRE(ds.size() == 2);
  CHECK(where(ds[0]) == "flows/main.yaml:4:3");
  CHECK(ds[0].level == severity::warning);
  CHECK(where(ds[1]) == "flows/main.yaml:16:3");
}

TEST_CASE("an opener that only hands off asks nothing") {
  auto r = load_flows(std::string(reason_slot) +
                          "flows:\n"
                          "  welcome:\n"
                          "    triggers: [start]\n"
                          "    steps:\n"
                          "      - say: welcome\n"
                          "      - handoff: sales\n"
                          "        fallback: [{end: lead}]\n");
  CHECK(where(only(r, "opener-without-question")) == "flows/main.yaml:4:3");
}

TEST_CASE("a question mark in any script counts as a question") {
  for (std::string text : {"¿Qué le trae por aquí", "ご用件は？"}) {
    auto r = load_flows(std::string(reason_slot) +
                            "flows:\n"
                            "  welcome:\n"
                            "    triggers: [start]\n"
                            "    steps: [{say: greeting}]\n",
                        "", "greeting: \"" + text + "\"\n");
    INFO(text);
    CHECK(with_code(r, "opener-without-question").empty());
  }
}

TEST_CASE("a promotional message reachable before buying intent or consent is reported") {
  auto r = load_flows(std::string(reason_slot) +
                          "flows:\n"
                          "  welcome:\n"
                          "    triggers: [start]\n"
                          "    steps:\n"
                          "      - ask: reason\n"
                          "      - say: offer\n"  // 8: reported
                          "  after_consent:\n"
                          "    triggers: [{keyword: deals}]\n"
                          "    steps:\n"
                          "      - set: {consent: true}\n"
                          "      - say: offer\n"
                          "  guarded:\n"
                          "    triggers: [{event: proactive}]\n"
                          "    steps:\n"
                          "      - ask: reason\n"
                          "      - if: buying_intent or consent\n"
                          "        then: [{say: offer}]\n"
                          "  buying:\n"
                          "    triggers: [{intent: pricing}]\n"
                          "    steps: [{say: offer}, {ask: reason}]\n"
                          "  support:\n"
                          "    triggers: [{intent: support}]\n"
                          "    steps: [{ask: reason}, {call: shared}]\n"
                          "  shared:\n"
                          "    steps: [{say: offer}]\n",  // 27: reported
                      "buying_intents: [pricing]\n");
  auto ds = with_code(r, "promo-before-consent");
  REQUIRE(ds.size() == 2);
  CHECK(where(ds[0]) == "flows/main.yaml:8:9");
  CHECK(ds[0].message ==
        "promotional message 'offer' can be sent before buying intent or consent "
        "(flow 'welcome' reaches it from its 'start' trigger)");
  CHECK(where(ds[1]) == "flows/main.yaml:27:13");
  CHECK(contains(ds[1].message, "'intent: support' trigger"));
}

TEST_CASE("a handoff without a fallback is reported") {
  auto r = load_flows(std::string(reason_slot) +
                      "flows:\n"
                      "  welcome:\n"
                      "    triggers: [start]\n"
                      "    steps:\n"
                      "      - ask: reason\n"
                      "      - handoff: sales\n"
                      "      - handoff: sales\n"
                      "        fallback: [{say: bye}]\n");
  auto d = only(r, "handoff-without-fallback");
  CHECK(where(d) == "flows/main.yaml:8:9");
  CHECK(d.level == severity::warning);
}

TEST_CASE("a message missing in a non-default locale is reported at its default definition") {
  auto r = load(bot_with({{"bot.yaml", std::string(minimal_bot_yaml) + "locales: [en, de, fr]\n"},
                          {"messages/de.yaml", "ask_reason: Was führt Sie zu uns?\n"},
                          {"messages/fr.yaml", "other: x\n"}}));
  auto d = only(r, "missing-translation");
  CHECK(where(d) == "messages/en.yaml:1:1");
  CHECK(d.message == "message 'ask_reason' has no 'fr' text, so visitors in 'fr' get the 'en' one");
}

TEST_CASE("a run of messages longer than max_unanswered is reported where it is cut") {
  std::string flows = std::string(reason_slot) +
                      "flows:\n"
                      "  welcome:\n"
                      "    triggers: [start]\n"
                      "    steps:\n"
                      "      - say: welcome\n"
                      "      - ask: reason\n"
                      "      - say: welcome\n"
                      "      - goto: next\n"
                      "  next:\n"
                      "    steps:\n"
                      "      - say: hello\n"
                      "      - say: bye\n"  // 14: third after the answer
                      "  chatty:\n"
                      "    triggers: [{event: proactive}]\n"
                      "    steps:\n"
                      "      - say: welcome\n"
                      "      - say: hello\n"
                      "      - ask: reason\n";  // 20: the prompt is the third
  auto r = load_flows(flows);
  auto ds = with_code(r, "max-unanswered");
  REQUIRE(ds.size() == 2);
  CHECK(where(ds[0]) == "flows/main.yaml:14:9");
  CHECK(ds[0].message ==
        "this would be bot message 3 in a row without a reply; "
        "policies.max_unanswered is 2, so the flow is cut here");
  CHECK(where(ds[1]) == "flows/main.yaml:20:9");
  auto relaxed = load_flows(flows, "policies: {max_unanswered: 3}\n");
  CHECK(with_code(relaxed, "max-unanswered").empty());
}

TEST_CASE("the stop flow may not ask or hand off") {
  auto r = load_flows(std::string(reason_slot) +
                      "flows:\n"
                      "  welcome:\n"
                      "    triggers: [start]\n"
                      "    steps: [{ask: reason}]\n"
                      "  stop:\n"
                      "    steps:\n"
                      "      - say: bye\n"
                      "      - ask: reason\n"
                      "      - handoff\n");
  auto ds = with_code(r, "stop-flow-asks");
  REQUIRE(ds.size() == 2);
  CHECK(where(ds[0]) == "flows/main.yaml:10:9");
  CHECK(where(ds[1]) == "flows/main.yaml:11:9");
  CHECK_FALSE(r.model);
}

TEST_CASE("a choice option without a button label is an error, or a warning in another locale") {
  auto r = load(bot_with({{"bot.yaml", std::string(minimal_bot_yaml) + "locales: [en, de]\n"},
                          {"flows/main.yaml",
                           "slots:\n"
                           "  reason: {type: choice, options: [pricing, demo, support]}\n"
                           "flows:\n"
                           "  welcome:\n"
                           "    triggers: [start]\n"
                           "    steps:\n"
                           "      - ask: reason\n"},
                          {"messages/en.yaml",
                           "ask_reason:\n"
                           "  text: What brought you here today?\n"
                           "  buttons: {pricing: Pricing, demo: Demo}\n"},
                          {"messages/de.yaml",
                           "ask_reason:\n"
                           "  text: Was führt Sie zu uns?\n"
                           "  buttons: {pricing: Preise}\n"}}));
  auto ds = with_code(r, "missing-button-label");
  REQUIRE(ds.size() == 2);
  CHECK(where(ds[0]) == "messages/de.yaml:1:1");
  CHECK(ds[0].level == severity::warning);
  CHECK(ds[0].message ==
        "message 'ask_reason' is the prompt of 'ask: reason' but has no button "
        "label for options 'demo' and 'support'");
  CHECK(where(ds[1]) == "messages/en.yaml:1:1");
  CHECK(ds[1].level == severity::error);
  CHECK(ds[1].message ==
        "message 'ask_reason' is the prompt of 'ask: reason' but has no button "
        "label for option 'support'");
}

TEST_CASE("a locale without a messages file is one error, not a warning per message") {
  auto r = load(bot_with({{"bot.yaml", std::string(minimal_bot_yaml) + "locales: [en, de, es]\n"},
                          {"messages/en.yaml",
                           "ask_reason: What brought you here today?\nthanks: Thanks!\n"},
                          {"messages/de.yaml", "ask_reason: Was führt Sie zu uns?\n"}}));
  INFO(dump(r));
  CHECK(with_code(r, "missing-locale").size() == 1);
  // de exists: its missing text is reported; es has no file: its texts are not.
  auto d = only(r, "missing-translation");
  CHECK(contains(d.message, "'thanks' has no 'de' text"));
}

TEST_CASE("a key only in a translation is reported as missing from the default locale") {
  auto r = load(bot_with({{"bot.yaml", std::string(minimal_bot_yaml) + "locales: [en, de]\n"},
                          {"messages/de.yaml",
                           "ask_reason: Was führt Sie zu uns?\nask_reasn: Warum?\n"}}));
  auto d = only(r, "missing-default-message");
  CHECK(where(d) == "messages/de.yaml:2:1");
  CHECK(d.message ==
        "message 'ask_reasn' is in the 'de' messages but not in the default locale 'en', so no "
        "visitor ever gets it");
  CHECK(d.hint == "did you mean 'ask_reason'?");
  CHECK(with_code(r, "unused-message").empty());
}
