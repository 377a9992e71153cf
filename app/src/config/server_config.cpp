#include "config/server_config.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

namespace rapport::app::config {
namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
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

std::string suggestion(const std::string& key, const std::vector<std::string>& known) {
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

bool valid_origin(const std::string& o) {
  if (o == "*") return true;
  const auto scheme_end = o.find("://");
  if (scheme_end == std::string::npos) return false;
  const auto scheme = o.substr(0, scheme_end);
  const auto rest = o.substr(scheme_end + 3);
  return (scheme == "http" || scheme == "https") && !rest.empty() &&
         rest.find('/') == std::string::npos;
}

bool looks_like_ip(const std::string& a) {
  if (a.empty()) return false;
  if (a.find(':') != std::string::npos)  // IPv6
    return std::all_of(a.begin(), a.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.'; });
  int dots = 0;
  for (char c : a) {
    if (c == '.') ++dots;
    else if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return dots == 3;
}

}  // namespace

std::string config_error::to_string() const {
  if (line == 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

std::optional<std::string> process_env(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

std::optional<std::string> substitute_env(const std::string& text, const env_lookup& env,
                                          std::string& error, std::size_t& error_offset) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 3, "$${") == 0) {
      out += "${";
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "${") != 0) {
      out += text[i++];
      continue;
    }
    const auto close = text.find('}', i + 2);
    if (close == std::string::npos) {
      error = "unterminated ${ (write $${ for a literal ${)";
      error_offset = i;
      return std::nullopt;
    }
    std::string inner = text.substr(i + 2, close - i - 2);
    std::optional<std::string> fallback;
    if (auto dash = inner.find(":-"); dash != std::string::npos) {
      fallback = inner.substr(dash + 2);
      inner.resize(dash);
    }
    const bool valid_name =
        !inner.empty() && !std::isdigit(static_cast<unsigned char>(inner[0])) &&
        std::all_of(inner.begin(), inner.end(),
                    [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
    if (!valid_name) {
      error = "\"${" + inner + "}\" is not a valid environment variable reference";
      error_offset = i;
      return std::nullopt;
    }
    auto value = env(inner);
    if (!value || value->empty()) value = fallback ? fallback : value;
    if (!value) {
      error = "environment variable " + inner + " is not set";
      error_offset = i;
      return std::nullopt;
    }
    out += *value;
    i = close + 1;
  }
  return out;
}

std::optional<std::chrono::milliseconds> parse_duration(const std::string& text) {
  if (text.empty()) return std::nullopt;
  long long total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i == start || i - start > 9) return std::nullopt;
    const long long n = std::stoll(text.substr(start, i - start));
    std::size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    const std::string unit = text.substr(unit_start, i - unit_start);
    if (unit == "ms") total += n;
    else if (unit == "s") total += n * 1000;
    else if (unit == "m") total += n * 60'000;
    else if (unit == "h") total += n * 3'600'000;
    else if (unit == "d") total += n * 86'400'000;
    else return std::nullopt;
  }
  return std::chrono::milliseconds(total);
}

std::optional<std::size_t> parse_size(const std::string& text) {
  std::size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i == 0 || i > 12) return std::nullopt;
  const std::size_t n = std::stoull(text.substr(0, i));
  const std::string unit = text.substr(i);
  if (unit.empty() || unit == "B") return n;
  if (unit == "KiB" || unit == "K" || unit == "KB" || unit == "kB") return n * 1024;
  if (unit == "MiB" || unit == "M" || unit == "MB") return n * 1024 * 1024;
  return std::nullopt;
}

load_result parse_config(const std::string& text, const std::string& file_name, const env_lookup& env) {
  load_result result;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    result.errors.push_back({file_name, e.mark.is_null() ? 0 : e.mark.line + 1,
                             e.mark.is_null() ? 0 : e.mark.column + 1, "invalid YAML: " + e.msg});
    return result;
  }
  reader r(file_name, env);
  server_config c;
  if (!root.IsMap()) {
    r.error(root.Mark(), "the configuration must be a mapping with `server`, `data_dir`, `bots`, ...");
    result.errors = std::move(r.errors);
    return result;
  }
  r.check_keys(root, "", {"server", "data_dir", "bots", "limits", "engine", "webhooks"});

  if (auto s = r.section(root, "server", {"address", "port", "threads", "allowed_origins", "trusted_proxies"})) {
    r.string(s, "address", "server.address", c.server.address, true);
    if (s["address"] && !looks_like_ip(c.server.address))
      r.error(s["address"].Mark(), "`server.address` must be an IP address such as 127.0.0.1, 0.0.0.0 or ::, not \"" + c.server.address + "\"");
    r.integer(s, "port", "server.port", c.server.port, 0, 65535);
    r.integer(s, "threads", "server.threads", c.threads, 0, 256);
    for (auto& [origin, mark] : r.string_list(s, "allowed_origins", "server.allowed_origins")) {
      if (!valid_origin(origin))
        r.error(mark, "\"" + origin + "\" is not an origin; write scheme://host[:port], e.g. https://www.example.com, or \"*\"");
      else
        c.server.allowed_origins.push_back(origin);
    }
    for (auto& [proxy, mark] : r.string_list(s, "trusted_proxies", "server.trusted_proxies")) {
      if (!looks_like_ip(proxy)) r.error(mark, "\"" + proxy + "\" is not an IP address");
      else c.server.trusted_proxies.push_back(proxy);
    }
  }

  r.string(root, "data_dir", "data_dir", c.data_dir, true);

  if (const YAML::Node bots = root["bots"]; !bots || bots.IsNull()) {
    r.error(root.Mark(), "`bots` is required: the bot folders to serve, e.g. bots: [examples/cx-opener]");
  } else {
    for (auto& [bot, mark] : r.string_list(root, "bots", "bots")) {
      if (bot.empty()) r.error(mark, "a bot folder must not be empty");
      else c.bots.push_back(bot);
    }
    if (bots.IsSequence() && bots.size() == 0) r.error(bots.Mark(), "`bots` must name at least one bot folder");
  }

  auto& l = c.server.limits;
  if (auto s = r.section(root, "limits",
                         {"max_body_bytes", "max_header_bytes", "max_frame_bytes", "max_message_bytes",
                          "connections_per_ip", "messages_per_minute", "write_queue_frames",
                          "max_errors", "request_timeout", "idle_timeout", "shutdown_grace"})) {
    r.size(s, "max_body_bytes", "limits.max_body_bytes", l.max_body_bytes);
    r.size(s, "max_header_bytes", "limits.max_header_bytes", l.max_header_bytes);
    r.size(s, "max_frame_bytes", "limits.max_frame_bytes", l.max_frame_bytes);
    r.size(s, "max_message_bytes", "limits.max_message_bytes", l.max_message_bytes);
    r.integer(s, "connections_per_ip", "limits.connections_per_ip", l.connections_per_ip, 1, 1'000'000);
    r.integer(s, "messages_per_minute", "limits.messages_per_minute", l.messages_per_minute, 1, 1'000'000);
    r.integer(s, "write_queue_frames", "limits.write_queue_frames", l.write_queue_frames, 1, 1'000'000);
    r.integer(s, "max_errors", "limits.max_errors", l.max_errors, 1, 1000);
    r.duration(s, "request_timeout", "limits.request_timeout", l.request_timeout);
    r.duration(s, "idle_timeout", "limits.idle_timeout", l.idle_timeout);
    r.duration(s, "shutdown_grace", "limits.shutdown_grace", l.shutdown_grace);
    if (l.max_message_bytes > l.max_frame_bytes && s["max_message_bytes"])
      r.error(s["max_message_bytes"].Mark(), "`limits.max_message_bytes` must not exceed `limits.max_frame_bytes` (" +
                                                  std::to_string(l.max_frame_bytes) + ")");
  }

  if (auto s = r.section(root, "engine", {"reload_poll", "max_queued_events", "evict_after"})) {
    r.duration(s, "reload_poll", "engine.reload_poll", c.reload_poll);
    r.integer(s, "max_queued_events", "engine.max_queued_events", c.max_queued_events, 1, 100'000'000);
    r.duration(s, "evict_after", "engine.evict_after", c.evict_after);
  }

  if (auto s = r.section(root, "webhooks", {"ca_file", "verify_peer", "user_agent"})) {
    r.string(s, "ca_file", "webhooks.ca_file", c.webhooks.extra_ca_file);
    r.boolean(s, "verify_peer", "webhooks.verify_peer", c.webhooks.verify_peer);
    r.string(s, "user_agent", "webhooks.user_agent", c.webhooks.user_agent, true);
  }

  result.errors = std::move(r.errors);
  std::stable_sort(result.errors.begin(), result.errors.end(), [](const auto& a, const auto& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  });
  if (result.errors.empty()) result.config = std::move(c);
  return result;
}

load_result load_config(const std::filesystem::path& file, const env_lookup& env) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    load_result r;
    r.errors.push_back({file.string(), 0, 0, "cannot read the configuration file"});
    return r;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), file.string(), env);
}

}  // namespace rapport::app::config
