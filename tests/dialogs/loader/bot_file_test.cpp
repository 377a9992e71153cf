// bot.yaml: settings, defaults, locales and the errors for getting them wrong.
#include "support.hpp"

using namespace loader_test;
using namespace std::chrono_literals;

TEST_CASE("bot.yaml settings reach the model") {
  auto r = load(bot_with({{"bot.yaml",
                           "name: acme_bot\n"
                           "description: Website assistant\n"
                           "default_locale: en\n"
                           "locales: [de, en]\n"
                           "time_zone: Europe/Berlin\n"
                           "default_team: sales\n"
                           "policies: {max_unanswered: 3}\n"
                           "defaults:\n"
                           "  retries: 1\n"
                           "  no_input: {nudge_after: 2m, close_after: 1h30m}\n"
                           "interrupts: {help: false}\n"
                           "nlu: {threshold: 0.6, ambiguity_margin: 0.1, fold_accents: false, "
                           "phone_region: DE}\n"
                           "webhooks:\n"
                           "  enrich:\n"
                           "    url: https://crm.example.com/enrich?key=${CRM_KEY}\n"
                           "    method: GET\n"
                           "    timeout: 3s\n"
                           "    headers: {X-Source: rapport}\n"},
                          {"messages/de.yaml", "ask_reason: Was führt Sie zu uns?\n"}}));
  INFO(dump(r));
  REQUIRE(r.model);
  const bot_model& m = *r.model;
  CHECK(m.name == "acme_bot");
  CHECK(m.description == "Website assistant");
  CHECK(m.locales == std::vector<std::string>{"en", "de"});
  CHECK(m.time_zone == "Europe/Berlin");
  CHECK(m.default_team == "sales");
  CHECK(m.fallback_flow == "fallback");
  CHECK(m.policy.max_unanswered == 3);
  CHECK(m.policy.retries == 1);
  CHECK(m.policy.no_input.enabled);
  CHECK(m.policy.no_input.nudge_after == 2min);
  CHECK(m.policy.no_input.close_after == 90min);
  CHECK(m.policy.no_input.nudge == "rapport.nudge");
  CHECK(m.policy.no_input.close == "rapport.no_input_close");
  CHECK(m.nlu_config.threshold == doctest::Approx(0.6));
  CHECK(m.nlu_config.ambiguity_margin == doctest::Approx(0.1));
  CHECK_FALSE(m.nlu_config.fold_accents);
  CHECK(m.nlu_config.phone_region == "DE");
  const webhook_def& w = m.webhooks.at("enrich");
  CHECK(w.url == "https://crm.example.com/enrich?key=${CRM_KEY}");
  CHECK(w.method == "GET");
  CHECK(w.timeout == 3s);
  CHECK(w.headers == std::vector<std::pair<std::string, std::string>>{{"X-Source", "rapport"}});
}

TEST_CASE("every interrupt is set on the model, on unless turned off") {
  auto r = load(
      bot_with({{"bot.yaml", std::string(minimal_bot_yaml) + "interrupts: {restart: false}\n"}}));
  REQUIRE(r.model);
  for (auto k : all_interrupts) REQUIRE(r.model->interrupts[k].has_value());
  CHECK(*r.model->interrupts[interrupt_kind::human]);
  CHECK(*r.model->interrupts[interrupt_kind::stop]);
  CHECK_FALSE(*r.model->interrupts[interrupt_kind::restart]);
  CHECK(*r.model->interrupts[interrupt_kind::help]);
}

TEST_CASE("defaults without bot.yaml settings") {
  auto r = load(minimal_bot());
  REQUIRE(r.model);
  CHECK(r.model->time_zone == "UTC");
  CHECK(r.model->default_team == "default");
  CHECK(r.model->policy.max_unanswered == 2);
  CHECK(r.model->policy.retries == 2);
  CHECK_FALSE(r.model->policy.no_input.enabled);
  CHECK(r.model->nlu_config.threshold == doctest::Approx(0.45));
}

TEST_CASE("an unknown key is an error with a did-you-mean hint") {
  auto r = load(bot_with({{"bot.yaml", std::string(minimal_bot_yaml) + "defualt_team: sales\n"}}));
  auto d = only(r, "unknown-key");
  CHECK(where(d) == "bot.yaml:3:1");
  CHECK(d.message == "unknown key 'defualt_team' in bot.yaml");
  CHECK(d.hint == "did you mean 'default_team'?");
}

TEST_CASE("an unknown key far from every valid one lists the valid keys") {
  auto r = load(bot_with({{"bot.yaml", std::string(minimal_bot_yaml) + "policies: {zzzz: 1}\n"}}));
  auto d = only(r, "unknown-key");
  CHECK(where(d) == "bot.yaml:3:12");
  CHECK(d.hint == "expected one of 'max_unanswered'");
}

TEST_CASE("missing required keys are errors at the start of the file") {
  auto r = load(bot_with({{"bot.yaml", "description: no name\n"}}));
  auto ds = with_code(r, "missing-key");
  REQUIRE(ds.size() == 2);
  CHECK(where(ds[0]) == "bot.yaml:1:1");
  CHECK(ds[0].message == "bot.yaml needs 'name'");
  CHECK(ds[1].message == "bot.yaml needs 'default_locale'");
}

TEST_CASE("an empty bot.yaml and a missing bot.yaml are errors") {
  auto empty = load(bot_with({{"bot.yaml", ""}}));
  CHECK(where(only(empty, "missing-key")) == "bot.yaml:1:1");
  bot_files files = minimal_bot();
  files.erase("bot.yaml");
  auto missing = load(files);
  CHECK_FALSE(missing.model);
  CHECK(only(missing, "missing-file").pos.file == "bot.yaml");
}

TEST_CASE("a value of the wrong type says what was expected and what was found") {
  auto r = load(
      bot_with({{"bot.yaml", std::string(minimal_bot_yaml) + "buying_intents: {pricing: true}\n"
                                                             "policies: {max_unanswered: 0}\n"}}));
  auto ds = with_code(r, "wrong-type");
  REQUIRE(ds.size() == 2);
  CHECK(where(ds[0]) == "bot.yaml:3:17");
  CHECK(ds[0].message == "expected a list of intents, got a map");
  CHECK(where(ds[1]) == "bot.yaml:4:28");
  CHECK(ds[1].message == "expected a whole number of at least 1, got the number 0");
}

TEST_CASE("a malformed duration is an error with the expected form") {
  auto r =
      load(bot_with({{"bot.yaml", std::string(minimal_bot_yaml) + "defaults:\n"
                                                                  "  no_input:\n"
                                                                  "    nudge_after: 2 minutes\n"
                                                                  "    close_after: 10m\n"}}));
  auto d = only(r, "bad-duration");
  CHECK(where(d) == "bot.yaml:5:18");
  CHECK(d.message == "expected a duration such as 30s, 2m or 1h30m, got text '2 minutes'");
}

TEST_CASE("durations accept every documented form") {
  for (auto [text, ms] : std::vector<std::pair<std::string, long>>{{"500ms", 500},
                                                                   {"30s", 30000},
                                                                   {"2m", 120000},
                                                                   {"1h", 3600000},
                                                                   {"1h30m", 5400000},
                                                                   {"1m30s", 90000}}) {
    auto r = load(bot_with({{"bot.yaml", std::string(minimal_bot_yaml) +
                                             "webhooks:\n  w:\n    url: https://x.test\n"
                                             "    timeout: " +
                                             text + "\n"}}));
    INFO(text, dump(r));
    REQUIRE(r.model);
    CHECK(r.model->webhooks.at("w").timeout.count() == ms);
  }
  for (std::string bad : {"30", "2 m", "m2", "1m1h", "-5s", "1.5m"}) {
    auto r = load(bot_with({{"bot.yaml", std::string(minimal_bot_yaml) +
                                             "webhooks:\n  w:\n    url: https://x.test\n"
                                             "    timeout: " +
                                             bad + "\n"}}));
    INFO(bad);
    CHECK(with_code(r, "bad-duration").size() == 1);
  }
}

TEST_CASE("no_input needs both timers once merged with the defaults") {
  auto r = load(
      bot_with({{"bot.yaml", std::string(minimal_bot_yaml) + "defaults:\n"
                                                             "  no_input: {nudge_after: 2m}\n"}}));
  auto d = only(r, "missing-key");
  CHECK(where(d) == "bot.yaml:4:13");
  CHECK(contains(d.message, "'nudge_after' and 'close_after'"));
}

TEST_CASE("a bad bot name is an error") {
  auto r = load(bot_with({{"bot.yaml", "name: my bot!\ndefault_locale: en\n"}}));
  CHECK(where(only(r, "bad-name")) == "bot.yaml:1:7");
}

TEST_CASE("a locale without a messages file is an error at the locales entry") {
  auto r = load(bot_with({{"bot.yaml", std::string(minimal_bot_yaml) + "locales: [en, de]\n"}}));
  auto d = only(r, "missing-locale");
  CHECK(where(d) == "bot.yaml:3:15");
  CHECK(d.message == "locale 'de' has no messages: create messages/de.yaml");
}

TEST_CASE("messages in a sub-folder of the locale count as its messages file") {
  auto r = load(bot_with({{"bot.yaml", std::string(minimal_bot_yaml) + "locales: [en, de]\n"},
                          {"messages/de/flows.yaml", "ask_reason: Was führt Sie zu uns?\n"}}));
  INFO(dump(r));
  CHECK(r.diagnostics.empty());
}

TEST_CASE("locales must include the default locale and be locale codes") {
  auto r = load(bot_with({{"bot.yaml", std::string(minimal_bot_yaml) + "locales: [de, english]\n"},
                          {"messages/de.yaml", "ask_reason: Was führt Sie zu uns?\n"}}));
  CHECK(where(only(r, "bad-locale")) == "bot.yaml:3:15");
  CHECK(where(only(r, "missing-locale")) == "bot.yaml:3:10");
}

TEST_CASE("a messages file for a locale not in locales is ignored with a warning") {
  auto r = load(bot_with({{"messages/fr.yaml", "ask_reason: Qu'est-ce qui vous amène ?\n"}}));
  REQUIRE(r.model);
  auto d = only(r, "unused-locale");
  CHECK(d.level == severity::warning);
  CHECK(where(d) == "messages/fr.yaml:1:1");
  CHECK_FALSE(r.model->catalogs.contains("fr"));
}

TEST_CASE("a message file name that is not a locale is an error") {
  auto r = load(bot_with({{"messages/english.yaml", "ask_reason: Hi?\n"}}));
  CHECK(where(only(r, "bad-locale")) == "messages/english.yaml:1:1");
}

TEST_CASE("lead score rules compile their conditions") {
  auto r =
      load(bot_with({{"bot.yaml", std::string(minimal_bot_yaml) + "lead_score:\n"
                                                                  "  - if: intent == \"pricing\"\n"
                                                                  "    add: 30\n"
                                                                  "  - if: reason == \"demo\"\n"
                                                                  "    add: 20\n"}}));
  INFO(dump(r));
  REQUIRE(r.model);
  REQUIRE(r.model->lead_score.size() == 2);
  CHECK(r.model->lead_score[0].points == 30);
  CHECK(r.model->lead_score[1].condition.text() == "reason == \"demo\"");
  CHECK(r.model->lead_score[1].pos.line == 6);
}

TEST_CASE("webhook settings are checked") {
  auto r =
      load(bot_with({{"bot.yaml", std::string(minimal_bot_yaml) + "webhooks:\n"
                                                                  "  enrich:\n"
                                                                  "    url: ftp://x\n"
                                                                  "    method: PUT\n"
                                                                  "  Other: {url: https://x.test}\n"
                                                                  "  third: {method: GET}\n"}}));
  CHECK(where(only(r, "bad-value")) == "bot.yaml:5:10");
  CHECK(where(only(r, "wrong-type")) == "bot.yaml:6:13");
  CHECK(where(only(r, "bad-name")) == "bot.yaml:7:3");
  CHECK(where(only(r, "missing-key")) == "bot.yaml:8:10");
}
