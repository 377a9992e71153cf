// parse_yes_no: yes/no answers in English, German, Spanish and French (other languages fall back
// to English, so the universal "ok" and "no" still work).
#include <algorithm>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "nlu/unicode_text.hpp"
#include "rapport/dialogs/nlu.hpp"

namespace rapport::dialogs::nlu {
namespace {

struct yes_no_words {
  std::vector<std::string> yes, no, unsure;  // normalised phrases, accents folded
  std::vector<std::string> weak_yes{};        // yes alone, but not against a no
};

const yes_no_words& words_for(const std::string& language) {
  static const std::map<std::string, yes_no_words> table{
      {"en",
       {{"yes", "y", "yeah", "yea", "yep", "yup", "sure", "ok", "okay", "k", "of course",
         "absolutely", "definitely", "certainly", "correct", "that's right", "indeed", "yes please", "go ahead", "affirmative", "sounds good", "why not", "i do",
         "i am", "true", "no problem", "no worries"},
        {"no", "n", "nope", "nah", "no thanks", "no thank you", "not really", "never",
         "not at all", "negative", "i don't", "i do not", "i'm not", "i am not", "false",
         "not now", "not right now", "no way", "don't", "do not", "absolutely not",
         "definitely not", "certainly not", "of course not", "not yet"},
        {"not sure", "maybe", "perhaps", "don't know", "i don't know", "dunno"},
        {"please", "right"}}},
      {"de",
       {{"ja", "jawohl", "jap", "jep", "jo", "genau", "klar", "na klar", "sicher", "gerne", "gern",
         "naturlich", "ok", "okay", "stimmt", "richtig", "auf jeden fall", "bitte", "ja bitte",
         "einverstanden", "sehr gerne", "passt", "kein problem"},
        {"nein", "nee", "ne", "no", "nö", "no", "noe", "nicht", "auf keinen fall", "lieber nicht",
         "nein danke", "niemals", "eher nicht", "gar nicht", "falsch"},
        {"nicht sicher", "vielleicht", "weiss nicht", "keine ahnung", "weiß nicht"}}},
      {"es",
       {{"si", "sí", "claro", "claro que si", "vale", "por supuesto", "de acuerdo", "correcto",
         "afirmativo", "ok", "okay", "bueno", "exacto", "desde luego", "si por favor", "dale",
         "cierto", "perfecto", "sin problema", "no hay problema"},
        {"no", "nop", "para nada", "negativo", "de ninguna manera", "nunca", "no gracias",
         "en absoluto", "jamas", "incorrecto", "ni hablar"},
        {"no se", "quizas", "tal vez", "no estoy seguro", "no estoy segura", "a lo mejor"}}},
      {"fr",
       {{"oui", "ouais", "bien sur", "d'accord", "absolument", "exact", "exactement", "ok",
         "okay", "volontiers", "certainement", "tout a fait", "oui merci", "carrement",
         "evidemment", "ca marche", "entendu", "correct", "si", "pas de probleme",
         "pas de souci"},
        {"non", "nan", "pas du tout", "jamais", "non merci", "absolument pas", "surtout pas",
         "pas vraiment", "negatif", "certainement pas", "pas question"},
        {"je ne sais pas", "peut etre", "pas sur", "pas sure", "je sais pas"}}},
  };
  auto it = table.find(language);
  return it != table.end() ? it->second : table.at("en");
}

struct entry {
  std::vector<std::string> phrase;
  int kind;  // 0 unsure, 1 yes, 2 no, 3 weak yes
};

// The language's phrases as normalised words, longest first, so "not sure" is consumed before
// "sure" and "no thanks" before "no".
const std::vector<entry>& compiled_for(const std::string& language) {
  static std::mutex mutex;
  static std::map<std::string, std::vector<entry>> cache;
  std::lock_guard lock(mutex);
  auto it = cache.find(language);
  if (it != cache.end()) return it->second;
  const yes_no_words& table = words_for(language);
  std::vector<entry> entries;
  auto add = [&](const std::vector<std::string>& list, int kind) {
    for (const auto& p : list) entries.push_back({words(p, language), kind});
  };
  add(table.unsure, 0);
  add(table.no, 2);
  add(table.yes, 1);
  add(table.weak_yes, 3);
  std::stable_sort(entries.begin(), entries.end(), [](const entry& a, const entry& b) {
    return a.phrase.size() > b.phrase.size();
  });
  return cache.emplace(language, std::move(entries)).first->second;
}

// Does the phrase occur in `ws` at a word boundary? Returns the count of occurrences.
int count_phrase(const std::vector<std::string>& ws, const std::vector<std::string>& phrase,
                 std::vector<bool>& used) {
  int count = 0;
  if (phrase.empty() || phrase.size() > ws.size()) return 0;
  for (std::size_t i = 0; i + phrase.size() <= ws.size(); ++i) {
    bool match = true;
    for (std::size_t k = 0; k < phrase.size() && match; ++k)
      match = !used[i + k] && ws[i + k] == phrase[k];
    if (!match) continue;
    for (std::size_t k = 0; k < phrase.size(); ++k) used[i + k] = true;
    ++count;
  }
  return count;
}

}  // namespace

std::optional<bool> parse_yes_no(std::string_view text, std::string_view locale) {
  std::string language = detail::base_language(locale);
  static const char* known[] = {"en", "de", "es", "fr"};
  if (std::find_if(std::begin(known), std::end(known),
                   [&](const char* k) { return language == k; }) == std::end(known))
    language = "en";
  std::vector<std::string> ws = words(text, locale);
  if (ws.empty() || ws.size() > 24) return std::nullopt;  // an essay is not a yes/no answer
  const std::vector<entry>& entries = compiled_for(language);
  std::vector<bool> used(ws.size(), false);
  int counts[4] = {0, 0, 0, 0};
  for (const auto& e : entries) counts[e.kind] += count_phrase(ws, e.phrase, used);
  if (counts[0] > 0) return std::nullopt;
  // Weak yes words ("please", "right") agree only when nothing says no: "no, please don't".
  if (counts[1] > 0 && counts[2] == 0) return true;
  if (counts[2] > 0 && counts[1] == 0) return false;
  if (counts[3] > 0 && counts[1] == 0 && counts[2] == 0) return true;
  return std::nullopt;
}

}  // namespace rapport::dialogs::nlu
