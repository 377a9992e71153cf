// bot.yaml: the bot's name, locales, imports, policies, defaults, interrupts, NLU settings and
// webhooks. Slots and lead-score rules are read by later stages (they need other declarations).
#include <regex>

#include "loader/load_context.hpp"
#include "loader/names.hpp"
#include "loader/patterns.hpp"
#include "loader/shape.hpp"
#include "loader/step_options.hpp"

namespace rapport::dialogs::loader {

namespace {

const std::vector<std::string> bot_keys{
    "name",         "description", "default_locale", "locales",  "time_zone",  "imports",
    "default_team", "fallback",    "policies",       "defaults", "interrupts", "buying_intents",
    "lead_score",   "nlu",         "slots",          "webhooks"};

std::optional<std::string> expect_locale(reporter& r, const node& n) {
  auto text = expect_text(r, n, "a locale such as en or pt-BR");
  if (!text) return std::nullopt;
  if (is_locale(*text)) return text;
  r.error(n.pos, "bad-locale", "'" + *text + "' is not a locale",
          "write a language code such as en, de or pt-BR");
  return std::nullopt;
}

void read_locales(load_context& ctx, const node& root) {
  bot_model& m = ctx.model;
  if (const node* n = root.find("default_locale")) {
    ctx.default_locale_node = n;
    if (auto l = expect_locale(ctx.diags, *n)) m.default_locale = *l;
  } else {
    required(ctx.diags, root, "default_locale", "bot.yaml");
  }
  ctx.locale_pos[m.default_locale] =
      ctx.default_locale_node ? ctx.default_locale_node->pos : root.pos;
  m.locales = {m.default_locale};
  const node* list = root.find("locales");
  if (!list) return;
  auto items = expect_list(ctx.diags, *list, "a list of locales, e.g. [en, de]");
  if (!items) return;
  bool has_default = false;
  for (const node* item : *items) {
    auto l = expect_locale(ctx.diags, *item);
    if (!l) continue;
    if (*l == m.default_locale) {
      has_default = true;
      ctx.locale_pos[*l] = item->pos;
      continue;
    }
    if (std::find(m.locales.begin(), m.locales.end(), *l) != m.locales.end()) {
      ctx.diags.error(item->pos, "duplicate-name", "locale '" + *l + "' is listed twice");
      continue;
    }
    m.locales.push_back(*l);
    ctx.locale_pos[*l] = item->pos;
  }
  if (!has_default) {
    ctx.diags.error(list->pos, "missing-locale",
                    "locales must include the default locale '" + m.default_locale + "'",
                    "add " + m.default_locale + " to the list");
  }
}

void read_policies(load_context& ctx, const node& n) {
  if (!expect_map(ctx.diags, n, "a map of policies, e.g. {max_unanswered: 2}")) return;
  check_keys(ctx.diags, n, {"max_unanswered"}, "policies");
  if (const node* v = n.find("max_unanswered")) {
    if (auto i = expect_integer(ctx.diags, *v, 1, "a whole number of at least 1"))
      ctx.model.policy.max_unanswered = *i;
  }
}

void read_defaults(load_context& ctx, const node& n) {
  if (!expect_map(ctx.diags, n, "a map of defaults for ask steps (retries, no_input)")) return;
  check_keys(ctx.diags, n, {"retries", "no_input"}, "defaults");
  if (const node* v = n.find("retries")) {
    if (auto i = expect_integer(ctx.diags, *v, 0, "a whole number of at least 0"))
      ctx.model.policy.retries = *i;
  }
  if (const node* v = n.find("no_input")) {
    if (auto d = parse_no_input(ctx, *v, no_input_def{}, "")) ctx.model.policy.no_input = *d;
  }
}

void read_nlu(load_context& ctx, const node& n) {
  if (!expect_map(ctx.diags, n, "a map of NLU settings")) return;
  check_keys(ctx.diags, n, {"threshold", "ambiguity_margin", "fold_accents", "phone_region"},
             "nlu");
  auto fraction = [&](const char* key, double& field) {
    const node* v = n.find(key);
    if (!v) return;
    auto d = plain_number(*v);
    if (d && *d >= 0 && *d <= 1) {
      field = *d;
    } else {
      wrong_type(ctx.diags, *v, "a number between 0 and 1");
    }
  };
  fraction("threshold", ctx.model.nlu_config.threshold);
  fraction("ambiguity_margin", ctx.model.nlu_config.ambiguity_margin);
  if (const node* v = n.find("fold_accents")) {
    if (auto b = expect_bool(ctx.diags, *v)) ctx.model.nlu_config.fold_accents = *b;
  }
  if (const node* v = n.find("phone_region")) {
    static const std::regex region("[A-Z]{2}");
    if (v->is_scalar() && std::regex_match(v->text, region)) {
      ctx.model.nlu_config.phone_region = v->text;
    } else {
      wrong_type(ctx.diags, *v, "a two-letter region code such as US or DE");
    }
  }
}

void read_webhooks(load_context& ctx, const node& n) {
  if (!expect_map(ctx.diags, n, "a map of webhooks by name")) return;
  for (const auto& [key, value] : n.entries) {
    auto name = expect_name(ctx.diags, *key, "webhook name");
    if (!name || !expect_map(ctx.diags, *value, "a map with the webhook's url", false)) continue;
    check_keys(ctx.diags, *value, {"url", "method", "timeout", "headers"}, "a webhook");
    webhook_def w;
    w.name = *name;
    w.pos = key->pos;
    if (const node* url = required(ctx.diags, *value, "url", "a webhook")) {
      if (auto u = expect_text(ctx.diags, *url, "a URL")) {
        if (u->starts_with("http://") || u->starts_with("https://") || u->starts_with("${")) {
          w.url = *u;
        } else {
          ctx.diags.error(url->pos, "bad-value",
                          "expected an http:// or https:// URL, got '" + *u + "'");
        }
      }
    }
    if (const node* m = value->find("method")) {
      if (m->is_scalar() && (m->text == "GET" || m->text == "POST")) {
        w.method = m->text;
      } else {
        wrong_type(ctx.diags, *m, "GET or POST");
      }
    }
    if (const node* t = value->find("timeout")) {
      if (auto d = expect_duration(ctx.diags, *t)) w.timeout = *d;
    }
    if (const node* h = value->find("headers")) {
      if (expect_map(ctx.diags, *h, "a map of header names to values")) {
        for (const auto& [hk, hv] : h->entries) {
          if (auto text = expect_text(ctx.diags, *hv, "a header value"))
            w.headers.emplace_back(hk->text, *text);
        }
      }
    }
    ctx.model.webhooks.emplace(w.name, std::move(w));
  }
}

}  // namespace

void read_bot_settings(load_context& ctx) {
  const source_file* file = ctx.bot_file();
  bot_model& m = ctx.model;
  for (auto k : all_interrupts) m.interrupts[k] = true;
  m.locales = {m.default_locale};
  if (!file) return;
  const node& root = *file->root;
  ctx.bot_root = &root;
  if (root.is_null()) {
    ctx.diags.error(root.pos, "missing-key",
                    "bot.yaml is empty: it needs at least 'name' and 'default_locale'");
    return;
  }
  if (!expect_map(ctx.diags, root, "a map of bot settings (name, default_locale, ...)")) return;
  check_keys(ctx.diags, root, bot_keys, "bot.yaml");

  if (const node* n = required(ctx.diags, root, "name", "bot.yaml")) {
    if (auto text = expect_text(ctx.diags, *n, "the bot's name")) {
      if (is_bot_name(*text)) {
        m.name = *text;
      } else {
        ctx.diags.error(
            n->pos, "bad-name",
            "'" + *text + "' is not a valid bot name: use letters, digits, '-' and '_'");
      }
    }
  }
  if (const node* n = root.find("description")) {
    if (auto text = expect_text(ctx.diags, *n, "text")) m.description = *text;
  }
  read_locales(ctx, root);
  if (const node* n = root.find("time_zone")) {
    static const std::regex zone(R"([A-Za-z_]+(/[A-Za-z0-9_+\-]+)*)");
    if (n->is_scalar() && std::regex_match(n->text, zone) && n->text.size() < 64) {
      m.time_zone = n->text;
    } else {
      wrong_type(ctx.diags, *n, "an IANA time zone such as Europe/Berlin or UTC");
    }
  }
  if (const node* n = root.find("imports")) {
    ctx.imports_node = n;
    if (!expect_list(ctx.diags, *n, "a list of standard library modules, e.g. [handoff, opt_out]"))
      ctx.imports_node = nullptr;
  }
  if (const node* n = root.find("default_team")) {
    if (auto text = expect_text(ctx.diags, *n, "a team name"); text && !text->empty())
      m.default_team = *text;
  }
  if (const node* n = root.find("fallback")) {
    if (auto name = expect_name(ctx.diags, *n, "flow name")) {
      m.fallback_flow = *name;
      ctx.refer(ref_kind::flow, *name, n->pos, "", "the fallback flow");
    }
  }
  if (const node* n = root.find("policies")) read_policies(ctx, *n);
  if (const node* n = root.find("defaults")) read_defaults(ctx, *n);
  if (const node* n = root.find("interrupts")) {
    ctx.interrupts_node = n;
    auto switches = parse_interrupt_switches(ctx, *n, "", true);
    for (auto k : all_interrupts) {
      if (switches[k]) m.interrupts[k] = switches[k];
    }
  }
  if (const node* n = root.find("buying_intents")) {
    if (auto items = expect_list(ctx.diags, *n, "a list of intents")) {
      for (const node* item : *items) {
        if (auto name = expect_name(ctx.diags, *item, "intent name")) {
          m.buying_intents.push_back(*name);
          ctx.refer(ref_kind::intent, *name, item->pos, "");
        }
      }
    }
  }
  if (const node* n = root.find("lead_score")) ctx.lead_score_node = n;
  if (const node* n = root.find("nlu")) read_nlu(ctx, *n);
  if (const node* n = root.find("slots")) ctx.slots_node = n;
  if (const node* n = root.find("webhooks")) read_webhooks(ctx, *n);
}

void compile_lead_score(load_context& ctx) {
  if (!ctx.lead_score_node) return;
  auto rules = expect_list(ctx.diags, *ctx.lead_score_node,
                           "a list of rules, e.g. [{if: intent == \"pricing\", add: 30}]");
  if (!rules) return;
  for (const node* rule : *rules) {
    if (!expect_map(ctx.diags, *rule, "a rule {if: condition, add: points}", false)) continue;
    check_keys(ctx.diags, *rule, {"if", "add"}, "a lead_score rule");
    const node* condition = required(ctx.diags, *rule, "if", "a lead_score rule");
    const node* add = required(ctx.diags, *rule, "add", "a lead_score rule");
    if (!condition || !add) continue;
    auto points = expect_number(ctx.diags, *add, "a number of points");
    if (!expect_text(ctx.diags, *condition, "a condition")) continue;
    auto expr = compile_expression(ctx, *condition, 0, false);
    if (expr && points) ctx.model.lead_score.push_back({std::move(*expr), *points, rule->pos});
  }
}

}  // namespace rapport::dialogs::loader
