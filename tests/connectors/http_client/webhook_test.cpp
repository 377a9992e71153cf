// The engine's webhook step going out through the Beast client to a local peer.
#include <cstdlib>

#include "support/http_peer.hpp"
#include "support/test_server.hpp"

using namespace rapport;
using namespace rapport::testing;

TEST_CASE("webhook: a bot's webhook step calls the peer through the outbound client") {
  http_peer peer([](const http_peer::request& req) {
    http_peer::response res{bhttp::status::ok, 11};
    res.set(bhttp::field::content_type, "application/json");
    res.body() = R"({"company":{"name":"Acme"}})";
    return res;
  });
  ::setenv("RAPPORT_CONNECTORS_TEST_PEER_PORT", std::to_string(peer.port()).c_str(), 1);
  test_server s;
  auto r = http_call(s.port(), bhttp::verb::post, "/api/v1/conversations", R"({"bot":"echo"})");
  REQUIRE(r.status == 201);
  auto o = r.json().as_object();
  const auto id = json::value_to<std::string>(o["conversation"]);
  const std::vector<std::pair<std::string, std::string>> auth{
      {"Authorization", "Bearer " + json::value_to<std::string>(o["token"])}};
  const auto url = "/api/v1/conversations/" + id + "/messages";
  REQUIRE(http_call(s.port(), bhttp::verb::post, url, R"({"text":"","payload":"pricing"})", auth).status == 200);
  REQUIRE(http_call(s.port(), bhttp::verb::post, url, R"({"text":"lookup"})", auth).status == 200);

  // The webhook's answer arrives after the turn: it is in the transcript.
  auto said = [&](const std::string& text) {
    for (const auto& e : s.transcript(id))
      if (e.text == text) return true;
    return false;
  };
  CHECK(eventually([&] { return said("Found Acme."); }));
  auto got = peer.received();
  REQUIRE(got.size() == 1);
  CHECK(got[0].target() == "/lookup?q=1");
  CHECK(got[0]["X-Test"] == "yes");
  CHECK(got[0].body().find("\"note\":\"lookup\"") != std::string::npos);
  ::unsetenv("RAPPORT_CONNECTORS_TEST_PEER_PORT");
}
