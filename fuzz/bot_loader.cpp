// Fuzz target: loading a bot from its YAML files (rapport/dialogs/loader.hpp): YAML parsing,
// validation, flow compilation, messages, intents and NLU training. The input is one or more
// files, each starting with a line `==> path <==` (as `head` prints several files); text before
// the first such line is bot.yaml. Any files load or give diagnostics with positions inside them.
#include "fuzz_input.hpp"
#include "rapport/dialogs/loader.hpp"

using namespace rapport;

namespace {

dialogs::bot_files split_files(std::string_view text) {
  dialogs::bot_files files;
  std::string path = "bot.yaml";
  while (!text.empty()) {
    const auto eol = text.find('\n');
    const auto line = text.substr(0, eol == std::string_view::npos ? text.size() : eol + 1);
    text.remove_prefix(line.size());
    auto bare = line;
    if (bare.ends_with('\n')) bare.remove_suffix(1);
    if (bare.size() >= 8 && bare.starts_with("==> ") && bare.ends_with(" <==")) {
      path = std::string(bare.substr(4, bare.size() - 8));
      files[path];
    } else {
      files[path] += line;
    }
  }
  return files;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto files = split_files(fuzz::as_text(data, size));
  const auto result = dialogs::load_bot(files);
  fuzz::expect(result.model != nullptr || dialogs::has_errors(result.diagnostics),
               "a bot that does not load says why");
  for (const auto& d : result.diagnostics) {
    fuzz::expect(d.pos.line >= 0 && d.pos.column >= 0, "positions are not negative");
    fuzz::expect(!d.message.empty(), "a diagnostic has a message");
    // load_bot turns an exception into this diagnostic; bad input must never throw.
    fuzz::expect(d.code != "internal-error", d.message.c_str());
    dialogs::format_diagnostic(d);
  }
  dialogs::diagnostics_to_json(result.diagnostics);
  return 0;
}
