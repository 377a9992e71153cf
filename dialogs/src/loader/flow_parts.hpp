#pragma once
// Pieces of a flow, compiled by flows_compiler.cpp: its triggers and its steps.
#include "loader/load_context.hpp"

namespace rapport::dialogs::loader {

// `triggers:` → flow.triggers.
void compile_triggers(load_context& ctx, const node& list, flow_def& flow);

// `steps:` → flow.steps (flattened: nested blocks become branches and jumps) and flow.step_ids.
void compile_steps(load_context& ctx, const node& list, flow_def& flow);

// A `set` value, webhook body or track property: a YAML literal or "=expression".
std::optional<std::variant<value, expression>> compile_assignment_source(load_context& ctx,
                                                                         const node& n);

}  // namespace rapport::dialogs::loader
