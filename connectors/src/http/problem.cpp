#include "http/problem.hpp"

#include <boost/json/serialize.hpp>

namespace rapport::connectors::http {

std::string_view problem_title(std::string_view code) {
  struct entry {
    std::string_view code, title;
  };
  static constexpr entry titles[] = {
      {"bad_json", "Malformed JSON"},
      {"bad_request", "Invalid request"},
      {"bad_field", "Invalid field"},
      {"bad_http", "Malformed HTTP request"},
      {"unauthorized", "Missing or malformed credentials"},
      {"forbidden", "Forbidden"},
      {"bad_credentials", "Wrong agent or password"},
      {"no_session", "Not logged in"},
      {"bad_origin", "Origin not allowed"},
      {"not_found", "Not found"},
      {"no_such_conversation", "Conversation not found"},
      {"unknown_bot", "Unknown bot"},
      {"method_not_allowed", "Method not allowed"},
      {"unsupported_media_type", "Unsupported media type"},
      {"too_large", "Payload too large"},
      {"too_long", "Message too long"},
      {"headers_too_large", "Request headers too large"},
      {"rate_limited", "Too many requests"},
      {"too_many_connections", "Too many connections"},
      {"overloaded", "Server overloaded"},
      {"shutting_down", "Server shutting down"},
      {"store_failed", "Storage unavailable"},
      {"not_ready", "Not ready"},
      {"internal", "Internal error"},
  };
  for (const auto& e : titles)
    if (e.code == code) return e.title;
  return "Error";
}

problem make_problem(status status, std::string code, std::string detail) {
  problem p;
  p.status = status;
  p.title = std::string(problem_title(code));
  p.code = std::move(code);
  p.detail = std::move(detail);
  return p;
}

response to_response(const problem& p) {
  boost::json::object body;
  body["type"] = "urn:rapport:problem:" + p.code;
  body["title"] = p.title.empty() ? std::string(problem_title(p.code)) : p.title;
  body["status"] = static_cast<int>(p.status);
  body["detail"] = p.detail;
  for (const auto& [k, v] : p.extra) body[k] = v;
  response res{p.status, 11};
  res.set(field::content_type, "application/problem+json");
  res.set(field::cache_control, "no-store");
  res.body() = boost::json::serialize(body);
  return res;
}

}  // namespace rapport::connectors::http
