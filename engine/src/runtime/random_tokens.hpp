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

// A conversation id: 22 base64url characters whose first 8 are the creation time (Unix ms, in
// an alphabet in ASCII order) and the other 14 random (84 bits), so ids sort by creation time.
// The store keys transcripts, analytics and timers by conversation id; with ids in creation
// order the rows of the conversations in progress sit together at the end of each index, where
// one group commit writes them in a few shared pages instead of one page per conversation and
// index (docs/performance.md, "The storage write path"). nullopt if the CSPRNG failed.
std::optional<std::string> time_ordered_id(std::int64_t now_ms);

std::optional<std::uint64_t> random_seed();

// Constant-time equality (the time depends on the length only).
bool same_secret(std::string_view a, std::string_view b);

}  // namespace rapport::engine::detail
