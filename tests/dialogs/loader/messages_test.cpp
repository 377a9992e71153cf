// Message catalogs: the three shapes, patterns, buttons, promo, locales.
#include "support.hpp"

using namespace loader_test;

namespace {

load_result load_messages(const std::string& en, const std::string& de = "") {
  const std::string slots = "slots: {team_size: {type: number}}\n";
  bot_files files =
      bot_with({{"messages/en.yaml", "ask_reason: What brought you here today?\n" + en},
                {"bot.yaml", std::string(minimal_bot_yaml) + slots}});
  if (!de.empty()) {
    files["bot.yaml"] = std::string(minimal_bot_yaml) + slots + "locales: [en, de]\n";
    files["messages/de.yaml"] = "ask_reason: Was führt Sie zu uns?\n" + de;
  }
  return load(files);
}

const message_def& message(const load_result& r, const std::string& key,
                           const std::string& locale = "en") {
  INFO(dump(r));
  REQUIRE(r.model);
  return r.model->catalogs.at(locale).messages.at(key);
}

}  // namespace

TEST_CASE("a message is a text, a list of variants, or a map") {
  auto r = load_messages(
      "greeting: Hi!\n"
      "hello:\n"
      "  - Hi there!\n"
      "  - Hello!\n"
      "offer:\n"
      "  text: Teams of {team_size, number} get 20% off.\n"
      "  promo: true\n"
      "welcome:\n"
      "  variants: [Welcome!, Good to see you!]\n",
      "");
  const auto& greeting = message(r, "greeting");
  REQUIRE(greeting.variants.size() == 1);
  CHECK(greeting.variants[0].source() == "Hi!");
  CHECK_FALSE(greeting.promo);
  CHECK(greeting.pos.line == 2);
  CHECK(message(r, "hello").variants.size() == 2);
  CHECK(message(r, "hello").variants[1].source() == "Hello!");
  CHECK(message(r, "offer").promo);
  CHECK(message(r, "welcome").variants.size() == 2);
}

TEST_CASE("buttons label a choice's options and are patterns themselves") {
  auto r = load(bot_with({{"flows/main.yaml",
                           "slots:\n"
                           "  reason: {type: choice, options: [pricing, demo]}\n"
                           "flows:\n"
                           "  welcome:\n"
                           "    triggers: [start]\n"
                           "    steps:\n"
                           "      - ask: reason\n"},
                          {"messages/en.yaml",
                           "ask_reason:\n"
                           "  text: What brought you here today?\n"
                           "  buttons:\n"
                           "    pricing: Pricing\n"
                           "    demo: \"A demo for {channel}\"\n"}}));
  const auto& m = message(r, "ask_reason");
  REQUIRE(m.buttons.size() == 2);
  CHECK(m.buttons[0].first == "pricing");
  CHECK(m.buttons[0].second.source() == "Pricing");
  CHECK(m.buttons[1].second.argument_names() == std::vector<std::string>{"channel"});
}

TEST_CASE("a pattern error points at the character inside a plain scalar") {
  auto r = load_messages("thanks: Thanks {reason, select, a {x} other {y}\n");
  auto d = only(r, "bad-message");
  CHECK(where(d) == "messages/en.yaml:2:16");
  CHECK(contains(d.message, "message 'thanks'"));
}

TEST_CASE("a pattern error inside a quoted scalar counts the quote") {
  auto r = load_messages("thanks: \"Thanks {reason\"\n");
  CHECK(where(only(r, "bad-message")) == "messages/en.yaml:2:17");
}

TEST_CASE("a pattern error in a block scalar points at the scalar") {
  auto r = load_messages(
      "thanks: |\n"
      "  Thanks {reason\n");
  CHECK(where(only(r, "bad-message")) == "messages/en.yaml:2:9");
}

TEST_CASE("a message argument must be a slot or a message built-in") {
  auto r = load_messages(
      "ok: \"{intent} {channel} {locale} {turns} {lead_score} {reason}\"\n"
      "bad: Hello {reasn}, {fallbacks}\n");
  auto ds = with_code(r, "unknown-argument");
  REQUIRE(ds.size() == 2);
  CHECK(where(ds[0]) == "messages/en.yaml:3:13");
  CHECK(ds[0].hint == "did you mean 'reason'?");
  CHECK(where(ds[1]) == "messages/en.yaml:3:22");
}

TEST_CASE("message shape errors") {
  auto r = load_messages(
      "empty:\n"
      "both:\n"
      "  text: a\n"
      "  variants: [b]\n"
      "neither: {promo: true}\n"
      "nested: [[a]]\n"
      "Bad-Key: x\n"
      "typo: {text: a, buttons: {x: y}, promo: yes, prmo: true}\n");
  CHECK(where(with_code(r, "wrong-type").at(0)) == "messages/en.yaml:2:1");
  CHECK(where(with_code(r, "bad-value").at(0)) == "messages/en.yaml:5:3");
  CHECK(where(only(r, "missing-key")) == "messages/en.yaml:6:10");
  CHECK(where(with_code(r, "wrong-type").at(1)) == "messages/en.yaml:7:10");
  CHECK(where(only(r, "bad-name")) == "messages/en.yaml:8:1");
  CHECK(where(with_code(r, "wrong-type").at(2)) == "messages/en.yaml:9:41");
  auto unknown = only(r, "unknown-key");
  CHECK(where(unknown) == "messages/en.yaml:9:46");
  CHECK(unknown.hint == "did you mean 'promo'?");
}

TEST_CASE("promo is taken from the default locale") {
  auto r = load_messages("offer:\n  text: 20% off\n  promo: true\n", "offer: 20% Rabatt\n");
  CHECK(message(r, "offer", "de").promo);
}

TEST_CASE("messages of a locale may be split over files in its folder") {
  auto r = load(bot_with({{"messages/en/extra.yaml", "thanks: Thanks!\n"}}));
  CHECK(message(r, "thanks").variants.at(0).source() == "Thanks!");
  CHECK(message(r, "ask_reason").pos.file == "messages/en.yaml");
  CHECK(message(r, "thanks").pos.file == "messages/en/extra.yaml");
}

TEST_CASE("a key defined in two files of one locale is an error") {
  auto r = load(bot_with({{"messages/en/extra.yaml", "ask_reason: Why?\n"}}));
  auto d = only(r, "duplicate-name");
  CHECK(where(d) == "messages/en/extra.yaml:1:1");
  CHECK(d.message == "message 'ask_reason' is already defined at messages/en.yaml:1:1");
}

TEST_CASE("patterns compile for their own locale") {
  auto r = load_messages("items: \"{team_size, plural, one {# item} other {# items}}\"\n",
                         "items: \"{team_size, plural, one {# Stück} other {# Stück}}\"\n");
  REQUIRE(r.model);
  CHECK(message(r, "items", "de").variants[0].render({{"team_size", value{1.0}}}) == "1 Stück");
}

TEST_CASE("find_message falls back to the default locale") {
  auto r = load_messages("thanks: Thanks!\n", "other: Sonst\n");
  REQUIRE(r.model);
  CHECK(r.model->find_message("de", "ask_reason")->variants[0].source() == "Was führt Sie zu uns?");
  CHECK(r.model->find_message("de", "thanks")->variants[0].source() == "Thanks!");
  CHECK(r.model->find_message("fr", "thanks")->variants[0].source() == "Thanks!");
  CHECK(r.model->find_message("de", "nope") == nullptr);
}
