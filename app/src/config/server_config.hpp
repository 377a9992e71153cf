#pragma once
// The server's configuration (config/rapport.yaml, documented in docs/operations/deploy.md):
// parsed from YAML with ${ENV_VAR} substitution; every problem reported with file:line:column,
// all at once; unknown keys with a "did you mean". No yaml-cpp types in this header.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "rapport/connectors/http_client.hpp"
#include "rapport/connectors/server.hpp"
#include "rapport/engine/desk_options.hpp"

namespace rapport::app::config {

struct server_config {
  connectors::server_options server;  // server.* and limits.*
  unsigned threads = 0;               // 0: one per core
  std::string data_dir = "data";
  std::vector<std::string> bots;      // bot folders
  std::chrono::milliseconds reload_poll{1000};
  std::size_t max_queued_events = 10000;
  std::chrono::milliseconds evict_after{std::chrono::minutes(10)};
  connectors::http_client_options webhooks;
  engine::desk_options desk;  // handoff.*: teams, hours, timeouts, CRM webhook
};

struct config_error {
  std::string file;
  int line = 0;    // 1-based; 0 when the error concerns the whole file
  int column = 0;  // 1-based
  std::string message;
  std::string to_string() const;  // "file:line:column: message"
};

struct load_result {
  std::optional<server_config> config;  // set when there are no errors
  std::vector<config_error> errors;
};

// Looks up an environment variable; nullopt when unset.
using env_lookup = std::function<std::optional<std::string>(const std::string&)>;
std::optional<std::string> process_env(const std::string& name);

load_result parse_config(const std::string& text, const std::string& file_name,
                         const env_lookup& env = process_env);
load_result load_config(const std::filesystem::path& file, const env_lookup& env = process_env);

// "${NAME}" and "${NAME:-default}" replaced; "$${" is a literal "${". On an unset variable
// without default, returns nullopt and names it in `error`; `error_offset` is its position.
std::optional<std::string> substitute_env(const std::string& text, const env_lookup& env,
                                          std::string& error, std::size_t& error_offset);

// Parsing helpers, public for tests: "1h30m", "500ms" → milliseconds; "64KiB", "1MiB", "512" →
// bytes.
std::optional<std::chrono::milliseconds> parse_duration(const std::string& text);
std::optional<std::size_t> parse_size(const std::string& text);

}  // namespace rapport::app::config
