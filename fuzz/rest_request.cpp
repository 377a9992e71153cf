// Fuzz target: the REST API's request parsing (connectors/src/rest/api.hpp, http/json.hpp). The
// input is a request body for every endpoint that takes one, and a query string for ?after=N;
// each is a value or a problem with a 4xx status.
#include "fuzz_input.hpp"
#include "http/json.hpp"
#include "rest/api.hpp"

using namespace rapport;
using namespace rapport::connectors;

namespace {
template <class T>
void expect_client_error_or_value(const rest::parsed<T>& p) {
  if (const auto* problem = std::get_if<http::problem>(&p)) {
    const auto code = static_cast<int>(problem->status);
    fuzz::expect(code >= 400 && code < 500, "a refused request is a 4xx");
    http::to_response(*problem);
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = fuzz::as_text(data, size);
  auto json = http::parse_json(text);
  if (!json.value) {
    fuzz::expect(json.error.line >= 1 && json.error.column >= 1, "error position is 1-based");
    fuzz::expect(!json.error.message.empty(), "error has a message");
  }

  request req{verb::post, "/api/v1/conversations", 11};
  req.set(field::content_type, "application/json");
  req.body() = std::string(text);
  expect_client_error_or_value(rest::parse_create_conversation(req));
  expect_client_error_or_value(rest::parse_post_message(req, 4096));
  expect_client_error_or_value(rest::parse_post_event(req));
  expect_client_error_or_value(rest::parse_after(text));

  // The same text as an Authorization header value.
  if (text.find_first_of("\r\n") == std::string_view::npos) {
    req.set(field::authorization, text);
    expect_client_error_or_value(rest::bearer_token(req));
  }
  return 0;
}
