#include "http/router.hpp"

#include <vector>

#include <boost/url/parse.hpp>

namespace rapport::connectors::http {
namespace {

using boost::beast::http::verb;

bool is_get(verb v) { return v == verb::get || v == verb::head; }

route only(verb method, bool allowed, endpoint to, const char* allow) {
  route r;
  if (allowed) {
    r.to = to;
  } else {
    r.to = endpoint::method_not_allowed;
    r.allow = allow;
  }
  return r;
}

}  // namespace

route match_route(verb method, std::string_view target) {
  route r;
  auto url = boost::urls::parse_origin_form(target);
  if (!url) {
    r.to = endpoint::bad_target;
    r.detail = "the request target is not a valid path: " + url.error().message();
    return r;
  }
  std::vector<std::string> segments;
  for (auto segment : url->segments()) segments.push_back(segment);
  // A trailing slash yields an empty last segment; "/" has no segments.
  if (!segments.empty() && segments.back().empty()) segments.pop_back();
  const std::string query = url->has_query() ? std::string(url->encoded_query()) : std::string();

  const auto n = segments.size();
  auto seg = [&](std::size_t i) -> const std::string& { return segments[i]; };

  if (n == 1 && seg(0) == "healthz") r = only(method, is_get(method), endpoint::healthz, "GET, HEAD");
  else if (n == 1 && seg(0) == "readyz") r = only(method, is_get(method), endpoint::readyz, "GET, HEAD");
  else if (n == 1 && seg(0) == "metrics") r = only(method, is_get(method), endpoint::metrics, "GET, HEAD");
  else if (n == 2 && seg(0) == "widget" && seg(1) == "ws")
    r = only(method, method == verb::get, endpoint::widget_ws, "GET");
  else if (n == 2 && seg(0) == "agent" && seg(1) == "ws")
    r = only(method, method == verb::get, endpoint::agent_ws, "GET");
  else if (n == 3 && seg(0) == "agent" && seg(1) == "api") {
    if (seg(2) == "login") r = only(method, method == verb::post, endpoint::agent_login, "POST");
    else if (seg(2) == "logout") r = only(method, method == verb::post, endpoint::agent_logout, "POST");
    else if (seg(2) == "me") r = only(method, is_get(method), endpoint::agent_me, "GET, HEAD");
    else r.to = endpoint::not_found;
  } else if (n >= 2 && seg(0) == "api" && seg(1) == "v1") {
    if (n == 3 && seg(2) == "conversations") {
      r = only(method, method == verb::post, endpoint::create_conversation, "POST");
    } else if (n >= 4 && n <= 5 && seg(2) == "conversations" && !seg(3).empty()) {
      if (n == 4) r = only(method, method == verb::get, endpoint::get_conversation, "GET");
      else if (seg(4) == "messages") r = only(method, method == verb::post, endpoint::post_message, "POST");
      else if (seg(4) == "events") r = only(method, method == verb::post, endpoint::post_event, "POST");
      else if (seg(4) == "transcript") r = only(method, method == verb::get, endpoint::get_transcript, "GET");
      else r.to = endpoint::not_found;
      if (r.to != endpoint::not_found) r.conversation_id = seg(3);
    } else {
      r.to = endpoint::not_found;
    }
  } else {
    // Everything else may be an embedded asset; the asset handler answers 404 if it is not.
    std::string path;
    for (std::size_t i = 0; i < n; ++i) {
      if (seg(i).empty() || seg(i) == "." || seg(i) == ".." ||
          seg(i).find('/') != std::string::npos) {
        r.to = endpoint::not_found;
        return r;
      }
      if (i) path += '/';
      path += seg(i);
    }
    if (path.empty()) path = "index.html";
    if (path == "agent") path = "agent/index.html";  // the agent console
    r = only(method, is_get(method), endpoint::asset, "GET, HEAD");
    r.asset = path;
  }
  r.query = query;
  return r;
}

const char* to_string(endpoint e) {
  switch (e) {
    case endpoint::asset: return "asset";
    case endpoint::healthz: return "healthz";
    case endpoint::readyz: return "readyz";
    case endpoint::metrics: return "metrics";
    case endpoint::widget_ws: return "widget_ws";
    case endpoint::create_conversation: return "create_conversation";
    case endpoint::get_conversation: return "get_conversation";
    case endpoint::post_message: return "post_message";
    case endpoint::post_event: return "post_event";
    case endpoint::get_transcript: return "get_transcript";
    case endpoint::agent_login: return "agent_login";
    case endpoint::agent_logout: return "agent_logout";
    case endpoint::agent_me: return "agent_me";
    case endpoint::agent_ws: return "agent_ws";
    case endpoint::not_found: return "not_found";
    case endpoint::method_not_allowed: return "method_not_allowed";
    case endpoint::bad_target: return "bad_target";
  }
  return "unknown";
}

}  // namespace rapport::connectors::http
