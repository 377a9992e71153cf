// The engine tests' bot loads without errors (the other tests rely on it).
#include <doctest/doctest.h>

#include "rapport/dialogs/loader.hpp"

TEST_CASE("fixture: the engine tests' support bot loads") {
  auto loaded = rapport::dialogs::load_bot(std::filesystem::path(RAPPORT_SOURCE_DIR) /
                                           "tests/engine/fixtures/support");
  std::string report;
  for (const auto& d : loaded.diagnostics) report += rapport::dialogs::format_diagnostic(d) + "\n";
  INFO(report);
  REQUIRE(loaded.model != nullptr);
  CHECK(loaded.model->name == "support");
}
