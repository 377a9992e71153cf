#include <doctest/doctest.h>

#include "expr_test_support.hpp"

using namespace rapport::dialogs;
using namespace rapport::dialogs::testing;

TEST_CASE("== and != compare by type: a number never equals text") {
  CHECK(eval("1 == 1") == value{true});
  CHECK(eval("1 == 1.0") == value{true});
  CHECK(eval("\"a\" == 'a'") == value{true});
  CHECK(eval("1 == \"1\"") == value{false});
  CHECK(eval("1 != \"1\"") == value{true});
  CHECK(eval("true == 1") == value{false});
  CHECK(eval("null == null") == value{true});
  CHECK(eval("missing == null") == value{true});
  CHECK(eval("\"\" == null") == value{false});
  CHECK(eval("0 == false") == value{false});
  CHECK(eval("email != null", {{"email", txt("a@b.c")}}) == value{true});
}

TEST_CASE("ordering needs two numbers or two texts, otherwise null (a false condition)") {
  CHECK(eval("1 < 2") == value{true});
  CHECK(eval("2 <= 2") == value{true});
  CHECK(eval("3 > 2") == value{true});
  CHECK(eval("2 >= 3") == value{false});
  CHECK(eval("\"apple\" < \"banana\"") == value{true});
  CHECK(eval("\"2026-11-23\" >= \"2026-01-01\"") == value{true});  // ISO dates order as text
  CHECK(eval("\"10\" < \"9\"") == value{true});                    // text order, not numeric
  CHECK(eval("1 < \"2\"") == null);
  CHECK(eval("team_size >= 10") == null);  // an unset slot
  CHECK(eval("true > false") == null);
  CHECK_FALSE(parse_ok("team_size >= 10").test(context_for({})));
  CHECK(eval("not (team_size >= 10)") == value{true});  // null is falsy, so `not` makes it true
}

TEST_CASE("+ adds numbers and concatenates as soon as one side is text") {
  CHECK(eval("2 + 3") == num(5));
  CHECK(eval("\"n=\" + 5") == txt("n=5"));
  CHECK(eval("2.5 + \"x\"") == txt("2.5x"));
  CHECK(eval("\"Hi \" + name", {{"name", txt("Ana")}}) == txt("Hi Ana"));
  CHECK(eval("\"Hi \" + name") == txt("Hi "));  // null reads as empty text
  CHECK(eval("\"is \" + true") == txt("is true"));
  CHECK(eval("2 + null") == null);
  CHECK(eval("true + 1") == null);
}

TEST_CASE("- * / % need numbers, and division or modulo by zero gives null") {
  CHECK(eval("7 - 10") == num(-3));
  CHECK(eval("6 * 7") == num(42));
  CHECK(eval("7 / 2") == num(3.5));
  CHECK(eval("7 % 3") == num(1));
  CHECK(eval("-7 % 3") == num(-1));
  CHECK(eval("7.5 % 2") == num(1.5));
  CHECK(eval("1 / 0") == null);
  CHECK(eval("5 % 0") == null);
  CHECK(eval("\"6\" * 2") == null);
  CHECK(eval("\"a\" - \"b\"") == null);
  CHECK(eval("null * 2") == null);
  CHECK(eval("false - 1") == null);
  CHECK(eval("1e308 * 10") == null);  // overflow is not a number either
}

TEST_CASE("unary minus negates numbers only") {
  CHECK(eval("-x", {{"x", num(4)}}) == num(-4));
  CHECK(eval("-x", {{"x", txt("4")}}) == null);
  CHECK(eval("-x") == null);
  CHECK(to_text(eval("-0")) == "0");
}

TEST_CASE("and / or short-circuit and always yield booleans") {
  int reads = 0;
  evaluation_context context;
  context.lookup = [&](std::string_view) -> std::optional<value> {
    ++reads;
    return value{true};
  };
  CHECK(parse_ok("false and boom").evaluate(context) == value{false});
  CHECK(parse_ok("true or boom").evaluate(context) == value{true});
  CHECK(reads == 0);
  CHECK(parse_ok("true and boom").evaluate(context) == value{true});
  CHECK(reads == 1);

  CHECK(eval("1 and \"x\"") == value{true});
  CHECK(eval("0 or \"\"") == value{false});
  CHECK(eval("null or 2") == value{true});
}

TEST_CASE("not uses truthiness: null, false, 0 and empty text are false") {
  CHECK(eval("not null") == value{true});
  CHECK(eval("not 0") == value{true});
  CHECK(eval("not \"\"") == value{true});
  CHECK(eval("not \"no\"") == value{false});
  CHECK(eval("not not 3") == value{true});
}

TEST_CASE("in tests membership of a list, comparing like ==") {
  value_map vars{{"channel", txt("whatsapp")}, {"size", num(2)}};
  CHECK(eval("channel in [\"web\", \"whatsapp\"]", vars) == value{true});
  CHECK(eval("channel in ['web', 'sms']", vars) == value{false});
  CHECK(eval("channel not in ['web', 'sms']", vars) == value{true});
  CHECK(eval("size in [1, 2, 3]", vars) == value{true});
  CHECK(eval("\"2\" in [1, 2, 3]") == value{false});  // text never equals a number
  CHECK(eval("missing in [null]") == value{true});
  CHECK(eval("1 in []") == value{false});
  CHECK(eval("size in [size - 1, size * 1,]", vars) == value{true});  // elements are expressions
  CHECK(eval("size + 1 in [3]", vars) == value{true});                // + binds tighter than in
}

TEST_CASE("in on text tests for a substring, other right sides give false") {
  CHECK(eval("\"ell\" in \"hello\"") == value{true});
  CHECK(eval("\"\" in \"hello\"") == value{true});
  CHECK(eval("\"xyz\" in \"hello\"") == value{false});
  CHECK(eval("\"xyz\" not in \"hello\"") == value{true});
  CHECK(eval("1 in \"123\"") == value{false});  // the left side must be text too
  CHECK(eval("\"a\" in missing") == value{false});
  CHECK(eval("\"a\" in 5") == value{false});
}

TEST_CASE("list elements are evaluated lazily, stopping at the first match") {
  int reads = 0;
  evaluation_context context;
  context.lookup = [&](std::string_view name) -> std::optional<value> {
    ++reads;
    return name == "x" ? value{1.0} : value{2.0};
  };
  CHECK(parse_ok("x in [1, y, z]").evaluate(context) == value{true});
  CHECK(reads == 1);
}
