// Slot declarations: under `slots:` in bot.yaml and in any flows file (modules' first, so the
// bot's override them).
#include <set>

#include "loader/builtins.hpp"
#include "loader/declarations.hpp"
#include "loader/names.hpp"
#include "loader/shape.hpp"

namespace rapport::dialogs::loader {

namespace {

const std::vector<std::pair<std::string, slot_type>> slot_types{
    {"text", slot_type::text},     {"choice", slot_type::choice}, {"yes_no", slot_type::yes_no},
    {"number", slot_type::number}, {"email", slot_type::email},   {"phone", slot_type::phone},
    {"rating", slot_type::rating}, {"nps", slot_type::nps},       {"date", slot_type::date}};

std::optional<slot_type> read_type(reporter& r, const node& n) {
  std::vector<std::string> names;
  for (const auto& [name, type] : slot_types) {
    if (n.is_scalar() && n.text == name) return type;
    names.push_back(name);
  }
  std::string hint = n.is_scalar() ? did_you_mean(n.text, names) : std::string{};
  r.error(n.pos, n.is_scalar() ? "bad-value" : "wrong-type",
          "expected a slot type (" + quoted_list(names, "or") + "), got " + describe(n), hint);
  return std::nullopt;
}

void read_slot(load_context& ctx, const node& key, const node& value, const std::string& origin) {
  auto name = expect_name(ctx.diags, key, "slot name");
  if (!name) return;
  const auto& reserved = reserved_slot_names();
  if (std::find(reserved.begin(), reserved.end(), *name) != reserved.end()) {
    ctx.diags.error(key.pos, "reserved-name",
                    "'" + *name + "' is a built-in variable and cannot be a slot name",
                    "choose another name, e.g. '" + *name + "_value'");
    return;
  }
  slot_def slot;
  slot.name = *name;
  slot.pos = key.pos;
  if (!expect_map(ctx.diags, value, "a map with the slot's type, e.g. {type: text}", false)) {
    auto existing = ctx.model.slots.find(slot.name);
    if (claim_name(ctx, ctx.slot_origin, "slot", slot.name, slot.pos, origin,
                   existing != ctx.model.slots.end() ? &existing->second.pos : nullptr))
      ctx.model.slots.insert_or_assign(slot.name, std::move(slot));
    return;
  }
  check_keys(ctx.diags, value, {"type", "options", "min", "max", "entity"}, "a slot");
  // A slot with a broken definition is still declared (as text), so its uses do not add
  // "undefined slot" errors on top.
  auto declare = [&] {
    auto existing = ctx.model.slots.find(slot.name);
    if (!claim_name(ctx, ctx.slot_origin, "slot", slot.name, slot.pos, origin,
                    existing != ctx.model.slots.end() ? &existing->second.pos : nullptr))
      return;
    ctx.model.slots.insert_or_assign(slot.name, std::move(slot));
  };
  const node* type_node = required(ctx.diags, value, "type", "slot '" + *name + "'");
  auto type = type_node ? read_type(ctx.diags, *type_node) : std::nullopt;
  if (!type) return declare();
  slot.type = *type;

  auto only_for = [&](const char* key_name, std::initializer_list<slot_type> types,
                      const char* types_text) {
    const map_entry* e = value.find_entry(key_name);
    if (!e) return (const node*)nullptr;
    if (std::find(types.begin(), types.end(), slot.type) == types.end()) {
      ctx.diags.error(e->key->pos, "unknown-key",
                      std::string("'") + key_name + "' applies to " + types_text + " slots only");
      return (const node*)nullptr;
    }
    return e->value.get();
  };
  if (const node* options = only_for("options", {slot_type::choice}, "choice")) {
    if (auto items = expect_list(ctx.diags, *options, "a list of option values")) {
      std::set<std::string> seen;
      for (const node* item : *items) {
        auto text = expect_text(ctx.diags, *item, "an option value");
        if (!text) continue;
        if (text->empty()) {
          ctx.diags.error(item->pos, "bad-value", "an option value cannot be empty");
        } else if (!seen.insert(*text).second) {
          ctx.diags.error(item->pos, "duplicate-name", "option '" + *text + "' is listed twice");
        } else {
          slot.options.push_back(*text);
        }
      }
    }
  }
  if (slot.type == slot_type::choice && !value.find("options")) {
    ctx.diags.error(type_node->pos, "missing-key",
                    "slot '" + *name + "' is a choice: it needs 'options'",
                    "e.g. options: [pricing, demo, support]");
  } else if (slot.type == slot_type::choice && slot.options.empty() && value.find("options")) {
    if (value.find("options")->is_sequence())
      ctx.diags.error(value.find("options")->pos, "bad-value",
                      "a choice needs at least one option");
  }
  for (auto [key_name, field] : {std::pair{"min", &slot.min}, std::pair{"max", &slot.max}}) {
    if (const node* v = only_for(key_name, {slot_type::number}, "number")) {
      if (auto d = expect_number(ctx.diags, *v, "a number")) *field = *d;
    }
  }
  if (slot.min && slot.max && *slot.min > *slot.max) {
    ctx.diags.error(value.find("max")->pos, "bad-value", "max is smaller than min");
  }
  if (const node* v = only_for("entity", {slot_type::choice, slot_type::text}, "choice and text")) {
    if (auto entity = expect_name(ctx.diags, *v, "entity name")) {
      slot.entity = *entity;
      // A text slot may also take a built-in entity ("entity: money"); a choice needs a lookup
      // entity whose values are its options.
      const auto& builtins = builtin_entities();
      const bool builtin = std::find(builtins.begin(), builtins.end(), *entity) != builtins.end();
      if (!(builtin && slot.type == slot_type::text))
        ctx.refer(ref_kind::entity, *entity, v->pos, origin,
                  slot.type == slot_type::text ? "" : "a choice takes a lookup entity");
    }
  }
  declare();
}

void read_slots(load_context& ctx, const node& slots, const std::string& origin) {
  if (!expect_map(ctx.diags, slots, "a map of slots by name")) return;
  for (const auto& [key, value] : slots.entries) read_slot(ctx, *key, *value, origin);
}

}  // namespace

void declare_slots(load_context& ctx) {
  for (bool modules : {true, false}) {
    if (!modules && ctx.slots_node) read_slots(ctx, *ctx.slots_node, "");
    for (const auto& f : ctx.files) {
      if (f.kind != file_kind::flows || f.origin.empty() == modules || !f.root->is_map()) continue;
      if (const node* slots = f.root->find("slots")) read_slots(ctx, *slots, f.origin);
    }
  }
}

}  // namespace rapport::dialogs::loader
