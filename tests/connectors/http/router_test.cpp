#include <doctest/doctest.h>

#include "http/router.hpp"

using namespace rapport::connectors::http;
using boost::beast::http::verb;

TEST_CASE("router: REST endpoints with the conversation id") {
  auto r = match_route(verb::post, "/api/v1/conversations");
  CHECK(r.to == endpoint::create_conversation);

  r = match_route(verb::post, "/api/v1/conversations/abc123/messages");
  CHECK(r.to == endpoint::post_message);
  CHECK(r.conversation_id == "abc123");

  r = match_route(verb::post, "/api/v1/conversations/abc/events");
  CHECK(r.to == endpoint::post_event);

  r = match_route(verb::get, "/api/v1/conversations/a%20b/transcript?after=3");
  CHECK(r.to == endpoint::get_transcript);
  CHECK(r.conversation_id == "a b");
  CHECK(r.query == "after=3");

  r = match_route(verb::get, "/api/v1/conversations/abc");
  CHECK(r.to == endpoint::get_conversation);
}

TEST_CASE("router: wrong methods get 405 with the allowed ones") {
  auto r = match_route(verb::get, "/api/v1/conversations");
  CHECK(r.to == endpoint::method_not_allowed);
  CHECK(r.allow == "POST");
  r = match_route(verb::delete_, "/healthz");
  CHECK(r.to == endpoint::method_not_allowed);
  CHECK(r.allow == "GET, HEAD");
}

TEST_CASE("router: assets, health and unknown paths") {
  CHECK(match_route(verb::get, "/").asset == "index.html");
  CHECK(match_route(verb::get, "/widget.js?v=3").asset == "widget.js");
  CHECK(match_route(verb::head, "/css/site.css").asset == "css/site.css");
  CHECK(match_route(verb::get, "/healthz").to == endpoint::healthz);
  CHECK(match_route(verb::get, "/readyz").to == endpoint::readyz);
  CHECK(match_route(verb::get, "/metrics").to == endpoint::metrics);
  CHECK(match_route(verb::get, "/widget/ws").to == endpoint::widget_ws);
  CHECK(match_route(verb::get, "/api/v1/nothing").to == endpoint::not_found);
  CHECK(match_route(verb::get, "/api/v1/conversations/x/other").to == endpoint::not_found);
}

TEST_CASE("router: no path traversal and malformed targets are refused") {
  CHECK(match_route(verb::get, "/../etc/passwd").to == endpoint::not_found);
  CHECK(match_route(verb::get, "/a/%2e%2e/b").to == endpoint::not_found);
  CHECK(match_route(verb::get, "/a%2Fb").to == endpoint::not_found);
  CHECK(match_route(verb::get, "no-slash").to == endpoint::bad_target);
  CHECK(match_route(verb::get, "/%zz").to == endpoint::bad_target);
}
