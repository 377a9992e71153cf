// The loader end to end: a clean bot, reading a folder, the version hash, the model's lookups.
#include <filesystem>

#include "support.hpp"

using namespace loader_test;

namespace {

std::filesystem::path fixture(const char* name) {
  return std::filesystem::path(RAPPORT_SOURCE_DIR) / "tests/dialogs/loader/fixtures" / name;
}

}  // namespace

TEST_CASE("a minimal bot loads without diagnostics") {
  auto r = load(minimal_bot());
  INFO(dump(r));
  CHECK(r.diagnostics.empty());
  REQUIRE(r.model);
  CHECK(r.model->name == "test-bot");
  CHECK(r.model->default_locale == "en");
  CHECK(r.model->locales == std::vector<std::string>{"en"});
  CHECK(r.model->nlu != nullptr);
  CHECK(r.model->version.size() == 16);
}

TEST_CASE("read_bot_folder reads the bot's files and skips tests and other files") {
  auto files = read_bot_folder(fixture("cx-bot"));
  std::vector<std::string> paths;
  for (const auto& [path, contents] : files) paths.push_back(path);
  CHECK(paths == std::vector<std::string>{"bot.yaml", "flows/welcome.yaml", "intents/sales.yaml",
                                          "messages/de.yaml", "messages/en.yaml"});
}

TEST_CASE("a bot folder loads with the shipped standard library") {
  auto r = load_bot(fixture("cx-bot"));
  INFO(dump(r));
  REQUIRE(r.model);
  CHECK(r.diagnostics.empty());
  CHECK(r.model->flow_order.front() == "welcome");
  CHECK(r.model->find_flow("pricing")->triggers.at(0).name == "pricing");
  CHECK(r.model->find_message("de", "pricing_offer")->promo);
}

TEST_CASE("loading a folder that does not exist is an error, not an exception") {
  auto r = load_bot(fixture("no-such-bot"));
  CHECK_FALSE(r.model);
  CHECK(only(r, "missing-file").level == severity::error);
}

TEST_CASE("the version is a content hash: stable, and changed by any file") {
  auto a = load(minimal_bot());
  auto b = load(minimal_bot());
  REQUIRE(a.model);
  REQUIRE(b.model);
  CHECK(a.model->version == b.model->version);
  for (const char* path : {"bot.yaml", "flows/main.yaml", "messages/en.yaml"}) {
    bot_files changed = minimal_bot();
    changed[path] += "# a comment\n";
    auto c = load(changed);
    INFO(path);
    REQUIRE(c.model);
    CHECK(c.model->version != a.model->version);
  }
  bot_files renamed = minimal_bot();
  renamed["flows/other.yaml"] = renamed["flows/main.yaml"];
  renamed.erase("flows/main.yaml");
  CHECK(load(renamed).model->version != a.model->version);
  // Files the loader does not read do not change it.
  bot_files with_tests = minimal_bot();
  with_tests["tests/welcome.yaml"] = "anything\n";
  with_tests["README.md"] = "notes\n";
  CHECK(load(with_tests).model->version == a.model->version);
  // The standard library is part of it.
  auto lib = test_library();
  lib["core"]["messages/en.yaml"] += "rapport.extra: Extra.\n";
  CHECK(load_bot(minimal_bot(), lib).model->version != a.model->version);
}

TEST_CASE("find_flow finds flows by name") {
  auto r = load(minimal_bot());
  REQUIRE(r.model);
  CHECK(r.model->find_flow("welcome")->name == "welcome");
  CHECK(r.model->find_flow("nope") == nullptr);
}

TEST_CASE("match_locale picks the closest bot locale") {
  bot_model m;
  m.default_locale = "en";
  m.locales = {"en", "de", "pt-BR"};
  CHECK(m.match_locale("de") == "de");
  CHECK(m.match_locale("de-AT") == "de");
  CHECK(m.match_locale("de_CH") == "de");
  CHECK(m.match_locale("DE") == "de");
  CHECK(m.match_locale("pt-br") == "pt-BR");
  CHECK(m.match_locale("pt") == "pt-BR");
  CHECK(m.match_locale("pt-PT") == "pt-BR");
  CHECK(m.match_locale("fr-FR") == "en");
  CHECK(m.match_locale("") == "en");
}

TEST_CASE("interrupt kinds have the names used in YAML") {
  CHECK(std::string(to_string(interrupt_kind::human)) == "human");
  CHECK(std::string(to_string(interrupt_kind::stop)) == "stop");
  CHECK(std::string(to_string(interrupt_kind::restart)) == "restart");
  CHECK(std::string(to_string(interrupt_kind::help)) == "help");
}

TEST_CASE("paths with ./ or backslashes are read like any other") {
  bot_files files;
  for (const auto& [path, contents] : minimal_bot()) files["./" + path] = contents;
  files["flows\\main.yaml"] = files["./flows/main.yaml"];
  files.erase("./flows/main.yaml");
  auto r = load(files);
  INFO(dump(r));
  REQUIRE(r.model);
  CHECK(r.model->find_flow("welcome")->pos.file == "flows/main.yaml");
}
