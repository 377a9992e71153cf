#include "runtime/random_tokens.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <cstring>
#include <vector>

namespace rapport::engine::detail {

std::optional<std::string> random_token(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  if (RAND_bytes(raw.data(), int(raw.size())) != 1) return std::nullopt;
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes * 4 + 2) / 3);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char byte : raw) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(alphabet[(buffer >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(alphabet[(buffer << (6 - bits)) & 63]);
  return out;
}

std::optional<std::string> time_ordered_id(std::int64_t now_ms) {
  auto id = random_token(16);
  if (!id) return std::nullopt;
  static constexpr char ascending[] =
      "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
  auto ms = static_cast<std::uint64_t>(now_ms);
  for (int i = 7; i >= 0; --i, ms >>= 6) (*id)[std::size_t(i)] = ascending[ms & 63];
  return id;
}

std::optional<std::uint64_t> random_seed() {
  std::uint64_t seed = 0;
  unsigned char raw[sizeof seed];
  if (RAND_bytes(raw, int(sizeof raw)) != 1) return std::nullopt;
  std::memcpy(&seed, raw, sizeof seed);
  return seed;
}

bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace rapport::engine::detail
