// Message catalogs, one per locale: the modules' messages, overridden key by key by the bot's
// messages/<locale>.yaml and messages/<locale>/**.yaml. Every text is compiled as an ICU
// MessageFormat pattern for its locale.
#include <set>

#include "loader/declarations.hpp"
#include "loader/names.hpp"
#include "loader/patterns.hpp"
#include "loader/shape.hpp"

namespace rapport::dialogs::loader {

namespace {

struct raw_message {
  const node* key = nullptr;
  const node* value = nullptr;
  std::string origin;
};

// Errors are reported; the message is declared even when some text is broken, so that its uses
// do not add "undefined message" errors on top.
message_def compile_message(load_context& ctx, const std::string& key, const node& value,
                            const std::string& locale) {
  message_def m;
  m.key = key;
  const std::string what = "message '" + key + "'";
  bool ok = true;
  auto add_variant = [&](const node& text) {
    if (!text.is_scalar()) {
      wrong_type(ctx.diags, text, "message text");
      ok = false;
    } else if (auto p = compile_pattern(ctx, text, locale, what)) {
      m.variants.push_back(std::move(*p));
    } else {
      ok = false;
    }
  };
  auto add_variants = [&](const node& list) {
    if (list.items.empty()) {
      ctx.diags.error(list.pos, "bad-value", what + " has an empty list of variants");
      ok = false;
    }
    for (const auto& item : list.items) add_variant(*item);
  };
  if (value.is_scalar()) {
    add_variant(value);
  } else if (value.is_sequence()) {
    add_variants(value);
  } else if (value.is_map()) {
    check_keys(ctx.diags, value, {"text", "variants", "buttons", "promo"}, "a message");
    const node* text = value.find("text");
    const node* variants = value.find("variants");
    if (text && variants) {
      ctx.diags.error(value.find_entry("variants")->key->pos, "bad-value",
                      what + " has both 'text' and 'variants'; keep one");
      ok = false;
    } else if (text) {
      add_variant(*text);
    } else if (variants) {
      if (auto items = expect_list(ctx.diags, *variants, "a list of texts")) {
        add_variants(*variants);
      } else {
        ok = false;
      }
    } else {
      ctx.diags.error(value.pos, "missing-key", what + " needs 'text' or 'variants'");
      ok = false;
    }
    if (const node* buttons = value.find("buttons")) {
      if (expect_map(ctx.diags, *buttons, "a map of option values to button labels")) {
        for (const auto& [option, label] : buttons->entries) {
          if (!label->is_scalar()) {
            wrong_type(ctx.diags, *label, "a button label");
            ok = false;
          } else if (auto p = compile_pattern(ctx, *label, locale,
                                              what + " button '" + option->text + "'")) {
            m.buttons.emplace_back(option->text, std::move(*p));
          } else {
            ok = false;
          }
        }
      }
    }
    if (const node* promo = value.find("promo")) {
      if (auto b = expect_bool(ctx.diags, *promo)) m.promo = *b;
    }
  } else {
    wrong_type(ctx.diags, value, "message text, a list of variants or a map with 'text'");
    ok = false;
  }
  (void)ok;
  return m;
}

void collect(load_context& ctx, const source_file& f, std::map<std::string, raw_message>& raw,
             std::map<std::string, std::string, std::less<>>& origins) {
  const node& root = *f.root;
  if (!expect_map(ctx.diags, root, "a map of message keys to texts")) return;
  for (const auto& [key, value] : root.entries) {
    auto name = expect_message_key(ctx.diags, *key);
    if (!name) continue;
    auto existing = raw.find(*name);
    if (!claim_name(ctx, origins, "message", *name, key->pos, f.origin,
                    existing != raw.end() ? &existing->second.key->pos : nullptr))
      continue;
    raw[*name] = {key.get(), value.get(), f.origin};
  }
}

}  // namespace

void compile_messages(load_context& ctx) {
  bot_model& m = ctx.model;
  for (const auto& f : ctx.files) {
    if (f.kind != file_kind::messages || !f.origin.empty()) continue;
    if (std::find(m.locales.begin(), m.locales.end(), f.locale) == m.locales.end()) {
      ctx.diags.warning({f.path, 1, 1}, "unused-locale",
                        f.path + " is for locale '" + f.locale +
                            "', which is not in bot.yaml locales; the file is ignored",
                        "add " + f.locale + " to locales");
    }
  }
  for (const auto& locale : m.locales) {
    if (!ctx.message_locales.contains(locale) && ctx.bot_file()) {
      ctx.diags.error(
          ctx.locale_pos[locale], "missing-locale",
          "locale '" + locale + "' has no messages: create messages/" + locale + ".yaml");
    }
    std::map<std::string, raw_message> raw;
    auto& origins = ctx.message_origin[locale];
    for (const auto& module : ctx.modules) {
      // A module without this locale serves its English texts for the default locale; other
      // locales fall back to the default locale at run time.
      std::string module_locale = locale;
      auto has = [&](const std::string& l) {
        return std::any_of(ctx.files.begin(), ctx.files.end(), [&](const source_file& f) {
          return f.origin == module && f.kind == file_kind::messages && f.locale == l;
        });
      };
      if (!has(locale)) {
        if (locale != m.default_locale || !has("en")) continue;
        module_locale = "en";
      }
      for (const auto& f : ctx.files) {
        if (f.origin == module && f.kind == file_kind::messages && f.locale == module_locale)
          collect(ctx, f, raw, origins);
      }
    }
    for (const auto& f : ctx.files) {
      if (f.origin.empty() && f.kind == file_kind::messages && f.locale == locale)
        collect(ctx, f, raw, origins);
    }
    catalog& cat = m.catalogs[locale];
    cat.locale = locale;
    for (const auto& [key, r] : raw) {
      auto def = compile_message(ctx, key, *r.value, locale);
      def.pos = r.key->pos;
      cat.messages.emplace(key, std::move(def));
    }
  }
  // `promo` belongs to the message, not to a translation: the default locale decides.
  const auto& reference = m.catalogs[m.default_locale].messages;
  for (auto& [locale, cat] : m.catalogs) {
    if (locale == m.default_locale) continue;
    for (auto& [key, def] : cat.messages) {
      auto it = reference.find(key);
      def.promo = it != reference.end() && it->second.promo;
    }
  }
}

}  // namespace rapport::dialogs::loader
