// Fuzz target: the condition language (rapport/dialogs/expression.hpp). Any text is parsed or
// refused with an offset inside it; what parses evaluates without throwing, whatever the slots.
#include <chrono>

#include "fuzz_input.hpp"
#include "rapport/dialogs/expression.hpp"

using namespace rapport;

namespace {
int code_points(std::string_view s) {
  int n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = fuzz::as_text(data, size);
  auto parsed = dialogs::expression::parse(text);
  if (const auto* error = std::get_if<dialogs::expression_error>(&parsed)) {
    fuzz::expect(error->offset >= 0 && error->offset <= code_points(text), "error offset in text");
    fuzz::expect(!error->message.empty(), "error has a message");
    return 0;
  }
  const auto& e = std::get<dialogs::expression>(parsed);
  dialogs::evaluation_context context;
  context.lookup = [](std::string_view name) -> std::optional<dialogs::value> {
    if (name.size() % 7 == 0) return std::nullopt;
    return fuzz::value_for(name);
  };
  // 2026-03-29 00:59:59.999 UTC: a DST switch in Europe, and the last moment of a month's hour.
  context.now = dialogs::sys_ms{std::chrono::milliseconds{1774745999999}};
  for (const char* zone : {"UTC", "Europe/Berlin", "Not/AZone"}) {
    context.time_zone = zone;
    e.test(context);
  }
  return 0;
}
