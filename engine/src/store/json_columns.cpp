#include "store/json_columns.hpp"

#include <boost/json.hpp>

namespace rapport::engine::sqlite {

namespace json = boost::json;

std::string buttons_to_json(const std::vector<dialogs::button>& buttons) {
  json::array out;
  for (const auto& b : buttons) out.push_back(json::object{{"label", b.label}, {"payload", b.payload}});
  return json::serialize(out);
}

std::string strings_to_json(const std::vector<std::string>& strings) {
  json::array out;
  for (const auto& s : strings) out.push_back(json::string(s));
  return json::serialize(out);
}

std::vector<std::string> strings_from_json(std::string_view text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& item : v.as_array())
    if (item.is_string()) out.emplace_back(item.as_string());
  return out;
}

std::vector<dialogs::button> buttons_from_json(std::string_view text) {
  std::vector<dialogs::button> out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& item : v.as_array()) {
    if (!item.is_object()) continue;
    dialogs::button b;
    if (const auto* l = item.as_object().if_contains("label"); l && l->is_string())
      b.label = std::string(l->as_string());
    if (const auto* p = item.as_object().if_contains("payload"); p && p->is_string())
      b.payload = std::string(p->as_string());
    out.push_back(std::move(b));
  }
  return out;
}

std::string files_to_json(const dialogs::bot_files& files) {
  json::object out;
  for (const auto& [path, contents] : files) out[path] = contents;
  return json::serialize(out);
}

bool files_from_json(std::string_view text, dialogs::bot_files& files) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return false;
  for (const auto& [path, contents] : v.as_object()) {
    if (!contents.is_string()) return false;
    files.emplace(std::string(path), std::string(contents.as_string()));
  }
  return true;
}

author author_from_string(std::string_view s) {
  if (s == "visitor") return author::visitor;
  if (s == "human") return author::human;
  if (s == "system") return author::system;
  return author::bot;
}

}  // namespace rapport::engine::sqlite
