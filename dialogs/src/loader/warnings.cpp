// Warnings about the bot's own declarations: slots and messages nothing uses, flows nothing
// starts, messages missing in a locale or only in a translation. A name that a file which did
// not parse mentions may be used there, so it gets no warning.
#include <algorithm>
#include <set>

#include "loader/builtins.hpp"
#include "loader/load_context.hpp"
#include "loader/names.hpp"

namespace rapport::dialogs::loader {

void report_warnings(load_context& ctx) {
  const bot_model& m = ctx.model;
  std::set<std::string, std::less<>> used_slots(ctx.variables_read.begin(),
                                                ctx.variables_read.end());
  std::set<std::string, std::less<>> used_messages, started_flows;
  for (const auto& r : ctx.refs) {
    if (r.kind == ref_kind::slot) used_slots.insert(r.name);
    if (r.kind == ref_kind::message) used_messages.insert(r.name);
    if (r.kind == ref_kind::flow) started_flows.insert(r.name);
  }

  using fk = file_kind;
  auto maybe_used = [&](const std::string& name) {
    return ctx.broken_mentions({fk::bot, fk::flows, fk::intents, fk::messages}, name);
  };
  for (const auto& [name, slot] : m.slots) {
    if (ctx.slot_origin.at(name).empty() && !used_slots.contains(name) && !maybe_used(name))
      ctx.diags.warning(slot.pos, "unused-slot",
                        "slot '" + name + "' is declared but nothing asks, sets or reads it");
  }

  // Messages: reported once per key, where the default locale defines it if it does.
  // `intent.<name>` labels an intent in the "which did you mean?" question.
  auto labels_an_intent = [&](const std::string& key) {
    if (!key.starts_with("intent.")) return false;
    const std::string_view name = std::string_view(key).substr(7);
    return std::any_of(m.training.intents.begin(), m.training.intents.end(),
                       [&](const nlu::intent_examples& i) { return i.intent == name; });
  };
  const auto& reference = m.catalogs.at(m.default_locale).messages;
  std::vector<std::string> reference_keys;
  for (const auto& [key, def] : reference) reference_keys.push_back(key);
  const bool reference_broken = ctx.is_broken(fk::messages, m.default_locale);
  std::set<std::string, std::less<>> reported;
  for (const auto& locale : m.locales) {
    const auto& origins = ctx.message_origin[locale];
    for (const auto& [key, def] : m.catalogs.at(locale).messages) {
      if (!origins.at(key).empty() || labels_an_intent(key)) continue;
      if (locale != m.default_locale && !reference.contains(key)) {
        // Only in a translation: a typo, or forgotten in the default locale.
        if (reference_broken) continue;
        std::string hint = did_you_mean(key, reference_keys);
        ctx.diags.warning(def.pos, "missing-default-message",
                          "message '" + key + "' is in the '" + locale +
                              "' messages but not in the default locale '" + m.default_locale +
                              "', so no visitor ever gets it",
                          hint.empty() ? "add it to messages/" + m.default_locale + ".yaml" : hint);
        continue;
      }
      if (key.starts_with("rapport.")) continue;
      if (!used_messages.contains(key) && !maybe_used(key) && reported.insert(key).second)
        ctx.diags.warning(def.pos, "unused-message",
                          "message '" + key + "' is defined but no step sends it");
    }
  }
  // Missing translations, for locales that have a messages file (a missing one is an error
  // already) and that parsed.
  std::vector<std::string> translated;
  for (const auto& locale : m.locales)
    if (locale != m.default_locale && ctx.message_locales.contains(locale) &&
        !ctx.is_broken(fk::messages, locale))
      translated.push_back(locale);
  for (const auto& [key, def] : reference) {
    if (!ctx.message_origin[m.default_locale].at(key).empty()) continue;
    for (const auto& locale : translated) {
      if (m.catalogs.at(locale).messages.contains(key)) continue;
      ctx.diags.warning(def.pos, "missing-translation",
                        "message '" + key + "' has no '" + locale + "' text, so visitors in '" +
                            locale + "' get the '" + m.default_locale + "' one",
                        "add it to messages/" + locale + ".yaml");
    }
  }

  for (const auto& name : m.flow_order) {
    const flow_def& f = m.flows.at(name);
    if (!f.origin.empty() || !f.triggers.empty() || started_flows.contains(name) ||
        maybe_used(name))
      continue;
    if (name == m.fallback_flow || name == "human" || name == "stop" || name == "help") continue;
    ctx.diags.warning(f.pos, "unused-flow",
                      "flow '" + name +
                          "' never starts: it has no trigger and no goto or call "
                          "leads to it",
                      "add 'triggers:', or goto/call it from another flow");
  }
}

}  // namespace rapport::dialogs::loader
