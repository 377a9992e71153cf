// The `rapport` sub-commands run in-process: exit codes, what they print, the files they write.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include <boost/json.hpp>

#include "commands.hpp"

namespace fs = std::filesystem;
using rapport::app::arguments;

namespace {

// A folder under the system's temporary directory, removed at the end of the test.
class scratch {
 public:
  scratch() {
    std::random_device rd;
    path_ = fs::temp_directory_path() / ("rapport-cmd-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ~scratch() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  // Writes a bot folder `name` with the given files; returns its path.
  std::string bot(const std::string& name, const std::map<std::string, std::string>& files) const {
    for (const auto& [file, text] : files) {
      const fs::path p = path_ / name / file;
      fs::create_directories(p.parent_path());
      std::ofstream(p) << text;
    }
    return (path_ / name).string();
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

struct result {
  int code;
  std::string out, err;
};

std::string read_all(std::FILE* f) {
  std::rewind(f);
  std::string text;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, f)) > 0;) text.append(buffer, n);
  std::fclose(f);
  return text;
}

template <class Command>
result run(Command command) {
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  REQUIRE(out);
  REQUIRE(err);
  const int code = command(out, err);
  return {code, read_all(out), read_all(err)};
}

result check(const arguments& args) {
  return run([&](std::FILE* o, std::FILE* e) { return rapport::app::check_command(args, o, e); });
}
result test(const arguments& args) {
  return run([&](std::FILE* o, std::FILE* e) { return rapport::app::test_command(args, o, e); });
}
result chat(const arguments& args, const std::string& input) {
  std::istringstream in(input);
  return run([&](std::FILE* o, std::FILE* e) { return rapport::app::chat_command(args, in, o, e); });
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

const std::string opener_flows =
    "slots:\n"
    "  reason: {type: choice, options: [pricing, problem, other]}\n"
    "  team_size: {type: number}\n"
    "  score: {type: nps}\n"
    "flows:\n"
    "  welcome:\n"
    "    triggers: [start]\n"
    "    steps:\n"
    "      - ask: reason\n"
    "      - ask: team_size\n"
    "      - ask: score\n"
    "      - say: thanks\n";
const std::string opener_messages =
    "ask_reason:\n  text: What brought you here?\n"
    "  buttons: {pricing: Pricing, problem: Something isn't working, other: Something else}\n"
    "ask_team_size: How many people are on your team?\n"
    "ask_score: How likely are you to recommend us, from 0 to 10?\n"
    "thanks: Thanks!\n";

std::map<std::string, std::string> opener_bot(const std::string& extra_messages = "") {
  return {{"bot.yaml", "name: opener\ndefault_locale: en\n"},
          {"flows/main.yaml", opener_flows},
          {"messages/en.yaml", opener_messages + extra_messages}};
}

}  // namespace

TEST_CASE("rapport check: 0 when clean, 1 on errors, warnings fail only with --strict") {
  scratch dir;
  const auto clean = dir.bot("clean", opener_bot());
  const auto warned = dir.bot("warned", opener_bot("unused: Nobody sends me.\n"));
  auto broken_files = opener_bot();
  broken_files["flows/main.yaml"] += "      - say: thnaks\n";
  const auto broken = dir.bot("broken", broken_files);

  auto ok = check({clean});
  CHECK(ok.code == 0);
  CHECK(contains(ok.out, "opener: 0 errors, 0 warnings (version "));
  CHECK(check({clean, "--strict"}).code == 0);

  auto warning = check({warned});
  CHECK(warning.code == 0);
  CHECK(contains(warning.out, warned + "/messages/en.yaml:7:1: warning: message 'unused'"));
  CHECK(check({warned, "--strict"}).code == 1);

  auto error = check({broken});
  CHECK(error.code == 1);
  CHECK(contains(error.out, broken + "/flows/main.yaml:13:14: error: undefined message 'thnaks'"));
  CHECK(check({clean, broken}).code == 1);  // one broken bot fails the run
  CHECK(check({}).code == 2);
  CHECK(check({clean, "--format", "xml"}).code == 2);
}

TEST_CASE("rapport check --format json prints one array of located diagnostics") {
  scratch dir;
  const auto warned = dir.bot("warned", opener_bot("unused: Nobody sends me.\n"));
  auto r = check({warned, "--format", "json", "--strict"});
  CHECK(r.code == 1);
  auto json = boost::json::parse(r.out);
  REQUIRE(json.is_array());
  REQUIRE(json.as_array().size() == 1);
  const auto& d = json.as_array()[0].as_object();
  CHECK(d.at("severity").as_string() == "warning");
  CHECK(std::string(d.at("file").as_string()) == warned + "/messages/en.yaml");
  CHECK(d.at("line").as_int64() == 7);
  CHECK(d.at("column").as_int64() == 1);
  CHECK(d.at("code").as_string() == "unused-message");
  CHECK(check({warned, "--format", "json"}).code == 0);
}

TEST_CASE("rapport check on a folder that does not exist names it once") {
  scratch dir;
  const auto missing = dir.file("nope");
  auto r = check({missing});
  CHECK(r.code == 1);
  CHECK(contains(r.out, missing + ": error: no bot folder here"));
  CHECK_FALSE(contains(r.out, missing + "/nope"));
}

TEST_CASE("rapport test: exit code, report and JUnit agree when a test file has errors") {
  scratch dir;
  auto files = opener_bot();
  files["tests/good.yaml"] = "tests:\n  - name: opener\n    steps:\n      - bot: ask_reason\n";
  files["tests/typo.yaml"] = "tests:\n  - name: typo\n    steps:\n      - bto: ask_reason\n";
  const auto bot = dir.bot("opener", files);
  const auto junit = dir.file("junit.xml");
  auto r = test({bot, "--junit", junit});
  CHECK(r.code == 1);
  CHECK(contains(r.out, "ERROR opener: typo (" + bot + "/tests/typo.yaml:2:5)"));
  CHECK(r.out.ends_with("1 passed, 1 failed\n"));
  std::ifstream in(junit);
  std::stringstream xml;
  xml << in.rdbuf();
  CHECK(contains(xml.str(), "<testsuites tests=\"2\" failures=\"0\" errors=\"1\">"));
  CHECK(contains(xml.str(), bot + "/tests/typo.yaml:4:9: unknown test step 'bto'"));

  fs::remove(fs::path(bot) / "tests/typo.yaml");
  CHECK(test({bot}).code == 0);
}

TEST_CASE("rapport test: a bot that does not load is an error in the report and in JUnit") {
  scratch dir;
  auto files = opener_bot();
  files["bot.yaml"] = "default_locale: en\n";
  const auto bot = dir.bot("nameless", files);
  const auto junit = dir.file("junit.xml");
  auto r = test({bot, "--junit", junit});
  CHECK(r.code == 1);
  CHECK(contains(r.out, "ERROR " + bot + ": the bot loads"));
  CHECK(contains(r.out, bot + "/bot.yaml:1:1: bot.yaml needs 'name'"));
  std::ifstream in(junit);
  std::stringstream xml;
  xml << in.rdbuf();
  CHECK(contains(xml.str(), "errors=\"1\""));
}

TEST_CASE("rapport chat: a number answers the current question, not an old question's button") {
  scratch dir;
  const auto bot = dir.bot("opener", opener_bot());
  // "3" clicks the third button of the first question; then "3" is a team size of 3.
  auto r = chat({bot, "--now", "2026-06-01T10:00:00Z"}, "3\n3\n/slots\n");
  CHECK(r.code == 0);
  CHECK(contains(r.out, "[1] Pricing [2] Something isn't working [3] Something else"));
  CHECK(contains(r.out, "  reason = \"other\"\n"));
  CHECK(contains(r.out, "  team_size = 3\n"));
}

TEST_CASE("rapport chat: buttons labelled with numbers are typed by their label") {
  scratch dir;
  const auto bot = dir.bot("opener", opener_bot());
  auto r = chat({bot, "--now", "2026-06-01T10:00:00Z"}, "1\n12\n10\n/slots\n");
  CHECK(contains(r.out, "    [0] [1] [2] [3] [4] [5] [6] [7] [8] [9] [10]\n"));
  CHECK(contains(r.out, "  score = 10\n"));
}

TEST_CASE("rapport chat: the clock starts now, or at --now") {
  scratch dir;
  const auto bot = dir.bot(
      "clock", {{"bot.yaml", "name: clock\ndefault_locale: en\n"},
                {"flows/main.yaml",
                 "slots:\n  reason: {type: text}\n"
                 "flows:\n  welcome:\n    triggers: [start]\n    steps:\n"
                 "      - if: date() == \"2026-06-01\" and time() == \"10:30\"\n"
                 "        then: [{say: at_now}]\n"
                 "      - if: date() == \"2026-01-01\"\n"
                 "        then: [{say: fixed_day}]\n"
                 "      - ask: reason\n"},
                {"messages/en.yaml",
                 "at_now: It is the time you gave.\nfixed_day: It is new year.\n"
                 "ask_reason: What brought you here?\n"}});
  auto given = chat({bot, "--now", "2026-06-01T12:30:00+02:00"}, "");
  CHECK(contains(given.out, "It is the time you gave."));
  auto real = chat({bot}, "");
  CHECK_FALSE(contains(real.out, "It is the time you gave."));
  CHECK_FALSE(contains(real.out, "It is new year."));  // no longer a fixed 2026-01-01 clock
  auto bad = chat({bot, "--now", "tomorrow"}, "");
  CHECK(bad.code == 2);
  CHECK(contains(bad.err, "--now expects a time such as 2026-06-01T10:00:00Z"));
}
