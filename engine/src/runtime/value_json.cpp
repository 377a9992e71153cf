#include "runtime/value_json.hpp"

#include <boost/json.hpp>

namespace rapport::engine::detail {

namespace json = boost::json;

std::string to_json(const dialogs::value_map& values) { return json::serialize(to_json_object(values)); }

json::object to_json_object(const dialogs::value_map& values) {
  json::object out;
  for (const auto& [key, v] : values) {
    if (const auto* b = std::get_if<bool>(&v))
      out[key] = *b;
    else if (const auto* d = std::get_if<double>(&v))
      out[key] = *d;
    else if (const auto* s = std::get_if<std::string>(&v))
      out[key] = *s;
    else
      out[key] = nullptr;
  }
  return out;
}

dialogs::value_map value_map_from_json(std::string_view text) {
  dialogs::value_map out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return out;
  for (const auto& [key, item] : v.as_object()) {
    if (item.is_bool())
      out[std::string(key)] = item.as_bool();
    else if (item.is_number())
      out[std::string(key)] = item.to_number<double>();
    else if (item.is_string())
      out[std::string(key)] = std::string(item.as_string());
    else if (item.is_null())
      out[std::string(key)] = dialogs::null_value{};
  }
  return out;
}

}  // namespace rapport::engine::detail
