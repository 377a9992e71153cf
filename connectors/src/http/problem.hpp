#pragma once
// RFC 9457 problem details: every HTTP error Rapport answers has an application/problem+json
// body with type, title, status and detail (plus optional extension members).
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "http/types.hpp"

namespace rapport::connectors::http {

// A refusal, as a value: status, a short stable code (the type's last segment) and a detail
// written for the developer who sent the request.
struct problem {
  connectors::status status = connectors::status::bad_request;
  std::string code;    // "bad_json", "too_large", ... → type "urn:rapport:problem:bad_json"
  std::string title;   // short, the same for every occurrence of the code
  std::string detail;  // this occurrence
  boost::json::object extra;  // extension members (e.g. "pointer", "line", "column")
};

problem make_problem(status status, std::string code, std::string detail);

// The problem as a response (body, Content-Type application/problem+json).
response to_response(const problem& p);

// Title for each known code ("Malformed JSON", ...).
std::string_view problem_title(std::string_view code);

}  // namespace rapport::connectors::http
