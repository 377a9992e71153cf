#include <doctest/doctest.h>

#include "expr_test_support.hpp"

using namespace rapport::dialogs;
using namespace rapport::dialogs::testing;

// 2026-03-29 is the Sunday Europe switches to summer time at 01:00 UTC (CET +1 → CEST +2);
// New York switched three weeks earlier (EDT, -4).
TEST_CASE("time functions read the clock in the bot's zone, across a DST change") {
  const auto before = utc(2026, 3, 29, 0, 30);  // Berlin 01:30 CET
  const auto after = utc(2026, 3, 29, 1, 30);   // Berlin 03:30 CEST

  CHECK(eval("hour()", {}, before, "Europe/Berlin") == num(1));
  CHECK(eval("hour()", {}, after, "Europe/Berlin") == num(3));
  CHECK(eval("time()", {}, after, "Europe/Berlin") == txt("03:30"));
  CHECK(eval("minute()", {}, after, "Europe/Berlin") == num(30));
  CHECK(eval("date()", {}, after, "Europe/Berlin") == txt("2026-03-29"));
  CHECK(eval("weekday()", {}, after, "Europe/Berlin") == num(7));  // Sunday

  CHECK(eval("hour()", {}, after, "UTC") == num(1));
  CHECK(eval("time()", {}, before, "America/New_York") == txt("20:30"));
  CHECK(eval("date()", {}, before, "America/New_York") == txt("2026-03-28"));
  CHECK(eval("weekday()", {}, before, "America/New_York") == num(6));  // still Saturday there
}

TEST_CASE("a zone argument overrides the bot's zone") {
  const auto now = utc(2026, 11, 23, 23, 30);  // Monday in UTC
  CHECK(eval("date()", {}, now, "UTC") == txt("2026-11-23"));
  CHECK(eval("date(\"Asia/Tokyo\")", {}, now, "UTC") == txt("2026-11-24"));
  CHECK(eval("weekday(\"Asia/Tokyo\")", {}, now, "UTC") == num(2));  // Tuesday
  CHECK(eval("hour(\"Asia/Tokyo\")", {}, now, "UTC") == num(8));
  CHECK(eval("hour(zone)", {{"zone", txt("Asia/Kolkata")}}, now, "UTC") == num(5));
  CHECK(eval("minute(\"Asia/Kolkata\")", {}, now, "UTC") == num(0));  // +05:30
  CHECK(eval("weekday() <= 5", {}, now, "UTC") == value{true});
}

TEST_CASE("an unknown zone makes time functions null, so conditions on them are false") {
  const auto now = utc(2026, 6, 1, 12, 0);
  CHECK(eval("hour(\"Mars/Olympus\")", {}, now) == null);
  CHECK(eval("date(\"\")", {}, now) == null);
  CHECK(eval("hour(5)", {}, now) == null);
  CHECK(eval("hour()", {}, now, "Europe/Berln") == null);
  CHECK(eval("between(\"00:00\", \"24:00\")", {}, now, "Nowhere/City") == null);
  CHECK_FALSE(parse_ok("hour() >= 9").test(context_for({}, now, "Europe/Berln")));
}

TEST_CASE("between is true from start (included) until end (excluded), in local time") {
  auto at = [](int hour, int minute) { return utc(2026, 7, 1, hour - 2, minute); };  // Berlin CEST
  const char* office = "between(\"09:00\", \"17:30\")";
  CHECK(eval(office, {}, at(9, 0), "Europe/Berlin") == value{true});
  CHECK(eval(office, {}, at(17, 29), "Europe/Berlin") == value{true});
  CHECK(eval(office, {}, at(17, 30), "Europe/Berlin") == value{false});
  CHECK(eval(office, {}, at(8, 59), "Europe/Berlin") == value{false});
  CHECK(eval(office, {}, at(9, 0), "UTC") == value{false});  // 07:00 in UTC
  CHECK(eval("between(\"09:00\", \"17:30\", \"Europe/Berlin\")", {}, at(9, 0), "UTC") ==
        value{true});
  CHECK(eval("between(\"18:00\", \"24:00\")", {}, at(23, 59), "Europe/Berlin") == value{true});
  CHECK(eval("between(\"9:00\", \"10:00\")", {}, at(9, 15), "Europe/Berlin") == value{true});
  CHECK(eval("between(\"10:00\", \"10:00\")", {}, at(10, 0), "Europe/Berlin") == value{false});
}

TEST_CASE("between handles overnight ranges such as 22:00-06:00") {
  auto at = [](int hour, int minute) { return utc(2026, 1, 15, hour, minute); };  // UTC
  const char* night = "between(\"22:00\", \"06:00\")";
  CHECK(eval(night, {}, at(23, 0)) == value{true});
  CHECK(eval(night, {}, at(22, 0)) == value{true});
  CHECK(eval(night, {}, at(2, 0)) == value{true});
  CHECK(eval(night, {}, at(5, 59)) == value{true});
  CHECK(eval(night, {}, at(6, 0)) == value{false});
  CHECK(eval(night, {}, at(12, 0)) == value{false});
}

TEST_CASE("office hours read naturally: weekday and hour in the bot's zone") {
  const char* office_hours = "weekday() <= 5 and hour() >= 9 and hour() < 18";
  CHECK(parse_ok(office_hours).test(context_for({}, utc(2026, 3, 30, 8, 0), "Europe/Berlin")));
  CHECK_FALSE(
      parse_ok(office_hours).test(context_for({}, utc(2026, 3, 29, 8, 0), "Europe/Berlin")));
  CHECK_FALSE(
      parse_ok(office_hours).test(context_for({}, utc(2026, 3, 30, 17, 0), "Europe/Berlin")));
}
