#pragma once
// A scripted conversation: what the visitor sends at each step and the key of the bot message
// that ends the step. The first step is always `start` (the visitor opens the widget).
//
// File format, one step a line ('#' starts a comment):
//   start -> ask_visit_reason
//   click exploring Exploring analytics tools -> ask_current_tool
//   say how do I see where people drop off? -> ask_wants_demo
#include <optional>
#include <string>
#include <vector>

namespace rapport::bench {

struct script_step {
  enum class kind { start, click, say } what = kind::say;
  std::string payload;  // click
  std::string text;     // click: the button label; say: what the visitor writes
  std::string expect;   // key of the bot message that answers this step
};

struct script {
  std::vector<script_step> steps;
};

// The built-in script: a visitor exploring tools, through cx-opener's discovery flow.
script default_script();
// nullopt with `error` set ("file:line: why") on a malformed file.
std::optional<script> parse_script(const std::string& text, const std::string& file, std::string& error);
std::optional<script> load_script(const std::string& file, std::string& error);

}  // namespace rapport::bench
