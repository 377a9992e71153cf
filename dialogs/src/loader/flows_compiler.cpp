// Flows files: `flows:` (and `slots:`, read by slots.cpp). A bot's flow replaces a module's flow
// of the same name. Flows are kept in declaration order: the bot's files in path order, then the
// modules'.
#include "loader/declarations.hpp"
#include "loader/flow_parts.hpp"
#include "loader/shape.hpp"
#include "loader/step_options.hpp"

namespace rapport::dialogs::loader {

namespace {

struct flow_source {
  std::string name;
  const node* key = nullptr;
  const node* value = nullptr;
  std::string origin;
};

flow_def compile_flow(load_context& ctx, const flow_source& src) {
  flow_def f;
  f.name = src.name;
  f.origin = src.origin;
  f.pos = src.key->pos;
  const node& v = *src.value;
  if (!expect_map(ctx.diags, v, "a flow: a map with 'steps' (and 'triggers', ...)", false))
    return f;
  check_keys(ctx.diags, v, {"description", "triggers", "interrupts", "steps"}, "a flow");
  if (const node* d = v.find("description")) {
    if (auto text = expect_text(ctx.diags, *d, "text")) f.description = *text;
  }
  if (const node* t = v.find("triggers")) compile_triggers(ctx, *t, f);
  if (const node* i = v.find("interrupts"))
    f.interrupts = parse_interrupt_switches(ctx, *i, f.origin, false);
  if (const node* steps = required(ctx.diags, v, "steps", "flow '" + f.name + "'"))
    compile_steps(ctx, *steps, f);
  return f;
}

}  // namespace

void compile_flows(load_context& ctx) {
  std::vector<flow_source> sources;
  for (const auto& f : ctx.files) {
    if (f.kind != file_kind::flows) continue;
    const node& root = *f.root;
    if (!expect_map(ctx.diags, root, "a map with 'flows' (and 'slots')")) continue;
    check_keys(ctx.diags, root, {"flows", "slots"}, "a flows file");
    const node* flows = root.find("flows");
    if (!flows || !expect_map(ctx.diags, *flows, "a map of flows by name")) continue;
    for (const auto& [key, value] : flows->entries) {
      if (auto name = expect_name(ctx.diags, *key, "flow name"))
        sources.push_back({*name, key.get(), value.get(), f.origin});
    }
  }
  // Decide which declaration of each name wins: modules' first, so the bot's replace them.
  std::map<std::string, std::size_t> winner;
  for (bool modules : {true, false}) {
    for (std::size_t i = 0; i < sources.size(); ++i) {
      const auto& s = sources[i];
      if (s.origin.empty() == modules) continue;
      auto existing = winner.find(s.name);
      const source_pos* existing_pos =
          existing != winner.end() ? &sources[existing->second].key->pos : nullptr;
      if (claim_name(ctx, ctx.flow_origin, "flow", s.name, s.key->pos, s.origin, existing_pos))
        winner[s.name] = i;
    }
  }
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const auto& s = sources[i];
    if (winner[s.name] != i) continue;
    ctx.model.flow_order.push_back(s.name);
    ctx.model.flows.emplace(s.name, compile_flow(ctx, s));
  }
}

}  // namespace rapport::dialogs::loader
