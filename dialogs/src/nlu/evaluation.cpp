// evaluate() and cross_validate(): the metrics `rapport nlu eval` reports.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <set>

#include "rapport/dialogs/nlu.hpp"

namespace rapport::dialogs::nlu {
namespace {

using clock_type = std::chrono::steady_clock;

struct tally {
  std::map<std::pair<std::string, std::string>, int> pairs;  // (expected, predicted) → count
  double training_seconds = 0, classify_seconds = 0, training_cpu = 0, classify_cpu = 0;
  std::size_t classified = 0, training_examples = 0;
  int runs = 0;
};

std::size_t count_examples(const training_data& d) {
  std::size_t n = d.out_of_scope.size();
  for (const auto& ie : d.intents) n += ie.examples.size();
  return n;
}

void run(const training_data& train_data, const config& cfg,
         const std::vector<labelled_example>& test, tally& t) {
  auto start = clock_type::now();
  std::clock_t cpu_start = std::clock();
  auto m = train(train_data, cfg);
  auto trained = clock_type::now();
  std::clock_t cpu_trained = std::clock();
  std::vector<std::string> predicted;
  predicted.reserve(test.size());
  for (const auto& e : test) predicted.push_back(m->classify({e.text, e.locale}).intent);
  auto done = clock_type::now();
  std::clock_t cpu_done = std::clock();
  t.training_cpu += double(cpu_trained - cpu_start) / CLOCKS_PER_SEC;
  t.classify_cpu += double(cpu_done - cpu_trained) / CLOCKS_PER_SEC;
  for (std::size_t i = 0; i < test.size(); ++i) t.pairs[{test[i].intent, predicted[i]}]++;
  t.training_seconds += std::chrono::duration<double>(trained - start).count();
  t.classify_seconds += std::chrono::duration<double>(done - trained).count();
  t.classified += test.size();
  t.training_examples += count_examples(train_data);
  t.runs++;
}

evaluation summarise(const tally& t) {
  evaluation ev;
  std::set<std::string> labels;
  std::map<std::string, int> true_pos, expected_n, predicted_n;
  int in_right = 0, oos_right = 0, oos_predicted = 0;
  for (const auto& [pair, n] : t.pairs) {
    const auto& [expected, predicted] = pair;
    labels.insert(expected);
    expected_n[expected] += n;
    predicted_n[predicted] += n;
    if (expected == predicted) true_pos[expected] += n;
    if (expected.empty()) {
      ev.out_of_scope += n;
      if (predicted.empty()) oos_right += n;
    } else {
      ev.in_scope += n;
      if (expected == predicted) in_right += n;
    }
    if (predicted.empty()) oos_predicted += n;
    if (expected != predicted) ev.most_confused.push_back({expected, predicted, n});
  }
  ev.in_scope_accuracy = ev.in_scope ? double(in_right) / ev.in_scope : 0;
  ev.oos_recall = ev.out_of_scope ? double(oos_right) / ev.out_of_scope : 0;
  ev.oos_precision = oos_predicted ? double(oos_right) / oos_predicted : 0;
  double f1_sum = 0;
  for (const auto& label : labels) {
    double tp = true_pos[label], p = predicted_n[label], e = expected_n[label];
    double precision = p > 0 ? tp / p : 0, recall = e > 0 ? tp / e : 0;
    f1_sum += precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
  }
  ev.macro_f1 = labels.empty() ? 0 : f1_sum / labels.size();
  std::stable_sort(ev.most_confused.begin(), ev.most_confused.end(),
                   [](const confusion& a, const confusion& b) { return a.count > b.count; });
  if (ev.most_confused.size() > 10) ev.most_confused.resize(10);
  ev.training_seconds = t.runs ? t.training_seconds / t.runs : 0;
  ev.classify_microseconds = t.classified ? t.classify_seconds * 1e6 / t.classified : 0;
  ev.training_cpu_seconds = t.runs ? t.training_cpu / t.runs : 0;
  ev.classify_cpu_microseconds = t.classified ? t.classify_cpu * 1e6 / t.classified : 0;
  ev.training_examples = t.runs ? t.training_examples / t.runs : 0;
  return ev;
}

}  // namespace

evaluation evaluate(const training_data& train_data, const config& cfg,
                    const std::vector<labelled_example>& test) {
  tally t;
  run(train_data, cfg, test, t);
  return summarise(t);
}

evaluation cross_validate(const training_data& data, const config& cfg, int folds) {
  folds = std::max(2, folds);
  tally t;
  for (int fold = 0; fold < folds; ++fold) {
    training_data train_part;
    train_part.lookups = data.lookups;
    std::vector<labelled_example> test;
    for (const auto& ie : data.intents) {
      intent_examples kept{ie.intent, ie.locale, {}};
      for (std::size_t i = 0; i < ie.examples.size(); ++i) {
        // An intent with fewer examples than folds keeps its first one in every training set.
        bool held_out = static_cast<int>(i % folds) == fold && !(i == 0 && ie.examples.size() < 2);
        if (held_out)
          test.push_back({ie.examples[i], ie.intent, ie.locale});
        else
          kept.examples.push_back(ie.examples[i]);
      }
      train_part.intents.push_back(std::move(kept));
    }
    for (std::size_t i = 0; i < data.out_of_scope.size(); ++i) {
      if (static_cast<int>(i % folds) == fold)
        test.push_back({data.out_of_scope[i], "", "en"});
      else
        train_part.out_of_scope.push_back(data.out_of_scope[i]);
    }
    run(train_part, cfg, test, t);
  }
  return summarise(t);
}

}  // namespace rapport::dialogs::nlu
