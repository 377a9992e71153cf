#pragma once
// Sub-commands of the `rapport` executable. Each takes the arguments after its name and returns
// the process exit code. Some also take where to write, so tests can run them in-process.
#include <cstdio>
#include <iosfwd>
#include <string>
#include <vector>

namespace rapport::app {

using arguments = std::vector<std::string>;

int check_command(const arguments& args);  // rapport check <bot> [--strict] [--format json]
int check_command(const arguments& args, std::FILE* out, std::FILE* err);
int chat_command(const arguments& args);   // rapport chat <bot> [--locale de] [--now TIME]
int chat_command(const arguments& args, std::istream& in, std::FILE* out, std::FILE* err);
int graph_command(const arguments& args);  // rapport graph <bot> [--format dot|mermaid]
int test_command(const arguments& args);   // rapport test <bot>... [--junit FILE] [--coverage]
int test_command(const arguments& args, std::FILE* out, std::FILE* err);
int nlu_command(const arguments& args);    // rapport nlu eval|try ...
int serve_command(const arguments& args);  // rapport serve --config config/rapport.yaml
int agents_command(const arguments& args);  // rapport agents add|list|remove|passwd ...
int agents_command(const arguments& args, std::istream& in, std::FILE* out, std::FILE* err);

}  // namespace rapport::app
