#include <doctest/doctest.h>

#include <random>

#include "expr_test_support.hpp"

using namespace rapport::dialogs;
using namespace rapport::dialogs::testing;

namespace {

int characters(const std::string& s) {
  int n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string soup(std::mt19937& random, const std::vector<std::string>& pieces, int max_pieces) {
  std::string out;
  const int count = std::uniform_int_distribution<int>(0, max_pieces)(random);
  for (int i = 0; i < count; ++i) {
    out += pieces[std::uniform_int_distribution<std::size_t>(0, pieces.size() - 1)(random)];
  }
  return out;
}

}  // namespace

TEST_CASE("any expression text gets an answer: parsed, or an error inside the text") {
  std::mt19937 random(20260323);
  const std::vector<std::string> pieces{
      "(",        ")",         "[",    "]",    ",",     " ",    "a", "b.c",   "1",    "0.5",
      "\"x\"",    "'y'",       "and",  " or ", " not ", " in ", "+", "-",     "*",    "/",
      "%",        "==",        "!=",   "<",    ">=",    "=",    "!", "hour(", "len(", "min(",
      "between(", "\"09:00\"", "true", "null", "\\",    "\"",   "é", "👋",     "\x01"};
  int parsed = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text = soup(random, pieces, 12);
    if (round % 3 == 0) {  // raw bytes, including invalid UTF-8
      text.clear();
      const int length = std::uniform_int_distribution<int>(0, 40)(random);
      for (int i = 0; i < length; ++i) {
        text += static_cast<char>(std::uniform_int_distribution<int>(0, 255)(random));
      }
    }
    auto result = expression::parse(text);
    if (auto* error = std::get_if<expression_error>(&result)) {
      CHECK(error->offset >= 0);
      CHECK(error->offset <= characters(text));
      CHECK_FALSE(error->message.empty());
    } else {
      ++parsed;
      std::get<expression>(result).evaluate(context_for({{"a", num(1)}, {"b.c", txt("z")}}));
    }
  }
  CHECK(parsed > 0);
}

TEST_CASE("any message pattern gets an answer: compiled and renderable, or an error inside it") {
  std::mt19937 random(7);
  const std::vector<std::string> pieces{"{",
                                        "}",
                                        "'",
                                        "''",
                                        "#",
                                        "n",
                                        "who",
                                        ", ",
                                        "plural",
                                        "select",
                                        "selectordinal",
                                        "number",
                                        "date",
                                        " one ",
                                        " other ",
                                        "=1 ",
                                        "offset:1 ",
                                        " x ",
                                        "::",
                                        "{n}",
                                        "Grüße",
                                        "👋",
                                        "0"};
  int compiled = 0;
  for (int round = 0; round < 3000; ++round) {
    const std::string pattern = soup(random, pieces, 14);
    auto result = message_pattern::compile(pattern, round % 2 ? "en" : "de");
    if (auto* error = std::get_if<format_error>(&result)) {
      CHECK(error->offset >= 0);
      CHECK(error->offset <= characters(pattern));
      CHECK_FALSE(error->message.empty());
    } else {
      ++compiled;
      const auto& p = std::get<message_pattern>(result);
      p.render({});
      p.render({{"n", num(1)}, {"who", txt("x")}});
      p.render({{"n", txt("abc")}, {"who", value{true}}});
    }
  }
  CHECK(compiled > 0);
}

TEST_CASE("hostile nesting in a message pattern is a clean error") {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "{a, select, other {";
  auto error = compile_error(deep);
  CHECK(error.offset == 19 * 32);  // the 65th brace
  CHECK(error.message == "the message is nested too deeply (at most 64 levels of braces)");

  std::string fine;  // 32 nested selects are 64 levels of braces: allowed
  for (int i = 0; i < 32; ++i) fine += "{a, select, other {";
  fine += "deep" + std::string(64, '}');
  CHECK(render(fine) == "deep");
  // Quoted braces are text, not nesting.
  CHECK(render("'" + std::string(100, '{') + "'") == std::string(100, '{'));
}
