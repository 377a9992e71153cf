#include "runtime/bot_registry.hpp"

#include <future>
#include <stdexcept>

namespace rapport::engine::detail {

namespace fs = std::filesystem;

folder_fingerprint fingerprint(const fs::path& folder) {
  folder_fingerprint out;
  std::error_code ec;
  fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code file_ec;
    if (!it->is_regular_file(file_ec)) continue;
    auto size = it->file_size(file_ec);
    auto time = it->last_write_time(file_ec);
    if (file_ec) continue;
    out[fs::relative(it->path(), folder, file_ec).generic_string()] = {
        size, std::int64_t(time.time_since_epoch().count())};
  }
  return out;
}

bot_registry::bot_registry(store& storage, log_function log,
                           std::function<dialogs::sys_ms()> clock)
    : store_(storage), log_(std::move(log)), clock_(std::move(clock)) {}

void bot_registry::report(const fs::path& folder, const std::vector<dialogs::diagnostic>& ds,
                          bool errors_only) const {
  for (const auto& d : ds) {
    if (errors_only && d.level != dialogs::severity::error) continue;
    auto located = d;
    located.pos.file = (folder / d.pos.file).generic_string();
    log_(dialogs::format_diagnostic(located));
  }
}

bot_version_record bot_registry::record(const dialogs::bot_model& model,
                                        dialogs::bot_files files) const {
  return {model.name, model.version, std::move(files), clock_().time_since_epoch().count()};
}

void bot_registry::remember(const std::shared_ptr<const dialogs::bot_model>& model) {
  loaded_[{model->name, model->version}] = model;
  for (auto it = loaded_.begin(); it != loaded_.end();)  // forget versions nobody uses
    it = it->second.expired() ? loaded_.erase(it) : std::next(it);
}

void bot_registry::load_folders(const std::vector<std::string>& folders) {
  std::string errors;
  unit_of_work snapshots;
  for (const auto& name : folders) {
    const fs::path folder(name);
    auto seen = fingerprint(folder);
    auto files = dialogs::read_bot_folder(folder);
    auto loaded = dialogs::load_bot(files);
    if (!loaded.model) {
      if (!fs::is_directory(folder)) {
        errors += folder.generic_string() + ": error: no bot folder here\n";
        continue;
      }
      for (const auto& d : loaded.diagnostics) {
        if (d.level != dialogs::severity::error) continue;
        auto located = d;
        located.pos.file = (folder / d.pos.file).generic_string();
        errors += dialogs::format_diagnostic(located) + "\n";
      }
      continue;
    }
    std::lock_guard lock(mutex_);
    if (bots_.count(loaded.model->name) != 0) {
      errors += (folder / "bot.yaml").generic_string() + ": error: a bot named '" +
                loaded.model->name + "' is already loaded from " +
                bots_.find(loaded.model->name)->second.folder.generic_string() + "\n";
      continue;
    }
    snapshots.bot_versions.push_back(record(*loaded.model, std::move(files)));
    remember(loaded.model);
    bots_[loaded.model->name] = {folder, std::move(seen), loaded.model};
  }
  if (!errors.empty()) throw std::runtime_error("bots failed to load:\n" + errors);
  if (snapshots.empty()) return;

  std::promise<boost::system::error_code> stored;
  store_.commit(std::move(snapshots), [&](boost::system::error_code ec) { stored.set_value(ec); });
  if (auto ec = stored.get_future().get())
    throw std::runtime_error("cannot store the bots' versions: " + ec.message());
}

std::shared_ptr<const dialogs::bot_model> bot_registry::current(std::string_view bot) const {
  std::lock_guard lock(mutex_);
  auto it = bots_.find(bot);
  return it == bots_.end() ? nullptr : it->second.model;
}

std::shared_ptr<const dialogs::bot_model> bot_registry::version(std::string_view bot,
                                                               std::string_view version) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = bots_.find(bot); it != bots_.end() && it->second.model->version == version)
      return it->second.model;
    if (auto it = loaded_.find({std::string(bot), std::string(version)}); it != loaded_.end())
      if (auto model = it->second.lock()) return model;
  }
  auto files = store_.bot_version(bot, version);
  if (!files || !*files) return nullptr;
  auto loaded = dialogs::load_bot(**files);
  if (!loaded.model) {
    log_("rapport: bot '" + std::string(bot) + "' version " + std::string(version) +
         " no longer loads from its stored files:");
    report(fs::path("<stored " + std::string(version) + ">"), loaded.diagnostics, true);
    return nullptr;
  }
  std::lock_guard lock(mutex_);
  // Another thread may have rebuilt it meanwhile: share one model per version.
  const std::pair<std::string, std::string> key{std::string(bot), std::string(version)};
  if (auto it = loaded_.find(key); it != loaded_.end())
    if (auto model = it->second.lock()) return model;
  loaded_[key] = loaded.model;
  return loaded.model;
}

void bot_registry::poll() {
  std::vector<std::pair<std::string, fs::path>> changed;
  {
    std::lock_guard lock(mutex_);
    for (auto& [name, entry] : bots_) {
      if (entry.reloading) continue;
      auto now = fingerprint(entry.folder);
      if (now == entry.seen) continue;
      entry.seen = std::move(now);  // each change is tried (and reported) once
      entry.reloading = true;
      changed.emplace_back(name, entry.folder);
    }
  }
  for (auto& [name, folder] : changed) {
    auto files = dialogs::read_bot_folder(folder);
    auto loaded = dialogs::load_bot(files);
    auto finish = [self = shared_from_this(), name = name] {
      std::lock_guard lock(self->mutex_);
      self->bots_.find(name)->second.reloading = false;
    };
    if (!loaded.model) {
      log_("rapport: bot '" + name + "' changed but does not load; version " +
           current(name)->version + " keeps running:");
      report(folder, loaded.diagnostics, true);
      finish();
      continue;
    }
    if (loaded.model->name != name) {
      log_((folder / "bot.yaml").generic_string() + ": error: the bot's name changed from '" + name +
           "' to '" + loaded.model->name + "'; restart the server to rename a bot");
      finish();
      continue;
    }
    if (loaded.model->version == current(name)->version) {
      finish();
      continue;
    }
    unit_of_work snapshot;
    snapshot.bot_versions.push_back(record(*loaded.model, std::move(files)));
    auto model = loaded.model;
    // The new version serves new conversations once its files are durable.
    store_.commit(std::move(snapshot), [self = shared_from_this(), name = name, model,
                                        finish](boost::system::error_code ec) {
      self->on_stored(name, model, ec);
      finish();
    });
  }
}

void bot_registry::on_stored(const std::string& name,
                             const std::shared_ptr<const dialogs::bot_model>& model,
                             boost::system::error_code ec) {
  if (ec) {
    log_("rapport: bot '" + name + "' version " + model->version +
         " could not be stored; the running version stays");
    return;
  }
  std::string previous;
  {
    std::lock_guard lock(mutex_);
    auto& entry = bots_.find(name)->second;
    previous = entry.model->version;
    entry.model = model;
    remember(model);
  }
  log_("rapport: bot '" + name + "' reloaded: version " + previous + " -> " + model->version);
}

std::vector<std::pair<std::string, std::string>> bot_registry::versions() const {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, entry] : bots_) out.emplace_back(name, entry.model->version);
  return out;
}

}  // namespace rapport::engine::detail
