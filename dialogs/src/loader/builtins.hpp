#pragma once
// Names the language reserves: variables every expression and message can read.
#include <string>
#include <string_view>
#include <vector>

namespace rapport::dialogs::loader {

// Variables an expression may read besides slots and `context.*`.
const std::vector<std::string>& expression_builtins();
// Entity types the NLU finds without a lookup table; `entity.<type>` in expressions.
const std::vector<std::string>& builtin_entities();
// Arguments a message may use besides slots.
const std::vector<std::string>& message_builtins();
// Names a slot cannot take.
const std::vector<std::string>& reserved_slot_names();
// Built-ins a `set` step may assign.
bool is_settable_builtin(std::string_view name);

// The flow each interrupt runs ("" for restart, which runs the start flow), and the standard
// library module that provides it.
std::string_view interrupt_flow(int interrupt_index);
std::string_view interrupt_module(int interrupt_index);

}  // namespace rapport::dialogs::loader
