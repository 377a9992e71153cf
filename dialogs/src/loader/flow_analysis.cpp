// Static walks over the compiled flows (following branches, jumps, goto and call) for three
// warnings: an opener that asks nothing, promotional messages reachable before buying intent or
// consent, and runs of bot messages longer than policies.max_unanswered.
//
// They are approximations: conditions are not evaluated (both sides of an `if` are followed),
// except that the `then` side of a condition reading `buying_intent` or `consent` counts as
// gated for promotions.
#include <functional>
#include <set>

#include "loader/load_context.hpp"

namespace rapport::dialogs::loader {

namespace {

constexpr std::size_t max_states = 200000;
constexpr std::size_t max_call_depth = 8;

struct cursor {
  const flow_def* flow = nullptr;
  int pc = 0;
  std::vector<std::pair<const flow_def*, int>> returns;  // call stack
  int state = 0;                                         // the analysis' own state

  std::string key() const {
    std::string k = flow->name + "#" + std::to_string(pc) + "#" + std::to_string(state);
    for (const auto& [f, pc_] : returns) k += "/" + f->name + "#" + std::to_string(pc_);
    return k;
  }
};

// Where control may go after the step at `c` (the step's own effect is the analysis' business).
std::vector<cursor> successors(const bot_model& m, const cursor& c) {
  std::vector<cursor> out;
  auto at = [&](const flow_def* flow, int pc) {
    cursor n = c;
    n.flow = flow;
    n.pc = pc;
    return n;
  };
  auto leave = [&] {
    if (c.returns.empty()) return;
    cursor n = c;
    n.flow = c.returns.back().first;
    n.pc = c.returns.back().second;
    n.returns.pop_back();
    out.push_back(std::move(n));
  };
  if (c.pc < 0 || c.pc >= static_cast<int>(c.flow->steps.size())) {
    leave();
    return out;
  }
  const step_body& body = c.flow->steps[static_cast<std::size_t>(c.pc)].body;
  std::visit(
      [&](const auto& s) {
        using T = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<T, end_step>) {
        } else if constexpr (std::is_same_v<T, return_step>) {
          leave();
        } else if constexpr (std::is_same_v<T, jump_step>) {
          out.push_back(at(c.flow, s.target));
        } else if constexpr (std::is_same_v<T, branch_step>) {
          out.push_back(at(c.flow, c.pc + 1));
          out.push_back(at(c.flow, s.else_pc));
        } else if constexpr (std::is_same_v<T, goto_step>) {
          if (const flow_def* target = m.find_flow(s.flow)) {
            auto id = target->step_ids.find(s.step_id);
            out.push_back(at(target, id == target->step_ids.end() ? 0 : id->second));
          }
        } else if constexpr (std::is_same_v<T, call_step>) {
          const flow_def* target = m.find_flow(s.flow);
          if (target && c.returns.size() < max_call_depth) {
            cursor n = at(target, 0);
            n.returns.emplace_back(c.flow, c.pc + 1);
            out.push_back(std::move(n));
          } else {
            out.push_back(at(c.flow, c.pc + 1));
          }
        } else {
          out.push_back(at(c.flow, c.pc + 1));
          std::optional<int> side;
          if constexpr (std::is_same_v<T, ask_step>) side = s.fail_pc;
          if constexpr (std::is_same_v<T, handoff_step>) side = s.fallback_pc;
          if constexpr (std::is_same_v<T, webhook_step>) side = s.error_pc;
          if (side) out.push_back(at(c.flow, *side));
        }
      },
      body);
  return out;
}

// Depth-first walk; `visit` returns the cursors to continue with (usually successors, possibly
// with a new state), or nothing to stop this path.
void walk(const bot_model& m, cursor start,
          const std::function<std::vector<cursor>(const cursor&)>& visit) {
  std::set<std::string> seen;
  std::vector<cursor> stack{std::move(start)};
  while (!stack.empty() && seen.size() < max_states) {
    cursor c = std::move(stack.back());
    stack.pop_back();
    if (!seen.insert(c.key()).second) continue;
    for (auto& n : visit(c)) stack.push_back(std::move(n));
  }
}

const step* step_at(const cursor& c) {
  if (c.pc < 0 || c.pc >= static_cast<int>(c.flow->steps.size())) return nullptr;
  return &c.flow->steps[static_cast<std::size_t>(c.pc)];
}

const message_def* reference_message(const bot_model& m, const std::string& key) {
  const auto& messages = m.catalogs.at(m.default_locale).messages;
  auto it = messages.find(key);
  return it == messages.end() ? nullptr : &it->second;
}

bool asks_question(const message_def& message) {
  for (const auto& v : message.variants) {
    const std::string& text = v.source();
    if (text.find('?') != std::string::npos || text.find("\xEF\xBC\x9F") != std::string::npos ||
        text.find("\xC2\xBF") != std::string::npos)
      return true;
  }
  return false;
}

bool reads_gate(const expression& e) {
  for (const auto& v : e.variables()) {
    if (v == "buying_intent" || v == "consent") return true;
  }
  return false;
}

std::string trigger_name(const trigger_def& t) {
  switch (t.kind) {
    case trigger_kind::start:
      return "'start' trigger";
    case trigger_kind::event:
      return "'event: " + t.name + "' trigger";
    case trigger_kind::intent:
      return "'intent: " + t.name + "' trigger";
    case trigger_kind::keyword:
      return "keyword trigger";
  }
  return "trigger";
}

void check_opener(load_context& ctx, const flow_def& flow) {
  const bot_model& m = ctx.model;
  bool questioned = false;
  walk(m, {&flow, 0, {}, 0}, [&](const cursor& c) -> std::vector<cursor> {
    if (questioned) return {};
    const step* s = step_at(c);
    if (s) {
      // A handoff is no question: the visitor is passed on before anyone asked them anything.
      if (std::holds_alternative<ask_step>(s->body)) {
        questioned = true;
        return {};
      }
      if (auto* say = std::get_if<say_step>(&s->body)) {
        const message_def* message = reference_message(m, say->message);
        if (message && asks_question(*message)) {
          questioned = true;
          return {};
        }
      }
    }
    return successors(m, c);
  });
  if (questioned) return;
  ctx.diags.warning(flow.pos, "opener-without-question",
                    "flow '" + flow.name +
                        "' opens the conversation without a question: nothing "
                        "it sends before its first ask or end asks the visitor anything",
                    "open with a question about the visitor, e.g. an ask or a message ending in "
                    "'?'");
}

void check_promotions(load_context& ctx, const flow_def& flow, const trigger_def& trigger,
                      std::set<const step*>& reported) {
  const bot_model& m = ctx.model;
  walk(m, {&flow, 0, {}, 0}, [&](const cursor& c) -> std::vector<cursor> {
    const step* s = step_at(c);
    auto next = successors(m, c);
    if (!s || c.state == 1) return next;
    const std::string* key = nullptr;
    if (auto* say = std::get_if<say_step>(&s->body)) key = &say->message;
    if (auto* ask = std::get_if<ask_step>(&s->body)) key = &ask->prompt;
    if (key && c.flow->origin.empty() && !reported.contains(s)) {
      const message_def* message = reference_message(m, *key);
      if (message && message->promo) {
        reported.insert(s);
        ctx.diags.warning(s->pos, "promo-before-consent",
                          "promotional message '" + *key +
                              "' can be sent before buying intent or consent (flow '" + flow.name +
                              "' reaches it from its " + trigger_name(trigger) + ")",
                          "send it after 'set: {consent: true}', under 'if: buying_intent or "
                          "consent', or from a flow started by one of buying_intents");
      }
    }
    if (auto* set = std::get_if<set_step>(&s->body)) {
      for (const auto& a : set->assignments) {
        if (a.name == "buying_intent" || a.name == "consent") {
          for (auto& n : next) n.state = 1;
        }
      }
    }
    if (auto* branch = std::get_if<branch_step>(&s->body); branch && reads_gate(branch->condition))
      next.front().state = 1;
    return next;
  });
}

void check_unanswered(load_context& ctx, const flow_def& flow, std::set<const step*>& reported) {
  const bot_model& m = ctx.model;
  const int limit = m.policy.max_unanswered;
  walk(m, {&flow, 0, {}, 0}, [&](const cursor& c) -> std::vector<cursor> {
    const step* s = step_at(c);
    auto next = successors(m, c);
    if (!s) return next;
    bool sends =
        std::holds_alternative<say_step>(s->body) || std::holds_alternative<ask_step>(s->body);
    if (std::holds_alternative<handoff_step>(s->body)) {
      for (auto& n : next) n.state = 0;
    }
    if (!sends) return next;
    int count = c.state + 1;
    if (count > limit) {
      if (c.flow->origin.empty() && reported.insert(s).second) {
        ctx.diags.warning(s->pos, "max-unanswered",
                          "this would be bot message " + std::to_string(count) +
                              " in a row without a reply; policies.max_unanswered is " +
                              std::to_string(limit) + ", so the flow is cut here",
                          "ask something earlier, or merge messages");
      }
      return {};
    }
    for (auto& n : next) n.state = std::holds_alternative<ask_step>(s->body) ? 0 : count;
    return next;
  });
}

}  // namespace

void analyse_flows(load_context& ctx) {
  const bot_model& m = ctx.model;
  std::set<const step*> promo_reported, unanswered_reported;
  const auto& buying = m.buying_intents;
  for (const auto& name : m.flow_order) {
    const flow_def& flow = m.flows.at(name);
    bool opener = false;
    for (const auto& t : flow.triggers) {
      if (t.kind == trigger_kind::start || t.kind == trigger_kind::event) opener = true;
    }
    if (opener && flow.origin.empty()) check_opener(ctx, flow);
    for (const auto& t : flow.triggers) {
      bool gated = t.kind == trigger_kind::intent &&
                   std::find(buying.begin(), buying.end(), t.name) != buying.end();
      if (!gated) {
        check_promotions(ctx, flow, t, promo_reported);
        break;
      }
    }
    check_unanswered(ctx, flow, unanswered_reported);
  }
}

}  // namespace rapport::dialogs::loader
