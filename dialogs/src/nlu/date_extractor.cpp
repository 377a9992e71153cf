// Simple dates. Words come from ICU for the locale (relative day names, weekday and month
// names), so any language ICU knows is understood; results are ISO dates in the bot's zone.
#include <unicode/dtfmtsym.h>
#include <unicode/datefmt.h>
#include <unicode/reldatefmt.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>

#include "nlu/extractors.hpp"

namespace rapport::dialogs::nlu::detail {
namespace {

using namespace std::chrono;

enum class date_kind { day_offset, weekday, next_week, next_month, next_year, month };

struct date_phrase {
  std::vector<std::string> words;
  date_kind kind;
  int param = 0;  // day offset, weekday (0 = Sunday) or month (1–12)
};

struct date_lexicon {
  std::vector<date_phrase> phrases;  // longest first
  bool month_first = false;          // 11/23/2026 rather than 23/11/2026
};

std::vector<std::string> words_of(const icu::UnicodeString& s, const std::string& language) {
  return segment_words(normalize_unicode(s, true), language);
}

std::unique_ptr<date_lexicon> build(const std::string& language) {
  auto lex = std::make_unique<date_lexicon>();
  icu::Locale locale(language.c_str());
  auto add = [&](const icu::UnicodeString& text, date_kind kind, int param) {
    auto ws = words_of(text, language);
    if (ws.empty() || ws.size() > 4) return;
    for (const auto& p : lex->phrases)
      if (p.words == ws) return;  // first meaning wins
    lex->phrases.push_back({std::move(ws), kind, param});
  };
  UErrorCode ec = U_ZERO_ERROR;
  icu::RelativeDateTimeFormatter relative(locale, ec);
  if (U_SUCCESS(ec)) {
    auto rel = [&](UDateDirection dir, UDateAbsoluteUnit unit, date_kind kind, int param) {
      UErrorCode e = U_ZERO_ERROR;
      icu::UnicodeString s;
      relative.format(dir, unit, s, e);
      if (U_SUCCESS(e) && !s.isEmpty()) add(s, kind, param);
    };
    rel(UDAT_DIRECTION_THIS, UDAT_ABSOLUTE_DAY, date_kind::day_offset, 0);
    rel(UDAT_DIRECTION_NEXT, UDAT_ABSOLUTE_DAY, date_kind::day_offset, 1);
    rel(UDAT_DIRECTION_NEXT_2, UDAT_ABSOLUTE_DAY, date_kind::day_offset, 2);
    rel(UDAT_DIRECTION_LAST, UDAT_ABSOLUTE_DAY, date_kind::day_offset, -1);
    rel(UDAT_DIRECTION_NEXT, UDAT_ABSOLUTE_WEEK, date_kind::next_week, 0);
    rel(UDAT_DIRECTION_NEXT, UDAT_ABSOLUTE_MONTH, date_kind::next_month, 0);
    rel(UDAT_DIRECTION_NEXT, UDAT_ABSOLUTE_YEAR, date_kind::next_year, 0);
    for (int d = 0; d < 7; ++d) {
      auto unit = static_cast<UDateAbsoluteUnit>(UDAT_ABSOLUTE_SUNDAY + d);
      rel(UDAT_DIRECTION_NEXT, unit, date_kind::weekday, d);
      rel(UDAT_DIRECTION_THIS, unit, date_kind::weekday, d);
    }
  }
  // Phrasings ICU does not produce.
  static const std::map<std::string, std::vector<std::pair<const char16_t*, int>>> extra{
      {"en", {{u"day after tomorrow", 2}, {u"tonight", 0}, {u"this evening", 0}}},
      {"de", {{u"übermorgen", 2}, {u"heute abend", 0}}},
      {"es", {{u"pasado mañana", 2}, {u"esta noche", 0}}},
      {"fr", {{u"après-demain", 2}, {u"ce soir", 0}}}};
  if (auto it = extra.find(language); it != extra.end())
    for (const auto& [text, offset] : it->second)
      add(icu::UnicodeString(text), date_kind::day_offset, offset);
  ec = U_ZERO_ERROR;
  icu::DateFormatSymbols symbols(locale, ec);
  if (U_SUCCESS(ec)) {
    for (auto context : {icu::DateFormatSymbols::FORMAT, icu::DateFormatSymbols::STANDALONE}) {
      int32_t count = 0;
      const icu::UnicodeString* days =
          symbols.getWeekdays(count, context, icu::DateFormatSymbols::WIDE);
      for (int32_t i = 1; i < count && i <= 7; ++i) add(days[i], date_kind::weekday, i - 1);
      const icu::UnicodeString* months =
          symbols.getMonths(count, context, icu::DateFormatSymbols::WIDE);
      for (int32_t i = 0; i < count && i < 12; ++i) add(months[i], date_kind::month, i + 1);
      months = symbols.getMonths(count, context, icu::DateFormatSymbols::ABBREVIATED);
      for (int32_t i = 0; i < count && i < 12; ++i)
        if (months[i].length() >= 3) add(months[i], date_kind::month, i + 1);
    }
  }
  std::stable_sort(lex->phrases.begin(), lex->phrases.end(),
                   [](const auto& a, const auto& b) { return a.words.size() > b.words.size(); });
  ec = U_ZERO_ERROR;
  std::unique_ptr<icu::DateFormat> short_format(
      icu::DateFormat::createDateInstance(icu::DateFormat::kShort, locale));
  if (auto* simple = dynamic_cast<icu::SimpleDateFormat*>(short_format.get())) {
    icu::UnicodeString pattern;
    simple->toPattern(pattern);
    lex->month_first = pattern.indexOf(u'M') >= 0 && pattern.indexOf(u'd') >= 0 &&
                       pattern.indexOf(u'M') < pattern.indexOf(u'd');
  }
  return lex;
}

const date_lexicon& lexicon_for(std::string_view locale) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<date_lexicon>, std::less<>> cache;
  std::string language = base_language(locale);
  // "en-US" writes month first but "en-GB" does not: key by the full locale for the order.
  std::string key(locale.substr(0, std::min<std::size_t>(locale.size(), 16)));
  std::lock_guard lock(mutex);
  auto it = cache.find(key);
  if (it == cache.end()) {
    if (cache.size() >= 64) {
      static const date_lexicon empty;
      return empty;
    }
    auto lex = build(language);
    if (key != language) {
      UErrorCode ec = U_ZERO_ERROR;
      std::unique_ptr<icu::DateFormat> f(
          icu::DateFormat::createDateInstance(icu::DateFormat::kShort, icu::Locale(key.c_str())));
      if (auto* simple = dynamic_cast<icu::SimpleDateFormat*>(f.get())) {
        icu::UnicodeString pattern;
        simple->toPattern(pattern);
        lex->month_first = pattern.indexOf(u'M') < pattern.indexOf(u'd');
      }
      (void)ec;
    }
    it = cache.emplace(key, std::move(lex)).first;
  }
  return *it->second;
}

sys_days local_today(sys_ms now, std::string_view time_zone) {
  std::unique_ptr<icu::TimeZone> zone(
      icu::TimeZone::createTimeZone(from_utf8(time_zone)));  // unknown → GMT
  int32_t raw = 0, dst = 0;
  UErrorCode ec = U_ZERO_ERROR;
  if (zone) zone->getOffset(static_cast<UDate>(now.time_since_epoch().count()), false, raw, dst, ec);
  if (U_FAILURE(ec)) raw = dst = 0;
  return floor<days>(now + milliseconds(raw + dst));
}

std::string iso(year_month_day d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

std::optional<int> small_int(const token& t, std::size_t max_digits) {
  if (t.kind != token_kind::number || t.text.empty() || t.text.size() > max_digits) return {};
  int v = 0;
  for (char c : t.text) {
    if (c < '0' || c > '9') return {};
    v = v * 10 + (c - '0');
  }
  return v;
}

// "23", "23rd", "1er", "3º": a day of the month.
std::optional<int> day_of_month(const token& t) {
  std::string digits;
  std::size_t i = 0;
  while (i < t.text.size() && i < 2 && t.text[i] >= '0' && t.text[i] <= '9') digits += t.text[i++];
  if (digits.empty()) return {};
  std::string suffix = t.text.substr(i);
  static const char* suffixes[] = {"", "st", "nd", "rd", "th", "er", "e", "o", "a", "º", "ª"};
  if (std::find(std::begin(suffixes), std::end(suffixes), suffix) == std::end(suffixes)) return {};
  int d = std::stoi(digits);
  if (d < 1 || d > 31) return {};
  return d;
}

std::optional<year_month_day> make_date(int y, int m, int d) {
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31) return {};
  year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return {};
  return ymd;
}

// Without a year: this year's date unless it has passed, else next year's.
std::optional<year_month_day> upcoming(sys_days today, int m, int d) {
  year_month_day t{today};
  int y = static_cast<int>(t.year());
  auto candidate = make_date(y, m, d);
  if (candidate && sys_days{*candidate} < today) candidate = make_date(y + 1, m, d);
  return candidate;
}

bool adjacent(const token& a, const token& b) { return a.end == b.begin; }

}  // namespace

std::vector<entity> find_dates(const std::vector<token>& tokens, std::string_view locale,
                               sys_ms now, std::string_view time_zone) {
  std::vector<entity> out;
  if (tokens.empty()) return out;
  const date_lexicon& lex = lexicon_for(locale);
  const sys_days today = local_today(now, time_zone);
  auto emit = [&](std::size_t first, std::size_t last, year_month_day d) {
    out.push_back({"date", value{iso(d)}, "", tokens[first].begin, tokens[last - 1].end});
  };
  for (std::size_t i = 0; i < tokens.size();) {
    const token& t = tokens[i];
    // 2026-11-23
    if (auto y = small_int(t, 4); y && t.text.size() == 4 && i + 4 < tokens.size() &&
                                  tokens[i + 1].raw == "-" && tokens[i + 3].raw == "-" &&
                                  adjacent(t, tokens[i + 1]) && adjacent(tokens[i + 1], tokens[i + 2]) &&
                                  adjacent(tokens[i + 2], tokens[i + 3]) &&
                                  adjacent(tokens[i + 3], tokens[i + 4])) {
      auto m = small_int(tokens[i + 2], 2), d = small_int(tokens[i + 4], 2);
      if (m && d)
        if (auto date = make_date(*y, *m, *d)) {
          emit(i, i + 5, *date);
          i += 5;
          continue;
        }
    }
    // 23.11.2026 (one number token) and 23/11/2026 or 11/23/2026
    if (t.kind == token_kind::number && std::count(t.text.begin(), t.text.end(), '.') == 2) {
      int a = 0, b = 0, c = 0;
      if (std::sscanf(t.text.c_str(), "%2d.%2d.%4d", &a, &b, &c) == 3) {
        if (c < 100) c += 2000;
        if (auto date = make_date(c, b, a)) {
          emit(i, i + 1, *date);
          ++i;
          continue;
        }
      }
    }
    if (auto a = small_int(t, 2); a && i + 4 < tokens.size() && tokens[i + 1].raw == "/" &&
                                  tokens[i + 3].raw == "/" && adjacent(t, tokens[i + 1]) &&
                                  adjacent(tokens[i + 3], tokens[i + 4])) {
      auto b = small_int(tokens[i + 2], 2), c = small_int(tokens[i + 4], 4);
      if (b && c) {
        int y = *c < 100 ? *c + 2000 : *c;
        auto date = lex.month_first ? make_date(y, *a, *b) : make_date(y, *b, *a);
        if (date) {
          emit(i, i + 5, *date);
          i += 5;
          continue;
        }
      }
    }
    // Phrases: relative days, weekdays, months with a day.
    const date_phrase* found = nullptr;
    for (const auto& p : lex.phrases) {
      if (i + p.words.size() > tokens.size()) continue;
      bool match = true;
      for (std::size_t k = 0; k < p.words.size() && match; ++k)
        match = tokens[i + k].text == p.words[k];
      if (match) {
        found = &p;
        break;
      }
    }
    if (found) {
      std::size_t last = i + found->words.size();
      year_month_day today_ymd{today};
      switch (found->kind) {
        case date_kind::day_offset:
          emit(i, last, year_month_day{today + days{found->param}});
          break;
        case date_kind::weekday: {
          int delta = (found->param - static_cast<int>(weekday{today}.c_encoding()) + 7) % 7;
          emit(i, last, year_month_day{today + days{delta == 0 ? 7 : delta}});
          break;
        }
        case date_kind::next_week: {
          int since_monday = (static_cast<int>(weekday{today}.iso_encoding()) - 1);
          emit(i, last, year_month_day{today + days{7 - since_monday}});
          break;
        }
        case date_kind::next_month: {
          auto first = year_month_day{today_ymd.year(), today_ymd.month(), day{1}} + months{1};
          emit(i, last, first);
          break;
        }
        case date_kind::next_year:
          emit(i, last, year_month_day{today_ymd.year() + years{1}, January, day{1}});
          break;
        case date_kind::month: {
          // "November 23[, 2026]" or "23[.] [de|of] November [2026]"
          std::optional<int> d;
          std::size_t first = i, end = last;
          if (last < tokens.size()) d = day_of_month(tokens[last]);
          if (d) {
            end = last + 1;
          } else {
            std::size_t k = i;
            auto skip_back = [&](std::size_t j) {
              return tokens[j].raw == "." || tokens[j].text == "de" || tokens[j].text == "of" ||
                     tokens[j].text == "the";
            };
            while (k > 0 && k + 2 > i && skip_back(k - 1)) --k;
            if (k > 0) d = day_of_month(tokens[k - 1]);
            if (d) first = k - 1;
          }
          if (!d) break;
          std::size_t year_at = end;
          while (year_at < tokens.size() && (tokens[year_at].raw == "," ||
                                             tokens[year_at].text == "de") && year_at < end + 2)
            ++year_at;
          std::optional<year_month_day> date;
          if (auto y = year_at < tokens.size() ? small_int(tokens[year_at], 4) : std::nullopt;
              y && tokens[year_at].text.size() == 4) {
            date = make_date(*y, found->param, *d);
            if (date) end = year_at + 1;
          }
          if (!date) date = upcoming(today, found->param, *d);
          if (date) {
            // Drop a number already reported for the day ("23 November": the 23 is the date).
            emit(first, end, *date);
            last = end;
          }
          break;
        }
      }
      i = std::max(last, i + 1);
      continue;
    }
    ++i;
  }
  return out;
}

}  // namespace rapport::dialogs::nlu::detail
