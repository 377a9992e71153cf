// Flow triggers: `- start`, `- intent: x`, `- keyword: [..]`, `- event: x`, each with an
// optional `if:` condition.
#include "loader/flow_parts.hpp"
#include "loader/names.hpp"
#include "loader/patterns.hpp"
#include "loader/shape.hpp"

namespace rapport::dialogs::loader {

namespace {

const std::vector<std::string> trigger_kinds{"start", "intent", "keyword", "event"};

void compile_trigger(load_context& ctx, const node& n, flow_def& flow) {
  trigger_def t;
  t.pos = n.pos;
  if (n.is_scalar()) {
    if (n.text == "start") {
      flow.triggers.push_back(std::move(t));
    } else if (std::find(trigger_kinds.begin(), trigger_kinds.end(), n.text) !=
               trigger_kinds.end()) {
      ctx.diags.error(n.pos, "missing-value",
                      "the '" + n.text + "' trigger needs a value, e.g. - " + n.text + ": " +
                          (n.text == "keyword" ? "[price, pricing]" : "pricing"));
    } else {
      std::string hint = did_you_mean(n.text, trigger_kinds);
      ctx.diags.error(n.pos, "unknown-trigger", "unknown trigger '" + n.text + "'",
                      hint.empty() ? "expected start, intent, keyword or event" : hint);
    }
    return;
  }
  if (!n.is_map() || n.entries.empty()) {
    wrong_type(ctx.diags, n, "a trigger (start, or a map such as {intent: pricing})");
    return;
  }
  const map_entry* kind = nullptr;
  for (const auto& e : n.entries) {
    if (std::find(trigger_kinds.begin(), trigger_kinds.end(), e.key->text) == trigger_kinds.end())
      continue;
    if (kind) {
      ctx.diags.error(e.key->pos, "bad-value",
                      "a trigger has one kind; this one has both '" + kind->key->text + "' and '" +
                          e.key->text + "'",
                      "write them as two triggers");
      return;
    }
    kind = &e;
  }
  if (!kind) {
    const auto& first = n.entries.front();
    std::string hint = did_you_mean(first.key->text, trigger_kinds);
    ctx.diags.error(first.key->pos, "unknown-trigger", "unknown trigger '" + first.key->text + "'",
                    hint.empty() ? "expected start, intent, keyword or event" : hint);
    return;
  }
  check_keys(ctx.diags, n, {kind->key->text, "if"}, "a trigger");
  const node& v = *kind->value;
  const std::string& k = kind->key->text;
  bool ok = true;
  if (k == "start") {
    t.kind = trigger_kind::start;
    if (!v.is_null()) {
      ctx.diags.error(v.pos, "bad-value", "'start' takes no value",
                      "write '- start', or 'start:' with an 'if:' below it");
      ok = false;
    }
  } else if (k == "intent") {
    t.kind = trigger_kind::intent;
    if (auto name = expect_name(ctx.diags, v, "intent name")) {
      t.name = *name;
      ctx.refer(ref_kind::intent, *name, v.pos, flow.origin);
    } else {
      ok = false;
    }
  } else if (k == "event") {
    t.kind = trigger_kind::event;
    if (auto name = expect_name(ctx.diags, v, "event name"))
      t.name = *name;
    else
      ok = false;
  } else {
    t.kind = trigger_kind::keyword;
    auto items = expect_list(ctx.diags, v, "a list of keywords", true);
    if (!items || items->empty()) {
      if (items)
        ctx.diags.error(v.pos, "bad-value", "a keyword trigger needs at least one keyword");
      ok = false;
    } else {
      nlu::normalize_options options{ctx.model.nlu_config.fold_accents};
      for (const node* item : *items) {
        auto text = expect_text(ctx.diags, *item, "a keyword");
        if (!text) continue;
        std::string normalised = nlu::normalize(*text, ctx.model.default_locale, options);
        if (normalised.empty()) {
          ctx.diags.error(item->pos, "bad-value",
                          "keyword '" + *text + "' has no letters or digits to match");
          continue;
        }
        t.keywords.push_back(std::move(normalised));
      }
    }
  }
  if (const node* condition = n.find("if")) {
    if (!expect_text(ctx.diags, *condition, "a condition")) {
      ok = false;
    } else if (auto expr = compile_expression(ctx, *condition, 0, false)) {
      t.condition = std::move(*expr);
    }
  }
  if (ok) flow.triggers.push_back(std::move(t));
}

}  // namespace

void compile_triggers(load_context& ctx, const node& list, flow_def& flow) {
  if (list.is_null()) return;
  auto items = expect_list(ctx.diags, list, "a list of triggers, e.g. [start]");
  if (!items) return;
  for (const node* item : *items) compile_trigger(ctx, *item, flow);
}

}  // namespace rapport::dialogs::loader
