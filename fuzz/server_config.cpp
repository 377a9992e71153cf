// Fuzz target: the server configuration (app/src/config/server_config.hpp): YAML with
// ${ENV_VAR} substitution, durations and sizes. Any text is a configuration or a list of errors
// with positions.
#include "config/server_config.hpp"
#include "fuzz_input.hpp"

using namespace rapport;
using namespace rapport::app::config;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(fuzz::as_text(data, size));
  const env_lookup env = [](const std::string& name) -> std::optional<std::string> {
    if (name.size() % 3 == 0) return std::nullopt;
    if (name.size() % 3 == 1) return "8080";
    return name + ": ${" + name + "}";  // substitution is not recursive
  };
  const auto result = parse_config(text, "rapport.yaml", env);
  fuzz::expect(result.config.has_value() == result.errors.empty(),
               "a configuration, or errors, not both");
  for (const auto& e : result.errors) {
    fuzz::expect(e.line >= 0 && e.column >= 0, "positions are not negative");
    e.to_string();
  }
  std::string error;
  std::size_t offset = 0;
  if (!substitute_env(text, env, error, offset))
    fuzz::expect(offset <= text.size() && !error.empty(), "an unset variable is named");
  if (size <= 64) {
    parse_duration(text);
    parse_size(text);
  }
  return 0;
}
