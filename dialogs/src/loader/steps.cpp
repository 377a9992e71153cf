// Steps → a flat list. Nested blocks are laid out inline:
//   if:       branch{else_pc} · then… · [jump → end] · else…
//   ask:      ask{fail_pc} · jump → end · on_fail…          (same for handoff/fallback and
//                                                             webhook/on_error)
#include "loader/builtins.hpp"
#include "loader/declarations.hpp"
#include "loader/flow_parts.hpp"
#include "loader/names.hpp"
#include "loader/patterns.hpp"
#include "loader/shape.hpp"
#include "loader/step_options.hpp"

namespace rapport::dialogs::loader {

namespace {

const std::vector<std::string> step_kinds{"say",     "ask",     "if",    "goto", "call",  "set",
                                          "handoff", "webhook", "track", "end",  "return"};

class step_compiler {
 public:
  step_compiler(load_context& ctx, flow_def& flow) : ctx_(ctx), flow_(flow) {}

  // Compiles a list of steps; true when it always leaves the block (goto, end, return).
  bool block(const node& list, bool required_non_empty, std::string_view what) {
    auto items = expect_list(ctx_.diags, list, "a list of steps");
    if (!items) return false;
    if (items->empty() && required_non_empty) {
      ctx_.diags.error(list.pos, "missing-value", std::string(what) + " needs at least one step");
      return false;
    }
    bool leaves = false, warned = false;
    for (const node* item : *items) {
      if (leaves && !warned && bot()) {
        ctx_.diags.warning(item->pos, "unreachable-step",
                           "unreachable step: the step before it always leaves this block",
                           "remove it or move it before the goto, end or return");
        warned = true;
      }
      if (step(*item)) leaves = true;
    }
    return leaves;
  }

 private:
  bool bot() const { return flow_.origin.empty(); }
  int pc() const { return static_cast<int>(flow_.steps.size()); }

  int emit(step_body body, const node& n, bool synthetic = false) {
    flow_.steps.push_back({std::move(body), {}, n.pos, synthetic});
    return pc() - 1;
  }

  template <class T>
  T& at(int index) {
    return std::get<T>(flow_.steps[static_cast<std::size_t>(index)].body);
  }

  // Lays out an optional block after the step at `index`: a jump over it, then the block.
  // Returns the block's start, or nothing when there is no block.
  std::optional<int> side_block(const node* list, const node& step_node, std::string_view what) {
    if (!list || (list->is_sequence() && list->items.empty()) || list->is_null())
      return std::nullopt;
    if (!list->is_sequence()) {
      wrong_type(ctx_.diags, *list, "a list of steps");
      return std::nullopt;
    }
    int jump = emit(jump_step{}, step_node, true);
    int start = pc();
    block(*list, false, what);
    at<jump_step>(jump).target = pc();
    return start;
  }

  void refer_message(const node& n, std::string note = {}) {
    if (auto key = expect_message_key(ctx_.diags, n))
      ctx_.refer(ref_kind::message, *key, n.pos, flow_.origin, std::move(note));
  }

  std::optional<std::string> message_field(const node& step_node, const char* key) {
    const node* v = step_node.find(key);
    if (!v) return std::nullopt;
    auto name = expect_message_key(ctx_.diags, *v);
    if (name) ctx_.refer(ref_kind::message, *name, v->pos, flow_.origin);
    return name;
  }

  std::optional<std::string> flow_name(const node& v) {
    auto name = expect_name(ctx_.diags, v, "flow name");
    if (name) ctx_.refer(ref_kind::flow, *name, v.pos, flow_.origin);
    return name;
  }

  bool step(const node& n) {
    if (n.is_scalar()) return scalar_step(n);
    if (!n.is_map() || n.entries.empty()) {
      wrong_type(ctx_.diags, n, "a step, e.g. {say: greeting}");
      return false;
    }
    const map_entry* kind = nullptr;
    for (const auto& e : n.entries) {
      if (std::find(step_kinds.begin(), step_kinds.end(), e.key->text) == step_kinds.end())
        continue;
      if (kind) {
        ctx_.diags.error(e.key->pos, "bad-value",
                         "a step has one kind; this one has both '" + kind->key->text + "' and '" +
                             e.key->text + "'",
                         "write them as two steps, each starting with '-'");
        return false;
      }
      kind = &e;
    }
    if (!kind) {
      const map_entry& first = n.entries.front().key->text == "id" && n.entries.size() > 1
                                   ? n.entries[1]
                                   : n.entries.front();
      std::string hint = did_you_mean(first.key->text, step_kinds);
      ctx_.diags.error(first.key->pos, "unknown-step", "unknown step '" + first.key->text + "'",
                       hint.empty() ? "expected one of " + quoted_list(step_kinds, "or") : hint);
      return false;
    }
    const std::string& k = kind->key->text;
    const node& v = *kind->value;
    std::size_t first = flow_.steps.size();
    using handler = bool (step_compiler::*)(const node&, const node&);
    static const std::map<std::string, handler, std::less<>> handlers{
        {"say", &step_compiler::say},         {"ask", &step_compiler::ask},
        {"if", &step_compiler::branch},       {"goto", &step_compiler::go},
        {"call", &step_compiler::call},       {"set", &step_compiler::set},
        {"handoff", &step_compiler::handoff}, {"webhook", &step_compiler::webhook},
        {"track", &step_compiler::track},     {"end", &step_compiler::end},
        {"return", &step_compiler::ret}};
    bool leaves = (this->*handlers.at(k))(n, v);
    if (const node* id = n.find("id"); id && first < flow_.steps.size()) assign_id(*id, first);
    return leaves;
  }

  bool scalar_step(const node& n) {
    if (n.text == "end") {
      emit(end_step{"completed"}, n);
      return true;
    }
    if (n.text == "return") {
      emit(return_step{}, n);
      return true;
    }
    if (n.text == "handoff") {
      handoff(n, n);
      return false;
    }
    if (std::find(step_kinds.begin(), step_kinds.end(), n.text) != step_kinds.end()) {
      ctx_.diags.error(n.pos, "missing-value",
                       "the '" + n.text + "' step needs a value, e.g. " + n.text + ": " +
                           (n.text == "ask"   ? "team_size"
                            : n.text == "say" ? "greeting"
                                              : "..."));
      return false;
    }
    std::string hint = did_you_mean(n.text, step_kinds);
    ctx_.diags.error(n.pos, "unknown-step", "unknown step '" + n.text + "'",
                     hint.empty() ? "a step is a map such as {say: greeting}" : hint);
    return false;
  }

  void assign_id(const node& id, std::size_t index) {
    auto name = expect_name(ctx_.diags, id, "step id");
    if (!name) return;
    auto [it, inserted] = flow_.step_ids.emplace(*name, static_cast<int>(index));
    if (!inserted) {
      ctx_.diags.error(id.pos, "duplicate-name",
                       "step id '" + *name + "' is already used in flow '" + flow_.name + "' at " +
                           where(flow_.steps[static_cast<std::size_t>(it->second)].pos));
      return;
    }
    flow_.steps[index].id = *name;
  }

  bool say(const node& n, const node& v) {
    check_keys(ctx_.diags, n, {"say", "id"}, "a say step");
    say_step s;
    if (auto key = expect_message_key(ctx_.diags, v)) {
      s.message = *key;
      ctx_.refer(ref_kind::message, *key, v.pos, flow_.origin);
    }
    emit(std::move(s), n);
    return false;
  }

  bool ask(const node& n, const node& v) {
    check_keys(ctx_.diags, n,
               {"ask", "id", "prompt", "reprompt", "invalid", "retries", "validate", "always",
                "no_input", "interrupts", "on_fail"},
               "an ask step");
    ask_step a;
    a.retries = ctx_.model.policy.retries;
    a.no_input = ctx_.model.policy.no_input;
    if (auto slot = expect_name(ctx_.diags, v, "slot name")) {
      a.slot = *slot;
      ctx_.refer(ref_kind::slot, *slot, v.pos, flow_.origin);
    }
    if (const node* prompt = n.find("prompt")) {
      if (auto key = expect_message_key(ctx_.diags, *prompt)) {
        a.prompt = *key;
        ctx_.refer(ref_kind::message, *key, prompt->pos, flow_.origin);
      }
    } else if (!a.slot.empty()) {
      a.prompt = "ask_" + a.slot;
      ctx_.refer(ref_kind::message, a.prompt, v.pos, flow_.origin,
                 "the default prompt of 'ask: " + a.slot + "'");
    }
    if (auto key = message_field(n, "reprompt")) a.reprompt = *key;
    if (auto key = message_field(n, "invalid")) a.invalid = *key;
    if (const node* r = n.find("retries")) {
      if (auto i = expect_integer(ctx_.diags, *r, 0, "a whole number of at least 0"))
        a.retries = *i;
    }
    if (const node* validate = n.find("validate")) {
      if (expect_text(ctx_.diags, *validate, "a condition on the answer, e.g. value >= 1")) {
        if (auto expr = compile_expression(ctx_, *validate, 0, true)) a.validate = std::move(*expr);
      }
    }
    if (const node* always = n.find("always")) {
      if (auto b = expect_bool(ctx_.diags, *always)) a.always = *b;
    }
    if (const node* no_input = n.find("no_input")) {
      if (auto d = parse_no_input(ctx_, *no_input, ctx_.model.policy.no_input, flow_.origin))
        a.no_input = *d;
    }
    if (const node* interrupts = n.find("interrupts"))
      a.interrupts = parse_interrupt_switches(ctx_, *interrupts, flow_.origin, false);
    if (!a.slot.empty() && !a.prompt.empty()) ctx_.prompts.push_back({a.slot, a.prompt, v.pos});
    int index = emit(std::move(a), n);
    if (auto fail = side_block(n.find("on_fail"), n, "on_fail")) at<ask_step>(index).fail_pc = fail;
    return false;
  }

  bool branch(const node& n, const node& v) {
    check_keys(ctx_.diags, n, {"if", "id", "then", "else"}, "an if step");
    branch_step b;
    if (expect_text(ctx_.diags, v, "a condition, e.g. team_size >= 10")) {
      if (auto expr = compile_expression(ctx_, v, 0, false)) b.condition = std::move(*expr);
    }
    int index = emit(std::move(b), n);
    const node* then_node = required(ctx_.diags, n, "then", "an if step");
    bool then_leaves = then_node && block(*then_node, true, "then");
    const node* else_node = n.find("else");
    if (!else_node || else_node->is_null() ||
        (else_node->is_sequence() && else_node->items.empty())) {
      at<branch_step>(index).else_pc = pc();
      return false;
    }
    int jump = emit(jump_step{}, n, true);
    at<branch_step>(index).else_pc = pc();
    bool else_leaves = block(*else_node, false, "else");
    at<jump_step>(jump).target = pc();
    return then_leaves && else_leaves;
  }

  bool go(const node& n, const node& v) {
    check_keys(ctx_.diags, n, {"goto", "id"}, "a goto step");
    goto_step g;
    if (auto text = expect_text(ctx_.diags, v, "a flow name, or flow.step_id")) {
      auto dot = text->find('.');
      std::string flow = text->substr(0, dot);
      std::string step_id = dot == std::string::npos ? std::string{} : text->substr(dot + 1);
      if (!is_identifier(flow) || (dot != std::string::npos && !is_identifier(step_id))) {
        ctx_.diags.error(v.pos, "bad-name", "'" + *text + "' is not a flow name or flow.step_id",
                         "names are lower-case letters, digits and '_'");
      } else {
        g.flow = flow;
        g.step_id = step_id;
        ctx_.refer(ref_kind::flow, flow, v.pos, flow_.origin);
        if (!step_id.empty())
          ctx_.refer(ref_kind::step_id, step_id, v.pos_at(dot + 1), flow_.origin, {}, flow);
      }
    }
    emit(std::move(g), n);
    return true;
  }

  bool call(const node& n, const node& v) {
    check_keys(ctx_.diags, n, {"call", "id"}, "a call step");
    call_step c;
    if (auto name = flow_name(v)) c.flow = *name;
    emit(std::move(c), n);
    return false;
  }

  std::vector<assignment> assignments(const node& map, std::string_view expected, bool to_slots) {
    std::vector<assignment> out;
    if (!expect_map(ctx_.diags, map, expected, false)) return out;
    for (const auto& [key, val] : map.entries) {
      assignment a;
      a.pos = key->pos;
      if (to_slots) {
        auto name = expect_name(ctx_.diags, *key, "slot name");
        if (!name) continue;
        a.name = *name;
        if (!is_settable_builtin(*name))
          ctx_.refer(ref_kind::slot, *name, key->pos, flow_.origin, "set");
      } else {
        a.name = key->text;
      }
      auto source = compile_assignment_source(ctx_, *val);
      if (!source) continue;
      if (to_slots) {
        if (auto* literal = std::get_if<value>(&*source)) {
          if (!check_literal(*val, *literal, a.name)) continue;
        }
      }
      a.source = std::move(*source);
      out.push_back(std::move(a));
    }
    return out;
  }

  // A literal assigned to a slot must fit the slot's type; numbers become text for text slots.
  bool check_literal(const node& n, value& v, const std::string& target) {
    if (is_null(v)) return true;
    auto expect = [&](bool ok, std::string_view what) {
      if (!ok) wrong_type(ctx_.diags, n, std::string(what) + " for '" + target + "'");
      return ok;
    };
    if (is_settable_builtin(target))
      return expect(std::holds_alternative<bool>(v), "true or false");
    auto slot = ctx_.model.slots.find(target);
    if (slot == ctx_.model.slots.end()) return true;
    switch (slot->second.type) {
      case slot_type::number:
      case slot_type::rating:
      case slot_type::nps:
        return expect(std::holds_alternative<double>(v), "a number");
      case slot_type::yes_no:
        return expect(std::holds_alternative<bool>(v), "true or false");
      case slot_type::choice: {
        if (std::holds_alternative<double>(v)) v = to_text(v);
        if (!expect(std::holds_alternative<std::string>(v), "one of the slot's options"))
          return false;
        const auto& options = slot->second.options;
        const auto& text = std::get<std::string>(v);
        if (options.empty() || std::find(options.begin(), options.end(), text) != options.end())
          return true;
        std::string hint = did_you_mean(text, options);
        ctx_.diags.error(n.pos, "bad-value",
                         "'" + text + "' is not an option of slot '" + target + "'",
                         hint.empty() ? "the options are " + quoted_list(options, "and") : hint);
        return false;
      }
      default:
        if (std::holds_alternative<double>(v)) v = to_text(v);
        return expect(std::holds_alternative<std::string>(v), "text");
    }
  }

  bool set(const node& n, const node& v) {
    check_keys(ctx_.diags, n, {"set", "id"}, "a set step");
    set_step s;
    s.assignments = assignments(v, "a map of slots to values, e.g. {consent: true}", true);
    if (v.is_map() && v.entries.empty())
      ctx_.diags.error(v.pos, "missing-value", "set needs at least one slot");
    emit(std::move(s), n);
    return false;
  }

  bool handoff(const node& n, const node& v) {
    handoff_step h;
    if (n.is_map()) {
      check_keys(ctx_.diags, n, {"handoff", "id", "reason", "fallback"}, "a handoff step");
      if (!v.is_null()) {
        if (auto team = expect_text(ctx_.diags, v, "a team name")) h.team = *team;
      }
      if (const node* reason = n.find("reason")) {
        if (auto text = expect_text(ctx_.diags, *reason, "a reason shown to the agent"))
          h.reason = *text;
      }
    }
    int index = emit(std::move(h), n);
    const node* fallback = n.is_map() ? n.find("fallback") : nullptr;
    if (auto start = side_block(fallback, n, "fallback")) {
      at<handoff_step>(index).fallback_pc = start;
    } else if (bot()) {
      ctx_.diags.warning(n.pos, "handoff-without-fallback",
                         "handoff without a fallback: when nobody is available the conversation "
                         "just continues after this step",
                         "add 'fallback:' with what to do then, e.g. - call: lead_capture");
    }
    return false;
  }

  bool webhook(const node& n, const node& v) {
    check_keys(ctx_.diags, n, {"webhook", "id", "body", "save", "on_error"}, "a webhook step");
    webhook_step w;
    if (auto name = expect_name(ctx_.diags, v, "webhook name")) {
      w.webhook = *name;
      ctx_.refer(ref_kind::webhook, *name, v.pos, flow_.origin);
    }
    if (const node* body = n.find("body"))
      w.body = assignments(*body, "a map of JSON fields to values", false);
    if (const node* save = n.find("save")) {
      if (expect_map(ctx_.diags, *save, "a map of slots to paths in the response", false)) {
        for (const auto& [key, path] : save->entries) {
          auto slot = expect_name(ctx_.diags, *key, "slot name");
          auto text =
              expect_text(ctx_.diags, *path, "a dotted path into the response, e.g. company.name");
          if (!slot || !text) continue;
          ctx_.refer(ref_kind::slot, *slot, key->pos, flow_.origin, "save");
          w.save.emplace_back(*slot, *text);
        }
      }
    }
    int index = emit(std::move(w), n);
    if (auto start = side_block(n.find("on_error"), n, "on_error"))
      at<webhook_step>(index).error_pc = start;
    return false;
  }

  bool track(const node& n, const node& v) {
    check_keys(ctx_.diags, n, {"track", "id", "props"}, "a track step");
    track_step t;
    if (auto name = expect_name(ctx_.diags, v, "event name")) t.event = *name;
    if (const node* props = n.find("props"))
      t.props = assignments(*props, "a map of property names to values", false);
    emit(std::move(t), n);
    return false;
  }

  bool end(const node& n, const node& v) {
    check_keys(ctx_.diags, n, {"end", "id"}, "an end step");
    end_step e{"completed"};
    if (!v.is_null()) {
      if (auto outcome = expect_name(ctx_.diags, v, "outcome")) e.outcome = *outcome;
    }
    emit(std::move(e), n);
    return true;
  }

  bool ret(const node& n, const node& v) {
    check_keys(ctx_.diags, n, {"return", "id"}, "a return step");
    if (!v.is_null()) ctx_.diags.error(v.pos, "bad-value", "'return' takes no value");
    emit(return_step{}, n);
    return true;
  }

  load_context& ctx_;
  flow_def& flow_;
};

}  // namespace

std::optional<std::variant<value, expression>> compile_assignment_source(load_context& ctx,
                                                                         const node& n) {
  if (n.is_scalar() && n.text.starts_with("=")) {
    auto expr = compile_expression(ctx, n, 1, false);
    if (!expr) return std::nullopt;
    return std::variant<value, expression>{std::move(*expr)};
  }
  if (auto v = scalar_value(n)) return std::variant<value, expression>{std::move(*v)};
  wrong_type(ctx.diags, n, "a literal or an =expression");
  return std::nullopt;
}

void compile_steps(load_context& ctx, const node& list, flow_def& flow) {
  step_compiler(ctx, flow).block(list, true, "a flow's 'steps'");
}

}  // namespace rapport::dialogs::loader
