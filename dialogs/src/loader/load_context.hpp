#pragma once
// State shared by the loader's stages: the parsed files, what has been declared where, and the
// references that are checked once everything is declared.
#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "loader/reporter.hpp"
#include "loader/yaml_tree.hpp"
#include "rapport/dialogs/loader.hpp"
#include "rapport/dialogs/model.hpp"

namespace rapport::dialogs::loader {

using library = std::map<std::string, bot_files>;

enum class file_kind { bot, module, flows, intents, messages };

struct source_file {
  std::string path;    // as diagnostics show it: "flows/a.yaml", "<rapport>/core/flows.yaml"
  std::string origin;  // "" for the bot's own files, else the module's name
  file_kind kind = file_kind::flows;
  std::string locale;  // messages files
  node_ptr root;
};

enum class ref_kind { flow, step_id, slot, message, intent, entity, webhook };

// A name some setting or step refers to; checked once everything is declared.
struct reference {
  ref_kind kind = ref_kind::flow;
  std::string name;
  std::string flow;  // step ids: the flow they belong to
  source_pos pos;
  std::string origin;  // "" when the bot refers, else the module
  std::string note;    // e.g. "the default prompt of 'ask: team_size'"
};

// A choice slot's ask: its prompt must label every option.
struct prompt_use {
  std::string slot;
  std::string message;
  source_pos pos;
};

struct intent_source {
  std::map<std::string, std::vector<std::string>> examples;  // locale → examples
  source_pos pos;
  std::string origin;
};

struct load_context {
  explicit load_context(const library& lib) : lib(lib) {}

  const library& lib;
  reporter diags;
  bot_model model;
  std::deque<source_file> files;     // the bot's files in path order, then the modules'
  std::vector<std::string> modules;  // loaded modules, core first
  // Files whose YAML did not parse: what they would have declared is unknown, so the checks about
  // names they mention stay quiet rather than report consequences of the syntax error; a
  // warning on the file says which checks were skipped.
  struct broken_file {
    file_kind kind = file_kind::flows;
    std::string locale;
    std::string path;
    std::set<std::string, std::less<>> words;  // every name-like word of its text
    std::set<std::string> skipped;             // names whose checks were skipped for it
  };
  std::vector<broken_file> broken;
  bool analysis_skipped = false;  // the flow analysis needs every flow and default message
  std::set<std::string> message_locales;                  // locales the bot has message files for
  std::uint64_t version_hash = 14695981039346656037ull;   // FNV-1a 64 over paths and contents

  // bot.yaml pieces later stages need.
  const node* bot_root = nullptr;
  const node* default_locale_node = nullptr;
  const node* imports_node = nullptr;
  const node* interrupts_node = nullptr;
  const node* slots_node = nullptr;
  const node* lead_score_node = nullptr;
  std::map<std::string, source_pos> locale_pos;  // where each locale is named
  std::array<bool, 4> interrupt_requested{};     // some flow or step turns it on explicitly

  // Where things were declared: "" for the bot, else the module.
  std::map<std::string, std::string, std::less<>> slot_origin;
  std::map<std::string, std::string, std::less<>> flow_origin;
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>>
      message_origin;  // locale → key → origin

  std::map<std::string, intent_source, std::less<>> intents;
  std::vector<std::string> out_of_scope;
  std::map<std::string, std::map<std::string, std::vector<nlu::lookup_value>>, std::less<>>
      lookups;  // entity → locale → values
  std::map<std::string, source_pos, std::less<>> entity_pos;

  std::vector<reference> refs;
  std::vector<prompt_use> prompts;
  std::set<std::string, std::less<>> variables_read;  // by expressions and messages

  const source_file* bot_file() const;
  bool is_broken(file_kind kind) const {
    return std::any_of(broken.begin(), broken.end(),
                       [&](const auto& b) { return b.kind == kind; });
  }
  bool is_broken(file_kind kind, const std::string& locale) const {
    return std::any_of(broken.begin(), broken.end(),
                       [&](const auto& b) { return b.kind == kind && b.locale == locale; });
  }
  // Whether a broken file of one of `kinds` (messages: of `locale`, unless empty) mentions
  // `name`, and so may declare or use it: the caller then skips its check, which is recorded.
  bool broken_mentions(std::initializer_list<file_kind> kinds, std::string_view name,
                       std::string_view locale = {}) {
    bool found = false;
    for (auto& b : broken) {
      if (std::find(kinds.begin(), kinds.end(), b.kind) == kinds.end()) continue;
      if (b.kind == file_kind::messages && !locale.empty() && b.locale != locale) continue;
      if (!b.words.contains(name)) continue;
      b.skipped.emplace(name);
      found = true;
    }
    return found;
  }
  bool is_bot(const std::string& origin) const { return origin.empty(); }

  void refer(ref_kind kind, std::string name, source_pos pos, const std::string& origin,
             std::string note = {}, std::string flow = {}) {
    refs.push_back(
        {kind, std::move(name), std::move(flow), std::move(pos), origin, std::move(note)});
  }
};

// Stages, in the order load_bot runs them.
void read_bot_sources(load_context& ctx, const bot_files& files);
void read_bot_settings(load_context& ctx);
void load_modules(load_context& ctx);
void declare_slots(load_context& ctx);
void compile_messages(load_context& ctx);
void collect_intents(load_context& ctx);
void compile_lead_score(load_context& ctx);
void compile_flows(load_context& ctx);
void check_references(load_context& ctx);
void check_rules(load_context& ctx);
void report_warnings(load_context& ctx);
void analyse_flows(load_context& ctx);
void build_training(load_context& ctx);

// Parses a file and records it (and its contents in the version hash); nullptr when the file was
// not usable (its errors are reported).
const source_file* add_source(load_context& ctx, std::string path, std::string origin,
                              file_kind kind, std::string locale, std::string_view contents);
// Which kind of bot file a path is ("flows/a.yaml"); std::nullopt for files the loader ignores.
std::optional<std::pair<file_kind, std::string>> classify_path(std::string_view path,
                                                               bool module_layout);

}  // namespace rapport::dialogs::loader
