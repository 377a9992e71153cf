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
    if (ctx.broken.empty()) {  // with files missing, warnings would be guesses
      report_warnings(ctx);
      analyse_flows(ctx);
    }
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
    result.diagnostics.push_back({severity::error,
                                  {folder.generic_string(), 0, 0},
                                  "missing-file",
                                  "no bot folder at '" + folder.generic_string() + "'",
                                  ""});
    return result;
  }
  return load_bot(read_bot_folder(folder));
}

}  // namespace rapport::dialogs
