#include "script.hpp"

#include <fstream>
#include <sstream>

namespace rapport::bench {
namespace {

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

const char* builtin =
    "start -> ask_visit_reason\n"
    "click exploring Exploring analytics tools -> ask_current_tool\n"
    "click other_tool Another analytics tool -> ask_key_question\n"
    "say which onboarding steps do new users skip? -> ask_wants_demo\n"
    "say no thanks, not right now -> open_door\n";

}  // namespace

script default_script() {
  std::string error;
  return *parse_script(builtin, "built-in", error);
}

std::optional<script> parse_script(const std::string& text, const std::string& file, std::string& error) {
  script s;
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    line = trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    auto fail = [&](const std::string& why) {
      error = file + ":" + std::to_string(n) + ": " + why;
      return std::nullopt;
    };
    const auto arrow = line.rfind("->");
    if (arrow == std::string::npos) return fail("expected `... -> reply_key`");
    script_step step;
    step.expect = trim(line.substr(arrow + 2));
    std::string what = trim(line.substr(0, arrow));
    const auto space = what.find(' ');
    const std::string verb = what.substr(0, space);
    std::string rest = space == std::string::npos ? "" : trim(what.substr(space));
    if (step.expect.empty()) return fail("missing the reply key after `->`");
    if (verb == "start") {
      if (!s.steps.empty()) return fail("`start` can only be the first step");
      step.what = script_step::kind::start;
    } else if (verb == "click") {
      const auto sp = rest.find(' ');
      step.what = script_step::kind::click;
      step.payload = rest.substr(0, sp);
      step.text = sp == std::string::npos ? step.payload : trim(rest.substr(sp));
      if (step.payload.empty()) return fail("`click` needs a payload");
    } else if (verb == "say") {
      step.what = script_step::kind::say;
      step.text = rest;
      if (rest.empty()) return fail("`say` needs a text");
    } else {
      return fail("a step is `start`, `click PAYLOAD [LABEL]` or `say TEXT`, not `" + verb + "`");
    }
    if (s.steps.empty() && step.what != script_step::kind::start) {
      return fail("the first step must be `start -> OPENER_KEY`");
    }
    s.steps.push_back(std::move(step));
  }
  if (s.steps.size() < 2) {
    error = file + ": a script needs `start` and at least one more step";
    return std::nullopt;
  }
  return s;
}

std::optional<script> load_script(const std::string& file, std::string& error) {
  std::ifstream in(file);
  if (!in) {
    error = file + ": cannot read";
    return std::nullopt;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_script(ss.str(), file, error);
}

}  // namespace rapport::bench
