// rapport nlu eval|try: measure the intent classifier, or try it on one text.
//   rapport nlu eval --data FILE [--split val|test] [--folds N] [--threshold X] [--json]
//   rapport nlu eval <bot-folder> [--folds 5] [--threshold X] [--json]
//   rapport nlu try <bot-folder> "text" [--locale de] [--json]
#include <boost/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "cli_args.hpp"
#include "commands.hpp"
#include "nlu_dataset.hpp"
#include "rapport/dialogs/loader.hpp"
#include "rapport/dialogs/nlu.hpp"

namespace rapport::app {
namespace {

namespace json = boost::json;
namespace nlu = dialogs::nlu;

constexpr const char* usage_text =
    "usage: rapport nlu eval --data FILE [--split val|test] [--folds N] [--threshold X] "
    "[--locale en] [--json]\n"
    "       rapport nlu eval <bot-folder> [--folds 5] [--threshold X] [--json]\n"
    "       rapport nlu try <bot-folder> \"text\" [--locale de] [--json]\n";

std::string percent(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", x * 100);
  return buf;
}

std::string label_text(const std::string& intent) { return intent.empty() ? "(out of scope)" : intent; }

void print_evaluation(const nlu::evaluation& ev, const std::string& title, bool as_json) {
  if (as_json) {
    json::array confused;
    for (const auto& c : ev.most_confused)
      confused.push_back({{"expected", c.expected.empty() ? "oos" : c.expected},
                          {"predicted", c.predicted.empty() ? "oos" : c.predicted},
                          {"count", c.count}});
    json::object o{{"data", title},
                   {"training_examples", ev.training_examples},
                   {"in_scope_examples", ev.in_scope},
                   {"out_of_scope_examples", ev.out_of_scope},
                   {"in_scope_accuracy", ev.in_scope_accuracy},
                   {"oos_recall", ev.oos_recall},
                   {"oos_precision", ev.oos_precision},
                   {"macro_f1", ev.macro_f1},
                   {"training_seconds", ev.training_seconds},
                   {"training_cpu_seconds", ev.training_cpu_seconds},
                   {"classify_microseconds", ev.classify_microseconds},
                   {"classify_cpu_microseconds", ev.classify_cpu_microseconds},
                   {"most_confused", confused}};
    std::printf("%s\n", json::serialize(o).c_str());
    return;
  }
  std::printf("%s\n", title.c_str());
  std::printf("  training examples     %zu\n", ev.training_examples);
  std::printf("  test examples         %d in scope, %d out of scope\n", ev.in_scope,
              ev.out_of_scope);
  std::printf("  in-scope accuracy     %s\n", percent(ev.in_scope_accuracy).c_str());
  if (ev.out_of_scope > 0) {
    std::printf("  out-of-scope recall   %s\n", percent(ev.oos_recall).c_str());
    std::printf("  out-of-scope precision %s\n", percent(ev.oos_precision).c_str());
  }
  std::printf("  macro-F1              %.4f\n", ev.macro_f1);
  std::printf("  training time         %.3f s (CPU %.3f s, one thread)\n", ev.training_seconds,
              ev.training_cpu_seconds);
  std::printf("  classification        %.1f µs per utterance (CPU %.1f µs)\n",
              ev.classify_microseconds, ev.classify_cpu_microseconds);
  if (!ev.most_confused.empty()) {
    std::printf("  most confused (expected → predicted, count):\n");
    for (const auto& c : ev.most_confused)
      std::printf("    %s → %s  %d\n", label_text(c.expected).c_str(),
                  label_text(c.predicted).c_str(), c.count);
  }
}

nlu::config config_from(const cli_args& cli, nlu::config cfg) {
  if (cli.has("threshold")) cfg.threshold = std::stod(cli.get("threshold"));
  return cfg;
}

int eval_data(const cli_args& cli) {
  const std::string path = cli.get("data"), locale = cli.get("locale", "en");
  nlu_dataset d = read_nlu_dataset(path, cli.get("split", "val"), locale);
  nlu::config cfg = config_from(cli, {});
  if (d.has_split) {
    print_evaluation(nlu::evaluate(to_training(d.train), cfg, d.test), d.title, cli.has("json"));
    return 0;
  }
  const int folds = std::stoi(cli.get("folds", "5"));
  print_evaluation(nlu::cross_validate(to_training(d.train), cfg, folds),
                   d.title + ": " + std::to_string(folds) + "-fold cross-validation",
                   cli.has("json"));
  return 0;
}

std::shared_ptr<const dialogs::bot_model> load(const std::string& folder) {
  auto loaded = dialogs::load_bot(std::filesystem::path(folder));
  if (!loaded.model) {
    for (const auto& d : loaded.diagnostics)
      if (d.level == dialogs::severity::error)
        std::fprintf(stderr, "%s\n", dialogs::format_diagnostic(d).c_str());
    std::fprintf(stderr, "rapport nlu: %s does not load (see rapport check)\n", folder.c_str());
  }
  return loaded.model;
}

int eval_bot(const cli_args& cli) {
  auto bot = load(cli.positional()[1]);
  if (!bot) return 1;
  const int folds = std::stoi(cli.get("folds", "5"));
  auto ev = nlu::cross_validate(bot->training, config_from(cli, bot->nlu_config), folds);
  print_evaluation(ev, bot->name + ": " + std::to_string(folds) + "-fold cross-validation",
                   cli.has("json"));
  return 0;
}

std::string value_text(const dialogs::value& v) { return dialogs::to_text(v); }

int try_text(const cli_args& cli) {
  if (cli.positional().size() < 3) {
    std::fputs(usage_text, stderr);
    return 2;
  }
  auto bot = load(cli.positional()[1]);
  if (!bot) return 1;
  const std::string& text = cli.positional()[2];
  const std::string locale = bot->match_locale(cli.get("locale", bot->default_locale));
  auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now());
  nlu::request r{text, locale, now, bot->time_zone};
  nlu::result res;
  if (bot->nlu)
    res = bot->nlu->parse(r);
  else
    res.entities = nlu::extract_entities(r, bot->nlu_config, bot->training.lookups);
  if (cli.has("json")) {
    json::array ranking, entities;
    for (const auto& s : res.ranking) ranking.push_back({{"intent", s.name}, {"confidence", s.confidence}});
    for (const auto& e : res.entities) {
      json::object o{{"type", e.type}, {"text", text.substr(e.begin, e.end - e.begin)},
                     {"begin", e.begin}, {"end", e.end}};
      if (const auto* d = std::get_if<double>(&e.val)) o["value"] = *d;
      else o["value"] = value_text(e.val);
      if (!e.unit.empty()) o["unit"] = e.unit;
      entities.push_back(std::move(o));
    }
    json::object o{{"text", text},
                   {"locale", locale},
                   {"intent", res.intent.empty() ? json::value(nullptr) : json::value(res.intent)},
                   {"confidence", res.confidence},
                   {"ambiguous", res.ambiguous},
                   {"ranking", ranking},
                   {"entities", entities}};
    std::printf("%s\n", json::serialize(o).c_str());
    return 0;
  }
  std::printf("intent      %s", res.intent.empty() ? "(out of scope)" : res.intent.c_str());
  std::printf("  confidence %.3f%s\n", res.confidence,
              res.ambiguous ? "  (ambiguous: the bot asks which one was meant)" : "");
  if (!res.ranking.empty()) {
    std::printf("ranking    ");
    for (const auto& s : res.ranking) std::printf(" %s %.3f", s.name.c_str(), s.confidence);
    std::printf("\n");
  }
  for (const auto& e : res.entities) {
    std::printf("entity      %s = %s%s%s  \"%s\"\n", e.type.c_str(), value_text(e.val).c_str(),
                e.unit.empty() ? "" : " ", e.unit.c_str(),
                text.substr(e.begin, e.end - e.begin).c_str());
  }
  return 0;
}

}  // namespace

int nlu_command(const arguments& args) {
  cli_args cli(args, {"data", "split", "folds", "threshold", "locale"}, {"json"});
  const auto& pos = cli.positional();
  if (pos.empty()) {
    std::fputs(usage_text, stderr);
    return 2;
  }
  if (pos[0] == "eval" && cli.has("data") && pos.size() == 1) return eval_data(cli);
  if (pos[0] == "eval" && pos.size() == 2 && !cli.has("data")) return eval_bot(cli);
  if (pos[0] == "try") return try_text(cli);
  std::fputs(usage_text, stderr);
  return 2;
}

}  // namespace rapport::app
