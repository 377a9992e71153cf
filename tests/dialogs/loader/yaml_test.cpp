// Reading YAML: syntax errors, duplicate keys, positions, hostile input.
#include "support.hpp"

using namespace loader_test;

TEST_CASE("a YAML syntax error is reported at the parser's position") {
  auto r = load(bot_with({{"flows/main.yaml",
                           "slots:\n"
                           "  reason: {type: text}\n"
                           "flows:\n"
                           "  welcome:\n"
                           "    triggers: [start\n"
                           "    steps:\n"
                           "      - ask: reason\n"}}));
  CHECK_FALSE(r.model);
  auto d = only(r, "yaml-syntax");
  CHECK(d.level == severity::error);
  CHECK(where(d) == "flows/main.yaml:6:10");
  CHECK(contains(d.message, "YAML syntax error"));
}

TEST_CASE("a colon inside plain text is a syntax error at the colon") {
  auto r = load(bot_with({{"messages/en.yaml",
                           "ask_reason: What brought you here today?\n"
                           "note: Done: see you\n"}}));
  auto d = only(r, "yaml-syntax");
  CHECK(where(d) == "messages/en.yaml:2:11");
}

TEST_CASE("other files are still checked when one has a syntax error") {
  auto r = load(bot_with({{"flows/broken.yaml", "flows: [\n"},
                          {"bot.yaml", "name: test-bot\ndefault_locale: en\ndefualt_team: x\n"}}));
  CHECK(with_code(r, "yaml-syntax").size() == 1);
  CHECK(with_code(r, "unknown-key").size() == 1);
}

TEST_CASE("a duplicate key is an error at its second occurrence") {
  auto r = load(bot_with({{"messages/en.yaml",
                           "ask_reason: What brought you here today?\n"
                           "thanks: Thanks!\n"
                           "thanks: Thank you!\n"}}));
  auto d = only(r, "duplicate-key");
  CHECK(where(d) == "messages/en.yaml:3:1");
  CHECK(d.message == "duplicate key 'thanks': already defined at line 2");
}

TEST_CASE("duplicate keys inside flow-style maps are found too") {
  auto r = load(bot_with({{"flows/main.yaml",
                           "slots:\n"
                           "  reason: {type: text, type: number}\n"
                           "flows:\n"
                           "  welcome:\n"
                           "    triggers: [start]\n"
                           "    steps:\n"
                           "      - ask: reason\n"}}));
  CHECK(where(only(r, "duplicate-key")) == "flows/main.yaml:2:24");
}

TEST_CASE("columns count characters, not bytes") {
  auto r = load(bot_with({{"messages/en.yaml", "ask_reason: Wie heißt {nme}?\n"}}));
  auto d = only(r, "unknown-argument");
  CHECK(where(d) == "messages/en.yaml:1:24");
}

TEST_CASE("a second YAML document in a file is an error") {
  auto r = load(bot_with({{"messages/en.yaml",
                           "ask_reason: What brought you here today?\n"
                           "---\n"
                           "greeting: Hi\n"}}));
  CHECK(where(only(r, "yaml-syntax")) == "messages/en.yaml:2:1");
}

TEST_CASE("deeply nested documents are rejected without crashing") {
  std::string deep = "flows: " + std::string(5000, '[') + std::string(5000, ']') + "\n";
  auto r = load(bot_with({{"flows/deep.yaml", deep}}));
  CHECK_FALSE(r.model);
  CHECK(with_code(r, "yaml-syntax").size() == 1);
}

TEST_CASE("alias bombs are rejected without expanding them") {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'h'; ++c) {
    std::string prev(1, static_cast<char>(c - 1));
    bomb += std::string(1, c) + ": &" + std::string(1, c) + " [*" + prev + ", *" + prev + ", *" +
            prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev +
            ", *" + prev + ", *" + prev + "]\n";
  }
  auto r = load(bot_with({{"intents/bomb.yaml", bomb}}));
  CHECK_FALSE(r.model);
  CHECK(contains(only(r, "yaml-syntax").message, "too large"));
}

TEST_CASE("aliases to earlier nodes are followed") {
  auto r = load(bot_with({{"flows/main.yaml",
                           "slots:\n"
                           "  reason: {type: text}\n"
                           "flows:\n"
                           "  welcome:\n"
                           "    triggers: &opening [start]\n"
                           "    steps:\n"
                           "      - ask: reason\n"
                           "  again:\n"
                           "    triggers: *opening\n"
                           "    steps:\n"
                           "      - ask: reason\n"}}));
  INFO(dump(r));
  REQUIRE(r.model);
  CHECK(r.model->flows.at("again").triggers.size() == 1);
}

TEST_CASE("a file larger than 4 MiB is refused") {
  auto r = load(bot_with({{"intents/huge.yaml", std::string(5u << 20, '#')}}));
  CHECK(where(only(r, "file-too-large")) == "intents/huge.yaml:1:1");
}

TEST_CASE("a UTF-8 byte order mark is ignored") {
  auto r = load(bot_with({{"bot.yaml", "\xEF\xBB\xBFname: test-bot\ndefault_locale: en\n"}}));
  INFO(dump(r));
  CHECK(r.diagnostics.empty());
}

TEST_CASE("invalid UTF-8 and control bytes never crash the loader") {
  std::string junk;
  for (int i = 1; i < 512; ++i) junk += static_cast<char>((i * 37) % 256);
  for (const char* path : {"bot.yaml", "flows/x.yaml", "intents/x.yaml", "messages/en.yaml"}) {
    auto r = load(bot_with({{path, junk}}));
    CHECK_FALSE(r.model);
  }
}

TEST_CASE("an unterminated quoted text is a syntax error at its opening quote") {
  auto r = load(bot_with({{"messages/en.yaml",
                           "ask_reason: What brought you here today?\n"
                           "thanks: \"Thanks!\n"
                           "bye: Bye\n"}}));
  auto d = only(r, "yaml-syntax");
  CHECK(where(d) == "messages/en.yaml:2:9");
  CHECK(d.message == "YAML syntax error: unterminated quoted text: the closing \" is missing");
  auto single = load(bot_with({{"messages/en.yaml", "ask_reason: 'It''s here?\n"}}));
  CHECK(where(only(single, "yaml-syntax")) == "messages/en.yaml:1:13");
  auto fine = load(
      bot_with({{"messages/en.yaml", "ask_reason: \"Say \\\"hi\\\"?\"\nthanks: 'It''s fine'\n"}}));
  CHECK(with_code(fine, "yaml-syntax").empty());
}

TEST_CASE("mutated files produce diagnostics, never a crash or an internal error") {
  const bot_files original = bot_with({{"messages/en.yaml",
                                        "ask_reason:\n"
                                        "  text: \"What brought you {reason} here?\"\n"
                                        "  buttons: {a: A}\n"
                                        "anchor: &a [x, y]\n"
                                        "again: *a\n"}});
  const std::string noise = ":[]{}-&*!|>'\"\n #,?%@`\t=\\";
  int loads = 0;
  for (const auto& [path, contents] : original) {
    for (std::size_t i = 0; i < contents.size(); i += 3) {
      bot_files mutated = original;
      std::string& text = mutated[path];
      char c = noise[(i * 7 + path.size()) % noise.size()];
      if (i % 2 == 0) {
        text[i] = c;
      } else {
        text.insert(i, 1, c);
      }
      auto r = load(mutated);
      ++loads;
      for (const auto& d : r.diagnostics) {
        INFO(path, " at ", i, ": ", format_diagnostic(d));
        CHECK(d.code != "internal-error");
        CHECK(!d.message.empty());
      }
    }
  }
  CHECK(loads > 50);
}

TEST_CASE("a duplicate message key is one error, not two") {
  auto r = load(bot_with({{"messages/en.yaml",
                           "ask_reason: What brought you here today?\n"
                           "thanks: Thanks!\n"
                           "thanks: Thank you!\n"}}));
  INFO(dump(r));
  CHECK(count_errors(r) == 1);
  CHECK(with_code(r, "duplicate-key").size() == 1);
}

TEST_CASE("a syntax error only hides the checks of names the broken file mentions") {
  // flows/broken.yaml mentions 'pricing'; flows/main.yaml also uses an undefined 'sales' flow
  // and an undefined message, which the broken file does not mention: those are still errors.
  auto r = load(bot_with({{"flows/broken.yaml", "flows:\n  pricing: [\n"},
                          {"flows/main.yaml",
                           "slots:\n"
                           "  reason: {type: text}\n"
                           "flows:\n"
                           "  welcome:\n"
                           "    triggers: [start]\n"
                           "    steps:\n"
                           "      - ask: reason\n"
                           "      - if: reason == \"a\"\n"
                           "        then: [{goto: pricing}]\n"
                           "      - say: thnaks\n"
                           "      - goto: sales\n"}}));
  INFO(dump(r));
  CHECK(with_code(r, "yaml-syntax").size() == 1);
  auto flows = with_code(r, "undefined-flow");
  REQUIRE(flows.size() == 1);
  CHECK(contains(flows[0].message, "'sales'"));
  CHECK(where(only(r, "undefined-message")) == "flows/main.yaml:10:14");
  auto note = only(r, "checks-skipped");
  CHECK(where(note) == "flows/broken.yaml:1:1");
  CHECK(note.message ==
        "this file could not be read, so Rapport skipped the checks of names it mentions "
        "('pricing') and the flow analysis (openers, promotions, max_unanswered)");
}
