#include <doctest/doctest.h>

#include "http/json.hpp"
#include "http/problem.hpp"

#include <boost/json/parse.hpp>

using namespace rapport::connectors;

TEST_CASE("json: errors carry line and column") {
  auto r = http::parse_json("{\n  \"text\": \"hi\",\n  oops\n}");
  REQUIRE_FALSE(r.value);
  CHECK(r.error.line == 3);
  CHECK(r.error.column == 3);
  CHECK(r.error.message.find("line 3, column 3") != std::string::npos);

  r = http::parse_json("{\"a\": 1} trailing");
  REQUIRE_FALSE(r.value);
  CHECK(r.error.column == 10);

  r = http::parse_json("{\"a\": ");
  REQUIRE_FALSE(r.value);

  r = http::parse_json("");
  REQUIRE_FALSE(r.value);
  CHECK(r.error.message.find("empty") != std::string::npos);

  r = http::parse_json("\"\xff\"");  // invalid UTF-8
  CHECK_FALSE(r.value);

  std::string deep(100, '[');
  CHECK_FALSE(http::parse_json(deep + std::string(100, ']')).value);

  r = http::parse_json(" {\"a\": [1, 2]} \n");
  REQUIRE(r.value);
  CHECK(r.value->is_object());
}

TEST_CASE("json: typed members with precise messages") {
  auto o = boost::json::parse(R"({"s": "x", "n": 3, "f": 2.5, "b": true, "m": {"k": 1, "z": [1]}})").as_object();
  std::string s;
  std::int64_t n = 0;
  bool b = false;
  CHECK(http::get_string(o, "s", s).empty());
  CHECK(s == "x");
  CHECK(http::get_string(o, "n", s) == "`n` must be a string");
  CHECK(http::get_string(o, "missing", s, true) == "`missing` is required");
  CHECK(http::get_int(o, "n", n).empty());
  CHECK(n == 3);
  CHECK(http::get_int(o, "f", n) == "`f` must be an integer");
  CHECK(http::get_bool(o, "b", b).empty());
  CHECK(b);
  rapport::dialogs::value_map m;
  CHECK(http::get_value_map(o, "m", m) == "`m.z` must be a string, number, boolean or null");
}

TEST_CASE("problem: RFC 9457 body") {
  auto p = http::make_problem(status::bad_request, "bad_json", "invalid JSON at line 1, column 2");
  p.extra["line"] = 1;
  auto res = http::to_response(p);
  CHECK(res.result() == status::bad_request);
  CHECK(res[field::content_type] == "application/problem+json");
  auto body = boost::json::parse(res.body()).as_object();
  CHECK(body["type"] == "urn:rapport:problem:bad_json");
  CHECK(body["title"] == "Malformed JSON");
  CHECK(body["status"] == 400);
  CHECK(body["detail"] == "invalid JSON at line 1, column 2");
  CHECK(body["line"] == 1);
}
