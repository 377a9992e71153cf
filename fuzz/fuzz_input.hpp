#pragma once
// Helpers shared by the fuzz targets: the input as text, values derived from it, and a check that
// stops the run (libFuzzer reports it as a crash) when an invariant of an API does not hold.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "rapport/dialogs/value.hpp"

namespace rapport::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Aborts with a message when `ok` is false: a broken promise of the API under test.
inline void expect(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz: invariant broken: %s\n", what);
  std::abort();
}

// A value of each kind, picked by a name's hash, so that arguments and slots get every type.
inline dialogs::value value_for(std::string_view name) {
  const auto h = std::hash<std::string_view>{}(name);
  switch (h % 6) {
    case 0: return dialogs::null_value{};
    case 1: return (h / 6) % 2 == 0;
    case 2: return static_cast<double>(static_cast<std::int64_t>(h / 6 % 2001) - 1000);
    case 3: return (h / 6) % 2 == 0 ? 1e300 : -0.5;
    case 4: return std::string("2026-11-23");
    default: return std::string(name);
  }
}

}  // namespace rapport::fuzz
