#pragma once
// Small in-memory bots for interpreter tests.
#include <doctest/doctest.h>

#include <string>

#include "rapport/dialogs/loader.hpp"
#include "rapport/dialogs/simulator.hpp"

namespace doctest {
template <>
struct StringMaker<std::vector<std::string>> {
  static String convert(const std::vector<std::string>& v) {
    std::string out = "[";
    for (const auto& s : v) out += (out.size() > 1 ? ", " : "") + s;
    return (out + "]").c_str();
  }
};
template <>
struct StringMaker<rapport::dialogs::value> {
  static String convert(const rapport::dialogs::value& v) {
    return rapport::dialogs::to_literal(v).c_str();
  }
};
}  // namespace doctest

namespace rapport::dialogs::test {

// Loads a bot from files; fails the test with the diagnostics when it has errors.
inline std::shared_ptr<const bot_model> load(const bot_files& files) {
  auto loaded = load_bot(files);
  std::string errors;
  for (const auto& d : loaded.diagnostics)
    if (d.level == severity::error) errors += format_diagnostic(d) + "\n";
  INFO(errors);
  REQUIRE(loaded.model != nullptr);
  return loaded.model;
}

// A bot.yaml with `extra` appended, one flows file and an English messages file.
inline bot_files bot(const std::string& flows, const std::string& messages,
                     const std::string& extra = "") {
  return {{"bot.yaml", "name: test\ndefault_locale: en\n" + extra},
          {"flows/main.yaml", flows},
          {"messages/en.yaml", messages}};
}

inline std::vector<message_out> messages(const std::vector<output>& outputs) {
  std::vector<message_out> out;
  for (const auto& o : outputs)
    if (const auto* m = std::get_if<message_out>(&o)) out.push_back(*m);
  return out;
}

inline std::vector<std::string> keys(const std::vector<output>& outputs) {
  std::vector<std::string> out;
  for (const auto& m : messages(outputs)) out.push_back(m.key);
  return out;
}

template <class T>
std::vector<T> all(const std::vector<output>& outputs) {
  std::vector<T> out;
  for (const auto& o : outputs)
    if (const auto* x = std::get_if<T>(&o)) out.push_back(*x);
  return out;
}

inline value slot(const simulator& sim, const std::string& name) {
  auto it = sim.state().slots.find(name);
  return it == sim.state().slots.end() ? value{null_value{}} : it->second;
}

using strings = std::vector<std::string>;

}  // namespace rapport::dialogs::test
