#include <doctest/doctest.h>

#include "widget/assets.hpp"

using namespace rapport::connectors;

namespace {
request get(std::string target, std::string if_none_match = {}) {
  request req{verb::get, target, 11};
  if (!if_none_match.empty()) req.set(field::if_none_match, if_none_match);
  return req;
}
}  // namespace

TEST_CASE("assets: the demo page is embedded with a content type, ETag and no-cache") {
  auto res = widget::asset_response("index.html", get("/"));
  CHECK(res.result() == status::ok);
  CHECK(res[field::content_type] == "text/html; charset=utf-8");
  CHECK(res[field::cache_control] == "no-cache");
  CHECK(res[field::etag].size() > 2);
  CHECK(res.body().find("widget.js") != std::string::npos);
}

TEST_CASE("assets: If-None-Match gets 304 without a body") {
  const auto etag = std::string(widget::asset_response("index.html", get("/"))[field::etag]);
  auto res = widget::asset_response("index.html", get("/", etag));
  CHECK(res.result() == status::not_modified);
  CHECK(res.body().empty());
  res = widget::asset_response("index.html", get("/", "\"other\", W/" + etag));
  CHECK(res.result() == status::not_modified);
  res = widget::asset_response("index.html", get("/", "\"other\""));
  CHECK(res.result() == status::ok);
}

TEST_CASE("assets: unknown files are 404 problems; content types by extension") {
  auto res = widget::asset_response("nope.js", get("/nope.js"));
  CHECK(res.result() == status::not_found);
  CHECK(res[field::content_type] == "application/problem+json");
  CHECK(widget::content_type_for("widget.js") == "text/javascript; charset=utf-8");
  CHECK(widget::content_type_for("a/b.css") == "text/css; charset=utf-8");
  CHECK(widget::content_type_for("logo.svg") == "image/svg+xml");
}
