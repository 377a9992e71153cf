#include "runtime/env_substitution.hpp"

#include <cstdlib>

namespace rapport::engine::detail {

env_lookup process_environment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

namespace {

bool name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

std::string substitute_env(std::string_view text, const env_lookup& lookup,
                           const std::function<void(std::string_view)>& missing) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      std::size_t end = i + 2;
      while (end < text.size() && name_char(text[end])) ++end;
      if (end < text.size() && text[end] == '}' && end > i + 2) {
        std::string_view name = text.substr(i + 2, end - i - 2);
        if (auto v = lookup(name))
          out += *v;
        else if (missing)
          missing(name);
        i = end + 1;
        continue;
      }
    }
    out.push_back(text[i++]);
  }
  return out;
}

}  // namespace rapport::engine::detail
