// load_bot: runs the stages in order and collects every diagnostic.
#include "rapport/dialogs/loader.hpp"

#include <cstdio>

#include "loader/load_context.hpp"

namespace rapport::dialogs {

namespace {

std::string hex16(std::uint64_t h) {
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(h));
  return buffer;
}

// One warning on each file that did not parse, saying what was not checked because of it.
void note_skipped_checks(loader::load_context& ctx) {
  using loader::file_kind;
  for (const auto& b : ctx.broken) {
    std::vector<std::string> parts;
    if (!b.skipped.empty()) {
      std::string names;
      int shown = 0;
      for (const auto& name : b.skipped) {
        if (shown++ == 8) break;
        names += (names.empty() ? "'" : ", '") + name + "'";
      }
      if (b.skipped.size() > 8) names += " and " + std::to_string(b.skipped.size() - 8) + " more";
      parts.push_back("the checks of names it mentions (" + names + ")");
    }
    const bool analysed_kind = b.kind == file_kind::flows || b.kind == file_kind::bot ||
                               (b.kind == file_kind::messages && b.locale == ctx.model.default_locale);
    if (ctx.analysis_skipped && analysed_kind)
      parts.push_back("the flow analysis (openers, promotions, max_unanswered)");
    if (parts.empty()) continue;
    std::string what = parts.front();
    if (parts.size() > 1) what += " and " + parts.back();
    ctx.diags.warning({b.path, 1, 1}, "checks-skipped",
                      "this file could not be read, so Rapport skipped " + what,
                      "fix it and check again");
  }
}

}  // namespace

load_result load_bot(const bot_files& files, const std::map<std::string, bot_files>& library) {
  using namespace loader;
  load_result result;
  try {
    load_context ctx(library);
    read_bot_sources(ctx, files);
    read_bot_settings(ctx);
    load_modules(ctx);
    declare_slots(ctx);
    compile_messages(ctx);
    collect_intents(ctx);
    compile_lead_score(ctx);
    compile_flows(ctx);
    check_references(ctx);
    check_rules(ctx);
    report_warnings(ctx);
    // The walks over the flows need every flow and message; with one missing they would guess.
    ctx.analysis_skipped = ctx.is_broken(file_kind::flows) || ctx.is_broken(file_kind::bot) ||
                           ctx.is_broken(file_kind::messages, ctx.model.default_locale);
    if (!ctx.analysis_skipped) analyse_flows(ctx);
    note_skipped_checks(ctx);
    if (!ctx.diags.has_errors()) {
      build_training(ctx);
      ctx.model.version = hex16(ctx.version_hash);
      ctx.model.nlu = nlu::train(ctx.model.training, ctx.model.nlu_config);
      result.model = std::make_shared<const bot_model>(std::move(ctx.model));
    }
    result.diagnostics = ctx.diags.take();
  } catch (const std::exception& e) {
    // Nothing above should throw on bad input; this keeps a bug from taking a server down.
    result.model = nullptr;
    result.diagnostics.push_back({severity::error,
                                  {"bot.yaml", 0, 0},
                                  "internal-error",
                                  std::string("the loader failed: ") + e.what(),
                                  ""});
  }
  return result;
}

load_result load_bot(const bot_files& files) {
  return load_bot(files, standard_library());
}

load_result load_bot(const std::filesystem::path& folder) {
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec)) {
    load_result result;
    // "." is the bot folder itself: paths in diagnostics are relative to it.
    result.diagnostics.push_back({severity::error, {".", 0, 0}, "missing-file",
                                  std::filesystem::exists(folder, ec) ? "not a folder"
                                                                      : "no bot folder here",
                                  "a bot is a folder with a bot.yaml"});
    return result;
  }
  return load_bot(read_bot_folder(folder));
}

}  // namespace rapport::dialogs
