#include <doctest/doctest.h>

#include <algorithm>

#include "expr_test_support.hpp"

using namespace rapport::dialogs;
using namespace rapport::dialogs::testing;

TEST_CASE("expression_functions() lists every built-in function") {
  const auto& names = expression_functions();
  for (const char* name :
       {"hour", "minute", "weekday", "date", "time", "between", "len", "lower", "upper", "contains",
        "starts_with", "ends_with", "is_set", "number", "text", "round", "abs", "min", "max"}) {
    CAPTURE(name);
    CHECK(std::find(names.begin(), names.end(), name) != names.end());
  }
  CHECK(names.size() == 19);
}

TEST_CASE("len counts characters (code points), not bytes") {
  CHECK(eval("len(\"hello\")") == num(5));
  CHECK(eval("len(\"héllo\")") == num(5));
  CHECK(eval("len(\"日本語\")") == num(3));
  CHECK(eval("len(\"👋\")") == num(1));
  CHECK(eval("len(\"\")") == num(0));
  CHECK(eval("len(missing)") == num(0));
  CHECK(eval("len(12345)") == num(5));
  CHECK(eval("len(email) > 3", {{"email", txt("a@b.co")}}) == value{true});
}

TEST_CASE("lower and upper are Unicode-aware") {
  CHECK(eval("lower(\"PRICING\")") == txt("pricing"));
  CHECK(eval("lower(\"ÄÖÜ ÉTÉ\")") == txt("äöü été"));
  CHECK(eval("upper(\"straße\")") == txt("STRASSE"));
  CHECK(eval("lower(\"ΟΔΟΣ\")") == txt("\u03bf\u03b4\u03bf\u03c2"));  // final sigma: ς
  CHECK(eval("lower(missing)") == null);
  CHECK(eval("lower(answer) == \"yes\"", {{"answer", txt("YES")}}) == value{true});
}

TEST_CASE("contains, starts_with, ends_with are case-sensitive text tests") {
  CHECK(eval("contains(\"hello world\", \"o w\")") == value{true});
  CHECK(eval("contains(\"hello\", \"H\")") == value{false});
  CHECK(eval("contains(lower(\"Hello\"), \"h\")") == value{true});
  CHECK(eval("starts_with(\"/pricing/teams\", \"/pricing\")") == value{true});
  CHECK(eval("starts_with(\"/about\", \"/pricing\")") == value{false});
  CHECK(eval("ends_with(\"ana@acme.com\", \"@acme.com\")") == value{true});
  CHECK(eval("ends_with(\"ana@acme.com\", \".org\")") == value{false});
  CHECK(eval("contains(missing, \"a\")") == value{false});
  CHECK(eval("contains(\"a\", missing)") == value{false});
  CHECK(eval("contains(12345, 34)") == value{true});  // numbers are read as their text
}

TEST_CASE("is_set is false for null and empty text only") {
  CHECK(eval("is_set(missing)") == value{false});
  CHECK(eval("is_set(x)", {{"x", txt("")}}) == value{false});
  CHECK(eval("is_set(x)", {{"x", txt(" ")}}) == value{true});
  CHECK(eval("is_set(x)", {{"x", num(0)}}) == value{true});
  CHECK(eval("is_set(x)", {{"x", value{false}}}) == value{true});
}

TEST_CASE("number reads text as a number, or gives null") {
  CHECK(eval("number(\"42\")") == num(42));
  CHECK(eval("number(\" -2.5 \")") == num(-2.5));
  CHECK(eval("number(\"+7\")") == num(7));
  CHECK(eval("number(\"1e3\")") == num(1000));
  CHECK(eval("number(\"abc\")") == null);
  CHECK(eval("number(\"1,5\")") == null);
  CHECK(eval("number(\"12abc\")") == null);
  CHECK(eval("number(\"inf\")") == null);
  CHECK(eval("number(\"\")") == null);
  CHECK(eval("number(7)") == num(7));
  CHECK(eval("number(true)") == null);
  CHECK(eval("number(missing)") == null);
  CHECK(eval("number(answer) >= 18", {{"answer", txt("21")}}) == value{true});
}

TEST_CASE("text renders any value as text") {
  CHECK(eval("text(40)") == txt("40"));
  CHECK(eval("text(2.5)") == txt("2.5"));
  CHECK(eval("text(true)") == txt("true"));
  CHECK(eval("text(missing)") == txt(""));
  CHECK(eval("text(\"x\")") == txt("x"));
  CHECK(eval("text(size) == \"3\"", {{"size", num(3)}}) == value{true});
}

TEST_CASE("round rounds half away from zero, to optional digits") {
  CHECK(eval("round(2.5)") == num(3));
  CHECK(eval("round(-2.5)") == num(-3));
  CHECK(eval("round(2.4)") == num(2));
  CHECK(eval("round(2.567, 2)") == num(2.57));
  CHECK(eval("round(1234, -2)") == num(1200));
  CHECK(eval("round(-0.2)") == num(0));
  CHECK(to_text(eval("round(-0.2)")) == "0");
  CHECK(eval("round(\"2.5\")") == null);
  CHECK(eval("round(2.5, 0.5)") == null);
  CHECK(eval("round(2.5, 99)") == null);
}

TEST_CASE("abs works on numbers only") {
  CHECK(eval("abs(-3)") == num(3));
  CHECK(eval("abs(3.5)") == num(3.5));
  CHECK(eval("abs(\"-3\")") == null);
  CHECK(eval("abs(missing)") == null);
}

TEST_CASE("min and max take two or more numbers or texts of one type") {
  CHECK(eval("min(3, 1, 2)") == num(1));
  CHECK(eval("max(3, 1, 2)") == num(3));
  CHECK(eval("max(-1, -5)") == num(-1));
  CHECK(eval("min(\"pear\", \"apple\")") == txt("apple"));
  CHECK(eval("max(\"pear\", \"apple\")") == txt("pear"));
  CHECK(eval("min(1, \"a\")") == null);
  CHECK(eval("max(1, missing)") == null);
  CHECK(eval("min(team_size, 100) > 10", {{"team_size", num(40)}}) == value{true});
}
