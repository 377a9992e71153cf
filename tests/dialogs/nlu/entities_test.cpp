#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <optional>
#include <string>

#include "rapport/dialogs/nlu.hpp"

using namespace rapport::dialogs;
using namespace rapport::dialogs::nlu;
using namespace std::chrono;

namespace {

// Monday 2026-11-23, 10:00 UTC.
const sys_ms monday = sys_days{year{2026} / November / 23} + hours{10};

std::vector<entity> extract(std::string_view text, std::string_view locale = "en",
                            config cfg = {}, const std::vector<lookup_entity>& lookups = {}) {
  return extract_entities({text, locale, monday, "UTC"}, cfg, lookups);
}

// The first entity of that type (a copy: callers pass temporaries).
std::optional<entity> first_of(const std::vector<entity>& es, std::string_view type) {
  for (const auto& e : es)
    if (e.type == type) return e;
  return std::nullopt;
}

std::string text_of(const entity& e) { return std::get<std::string>(e.val); }
double number_of(const entity& e) { return std::get<double>(e.val); }

}  // namespace

TEST_CASE("e-mail addresses anywhere in the text, with their position") {
  std::string text = "Sure, it's Jane.Doe+sales@Example.COM.";
  auto es = extract(text);
  auto e = first_of(es, "email");
  REQUIRE(e);
  CHECK(text_of(*e) == "Jane.Doe+sales@example.com");
  CHECK(text.substr(e->begin, e->end - e->begin) == "Jane.Doe+sales@Example.COM");
  CHECK_FALSE(first_of(extract("mail me at jane@ or @example.com"), "email"));
  CHECK_FALSE(first_of(extract("a@b"), "email"));
  CHECK_FALSE(first_of(extract("x@@y..com"), "email"));
}

TEST_CASE("phone numbers in the bot's default region come out as E.164") {
  auto es = extract("call me on (415) 555-2671 please");
  auto e = first_of(es, "phone");
  REQUIRE(e);
  CHECK(text_of(*e) == "+14155552671");
  config de;
  de.phone_region = "DE";
  auto german = first_of(extract("Meine Nummer: 030 1234567", "de", de), "phone");
  REQUIRE(german);
  CHECK(text_of(*german) == "+49301234567");
  auto international = first_of(extract("ring +44 20 7946 0958"), "phone");
  REQUIRE(international);
  CHECK(text_of(*international) == "+442079460958");
}

TEST_CASE("bad phone input is ignored") {
  CHECK_FALSE(first_of(extract("12345"), "phone"));
  config odd;
  odd.phone_region = "not-a-region";
  CHECK_FALSE(first_of(extract("555-2671", "en", odd), "phone"));
  CHECK(first_of(extract("+1 415 555 2671", "en", odd), "phone"));
  CHECK_FALSE(first_of(extract("\xFF\xFE 415 555 \xC3"), "phone"));
}

TEST_CASE("simple dates relative to now in the bot's time zone") {
  CHECK(text_of(*first_of(extract("today"), "date")) == "2026-11-23");
  CHECK(text_of(*first_of(extract("maybe tomorrow?"), "date")) == "2026-11-24");
  CHECK(text_of(*first_of(extract("on Friday"), "date")) == "2026-11-27");
  CHECK(text_of(*first_of(extract("Monday works"), "date")) == "2026-11-30");  // the next one
  CHECK(text_of(*first_of(extract("next week"), "date")) == "2026-11-30");
  CHECK(text_of(*first_of(extract("next month"), "date")) == "2026-12-01");
  CHECK(text_of(*first_of(extract("on 2027-01-15 please"), "date")) == "2027-01-15");
  CHECK(text_of(*first_of(extract("December 3rd"), "date")) == "2026-12-03");
  CHECK(text_of(*first_of(extract("3 March"), "date")) == "2027-03-03");
  CHECK(text_of(*first_of(extract("12/25/2026"), "date")) == "2026-12-25");
}

TEST_CASE("dates in German, Spanish and French") {
  CHECK(text_of(*first_of(extract("morgen", "de"), "date")) == "2026-11-24");
  CHECK(text_of(*first_of(extract("am Freitag", "de"), "date")) == "2026-11-27");
  CHECK(text_of(*first_of(extract("nächsten Monat", "de"), "date")) == "2026-12-01");
  CHECK(text_of(*first_of(extract("24.12.2026", "de"), "date")) == "2026-12-24");
  CHECK(text_of(*first_of(extract("mañana", "es"), "date")) == "2026-11-24");
  CHECK(text_of(*first_of(extract("el 5 de diciembre", "es"), "date")) == "2026-12-05");
  CHECK(text_of(*first_of(extract("demain", "fr"), "date")) == "2026-11-24");
  CHECK(text_of(*first_of(extract("25/12/2026", "fr"), "date")) == "2026-12-25");
}

TEST_CASE("the time zone decides what today is") {
  // 23:30 UTC on Monday is already Tuesday in Berlin.
  sys_ms late = sys_days{year{2026} / November / 23} + hours{23} + minutes{30};
  auto es = extract_entities({"today", "en", late, "Europe/Berlin"}, {});
  CHECK(text_of(*first_of(es, "date")) == "2026-11-24");
  auto unknown_zone = extract_entities({"today", "en", late, "Mars/Olympus"}, {});
  CHECK(text_of(*first_of(unknown_zone, "date")) == "2026-11-23");
}

TEST_CASE("impossible dates are not dates") {
  CHECK_FALSE(first_of(extract("2026-02-30"), "date"));
  CHECK_FALSE(first_of(extract("99/99/2026"), "date"));
}

TEST_CASE("numbers, money, percentages and durations") {
  auto es = extract("we're about forty people");
  REQUIRE(first_of(es, "number"));
  CHECK(number_of(*first_of(es, "number")) == 40);

  auto money = first_of(extract("our budget is $2,500"), "money");
  REQUIRE(money);
  CHECK(number_of(*money) == 2500);
  CHECK(money->unit == "USD");
  auto euros = first_of(extract("etwa 40 Euro", "de"), "money");
  REQUIRE(euros);
  CHECK(number_of(*euros) == 40);
  CHECK(euros->unit == "EUR");
  CHECK(first_of(extract("40 €", "fr"), "money")->unit == "EUR");

  auto percent = first_of(extract("a 15% discount"), "percent");
  REQUIRE(percent);
  CHECK(number_of(*percent) == 15);
  CHECK(number_of(*first_of(extract("zwanzig Prozent", "de"), "percent")) == 20);

  auto duration = first_of(extract("in two weeks"), "duration");
  REQUIRE(duration);
  CHECK(number_of(*duration) == 14 * 86400);
  CHECK(number_of(*first_of(extract("eine Stunde", "de"), "duration")) == 3600);
  CHECK(number_of(*first_of(extract("3 días", "es"), "duration")) == 3 * 86400);
  CHECK(number_of(*first_of(extract("deux mois", "fr"), "duration")) == 60 * 86400);
}

TEST_CASE("a number inside money is reported once, as money") {
  auto es = extract("$40");
  CHECK(es.size() == 1);
  CHECK(es[0].type == "money");
}

TEST_CASE("lookup entities match synonyms as whole words") {
  std::vector<lookup_entity> plans{
      {"plan", "en", {{"starter", {"basic", "the cheap one"}}, {"pro", {"professional"}}}}};
  auto es = extract("I think the cheap one, or maybe Professional", "en", {}, plans);
  std::vector<std::string> values;
  for (const auto& e : es)
    if (e.type == "plan") values.push_back(text_of(e));
  CHECK(values == std::vector<std::string>{"starter", "pro"});
  CHECK_FALSE(first_of(extract("probably", "en", {}, plans), "plan"));  // not inside words
  CHECK_FALSE(first_of(extract("professional", "de", {}, plans), "plan"));  // other locale
}

TEST_CASE("extraction never crashes on hostile input") {
  std::string junk;
  for (int i = 0; i < 3000; ++i) junk += static_cast<char>((i * 37) % 256);
  CHECK_NOTHROW(extract(junk));
  CHECK_NOTHROW(extract(std::string(20000, '@')));
  CHECK_NOTHROW(extract(std::string(5000, '9')));
  CHECK(extract("").empty());
}

TEST_CASE("a currency, percent sign or time unit without a number is no entity") {
  CHECK(extract("$").empty());
  CHECK(extract("$ $$ €").empty());
  CHECK(extract("USD").empty());
  CHECK(extract("% off").empty());
  CHECK(extract("percent").empty());
  CHECK(extract("for weeks").empty());
  CHECK(extract("hours and hours").empty());
  CHECK_FALSE(first_of(extract("a few weeks"), "duration"));  // no amount to report
  CHECK_FALSE(first_of(extract("dollars per cent"), "money"));
}

TEST_CASE("the currency, percent word or unit must touch its number") {
  CHECK_FALSE(first_of(extract("$ and then 40"), "money"));
  CHECK_FALSE(first_of(extract("15 and then %"), "percent"));
  CHECK_FALSE(first_of(extract("3 more than weeks"), "duration"));
  auto money = first_of(extract("$$40"), "money");  // a stray symbol before it does not matter
  REQUIRE(money);
  CHECK(number_of(*money) == 40);
}

TEST_CASE("huge numbers give no money, percent or duration rather than a wrong one") {
  const std::string huge(400, '9');
  for (const std::string& text :
       {"$" + huge, huge + "%", huge + " weeks", huge + " euros", "EUR " + huge}) {
    auto es = extract(text);
    for (const char* type : {"money", "percent", "duration", "number"})
      CHECK_MESSAGE(!first_of(es, type), type, " in ", text.substr(0, 20));
  }
  // Within range, values stay finite and exact enough to store.
  auto years = first_of(extract("999999999999 years"), "duration");
  REQUIRE(years);
  CHECK(std::isfinite(number_of(*years)));
  CHECK(number_of(*years) == doctest::Approx(999999999999.0 * 365 * 86400));
  auto billions = first_of(extract("nine hundred billion dollars"), "money");
  REQUIRE(billions);
  CHECK(number_of(*billions) == 900e9);
}

TEST_CASE("money, percentages and durations in invalid UTF-8 keep their byte offsets") {
  const std::string text = "\xFF\xFE pay $40\xC3 now, 15% off \xE2\x82 in 2 weeks";
  auto es = extract(text);
  auto money = first_of(es, "money");
  REQUIRE(money);
  CHECK(number_of(*money) == 40);
  CHECK(text.substr(money->begin, money->end - money->begin) == "$40");
  auto percent = first_of(es, "percent");
  REQUIRE(percent);
  CHECK(text.substr(percent->begin, percent->end - percent->begin) == "15%");
  auto duration = first_of(es, "duration");
  REQUIRE(duration);
  CHECK(number_of(*duration) == 14 * 86400);
  CHECK(text.substr(duration->begin, duration->end - duration->begin) == "2 weeks");
  // A broken currency sign (the first two bytes of "€") is not a currency.
  CHECK_FALSE(first_of(extract("40 \xE2\x82"), "money"));
  CHECK_FALSE(first_of(extract("\xE2\x82 40"), "money"));
}
