#include "answers.hpp"

#include <algorithm>
#include <cmath>

namespace rapport::dialogs::detail {

namespace {

std::optional<double> integer_in(std::optional<double> n, double low, double high) {
  if (!n || *n != std::floor(*n) || *n < low || *n > high) return std::nullopt;
  return n;
}

std::optional<value> first_entity(const nlu::result& understood, std::string_view type) {
  for (const auto& e : understood.entities)
    if (e.type == type) return e.val;
  return std::nullopt;
}

const message_pattern* button_label(const bot_model& bot, std::string_view locale,
                                    const std::string& prompt_key, std::string_view option) {
  const message_def* m = bot.find_message(locale, prompt_key);
  if (m == nullptr) return nullptr;
  for (const auto& [value, label] : m->buttons)
    if (value == option) return &label;
  return nullptr;
}

// Whole-word containment in normalised text: " pro " in " the pro plan ".
bool contains_words(const std::string& text, const std::string& phrase) {
  if (phrase.empty()) return false;
  return (" " + text + " ").find(" " + phrase + " ") != std::string::npos;
}

std::optional<value> parse_choice(const bot_model& bot, const slot_def& slot,
                                  const std::string& prompt_key, const user_message& message,
                                  const nlu::result& understood, std::string_view locale) {
  const auto& options = slot.options;
  if (!message.payload.empty()) {
    if (std::find(options.begin(), options.end(), message.payload) != options.end())
      return value{message.payload};
  }
  const nlu::normalize_options norm{bot.nlu_config.fold_accents};
  const std::string text = nlu::normalize(message.text, locale, norm);
  if (text.empty()) return std::nullopt;

  // Every way an option can be named: its value and its button labels in every locale.
  std::vector<std::vector<std::string>> names(options.size());
  for (std::size_t i = 0; i < options.size(); ++i) {
    std::string spoken = options[i];
    std::replace(spoken.begin(), spoken.end(), '_', ' ');
    names[i].push_back(nlu::normalize(spoken, locale, norm));
    for (const auto& loc : bot.locales)
      if (const auto* label = button_label(bot, loc, prompt_key, options[i]))
        names[i].push_back(nlu::normalize(label->render({}), loc, norm));
  }
  for (std::size_t i = 0; i < options.size(); ++i)
    if (std::find(names[i].begin(), names[i].end(), text) != names[i].end())
      return value{options[i]};

  if (auto n = integer_in(nlu::parse_number(message.text, locale), 1, double(options.size()));
      n && text.find_first_not_of("0123456789 .") == std::string::npos)
    return value{options[static_cast<std::size_t>(*n) - 1]};

  if (!slot.entity.empty())
    if (auto v = first_entity(understood, slot.entity))
      if (const auto* s = std::get_if<std::string>(&*v);
          s != nullptr && std::find(options.begin(), options.end(), *s) != options.end())
        return v;

  // "I'm mostly interested in pricing": exactly one option named inside the message.
  std::optional<std::size_t> found;
  for (std::size_t i = 0; i < options.size(); ++i) {
    bool named = std::any_of(names[i].begin(), names[i].end(),
                             [&](const std::string& n) { return contains_words(text, n); });
    if (!named) continue;
    if (found) return std::nullopt;  // two options named: ambiguous
    found = i;
  }
  if (found) return value{options[*found]};
  return std::nullopt;
}

std::optional<value> parse_yes_no(const bot_model& bot, const user_message& message,
                                  std::string_view locale) {
  if (message.payload == "yes") return value{true};
  if (message.payload == "no") return value{false};
  if (auto b = nlu::parse_yes_no(message.text, locale)) return value{*b};
  return std::nullopt;
}

std::optional<value> parse_scale(const user_message& message, std::string_view locale, double low,
                                 double high) {
  const std::string& source = message.payload.empty() ? message.text : message.payload;
  if (auto n = integer_in(nlu::parse_number(source, locale), low, high)) return value{*n};
  return std::nullopt;
}

}  // namespace

std::optional<value> parse_answer(const bot_model& bot, const slot_def& slot,
                                  const ask_step& ask, const user_message& message,
                                  const nlu::result& understood, std::string_view locale) {
  switch (slot.type) {
    case slot_type::text: {
      if (!slot.entity.empty()) {  // the first mention of the entity, as text
        auto v = first_entity(understood, slot.entity);
        if (!v) return std::nullopt;
        return std::holds_alternative<std::string>(*v) ? *v : value{to_text(*v)};
      }
      const std::string& t = message.payload.empty() ? message.text : message.payload;
      if (t.find_first_not_of(" \t\r\n") == std::string::npos) return std::nullopt;
      return value{t};
    }
    case slot_type::choice:
      return parse_choice(bot, slot, ask.prompt, message, understood, locale);
    case slot_type::yes_no:
      return parse_yes_no(bot, message, locale);
    case slot_type::number: {
      auto n = nlu::parse_number(message.payload.empty() ? message.text : message.payload, locale);
      if (!n) n = [&]() -> std::optional<double> {
        if (auto v = first_entity(understood, "number"))
          if (const auto* d = std::get_if<double>(&*v)) return *d;
        return std::nullopt;
      }();
      if (!n || (slot.min && *n < *slot.min) || (slot.max && *n > *slot.max)) return std::nullopt;
      return value{*n};
    }
    case slot_type::rating:
      return parse_scale(message, locale, 1, 5);
    case slot_type::nps:
      return parse_scale(message, locale, 0, 10);
    case slot_type::email:
      return first_entity(understood, "email");
    case slot_type::phone:
      return first_entity(understood, "phone");
    case slot_type::date:
      return first_entity(understood, "date");
  }
  return std::nullopt;
}

std::vector<button> answer_buttons(const bot_model& bot, const slot_def& slot,
                                   const std::string& prompt_key, std::string_view locale,
                                   const value_map& arguments) {
  std::vector<button> out;
  auto labelled = [&](const std::string& option, const std::string& fallback_key,
                      const std::string& fallback_text) {
    if (const auto* label = button_label(bot, locale, prompt_key, option))
      return button{label->render(arguments), option};
    if (!fallback_key.empty())
      if (const message_def* m = bot.find_message(locale, fallback_key); m && !m->variants.empty())
        return button{m->variants.front().render(arguments), option};
    return button{fallback_text, option};
  };
  switch (slot.type) {
    case slot_type::choice:
      for (const auto& option : slot.options) out.push_back(labelled(option, "", option));
      break;
    case slot_type::yes_no:
      out.push_back(labelled("yes", "rapport.yes", "Yes"));
      out.push_back(labelled("no", "rapport.no", "No"));
      break;
    case slot_type::rating:
      for (int i = 1; i <= 5; ++i) out.push_back(labelled(std::to_string(i), "", std::to_string(i)));
      break;
    case slot_type::nps:
      for (int i = 0; i <= 10; ++i)
        out.push_back(labelled(std::to_string(i), "", std::to_string(i)));
      break;
    default:
      break;
  }
  return out;
}

}  // namespace rapport::dialogs::detail
