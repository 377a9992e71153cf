// rapport graph <bot> [--format dot|mermaid]
#include <cstdio>
#include <filesystem>

#include "cli_args.hpp"
#include "commands.hpp"
#include "flow_graph.hpp"
#include "rapport/dialogs/loader.hpp"

namespace rapport::app {

int graph_command(const arguments& args) {
  cli_args cli(args, {"format"}, {});
  const std::string format = cli.get("format", "mermaid");
  if (cli.positional().size() != 1 || (format != "dot" && format != "mermaid")) {
    std::fputs("usage: rapport graph <bot-folder> [--format dot|mermaid]\n", stderr);
    return 2;
  }
  auto loaded = dialogs::load_bot(std::filesystem::path(cli.positional()[0]));
  for (const auto& d : loaded.diagnostics)
    if (d.level == dialogs::severity::error)
      std::fprintf(stderr, "%s\n", dialogs::format_diagnostic(d).c_str());
  if (!loaded.model) return 1;
  std::fputs(flow_graph(*loaded.model, format == "dot" ? graph_format::dot : graph_format::mermaid)
                 .c_str(),
             stdout);
  return 0;
}

}  // namespace rapport::app
