#pragma once
// Sub-commands of the `rapport` executable. Each takes the arguments after its name and returns
// the process exit code.
#include <string>
#include <vector>

namespace rapport::app {

using arguments = std::vector<std::string>;

int check_command(const arguments& args);  // rapport check <bot> [--strict] [--format json]
int chat_command(const arguments& args);   // rapport chat <bot> [--locale de] [--channel web]
int graph_command(const arguments& args);  // rapport graph <bot> [--format dot|mermaid]
int test_command(const arguments& args);   // rapport test <bot>... [--junit FILE] [--coverage]
int nlu_command(const arguments& args);    // rapport nlu eval|try ...
int serve_command(const arguments& args);  // rapport serve --config config/rapport.yaml

}  // namespace rapport::app
