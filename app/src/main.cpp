// rapport: the command-line entry point. Each sub-command lives in its own file.
#include <cstdio>
#include <exception>
#include <string_view>

#include "commands.hpp"

namespace {

struct command {
  std::string_view name;
  int (*run)(const rapport::app::arguments&);
  std::string_view summary;
};

constexpr command commands[] = {
    {"check", rapport::app::check_command, "validate a bot: rapport check <bot> [--strict] [--format json]"},
    {"chat", rapport::app::chat_command, "talk to a bot in the terminal: rapport chat <bot> [--locale de]"},
    {"test", rapport::app::test_command, "run conversation tests: rapport test <bot>... [--coverage] [--junit FILE]"},
    {"graph", rapport::app::graph_command, "draw a bot's flows: rapport graph <bot> [--format dot|mermaid]"},
    {"nlu", rapport::app::nlu_command, "evaluate or try the classifier: rapport nlu eval|try ..."},
    {"serve", rapport::app::serve_command, "run the server: rapport serve --config config/rapport.yaml"},
    {"agents", rapport::app::agents_command, "manage the people who take handoffs: rapport agents add|list|remove|passwd"},
};

int usage(std::FILE* out) {
  std::fputs("usage: rapport <command> [arguments]\n\ncommands:\n", out);
  for (const auto& c : commands)
    std::fprintf(out, "  %-7.*s %.*s\n", int(c.name.size()), c.name.data(), int(c.summary.size()),
                 c.summary.data());
  return out == stdout ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage(stderr);
  const std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") return usage(stdout);
  if (name == "--version") {
    std::puts("rapport 0.1.0");
    return 0;
  }
  for (const auto& c : commands) {
    if (c.name != name) continue;
    try {
      return c.run(rapport::app::arguments(argv + 2, argv + argc));
    } catch (const std::exception& e) {
      std::fprintf(stderr, "rapport %s: %s\n", argv[1], e.what());
      return 1;
    }
  }
  std::fprintf(stderr, "rapport: unknown command '%s'\n\n", argv[1]);
  return usage(stderr);
}
