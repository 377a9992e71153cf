// The bot registry: validation at start, hot reload while conversations run, pinned versions.
#include <doctest/doctest.h>

#include <regex>

#include "engine_harness.hpp"

namespace rapport::engine {
namespace {

using test::engine_harness;
using test::texts;

std::string current_version(engine& e) {
  auto bots = e.stats().bots;
  REQUIRE(bots.size() == 1);
  return bots[0].second;
}

void replace_in_file(const std::filesystem::path& p, const std::string& from, const std::string& to) {
  auto text = test::read_file(p);
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  test::write_file(p, text);
}

TEST_CASE("bots: a bot that does not load stops start-up with every error as file:line:column") {
  engine_harness h;
  replace_in_file(h.bot_dir() / "flows/notes.yaml", "- say: noted", "- say: not_a_message");
  replace_in_file(h.bot_dir() / "flows/notes.yaml", "- say: goodbye", "- say: nor_this_one");
  std::string what;
  try {
    h.start();
  } catch (const std::runtime_error& e) {
    what = e.what();
  }
  INFO(what);
  CHECK(std::regex_search(what, std::regex(R"(flows/notes\.yaml:\d+:\d+: error: .*not_a_message)")));
  CHECK(std::regex_search(what, std::regex(R"(flows/notes\.yaml:\d+:\d+: error: .*nor_this_one)")));

  engine_options missing;
  missing.bot_folders = {(h.bot_dir() / "no-such-folder").string()};
  h.options = missing;
  CHECK_THROWS_AS(h.start(), std::runtime_error);
}

TEST_CASE("hot reload: new conversations get the new version, running ones keep theirs, a broken edit changes nothing") {
  engine_harness h;
  h.start();
  const auto v1 = current_version(h.e());
  auto a = h.open_ok();
  CHECK(a.replies.front().text == "Hi! I take notes.");

  replace_in_file(h.bot_dir() / "messages/en.yaml", "greeting: Hi! I take notes.",
                  "greeting: Hello again! I take notes.");
  replace_in_file(h.bot_dir() / "messages/en.yaml", "noted: \"Noted: {note}\"",
                  "noted: \"Noted (v2): {note}\"");
  REQUIRE(test::eventually([&] { return current_version(h.e()) != v1; }));
  const auto v2 = current_version(h.e());
  CHECK(h.logged("reloaded"));

  auto b = h.open_ok();
  CHECK(b.replies.front().text == "Hello again! I take notes.");
  CHECK(texts(h.say(a.conversation.id, "x")->replies).front() == "Noted: x");
  CHECK(texts(h.say(b.conversation.id, "y")->replies).front() == "Noted (v2): y");

  // A broken edit: logged with file:line:column; the running version stays.
  replace_in_file(h.bot_dir() / "flows/notes.yaml", "- say: noted", "- say: not_a_message");
  const std::regex located(R"(flows/notes\.yaml:\d+:\d+: error: .*not_a_message)");
  REQUIRE(test::eventually([&] {
    for (const auto& line : h.log_lines())
      if (std::regex_search(line, located)) return true;
    return false;
  }));
  CHECK(current_version(h.e()) == v2);
  auto c = h.open_ok();
  CHECK(c.replies.front().text == "Hello again! I take notes.");
  CHECK(texts(h.say(c.conversation.id, "z")->replies).front() == "Noted (v2): z");

  // Fixed again, then a restart: A is still on v1, rebuilt from the stored files.
  replace_in_file(h.bot_dir() / "flows/notes.yaml", "- say: not_a_message", "- say: noted");
  h.stop();
  h.start();
  CHECK(current_version(h.e()) == v2);
  CHECK(texts(h.say(a.conversation.id, "after restart")->replies).front() == "Noted: after restart");
  CHECK(h.sql("SELECT count(*) FROM bot_versions") == "2");

  // When A ends and comes back, it moves to the current version.
  REQUIRE(h.say(a.conversation.id, "bye").has_value());
  REQUIRE(h.say(a.conversation.id, "hello again").has_value());
  CHECK(h.sql("SELECT bot_version FROM conversations WHERE id = '" + a.conversation.id + "'") == v2);
}

}  // namespace
}  // namespace rapport::engine
