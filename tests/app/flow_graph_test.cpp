#include <doctest/doctest.h>

#include "flow_graph.hpp"
#include "rapport/dialogs/loader.hpp"

using namespace rapport;

namespace {

std::shared_ptr<const dialogs::bot_model> graph_bot() {
  auto loaded = dialogs::load_bot(dialogs::bot_files{
      {"bot.yaml", "name: g\ndefault_locale: en\n"},
      {"flows/main.yaml", R"(
slots:
  size: {type: number}
flows:
  welcome:
    triggers: [start]
    steps:
      - ask: size
      - if: size > 10
        then:
          - handoff: sales
            fallback:
              - end: lead
        else:
          - say: thanks
)"},
      {"messages/en.yaml", "ask_size: How many?\nthanks: Thanks!\n"}});
  REQUIRE(loaded.model);
  return loaded.model;
}

}  // namespace

TEST_CASE("mermaid graphs show steps, branches, handoffs and ends distinctly") {
  const std::string g = app::flow_graph(*graph_bot(), app::graph_format::mermaid);
  CHECK(g.starts_with("flowchart TD\n"));
  CHECK(g.find("subgraph welcome") != std::string::npos);
  CHECK(g.find("welcome_0([\"ask size\"])") != std::string::npos);      // a question
  CHECK(g.find("{\"if size > 10\"}") != std::string::npos);              // a decision
  CHECK(g.find("{{\"handoff sales\"}}") != std::string::npos);           // a handoff
  CHECK(g.find("(((\"end lead\")))") != std::string::npos);             // an end: double circle
  CHECK(g.find("welcome_done((\"welcome returns\"))") != std::string::npos);  // leaving a flow
  CHECK(g.find("|\"nobody available\"|") != std::string::npos);
  CHECK(g.find("interrupt: human") != std::string::npos);
  CHECK(g.find("conversation starts") != std::string::npos);
}

TEST_CASE("dot graphs cluster each flow and draw jumps between flows dashed") {
  const std::string g = app::flow_graph(*graph_bot(), app::graph_format::dot);
  CHECK(g.starts_with("digraph \"g\" {"));
  CHECK(g.find("subgraph \"cluster_welcome\"") != std::string::npos);
  CHECK(g.find("shape=hexagon") != std::string::npos);
  // An end closes the conversation; a flow that returns only goes back to its caller.
  CHECK(g.find("\"end lead\", shape=doublecircle") != std::string::npos);
  CHECK(g.find("\"welcome returns\", shape=circle, style=dashed") != std::string::npos);
  CHECK(g.find("label=\"no\"") != std::string::npos);
  // The human interrupt's flow calls lead_capture from its fallback: a dashed edge.
  CHECK(g.find("style=dashed") != std::string::npos);
  CHECK(g.back() == '\n');
}
