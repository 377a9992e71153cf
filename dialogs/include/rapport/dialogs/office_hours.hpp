#pragma once
// A team's weekly opening hours in an IANA time zone: is it open now, when does it open next,
// and that moment in words for the visitor ("Monday 09:00", "Montag 09:00"). Pure functions of
// the time they are given; ICU knows the zones.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rapport/dialogs/expression.hpp"

namespace rapport::dialogs {

struct office_hours {
  std::string time_zone = "UTC";
  // Per ISO weekday (index 0 = Monday ... 6 = Sunday): open intervals as milliseconds after
  // local midnight, [from, to). All empty: always open.
  std::array<std::vector<std::pair<long long, long long>>, 7> days;

  bool always_open() const;
};

// Adds "mon-fri" (or "sat", "mon,wed,fri", "daily") → "09:00-18:00" (or "09:00-12:00, 13:00-17:00").
// Returns what is wrong, empty when the entry was added.
std::string add_office_hours(office_hours& hours, std::string_view days, std::string_view ranges);

// Whether `zone` is a time zone ICU knows.
bool known_time_zone(std::string_view zone);

bool is_open(const office_hours& hours, sys_ms now);

// The next moment the hours open after `now` (within a week), or nullopt when they never do.
std::optional<sys_ms> next_opening(const office_hours& hours, sys_ms now);

// `when` in words for a visitor in `locale`, in the hours' time zone: the weekday and time,
// e.g. "Monday 09:00".
std::string describe_opening(sys_ms when, std::string_view zone, std::string_view locale);

}  // namespace rapport::dialogs
