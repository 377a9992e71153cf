// rapport test <bot>... [--coverage] [--junit FILE]
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cli_args.hpp"
#include "commands.hpp"
#include "rapport/dialogs/conversation_tests.hpp"

namespace rapport::app {

int test_command(const arguments& args) {
  cli_args cli(args, {"junit"}, {"coverage"});
  if (cli.positional().empty()) {
    std::fputs("usage: rapport test <bot-folder>... [--coverage] [--junit FILE]\n", stderr);
    return 2;
  }
  std::vector<dialogs::test_suite_result> suites;
  bool broken = false;
  for (const auto& folder : cli.positional()) {
    auto loaded = dialogs::load_bot(std::filesystem::path(folder));
    if (!loaded.model) {
      for (const auto& d : loaded.diagnostics)
        if (d.level == dialogs::severity::error)
          std::fprintf(stderr, "%s/%s\n", folder.c_str(), dialogs::format_diagnostic(d).c_str());
      broken = true;
      continue;
    }
    dialogs::bot_files files;  // keyed by path from here, so failures point at the files
    for (auto& [path, text] : dialogs::read_test_files(folder))
      files[(std::filesystem::path(folder) / path).lexically_normal().string()] = std::move(text);
    if (files.empty()) std::fprintf(stderr, "%s: no tests in %s/tests\n", folder.c_str(), folder.c_str());
    auto suite = dialogs::run_conversation_tests(loaded.model, files);
    for (auto* list : {&suite.uncovered_steps, &suite.uncovered_messages})
      for (auto& u : *list)
        u.pos.file = (std::filesystem::path(folder) / u.pos.file).lexically_normal().string();
    suites.push_back(std::move(suite));
  }
  std::fputs(dialogs::format_test_report(suites, cli.has("coverage")).c_str(), stdout);
  if (cli.has("junit")) {
    std::ofstream junit(cli.get("junit"));
    junit << dialogs::junit_xml(suites);
  }
  bool failed = broken;
  for (const auto& s : suites)
    failed = failed || s.failed() > 0 || dialogs::has_errors(s.diagnostics);
  return failed ? 1 : 0;
}

}  // namespace rapport::app
