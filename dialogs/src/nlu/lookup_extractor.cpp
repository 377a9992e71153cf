#include <algorithm>

#include "nlu/extractors.hpp"

namespace rapport::dialogs::nlu::detail {
namespace {
// Distinct locales remembered per matcher; past it (a client inventing locales) the synonyms
// are worked out for the parse and forgotten.
constexpr std::size_t max_locales = 32;
}  // namespace

std::shared_ptr<const lookup_matcher::synonyms> lookup_matcher::synonyms_for(std::string_view locale,
                                                                             bool fold_accents) const {
  std::string key(1, fold_accents ? '\1' : '\0');
  key.append(locale);
  {
    std::lock_guard lock(mutex_);
    if (auto it = by_locale_.find(key); it != by_locale_.end()) return it->second;
  }
  // Normalising and segmenting every synonym (ICU) is the expensive part: once per locale.
  auto out = std::make_shared<synonyms>();
  const std::string language = base_language(locale);
  const normalize_options options{fold_accents};
  for (const auto& lookup : lookups_) {
    if (!lookup.locale.empty() && base_language(lookup.locale) != language) continue;
    for (const auto& v : lookup.values) {
      auto add = [&](const std::string& text) {
        auto ws = words(text, locale, options);
        if (!ws.empty()) out->push_back({std::move(ws), &lookup, &v});
      };
      add(v.value);
      for (const auto& s : v.synonyms) add(s);
    }
  }
  std::stable_sort(out->begin(), out->end(),
                   [](const synonym& a, const synonym& b) { return a.words.size() > b.words.size(); });
  std::lock_guard lock(mutex_);
  if (by_locale_.size() < max_locales) by_locale_.emplace(std::move(key), out);
  return out;
}

std::vector<entity> lookup_matcher::find(const std::vector<token>& tokens, std::string_view locale,
                                         bool fold_accents) const {
  std::vector<entity> out;
  if (tokens.empty() || lookups_.empty()) return out;
  const auto all = synonyms_for(locale, fold_accents);
  // Words of the text as the synonyms were normalised (punctuation tokens are skipped).
  std::vector<std::size_t> index;  // word position → token
  std::vector<const std::string*> text_words;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].kind == token_kind::other) continue;
    index.push_back(i);
    text_words.push_back(fold_accents ? &tokens[i].text : &tokens[i].exact);
  }
  // Words taken per lookup entity: two entities may share a word, one entity's synonyms may not.
  std::map<const lookup_entity*, std::vector<bool>> taken;
  for (const auto& c : *all) {
    const auto& words = c.words;
    std::vector<bool>* used = nullptr;
    for (std::size_t i = 0; i + words.size() <= text_words.size(); ++i) {
      if (*text_words[i] != words[0]) continue;
      if (used == nullptr) used = &taken.try_emplace(c.entity, text_words.size(), false).first->second;
      bool match = true;
      for (std::size_t k = 0; k < words.size() && match; ++k)
        match = !(*used)[i + k] && *text_words[i + k] == words[k];
      if (!match) continue;
      for (std::size_t k = 0; k < words.size(); ++k) (*used)[i + k] = true;
      out.push_back({c.entity->name, value{c.value->value}, "", tokens[index[i]].begin,
                     tokens[index[i + words.size() - 1]].end});
    }
  }
  std::sort(out.begin(), out.end(), [](const entity& a, const entity& b) { return a.begin < b.begin; });
  return out;
}

}  // namespace rapport::dialogs::nlu::detail
