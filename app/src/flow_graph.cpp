#include "flow_graph.hpp"

#include <sstream>
#include <vector>

namespace rapport::app {

namespace {

using namespace rapport::dialogs;

// `end` closes the conversation; `returns` only leaves the flow (back to its caller).
enum class shape { step, question, decision, handoff, end, returns, jump, trigger, interrupt };

struct node {
  std::string id;
  std::string label;
  shape kind;
};

struct edge {
  std::string from, to, label;
  bool dashed = false;
};

struct graph {
  std::vector<std::pair<std::string, std::vector<node>>> clusters;  // per flow
  std::vector<node> loose;                                           // triggers, interrupts
  std::vector<edge> edges;
};

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};

std::string node_id(const std::string& flow, int pc) { return flow + "_" + std::to_string(pc); }
std::string done_id(const std::string& flow) { return flow + "_done"; }

// The node control reaches from `pc`, skipping compiler-inserted jumps.
std::string target(const flow_def& flow, int pc) {
  for (int guard = 0; guard < 1000; ++guard) {
    if (pc < 0 || pc >= int(flow.steps.size())) return done_id(flow.name);
    const auto* j = std::get_if<jump_step>(&flow.steps[pc].body);
    if (j == nullptr) return node_id(flow.name, pc);
    pc = j->target;
  }
  return done_id(flow.name);
}

std::string flow_entry(const bot_model& bot, const std::string& name, const std::string& step_id) {
  const flow_def* f = bot.find_flow(name);
  if (f == nullptr) return done_id(name);
  int pc = 0;
  if (auto it = f->step_ids.find(step_id); it != f->step_ids.end()) pc = it->second;
  return target(*f, pc);
}

void add_flow(const bot_model& bot, const flow_def& flow, graph& g) {
  std::vector<node> nodes;
  for (int pc = 0; pc < int(flow.steps.size()); ++pc) {
    const step& s = flow.steps[pc];
    const std::string id = node_id(flow.name, pc);
    auto next = [&] { return target(flow, pc + 1); };
    std::visit(
        overloaded{
            [&](const say_step&) {
              nodes.push_back({id, describe(s), shape::step});
              g.edges.push_back({id, next(), ""});
            },
            [&](const ask_step& x) {
              nodes.push_back({id, describe(s), shape::question});
              g.edges.push_back({id, next(), "answered"});
              if (x.fail_pc) g.edges.push_back({id, target(flow, *x.fail_pc), "retries run out"});
            },
            [&](const branch_step& x) {
              nodes.push_back({id, describe(s), shape::decision});
              g.edges.push_back({id, next(), "yes"});
              g.edges.push_back({id, target(flow, x.else_pc), "no"});
            },
            [&](const jump_step&) {},
            [&](const goto_step& x) {
              nodes.push_back({id, describe(s), shape::jump});
              g.edges.push_back({id, flow_entry(bot, x.flow, x.step_id), "", true});
            },
            [&](const call_step& x) {
              nodes.push_back({id, describe(s), shape::jump});
              g.edges.push_back({id, flow_entry(bot, x.flow, ""), "call", true});
              g.edges.push_back({id, next(), "returns"});
            },
            [&](const set_step&) {
              nodes.push_back({id, describe(s), shape::step});
              g.edges.push_back({id, next(), ""});
            },
            [&](const handoff_step& x) {
              nodes.push_back({id, "handoff " + (x.team.empty() ? bot.default_team : x.team),
                               shape::handoff});
              g.edges.push_back({id, next(), "back to bot"});
              if (x.fallback_pc)
                g.edges.push_back({id, target(flow, *x.fallback_pc), "nobody available"});
            },
            [&](const webhook_step& x) {
              nodes.push_back({id, describe(s), shape::step});
              g.edges.push_back({id, next(), "ok"});
              if (x.error_pc) g.edges.push_back({id, target(flow, *x.error_pc), "error"});
            },
            [&](const track_step&) {
              nodes.push_back({id, describe(s), shape::step});
              g.edges.push_back({id, next(), ""});
            },
            [&](const end_step&) {
              nodes.push_back({id, describe(s), shape::end});
            },
            [&](const return_step&) {
              nodes.push_back({id, describe(s), shape::step});
              g.edges.push_back({id, done_id(flow.name), ""});
            },
        },
        s.body);
  }
  nodes.push_back({done_id(flow.name), flow.name + " returns", shape::returns});
  g.clusters.emplace_back(flow.name, std::move(nodes));

  for (std::size_t i = 0; i < flow.triggers.size(); ++i) {
    const trigger_def& t = flow.triggers[i];
    std::string label;
    switch (t.kind) {
      case trigger_kind::start: label = "conversation starts"; break;
      case trigger_kind::intent: label = "intent " + t.name; break;
      case trigger_kind::event: label = "event " + t.name; break;
      case trigger_kind::keyword:
        label = "keyword";
        for (const auto& k : t.keywords) label += " '" + k + "'";
        break;
    }
    if (t.condition) label += " if " + t.condition->text();
    const std::string id = flow.name + "_trigger_" + std::to_string(i);
    g.loose.push_back({id, label, shape::trigger});
    g.edges.push_back({id, target(flow, 0), ""});
  }
}

std::string escape(const std::string& s, graph_format format) {
  std::string out;
  for (char c : s) {
    if (c == '"') out += format == graph_format::dot ? "\\\"" : "#quot;";
    else if (c == '\\' && format == graph_format::dot) out += "\\\\";
    else out += c;
  }
  return out;
}

const char* dot_shape(shape s) {
  switch (s) {
    case shape::step: return "shape=box";
    case shape::question: return "shape=box, style=\"rounded,bold\"";
    case shape::decision: return "shape=diamond";
    case shape::handoff: return "shape=hexagon, style=filled, fillcolor=\"#ffd88a\"";
    case shape::end: return "shape=doublecircle, style=filled, fillcolor=\"#555555\", fontcolor=white";
    case shape::returns: return "shape=circle, style=dashed";
    case shape::jump: return "shape=cds";
    case shape::trigger: return "shape=ellipse, style=filled, fillcolor=\"#cfe8ff\"";
    case shape::interrupt: return "shape=octagon, style=filled, fillcolor=\"#ffc9c9\"";
  }
  return "shape=box";
}

std::string mermaid_node(const node& n) {
  const std::string l = "\"" + escape(n.label, graph_format::mermaid) + "\"";
  switch (n.kind) {
    case shape::question: return n.id + "([" + l + "])";
    case shape::decision: return n.id + "{" + l + "}";
    case shape::handoff: return n.id + "{{" + l + "}}";
    case shape::end: return n.id + "(((" + l + ")))";
    case shape::returns: return n.id + "((" + l + "))";
    case shape::jump: return n.id + ">" + l + "]";
    case shape::trigger: return n.id + "([" + l + "])";
    case shape::interrupt: return n.id + "[/" + l + "/]";
    case shape::step: break;
  }
  return n.id + "[" + l + "]";
}

}  // namespace

std::string flow_graph(const bot_model& bot, graph_format format) {
  graph g;
  for (const auto& name : bot.flow_order) add_flow(bot, bot.flows.find(name)->second, g);
  for (interrupt_kind k : all_interrupts) {
    if (!bot.interrupts[k].value_or(true)) continue;
    const std::string id = std::string("interrupt_") + to_string(k);
    g.loose.push_back({id, std::string("interrupt: ") + to_string(k), shape::interrupt});
    if (k != interrupt_kind::restart) g.edges.push_back({id, flow_entry(bot, to_string(k), ""), ""});
  }

  std::ostringstream out;
  if (format == graph_format::dot) {
    out << "digraph \"" << escape(bot.name, format) << "\" {\n  rankdir=TB;\n"
        << "  node [fontname=\"Helvetica\"]; edge [fontname=\"Helvetica\", fontsize=10];\n";
    for (const auto& [flow, nodes] : g.clusters) {
      out << "  subgraph \"cluster_" << flow << "\" {\n    label=\"" << escape(flow, format)
          << "\";\n";
      for (const auto& n : nodes)
        out << "    \"" << n.id << "\" [label=\"" << escape(n.label, format) << "\", "
            << dot_shape(n.kind) << "];\n";
      out << "  }\n";
    }
    for (const auto& n : g.loose)
      out << "  \"" << n.id << "\" [label=\"" << escape(n.label, format) << "\", "
          << dot_shape(n.kind) << "];\n";
    for (const auto& e : g.edges) {
      out << "  \"" << e.from << "\" -> \"" << e.to << "\"";
      std::string attributes;
      if (!e.label.empty()) attributes = "label=\"" + escape(e.label, format) + "\"";
      if (e.dashed) attributes += std::string(attributes.empty() ? "" : ", ") + "style=dashed";
      if (!attributes.empty()) out << " [" << attributes << "]";
      out << ";\n";
    }
    out << "}\n";
  } else {
    out << "flowchart TD\n";
    for (const auto& [flow, nodes] : g.clusters) {
      out << "  subgraph " << flow << "\n";
      for (const auto& n : nodes) out << "    " << mermaid_node(n) << "\n";
      out << "  end\n";
    }
    for (const auto& n : g.loose) out << "  " << mermaid_node(n) << "\n";
    for (const auto& e : g.edges) {
      const std::string arrow = e.dashed ? "-.->" : "-->";
      out << "  " << e.from << " " << arrow;
      if (!e.label.empty()) out << "|\"" << escape(e.label, format) << "\"|";
      out << " " << e.to << "\n";
    }
  }
  return out.str();
}

}  // namespace rapport::app
