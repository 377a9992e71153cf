// Every step kind compiles into the flat step list as model.hpp documents.
#include "support.hpp"

using namespace loader_test;
using namespace std::chrono_literals;

namespace {

// Lines 1-8 of flows/main.yaml; the steps given start on line 9.
constexpr std::string_view flows_header =
    "slots:\n"
    "  reason: {type: choice, options: [pricing, demo]}\n"
    "  team_size: {type: number, min: 1}\n"
    "  email: {type: email}\n"
    "flows:\n"
    "  welcome:\n"
    "    triggers: [start]\n"
    "    steps:\n";

constexpr std::string_view messages =
    "ask_reason:\n"
    "  text: What brought you here today?\n"
    "  buttons: {pricing: Pricing, demo: A demo}\n"
    "ask_team_size: How big is your team?\n"
    "ask_email: What is your e-mail?\n"
    "team_size_again: How many people, roughly?\n"
    "team_size_invalid: Hmm, that is not a number.\n"
    "still_there: Still there?\n"
    "bye: Bye!\n"
    "thanks: Thanks!\n"
    "no_problem: No problem.\n"
    "sorry: Sorry.\n";

load_result load_steps(const std::string& steps, const std::string& bot_extra = "",
                       const std::string& more_flows = "") {
  return load(bot_with({{"bot.yaml", std::string(minimal_bot_yaml) + bot_extra},
                        {"flows/main.yaml", std::string(flows_header) + steps + more_flows},
                        {"messages/en.yaml", std::string(messages)}}));
}

const flow_def& welcome(const load_result& r) {
  INFO(dump(r));
  REQUIRE(r.model);
  return r.model->flows.at("welcome");
}

template <class T>
const T& step_as(const flow_def& f, std::size_t i) {
  REQUIRE(i < f.steps.size());
  const T* s = std::get_if<T>(&f.steps[i].body);
  REQUIRE(s != nullptr);
  return *s;
}

}  // namespace

TEST_CASE("say compiles to a say step at its position") {
  auto r = load_steps(
      "      - say: thanks\n"
      "      - ask: reason\n");
  const auto& f = welcome(r);
  REQUIRE(f.steps.size() == 2);
  CHECK(step_as<say_step>(f, 0).message == "thanks");
  CHECK(f.steps[0].pos.file == "flows/main.yaml");
  CHECK(f.steps[0].pos.line == 9);
  CHECK(f.steps[0].pos.column == 9);
  CHECK_FALSE(f.steps[0].synthetic);
}

TEST_CASE("ask takes its defaults from bot.yaml and the slot") {
  auto r = load_steps("      - ask: team_size\n",
                      "defaults:\n"
                      "  retries: 3\n"
                      "  no_input: {nudge_after: 2m, close_after: 10m}\n");
  const auto& a = step_as<ask_step>(welcome(r), 0);
  CHECK(a.slot == "team_size");
  CHECK(a.prompt == "ask_team_size");
  CHECK(a.reprompt.empty());
  CHECK(a.invalid.empty());
  CHECK(a.retries == 3);
  CHECK_FALSE(a.validate);
  CHECK_FALSE(a.always);
  CHECK(a.no_input.enabled);
  CHECK(a.no_input.nudge_after == 2min);
  CHECK(a.no_input.close_after == 10min);
  CHECK(a.no_input.nudge == "rapport.nudge");
  CHECK(a.no_input.close == "rapport.no_input_close");
  for (auto k : all_interrupts) CHECK_FALSE(a.interrupts[k].has_value());
  CHECK_FALSE(a.fail_pc);
}

TEST_CASE("ask with every option set") {
  auto r = load_steps(
      "      - ask: team_size\n"
      "        id: size\n"
      "        prompt: ask_team_size\n"
      "        reprompt: team_size_again\n"
      "        invalid: team_size_invalid\n"
      "        retries: 1\n"
      "        validate: value >= 1 and value <= 5000\n"
      "        always: true\n"
      "        no_input: {nudge_after: 30s, nudge: still_there}\n"
      "        interrupts: {help: false}\n",
      "defaults:\n"
      "  no_input: {nudge_after: 2m, close_after: 10m, close: bye}\n");
  const auto& f = welcome(r);
  const auto& a = step_as<ask_step>(f, 0);
  CHECK(f.steps[0].id == "size");
  CHECK(f.step_ids.at("size") == 0);
  CHECK(a.prompt == "ask_team_size");
  CHECK(a.reprompt == "team_size_again");
  CHECK(a.invalid == "team_size_invalid");
  CHECK(a.retries == 1);
  REQUIRE(a.validate);
  CHECK(a.validate->text() == "value >= 1 and value <= 5000");
  CHECK(a.always);
  // no_input is merged field by field with the defaults.
  CHECK(a.no_input.nudge_after == 30s);
  CHECK(a.no_input.close_after == 10min);
  CHECK(a.no_input.nudge == "still_there");
  CHECK(a.no_input.close == "bye");
  CHECK(a.interrupts[interrupt_kind::help] == false);
  CHECK_FALSE(a.interrupts[interrupt_kind::human].has_value());
}

TEST_CASE("no_input: false turns the default timers off for one ask") {
  auto r = load_steps(
      "      - ask: team_size\n"
      "        no_input: false\n",
      "defaults:\n  no_input: {nudge_after: 2m, close_after: 10m}\n");
  CHECK_FALSE(step_as<ask_step>(welcome(r), 0).no_input.enabled);
}

TEST_CASE("ask's on_fail is laid out after it, behind a synthetic jump") {
  auto r = load_steps(
      "      - ask: team_size\n"
      "        on_fail:\n"
      "          - say: no_problem\n"
      "          - say: sorry\n"
      "      - say: thanks\n");
  const auto& f = welcome(r);
  REQUIRE(f.steps.size() == 5);
  CHECK(step_as<ask_step>(f, 0).fail_pc == 2);
  CHECK(step_as<jump_step>(f, 1).target == 4);
  CHECK(f.steps[1].synthetic);
  CHECK(step_as<say_step>(f, 2).message == "no_problem");
  CHECK(step_as<say_step>(f, 3).message == "sorry");
  CHECK(step_as<say_step>(f, 4).message == "thanks");
}

TEST_CASE("if with else: branch, then block, jump over else, else block") {
  auto r = load_steps(
      "      - if: team_size >= 10\n"
      "        then:\n"
      "          - say: thanks\n"
      "        else:\n"
      "          - say: sorry\n"
      "          - say: bye\n"
      "      - ask: reason\n");
  const auto& f = welcome(r);
  REQUIRE(f.steps.size() == 6);
  const auto& b = step_as<branch_step>(f, 0);
  CHECK(b.condition.text() == "team_size >= 10");
  CHECK(b.else_pc == 3);
  CHECK(step_as<say_step>(f, 1).message == "thanks");
  CHECK(step_as<jump_step>(f, 2).target == 5);
  CHECK(f.steps[2].synthetic);
  CHECK(step_as<say_step>(f, 3).message == "sorry");
  CHECK(step_as<say_step>(f, 4).message == "bye");
  CHECK(step_as<ask_step>(f, 5).slot == "reason");
}

TEST_CASE("if without else jumps past the then block when false") {
  auto r = load_steps(
      "      - if: is_set(email)\n"
      "        then:\n"
      "          - say: thanks\n"
      "      - ask: reason\n");
  const auto& f = welcome(r);
  REQUIRE(f.steps.size() == 3);
  CHECK(step_as<branch_step>(f, 0).else_pc == 2);
  CHECK(step_as<ask_step>(f, 2).slot == "reason");
}

TEST_CASE("else holding an if makes an else-if chain") {
  auto r = load_steps(
      "      - if: team_size >= 100\n"
      "        then:\n"
      "          - say: thanks\n"
      "        else:\n"
      "          - if: team_size >= 10\n"
      "            then:\n"
      "              - say: sorry\n"
      "            else:\n"
      "              - say: bye\n"
      "      - ask: reason\n");
  const auto& f = welcome(r);
  // 0 branch(else 3) 1 say 2 jump→8 3 branch(else 6) 4 say 5 jump→7 6 say 7(end of inner) ...
  REQUIRE(f.steps.size() == 8);
  CHECK(step_as<branch_step>(f, 0).else_pc == 3);
  CHECK(step_as<jump_step>(f, 2).target == 7);
  CHECK(step_as<branch_step>(f, 3).else_pc == 6);
  CHECK(step_as<jump_step>(f, 5).target == 7);
  CHECK(step_as<say_step>(f, 6).message == "bye");
  CHECK(step_as<ask_step>(f, 7).slot == "reason");
}

TEST_CASE("goto targets a flow or a step of it") {
  auto r = load_steps(
      "      - ask: reason\n"
      "      - if: reason == \"demo\"\n"
      "        then:\n"
      "          - goto: demo\n"
      "      - goto: demo.ask_size\n",
      "",
      "  demo:\n"
      "    steps:\n"
      "      - say: thanks\n"
      "      - ask: team_size\n"
      "        id: ask_size\n");
  const auto& f = welcome(r);
  const auto& g1 = step_as<goto_step>(f, 2);
  CHECK(g1.flow == "demo");
  CHECK(g1.step_id.empty());
  const auto& g2 = step_as<goto_step>(f, 3);
  CHECK(g2.flow == "demo");
  CHECK(g2.step_id == "ask_size");
  CHECK(r.model->flows.at("demo").step_ids.at("ask_size") == 1);
}

TEST_CASE("call names the flow it runs") {
  auto r = load_steps(
      "      - ask: reason\n"
      "      - call: lead_capture\n");
  CHECK(step_as<call_step>(welcome(r), 1).flow == "lead_capture");
}

TEST_CASE("set turns YAML scalars into literals and =text into expressions") {
  auto r = load_steps(
      "      - ask: reason\n"
      "      - set:\n"
      "          consent: true\n"
      "          buying_intent: false\n"
      "          team_size: 40\n"
      "          reason: demo\n"
      "          email: null\n"
      "          counter: =team_size + 1\n"
      "          note: \"true\"\n",
      "slots:\n  counter: {type: number}\n  note: {type: text}\n");
  const auto& s = step_as<set_step>(welcome(r), 1);
  REQUIRE(s.assignments.size() == 7);
  auto literal = [&](std::size_t i) { return std::get<value>(s.assignments[i].source); };
  CHECK(s.assignments[0].name == "consent");
  CHECK(literal(0) == value{true});
  CHECK(literal(1) == value{false});
  CHECK(literal(2) == value{40.0});
  CHECK(literal(3) == value{std::string("demo")});
  CHECK(is_null(literal(4)));
  CHECK(s.assignments[5].name == "counter");
  CHECK(std::get<expression>(s.assignments[5].source).text() == "team_size + 1");
  CHECK(literal(6) == value{std::string("true")});  // quoted: text
  CHECK(s.assignments[0].pos.line == 11);
  CHECK(s.assignments[0].pos.column == 11);
}

TEST_CASE("set checks literals against the slot's type") {
  auto r = load_steps(
      "      - ask: reason\n"
      "      - set:\n"
      "          team_size: lots\n"
      "          reason: pricng\n"
      "          consent: yes\n");
  auto wrong = with_code(r, "wrong-type");
  REQUIRE(wrong.size() == 2);
  CHECK(where(wrong[0]) == "flows/main.yaml:11:22");
  CHECK(wrong[0].message == "expected a number for 'team_size', got text 'lots'");
  CHECK(where(wrong[1]) == "flows/main.yaml:13:20");
  auto option = only(r, "bad-value");
  CHECK(where(option) == "flows/main.yaml:12:19");
  CHECK(option.hint == "did you mean 'pricing'?");
}

TEST_CASE("handoff: team, reason and a fallback block") {
  auto r = load_steps(
      "      - ask: reason\n"
      "      - handoff: sales\n"
      "        reason: pricing question\n"
      "        fallback:\n"
      "          - call: lead_capture\n"
      "      - say: thanks\n");
  const auto& f = welcome(r);
  REQUIRE(f.steps.size() == 5);
  const auto& h = step_as<handoff_step>(f, 1);
  CHECK(h.team == "sales");
  CHECK(h.reason == "pricing question");
  CHECK(h.fallback_pc == 3);
  CHECK(step_as<jump_step>(f, 2).target == 4);
  CHECK(step_as<call_step>(f, 3).flow == "lead_capture");
  CHECK(step_as<say_step>(f, 4).message == "thanks");
}

TEST_CASE("handoff without a team leaves it empty for the default team") {
  auto r = load_steps(
      "      - ask: reason\n"
      "      - handoff\n"
      "      - handoff:\n"
      "        reason: visitor asked\n");
  const auto& f = welcome(r);
  CHECK(step_as<handoff_step>(f, 1).team.empty());
  CHECK(step_as<handoff_step>(f, 2).team.empty());
  CHECK(step_as<handoff_step>(f, 2).reason == "visitor asked");
  CHECK_FALSE(step_as<handoff_step>(f, 1).fallback_pc);
}

TEST_CASE("webhook: body, save and an on_error block") {
  auto r = load_steps(
      "      - ask: email\n"
      "      - webhook: enrich\n"
      "        body:\n"
      "          email: =email\n"
      "          source: widget\n"
      "        save:\n"
      "          team_size: company.employees\n"
      "        on_error:\n"
      "          - say: sorry\n"
      "      - ask: reason\n",
      "webhooks:\n  enrich: {url: https://crm.example.com/enrich}\n");
  const auto& f = welcome(r);
  REQUIRE(f.steps.size() == 5);
  const auto& w = step_as<webhook_step>(f, 1);
  CHECK(w.webhook == "enrich");
  REQUIRE(w.body.size() == 2);
  CHECK(std::get<expression>(w.body[0].source).text() == "email");
  CHECK(std::get<value>(w.body[1].source) == value{std::string("widget")});
  CHECK(w.save ==
        std::vector<std::pair<std::string, std::string>>{{"team_size", "company.employees"}});
  CHECK(w.error_pc == 3);
  CHECK(step_as<jump_step>(f, 2).target == 4);
}

TEST_CASE("track records an event with properties") {
  auto r = load_steps(
      "      - ask: reason\n"
      "      - track: lead_captured\n"
      "        props: {plan: =reason, source: widget}\n");
  const auto& t = step_as<track_step>(welcome(r), 1);
  CHECK(t.event == "lead_captured");
  REQUIRE(t.props.size() == 2);
  CHECK(t.props[0].name == "plan");
  CHECK(std::get<expression>(t.props[0].source).text() == "reason");
}

TEST_CASE("end defaults its outcome to completed; return leaves the flow") {
  auto r = load_steps(
      "      - ask: reason\n"
      "      - if: reason == \"demo\"\n"
      "        then:\n"
      "          - end: resolved\n"
      "      - if: reason == \"pricing\"\n"
      "        then:\n"
      "          - return\n"
      "      - end\n");
  const auto& f = welcome(r);
  CHECK(step_as<end_step>(f, 2).outcome == "resolved");
  CHECK(std::holds_alternative<return_step>(f.steps[4].body));
  CHECK(step_as<end_step>(f, 5).outcome == "completed");
}

TEST_CASE("step ids are unique within a flow") {
  auto r = load_steps(
      "      - ask: reason\n"
      "        id: first\n"
      "      - ask: team_size\n"
      "        id: first\n");
  auto d = only(r, "duplicate-name");
  CHECK(where(d) == "flows/main.yaml:12:13");
  CHECK(d.message == "step id 'first' is already used in flow 'welcome' at flows/main.yaml:9:9");
}

TEST_CASE("an unknown step kind is an error with a did-you-mean hint") {
  auto r = load_steps(
      "      - ask: reason\n"
      "      - sya: thanks\n");
  auto d = only(r, "unknown-step");
  CHECK(where(d) == "flows/main.yaml:10:9");
  CHECK(d.hint == "did you mean 'say'?");
}

TEST_CASE("an unknown key in a step is an error with a did-you-mean hint") {
  auto r = load_steps(
      "      - ask: reason\n"
      "        promt: ask_reason\n");
  auto d = only(r, "unknown-key");
  CHECK(where(d) == "flows/main.yaml:10:9");
  CHECK(d.message == "unknown key 'promt' in an ask step");
  CHECK(d.hint == "did you mean 'prompt'?");
}

TEST_CASE("a step with two kinds, or a kind without its value, is an error") {
  auto r = load_steps(
      "      - ask: reason\n"
      "        say: thanks\n"
      "      - say\n");
  auto two = only(r, "bad-value");
  CHECK(where(two) == "flows/main.yaml:10:9");
  CHECK(where(only(r, "missing-value")) == "flows/main.yaml:11:9");
}

TEST_CASE("steps must be a non-empty list") {
  auto r = load_steps("      []\n");
  CHECK(where(only(r, "missing-value")) == "flows/main.yaml:9:7");
  auto missing = load(bot_with({{"flows/main.yaml",
                                 "flows:\n"
                                 "  welcome:\n"
                                 "    triggers: [start]\n"}}));
  CHECK(where(only(missing, "missing-key")) == "flows/main.yaml:3:5");
}

TEST_CASE("flow-level interrupt overrides keep only what is written") {
  auto r = load(bot_with({{"flows/main.yaml",
                           "slots:\n"
                           "  reason: {type: text}\n"
                           "flows:\n"
                           "  welcome:\n"
                           "    triggers: [start]\n"
                           "    interrupts: {restart: false, help: true}\n"
                           "    description: Opening question\n"
                           "    steps:\n"
                           "      - ask: reason\n"}}));
  const auto& f = welcome(r);
  CHECK(f.description == "Opening question");
  CHECK(f.interrupts[interrupt_kind::restart] == false);
  CHECK(f.interrupts[interrupt_kind::help] == true);
  CHECK_FALSE(f.interrupts[interrupt_kind::human].has_value());
  CHECK(f.origin.empty());
  CHECK(f.pos.line == 4);
  CHECK(f.pos.column == 3);
}

TEST_CASE("flows keep their declaration order, files in path order, modules last") {
  auto r = load(bot_with({{"flows/b.yaml",
                           "flows:\n"
                           "  zeta:\n    triggers: [{event: page_view}]\n"
                           "    steps: [{ask: reason}]\n"
                           "  alpha:\n    triggers: [{event: proactive}]\n"
                           "    steps: [{ask: reason}]\n"}}));
  INFO(dump(r));
  REQUIRE(r.model);
  const auto& order = r.model->flow_order;
  REQUIRE(order.size() >= 3);
  CHECK(order[0] == "zeta");
  CHECK(order[1] == "alpha");
  CHECK(order[2] == "welcome");
  CHECK(r.model->flows.at(order.back()).origin != "");
}
