#include "expr/local_time.hpp"

#include <unicode/timezone.h>
#include <unicode/ucal.h>
#include <unicode/unistr.h>

#include <chrono>
#include <memory>

namespace rapport::dialogs::expr {

std::optional<local_time> to_local_time(sys_ms now, std::string_view zone) {
  if (zone.empty() || zone.size() > 100) return std::nullopt;
  icu::UnicodeString id = icu::UnicodeString::fromUTF8(
      icu::StringPiece(zone.data(), static_cast<int32_t>(zone.size())));
  // A fresh TimeZone per call: no object is shared between threads.
  std::unique_ptr<icu::TimeZone> tz(icu::TimeZone::createTimeZone(id));
  if (!tz) return std::nullopt;
  icu::UnicodeString resolved;
  tz->getID(resolved);
  if (resolved == icu::UnicodeString(UCAL_UNKNOWN_ZONE_ID, -1, US_INV)) return std::nullopt;

  UErrorCode status = U_ZERO_ERROR;
  int32_t raw_offset = 0;
  int32_t dst_offset = 0;
  const long long utc_ms = now.time_since_epoch().count();
  tz->getOffset(static_cast<UDate>(utc_ms), false, raw_offset, dst_offset, status);
  if (U_FAILURE(status)) return std::nullopt;

  using namespace std::chrono;
  const sys_ms local{milliseconds{utc_ms + raw_offset + dst_offset}};
  const sys_days day = floor<days>(local);
  const year_month_day date{day};
  const long long ms_of_day = (local - day).count();

  local_time out;
  out.year = static_cast<int>(date.year());
  out.month = static_cast<unsigned>(date.month());
  out.day = static_cast<unsigned>(date.day());
  out.weekday = weekday{day}.iso_encoding();
  out.millisecond_of_day = ms_of_day;
  out.hour = static_cast<int>(ms_of_day / 3'600'000);
  out.minute = static_cast<int>(ms_of_day / 60'000 % 60);
  return out;
}

std::optional<long long> parse_clock_time(std::string_view text) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 2 || text.size() != colon + 3) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i != colon && !digit(text[i])) return std::nullopt;
  }
  int hours = 0;
  for (std::size_t i = 0; i < colon; ++i) hours = hours * 10 + (text[i] - '0');
  int minutes = (text[colon + 1] - '0') * 10 + (text[colon + 2] - '0');
  if (minutes > 59 || hours > 24 || (hours == 24 && minutes != 0)) return std::nullopt;
  return (hours * 60LL + minutes) * 60'000;
}

}  // namespace rapport::dialogs::expr
