#pragma once
// Parsing untrusted JSON: errors come back as values with the position of the mistake.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <boost/json/value.hpp>

#include "http/problem.hpp"
#include "http/types.hpp"
#include "rapport/dialogs/value.hpp"

namespace rapport::connectors::http {

struct json_error {
  std::size_t line = 1;    // 1-based
  std::size_t column = 1;  // 1-based, in bytes
  std::string message;     // "invalid JSON at line 1, column 9: syntax error"
};

struct json_parse_result {
  std::optional<boost::json::value> value;
  json_error error;  // when !value
};

// Parses one JSON document (nesting at most 32 deep). UTF-8 is validated.
json_parse_result parse_json(std::string_view text);

// Typed access to an object's members with precise messages ("`text` must be a string").
// Each returns an error message, or empty on success; absent members leave `out` unchanged
// unless `required`.
std::string get_string(const boost::json::object& o, std::string_view key, std::string& out,
                       bool required = false);
std::string get_int(const boost::json::object& o, std::string_view key, std::int64_t& out,
                    bool required = false);
std::string get_bool(const boost::json::object& o, std::string_view key, bool& out,
                     bool required = false);

// A JSON object of scalars as dialog values (nested objects and arrays are refused: `field` names
// the member in the message). At most 64 members, keys at most 64 bytes.
std::string get_value_map(const boost::json::object& o, std::string_view field,
                          dialogs::value_map& out);

// A request's body as a JSON object, or the problem with it: 415 for another media type, 400 with
// line and column for malformed JSON or a non-object.
std::variant<boost::json::object, problem> json_object_body(const request& req);

}  // namespace rapport::connectors::http
