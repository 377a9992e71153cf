#pragma once
// Draws a bot's flows as a graph: steps, branches, gotos and calls, triggers and interrupts, with
// handoffs and ends drawn distinctly. Pure: model in, text out.
#include <string>

#include "rapport/dialogs/model.hpp"

namespace rapport::app {

enum class graph_format { dot, mermaid };

std::string flow_graph(const dialogs::bot_model& bot, graph_format format);

}  // namespace rapport::app
