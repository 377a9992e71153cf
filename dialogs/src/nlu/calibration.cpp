// Turning scores into calibrated confidences, and fitting the calibration on held-out folds.
#include <cmath>
#include <limits>

#include "nlu/intent_model.hpp"

namespace rapport::dialogs::nlu::detail {

void probabilities(const std::vector<float>& scores, const calibration& c,
                   std::vector<double>& out) {
  // Single-precision exponentials: the scores are floats, so doubles would only add digits that
  // mean nothing, at four times the cost (a CLINC150 text has 152 logits).
  const float t = static_cast<float>(c.temperature), background = static_cast<float>(c.background);
  float max_logit = t * background;
  for (float v : scores) max_logit = std::max(max_logit, t * v);
  double total = std::exp(t * background - max_logit);
  out.resize(scores.size());
  for (std::size_t k = 0; k < scores.size(); ++k)
    total += out[k] = std::exp(t * scores[k] - max_logit);
  for (auto& v : out) v /= total;
}

calibration fit_calibration(const std::vector<labelled_text>& data, int classes, int oos_class,
                            bool fold_accents, const classifier_settings& settings, int folds) {
  calibration best;
  // Held-out scores: each class's examples are dealt round-robin into the folds.
  std::vector<int> fold_of(data.size(), -1), seen(classes + 1, 0);
  for (std::size_t i = 0; i < data.size(); ++i) {
    int label = data[i].label;
    if (label < -1 || label >= classes || data[i].text.empty()) continue;
    fold_of[i] = seen[label + 1]++ % folds;
  }
  std::vector<std::pair<std::vector<float>, int>> held_out;
  for (int fold = 0; fold < folds; ++fold) {
    std::vector<labelled_text> train_part;
    std::vector<std::size_t> test_part;
    for (std::size_t i = 0; i < data.size(); ++i)
      (fold_of[i] == fold ? test_part.push_back(i) : train_part.push_back(data[i]));
    if (test_part.empty() || train_part.empty()) continue;
    linear_classifier model(train_part, classes, fold_accents, settings);
    for (std::size_t i : test_part) {
      std::vector<float> s;
      model.scores(data[i].text, data[i].locale, s);
      held_out.emplace_back(std::move(s), data[i].label);
    }
  }
  int oos_examples = 0;
  for (const auto& [s, label] : held_out) oos_examples += label < 0 || label == oos_class;
  std::vector<double> backgrounds{best.background};
  if (oos_examples >= 5) backgrounds = {-1.0, -0.9, -0.8, -0.7, -0.6, -0.5, -0.4};
  double best_nll = std::numeric_limits<double>::infinity();
  std::vector<double> p;
  for (double t : {1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0}) {
    for (double b : backgrounds) {
      calibration c{t, b};
      double nll = 0;
      for (const auto& [s, label] : held_out) {
        probabilities(s, c, p);
        double mass = 1;  // background: 1 - everything else
        for (double v : p) mass -= v;
        double target = label < 0 ? mass : label == oos_class ? mass + p[label] : p[label];
        nll -= std::log(std::max(target, 1e-12));
      }
      if (nll < best_nll - 1e-9) best_nll = nll, best = c;
    }
  }
  return best;
}

}  // namespace rapport::dialogs::nlu::detail
