#include <doctest/doctest.h>

#include "expr_test_support.hpp"

using namespace rapport::dialogs;
using namespace rapport::dialogs::testing;

TEST_CASE("bad patterns are errors with the offset of the problem and a human message") {
  struct case_t {
    const char* pattern;
    int offset;
    const char* message;
  };
  const case_t cases[] = {
      {"Hello {name", 6, "unmatched '{': expected a '}' to close it"},
      {"{n, plural, one {x} other {y}", 0, "unmatched '{': expected a '}' to close it"},
      {"{n, plurl, one {x} other {y}}", 4,
       "unknown argument type 'plurl' (did you mean 'plural'?)"},
      {"{n, nmber}", 4, "unknown argument type 'nmber' (did you mean 'number'?)"},
      {"{n, plural, one {x}}", 0,
       "'plural' needs an 'other' case (used when nothing else matches)"},
      {"{n, select, a {x}}", 0, "'select' needs an 'other' case (used when nothing else matches)"},
      {"{0} items", 1, "numbered argument {0}: use named arguments such as {name}"},
      {"{context.page}", 1,
       "invalid argument name 'context.page': use letters, digits and '_' (no dots or spaces)"},
      {"{}", 1, "expected an argument name after '{' but found '}'"},
      {"{n x}", 3, "expected ',' or '}' after the argument name 'n' but found 'x'"},
      {"{n, select}", 10, "'select' needs cases, e.g. {n, select, a {...} other {...}}"},
      {"{n, plural, one x} other {y}}", 16, "expected '{' after the case 'one' but found 'x'"},
      {"{n, plural, ones {x} other {y}}", 12, "unknown plural case 'ones' (did you mean 'one'?)"},
      {"{n, plural, lots {x} other {y}}", 12,
       "unknown plural case 'lots' (use zero, one, two, few, many, other or an exact value such as "
       "=0)"},
      {"{n, select, a {x} a {y} other {z}}", 18, "duplicate case 'a' in 'n'"},
      {"{n, number, ::garbage}", 12, "invalid skeleton '::garbage' for argument 'n'"},
      {"{n, choice, 0#none|1#one}", 4, "the 'choice' type is not supported; use plural or select"},
  };
  for (const auto& c : cases) {
    const std::string pattern = c.pattern;
    CAPTURE(pattern);
    auto error = compile_error(c.pattern);
    CHECK(error.offset == c.offset);
    CHECK(error.message == c.message);
  }
}

TEST_CASE("pattern error offsets count characters, not bytes or UTF-16 units") {
  auto error = compile_error("Grüße 👋 {name");
  CHECK(error.offset == 8);
  CHECK(error.message == "unmatched '{': expected a '}' to close it");
}

TEST_CASE("nested problems are found inside plural and select cases") {
  auto error = compile_error("{a, select, x {{n, plural, one {#} othr {#}}} other {}}");
  CHECK(error.offset == 35);
  CHECK(error.message == "unknown plural case 'othr' (did you mean 'other'?)");
}

TEST_CASE("a stray closing brace at the top level is plain text, as in ICU") {
  CHECK(render("Hello name}") == "Hello name}");
}
