#pragma once
// Helpers for the loader tests: a small standard library under the tests' control (so positions
// and texts do not depend on the shipped one), a minimal bot, and diagnostic lookups.
#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "rapport/dialogs/loader.hpp"

namespace loader_test {

using namespace rapport::dialogs;

inline const std::map<std::string, bot_files>& test_library() {
  static const std::map<std::string, bot_files> lib{
      {"core",
       {{"module.yaml", "description: always loaded\n"},
        {"flows.yaml",
         "flows:\n"
         "  help:\n"
         "    steps:\n"
         "      - say: rapport.help\n"
         "  fallback:\n"
         "    steps:\n"
         "      - say: rapport.fallback\n"},
        {"intents.yaml",
         "intents:\n"
         "  human:\n"
         "    en: [talk to a person, can I speak to a human]\n"
         "    de: [mit einem Menschen sprechen]\n"
         "  stop:\n"
         "    en: [stop, unsubscribe]\n"
         "  restart:\n"
         "    en: [start over]\n"
         "  help:\n"
         "    en: [help, what can you do]\n"},
        {"messages/en.yaml",
         "rapport.help: I can answer questions about our product. What would you like to know?\n"
         "rapport.fallback: Sorry, I did not get that. Could you say it differently?\n"
         "rapport.nudge: Still there?\n"
         "rapport.no_input_close: I will close this chat for now.\n"},
        {"messages/de.yaml",
         "rapport.help: Ich beantworte Fragen zu unserem Produkt. Was möchten Sie wissen?\n"
         "rapport.fallback: Das habe ich nicht verstanden. Können Sie es anders sagen?\n"
         "rapport.nudge: Noch da?\n"
         "rapport.no_input_close: Ich schließe den Chat jetzt.\n"}}},
      {"handoff",
       {{"module.yaml", "description: talk to a human\nrequires: [lead_capture]\n"},
        {"flows.yaml",
         "flows:\n"
         "  human:\n"
         "    steps:\n"
         "      - say: handoff_connecting\n"
         "      - handoff:\n"
         "        fallback:\n"
         "          - call: lead_capture\n"},
        {"messages/en.yaml", "handoff_connecting: Let me find a colleague for you.\n"}}},
      {"lead_capture",
       {{"flows.yaml",
         "slots:\n"
         "  lead_email: {type: email}\n"
         "flows:\n"
         "  lead_capture:\n"
         "    steps:\n"
         "      - ask: lead_email\n"
         "      - say: lead_thanks\n"},
        {"messages/en.yaml",
         "ask_lead_email: What is your e-mail address?\n"
         "lead_thanks: Thanks, we will be in touch.\n"}}},
      {"opt_out",
       {{"flows.yaml",
         "flows:\n"
         "  stop:\n"
         "    steps:\n"
         "      - say: opt_out_confirm\n"},
        {"messages/en.yaml", "opt_out_confirm: Done, you will not hear from us again.\n"}}},
      {"csat",
       {{"flows.yaml",
         "slots:\n"
         "  csat_score: {type: rating}\n"
         "flows:\n"
         "  csat:\n"
         "    steps:\n"
         "      - ask: csat_score\n"},
        {"messages/en.yaml", "ask_csat_score: How would you rate this chat?\n"}}},
  };
  return lib;
}

inline constexpr std::string_view minimal_bot_yaml = "name: test-bot\ndefault_locale: en\n";

// A bot that loads without diagnostics: one start flow asking one question.
inline bot_files minimal_bot() {
  return {{"bot.yaml", std::string(minimal_bot_yaml)},
          {"flows/main.yaml",
           "slots:\n"
           "  reason: {type: text}\n"
           "flows:\n"
           "  welcome:\n"
           "    triggers: [start]\n"
           "    steps:\n"
           "      - ask: reason\n"},
          {"messages/en.yaml", "ask_reason: What brought you here today?\n"}};
}

// minimal_bot() with files replaced or added.
inline bot_files bot_with(std::initializer_list<std::pair<const std::string, std::string>> files) {
  bot_files out = minimal_bot();
  for (const auto& [path, contents] : files) out[path] = contents;
  return out;
}

inline load_result load(const bot_files& files) {
  return load_bot(files, test_library());
}

inline std::string dump(const load_result& r) {
  std::string out;
  for (const auto& d : r.diagnostics) out += format_diagnostic(d) + "\n";
  return out.empty() ? "(no diagnostics)" : out;
}

inline std::vector<diagnostic> with_code(const load_result& r, std::string_view code) {
  std::vector<diagnostic> out;
  for (const auto& d : r.diagnostics) {
    if (d.code == code) out.push_back(d);
  }
  return out;
}

inline std::size_t count_errors(const load_result& r) {
  std::size_t n = 0;
  for (const auto& d : r.diagnostics) n += d.level == severity::error;
  return n;
}

// The only diagnostic with `code`; fails the test when there is not exactly one.
inline diagnostic only(const load_result& r, std::string_view code) {
  auto ds = with_code(r, code);
  INFO(dump(r));
  REQUIRE(ds.size() == 1);
  return ds.front();
}

inline std::string where(const diagnostic& d) {
  return d.pos.file + ":" + std::to_string(d.pos.line) + ":" + std::to_string(d.pos.column);
}

inline bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

}  // namespace loader_test
