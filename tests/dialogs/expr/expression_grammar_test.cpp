#include <doctest/doctest.h>

#include "expr_test_support.hpp"

using namespace rapport::dialogs;
using namespace rapport::dialogs::testing;

TEST_CASE("literals: numbers, quoted text with escapes, booleans and null") {
  CHECK(eval("40") == num(40));
  CHECK(eval("0.7") == num(0.7));
  CHECK(eval("1e3") == num(1000));
  CHECK(eval("\"pricing\"") == txt("pricing"));
  CHECK(eval("'pricing'") == txt("pricing"));
  CHECK(eval(R"("say \"hi\"")") == txt("say \"hi\""));
  CHECK(eval(R"('it\'s')") == txt("it's"));
  CHECK(eval(R"("a\\b\n\t")") == txt("a\\b\n\t"));
  CHECK(eval(R"("caf\u00e9")") == txt("café"));
  CHECK(eval("\"こんにちは 👋\"") == txt("こんにちは 👋"));
  CHECK(eval("true") == value{true});
  CHECK(eval("false") == value{false});
  CHECK(eval("null") == null);
}

TEST_CASE("a dotted name is one variable looked up by its full name") {
  value_map vars{{"intent", txt("pricing")},
                 {"intent.confidence", num(0.82)},
                 {"context.utm_source", txt("newsletter")}};
  CHECK(eval("intent.confidence > 0.7", vars) == value{true});
  CHECK(eval("intent == \"pricing\"", vars) == value{true});
  CHECK(eval("context.utm_source", vars) == txt("newsletter"));
  CHECK(eval("unknown_slot", vars) == null);
  CHECK(eval("context.missing == null", vars) == value{true});
}

TEST_CASE("a context without a lookup function reads every variable as null") {
  evaluation_context context;  // lookup left empty
  CHECK(parse_ok("team_size").evaluate(context) == null);
  CHECK(parse_ok("team_size == null").test(context));
}

TEST_CASE("precedence: or < and < not < comparison < + - < * / % < unary minus") {
  CHECK(eval("1 + 2 * 3") == num(7));
  CHECK(eval("(1 + 2) * 3") == num(9));
  CHECK(eval("10 - 2 - 3") == num(5));  // left to right
  CHECK(eval("12 / 2 / 3") == num(2));
  CHECK(eval("-2 * 3") == num(-6));
  CHECK(eval("- -2") == num(2));
  CHECK(eval("2 - -2") == num(4));
  CHECK(eval("1 + 2 == 3") == value{true});
  CHECK(eval("not 1 + 1 == 3") == value{true});  // not (2 == 3)
  value_map vars{{"a", value{true}}, {"b", value{false}}, {"c", value{false}}};
  CHECK(eval("a or b and c", vars) == value{true});  // a or (b and c)
  CHECK(eval("(a or b) and c", vars) == value{false});
  CHECK(eval("not b and a", vars) == value{true});  // (not b) and a
  CHECK(eval("not a == b", vars) == value{true});   // not (a == b)
  CHECK(eval("7 % 4 * 2") == num(6));
}

TEST_CASE("whitespace and line breaks between tokens do not matter") {
  CHECK(eval("  1\n+\t2  ") == num(3));
  CHECK(eval("hour ( )", {}, testing::utc(2026, 1, 5, 7, 0)) == num(7));
}

TEST_CASE("the default expression is the constant true") {
  expression e;
  CHECK(e.text() == "true");
  CHECK(e.variables().empty());
  CHECK(e.test(evaluation_context{}));
  CHECK(e.evaluate(evaluation_context{}) == value{true});
}

TEST_CASE("text() returns the source as written") {
  CHECK(parse_ok("team_size >= 10  and x").text() == "team_size >= 10  and x");
}

TEST_CASE("variables() lists names read, first appearance first, without duplicates") {
  auto e = parse_ok("a == 1 and b.c > a or d in [a, e, \"a\"] or is_set(f) or hour() > 9");
  CHECK(e.variables() == std::vector<std::string>{"a", "b.c", "d", "e", "f"});
  CHECK(parse_ok("1 + 2").variables().empty());
  // Even names on a branch that short-circuiting skips are listed: the loader checks them all.
  CHECK(parse_ok("false and never_read").variables() == std::vector<std::string>{"never_read"});
}

TEST_CASE("parse errors point at the offending character and say what was expected") {
  struct case_t {
    const char* text;
    int offset;
    const char* message;
  };
  const case_t cases[] = {
      {"team_size >= ", 13, "unexpected end of expression: expected a value"},
      {"", 0, "unexpected end of expression: expected a value"},
      {"(a + b", 6, "expected ')' to close '(' but found the end of the expression"},
      {"x == 1 and (y == 2 z", 19, "expected ')' to close '(' but found 'z'"},
      {"hours() >= 9", 0, "unknown function 'hours' (did you mean 'hour'?)"},
      {"Hour() >= 9", 0, "unknown function 'Hour' (did you mean 'hour'?)"},
      {"frobnicate(1)", 0, "unknown function 'frobnicate'"},
      {"a = 1", 2, "'=' is not an operator; use '==' to compare"},
      {"a == 1 && b", 7, "'&&' is not an operator; use 'and'"},
      {"a || b", 2, "'||' is not an operator; use 'or'"},
      {"!a", 0, "'!' is not an operator; use 'not'"},
      {"a < b < c", 6,
       "comparisons cannot be chained; combine them with 'and', e.g. a < b and b < c"},
      {"a == b != c", 7,
       "comparisons cannot be chained; combine them with 'and', e.g. a < b and b < c"},
      {"a not b", 6, "expected 'in' after 'not' but found 'b'"},
      {"[1, 2]", 0,
       "a list can only follow 'in' or 'not in', e.g. channel in [\"web\", \"whatsapp\"]"},
      {"x in [1, 2", 10,
       "expected ',' or ']' to close '[' but found the end of the expression"},
      {"a b", 2, "expected an operator or the end of the expression but found 'b'"},
      {"a)", 1, "unmatched ')'"},
      {"\"open", 0, "unterminated text: expected a closing \""},
      {"'open", 0, "unterminated text: expected a closing '"},
      {R"("bad \q")", 5, "unknown escape '\\q'; use \\\\ for a backslash"},
      {"intent.", 7, "expected a name after '.' in 'intent.'"},
      {"1.", 2, "expected a digit after '.' in the number"},
      {".5", 0, "write a digit before the '.', e.g. 0.5"},
      {"3days", 1, "expected an operator after the number 3"},
      {"a == #", 5, "unexpected character '#'"},
      {"len(a b)", 6, "expected ',' or ')' to close 'len(' but found 'b'"},
      {"x == and", 5, "expected a value but found 'and'"},
  };
  for (const auto& c : cases) {
    const std::string text = c.text;
    CAPTURE(text);
    auto error = parse_error(c.text);
    CHECK(error.offset == c.offset);
    CHECK(error.message == c.message);
  }
}

TEST_CASE("an unclosed bracket's error says where it opened") {
  CHECK(parse_error("x == 1 and (y == 2 z").opened_at == 11);
  CHECK(parse_error("x in [1, 2").opened_at == 5);
  CHECK(parse_error("len(a b)").opened_at == 3);
  CHECK(parse_error("a b").opened_at == -1);
}

TEST_CASE("error offsets count characters, not bytes") {
  auto error = parse_error("name == 'é' and ü");
  CHECK(error.offset == 16);
  CHECK(error.message == "unexpected character 'ü'");
  CHECK(parse_error("\"日本\" == 1 1").offset == 10);
}

TEST_CASE("functions are checked at parse time: name and number of arguments") {
  auto too_many = parse_error("x or hour(\"UTC\", 2)");
  CHECK(too_many.offset == 5);
  CHECK(too_many.message == "'hour' takes 0 or 1 arguments (hour(zone?)) but was given 2");
  CHECK(parse_error("len()").message == "'len' takes 1 argument (len(text)) but was given 0");
  CHECK(parse_error("min(1)").message ==
        "'min' takes at least 2 arguments (min(a, b, ...)) but was given 1");
  CHECK(parse_error("between(\"09:00\")").message ==
        "'between' takes 2 or 3 arguments (between(start, end, zone?)) but was given 1");
  CHECK(parse_error("intent.hour()").message == "unknown function 'intent.hour'");
}

TEST_CASE("between() rejects a malformed literal time at parse time") {
  auto error = parse_error("between(\"09:00\", \"5pm\")");
  CHECK(error.offset == 17);
  CHECK(error.message ==
        "expected a time of day like \"09:00\" as the end of between(), found \"5pm\"");
  CHECK(parse_error("between(9, \"17:00\")").offset == 8);
  CHECK(parse_error("between(\"25:00\", \"17:00\")").offset == 8);
  // Times from variables are checked when evaluated: a malformed one gives null.
  CHECK(eval("between(start, \"17:00\")", {{"start", txt("noon")}}) == null);
}

TEST_CASE("length limit: 2000 characters") {
  std::string longest = "1";
  while (longest.size() + 4 <= 2000) longest += " + 1";
  longest.append(2000 - longest.size(), ' ');
  REQUIRE(longest.size() == 2000);
  CHECK(eval(longest) == num(500));

  auto error = parse_error(longest + "1");
  CHECK(error.offset == 2000);
  CHECK(error.message == "expression is too long (2001 characters; at most 2000)");
  CHECK(parse_error(std::string(1'000'000, '(')).offset == 2000);
}

TEST_CASE("nesting limit: 64 levels, and hostile nesting is a clean error") {
  CHECK(eval(std::string(64, '(') + "1" + std::string(64, ')')) == num(1));
  auto error = parse_error(std::string(65, '(') + "1" + std::string(65, ')'));
  CHECK(error.offset == 64);
  CHECK(error.message == "expression is nested too deeply (at most 64 levels)");
  CHECK(parse_error(std::string(2000, '(')).offset == 64);
  CHECK(parse_error(std::string(2000, '[')).offset == 0);  // a list must follow `in`

  std::string nots;
  for (int i = 0; i < 65; ++i) nots += "not ";
  CHECK(parse_error(nots + "x").message == "expression is nested too deeply (at most 64 levels)");
  CHECK(parse_error(std::string(65, '-') + "1").offset == 64);
  std::string calls;
  for (int i = 0; i < 65; ++i) calls += "abs(";
  CHECK(parse_error(calls + "1" + std::string(65, ')')).offset == 64 * 4 + 3);
  // Long flat chains are not nesting.
  std::string chain = "x";
  for (int i = 0; i < 300; ++i) chain += " or x";
  CHECK(eval(chain, {{"x", value{false}}}) == value{false});
}
