// Office hours in a time zone: open or not, the next opening, and that moment in words.
#include <doctest/doctest.h>

#include "rapport/dialogs/office_hours.hpp"

using namespace rapport::dialogs;

namespace {

// 2026-12-04 is a Friday.
sys_ms utc(int day, int hour, int minute = 0) {
  using namespace std::chrono;
  return sys_ms(sys_days(year{2026} / December / day)) + hours(hour) + minutes(minute);
}

office_hours berlin_weekdays() {
  office_hours h;
  h.time_zone = "Europe/Berlin";
  REQUIRE(add_office_hours(h, "mon-fri", "09:00-12:00, 13:00-18:00").empty());
  REQUIRE(add_office_hours(h, "sat", "10:00-14:00").empty());
  return h;
}

}  // namespace

TEST_CASE("office hours: open within the intervals of the local weekday") {
  const auto h = berlin_weekdays();
  CHECK(is_open(h, utc(4, 8, 0)));      // Fri 09:00 in Berlin (UTC+1)
  CHECK_FALSE(is_open(h, utc(4, 7, 59)));
  CHECK_FALSE(is_open(h, utc(4, 11, 30)));  // lunch, 12:30 local
  CHECK(is_open(h, utc(4, 16, 59)));
  CHECK_FALSE(is_open(h, utc(4, 17, 0)));  // 18:00 local: closed
  CHECK(is_open(h, utc(5, 9, 0)));       // Saturday 10:00
  CHECK_FALSE(is_open(h, utc(6, 10, 0)));  // Sunday
  CHECK(is_open(office_hours{}, utc(6, 3)));  // no hours: always open
}

TEST_CASE("office hours: the next opening skips the weekend and honours the zone") {
  const auto h = berlin_weekdays();
  CHECK(next_opening(h, utc(4, 11, 30)) == utc(4, 12, 0));  // after lunch, 13:00 local
  CHECK(next_opening(h, utc(5, 14, 0)) == utc(7, 8, 0));    // Saturday evening → Monday 09:00
  office_hours never;
  never.time_zone = "Europe/Berlin";
  CHECK(add_office_hours(never, "mon", "09:00-10:00").empty());
  CHECK(next_opening(never, utc(7, 8, 30)) == utc(14, 8, 0));  // a week later
}

TEST_CASE("office hours: the opening in words, in the visitor's language") {
  CHECK(describe_opening(utc(7, 8, 0), "Europe/Berlin", "en") == "Monday 09:00");
  CHECK(describe_opening(utc(7, 8, 0), "Europe/Berlin", "de") == "Montag, 09:00");
}

TEST_CASE("office hours: mistakes are explained") {
  office_hours h;
  CHECK(add_office_hours(h, "weekdays", "09:00-17:00").find("expected weekdays") == 0);
  CHECK(add_office_hours(h, "mon", "9-5").find("expected opening times") == 0);
  CHECK(add_office_hours(h, "mon", "18:00-09:00").find("expected opening times") == 0);
  CHECK(h.always_open());
  CHECK(add_office_hours(h, "fri-mon", "10:00-11:00").empty());  // wraps around the weekend
  CHECK_FALSE(h.days[4].empty());
  CHECK_FALSE(h.days[0].empty());
  CHECK(h.days[2].empty());
  CHECK(known_time_zone("America/New_York"));
  CHECK_FALSE(known_time_zone("Mars/Olympus_Mons"));
}
