#pragma once
// Unguessable identifiers from the operating system's CSPRNG (OpenSSL RAND_bytes), and
// comparison of secrets in constant time.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rapport::engine::detail {

// `bytes` random bytes as base64url without padding; nullopt if the CSPRNG failed.
std::optional<std::string> random_token(std::size_t bytes);

std::optional<std::uint64_t> random_seed();

// Constant-time equality (the time depends on the length only).
bool same_secret(std::string_view a, std::string_view b);

}  // namespace rapport::engine::detail
