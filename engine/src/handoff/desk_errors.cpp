// The desk's error category, presence names and password hashing.
#include <sodium.h>

#include <stdexcept>

#include "rapport/engine/agent_desk.hpp"

namespace rapport::engine {

namespace {

class category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "rapport.desk"; }
  std::string message(int e) const override {
    switch (static_cast<desk_errc>(e)) {
      case desk_errc::bad_credentials: return "unknown agent or wrong password";
      case desk_errc::no_session: return "not logged in (or the session expired)";
      case desk_errc::not_waiting: return "the conversation is not waiting for a person";
      case desk_errc::not_your_team: return "the conversation waits for another team";
      case desk_errc::at_capacity: return "you already have as many conversations as you can take";
      case desk_errc::not_yours: return "another person owns this conversation (or nobody does)";
      case desk_errc::unknown_team: return "no such team";
      case desk_errc::unknown_agent: return "no such agent";
      case desk_errc::unknown_flow: return "the bot has no flow of that name";
      case desk_errc::bad_outcome: return "unknown outcome";
    }
    return "unknown desk error";
  }
};

}  // namespace

const boost::system::error_category& desk_category() {
  static const category instance;
  return instance;
}

boost::system::error_code make_error_code(desk_errc e) { return {static_cast<int>(e), desk_category()}; }

const char* to_string(presence p) {
  switch (p) {
    case presence::offline: return "offline";
    case presence::online: return "online";
    case presence::away: return "away";
  }
  return "offline";
}

std::string hash_password(std::string_view password) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialised");
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("not enough memory to hash the password");
  return hash;
}

bool verify_password(std::string_view hash, std::string_view password) {
  if (sodium_init() < 0 || hash.size() >= crypto_pwhash_STRBYTES) return false;
  char terminated[crypto_pwhash_STRBYTES] = {};
  hash.copy(terminated, hash.size());
  return crypto_pwhash_str_verify(terminated, password.data(), password.size()) == 0;
}

}  // namespace rapport::engine
