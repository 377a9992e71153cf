#pragma once
// Loading a bot folder: parse every YAML file, validate, compile flows, train the NLU.
// All problems are reported together, each with file:line:column.
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "rapport/dialogs/diagnostic.hpp"
#include "rapport/dialogs/model.hpp"

namespace rapport::dialogs {

// A bot's files by path relative to the bot folder ("bot.yaml", "flows/welcome.yaml").
using bot_files = std::map<std::string, std::string>;

struct load_result {
  std::shared_ptr<const bot_model> model;  // null when there are errors
  std::vector<diagnostic> diagnostics;      // errors and warnings, in file order
};

// Reads bot.yaml, flows/, intents/, messages/ (tests/ is read by the test runner).
bot_files read_bot_folder(const std::filesystem::path& folder);

load_result load_bot(const bot_files& files);
load_result load_bot(const std::filesystem::path& folder);
// Same, against a given standard library (module name → its files) instead of the embedded one;
// for tests and tools.
load_result load_bot(const bot_files& files, const std::map<std::string, bot_files>& library);

// The standard library modules ("handoff", "opt_out", "csat", "lead_capture", "core"), embedded
// in the binary: module name → its files.
const std::map<std::string, bot_files>& standard_library();

}  // namespace rapport::dialogs
