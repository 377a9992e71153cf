// Fuzz target: ICU MessageFormat patterns (rapport/dialogs/message_format.hpp). The first line
// of the input is the locale, the rest the pattern: it compiles or is refused with an offset
// inside it, and what compiles renders with any arguments.
#include "fuzz_input.hpp"
#include "rapport/dialogs/message_format.hpp"

using namespace rapport;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = fuzz::as_text(data, size);
  const auto newline = text.find('\n');
  const auto locale = newline == std::string_view::npos ? std::string_view{} : text.substr(0, newline);
  const auto pattern = newline == std::string_view::npos ? text : text.substr(newline + 1);
  if (locale.size() > 64) return 0;
  auto compiled = dialogs::message_pattern::compile(pattern, locale);
  if (const auto* error = std::get_if<dialogs::format_error>(&compiled)) {
    fuzz::expect(error->offset >= 0 && static_cast<std::size_t>(error->offset) <= pattern.size(),
                 "error offset in pattern");
    fuzz::expect(!error->message.empty(), "error has a message");
    return 0;
  }
  const auto& p = std::get<dialogs::message_pattern>(compiled);
  dialogs::value_map arguments;
  p.render(arguments);  // every argument missing
  for (const auto& name : p.argument_names()) arguments[name] = fuzz::value_for(name);
  p.render(arguments);
  return 0;
}
