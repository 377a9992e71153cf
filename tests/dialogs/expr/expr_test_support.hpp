#pragma once
// Helpers shared by the expression and message tests.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <string_view>
#include <variant>

#include "rapport/dialogs/expression.hpp"
#include "rapport/dialogs/message_format.hpp"

namespace doctest {
template <>
struct StringMaker<rapport::dialogs::value> {
  static String convert(const rapport::dialogs::value& v) {
    return rapport::dialogs::to_literal(v).c_str();
  }
};
}  // namespace doctest

namespace rapport::dialogs::testing {

inline value num(double d) {
  return value{d};
}
inline value txt(std::string s) {
  return value{std::move(s)};
}
inline const value null{};

// An instant given in UTC.
inline sys_ms utc(int y, unsigned m, unsigned d, int hour = 0, int minute = 0) {
  using namespace std::chrono;
  return sys_ms{sys_days{year{y} / month{m} / day{d}} + hours{hour} + minutes{minute}};
}

inline expression parse_ok(std::string_view text) {
  auto parsed = expression::parse(text);
  if (auto* error = std::get_if<expression_error>(&parsed)) {
    FAIL_CHECK("'" << std::string(text) << "' did not parse: " << error->message << " at "
                   << error->offset);
    return expression{};
  }
  return std::get<expression>(parsed);
}

inline expression_error parse_error(std::string_view text) {
  auto parsed = expression::parse(text);
  if (!std::holds_alternative<expression_error>(parsed)) {
    FAIL_CHECK("'" << std::string(text) << "' parsed but should not");
    return {};
  }
  return std::get<expression_error>(parsed);
}

inline evaluation_context context_for(const value_map& variables, sys_ms now = {},
                                      std::string zone = "UTC") {
  evaluation_context context;
  context.lookup = [variables](std::string_view name) -> std::optional<value> {
    auto it = variables.find(name);
    if (it == variables.end()) return std::nullopt;
    return it->second;
  };
  context.now = now;
  context.time_zone = std::move(zone);
  return context;
}

inline value eval(std::string_view text, const value_map& variables = {}, sys_ms now = {},
                  std::string zone = "UTC") {
  return parse_ok(text).evaluate(context_for(variables, now, std::move(zone)));
}

inline message_pattern compile_ok(std::string_view pattern, std::string_view locale = "en") {
  auto compiled = message_pattern::compile(pattern, locale);
  if (auto* error = std::get_if<format_error>(&compiled)) {
    FAIL("'" << std::string(pattern) << "' did not compile: " << error->message << " at "
             << error->offset);
  }
  return std::get<message_pattern>(compiled);
}

inline format_error compile_error(std::string_view pattern, std::string_view locale = "en") {
  auto compiled = message_pattern::compile(pattern, locale);
  if (!std::holds_alternative<format_error>(compiled)) {
    FAIL("'" << std::string(pattern) << "' compiled but should not");
  }
  return std::get<format_error>(compiled);
}

inline std::string render(std::string_view pattern, const value_map& arguments = {},
                          std::string_view locale = "en") {
  return compile_ok(pattern, locale).render(arguments);
}

}  // namespace rapport::dialogs::testing
