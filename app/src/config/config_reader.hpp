#pragma once
// Reading the server's YAML configuration: a walker over yaml-cpp nodes that collects every
// problem with file:line:column (instead of stopping at the first) and reads typed values with
// ${ENV_VAR} substitution. Internal to the configuration loader (yaml-cpp types appear here).
#include <algorithm>
#include <cctype>
#include <limits>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/server_config.hpp"

namespace rapport::app::config::detail {

inline std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

inline std::string suggestion(const std::string& key, const std::vector<std::string>& known) {
  std::string best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (const auto& k : known) {
    const auto d = edit_distance(key, k);
    if (d < best_distance) {
      best_distance = d;
      best = k;
    }
  }
  // Close enough to be a typo: at most a third of the key's letters off.
  if (best_distance <= std::max<std::size_t>(1, key.size() / 3)) return best;
  return {};
}

// Walks the YAML tree, collecting errors instead of stopping at the first.
class reader {
 public:
  reader(std::string file, const env_lookup& env) : file_(std::move(file)), env_(env) {}

  std::vector<config_error> errors;

  void error(const YAML::Mark& m, std::string message) {
    errors.push_back({file_, m.is_null() ? 0 : m.line + 1, m.is_null() ? 0 : m.column + 1,
                      std::move(message)});
  }

  // The keys of `map` must be among `known`; returns false (with errors) otherwise.
  bool check_keys(const YAML::Node& map, const std::string& where, const std::vector<std::string>& known) {
    bool ok = true;
    std::set<std::string> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
      const YAML::Node key = it->first;  // a copy: the iterator's pair is a temporary
      if (!key.IsScalar()) {
        error(key.Mark(), "keys of " + describe(where) + " must be plain names");
        ok = false;
        continue;
      }
      const std::string name = key.Scalar();
      if (!seen.insert(name).second) {
        error(key.Mark(), "duplicate key `" + name + "` in " + describe(where));
        ok = false;
      }
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        std::string message = "unknown key `" + name + "` in " + describe(where);
        if (auto s = suggestion(name, known); !s.empty()) message += "; did you mean `" + s + "`?";
        else message += " (known keys: " + join(known) + ")";
        error(key.Mark(), message);
        ok = false;
      }
    }
    return ok;
  }

  // A scalar's text after ${ENV} substitution; nullopt (with an error) otherwise.
  std::optional<std::string> scalar(const YAML::Node& n, const std::string& path) {
    if (!n.IsScalar()) {
      error(n.Mark(), "`" + path + "` must be a single value, not " + kind(n));
      return std::nullopt;
    }
    std::string err;
    std::size_t offset = 0;
    auto value = substitute_env(n.Scalar(), env_, err, offset);
    if (!value) {
      YAML::Mark m = n.Mark();
      // Plain and single-line scalars: point at the variable itself.
      if (n.Tag() == "?" && n.Scalar().find('\n') == std::string::npos) m.column += static_cast<int>(offset);
      error(m, err + " (in `" + path + "`)");
    }
    return value;
  }

  template <class T>
  void integer(const YAML::Node& map, const char* key, const std::string& path, T& out,
               long long min, long long max) {
    const YAML::Node n = map[key];
    if (!n) return;
    auto text = scalar(n, path);
    if (!text) return;
    long long v = 0;
    std::size_t used = 0;
    try {
      v = std::stoll(*text, &used, 10);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != text->size() || v < min || v > max) {
      error(n.Mark(), "`" + path + "` must be an integer from " + std::to_string(min) + " to " +
                          std::to_string(max) + ", not \"" + *text + "\"");
      return;
    }
    out = static_cast<T>(v);
  }

  void size(const YAML::Node& map, const char* key, const std::string& path, std::size_t& out) {
    const YAML::Node n = map[key];
    if (!n) return;
    auto text = scalar(n, path);
    if (!text) return;
    auto v = parse_size(*text);
    if (!v || *v == 0) {
      error(n.Mark(), "`" + path + "` must be a positive size such as 4096, 64KiB or 1MiB, not \"" + *text + "\"");
      return;
    }
    out = *v;
  }

  void duration(const YAML::Node& map, const char* key, const std::string& path,
                std::chrono::milliseconds& out) {
    const YAML::Node n = map[key];
    if (!n) return;
    auto text = scalar(n, path);
    if (!text) return;
    auto v = parse_duration(*text);
    if (!v || v->count() <= 0) {
      error(n.Mark(), "`" + path + "` must be a duration such as 500ms, 30s, 2m or 1h, not \"" + *text + "\"");
      return;
    }
    out = *v;
  }

  void boolean(const YAML::Node& map, const char* key, const std::string& path, bool& out) {
    const YAML::Node n = map[key];
    if (!n) return;
    auto text = scalar(n, path);
    if (!text) return;
    if (*text == "true" || *text == "yes" || *text == "on") out = true;
    else if (*text == "false" || *text == "no" || *text == "off") out = false;
    else error(n.Mark(), "`" + path + "` must be true or false, not \"" + *text + "\"");
  }

  void string(const YAML::Node& map, const char* key, const std::string& path, std::string& out,
              bool non_empty = false) {
    const YAML::Node n = map[key];
    if (!n) return;
    auto text = scalar(n, path);
    if (!text) return;
    if (non_empty && text->empty()) {
      error(n.Mark(), "`" + path + "` must not be empty");
      return;
    }
    out = *text;
  }

  std::vector<std::pair<std::string, YAML::Mark>> string_list(const YAML::Node& map, const char* key,
                                                              const std::string& path) {
    std::vector<std::pair<std::string, YAML::Mark>> out;
    const YAML::Node n = map[key];
    if (!n || n.IsNull()) return out;
    if (!n.IsSequence()) {
      error(n.Mark(), "`" + path + "` must be a list, not " + kind(n));
      return out;
    }
    for (std::size_t i = 0; i < n.size(); ++i) {
      auto text = scalar(n[i], path + "[" + std::to_string(i) + "]");
      if (text) out.emplace_back(*text, n[i].Mark());
    }
    return out;
  }

  // A mapping section, or an undefined node when absent or invalid.
  YAML::Node section(const YAML::Node& root, const char* key, const std::vector<std::string>& known) {
    YAML::Node n = root[key];
    if (!n || n.IsNull()) return YAML::Node(YAML::NodeType::Undefined);
    if (!n.IsMap()) {
      error(n.Mark(), std::string("`") + key + "` must be a mapping of settings, not " + kind(n));
      return YAML::Node(YAML::NodeType::Undefined);
    }
    check_keys(n, key, known);
    return n;
  }

  static std::string kind(const YAML::Node& n) {
    switch (n.Type()) {
      case YAML::NodeType::Sequence: return "a list";
      case YAML::NodeType::Map: return "a mapping";
      case YAML::NodeType::Null: return "empty";
      case YAML::NodeType::Scalar: return "a single value";
      default: return "undefined";
    }
  }

 private:
  static std::string describe(const std::string& where) {
    return where.empty() ? "the configuration" : "`" + where + "`";
  }
  static std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
  }

  std::string file_;
  const env_lookup& env_;
};

}  // namespace rapport::app::config::detail
