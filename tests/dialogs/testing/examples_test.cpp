// Every bot in examples/ checks clean (warnings included) and passes its conversation tests.
#include <doctest/doctest.h>

#include <filesystem>

#include "rapport/dialogs/conversation_tests.hpp"

using namespace rapport::dialogs;

namespace {

std::vector<std::filesystem::path> example_bots() {
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::directory_iterator(RAPPORT_SOURCE_DIR "/examples"))
    if (std::filesystem::exists(entry.path() / "bot.yaml")) out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("every example bot loads without errors or warnings and passes its tests") {
  const auto bots = example_bots();
  REQUIRE_FALSE(bots.empty());
  for (const auto& folder : bots) {
    CAPTURE(folder.filename().string());
    auto loaded = load_bot(folder);
    std::string problems;
    for (const auto& d : loaded.diagnostics) problems += format_diagnostic(d) + "\n";
    INFO(problems);
    REQUIRE(loaded.model != nullptr);
    CHECK(loaded.diagnostics.empty());

    auto suite = run_conversation_tests(loaded.model, read_test_files(folder));
    INFO(format_test_report({suite}, false));
    CHECK(suite.diagnostics.empty());
    CHECK(suite.cases.size() >= 10);
    CHECK(suite.failed() == 0);
  }
}
