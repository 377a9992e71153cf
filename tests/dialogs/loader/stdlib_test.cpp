// The standard library: which modules load, how a bot overrides them, and the shipped modules.
#include <set>

#include "support.hpp"

using namespace loader_test;

TEST_CASE("core, handoff and opt_out load by default; requires pulls lead_capture in") {
  auto r = load(minimal_bot());
  REQUIRE(r.model);
  CHECK(r.model->imports == std::vector<std::string>{"core", "handoff", "opt_out", "lead_capture"});
  for (const char* flow : {"help", "fallback", "human", "stop", "lead_capture"})
    CHECK(r.model->find_flow(flow) != nullptr);
  CHECK(r.model->find_flow("csat") == nullptr);
  CHECK(r.model->find_flow("human")->origin == "handoff");
  CHECK(r.model->slots.contains("lead_email"));
  CHECK(r.model->find_message("en", "handoff_connecting") != nullptr);
}

TEST_CASE("imports replace the default list; core always loads") {
  auto r = load(bot_with(
      {{"bot.yaml", std::string(minimal_bot_yaml) + "imports: [csat]\n"
                                                    "interrupts: {human: false, stop: false}\n"}}));
  INFO(dump(r));
  REQUIRE(r.model);
  CHECK(r.model->imports == std::vector<std::string>{"core", "csat"});
  CHECK(r.model->find_flow("csat") != nullptr);
  CHECK(r.model->find_flow("human") == nullptr);
}

TEST_CASE("an unknown module is an error listing the modules") {
  auto r = load(bot_with(
      {{"bot.yaml", std::string(minimal_bot_yaml) + "imports: [handoff, opt_out, cast]\n"}}));
  auto d = only(r, "unknown-module");
  CHECK(where(d) == "bot.yaml:3:29");
  CHECK(d.message ==
        "unknown standard library module 'cast': the modules are 'core', 'csat', "
        "'handoff', 'lead_capture' and 'opt_out'");
  CHECK(d.hint == "did you mean 'csat'?");
}

TEST_CASE("an enabled interrupt without its flow tells the author what to do") {
  auto r = load(bot_with({{"bot.yaml", std::string(minimal_bot_yaml) + "imports: [opt_out]\n"}}));
  auto d = only(r, "missing-interrupt-flow");
  CHECK(where(d) == "bot.yaml:3:10");
  CHECK(d.message == "the 'human' interrupt is on, but there is no flow 'human' for it to run");
  CHECK(d.hint ==
        "import the 'handoff' module, define a flow 'human', or turn the interrupt off "
        "with interrupts: {human: false}");

  auto at_switch = load(bot_with(
      {{"bot.yaml", std::string(minimal_bot_yaml) + "imports: []\n"
                                                    "interrupts: {stop: true, human: false}\n"}}));
  CHECK(where(only(at_switch, "missing-interrupt-flow")) == "bot.yaml:4:14");
}

TEST_CASE("a flow or step that turns an interrupt on needs its flow") {
  auto r = load(bot_with(
      {{"bot.yaml", std::string(minimal_bot_yaml) + "imports: []\n"
                                                    "interrupts: {human: false, stop: false}\n"},
       {"flows/main.yaml",
        "slots:\n"
        "  reason: {type: text}\n"
        "flows:\n"
        "  welcome:\n"
        "    triggers: [start]\n"
        "    steps:\n"
        "      - ask: reason\n"
        "        interrupts: {human: true}\n"}}));
  auto d = only(r, "undefined-flow");
  CHECK(where(d) == "flows/main.yaml:8:29");
  CHECK(d.message == "undefined flow 'human' (the flow the 'human' interrupt runs)");
}

TEST_CASE("the bot overrides a module's flow, slot and message silently") {
  auto r = load(bot_with({{"flows/overrides.yaml",
                           "slots:\n"
                           "  lead_email: {type: text}\n"
                           "flows:\n"
                           "  human:\n"
                           "    steps:\n"
                           "      - say: handoff_connecting\n"
                           "      - handoff: support\n"
                           "        fallback:\n"
                           "          - end\n"},
                          {"messages/en.yaml",
                           "ask_reason: What brought you here today?\n"
                           "handoff_connecting: One moment, I am getting a person.\n"
                           "rapport.nudge: Are you still with me?\n"}}));
  INFO(dump(r));
  REQUIRE(r.model);
  CHECK(r.diagnostics.empty());
  const auto* human = r.model->find_flow("human");
  CHECK(human->origin.empty());
  CHECK(human->pos.file == "flows/overrides.yaml");
  CHECK(std::get<handoff_step>(human->steps[1].body).team == "support");
  CHECK(r.model->slots.at("lead_email").type == slot_type::text);
  CHECK(r.model->find_message("en", "handoff_connecting")->variants[0].source() ==
        "One moment, I am getting a person.");
  CHECK(r.model->find_message("en", "rapport.nudge")->variants[0].source() ==
        "Are you still with me?");
  // The module's flow that is still used refers to the bot's slot now.
  CHECK(r.model->find_flow("lead_capture")->origin == "lead_capture");
}

TEST_CASE("a message is overridden per locale") {
  auto r = load(bot_with({{"bot.yaml", std::string(minimal_bot_yaml) + "locales: [en, de]\n"},
                          {"messages/de.yaml",
                           "ask_reason: Was führt Sie zu uns?\n"
                           "rapport.nudge: Sind Sie noch da?\n"}}));
  REQUIRE(r.model);
  CHECK(r.model->find_message("de", "rapport.nudge")->variants[0].source() == "Sind Sie noch da?");
  CHECK(r.model->find_message("en", "rapport.nudge")->variants[0].source() == "Still there?");
  CHECK(r.model->find_message("de", "rapport.help")->variants[0].source() ==
        "Ich beantworte Fragen zu unserem Produkt. Was möchten Sie wissen?");
}

TEST_CASE("a module without the default locale serves its English messages") {
  auto r = load(bot_with({{"bot.yaml", "name: test-bot\ndefault_locale: pt\n"},
                          {"messages/pt.yaml", "ask_reason: O que o traz aqui?\n"}}));
  INFO(dump(r));
  REQUIRE(r.model);
  CHECK(r.model->find_message("pt", "handoff_connecting")->variants[0].source() ==
        "Let me find a colleague for you.");
}

TEST_CASE("diagnostics in module files name <rapport>/<module>/<file>") {
  auto lib = test_library();
  lib["csat"]["flows.yaml"] =
      "flows:\n"
      "  csat:\n"
      "    steps:\n"
      "      - ask: csat_scor\n";
  auto r = load_bot(bot_with({{"bot.yaml", std::string(minimal_bot_yaml) +
                                               "imports: [handoff, opt_out, csat]\n"}}),
                    lib);
  auto d = only(r, "undefined-slot");
  CHECK(where(d) == "<rapport>/csat/flows.yaml:4:14");
}

TEST_CASE("warnings are only about the bot's own content") {
  auto lib = test_library();
  lib["csat"]["flows.yaml"] =
      "slots:\n"
      "  never_used: {type: text}\n"
      "flows:\n"
      "  csat:\n"
      "    steps:\n"
      "      - handoff\n"
      "  orphan:\n"
      "    steps:\n"
      "      - end\n"
      "      - end\n";
  lib["csat"]["messages/en.yaml"] = "csat_unused: Nobody sends this.\n";
  auto r = load_bot(bot_with({{"bot.yaml", std::string(minimal_bot_yaml) +
                                               "imports: [handoff, opt_out, csat]\n"}}),
                    lib);
  INFO(dump(r));
  CHECK(r.diagnostics.empty());
}

TEST_CASE("standard_library() groups the embedded files by module") {
  const auto& lib = standard_library();
  for (const char* module : {"core", "handoff", "opt_out", "lead_capture", "csat"}) {
    INFO(module);
    REQUIRE(lib.contains(module));
    CHECK(lib.at(module).contains("flows.yaml"));
    CHECK(lib.at(module).contains("messages/en.yaml"));
  }
  CHECK(lib.at("core").contains("intents.yaml"));
}

TEST_CASE("the shipped standard library loads with a minimal bot without diagnostics") {
  auto r = load_bot(minimal_bot());
  INFO(dump(r));
  CHECK(r.diagnostics.empty());
  REQUIRE(r.model);
  for (const char* flow : {"help", "fallback", "human", "stop", "lead_capture"})
    CHECK(r.model->find_flow(flow) != nullptr);
}

TEST_CASE("every shipped module loads in every locale it ships") {
  std::set<std::string> locales;
  for (const auto& [module, files] : standard_library()) {
    for (const auto& [path, contents] : files) {
      if (path.starts_with("messages/")) locales.insert(path.substr(9, path.find('.') - 9));
    }
  }
  for (const auto& locale : locales) {
    bot_files files{{"bot.yaml", "name: all\ndefault_locale: " + locale +
                                     "\nimports: [handoff, opt_out, csat, lead_capture]\n"},
                    {"flows/main.yaml",
                     "slots:\n  reason: {type: text}\n"
                     "flows:\n  welcome:\n    triggers: [start]\n    steps:\n      - ask: reason\n"
                     "      - call: csat\n"},
                    {"messages/" + locale + ".yaml", "ask_reason: \"?\"\n"}};
    auto r = load_bot(files);
    INFO(locale, dump(r));
    CHECK(r.diagnostics.empty());
  }
}
