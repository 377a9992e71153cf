#include <algorithm>
#include <map>

#include "nlu/extractors.hpp"

namespace rapport::dialogs::nlu::detail {

std::vector<entity> find_lookups(const std::vector<token>& tokens, std::string_view locale,
                                 const std::vector<lookup_entity>& lookups, bool fold_accents) {
  std::vector<entity> out;
  if (tokens.empty()) return out;
  const std::string language = base_language(locale);
  struct candidate {
    std::vector<std::string> words;
    const lookup_entity* entity;
    const lookup_value* value;
  };
  std::vector<candidate> candidates;
  normalize_options options{fold_accents};
  for (const auto& lookup : lookups) {
    if (!lookup.locale.empty() && base_language(lookup.locale) != language) continue;
    for (const auto& v : lookup.values) {
      auto add = [&](const std::string& text) {
        auto ws = words(text, locale, options);
        if (!ws.empty()) candidates.push_back({std::move(ws), &lookup, &v});
      };
      add(v.value);
      for (const auto& s : v.synonyms) add(s);
    }
  }
  // Longest synonym first; declaration order breaks ties (stable).
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const candidate& a, const candidate& b) { return a.words.size() > b.words.size(); });
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
  for (const auto& c : candidates) {
    auto& used = taken.try_emplace(c.entity, text_words.size(), false).first->second;
    for (std::size_t i = 0; i + c.words.size() <= text_words.size(); ++i) {
      bool match = true;
      for (std::size_t k = 0; k < c.words.size() && match; ++k)
        match = !used[i + k] && *text_words[i + k] == c.words[k];
      if (!match) continue;
      for (std::size_t k = 0; k < c.words.size(); ++k) used[i + k] = true;
      out.push_back({c.entity->name, value{c.value->value}, "", tokens[index[i]].begin,
                     tokens[index[i + c.words.size() - 1]].end});
    }
  }
  std::sort(out.begin(), out.end(), [](const entity& a, const entity& b) { return a.begin < b.begin; });
  return out;
}

}  // namespace rapport::dialogs::nlu::detail
