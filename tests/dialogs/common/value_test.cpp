#include <doctest/doctest.h>

#include "rapport/dialogs/diagnostic.hpp"
#include "rapport/dialogs/value.hpp"

using namespace rapport::dialogs;

TEST_CASE("values render as text without noise") {
  CHECK(to_text(value{40.0}) == "40");
  CHECK(to_text(value{2.5}) == "2.5");
  CHECK(to_text(value{true}) == "true");
  CHECK(to_text(value{null_value{}}) == "");
  CHECK(to_literal(value{std::string{"say \"hi\""}}) == "\"say \\\"hi\\\"\"");
}

TEST_CASE("truthiness follows the documented rules") {
  CHECK_FALSE(truthy(value{null_value{}}));
  CHECK_FALSE(truthy(value{0.0}));
  CHECK_FALSE(truthy(value{std::string{}}));
  CHECK(truthy(value{std::string{"x"}}));
  CHECK(truthy(value{-1.0}));
}

TEST_CASE("diagnostics name file, line and column") {
  diagnostic d{severity::error, {"flows/a.yaml", 12, 5}, "unknown-key", "unknown key 'promt'",
               "did you mean 'prompt'?"};
  CHECK(format_diagnostic(d) ==
        "flows/a.yaml:12:5: error: unknown key 'promt' (did you mean 'prompt'?) [unknown-key]");
}
