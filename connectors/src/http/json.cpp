#include "http/json.hpp"

#include <boost/beast/core/string.hpp>

#include <cmath>

#include <boost/json/parser.hpp>
#include <boost/json/stream_parser.hpp>

namespace rapport::connectors::http {

json_parse_result parse_json(std::string_view text) {
  json_parse_result r;
  boost::json::parse_options options;
  options.max_depth = 32;
  boost::json::stream_parser parser({}, options);
  boost::system::error_code ec;
  std::size_t consumed = parser.write_some(text.data(), text.size(), ec);
  if (!ec && consumed < text.size()) {
    // write_some stops after a complete value: anything after it but whitespace is an error.
    std::size_t i = consumed;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' ||
                               text[i] == '\r'))
      ++i;
    if (i < text.size()) {
      consumed = i;
      ec = boost::json::make_error_code(boost::json::error::extra_data);
    }
  }
  if (!ec) parser.finish(ec);
  if (!ec && parser.done()) {
    r.value = parser.release();
    return r;
  }
  if (!ec) ec = boost::json::make_error_code(boost::json::error::incomplete);
  const std::size_t at = std::min(consumed, text.size());
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  r.error.line = line;
  r.error.column = column;
  if (text.empty()) {
    r.error.message = "the body is empty; expected a JSON object";
  } else {
    r.error.message = "invalid JSON at line " + std::to_string(line) + ", column " +
                      std::to_string(column) + ": " + ec.message();
  }
  return r;
}

std::string get_string(const boost::json::object& o, std::string_view key, std::string& out,
                       bool required) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) {
    if (required) return "`" + std::string(key) + "` is required";
    return {};
  }
  if (!v->is_string()) return "`" + std::string(key) + "` must be a string";
  out.assign(v->get_string().data(), v->get_string().size());
  return {};
}

std::string get_int(const boost::json::object& o, std::string_view key, std::int64_t& out,
                    bool required) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) {
    if (required) return "`" + std::string(key) + "` is required";
    return {};
  }
  if (v->is_int64()) {
    out = v->get_int64();
    return {};
  }
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    out = static_cast<std::int64_t>(v->get_uint64());
    return {};
  }
  if (v->is_double()) {
    const double d = v->get_double();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15) {
      out = static_cast<std::int64_t>(d);
      return {};
    }
  }
  return "`" + std::string(key) + "` must be an integer";
}

std::string get_bool(const boost::json::object& o, std::string_view key, bool& out,
                     bool required) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) {
    if (required) return "`" + std::string(key) + "` is required";
    return {};
  }
  if (!v->is_bool()) return "`" + std::string(key) + "` must be true or false";
  out = v->get_bool();
  return {};
}

std::string get_value_map(const boost::json::object& o, std::string_view field,
                          dialogs::value_map& out) {
  const auto* v = o.if_contains(field);
  if (v == nullptr || v->is_null()) return {};
  if (!v->is_object()) return "`" + std::string(field) + "` must be an object";
  const auto& obj = v->get_object();
  if (obj.size() > 64) return "`" + std::string(field) + "` has more than 64 members";
  for (const auto& [k, item] : obj) {
    const std::string key(k.data(), k.size());
    if (key.empty() || key.size() > 64)
      return "`" + std::string(field) + "` keys must be 1 to 64 bytes long";
    const std::string where = "`" + std::string(field) + "." + key + "`";
    switch (item.kind()) {
      case boost::json::kind::null: out[key] = dialogs::null_value{}; break;
      case boost::json::kind::bool_: out[key] = item.get_bool(); break;
      case boost::json::kind::int64: out[key] = static_cast<double>(item.get_int64()); break;
      case boost::json::kind::uint64: out[key] = static_cast<double>(item.get_uint64()); break;
      case boost::json::kind::double_: out[key] = item.get_double(); break;
      case boost::json::kind::string:
        out[key] = std::string(item.get_string().data(), item.get_string().size());
        break;
      default: return where + " must be a string, number, boolean or null";
    }
  }
  return {};
}

std::variant<boost::json::object, problem> json_object_body(const request& req) {
  const auto type = req[field::content_type];
  if (!type.empty()) {
    auto media = type.substr(0, type.find(';'));
    while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
    if (!boost::beast::iequals(media, "application/json"))
      return make_problem(status::unsupported_media_type, "unsupported_media_type",
                          "the body must be application/json, not " + std::string(type));
  }
  auto parsed = http::parse_json(req.body());
  if (!parsed.value) {
    auto p = make_problem(status::bad_request, "bad_json", parsed.error.message);
    p.extra["line"] = parsed.error.line;
    p.extra["column"] = parsed.error.column;
    return p;
  }
  if (!parsed.value->is_object())
    return make_problem(status::bad_request, "bad_request", "the body must be a JSON object");
  return std::move(parsed.value->get_object());
}

}  // namespace rapport::connectors::http
