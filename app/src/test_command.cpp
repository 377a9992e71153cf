// rapport test <bot>... [--coverage] [--junit FILE]
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cli_args.hpp"
#include "commands.hpp"
#include "rapport/dialogs/conversation_tests.hpp"

namespace rapport::app {

int test_command(const arguments& args, std::FILE* out, std::FILE* err) {
  cli_args cli(args, {"junit"}, {"coverage"});
  if (cli.positional().empty()) {
    std::fputs("usage: rapport test <bot-folder>... [--coverage] [--junit FILE]\n", err);
    return 2;
  }
  std::vector<dialogs::test_suite_result> suites;
  for (const auto& folder : cli.positional()) {
    const std::filesystem::path root(folder);
    auto in_folder = [&](const std::string& path) {
      return (root / path).lexically_normal().string();
    };
    auto loaded = dialogs::load_bot(root);
    if (!loaded.model) {  // reported as one errored test, so JUnit shows it too
      for (auto& d : loaded.diagnostics)
        d.pos.file = d.pos.file == "." ? folder : in_folder(d.pos.file);
      suites.push_back(dialogs::unloadable_bot_suite(folder, loaded.diagnostics));
      continue;
    }
    dialogs::bot_files files;  // keyed by path from here, so failures point at the files
    for (auto& [path, text] : dialogs::read_test_files(root)) files[in_folder(path)] = std::move(text);
    if (files.empty()) std::fprintf(err, "%s: no tests in %s/tests\n", folder.c_str(), folder.c_str());
    auto suite = dialogs::run_conversation_tests(loaded.model, files);
    for (auto* list : {&suite.uncovered_steps, &suite.uncovered_messages})
      for (auto& u : *list) u.pos.file = in_folder(u.pos.file);
    suites.push_back(std::move(suite));
  }
  std::fputs(dialogs::format_test_report(suites, cli.has("coverage")).c_str(), out);
  if (cli.has("junit")) {
    std::ofstream junit(cli.get("junit"));
    junit << dialogs::junit_xml(suites);
    if (!junit) {
      std::fprintf(err, "rapport test: cannot write %s\n", cli.get("junit").c_str());
      return 1;
    }
  }
  bool failed = false;
  for (const auto& s : suites) failed = failed || s.passed() != int(s.cases.size());
  return failed ? 1 : 0;
}

int test_command(const arguments& args) { return test_command(args, stdout, stderr); }

}  // namespace rapport::app
