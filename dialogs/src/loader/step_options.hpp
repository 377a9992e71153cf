#pragma once
// Settings shared by bot.yaml defaults, flows and ask steps: no-input timers and interrupt
// switches.
#include <optional>

#include "loader/load_context.hpp"

namespace rapport::dialogs::loader {

// `no_input`: false, true (the defaults), or a map merged field by field over `base`.
std::optional<no_input_def> parse_no_input(load_context& ctx, const node& n,
                                           const no_input_def& base, const std::string& origin);

// `interrupts: {human: false, ...}`: only the switches written down are set.
interrupt_switches parse_interrupt_switches(load_context& ctx, const node& n,
                                            const std::string& origin, bool bot_level);

}  // namespace rapport::dialogs::loader
