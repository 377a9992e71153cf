#include <algorithm>
#include <map>
#include <unordered_map>

#include "nlu/extractors.hpp"

namespace rapport::dialogs::nlu::detail {
namespace {

// words() of each synonym, remembered: normalising and segmenting every synonym of every lookup
// table again at each parse was a third of the server's CPU time (docs/performance.md). words()
// is a pure function, so a per-thread memo is exact. It is bounded: find_lookups() starts it
// over when full (e.g. after many bot reloads), before taking references into it.
using words_memo = std::unordered_map<std::string, std::vector<std::string>>;
constexpr std::size_t max_memo_entries = 50'000;

words_memo& memo() {
  thread_local words_memo m;
  return m;
}

const std::vector<std::string>& synonym_words(const std::string& text, std::string_view locale,
                                              const normalize_options& options) {
  std::string key;
  key.reserve(text.size() + locale.size() + 2);
  key.append(locale).push_back(options.fold_accents ? '\1' : '\0');
  key.append(text);
  if (auto it = memo().find(key); it != memo().end()) return it->second;
  return memo().emplace(std::move(key), words(text, locale, options)).first->second;
}

}  // namespace

std::vector<entity> find_lookups(const std::vector<token>& tokens, std::string_view locale,
                                 const std::vector<lookup_entity>& lookups, bool fold_accents) {
  std::vector<entity> out;
  if (tokens.empty()) return out;
  if (memo().size() >= max_memo_entries) memo().clear();
  const std::string language = base_language(locale);
  struct candidate {
    const std::vector<std::string>* words;
    const lookup_entity* entity;
    const lookup_value* value;
  };
  std::vector<candidate> candidates;
  normalize_options options{fold_accents};
  for (const auto& lookup : lookups) {
    if (!lookup.locale.empty() && base_language(lookup.locale) != language) continue;
    for (const auto& v : lookup.values) {
      auto add = [&](const std::string& text) {
        const auto& ws = synonym_words(text, locale, options);
        if (!ws.empty()) candidates.push_back({&ws, &lookup, &v});
      };
      add(v.value);
      for (const auto& s : v.synonyms) add(s);
    }
  }
  // Longest synonym first; declaration order breaks ties (stable).
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const candidate& a, const candidate& b) { return a.words->size() > b.words->size(); });
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
    const auto& words = *c.words;
    for (std::size_t i = 0; i + words.size() <= text_words.size(); ++i) {
      bool match = true;
      for (std::size_t k = 0; k < words.size() && match; ++k)
        match = !used[i + k] && *text_words[i + k] == words[k];
      if (!match) continue;
      for (std::size_t k = 0; k < words.size(); ++k) used[i + k] = true;
      out.push_back({c.entity->name, value{c.value->value}, "", tokens[index[i]].begin,
                     tokens[index[i + words.size() - 1]].end});
    }
  }
  std::sort(out.begin(), out.end(), [](const entity& a, const entity& b) { return a.begin < b.begin; });
  return out;
}

}  // namespace rapport::dialogs::nlu::detail
