// The conversation-test runner and its reports: checkpoints, time, expectations and what came
// instead, test files with errors, JUnit, coverage.
#include <doctest/doctest.h>

#include "rapport/dialogs/conversation_tests.hpp"

using namespace rapport::dialogs;

namespace doctest {
template <>
struct StringMaker<std::vector<std::string>> {
  static String convert(const std::vector<std::string>& v) {
    std::string out = "[";
    for (const auto& s : v) out += (out.size() > 1 ? " | " : "") + s;
    return (out + "]").c_str();
  }
};
}  // namespace doctest

namespace {

// A small bot: the opener asks for a reason; "pricing" hands off to sales, anything else is
// thanked; silence gets a nudge after 2 minutes.
std::shared_ptr<const bot_model> shop() {
  static const auto model = [] {
    auto loaded = load_bot(bot_files{
        {"bot.yaml",
         "name: shop\ndefault_locale: en\n"
         "defaults:\n  no_input: {nudge_after: 2m, close_after: 10m}\n"},
        {"flows/main.yaml",
         "slots:\n"
         "  reason: {type: choice, options: [pricing, other]}\n"
         "  email: {type: email}\n"
         "flows:\n"
         "  welcome:\n"
         "    triggers: [start]\n"
         "    steps:\n"
         "      - ask: reason\n"
         "      - if: reason == \"pricing\"\n"
         "        then:\n"
         "          - handoff: sales\n"
         "            fallback: [{end: lead}]\n"
         "      - id: get_email\n"
         "        ask: email\n"
         "      - track: email_given\n"
         "      - say: thanks\n"
         "      - end: completed\n"},
        {"messages/en.yaml",
         "ask_reason:\n  text: What brought you here?\n"
         "  buttons: {pricing: Pricing, other: Something else}\n"
         "ask_email: Your e-mail address?\n"
         "thanks: Thanks!\n"}});
    std::string problems;
    for (const auto& d : loaded.diagnostics) problems += format_diagnostic(d) + "\n";
    INFO(problems);
    REQUIRE(loaded.model);
    return loaded.model;
  }();
  return model;
}

test_suite_result run(const std::string& tests, const std::string& path = "tests/a.yaml") {
  return run_conversation_tests(shop(), {{path, tests}});
}

// The failure messages of the only test.
std::vector<std::string> failures(const test_suite_result& r) {
  REQUIRE(r.cases.size() == 1);
  std::vector<std::string> out;
  for (const auto& f : r.cases[0].failures) out.push_back(f.message);
  return out;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("a test can start from a checkpoint: a flow, a step id and slots") {
  auto r = run(R"(tests:
  - name: from the e-mail question
    from: {flow: welcome, step: get_email, slots: {reason: other}}
    steps:
      - bot: ask_email
      - user: maria@example.com
      - bot: thanks
      - expect: {slots: {reason: other, email: maria@example.com}, ended: completed}
)");
  CHECK(r.passed() == 1);

  auto bad = run(R"(tests:
  - name: a checkpoint that does not exist
    from: {flow: welcome, step: get_emial}
    steps:
      - bot: ask_email
)");
  CHECK(failures(bad) == std::vector<std::string>{"flow 'welcome' has no step with id 'get_emial'"});
  CHECK(bad.cases[0].failures[0].pos.line == 3);
}

TEST_CASE("wait moves the fake clock: the nudge, then the close") {
  auto r = run(R"(tests:
  - name: silence
    steps:
      - bot: ask_reason
      - wait: 1m
      - expect: {silent: true}
      - wait: 1m
      - bot: rapport.nudge
      - wait: 10m
      - expect: {ended: no_input}
)");
  INFO(format_test_report({r}, false));
  CHECK(r.passed() == 1);
}

TEST_CASE("failed expectations say what came instead") {
  auto handoff = run(R"(tests:
  - name: t
    steps:
      - click: pricing
      - expect: {handoff: support}
)");
  CHECK(failures(handoff) == std::vector<std::string>{
                                 "expected a handoff to 'support' just now, got a handoff to 'sales'"});
  auto none = run(R"(tests:
  - name: t
    steps:
      - click: other
      - expect: {handoff: true, ended: true, webhook: enrich, tracked: [lead], blocked: [offer]}
)");
  CHECK(failures(none) == std::vector<std::string>{
                              "expected a handoff just now, got none",
                              "expected the conversation to end just now, but it did not end",
                              "expected a call to webhook 'enrich' just now, got none",
                              "expected 'offer' to be blocked by a policy just now, got nothing "
                              "blocked",
                              "expected event 'lead' to be recorded just now, got 'slot_filled', "
                              "'asked'"});
  auto ended = run(R"(tests:
  - name: t
    steps:
      - click: other
      - user: maria@example.com
      - expect: {ended: lead, handoff: false, silent: true}
)");
  auto messages = failures(ended);
  REQUIRE(messages.size() == 2);
  CHECK(messages[0] == "expected the conversation to end with 'lead' just now, it ended with "
                       "'completed'");
  CHECK(messages[1] == "expected the bot to stay silent, but it said 'thanks' (\"Thanks!\")");
}

TEST_CASE("a test file with errors runs none of its tests, and each error names its place") {
  auto r = run(R"(tests:
  - name: good, but in a broken file
    steps:
      - bot: ask_reason
  - name: a misspelt step
    steps:
      - bto: ask_reason
  - name: a misspelt expectation
    steps:
      - expect: {slotz: {reason: pricing}}
)");
  REQUIRE(r.cases.size() == 3);
  CHECK(r.passed() == 0);
  CHECK(r.errored() == 3);
  CHECK(r.failed() == 0);
  CHECK(r.cases[0].failures.at(0).message == "not run: tests/a.yaml has errors");
  CHECK(contains(r.cases[1].failures.at(0).message, "unknown test step 'bto'"));
  CHECK(r.cases[1].failures.at(0).pos.line == 7);
  CHECK(r.cases[1].failures.at(0).pos.column == 9);
  CHECK(contains(r.cases[2].failures.at(0).message, "slotz"));

  const std::string report = format_test_report({r}, false);
  CHECK(contains(report, "ERROR shop: a misspelt step (tests/a.yaml:5:5)\n"
                         "  tests/a.yaml:7:9: unknown test step 'bto'"));
  CHECK(report.ends_with("3 tests could not run because of errors (counted as failed)\n"
                         "0 passed, 3 failed\n"));
}

TEST_CASE("a test file with a YAML syntax error is one errored case named after the file") {
  auto r = run_conversation_tests(
      shop(), {{"tests/a.yaml", "tests:\n  - name: fine\n    steps:\n      - bot: ask_reason\n"},
               {"tests/b.yaml", "tests:\n  - name: [broken\n"}});
  REQUIRE(r.cases.size() == 2);
  CHECK(r.passed() == 1);
  CHECK(r.errored() == 1);
  CHECK(r.cases[1].name == "tests/b.yaml");
  CHECK(r.cases[1].failures.at(0).pos.file == "tests/b.yaml");
  CHECK(r.cases[1].failures.at(0).pos.line > 0);
  CHECK(format_test_report({r}, false).ends_with("1 passed, 1 failed\n"));
}

TEST_CASE("JUnit XML counts failures and errors and says where each one is") {
  auto r = run_conversation_tests(
      shop(), {{"tests/a.yaml",
                "tests:\n"
                "  - name: passes\n    steps:\n      - bot: ask_reason\n"
                "  - name: fails <here>\n    steps:\n      - bot: thanks\n"},
               {"tests/b.yaml", "tests:\n  - name: x\n    stepz: []\n"}});
  const std::string xml = junit_xml({r});
  CHECK(contains(xml, "<testsuites tests=\"3\" failures=\"1\" errors=\"1\">"));
  CHECK(contains(xml, "<testsuite name=\"shop\" tests=\"3\" failures=\"1\" errors=\"1\">"));
  CHECK(contains(xml, "name=\"passes\" file=\"tests/a.yaml\" line=\"2\"/>"));
  CHECK(contains(xml, "name=\"fails &lt;here&gt;\""));
  CHECK(contains(xml, "<failure message=\"expected bot message 'thanks', got 'ask_reason'"));
  CHECK(contains(xml, ">tests/a.yaml:7:9: expected bot message 'thanks'"));
  CHECK(contains(xml, "<error message=\"unknown key 'stepz'"));
  CHECK(contains(xml, ">tests/b.yaml:3:5: unknown key 'stepz'"));
}

TEST_CASE("a bot that does not load is an errored suite, so JUnit shows why nothing ran") {
  auto r = unloadable_bot_suite(
      "bots/x", {{severity::error, {"bots/x/bot.yaml", 2, 3}, "missing-key", "needs 'name'", ""}});
  CHECK(r.errored() == 1);
  CHECK(contains(junit_xml({r}), "<error message=\"needs 'name'\">bots/x/bot.yaml:2:3: needs 'name'"));
}

TEST_CASE("coverage lists the steps and messages no test reached, with their place") {
  auto r = run(R"(tests:
  - name: pricing
    steps:
      - click: pricing
      - expect: {handoff: sales}
)");
  CHECK(r.passed() == 1);
  std::vector<std::string> steps;
  for (const auto& u : r.uncovered_steps)
    steps.push_back(u.pos.file + ":" + std::to_string(u.pos.line) + " " + u.what);
  CHECK(steps == std::vector<std::string>{"flows/main.yaml:12 step 'end lead' in flow welcome",
                                          "flows/main.yaml:13 step 'ask email' in flow welcome",
                                          "flows/main.yaml:15 step 'track email_given' in flow welcome",
                                          "flows/main.yaml:16 step 'say thanks' in flow welcome",
                                          "flows/main.yaml:17 step 'end completed' in flow welcome"});
  REQUIRE(r.uncovered_messages.size() == 2);
  CHECK(r.uncovered_messages[0].what == "message 'ask_email'");
  INFO(format_test_report({r}, true));
  CHECK(contains(format_test_report({r}, true), "shop: 5 steps and 2 messages no test reached\n"
                                                "  flows/main.yaml:12:24: step 'end lead'"));
}
