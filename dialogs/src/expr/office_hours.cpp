#include "rapport/dialogs/office_hours.hpp"

#include <unicode/dtptngen.h>
#include <unicode/locid.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>

#include <memory>

#include "expr/local_time.hpp"

namespace rapport::dialogs {

namespace {

constexpr long long day_ms = 86'400'000;
constexpr std::string_view weekday_names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<int> weekday_index(std::string_view name) {
  for (int i = 0; i < 7; ++i)
    if (name == weekday_names[i]) return i;
  return std::nullopt;
}

// "mon-fri", "sat", "mon,wed", "daily" → the weekdays, or an empty vector when malformed.
std::vector<int> parse_days(std::string_view text) {
  std::vector<int> out;
  text = trim(text);
  if (text == "daily") return {0, 1, 2, 3, 4, 5, 6};
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view part = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    const auto dash = part.find('-');
    auto first = weekday_index(trim(part.substr(0, dash)));
    auto last = dash == std::string_view::npos ? first : weekday_index(trim(part.substr(dash + 1)));
    if (!first || !last) return {};
    for (int d = *first;; d = (d + 1) % 7) {  // "fri-mon" wraps around the weekend
      out.push_back(d);
      if (d == *last) break;
    }
  }
  return out;
}

// Milliseconds between `now` in UTC and the same instant on the zone's wall clock.
std::optional<long long> zone_offset(sys_ms now, std::string_view zone) {
  auto local = expr::to_local_time(now, zone);
  if (!local) return std::nullopt;
  using namespace std::chrono;
  const sys_days day{year{local->year} / month{local->month} / local->day};
  const long long local_ms = day.time_since_epoch().count() * day_ms + local->millisecond_of_day;
  return local_ms - now.time_since_epoch().count();
}

}  // namespace

bool office_hours::always_open() const {
  for (const auto& d : days)
    if (!d.empty()) return false;
  return true;
}

bool known_time_zone(std::string_view zone) {
  return expr::to_local_time(sys_ms{}, zone).has_value();
}

std::string add_office_hours(office_hours& hours, std::string_view days, std::string_view ranges) {
  const auto weekdays = parse_days(days);
  if (weekdays.empty())
    return "expected weekdays such as mon-fri, sat, mon,wed,fri or daily, not \"" +
           std::string(days) + "\"";
  std::vector<std::pair<long long, long long>> intervals;
  while (!ranges.empty()) {
    const auto comma = ranges.find(',');
    const std::string_view part = trim(ranges.substr(0, comma));
    ranges = comma == std::string_view::npos ? std::string_view{} : ranges.substr(comma + 1);
    const auto dash = part.find('-');
    auto from = expr::parse_clock_time(trim(part.substr(0, dash)));
    auto to = dash == std::string_view::npos ? std::nullopt
                                             : expr::parse_clock_time(trim(part.substr(dash + 1)));
    if (!from || !to || *from >= *to)
      return "expected opening times such as 09:00-18:00 or 09:00-12:00, 13:00-17:00, not \"" +
             std::string(part) + "\"";
    intervals.emplace_back(*from, *to);
  }
  if (intervals.empty()) return "expected opening times such as 09:00-18:00";
  for (int d : weekdays)
    hours.days[d].insert(hours.days[d].end(), intervals.begin(), intervals.end());
  return {};
}

bool is_open(const office_hours& hours, sys_ms now) {
  if (hours.always_open()) return true;
  auto local = expr::to_local_time(now, hours.time_zone);
  if (!local) return false;
  for (const auto& [from, to] : hours.days[local->weekday - 1])
    if (local->millisecond_of_day >= from && local->millisecond_of_day < to) return true;
  return false;
}

std::optional<sys_ms> next_opening(const office_hours& hours, sys_ms now) {
  if (hours.always_open()) return now;
  auto local = expr::to_local_time(now, hours.time_zone);
  auto offset = zone_offset(now, hours.time_zone);
  if (!local || !offset) return std::nullopt;
  const long long local_now = now.time_since_epoch().count() + *offset;
  const long long local_midnight = local_now - local->millisecond_of_day;
  for (int ahead = 0; ahead <= 7; ++ahead) {
    const int weekday = int(local->weekday - 1 + ahead) % 7;
    std::optional<long long> best;
    for (const auto& [from, to] : hours.days[weekday]) {
      const long long start = local_midnight + ahead * day_ms + from;
      if (start > local_now && (!best || start < *best)) best = start;
    }
    if (!best) continue;
    // The offset at the opening itself (a daylight-saving change may lie in between).
    const long long guess = *best - *offset;
    const long long at = *best - zone_offset(sys_ms(std::chrono::milliseconds(guess)),
                                            hours.time_zone).value_or(*offset);
    return sys_ms(std::chrono::milliseconds(at));
  }
  return std::nullopt;
}

std::string describe_opening(sys_ms when, std::string_view zone, std::string_view locale) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Locale loc(std::string(locale.empty() ? "en" : locale).c_str());
  std::unique_ptr<icu::DateTimePatternGenerator> generator(
      icu::DateTimePatternGenerator::createInstance(loc, status));
  if (U_FAILURE(status)) return {};
  const icu::UnicodeString pattern = generator->getBestPattern(u"EEEEHHmm", status);
  icu::SimpleDateFormat format(pattern, loc, status);
  if (U_FAILURE(status)) return {};
  format.adoptTimeZone(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(
      icu::StringPiece(zone.data(), static_cast<int32_t>(zone.size())))));
  icu::UnicodeString text;
  format.format(static_cast<UDate>(when.time_since_epoch().count()), text);
  std::string out;
  text.toUTF8String(out);
  return out;
}

}  // namespace rapport::dialogs
