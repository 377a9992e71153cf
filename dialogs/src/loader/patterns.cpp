#include "loader/patterns.hpp"

#include "loader/builtins.hpp"
#include "loader/names.hpp"

namespace rapport::dialogs::loader {

namespace {

std::vector<std::string> slot_names(const load_context& ctx) {
  std::vector<std::string> out;
  for (const auto& [name, slot] : ctx.model.slots) out.push_back(name);
  return out;
}

bool contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

std::optional<message_pattern> compile_pattern(load_context& ctx, const node& n,
                                               const std::string& locale, const std::string& what) {
  auto compiled = message_pattern::compile(n.text, locale);
  if (auto* error = std::get_if<format_error>(&compiled)) {
    ctx.diags.error(n.pos_at_character(0, error->offset), "bad-message",
                    what + ": " + error->message,
                    "texts are ICU MessageFormat: arguments in {braces}, a literal brace as '{'");
    return std::nullopt;
  }
  auto& pattern = std::get<message_pattern>(compiled);
  bool ok = true;
  for (const auto& argument : pattern.argument_names()) {
    if (ctx.model.slots.contains(argument)) {
      ctx.variables_read.insert(argument);
      continue;
    }
    if (contains(message_builtins(), argument)) continue;
    auto candidates = slot_names(ctx);
    candidates.insert(candidates.end(), message_builtins().begin(), message_builtins().end());
    std::string hint = did_you_mean(argument, candidates);
    if (hint.empty())
      hint = "declare a slot '" + argument + "' or use one of " +
             quoted_list(message_builtins(), "or");
    auto at = find_word(n.text, argument);
    ctx.diags.error(at == std::string::npos ? n.pos : n.pos_at(at), "unknown-argument",
                    what + " uses {" + argument + "}, which is neither a slot nor a built-in",
                    hint);
    ok = false;
  }
  if (!ok) return std::nullopt;
  return std::move(pattern);
}

std::optional<expression> compile_expression(load_context& ctx, const node& n, std::size_t skip,
                                             bool allows_value) {
  std::string_view text(n.text);
  text.remove_prefix(std::min(skip, text.size()));
  auto parsed = expression::parse(text);
  if (auto* error = std::get_if<expression_error>(&parsed)) {
    const source_pos at = n.pos_at_character(skip, error->offset);
    std::string hint;  // the opening bracket, as a place in the file rather than in the text
    if (error->opened_at >= 0 && n.source) {
      const source_pos opened = n.pos_at_character(skip, error->opened_at);
      hint = opened.line == at.line ? "opened at column " + std::to_string(opened.column)
                                    : "opened at line " + std::to_string(opened.line) +
                                          ", column " + std::to_string(opened.column);
    } else if (error->opened_at >= 0) {  // the text is not verbatim in the file (a block scalar)
      hint = "opened at character " + std::to_string(error->opened_at + 1) + " of the expression";
    }
    ctx.diags.error(at, "bad-expression", "expression: " + error->message, hint);
    return std::nullopt;
  }
  auto& expr = std::get<expression>(parsed);
  bool ok = true;
  for (const auto& variable : expr.variables()) {
    if (ctx.model.slots.contains(variable)) {
      ctx.variables_read.insert(variable);
      continue;
    }
    if (variable.starts_with("entity.")) {  // an entity of the visitor's last message
      const std::string type = variable.substr(7);
      if (contains(builtin_entities(), type) || ctx.lookups.contains(type) ||
          ctx.broken_mentions({file_kind::intents}, type))
        continue;
      std::vector<std::string> types = builtin_entities();
      for (const auto& [name, values] : ctx.lookups) types.push_back(name);
      std::string hint = did_you_mean(type, types);
      auto at = find_word(text, variable);
      ctx.diags.error(at == std::string::npos ? n.pos : n.pos_at(skip + at), "unknown-entity",
                      "unknown entity '" + type + "' in '" + variable + "'",
                      hint.empty() ? "entities are " + quoted_list(builtin_entities(), "or") +
                                         ", or a lookup entity declared under 'entities:'"
                                   : hint);
      ok = false;
      continue;
    }
    if (contains(expression_builtins(), variable) || variable.starts_with("context.") ||
        (allows_value && variable == "value"))
      continue;
    auto candidates = slot_names(ctx);
    candidates.insert(candidates.end(), expression_builtins().begin(), expression_builtins().end());
    if (allows_value) candidates.push_back("value");
    std::string hint = did_you_mean(variable, candidates);
    if (hint.empty()) {
      hint = variable == "value" ? "'value' is the parsed answer, only inside an ask's validate"
                                 : "declare a slot '" + variable +
                                       "', or read page data as "
                                       "context." +
                                       variable;
    }
    auto at = find_word(text, variable);
    ctx.diags.error(at == std::string::npos ? n.pos : n.pos_at(skip + at), "unknown-variable",
                    "unknown variable '" + variable + "': not a slot or a built-in", hint);
    ok = false;
  }
  if (!ok) return std::nullopt;
  return std::move(expr);
}

}  // namespace rapport::dialogs::loader
