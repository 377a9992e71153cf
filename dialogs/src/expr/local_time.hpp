#pragma once
// Wall-clock time in an IANA time zone, through ICU's time zone database.
#include <optional>
#include <string_view>

#include "rapport/dialogs/expression.hpp"

namespace rapport::dialogs::expr {

struct local_time {
  int year = 1970;
  unsigned month = 1;    // 1..12
  unsigned day = 1;      // 1..31
  unsigned weekday = 4;  // 1 = Monday ... 7 = Sunday
  int hour = 0;
  int minute = 0;
  long long millisecond_of_day = 0;
};

// `now` as seen in `zone`; nullopt when ICU does not know the zone.
std::optional<local_time> to_local_time(sys_ms now, std::string_view zone);

// "HH:MM" (hour 0-24, 24 only as 24:00) as milliseconds after midnight; nullopt when malformed.
std::optional<long long> parse_clock_time(std::string_view text);

}  // namespace rapport::dialogs::expr
