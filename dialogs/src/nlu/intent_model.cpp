// train(): builds the classifier from a bot's examples and wraps it as an nlu::model.
#include "nlu/intent_model.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <map>
#include <numeric>

#include "nlu/extractors.hpp"

namespace rapport::dialogs::nlu {
namespace {

using detail::labelled_text;
using detail::linear_classifier;

class linear_model final : public model {
 public:
  linear_model(const training_data& data, const config& cfg) : cfg_(cfg), lookups_(data.lookups) {
    std::map<std::string, int> ids;
    for (const auto& ie : data.intents) ids.emplace(ie.intent, 0);
    for (auto& [name, id] : ids) {
      id = static_cast<int>(names_.size());
      names_.push_back(name);
    }
    std::vector<labelled_text> examples;
    for (const auto& ie : data.intents)
      for (const auto& e : ie.examples) examples.push_back({e, ie.locale, ids[ie.intent]});
    has_oos_class_ = !data.out_of_scope.empty();
    const int oos = static_cast<int>(names_.size());
    for (const auto& e : data.out_of_scope) examples.push_back({e, "", oos});
    // An empty text belongs to no intent: it pins every class's bias below the boundary, so a
    // text sharing no feature with an intent's examples never scores for it (one-intent bots).
    examples.push_back({"", "", -1});
    classes_ = oos + (has_oos_class_ ? 1 : 0);
    if (classes_ == 0) return;
    detail::classifier_settings settings;
    // Naive Bayes is overconfident on a handful of examples: its weight grows with the data.
    const double per_class = double(examples.size()) / classes_;
    settings.nb_weight *= static_cast<float>(std::min(1.0, per_class / 50.0));
    classifier_ = std::make_unique<linear_classifier>(examples, classes_, cfg.fold_accents,
                                                      settings);
    // Small bots: fit the calibration on held-out folds (cheap at this size). Large ones keep
    // the default, fitted once on CLINC150.
    std::map<int, int> per_label;
    for (const auto& e : examples) per_label[e.label]++;
    int fewest = INT_MAX;
    for (const auto& [label, n] : per_label)
      if (label >= 0) fewest = std::min(fewest, n);
    // One intent and nothing else: no contrast to learn from, so require the SVM's own side
    // of the boundary.
    if (classes_ == 1) calibration_.background = 0;
    if (examples.size() <= max_examples_to_fit && fewest >= 2 && classes_ >= 2)
      calibration_ = detail::fit_calibration(examples, classes_, has_oos_class_ ? oos : -1,
                                             cfg.fold_accents, settings, std::min(5, fewest));
  }

  result parse(const request& r) const override {
    result res = classify(r);
    res.entities = detail::extract_entities(r, cfg_, lookups_);
    return res;
  }

  result classify(const request& r) const override {
    result res;
    if (!classifier_) return res;
    thread_local std::vector<float> s;  // per thread: classify() runs on several at once
    thread_local std::vector<double> p;
    thread_local std::vector<int> order;
    if (classifier_->scores(r.text, r.locale, s) == 0) return res;  // nothing in common
    detail::probabilities(s, calibration_, p);
    order.resize(names_.size());
    std::iota(order.begin(), order.end(), 0);
    // Best five, ties in name order (deterministic).
    const std::size_t top = std::min<std::size_t>(5, order.size());
    std::partial_sort(order.begin(), order.begin() + top, order.end(),
                      [&](int a, int b) { return p[a] > p[b] || (p[a] == p[b] && a < b); });
    for (std::size_t i = 0; i < order.size() && i < 5; ++i)
      res.ranking.push_back({names_[order[i]], p[order[i]]});
    if (order.empty()) return res;
    const double best = p[order[0]];
    const bool oos_wins = has_oos_class_ && p.back() > best;
    res.confidence = best;
    if (!oos_wins && best >= cfg_.threshold) {
      res.intent = names_[order[0]];
      res.ambiguous = order.size() > 1 && best - p[order[1]] < cfg_.ambiguity_margin;
    }
    return res;
  }

  const std::vector<std::string>& intents() const override { return names_; }

 private:
  config cfg_;
  detail::lookup_matcher lookups_;
  std::vector<std::string> names_;  // sorted
  bool has_oos_class_ = false;
  int classes_ = 0;
  static constexpr std::size_t max_examples_to_fit = 2000;
  detail::calibration calibration_;
  std::unique_ptr<linear_classifier> classifier_;
};

}  // namespace

std::shared_ptr<const model> train(const training_data& data, const config& cfg) {
  return std::make_shared<linear_model>(data, cfg);
}

}  // namespace rapport::dialogs::nlu
