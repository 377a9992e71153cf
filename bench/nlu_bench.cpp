// The intent classifier on CLINC150: accuracy, training time and classification latency, then
// Google Benchmark cases for classify() and for normalisation + word segmentation alone.
//   rapport_nlu_bench [--data FILE] [--runs N] [--benchmark_filter=REGEX] [other benchmark flags]
// FILE defaults to shared/data/clinc150/train_val.json in the folder holding the repository
// (or a worktree's repository: the nearest such folder above the sources); N (default 3)
// is how many times training and evaluation are repeated (0: benchmark cases only).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <string>
#include <vector>

#include "nlu_dataset.hpp"
#include "rapport/dialogs/nlu.hpp"

namespace {

namespace nlu = rapport::dialogs::nlu;
using clock_type = std::chrono::steady_clock;

std::string default_data() {
  const std::filesystem::path relative = "shared/data/clinc150/train_val.json";
  for (auto dir = std::filesystem::path(RAPPORT_SOURCE_DIR).parent_path();
       !dir.empty() && dir != dir.root_path(); dir = dir.parent_path())
    if (std::filesystem::exists(dir / relative)) return (dir / relative).string();
  return (std::filesystem::path(RAPPORT_SOURCE_DIR).parent_path() / relative).string();
}

struct options {
  std::string data = default_data();
  int runs = 3;
};

// Our flags; the benchmark library has already removed its own from argv.
bool parse(int argc, char** argv, options& o) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--data" && i + 1 < argc) {
      o.data = argv[++i];
    } else if (arg == "--runs" && i + 1 < argc) {
      o.runs = std::max(0, std::atoi(argv[++i]));
    } else {
      std::fprintf(stderr,
                   "usage: %s [--data FILE] [--runs N] [--benchmark_filter=REGEX] ...\n",
                   argv[0]);
      return false;
    }
  }
  return true;
}

void print_run(int run, const nlu::evaluation& ev) {
  std::printf(
      "run %d: in-scope %.2f%%  oos recall %.2f%%  oos precision %.2f%%  macro-F1 %.4f  "
      "training %.2f s (CPU %.2f s)  classify %.1f µs (CPU %.1f µs)\n",
      run, ev.in_scope_accuracy * 100, ev.oos_recall * 100, ev.oos_precision * 100,
      ev.macro_f1, ev.training_seconds, ev.training_cpu_seconds, ev.classify_microseconds,
      ev.classify_cpu_microseconds);
}

// Wall time of every classify() call over `passes` passes of the test set.
void print_latency(const nlu::model& m, const std::vector<nlu::labelled_example>& test,
                   int passes) {
  std::vector<double> each;
  each.reserve(test.size() * passes);
  for (int pass = 0; pass < passes; ++pass)
    for (const auto& e : test) {
      auto start = clock_type::now();
      auto r = m.classify({e.text, e.locale});
      benchmark::DoNotOptimize(r);
      each.push_back(std::chrono::duration<double, std::micro>(clock_type::now() - start).count());
    }
  if (each.empty()) return;
  double sum = 0;
  for (double v : each) sum += v;
  std::sort(each.begin(), each.end());
  auto at = [&](double q) { return each[static_cast<std::size_t>(q * double(each.size() - 1))]; };
  std::printf("classify latency over %zu calls: mean %.1f µs  p50 %.1f µs  p99 %.1f µs\n",
              each.size(), sum / each.size(), at(0.5), at(0.99));
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  options o;
  if (!parse(argc, argv, o)) return 2;
  rapport::app::nlu_dataset d;
  try {
    d = rapport::app::read_nlu_dataset(o.data, "val", "en");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rapport_nlu_bench: %s\n", e.what());
    return 1;
  }
  if (!d.has_split) {
    std::fprintf(stderr, "rapport_nlu_bench: %s has no train/val splits\n", o.data.c_str());
    return 1;
  }
  const nlu::training_data training = rapport::app::to_training(d.train);
  const nlu::config cfg;
  std::printf("%s (%zu training, %zu test examples)\n", d.title.c_str(), d.train.size(),
              d.test.size());
  for (int run = 1; run <= o.runs; ++run) print_run(run, nlu::evaluate(training, cfg, d.test));

  auto model = nlu::train(training, cfg);
  if (o.runs > 0) print_latency(*model, d.test, 5);
  std::fflush(stdout);

  benchmark::RegisterBenchmark("classify", [&](benchmark::State& state) {
    std::size_t i = 0;
    for (auto _ : state) {
      const auto& e = d.test[i++ % d.test.size()];
      benchmark::DoNotOptimize(model->classify({e.text, e.locale}));
    }
  });
  benchmark::RegisterBenchmark("normalize_and_segment", [&](benchmark::State& state) {
    std::size_t i = 0;
    for (auto _ : state)
      benchmark::DoNotOptimize(nlu::words(d.test[i++ % d.test.size()].text, "en"));
  });
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
