#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "expr_test_support.hpp"

using namespace rapport::dialogs;
using namespace rapport::dialogs::testing;

TEST_CASE("named arguments are replaced by slot values") {
  CHECK(render("Thanks, {name}!", {{"name", txt("Ana")}}) == "Thanks, Ana!");
  CHECK(render("{a} and {b}", {{"a", txt("x")}, {"b", txt("y")}, {"unused", txt("z")}}) ==
        "x and y");
  CHECK(render("Team of {n}", {{"n", num(40)}}) == "Team of 40");
  CHECK(render("Flag: {flag}", {{"flag", value{true}}}) == "Flag: true");
  CHECK(render("No arguments at all") == "No arguments at all");
}

TEST_CASE("missing and null arguments render as empty text, never as {name}") {
  CHECK(render("Hi {name}!") == "Hi !");
  CHECK(render("Hi {name}!", {{"name", null}}) == "Hi !");
  CHECK(render("{plan, select, pro {Pro plan} other {your plan}}") == "your plan");
  // A plural without a number takes its `other` case; `#` shows nothing.
  CHECK(render("{n, plural, one {# seat} other {# seats}}") == " seats");
}

TEST_CASE("English plurals: one and other") {
  const auto p = compile_ok("{n, plural, one {# item} other {# items}}", "en");
  CHECK(p.render({{"n", num(1)}}) == "1 item");
  CHECK(p.render({{"n", num(0)}}) == "0 items");
  CHECK(p.render({{"n", num(2)}}) == "2 items");
  CHECK(p.render({{"n", num(1234)}}) == "1,234 items");
  CHECK(p.render({{"n", num(1.5)}}) == "1.5 items");
}

TEST_CASE("German plurals: one and other, German digit grouping") {
  const auto p = compile_ok("{n, plural, one {ein Platz} other {# Plätze}}", "de");
  CHECK(p.render({{"n", num(1)}}) == "ein Platz");
  CHECK(p.render({{"n", num(3)}}) == "3 Plätze");
  CHECK(p.render({{"n", num(1234)}}) == "1.234 Plätze");
}

TEST_CASE("plural with exact values and an offset") {
  const auto p = compile_ok(
      "{n, plural, offset:1 =0 {Nobody yet} =1 {Just you} one {You and one other} "
      "other {You and # others}}");
  CHECK(p.render({{"n", num(0)}}) == "Nobody yet");
  CHECK(p.render({{"n", num(1)}}) == "Just you");
  CHECK(p.render({{"n", num(2)}}) == "You and one other");
  CHECK(p.render({{"n", num(5)}}) == "You and 4 others");
}

TEST_CASE("ordinals with selectordinal") {
  const auto p = compile_ok("{n, selectordinal, one {#st} two {#nd} few {#rd} other {#th}}");
  CHECK(p.render({{"n", num(1)}}) == "1st");
  CHECK(p.render({{"n", num(2)}}) == "2nd");
  CHECK(p.render({{"n", num(3)}}) == "3rd");
  CHECK(p.render({{"n", num(4)}}) == "4th");
  CHECK(p.render({{"n", num(11)}}) == "11th");
  CHECK(p.render({{"n", num(22)}}) == "22nd");
}

TEST_CASE("a number given as text is used as a number in plural and number") {
  const auto p = compile_ok("{n, plural, one {# item} other {# items}}");
  CHECK(p.render({{"n", txt("1")}}) == "1 item");
  CHECK(p.render({{"n", txt("3")}}) == "3 items");
  CHECK(render("{n, number}", {{"n", txt("1234.5")}}) == "1,234.5");
  // Text that is not a number falls back to `other`, with `#` showing the text.
  CHECK(p.render({{"n", txt("many")}}) == "many items");
}

TEST_CASE("select on text and on booleans") {
  const auto plan = compile_ok(
      "{plan, select, pro {Pro it is.} enterprise {Let's talk.} "
      "other {Good choice.}}");
  CHECK(plan.render({{"plan", txt("pro")}}) == "Pro it is.");
  CHECK(plan.render({{"plan", txt("enterprise")}}) == "Let's talk.");
  CHECK(plan.render({{"plan", txt("starter")}}) == "Good choice.");

  const auto happy =
      compile_ok("{happy, select, true {Great!} false {Sorry to hear.} other {Hmm.}}");
  CHECK(happy.render({{"happy", value{true}}}) == "Great!");
  CHECK(happy.render({{"happy", value{false}}}) == "Sorry to hear.");
  CHECK(happy.render({}) == "Hmm.");
}

TEST_CASE("select on a number matches its text") {
  const auto p = compile_ok("{rating, select, 5 {Wow, thanks!} other {Thanks for {rating}.}}");
  CHECK(p.render({{"rating", num(5)}}) == "Wow, thanks!");
  CHECK(p.render({{"rating", num(3)}}) == "Thanks for 3.");
}

TEST_CASE("numbers follow the locale: 1,234.5 in English, 1.234,5 in German") {
  CHECK(render("{n, number}", {{"n", num(1234.5)}}, "en") == "1,234.5");
  CHECK(render("{n, number}", {{"n", num(1234.5)}}, "de") == "1.234,5");
  CHECK(render("{n, number, integer}", {{"n", num(1234.5)}}, "en") == "1,234");
  CHECK(render("{n, number, percent}", {{"n", num(0.2)}}, "en") == "20%");
  CHECK(render("{n, number, ::currency/EUR}", {{"n", num(12.5)}}, "de") == "12,50\u00a0€");
  CHECK(render("{n}", {{"n", num(1234.5)}}, "de") == "1.234,5");
}

TEST_CASE("plural nested inside select") {
  const auto p = compile_ok(
      "{who, select, team {{n, plural, one {Your team has one seat.} other {Your team has # "
      "seats.}}} other {{n, plural, one {You have one seat.} other {You have # seats.}}}}");
  CHECK(p.render({{"who", txt("team")}, {"n", num(1)}}) == "Your team has one seat.");
  CHECK(p.render({{"who", txt("team")}, {"n", num(12)}}) == "Your team has 12 seats.");
  CHECK(p.render({{"who", txt("me")}, {"n", num(2)}}) == "You have 2 seats.");
  CHECK(p.argument_names() == std::vector<std::string>{"who", "n"});
}

TEST_CASE("apostrophes are literal in normal text") {
  CHECK(render("Don't worry, {name}!", {{"name", txt("Ana")}}) == "Don't worry, Ana!");
  CHECK(render("We're here, it's fine") == "We're here, it's fine");
  CHECK(render("{n, plural, one {It's # item} other {It's # items}}", {{"n", num(2)}}) ==
        "It's 2 items");
  CHECK(render("I\u2019m typographic, {name}", {{"name", txt("Ana")}}) ==
        "I\u2019m typographic, Ana");
}

TEST_CASE("quoting: '' is an apostrophe, and an apostrophe before a brace quotes it") {
  CHECK(render("It''s {name}''s turn", {{"name", txt("Ana")}}) == "It's Ana's turn");
  CHECK(render("Use '{braces}' for literal braces") == "Use {braces} for literal braces");
  CHECK(render("Quote the name: ''{name}''", {{"name", txt("Ana")}}) == "Quote the name: 'Ana'");
}

TEST_CASE("UTF-8 text round-trips: emoji, Japanese, accents") {
  CHECK(render("こんにちは、{name}さん 👋", {{"name", txt("太郎")}}) == "こんにちは、太郎さん 👋");
  CHECK(render("{x}", {{"x", txt("🎉 Grüße ✓")}}) == "🎉 Grüße ✓");
  CHECK(render("{n, plural, other {# 件}}", {{"n", num(3)}}, "ja") == "3 件");
}

TEST_CASE("dates: ISO date text and epoch milliseconds") {
  CHECK(render("{d, date, medium}", {{"d", txt("2026-11-23")}}, "en") == "Nov 23, 2026");
  CHECK(render("{d, date, long}", {{"d", txt("2026-11-23")}}, "de") == "23. November 2026");
  CHECK(render("{d, date, ::yyyyMMdd}", {{"d", txt("2026-02-28")}}, "en") == "02/28/2026");
  CHECK(render("See you {d, date, medium}", {{"d", txt("soon")}}) == "See you soon");
}

TEST_CASE("one bad argument does not spoil the rest of the message") {
  const auto p = compile_ok("{n, plural, one {# seat} other {# seats}} for {who, number}");
  CHECK(p.render({{"n", num(1)}, {"who", txt("Ana")}}) == "1 seat for Ana");
  CHECK(p.render({{"n", num(3)}, {"who", num(2)}}) == "3 seats for 2");
}

TEST_CASE("argument_names lists each named argument once, in order") {
  const auto p =
      compile_ok("{a} {b, plural, one {{c}} other {{a} {d, select, x {{e}} other {}}}} {a}");
  CHECK(p.argument_names() == std::vector<std::string>{"a", "b", "c", "d", "e"});
  CHECK(compile_ok("No arguments").argument_names().empty());
  CHECK(compile_ok("'{quoted}'").argument_names().empty());
  CHECK(p.source() == "{a} {b, plural, one {{c}} other {{a} {d, select, x {{e}} other {}}}} {a}");
}

TEST_CASE("a pattern renders concurrently from several threads") {
  const auto p =
      compile_ok("{name}: {n, plural, one {# seat} other {# seats}} at {price, number}", "de");
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i) {
        const double n = t + 1;
        std::string out = p.render(
            {{"name", txt("T" + std::to_string(t))}, {"n", num(n)}, {"price", num(1000.5)}});
        std::string expected = "T" + std::to_string(t) + ": " +
                               (t == 0 ? std::string("1 seat") : std::to_string(t + 1) + " seats") +
                               " at 1.000,5";
        if (out != expected) ++mismatches;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(mismatches == 0);
}
