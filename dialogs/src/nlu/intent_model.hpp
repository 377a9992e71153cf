#pragma once
// The trained intent classifier behind nlu::model.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "nlu/features.hpp"
#include "nlu/linear_svm.hpp"
#include "rapport/dialogs/nlu.hpp"

namespace rapport::dialogs::nlu::detail {

struct classifier_settings {
  feature_settings features{.idf = false};
  svm_settings svm;
  int min_df = 1;
  // A multinomial naive Bayes over the same features is added to the SVM's scores with this
  // weight: the two make different mistakes (CLINC150 val: +0.5 points in-scope accuracy).
  float nb_weight = 0.05f;
  float nb_alpha = 0.001f;  // additive smoothing of the NB counts
};

// One labelled training text; label -1 is out of scope.
struct labelled_text {
  std::string_view text;
  std::string_view locale;
  int label;
};

// A zero-initialised byte table, on transparent huge pages when large (fewer TLB misses when
// scoring touches rows all over it).
class packed_rows {
 public:
  packed_rows() = default;
  explicit packed_rows(std::size_t bytes);
  std::uint8_t* data() { return data_.get(); }
  const std::uint8_t* data() const { return data_.get(); }

 private:
  struct release {
    void operator()(std::uint8_t* p) const;
  };
  std::unique_ptr<std::uint8_t, release> data_;
};

// A linear classifier over `classes` labels plus the out-of-scope background.
class linear_classifier {
 public:
  linear_classifier(const std::vector<labelled_text>& data, int classes, bool fold_accents,
                    const classifier_settings& settings);

  // Raw decision scores, one per class. Returns how many of the text's features the model
  // knows (0: nothing in common with any training example).
  std::size_t scores(std::string_view text, std::string_view locale,
                     std::vector<float>& out) const;
  int classes() const { return classes_; }
  std::size_t features() const { return vectorizer_.size(); }

 private:
  void fit_naive_bayes(const sparse_rows& x, const std::vector<int>& labels,
                       const classifier_settings& settings);

  int classes_ = 0;
  bool fold_accents_ = true;
  vectorizer vectorizer_;
  int padded_ = 0;  // classes rounded up to whole SIMD blocks
  // Per feature f, one packed row of row_bytes_: the scale of its SVM weights (a float, padded
  // to 8 bytes), the SVM weights as signed bytes (× scale), then the naive Bayes boosts as
  // unsigned bytes (÷ 16). Bytes rather than floats: scoring reads a row per feature, and a
  // quarter of the memory is a quarter of the cache misses (CLINC150: 20 MB instead of 80 MB).
  std::size_t row_bytes_ = 0;
  packed_rows rows_;
  std::vector<float> bias_;  // padded_

  // Naive Bayes: log θ_kf = nb_floor_[k] + boost_fk / 16 (boost 0 for pairs never seen).
  float nb_weight_ = 0;
  std::vector<float> nb_floor_;
};

// Confidence from scores: a softmax with a temperature over the classes plus a background
// logit, so text unlike every class gets its probability mass from the background.
struct calibration {
  double temperature = 6.0;  // fitted on CLINC150 (val): within 3% expected calibration error
  double background = -0.8;
};
void probabilities(const std::vector<float>& scores, const calibration& c,
                   std::vector<double>& out);

// Temperature (and, with enough out-of-scope examples, background) fitted by k-fold
// cross-validation: the values minimising the held-out negative log-likelihood. Meant for
// small training sets, where the default calibration is too confident.
// `oos_class` is the class of explicit out-of-scope examples (-1: none).
calibration fit_calibration(const std::vector<labelled_text>& data, int classes, int oos_class,
                            bool fold_accents, const classifier_settings& settings, int folds);

}  // namespace rapport::dialogs::nlu::detail
