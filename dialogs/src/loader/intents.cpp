// intents/*.yaml (and the modules' intents.yaml): intents with examples per locale, out-of-scope
// examples and lookup entities. Intents and entities with the same name are merged.
#include "loader/builtins.hpp"
#include "loader/load_context.hpp"
#include "loader/names.hpp"
#include "loader/shape.hpp"

namespace rapport::dialogs::loader {

namespace {

bool is_bot_locale(const load_context& ctx, const std::string& locale) {
  const auto& ls = ctx.model.locales;
  return std::find(ls.begin(), ls.end(), locale) != ls.end();
}

// A locale key of a per-locale map; false when the examples under it are to be skipped.
bool usable_locale(load_context& ctx, const node& key, const std::string& origin) {
  if (!key.is_scalar() || !is_locale(key.text)) {
    ctx.diags.error(key.pos, "bad-locale",
                    "expected a locale such as en or de, got " + describe(key),
                    "a plain list holds examples for the default locale");
    return false;
  }
  if (is_bot_locale(ctx, key.text)) return true;
  if (origin.empty()) {
    ctx.diags.warning(
        key.pos, "unused-locale",
        "examples for '" + key.text + "' are ignored: the locale is not in bot.yaml locales");
  }
  return false;
}

void read_texts(load_context& ctx, const node& list, std::vector<std::string>& out,
                std::string_view expected) {
  auto items = expect_list(ctx.diags, list, expected, true);
  if (!items) return;
  for (const node* item : *items) {
    auto text = expect_text(ctx.diags, *item, "an example sentence");
    if (!text) continue;
    if (text->empty()) {
      ctx.diags.error(item->pos, "bad-value", "an example cannot be empty");
      continue;
    }
    out.push_back(*text);
  }
}

// A plain list (the default locale) or a map of locale → list.
template <class Sink>
void per_locale(load_context& ctx, const node& n, const std::string& origin,
                std::string_view expected, Sink&& sink) {
  if (n.is_sequence()) {
    read_texts(ctx, n, sink(ctx.model.default_locale), expected);
    return;
  }
  if (!n.is_map()) {
    wrong_type(ctx.diags, n, std::string(expected) + " or a map of locales to such lists");
    return;
  }
  for (const auto& [key, value] : n.entries) {
    std::vector<std::string> ignored;
    if (usable_locale(ctx, *key, origin)) {
      read_texts(ctx, *value, sink(key->text), expected);
    } else {
      read_texts(ctx, *value, ignored, expected);
    }
  }
}

void read_entities(load_context& ctx, const node& entities, const std::string& origin) {
  if (!expect_map(ctx.diags, entities, "a map of lookup entities by name")) return;
  for (const auto& [key, by_locale] : entities.entries) {
    auto name = expect_name(ctx.diags, *key, "entity name");
    if (!name) continue;
    ctx.entity_pos.emplace(*name, key->pos);
    auto& entity = ctx.lookups[*name];
    if (!expect_map(ctx.diags, *by_locale,
                    "a map of locales to values and their synonyms, e.g. {en: {pro: [pro, "
                    "professional]}}",
                    false))
      continue;
    for (const auto& [locale, values] : by_locale->entries) {
      bool use = usable_locale(ctx, *locale, origin);
      if (!expect_map(ctx.diags, *values, "a map of values to their synonyms", false)) continue;
      for (const auto& [val, synonyms] : values->entries) {
        nlu::lookup_value lv;
        lv.value = val->text;
        read_texts(ctx, *synonyms, lv.synonyms, "a list of synonyms");
        if (use) entity[locale->text].push_back(std::move(lv));
      }
    }
  }
}

void read_intents_file(load_context& ctx, const source_file& f) {
  const node& root = *f.root;
  if (!expect_map(ctx.diags, root, "a map with 'intents', 'out_of_scope' or 'entities'")) return;
  check_keys(ctx.diags, root, {"intents", "out_of_scope", "entities"}, "an intents file");
  if (const node* intents = root.find("intents")) {
    if (expect_map(ctx.diags, *intents, "a map of intents by name")) {
      for (const auto& [key, value] : intents->entries) {
        auto name = expect_name(ctx.diags, *key, "intent name");
        if (!name) continue;
        auto [it, inserted] = ctx.intents.try_emplace(*name);
        if (inserted || (it->second.origin != "" && f.origin.empty())) {
          it->second.pos = key->pos;
          it->second.origin = f.origin;
        }
        auto& examples = it->second.examples;  // (clang 14 cannot capture a structured binding)
        per_locale(ctx, *value, f.origin, "a list of example sentences",
                   [&](const std::string& locale) -> std::vector<std::string>& {
                     return examples[locale];
                   });
      }
    }
  }
  if (const node* oos = root.find("out_of_scope")) {
    per_locale(ctx, *oos, f.origin, "a list of example sentences",
               [&](const std::string&) -> std::vector<std::string>& { return ctx.out_of_scope; });
  }
  if (const node* entities = root.find("entities")) read_entities(ctx, *entities, f.origin);
}

}  // namespace

void collect_intents(load_context& ctx) {
  for (bool modules : {true, false}) {
    for (const auto& f : ctx.files) {
      if (f.kind == file_kind::intents && f.origin.empty() != modules) read_intents_file(ctx, f);
    }
  }
}

void build_training(load_context& ctx) {
  bot_model& m = ctx.model;
  std::set<std::string, std::less<>> referenced;
  for (const auto& r : ctx.refs) {
    if (r.kind == ref_kind::intent) referenced.insert(r.name);
  }
  for (const auto& [name, source] : ctx.intents) {
    // The interrupt intents (human, stop, restart, help) train only while the interrupt can fire.
    bool wanted = true;
    for (int i = 0; i < 4; ++i) {
      auto kind = all_interrupts[static_cast<std::size_t>(i)];
      if (name == to_string(kind))
        wanted = *m.interrupts[kind] || ctx.interrupt_requested[static_cast<std::size_t>(i)] ||
                 referenced.contains(name);
    }
    if (!wanted) continue;
    for (const auto& [locale, examples] : source.examples) {
      if (!examples.empty()) m.training.intents.push_back({name, locale, examples});
    }
  }
  // Exact phrases are certain (the interpreter lets them interrupt even a free-text answer); a
  // phrase two intents share is not, so it is left out.
  std::set<std::string, std::less<>> shared;
  const nlu::normalize_options options{m.nlu_config.fold_accents};
  for (const auto& examples : m.training.intents) {
    for (const auto& example : examples.examples) {
      std::string text = nlu::normalize(example, examples.locale, options);
      if (text.empty() || shared.contains(text)) continue;
      auto [it, inserted] = m.exact_examples.emplace(text, examples.intent);
      if (!inserted && it->second != examples.intent) {
        shared.insert(text);
        m.exact_examples.erase(it);
      }
    }
  }
  m.training.out_of_scope = ctx.out_of_scope;
  for (const auto& [name, by_locale] : ctx.lookups) {
    for (const auto& [locale, values] : by_locale) {
      m.training.lookups.push_back({name, locale, values});
    }
  }
}

}  // namespace rapport::dialogs::loader
