#include "nlu/number_words.hpp"

#include <unicode/dcfmtsym.h>
#include <unicode/locid.h>
#include <unicode/rbnf.h>
#include <unicode/uchar.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

namespace rapport::dialogs::nlu::detail {
namespace {

// Number words of one language, built by formatting numbers with the spellout rules.
struct number_lexicon {
  std::unordered_map<std::string, double> phrases;  // "forty two" → 42 (0..999)
  std::size_t longest_phrase = 1;                    // in words
  std::unordered_map<std::string, double> multipliers;  // "hundred" → 100, "millionen" → 1e6
  std::unordered_set<std::string> connectors;           // "and", "y", "et"
  bool compounds = false;  // numbers are written as one word ("zweiundvierzig", "二十一")
  std::size_t longest_word = 0;  // in bytes, for compound splitting
  char32_t decimal = '.', grouping = ',';
};

// The parts of a formatted number: split on spaces, hyphens, soft hyphens and zero-width
// spaces (ICU marks morpheme boundaries of compounds with the latter two).
std::vector<std::string> parts_of(const icu::UnicodeString& formatted) {
  std::vector<std::string> parts;
  icu::UnicodeString current;
  auto flush = [&] {
    if (!current.isEmpty()) parts.push_back(to_utf8(fold(current, true)));
    current.remove();
  };
  for (int32_t i = 0; i < formatted.length(); ++i) {
    char16_t c = formatted.charAt(i);
    if (c == ' ' || c == '-' || c == 0x00AD || c == 0x200B || c == 0x00A0 || c == 0x2010) {
      flush();
    } else {
      current.append(c);
    }
  }
  flush();
  return parts;
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

std::unique_ptr<number_lexicon> build_lexicon(const std::string& language) {
  auto lex = std::make_unique<number_lexicon>();
  icu::Locale locale(language.c_str());
  UErrorCode ec = U_ZERO_ERROR;
  icu::DecimalFormatSymbols symbols(locale, ec);
  if (U_SUCCESS(ec)) {
    auto d = symbols.getSymbol(icu::DecimalFormatSymbols::kDecimalSeparatorSymbol);
    auto g = symbols.getSymbol(icu::DecimalFormatSymbols::kGroupingSeparatorSymbol);
    if (d.length() == 1) lex->decimal = d.charAt(0);
    if (g.length() == 1) lex->grouping = g.charAt(0);
  }
  ec = U_ZERO_ERROR;
  icu::RuleBasedNumberFormat spellout(icu::URBNF_SPELLOUT, locale, ec);
  if (U_FAILURE(ec)) return lex;
  auto format = [&](double n) {
    icu::UnicodeString s;
    spellout.format(n, s);
    return s;
  };
  for (int n = 0; n <= 999; ++n) {
    icu::UnicodeString formatted = format(n);
    auto segmented = segment_words(normalize_unicode(formatted, true), language);
    if (segmented.empty()) continue;
    for (const auto& w : segmented) lex->longest_word = std::max(lex->longest_word, w.size());
    lex->longest_phrase = std::max(lex->longest_phrase, segmented.size());
    lex->phrases.emplace(join(segmented), n);  // first (shortest) spelling wins
  }
  for (const auto& [phrase, value] : lex->phrases) {
    std::size_t start = 0;
    while (start <= phrase.size()) {
      auto end = phrase.find(' ', start);
      if (end == std::string::npos) end = phrase.size();
      std::string word = phrase.substr(start, end - start);
      if (!word.empty() && !lex->phrases.count(word)) lex->connectors.insert(word);
      start = end + 1;
    }
  }
  static const std::map<std::string, std::vector<std::string>> extra_connectors{
      {"en", {"and"}}, {"de", {"und"}}, {"es", {"y"}}, {"fr", {"et"}}};
  if (auto it = extra_connectors.find(language); it != extra_connectors.end())
    for (const auto& c : it->second) lex->connectors.insert(c);
  auto two = parts_of(format(2));
  for (double m : {100.0, 1e3, 1e6, 1e9}) {
    auto once = parts_of(format(m));
    if (once.size() == 1) lex->multipliers.emplace(once[0], m);
    if (once.size() >= 2) lex->multipliers.emplace(once.back(), m);
    auto twice = parts_of(format(2 * m));
    if (twice.size() >= 2 && std::equal(two.begin(), two.end(), twice.begin()))
      lex->multipliers.emplace(twice.back(), m);
  }
  for (const auto& [word, m] : lex->multipliers)
    lex->longest_word = std::max(lex->longest_word, word.size());
  // A language compounds when 21 is one word.
  lex->compounds = segment_words(normalize_unicode(format(21), true), language).size() == 1;
  return lex;
}

const number_lexicon& lexicon_for(std::string_view locale) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<number_lexicon>, std::less<>> cache;
  std::string language = base_language(locale);
  std::lock_guard lock(mutex);
  auto it = cache.find(language);
  if (it == cache.end()) {
    if (cache.size() >= 64) {
      // Unknown "languages" from requests must not grow the cache without bound; an entry
      // once handed out stays valid (callers hold references), so only refuse new ones.
      static const number_lexicon empty;
      return empty;
    }
    it = cache.emplace(language, build_lexicon(language)).first;
  }
  return *it->second;
}

// Accumulates spelled-out parts: "two hundred five thousand" → 205000.
struct accumulator {
  double total = 0, current = 0;
  bool any = false;

  static int digits(double v) { return v < 10 ? 1 : static_cast<int>(std::log10(v)) + 1; }
  bool can_add(double v) const {
    if (!any) return true;
    if (current == 0) return true;
    double unit = std::pow(10.0, digits(v));
    return std::fmod(current, unit) == 0 && v < current;
  }
  bool add(double v) {
    if (!can_add(v)) return false;
    current += v;
    any = true;
    return true;
  }
  bool multiply(double m) {
    if (m == 100) {
      if (current >= 100) return false;
      current = std::max(current, 1.0) * m;
    } else {
      if (total != 0 && std::fmod(total, m * 1000) != 0) return false;
      total += std::max(current, 1.0) * m;
      current = 0;
    }
    any = true;
    return true;
  }
  double value() const { return total + current; }
};

// Splits one compound word ("zweitausenddreihundert") into number parts.
bool add_compound(const number_lexicon& lex, std::string_view word, accumulator& acc) {
  std::size_t pos = 0;
  int guard = 0;
  while (pos < word.size()) {
    if (++guard > 16) return false;
    std::size_t best = 0;
    double best_value = 0;
    bool best_multiplier = false;
    std::size_t limit = std::min(lex.longest_word, word.size() - pos);
    for (std::size_t len = limit; len > 0; --len) {
      std::string piece(word.substr(pos, len));
      if (auto it = lex.phrases.find(piece); it != lex.phrases.end()) {
        best = len, best_value = it->second, best_multiplier = false;
        break;
      }
      if (auto it = lex.multipliers.find(piece); it != lex.multipliers.end()) {
        best = len, best_value = it->second, best_multiplier = true;
        break;
      }
      if (lex.connectors.count(piece) && pos > 0) {
        best = len, best_value = -1;
        break;
      }
    }
    if (best == 0) return false;
    if (best_value >= 0) {
      bool ok = best_multiplier ? acc.multiply(best_value) : acc.add(best_value);
      if (!ok) return false;
    }
    pos += best;
  }
  return acc.any;
}

bool is_ascii_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Reads a spelled-out number starting at token `i`; returns the end token, or i when none.
std::size_t read_spelled(const number_lexicon& lex, const std::vector<token>& tokens,
                         std::size_t i, accumulator& acc) {
  std::size_t j = i, good_end = i;
  while (j < tokens.size() && tokens[j].kind == token_kind::word) {
    // Longest phrase of words starting at j.
    std::size_t matched = 0;
    double value = 0;
    std::string phrase;
    for (std::size_t n = 1; n <= lex.longest_phrase && j + n <= tokens.size(); ++n) {
      if (tokens[j + n - 1].kind != token_kind::word) break;
      if (n > 1) phrase += ' ';
      phrase += tokens[j + n - 1].text;
      if (auto it = lex.phrases.find(phrase); it != lex.phrases.end())
        matched = n, value = it->second;
    }
    if (matched && acc.add(value)) {
      j += matched;
      good_end = j;
      continue;
    }
    if (matched) break;
    const std::string& word = tokens[j].text;
    if (auto it = lex.multipliers.find(word); it != lex.multipliers.end()) {
      if (!acc.multiply(it->second)) break;
      j += 1;
      good_end = j;
      continue;
    }
    if (lex.connectors.count(word) && acc.any && j + 1 < tokens.size()) {
      ++j;  // kept only if a number word follows
      continue;
    }
    if (lex.compounds && word.size() > 1) {
      accumulator trial = acc;
      if (add_compound(lex, word, trial)) {
        acc = trial;
        j += 1;
        good_end = j;
        continue;
      }
    }
    break;
  }
  return good_end;
}

}  // namespace

static std::vector<number_match> find_numbers_in(const std::vector<token>& tokens,
                                                 std::string_view locale);

std::optional<double> parse_digits(std::string_view folded, std::string_view locale) {
  const number_lexicon& lex = lexicon_for(locale);
  // Only ASCII digits and separators after folding (NFKC maps full-width digits to ASCII).
  std::string digits;
  std::vector<std::size_t> sep_pos;
  std::vector<char> seps;
  for (char c : folded) {
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c == '.' || c == ',' || c == '\'') {
      sep_pos.push_back(digits.size());
      seps.push_back(c);
    } else {
      return std::nullopt;
    }
  }
  if (digits.empty() || digits.size() > 18) return std::nullopt;
  std::size_t decimal_at = std::string::npos;  // digits before the decimal point
  if (!seps.empty()) {
    char last = seps.back();
    bool mixed = std::any_of(seps.begin(), seps.end(), [&](char c) { return c != last; });
    // Grouping when every group after the first has three digits and the first has 1–3.
    bool groups_of_three = sep_pos.front() >= 1 && sep_pos.front() <= 3;
    for (std::size_t k = 0; k < sep_pos.size(); ++k) {
      std::size_t next = k + 1 < sep_pos.size() ? sep_pos[k + 1] : digits.size();
      if (next - sep_pos[k] != 3) groups_of_three = false;
    }
    if (mixed) {
      decimal_at = sep_pos.back();  // "1,234.5" / "1.234,5": the last separator is decimal
    } else if (seps.size() == 1 && static_cast<char32_t>(last) == lex.decimal) {
      decimal_at = sep_pos.back();  // the locale's decimal separator: "2,5" in German
    } else if (!groups_of_three) {
      if (seps.size() != 1) return std::nullopt;
      decimal_at = sep_pos.back();  // "2.5" in German is still a decimal
    }
  }
  std::string number = decimal_at == std::string::npos
                           ? digits
                           : digits.substr(0, decimal_at) + "." + digits.substr(decimal_at);
  if (number.front() == '.') number.insert(number.begin(), '0');
  return std::strtod(number.c_str(), nullptr);
}

std::vector<number_match> find_numbers(const std::vector<token>& all_tokens,
                                       std::string_view locale) {
  // Hyphens joining words ("forty-two", "quatre-vingt-dix") are dropped so the words meet.
  std::vector<token> tokens;
  std::vector<std::size_t> original;
  for (std::size_t i = 0; i < all_tokens.size(); ++i) {
    const token& t = all_tokens[i];
    bool joining_hyphen = (t.raw == "-" || t.raw == "\xE2\x80\x90") && i > 0 &&
                          i + 1 < all_tokens.size() &&
                          all_tokens[i - 1].kind == token_kind::word &&
                          all_tokens[i + 1].kind == token_kind::word &&
                          all_tokens[i - 1].end == t.begin && t.end == all_tokens[i + 1].begin;
    if (joining_hyphen) continue;
    tokens.push_back(t);
    original.push_back(i);
  }
  std::vector<number_match> out = find_numbers_in(tokens, locale);
  for (auto& m : out) {
    m.first = original[m.first];
    m.last = original[m.last - 1] + 1;
  }
  return out;
}

static std::vector<number_match> find_numbers_in(const std::vector<token>& tokens,
                                                 std::string_view locale) {
  std::vector<number_match> out;
  const number_lexicon& lex = lexicon_for(locale);
  bool space_grouping = u_isUWhiteSpace(static_cast<UChar32>(lex.grouping));
  for (std::size_t i = 0; i < tokens.size();) {
    const token& t = tokens[i];
    if (t.kind == token_kind::number) {
      auto v = parse_digits(t.text, locale);
      if (!v) {
        ++i;
        continue;
      }
      std::size_t end = i + 1;
      std::string merged = t.text;
      // "1 000 000" in locales that group with spaces.
      while (space_grouping && end < tokens.size() && tokens[end].kind == token_kind::number &&
             tokens[end].text.size() == 3 && is_ascii_digits(tokens[end].text) &&
             tokens[end].begin - tokens[end - 1].end <= 3 && merged.size() < 15 &&
             is_ascii_digits(merged)) {
        merged += tokens[end].text;
        ++end;
      }
      if (end > i + 1) v = parse_digits(merged, locale);
      out.push_back({*v, i, end, false});
      i = end;
      continue;
    }
    if (t.kind == token_kind::word && t.text.size() >= 2 && t.text.back() == 'k' &&
        t.text[0] >= '0' && t.text[0] <= '9') {
      // "40k"
      if (auto v = parse_digits(std::string_view(t.text).substr(0, t.text.size() - 1), locale)) {
        out.push_back({*v * 1000, i, i + 1, false});
        ++i;
        continue;
      }
    }
    if (t.kind == token_kind::word) {
      accumulator acc;
      std::size_t end = read_spelled(lex, tokens, i, acc);
      if (end > i) {
        out.push_back({acc.value(), i, end, true});
        i = end;
        continue;
      }
    }
    ++i;
  }
  return out;
}

}  // namespace rapport::dialogs::nlu::detail
