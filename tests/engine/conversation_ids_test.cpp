// Conversation ids: unique, opaque base64url, and in creation order (the store's indexes keep
// the conversations in progress together because of it).
#include <doctest/doctest.h>

#include <set>

#include "engine_harness.hpp"

namespace rapport::engine {
namespace {

using test::engine_harness;

TEST_CASE("engine: conversation ids are base64url, unique, and sort by creation time") {
  engine_harness h;
  h.start();
  std::vector<std::string> ids;  // two per millisecond, then 1 ms or a day later
  for (int i = 0; i < 20; ++i) {
    ids.push_back(h.open_ok().conversation.id);
    ids.push_back(h.open_ok().conversation.id);
    h.clock.advance(std::chrono::milliseconds(i % 3 == 0 ? 1 : 86'400'000));
  }
  constexpr std::string_view base64url =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (const auto& id : ids) {
    CAPTURE(id);
    CHECK(id.size() == 22);
    CHECK(id.find_first_not_of(base64url) == std::string::npos);
  }
  CHECK(std::set<std::string>(ids.begin(), ids.end()).size() == ids.size());
  for (std::size_t i = 2; i < ids.size(); i += 2) CHECK(ids[i - 2] < ids[i]);
  CHECK(h.sql("SELECT count(*) FROM conversations a JOIN conversations b"
              " ON a.created_ms < b.created_ms AND a.id > b.id") == "0");
}

}  // namespace
}  // namespace rapport::engine
