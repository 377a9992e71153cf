#pragma once
// The bots this engine runs: the current version of each (for new conversations) and every
// older version still in use. Each version's files are stored (bot_versions) before any
// conversation can start on it, so a conversation pinned to a version can be resumed after a
// restart even when the folder has changed since.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rapport/dialogs/loader.hpp"
#include "rapport/engine/store.hpp"

namespace rapport::engine::detail {

using log_function = std::function<void(std::string_view line)>;

// What a folder looked like: each file's path, size and modification time.
using folder_fingerprint = std::map<std::string, std::pair<std::uintmax_t, std::int64_t>>;
folder_fingerprint fingerprint(const std::filesystem::path& folder);

// Owned through a shared_ptr (commit completions keep it alive); the store must outlive it.
class bot_registry : public std::enable_shared_from_this<bot_registry> {
 public:
  bot_registry(store& storage, log_function log,
               std::function<dialogs::sys_ms()> clock);

  // Start-up: loads every folder and stores each version. Throws std::runtime_error listing
  // every error as file:line:column when a bot does not load.
  void load_folders(const std::vector<std::string>& folders);

  std::shared_ptr<const dialogs::bot_model> current(std::string_view bot) const;

  // A version conversations are pinned to: shared while in memory, else rebuilt from the
  // stored files. Null when neither has it.
  std::shared_ptr<const dialogs::bot_model> version(std::string_view bot, std::string_view version);

  // Re-reads folders whose files changed. A bot that loads becomes current once its files are
  // stored; one that does not keeps its running version and logs each error.
  void poll();

  std::vector<std::pair<std::string, std::string>> versions() const;  // name → current version

 private:
  struct bot_entry {
    std::filesystem::path folder;
    folder_fingerprint seen;
    std::shared_ptr<const dialogs::bot_model> model;
    bool reloading = false;
  };

  void remember(const std::shared_ptr<const dialogs::bot_model>& model);
  void on_stored(const std::string& name, const std::shared_ptr<const dialogs::bot_model>& model,
                 boost::system::error_code ec);
  bot_version_record record(const dialogs::bot_model& model, dialogs::bot_files files) const;
  void report(const std::filesystem::path& folder, const std::vector<dialogs::diagnostic>& ds,
              bool errors_only) const;

  store& store_;
  log_function log_;
  std::function<dialogs::sys_ms()> clock_;

  mutable std::mutex mutex_;
  std::map<std::string, bot_entry, std::less<>> bots_;
  // Every version built in this process, while some conversation holds it.
  std::map<std::pair<std::string, std::string>, std::weak_ptr<const dialogs::bot_model>> loaded_;
};

}  // namespace rapport::engine::detail
