#include "loader/step_options.hpp"

#include "loader/builtins.hpp"
#include "loader/shape.hpp"

namespace rapport::dialogs::loader {

std::optional<no_input_def> parse_no_input(load_context& ctx, const node& n,
                                           const no_input_def& base, const std::string& origin) {
  if (auto b = plain_bool(n)) {
    if (!*b) return no_input_def{};
    if (!base.enabled) {
      ctx.diags.error(n.pos, "missing-key",
                      "no_input: true uses bot.yaml defaults.no_input, which is not set",
                      "write the timers here: no_input: {nudge_after: 2m, close_after: 10m}");
      return std::nullopt;
    }
    return base;
  }
  if (!n.is_map()) {
    wrong_type(ctx.diags, n, "a map of no_input settings (nudge_after, close_after, ...) or false");
    return std::nullopt;
  }
  check_keys(ctx.diags, n, {"nudge_after", "nudge", "close_after", "close"}, "no_input");
  no_input_def out = base;
  out.enabled = true;
  bool ok = true;
  if (const node* v = n.find("nudge_after")) {
    if (auto d = expect_duration(ctx.diags, *v))
      out.nudge_after = *d;
    else
      ok = false;
  }
  if (const node* v = n.find("close_after")) {
    if (auto d = expect_duration(ctx.diags, *v))
      out.close_after = *d;
    else
      ok = false;
  }
  auto message = [&](const char* key, std::string& field) {
    if (const node* v = n.find(key)) {
      if (auto k = expect_message_key(ctx.diags, *v)) {
        field = *k;
        ctx.refer(ref_kind::message, field, v->pos, origin);
      } else {
        ok = false;
      }
    } else {
      ctx.refer(ref_kind::message, field, n.pos, origin,
                std::string("the default ") + key + " message of no_input");
    }
  };
  message("nudge", out.nudge);
  message("close", out.close);
  if (!ok) return std::nullopt;
  if (out.nudge_after.count() <= 0 || out.close_after.count() <= 0) {
    ctx.diags.error(n.pos, "missing-key",
                    "no_input needs 'nudge_after' and 'close_after' (here or in bot.yaml "
                    "defaults.no_input)");
    return std::nullopt;
  }
  return out;
}

interrupt_switches parse_interrupt_switches(load_context& ctx, const node& n,
                                            const std::string& origin, bool bot_level) {
  interrupt_switches out;
  if (!expect_map(ctx.diags, n, "a map of interrupt switches, e.g. {help: false}")) return out;
  check_keys(ctx.diags, n, {"human", "stop", "restart", "help"}, "interrupts");
  for (int i = 0; i < 4; ++i) {
    auto kind = all_interrupts[static_cast<std::size_t>(i)];
    const node* v = n.find(to_string(kind));
    if (!v) continue;
    auto b = expect_bool(ctx.diags, *v);
    if (!b) continue;
    out[kind] = *b;
    if (*b && !bot_level) {
      ctx.interrupt_requested[static_cast<std::size_t>(i)] = true;
      auto flow = interrupt_flow(i);
      if (!flow.empty() && ctx.model.interrupts[kind] == false)
        ctx.refer(ref_kind::flow, std::string(flow), v->pos, origin,
                  "the flow the '" + std::string(to_string(kind)) + "' interrupt runs");
    }
  }
  return out;
}

}  // namespace rapport::dialogs::loader
