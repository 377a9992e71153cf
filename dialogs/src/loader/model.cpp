// The bot model's lookups.
#include <cctype>

#include "rapport/dialogs/model.hpp"

namespace rapport::dialogs {

const char* to_string(interrupt_kind k) {
  switch (k) {
    case interrupt_kind::human:
      return "human";
    case interrupt_kind::stop:
      return "stop";
    case interrupt_kind::restart:
      return "restart";
    case interrupt_kind::help:
      return "help";
  }
  return "?";
}

const flow_def* bot_model::find_flow(std::string_view name) const {
  auto it = flows.find(name);
  return it == flows.end() ? nullptr : &it->second;
}

const message_def* bot_model::find_message(std::string_view locale, std::string_view key) const {
  for (std::string_view l : {locale, std::string_view(default_locale)}) {
    auto cat = catalogs.find(l);
    if (cat == catalogs.end()) continue;
    auto it = cat->second.messages.find(key);
    if (it != cat->second.messages.end()) return &it->second;
  }
  return nullptr;
}

namespace {

std::string normalise_locale(std::string_view s) {
  std::string out;
  for (char c : s) {
    out += c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string language_of(const std::string& locale) {
  return locale.substr(0, locale.find('-'));
}

}  // namespace

std::string bot_model::match_locale(std::string_view requested) const {
  const std::string wanted = normalise_locale(requested);
  if (wanted.empty()) return default_locale;
  for (const auto& l : locales) {
    if (normalise_locale(l) == wanted) return l;
  }
  const std::string language = language_of(wanted);
  for (const auto& l : locales) {
    if (normalise_locale(l) == language) return l;
  }
  for (const auto& l : locales) {
    if (language_of(normalise_locale(l)) == language) return l;
  }
  return default_locale;
}

}  // namespace rapport::dialogs
