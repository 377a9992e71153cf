#pragma once
// Conversation tests: scripted conversations in YAML (a bot's tests/ folder) run against the
// interpreter with a fake clock. See docs/authoring/testing.md for the format.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "rapport/dialogs/diagnostic.hpp"
#include "rapport/dialogs/loader.hpp"
#include "rapport/dialogs/model.hpp"

namespace rapport::dialogs {

struct test_failure {
  source_pos pos;       // the test step that failed
  std::string message;  // what was expected and what came instead
};

struct test_case_result {
  std::string name;
  source_pos pos;
  std::vector<test_failure> failures;  // empty: passed
  // Not run: its file has errors (unknown keys, YAML syntax, ...), or the bot does not load.
  // `failures` then holds those errors with their file:line:column.
  bool errored = false;
  bool passed() const { return failures.empty() && !errored; }
};

struct uncovered {
  source_pos pos;
  std::string what;  // "step 'ask team_size' in flow qualify", "message 'spring_offer'"
};

struct test_suite_result {
  std::string bot;
  std::vector<diagnostic> diagnostics;  // problems in the test files themselves
  // Every test of every file. The cases of a file with errors are not run: they are `errored`,
  // and a file whose tests cannot be read at all (a YAML syntax error) is one errored case
  // named after the file. So passed() + failed() + errored() is the number of cases.
  std::vector<test_case_result> cases;
  std::vector<uncovered> uncovered_steps;     // the bot's own steps no test executed
  std::vector<uncovered> uncovered_messages;  // the bot's own messages no test sent
  int passed() const;
  int failed() const;   // ran and failed
  int errored() const;  // not run
};

// A suite for a bot that does not load: one errored case carrying the loader's errors, so that
// reports and JUnit show why nothing ran.
test_suite_result unloadable_bot_suite(const std::string& bot,
                                       const std::vector<diagnostic>& diagnostics);

// The test files of a bot folder: tests/**/*.yaml, by path relative to the folder.
bot_files read_test_files(const std::filesystem::path& bot_folder);

test_suite_result run_conversation_tests(std::shared_ptr<const bot_model> bot,
                                         const bot_files& test_files);

// Readable report: each failure with file:line, then "N passed, M failed" (M counts the tests
// that were not run because of errors too).
std::string format_test_report(const std::vector<test_suite_result>& suites, bool coverage);
// JUnit XML for CI systems.
std::string junit_xml(const std::vector<test_suite_result>& suites);

}  // namespace rapport::dialogs
