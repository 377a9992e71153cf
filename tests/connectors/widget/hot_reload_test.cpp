// Hot reload while visitors talk to the bot over the widget WebSocket: the bot folder (a copy of
// examples/cx-opener) is edited under a running server. New conversations get the new version,
// running ones keep theirs until they end, and a broken edit is reported with file:line:column
// while the last good version keeps serving.
#include <fstream>
#include <mutex>
#include <regex>
#include <sstream>

#include "support/widget_visitor.hpp"

using namespace rapport;
using namespace rapport::testing;
namespace fs = std::filesystem;

namespace {

// The server's log lines, collected from any thread.
class log_lines {
 public:
  std::function<void(std::string_view)> sink() {
    return [this](std::string_view line) {
      std::lock_guard lock(mutex_);
      lines_.emplace_back(line);
    };
  }
  bool contains(const std::regex& pattern) {
    std::lock_guard lock(mutex_);
    for (const auto& l : lines_)
      if (std::regex_search(l, pattern)) return true;
    return false;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> lines_;
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Replaces every occurrence of each `from` in the file, then swaps the file in at once (written to
// `staging`, outside the bot folder, and renamed, as editors save): the server never reads half
// an edit.
void edit(const fs::path& staging, const fs::path& file,
          const std::vector<std::pair<std::string, std::string>>& replacements) {
  auto text = read_file(file);
  for (const auto& [from, to] : replacements) {
    auto at = text.find(from);
    REQUIRE_MESSAGE(at != std::string::npos, from);
    for (; at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
  }
  const auto staged = staging / "staged-edit";
  {
    std::ofstream out(staged, std::ios::binary | std::ios::trunc);
    out << text;
  }
  fs::rename(staged, file);
}

std::string version_of(test_server& s) {
  auto bots = s.engine().stats().bots;
  REQUIRE(bots.size() == 1);
  return bots[0].second;
}

json::object opener(widget_visitor& v) {
  v.hello();
  v.start();
  auto m = v.next_message();
  REQUIRE(m["key"] == "ask_visit_reason");
  return m;
}

}  // namespace

TEST_CASE("hot reload under live widget conversations: new ones get the new version, running ones keep theirs") {
  temp_dir dir;
  const fs::path bot = dir.path() / "bots" / "cx-opener";
  fs::create_directories(bot.parent_path());
  fs::copy(std::string(RAPPORT_SOURCE_DIR) + "/examples/cx-opener", bot, fs::copy_options::recursive);
  log_lines log;
  engine_setup setup;
  setup.bot_folders = {bot.string()};
  setup.reload_poll = std::chrono::milliseconds(20);
  setup.log = log.sink();
  test_server s(setup);
  const auto v1 = version_of(s);

  widget_visitor a(s, "cx-opener");
  auto opener_a = opener(a);
  CHECK(text_of(opener_a) == "Hi, I'm Halyard's assistant. What brought you here today?");

  // The author rewords the opener, a follow-up question and the goodbye while A is talking.
  edit(dir.path(), bot / "messages/en.yaml",
       {{"Hi, I'm Halyard's assistant.", "Welcome to Halyard."},
        {"No problem — take your time.", "Sure — no rush."},
        {"goodbye: Thanks for stopping by", "goodbye: Thanks for visiting"}});
  REQUIRE(eventually([&] { return version_of(s) != v1; }));
  const auto v2 = version_of(s);
  CHECK(log.contains(std::regex("reloaded")));
  CHECK(s.sql("SELECT count(*) FROM bot_versions") == "2");

  // A new visitor gets the new version; A, mid-conversation, stays on the one it started on.
  widget_visitor b(s, "cx-opener");
  auto opener_b = opener(b);
  CHECK(text_of(opener_b) == "Welcome to Halyard. What brought you here today?");
  a.click("a1", opener_a, "browsing");
  CHECK(text_of(a.next_bot_message()).starts_with("No problem — take your time."));
  b.click("b1", opener_b, "browsing");
  CHECK(text_of(b.next_bot_message()).starts_with("Sure — no rush."));
  CHECK(s.sql("SELECT bot_version FROM conversations WHERE id = '" + a.conversation() + "'") == v1);
  CHECK(s.sql("SELECT bot_version FROM conversations WHERE id = '" + b.conversation() + "'") == v2);

  // A broken edit: reported with file:line:column; the last good version keeps serving.
  edit(dir.path(), bot / "flows/goodbye.yaml", {{"- say: goodbye", "- say: not_a_message"}});
  const std::regex located(R"(cx-opener/flows/goodbye\.yaml:\d+:\d+: error: .*not_a_message)");
  REQUIRE(eventually([&] { return log.contains(located); }));
  CHECK(log.contains(std::regex("does not load; version " + v2 + " keeps running")));
  CHECK(version_of(s) == v2);
  widget_visitor c(s, "cx-opener");
  CHECK(text_of(opener(c)) == "Welcome to Halyard. What brought you here today?");

  // A says goodbye: its own version's goodbye flow and words, and the conversation ends...
  a.say("a2", "that's all, thanks. bye");
  auto rating = a.next_bot_message();
  REQUIRE(rating["key"] == "rapport.csat_ask");
  a.click("a3", rating, "5");
  CHECK(a.next_bot_message()["key"] == "rapport.csat_thanks");
  auto goodbye_a = a.next_bot_message();
  CHECK(text_of(goodbye_a) == "Thanks for stopping by — have a good day!");
  REQUIRE(eventually([&] { return s.sql("SELECT owner FROM conversations WHERE id = '" + a.conversation() + "'") == "closed"; }));
  // ...and when A comes back it moves to the current version.
  a.say("a4", "hi again");
  a.next_bot_message();
  CHECK(s.sql("SELECT bot_version FROM conversations WHERE id = '" + a.conversation() + "'") == v2);

  // B is unaffected by the broken edit: it still says goodbye with v2's words.
  b.say("b2", "that's all, thanks. bye");
  b.click("b3", b.message_with_key("rapport.csat_ask"), "5");
  CHECK(text_of(b.message_with_key("goodbye")) == "Thanks for visiting — have a good day!");
  for (auto* v : {&a, &b, &c}) CHECK(v->errors.empty());
}
