#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include "rest/api.hpp"

using namespace rapport;
using namespace rapport::connectors;

namespace {
request post(std::string body, std::string content_type = "application/json") {
  request req{verb::post, "/api/v1/conversations", 11};
  if (!content_type.empty()) req.set(field::content_type, content_type);
  req.body() = std::move(body);
  return req;
}
template <class T>
const http::problem& problem_of(const rest::parsed<T>& p) {
  REQUIRE(std::holds_alternative<http::problem>(p));
  return std::get<http::problem>(p);
}
}  // namespace

TEST_CASE("rest: create conversation body") {
  auto p = rest::parse_create_conversation(
      post(R"({"bot":"cx","locale":"de","context":{"page":"/pricing","utm_source":"ad"},"start":false})"));
  REQUIRE(std::holds_alternative<rest::create_conversation>(p));
  const auto& c = std::get<rest::create_conversation>(p);
  CHECK(c.bot == "cx");
  CHECK(c.channel == "api");
  CHECK(c.locale == "de");
  CHECK_FALSE(c.start);
  CHECK(std::get<std::string>(c.context.at("utm_source")) == "ad");

  CHECK(problem_of(rest::parse_create_conversation(post("{}"))).detail == "`bot` is required");
  CHECK(problem_of(rest::parse_create_conversation(post(R"({"bot":"x","user":"u"})"))).detail ==
        "unknown field `user`");
  auto bad = problem_of(rest::parse_create_conversation(post(R"({"bot": 1})")));
  CHECK(bad.code == "bad_field");
  CHECK(bad.extra.at("pointer") == "/bot");
}

TEST_CASE("rest: malformed JSON is a 400 with its position; wrong media type 415") {
  auto p = problem_of(rest::parse_create_conversation(post("{\"bot\": \"x\",}")));
  CHECK(p.status == status::bad_request);
  CHECK(p.code == "bad_json");
  CHECK(p.extra.at("line") == 1);
  CHECK(p.extra.at("column") == 13);
  CHECK(problem_of(rest::parse_create_conversation(post("[]"))).detail == "the body must be a JSON object");
  CHECK(problem_of(rest::parse_create_conversation(post("bot=x", "application/x-www-form-urlencoded"))).status ==
        status::unsupported_media_type);
  // No Content-Type at all is accepted as JSON; parameters are fine.
  CHECK(std::holds_alternative<rest::create_conversation>(rest::parse_create_conversation(post(R"({"bot":"x"})", ""))));
  CHECK(std::holds_alternative<rest::create_conversation>(
      rest::parse_create_conversation(post(R"({"bot":"x"})", "application/json; charset=utf-8"))));
}

TEST_CASE("rest: post message; idempotency key from header or body") {
  auto req = post(R"({"text":"hello","id":"m1"})");
  auto p = rest::parse_post_message(req, 100);
  REQUIRE(std::holds_alternative<rest::post_message>(p));
  CHECK(std::get<rest::post_message>(p).client_id == "m1");

  req.set("Idempotency-Key", "k1");
  CHECK(problem_of(rest::parse_post_message(req, 100)).detail ==
        "the Idempotency-Key header and the body's `id` differ");
  req.body() = R"({"text":"hello"})";
  CHECK(std::get<rest::post_message>(rest::parse_post_message(req, 100)).client_id == "k1");

  auto too_long = problem_of(rest::parse_post_message(post(R"({"text":"123456"})"), 5));
  CHECK(too_long.status == status::payload_too_large);
  CHECK(too_long.code == "too_long");
  CHECK(problem_of(rest::parse_post_message(post(R"({"text":" "})"), 5)).code == "bad_field");
  CHECK(std::holds_alternative<rest::post_message>(
      rest::parse_post_message(post(R"({"text":"","payload":"pricing"})"), 5)));
}

TEST_CASE("rest: bearer token and the after parameter") {
  request req{verb::get, "/", 11};
  CHECK(problem_of(rest::bearer_token(req)).status == status::unauthorized);
  req.set(field::authorization, "Basic abc");
  CHECK(problem_of(rest::bearer_token(req)).detail == "the Authorization header must use the Bearer scheme");
  req.set(field::authorization, "bearer  tok123 ");
  CHECK(std::get<std::string>(rest::bearer_token(req)) == "tok123");

  CHECK(std::get<std::int64_t>(rest::parse_after("")) == 0);
  CHECK(std::get<std::int64_t>(rest::parse_after("after=12")) == 12);
  CHECK(problem_of(rest::parse_after("after=-1")).status == status::bad_request);
  CHECK(problem_of(rest::parse_after("after=1x")).status == status::bad_request);
}

TEST_CASE("rest: engine errors become problems") {
  CHECK(rest::problem_for(engine::errc::no_such_conversation).status == status::not_found);
  CHECK(rest::problem_for(engine::errc::unknown_bot).status == status::unprocessable_entity);
  CHECK(rest::problem_for(engine::errc::overloaded).status == status::service_unavailable);
  CHECK(rest::problem_for(engine::errc::bad_request).status == status::bad_request);
}
