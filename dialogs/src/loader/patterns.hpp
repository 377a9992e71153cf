#pragma once
// Compiling message patterns and expressions held in YAML scalars, with errors pointing at the
// offending character and names checked against the declared slots and the built-ins.
#include <optional>

#include "loader/load_context.hpp"

namespace rapport::dialogs::loader {

// The pattern in scalar `n` for `locale`; `what` names it in errors ("message 'greeting'").
std::optional<message_pattern> compile_pattern(load_context& ctx, const node& n,
                                               const std::string& locale, const std::string& what);

// The expression in scalar `n`, starting at byte `skip` (1 for "=expr" values). `value` may be
// read only inside `validate`.
std::optional<expression> compile_expression(load_context& ctx, const node& n, std::size_t skip,
                                             bool allows_value);

}  // namespace rapport::dialogs::loader
