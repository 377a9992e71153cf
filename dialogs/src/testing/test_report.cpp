// Reading test folders and reporting results: text for people, JUnit XML for CI.
#include <fstream>
#include <sstream>

#include "rapport/dialogs/conversation_tests.hpp"

namespace rapport::dialogs {

namespace {

std::string where(const source_pos& pos) {
  std::string out = pos.file;
  if (pos.line > 0) out += ":" + std::to_string(pos.line);
  if (pos.line > 0 && pos.column > 0) out += ":" + std::to_string(pos.column);
  return out;
}

std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

bot_files read_test_files(const std::filesystem::path& bot_folder) {
  bot_files files;
  const auto root = bot_folder / "tests";
  std::error_code ec;
  if (!std::filesystem::is_directory(root, ec)) return files;
  for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    const auto& p = it->path();
    if (!it->is_regular_file() || (p.extension() != ".yaml" && p.extension() != ".yml")) continue;
    std::ifstream in(p, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    files[p.lexically_relative(bot_folder).generic_string()] = text.str();
  }
  return files;
}

std::string format_test_report(const std::vector<test_suite_result>& suites, bool coverage) {
  std::ostringstream out;
  int passed = 0, failed = 0, errored = 0;
  for (const auto& suite : suites) {
    for (const auto& d : suite.diagnostics)  // errors are shown with the tests they stop
      if (d.level == severity::warning) out << format_diagnostic(d) << "\n";
    for (const auto& c : suite.cases) {
      if (c.passed()) continue;
      out << (c.errored ? "ERROR " : "FAIL ") << suite.bot << ": " << c.name << " ("
          << where(c.pos) << ")\n";
      for (const auto& f : c.failures) out << "  " << where(f.pos) << ": " << f.message << "\n";
    }
    passed += suite.passed();
    failed += suite.failed();
    errored += suite.errored();
    if (coverage) {
      out << suite.bot << ": " << suite.uncovered_steps.size() << " steps and "
          << suite.uncovered_messages.size() << " messages no test reached\n";
      for (const auto& u : suite.uncovered_steps) out << "  " << where(u.pos) << ": " << u.what << "\n";
      for (const auto& u : suite.uncovered_messages)
        out << "  " << where(u.pos) << ": " << u.what << "\n";
    }
  }
  if (errored > 0)
    out << errored << (errored == 1 ? " test" : " tests")
        << " could not run because of errors (counted as failed)\n";
  out << passed << " passed, " << failed + errored << " failed\n";
  return out.str();
}

std::string junit_xml(const std::vector<test_suite_result>& suites) {
  std::ostringstream body;
  std::size_t tests = 0;
  int failures = 0, errors = 0;
  for (const auto& suite : suites) {
    tests += suite.cases.size();
    failures += suite.failed();
    errors += suite.errored();
    body << "  <testsuite name=\"" << xml_escape(suite.bot) << "\" tests=\"" << suite.cases.size()
         << "\" failures=\"" << suite.failed() << "\" errors=\"" << suite.errored() << "\">\n";
    for (const auto& c : suite.cases) {
      body << "    <testcase classname=\"" << xml_escape(suite.bot) << "\" name=\""
           << xml_escape(c.name) << "\" file=\"" << xml_escape(c.pos.file) << "\" line=\""
           << c.pos.line << "\"";
      if (c.passed()) {
        body << "/>\n";
        continue;
      }
      body << ">\n";
      const char* element = c.errored ? "error" : "failure";
      for (const auto& f : c.failures)
        body << "      <" << element << " message=\"" << xml_escape(f.message) << "\">"
             << xml_escape(where(f.pos) + ": " + f.message) << "</" << element << ">\n";
      body << "    </testcase>\n";
    }
    body << "  </testsuite>\n";
  }
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites tests=\"" << tests
      << "\" failures=\"" << failures << "\" errors=\"" << errors << "\">\n"
      << body.str() << "</testsuites>\n";
  return out.str();
}

}  // namespace rapport::dialogs
