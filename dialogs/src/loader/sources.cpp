// Which files make a bot, reading them from disk, and the embedded standard library.
#include <fstream>
#include <set>
#include <system_error>

#include "loader/load_context.hpp"
#include "loader/names.hpp"

namespace rapport::dialogs::detail {
const std::map<std::string, std::string>& stdlib_files();
}

namespace rapport::dialogs::loader {

namespace {

constexpr std::size_t max_file_size = 4u << 20;

bool is_yaml(std::string_view path) {
  return path.ends_with(".yaml") || path.ends_with(".yml");
}

std::string normalise_path(std::string path) {
  for (auto& c : path) {
    if (c == '\\') c = '/';
  }
  while (path.starts_with("./")) path.erase(0, 2);
  return path;
}

// Name-like words ("ask_reason", "rapport.nudge" and its parts) of a file that did not parse.
std::set<std::string, std::less<>> words_of(std::string_view text) {
  std::set<std::string, std::less<>> out;
  auto word_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.';
  };
  for (std::size_t i = 0; i < text.size();) {
    if (!word_char(text[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && word_char(text[end])) ++end;
    std::string_view word = text.substr(i, end - i);
    while (word.ends_with('.')) word.remove_suffix(1);
    out.emplace(word);
    for (std::size_t start = 0, dot; start < word.size(); start = dot + 1) {
      dot = std::min(word.find('.', start), word.size());
      out.emplace(word.substr(start, dot - start));
    }
    i = end;
  }
  return out;
}

void hash_bytes(std::uint64_t& h, std::string_view bytes) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
}

}  // namespace

std::optional<std::pair<file_kind, std::string>> classify_path(std::string_view path,
                                                               bool module_layout) {
  if (!is_yaml(path)) return std::nullopt;
  if (module_layout) {
    if (path == "module.yaml") return std::pair{file_kind::module, std::string{}};
    if (path == "flows.yaml") return std::pair{file_kind::flows, std::string{}};
    if (path == "intents.yaml") return std::pair{file_kind::intents, std::string{}};
  } else if (path == "bot.yaml") {
    return std::pair{file_kind::bot, std::string{}};
  }
  if (path.starts_with("flows/")) return std::pair{file_kind::flows, std::string{}};
  if (path.starts_with("intents/")) return std::pair{file_kind::intents, std::string{}};
  if (path.starts_with("messages/")) {
    auto rest = path.substr(9);
    auto slash = rest.find('/');
    std::string locale;
    if (slash == std::string_view::npos) {
      locale = std::string(rest.substr(0, rest.rfind('.')));
    } else {
      locale = std::string(rest.substr(0, slash));
    }
    return std::pair{file_kind::messages, locale};
  }
  return std::nullopt;
}

const source_file* add_source(load_context& ctx, std::string path, std::string origin,
                              file_kind kind, std::string locale, std::string_view contents) {
  hash_bytes(ctx.version_hash, std::to_string(path.size()) + ":" + path);
  hash_bytes(ctx.version_hash, std::to_string(contents.size()) + ":");
  hash_bytes(ctx.version_hash, contents);
  if (contents.size() > max_file_size) {
    ctx.broken.push_back({kind, locale, path, words_of(contents.substr(0, max_file_size)), {}});
    ctx.diags.error({path, 1, 1}, "file-too-large",
                    "the file is larger than " + std::to_string(max_file_size >> 20) + " MiB");
    return nullptr;
  }
  if (kind == file_kind::messages && !is_locale(locale)) {
    ctx.diags.error({path, 1, 1}, "bad-locale",
                    "'" + locale + "' is not a locale: message files are named after their " +
                        "locale, e.g. messages/en.yaml or messages/pt-BR.yaml");
    return nullptr;
  }
  auto doc = parse_yaml(contents, path);
  ctx.diags.add(doc.diagnostics);
  if (!doc.ok) {
    ctx.broken.push_back({kind, locale, path, words_of(contents), {}});
    return nullptr;
  }
  ctx.files.push_back({std::move(path), std::move(origin), kind, std::move(locale), doc.root});
  return &ctx.files.back();
}

const source_file* load_context::bot_file() const {
  for (const auto& f : files) {
    if (f.kind == file_kind::bot) return &f;
  }
  return nullptr;
}

void read_bot_sources(load_context& ctx, const bot_files& files) {
  bool has_bot_yaml = false;
  for (const auto& [raw_path, contents] : files) {
    std::string path = normalise_path(raw_path);
    auto kind = classify_path(path, false);
    if (!kind) continue;
    if (kind->first == file_kind::bot) has_bot_yaml = true;
    if (kind->first == file_kind::messages) ctx.message_locales.insert(kind->second);
    add_source(ctx, path, "", kind->first, kind->second, contents);
  }
  if (!has_bot_yaml) {
    ctx.diags.error({"bot.yaml", 0, 0}, "missing-file",
                    "bot.yaml is missing: a bot folder needs a bot.yaml with at least "
                    "'name' and 'default_locale'");
  }
}

}  // namespace rapport::dialogs::loader

namespace rapport::dialogs {

bot_files read_bot_folder(const std::filesystem::path& folder) {
  namespace fs = std::filesystem;
  bot_files out;
  std::error_code ec;
  fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code file_ec;
    if (!it->is_regular_file(file_ec)) continue;
    std::string relative = fs::relative(it->path(), folder, file_ec).generic_string();
    if (file_ec || !loader::classify_path(relative, false)) continue;
    std::ifstream in(it->path(), std::ios::binary);
    if (!in) continue;
    std::string contents;
    contents.resize(loader::max_file_size + 1);
    in.read(contents.data(), static_cast<std::streamsize>(contents.size()));
    contents.resize(static_cast<std::size_t>(in.gcount()));
    out.emplace(std::move(relative), std::move(contents));
  }
  return out;
}

const std::map<std::string, bot_files>& standard_library() {
  static const std::map<std::string, bot_files> modules = [] {
    std::map<std::string, bot_files> out;
    for (const auto& [path, contents] : detail::stdlib_files()) {
      auto slash = path.find('/');
      if (slash == std::string::npos || !loader::is_yaml(path)) continue;
      out[path.substr(0, slash)].emplace(path.substr(slash + 1), contents);
    }
    return out;
  }();
  return modules;
}

}  // namespace rapport::dialogs
