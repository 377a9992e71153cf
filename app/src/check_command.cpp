// rapport check <bot>... [--strict] [--format text|json]
#include <cstdio>
#include <filesystem>

#include "cli_args.hpp"
#include "commands.hpp"
#include "rapport/dialogs/loader.hpp"

namespace rapport::app {

namespace {

// Paths in diagnostics are relative to the bot folder ("." is the folder itself); show them
// relative to where the author runs the command so terminals and editors can jump to them.
dialogs::diagnostic located(dialogs::diagnostic d, const std::filesystem::path& folder) {
  if (d.pos.file == ".")
    d.pos.file = folder.string();
  else if (!d.pos.file.empty() && !d.pos.file.starts_with("<"))
    d.pos.file = (folder / d.pos.file).lexically_normal().string();
  return d;
}

}  // namespace

int check_command(const arguments& args, std::FILE* out, std::FILE* err) {
  cli_args cli(args, {"format"}, {"strict"});
  const std::string format = cli.get("format", "text");
  if (cli.positional().empty() || (format != "text" && format != "json")) {
    std::fputs("usage: rapport check <bot-folder>... [--strict] [--format text|json]\n", err);
    return 2;
  }
  int errors = 0, warnings = 0;
  std::vector<dialogs::diagnostic> all;
  for (const auto& folder : cli.positional()) {
    auto loaded = dialogs::load_bot(std::filesystem::path(folder));
    int bot_errors = 0, bot_warnings = 0;
    for (auto& d : loaded.diagnostics) {
      (d.level == dialogs::severity::error ? bot_errors : bot_warnings)++;
      all.push_back(located(std::move(d), folder));
      if (format == "text") std::fprintf(out, "%s\n", dialogs::format_diagnostic(all.back()).c_str());
    }
    if (format == "text") {
      std::string name = loaded.model ? loaded.model->name : folder;
      std::fprintf(out, "%s: %d error%s, %d warning%s%s\n", name.c_str(), bot_errors,
                   bot_errors == 1 ? "" : "s", bot_warnings, bot_warnings == 1 ? "" : "s",
                   loaded.model ? (" (version " + loaded.model->version + ")").c_str() : "");
    }
    errors += bot_errors;
    warnings += bot_warnings;
  }
  if (format == "json") std::fprintf(out, "%s\n", dialogs::diagnostics_to_json(all).c_str());
  if (errors > 0) return 1;
  return cli.has("strict") && warnings > 0 ? 1 : 0;
}

int check_command(const arguments& args) { return check_command(args, stdout, stderr); }

}  // namespace rapport::app
