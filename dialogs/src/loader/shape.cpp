#include "loader/shape.hpp"

#include <cmath>
#include <cstdlib>
#include <regex>

#include "loader/names.hpp"

namespace rapport::dialogs::loader {

namespace {

std::string shorten(const std::string& s) {
  std::string out = s.size() > 40 ? s.substr(0, 37) + "..." : s;
  for (auto& c : out) {
    if (c == '\n') c = ' ';
  }
  return out;
}

}  // namespace

std::optional<double> plain_number(const node& n) {
  if (!n.is_scalar() || !n.plain) return std::nullopt;
  static const std::regex decimal(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  static const std::regex hex("0x[0-9a-fA-F]+");
  if (n.text.size() > 64) return std::nullopt;
  if (std::regex_match(n.text, decimal)) {
    double d = std::strtod(n.text.c_str(), nullptr);
    if (std::isfinite(d)) return d;
  } else if (std::regex_match(n.text, hex) && n.text.size() <= 15) {
    return static_cast<double>(std::strtoll(n.text.c_str() + 2, nullptr, 16));
  }
  return std::nullopt;
}

std::optional<bool> plain_bool(const node& n) {
  if (!n.is_scalar() || !n.plain) return std::nullopt;
  if (n.text == "true" || n.text == "True" || n.text == "TRUE") return true;
  if (n.text == "false" || n.text == "False" || n.text == "FALSE") return false;
  return std::nullopt;
}

std::optional<value> scalar_value(const node& n) {
  if (n.is_null()) return value{null_value{}};
  if (!n.is_scalar()) return std::nullopt;
  if (auto b = plain_bool(n)) return value{*b};
  if (auto d = plain_number(n)) return value{*d};
  return value{n.text};
}

std::string describe(const node& n) {
  switch (n.kind) {
    case node_kind::null:
      return "nothing";
    case node_kind::map:
      return "a map";
    case node_kind::sequence:
      return "a list";
    case node_kind::scalar:
      break;
  }
  if (plain_bool(n)) return n.text;
  if (plain_number(n)) return "the number " + n.text;
  return "text '" + shorten(n.text) + "'";
}

void wrong_type(reporter& r, const node& n, std::string_view expected) {
  r.error(n.pos, "wrong-type", "expected " + std::string(expected) + ", got " + describe(n));
}

void check_keys(reporter& r, const node& map, const std::vector<std::string>& allowed,
                std::string_view where) {
  for (const auto& e : map.entries) {
    if (!e.key->is_scalar()) continue;  // reported by the YAML reader
    const std::string& key = e.key->text;
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string hint = did_you_mean(key, allowed);
    if (hint.empty()) hint = "expected one of " + quoted_list(allowed, "or");
    r.error(e.key->pos, "unknown-key",
            "unknown key '" + shorten(key) + "' in " + std::string(where), hint);
  }
}

const node* required(reporter& r, const node& map, std::string_view key, std::string_view where) {
  const node* v = map.find(key);
  if (!v) r.error(map.pos, "missing-key", std::string(where) + " needs '" + std::string(key) + "'");
  return v;
}

const node* expect_map(reporter& r, const node& n, std::string_view expected, bool null_is_empty) {
  if (n.is_map() || (null_is_empty && n.is_null())) return &n;
  wrong_type(r, n, expected);
  return nullptr;
}

std::optional<std::vector<const node*>> expect_list(reporter& r, const node& n,
                                                    std::string_view expected, bool single_ok) {
  std::vector<const node*> out;
  if (n.is_sequence()) {
    for (const auto& item : n.items) out.push_back(item.get());
    return out;
  }
  if (single_ok && n.is_scalar()) return std::vector<const node*>{&n};
  wrong_type(r, n, expected);
  return std::nullopt;
}

std::optional<std::string> expect_text(reporter& r, const node& n, std::string_view expected) {
  if (n.is_scalar()) return n.text;
  wrong_type(r, n, expected);
  return std::nullopt;
}

std::optional<std::string> expect_name(reporter& r, const node& n, std::string_view what) {
  auto text = expect_text(r, n, "a " + std::string(what));
  if (!text) return std::nullopt;
  if (is_identifier(*text)) return text;
  std::string suggestion = suggest_identifier(*text);
  r.error(n.pos, "bad-name",
          "'" + shorten(*text) + "' is not a valid " + std::string(what) +
              ": use lower-case letters, digits and '_', starting with a letter",
          suggestion.empty() ? std::string{} : "did you mean '" + suggestion + "'?");
  return std::nullopt;
}

std::optional<std::string> expect_message_key(reporter& r, const node& n) {
  auto text = expect_text(r, n, "a message key");
  if (!text) return std::nullopt;
  if (is_message_key(*text)) return text;
  r.error(n.pos, "bad-name",
          "'" + shorten(*text) +
              "' is not a valid message key: use lower-case letters, digits, '_' and '.', "
              "starting with a letter");
  return std::nullopt;
}

std::optional<bool> expect_bool(reporter& r, const node& n) {
  if (auto b = plain_bool(n)) return b;
  wrong_type(r, n, "true or false");
  return std::nullopt;
}

std::optional<double> expect_number(reporter& r, const node& n, std::string_view expected) {
  if (auto d = plain_number(n)) return d;
  wrong_type(r, n, expected);
  return std::nullopt;
}

std::optional<int> expect_integer(reporter& r, const node& n, int min, std::string_view expected) {
  auto d = plain_number(n);
  if (d && std::floor(*d) == *d && *d >= min && *d <= 1000000) return static_cast<int>(*d);
  wrong_type(r, n, expected);
  return std::nullopt;
}

std::optional<std::chrono::milliseconds> expect_duration(reporter& r, const node& n) {
  if (n.is_scalar()) {
    if (auto d = parse_duration(n.text)) return d;
  }
  r.error(n.pos, "bad-duration", "expected a duration such as 30s, 2m or 1h30m, got " + describe(n),
          "units are ms, s, m and h, written without spaces");
  return std::nullopt;
}

}  // namespace rapport::dialogs::loader
