// Names used before (or without) being declared: flows, step ids, slots, messages, intents,
// entities and webhooks; and the rules that tie declarations together (interrupt flows, the
// fallback flow, the stop flow, button labels for choice options).
#include <set>

#include "loader/builtins.hpp"
#include "loader/declarations.hpp"
#include "loader/names.hpp"

namespace rapport::dialogs::loader {

namespace {

template <class Map>
std::vector<std::string> keys_of(const Map& map) {
  std::vector<std::string> out;
  for (const auto& [k, v] : map) out.push_back(k);
  return out;
}

void undefined(load_context& ctx, const reference& r, std::string code, std::string what,
               const std::vector<std::string>& candidates, std::string otherwise) {
  std::string message = "undefined " + what + " '" + r.name + "'";
  if (!r.note.empty()) message += " (" + r.note + ")";
  std::string hint = did_you_mean(r.name, candidates);
  ctx.diags.error(r.pos, std::move(code), std::move(message),
                  hint.empty() ? std::move(otherwise) : hint);
}

}  // namespace

void check_references(load_context& ctx) {
  const bot_model& m = ctx.model;
  const auto& default_messages = m.catalogs.at(m.default_locale).messages;
  using fk = file_kind;
  for (const auto& r : ctx.refs) {
    // A name a file that did not parse mentions may be declared there: not checked.
    bool unknowable = false;
    switch (r.kind) {
      case ref_kind::flow:
      case ref_kind::step_id: unknowable = ctx.broken_mentions({fk::flows}, r.name); break;
      case ref_kind::slot: unknowable = ctx.broken_mentions({fk::flows, fk::bot}, r.name); break;
      case ref_kind::message:
        unknowable = ctx.broken_mentions({fk::messages}, r.name, m.default_locale);
        break;
      case ref_kind::intent:
      case ref_kind::entity: unknowable = ctx.broken_mentions({fk::intents}, r.name); break;
      case ref_kind::webhook: unknowable = ctx.broken_mentions({fk::bot}, r.name); break;
    }
    if (unknowable) continue;
    switch (r.kind) {
      case ref_kind::flow:
        if (!m.flows.contains(r.name))
          undefined(ctx, r, "undefined-flow", "flow", keys_of(m.flows),
                    "flows are declared under 'flows:' in flows/*.yaml");
        break;
      case ref_kind::step_id: {
        auto flow = m.flows.find(r.flow);
        if (flow == m.flows.end() || flow->second.step_ids.contains(r.name)) break;
        std::string hint = did_you_mean(r.name, keys_of(flow->second.step_ids));
        ctx.diags.error(r.pos, "undefined-step",
                        "flow '" + r.flow + "' has no step with id '" + r.name + "'",
                        hint.empty() ? "give the step an 'id: " + r.name + "'" : hint);
        break;
      }
      case ref_kind::slot:
        if (!m.slots.contains(r.name))
          undefined(ctx, r, "undefined-slot", "slot", keys_of(m.slots),
                    "declare it under 'slots:' in bot.yaml or a flows file");
        break;
      case ref_kind::message:
        if (!default_messages.contains(r.name))
          undefined(ctx, r, "undefined-message", "message", keys_of(default_messages),
                    "add it to messages/" + m.default_locale + ".yaml");
        break;
      case ref_kind::intent:
        if (!ctx.intents.contains(r.name))
          undefined(ctx, r, "undefined-intent", "intent", keys_of(ctx.intents),
                    "declare it with examples under 'intents:' in intents/*.yaml");
        break;
      case ref_kind::entity:
        if (!ctx.lookups.contains(r.name))
          undefined(ctx, r, "undefined-entity", "entity", keys_of(ctx.lookups),
                    "declare it under 'entities:' in intents/*.yaml");
        break;
      case ref_kind::webhook:
        if (!m.webhooks.contains(r.name))
          undefined(ctx, r, "undefined-webhook", "webhook", keys_of(m.webhooks),
                    "declare it under 'webhooks:' in bot.yaml");
        break;
    }
  }
}

void check_rules(load_context& ctx) {
  const bot_model& m = ctx.model;
  if (!ctx.bot_root) return;
  const source_pos bot_pos = ctx.bot_root->pos;

  auto undeclared_flow = [&](const std::string& flow) {
    return !m.flows.contains(flow) && !ctx.broken_mentions({file_kind::flows}, flow);
  };
  // Interrupts that are on need their flow.
  for (int i = 0; i < 4; ++i) {
    auto kind = all_interrupts[static_cast<std::size_t>(i)];
    std::string flow(interrupt_flow(i));
    if (flow.empty() || !*m.interrupts[kind] || !undeclared_flow(flow)) continue;
    source_pos pos = ctx.imports_node ? ctx.imports_node->pos : bot_pos;
    if (ctx.interrupts_node && ctx.interrupts_node->is_map()) {
      if (const map_entry* e = ctx.interrupts_node->find_entry(to_string(kind))) pos = e->key->pos;
    }
    std::string module(interrupt_module(i));
    ctx.diags.error(pos, "missing-interrupt-flow",
                    std::string("the '") + to_string(kind) +
                        "' interrupt is on, but there is no flow '" + flow + "' for it to run",
                    "import the '" + module + "' module, define a flow '" + flow +
                        "', or turn the interrupt off with interrupts: {" + to_string(kind) +
                        ": false}");
  }

  // The fallback flow, unless bot.yaml names one (that reference is checked like any other).
  if (!ctx.bot_root->is_map() || !ctx.bot_root->find("fallback")) {
    if (undeclared_flow(m.fallback_flow)) {
      ctx.diags.error(bot_pos, "undefined-flow",
                      "there is no flow 'fallback' to run when a message matches nothing",
                      "the core module provides one; or set 'fallback:' to one of your flows");
    }
  }

  // After an opt-out the bot confirms and falls silent: the stop flow neither asks nor hands off.
  if (auto stop = m.flows.find("stop"); stop != m.flows.end()) {
    for (const auto& s : stop->second.steps) {
      if (std::holds_alternative<ask_step>(s.body) || std::holds_alternative<handoff_step>(s.body))
        ctx.diags.error(s.pos, "stop-flow-asks",
                        "the 'stop' flow cannot ask or hand off: after an opt-out the bot only "
                        "confirms, then stays silent");
    }
  }

  // A choice's options need button labels in the prompt, in every locale.
  std::set<std::tuple<std::string, std::string, std::string>> checked;
  for (const auto& p : ctx.prompts) {
    auto slot = m.slots.find(p.slot);
    if (slot == m.slots.end() || slot->second.type != slot_type::choice) continue;
    for (const auto& locale : m.locales) {
      if (!checked.emplace(p.message, locale, p.slot).second) continue;
      auto cat = m.catalogs.find(locale);
      if (cat == m.catalogs.end()) continue;
      auto message = cat->second.messages.find(p.message);
      if (message == cat->second.messages.end()) continue;
      std::vector<std::string> missing;
      for (const auto& option : slot->second.options) {
        const auto& buttons = message->second.buttons;
        if (std::none_of(buttons.begin(), buttons.end(),
                         [&](const auto& b) { return b.first == option; }))
          missing.push_back(option);
      }
      if (missing.empty()) continue;
      std::string text = "message '" + p.message + "' is the prompt of 'ask: " + p.slot +
                         "' but has no button label for " +
                         (missing.size() == 1 ? "option " : "options ") + quoted_list(missing);
      std::string hint = "add them under 'buttons:', e.g. buttons: {" + missing.front() + ": ...}";
      if (locale == m.default_locale) {
        ctx.diags.error(message->second.pos, "missing-button-label", text, hint);
      } else {
        ctx.diags.warning(message->second.pos, "missing-button-label", text, hint);
      }
    }
  }
}

}  // namespace rapport::dialogs::loader
