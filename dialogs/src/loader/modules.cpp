// Standard library modules: `core` always, `imports` (default [handoff, opt_out]) and whatever
// they `require`. Their files are read like the bot's, shown as <rapport>/<module>/<file>.
#include "loader/load_context.hpp"
#include "loader/names.hpp"
#include "loader/shape.hpp"

namespace rapport::dialogs::loader {

namespace {

std::vector<std::string> module_names(const library& lib) {
  std::vector<std::string> out;
  for (const auto& [name, files] : lib) out.push_back(name);
  return out;
}

void unknown_module(load_context& ctx, const node& at, const std::string& name) {
  std::string hint = did_you_mean(name, module_names(ctx.lib));
  ctx.diags.error(at.pos, "unknown-module",
                  "unknown standard library module '" + name + "': the modules are " +
                      quoted_list(module_names(ctx.lib)),
                  hint);
}

// Reads one module's files; returns the modules it requires.
std::vector<std::string> read_module(load_context& ctx, const std::string& name) {
  std::vector<std::string> requires_list;
  const bot_files& files = ctx.lib.at(name);
  for (const auto& [path, contents] : files) {
    auto kind = classify_path(path, true);
    if (!kind) continue;
    // Only the locales the bot speaks (and English, the stand-in for a default locale a module
    // lacks) are read.
    const auto& locales = ctx.model.locales;
    if (kind->first == file_kind::messages && kind->second != "en" &&
        std::find(locales.begin(), locales.end(), kind->second) == locales.end())
      continue;
    const source_file* f = add_source(ctx, "<rapport>/" + name + "/" + path, name, kind->first,
                                      kind->second, contents);
    if (!f || f->kind != file_kind::module) continue;
    const node& root = *f->root;
    if (!expect_map(ctx.diags, root, "a map with the module's description and requires")) continue;
    check_keys(ctx.diags, root, {"description", "requires"}, "module.yaml");
    if (const node* r = root.find("requires")) {
      auto items = expect_list(ctx.diags, *r, "a list of modules");
      if (!items) continue;
      for (const node* item : *items) {
        auto required_name = expect_name(ctx.diags, *item, "module name");
        if (!required_name) continue;
        if (!ctx.lib.contains(*required_name)) {
          unknown_module(ctx, *item, *required_name);
          continue;
        }
        requires_list.push_back(*required_name);
      }
    }
  }
  return requires_list;
}

}  // namespace

void load_modules(load_context& ctx) {
  std::vector<std::string> wanted;
  if (ctx.lib.contains("core")) wanted.push_back("core");
  if (ctx.imports_node) {
    for (const auto& item : ctx.imports_node->items) {
      auto name = expect_name(ctx.diags, *item, "module name");
      if (!name) continue;
      if (!ctx.lib.contains(*name)) {
        unknown_module(ctx, *item, *name);
        continue;
      }
      wanted.push_back(*name);
    }
  } else {
    for (const char* name : {"handoff", "opt_out"}) {
      if (ctx.lib.contains(name)) wanted.emplace_back(name);
    }
  }
  // Breadth first: a module's requirements load after the modules the bot named.
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    const std::string name = wanted[i];
    if (std::find(ctx.modules.begin(), ctx.modules.end(), name) != ctx.modules.end()) continue;
    ctx.modules.push_back(name);
    for (auto& r : read_module(ctx, name)) wanted.push_back(std::move(r));
  }
  ctx.model.imports = ctx.modules;
}

}  // namespace rapport::dialogs::loader
