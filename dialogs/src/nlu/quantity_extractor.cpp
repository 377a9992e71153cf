// Money, percentages and durations: a number next to a currency, a percent sign or word, or a
// time unit. Time-unit words come from ICU's measure format for the locale.
#include <unicode/measfmt.h>
#include <unicode/measunit.h>
#include <unicode/measure.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>

#include "nlu/extractors.hpp"

namespace rapport::dialogs::nlu::detail {
namespace {

struct quantity_lexicon {
  std::map<std::string, double> duration_units;  // folded unit word → seconds
  std::map<std::string, std::string> currencies;  // folded symbol/word/code → ISO code
  std::vector<std::vector<std::string>> percent_words;
  std::map<std::string, bool> articles;  // "a", "eine": one of a unit
};

std::unique_ptr<quantity_lexicon> build(const std::string& language) {
  auto lex = std::make_unique<quantity_lexicon>();
  icu::Locale locale(language.c_str());
  struct unit_def {
    icu::MeasureUnit* (*make)(UErrorCode&);
    double seconds;
  };
  const unit_def units[] = {{icu::MeasureUnit::createSecond, 1},
                            {icu::MeasureUnit::createMinute, 60},
                            {icu::MeasureUnit::createHour, 3600},
                            {icu::MeasureUnit::createDay, 86400},
                            {icu::MeasureUnit::createWeek, 7 * 86400},
                            {icu::MeasureUnit::createMonth, 30 * 86400},
                            {icu::MeasureUnit::createYear, 365 * 86400}};
  for (auto width : {UMEASFMT_WIDTH_WIDE, UMEASFMT_WIDTH_SHORT}) {
    UErrorCode ec = U_ZERO_ERROR;
    icu::MeasureFormat format(locale, width, ec);
    if (U_FAILURE(ec)) continue;
    for (const auto& u : units) {
      for (double n : {1.0, 2.0, 5.0}) {
        ec = U_ZERO_ERROR;
        icu::Measure measure(icu::Formattable(n), u.make(ec), ec);
        if (U_FAILURE(ec)) continue;
        icu::UnicodeString s;
        icu::FieldPosition pos;
        format.formatMeasures(&measure, 1, s, pos, ec);
        if (U_FAILURE(ec)) continue;
        for (const auto& w : segment_words(normalize_unicode(s, true), language)) {
          if (w.empty() || (w[0] >= '0' && w[0] <= '9') || w.size() < 2) continue;
          lex->duration_units.emplace(w, u.seconds);  // first unit claiming a word keeps it
        }
      }
    }
  }
  static const std::map<std::string, std::string> symbols{
      {"$", "USD"}, {"us$", "USD"}, {"€", "EUR"}, {"£", "GBP"}, {"¥", "JPY"}, {"₹", "INR"},
      {"₽", "RUB"}, {"₩", "KRW"}, {"₺", "TRY"}, {"₪", "ILS"}, {"₫", "VND"}, {"₱", "PHP"},
      {"฿", "THB"}, {"₴", "UAH"}, {"zł", "PLN"}, {"r$", "BRL"}, {"chf", "CHF"}};
  lex->currencies.insert(symbols.begin(), symbols.end());
  for (const char* code : {"usd", "eur", "gbp", "jpy", "chf", "cad", "aud", "nzd", "cny", "inr",
                           "mxn", "brl", "sek", "nok", "dkk", "pln", "czk", "huf", "rub", "try",
                           "krw", "sgd", "hkd", "zar", "ars", "clp", "cop", "thb"}) {
    std::string upper(code);
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    lex->currencies.emplace(code, upper);
  }
  static const std::map<std::string, std::vector<std::pair<const char*, const char*>>> words{
      {"en", {{"dollar", "USD"}, {"dollars", "USD"}, {"buck", "USD"}, {"bucks", "USD"},
              {"euro", "EUR"}, {"euros", "EUR"}, {"pound", "GBP"}, {"pounds", "GBP"},
              {"quid", "GBP"}, {"yen", "JPY"}, {"franc", "CHF"}, {"francs", "CHF"}}},
      {"de", {{"dollar", "USD"}, {"euro", "EUR"}, {"euros", "EUR"}, {"pfund", "GBP"},
              {"franken", "CHF"}, {"yen", "JPY"}}},
      {"es", {{"dolar", "USD"}, {"dolares", "USD"}, {"euro", "EUR"}, {"euros", "EUR"},
              {"libra", "GBP"}, {"libras", "GBP"}, {"yen", "JPY"}, {"yenes", "JPY"}}},
      {"fr", {{"dollar", "USD"}, {"dollars", "USD"}, {"euro", "EUR"}, {"euros", "EUR"},
              {"livre", "GBP"}, {"livres", "GBP"}, {"franc", "CHF"}, {"francs", "CHF"}}}};
  if (auto it = words.find(language); it != words.end())
    for (const auto& [w, code] : it->second) lex->currencies.emplace(w, code);
  static const std::map<std::string, std::vector<std::vector<std::string>>> percent{
      {"en", {{"percent"}, {"per", "cent"}, {"pct"}}},
      {"de", {{"prozent"}}},
      {"es", {{"por", "ciento"}, {"porciento"}}},
      {"fr", {{"pour", "cent"}, {"pourcent"}}}};
  lex->percent_words.push_back({"%"});
  if (auto it = percent.find(language); it != percent.end())
    for (const auto& p : it->second) lex->percent_words.push_back(p);
  static const std::map<std::string, std::vector<const char*>> articles{
      {"en", {"a", "an"}},
      {"de", {"ein", "eine", "einen", "einem", "einer"}},
      {"es", {"un", "una"}},
      {"fr", {"un", "une"}}};
  if (auto it = articles.find(language); it != articles.end())
    for (const char* a : it->second) lex->articles.emplace(a, true);
  return lex;
}

const quantity_lexicon& lexicon_for(std::string_view locale) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<quantity_lexicon>, std::less<>> cache;
  std::string language = base_language(locale);
  std::lock_guard lock(mutex);
  auto it = cache.find(language);
  if (it == cache.end()) {
    if (cache.size() >= 64) {
      static const quantity_lexicon empty;
      return empty;
    }
    it = cache.emplace(language, build(language)).first;
  }
  return *it->second;
}

const std::string* currency_at(const quantity_lexicon& lex, const std::vector<token>& tokens,
                               std::size_t i) {
  if (i >= tokens.size()) return nullptr;
  auto it = lex.currencies.find(tokens[i].text);
  return it == lex.currencies.end() ? nullptr : &it->second;
}

// Byte gap between two tokens is at most one space.
bool near(const token& a, const token& b) { return b.begin >= a.end && b.begin - a.end <= 1; }

std::size_t match_words(const std::vector<token>& tokens, std::size_t i,
                        const std::vector<std::string>& words) {
  if (i + words.size() > tokens.size()) return 0;
  for (std::size_t k = 0; k < words.size(); ++k)
    if (tokens[i + k].text != words[k]) return 0;
  return words.size();
}

}  // namespace

std::vector<entity> find_quantities(const std::vector<token>& tokens,
                                    const std::vector<number_match>& numbers,
                                    std::string_view locale) {
  std::vector<entity> out;
  const quantity_lexicon& lex = lexicon_for(locale);
  auto span = [&](std::size_t first, std::size_t last) {
    return std::pair{tokens[first].begin, tokens[last - 1].end};
  };
  for (const auto& n : numbers) {
    // percent
    bool done = false;
    for (const auto& words : lex.percent_words) {
      if (n.last < tokens.size() && near(tokens[n.last - 1], tokens[n.last])) {
        if (std::size_t len = match_words(tokens, n.last, words)) {
          auto [b, e] = span(n.first, n.last + len);
          out.push_back({"percent", value{n.value}, "", b, e});
          done = true;
          break;
        }
      }
    }
    if (done) continue;
    // money: currency before ("$40", "EUR 40") or after ("40 €", "40 euros")
    if (n.first > 0 && near(tokens[n.first - 1], tokens[n.first])) {
      if (const std::string* code = currency_at(lex, tokens, n.first - 1)) {
        auto [b, e] = span(n.first - 1, n.last);
        out.push_back({"money", value{n.value}, *code, b, e});
        continue;
      }
    }
    if (n.last < tokens.size() && near(tokens[n.last - 1], tokens[n.last])) {
      if (const std::string* code = currency_at(lex, tokens, n.last)) {
        auto [b, e] = span(n.first, n.last + 1);
        out.push_back({"money", value{n.value}, *code, b, e});
        continue;
      }
      // duration
      auto unit = lex.duration_units.find(tokens[n.last].text);
      if (unit != lex.duration_units.end()) {
        auto [b, e] = span(n.first, n.last + 1);
        out.push_back({"duration", value{n.value * unit->second}, "", b, e});
        continue;
      }
    }
  }
  // "a week", "eine Stunde": an article before a unit is one of it.
  for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (!lex.articles.count(tokens[i].text)) continue;
    auto unit = lex.duration_units.find(tokens[i + 1].text);
    if (unit == lex.duration_units.end()) continue;
    bool inside = false;
    for (const auto& e : out) inside |= e.begin <= tokens[i].begin && tokens[i].begin < e.end;
    if (inside) continue;
    out.push_back({"duration", value{unit->second}, "", tokens[i].begin, tokens[i + 1].end});
  }
  std::sort(out.begin(), out.end(), [](const entity& a, const entity& b) { return a.begin < b.begin; });
  return out;
}

}  // namespace rapport::dialogs::nlu::detail
