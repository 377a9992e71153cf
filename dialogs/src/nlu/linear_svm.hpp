#pragma once
// One-vs-rest linear SVMs with squared hinge loss, trained by dual coordinate descent (the
// algorithm of LIBLINEAR, Hsieh et al. 2008). All classes are updated together, example by
// example, so each step is a dense vector operation over the classes: fast on one core.
// Deterministic for a given seed.
#include <cstdint>
#include <vector>

#include "nlu/features.hpp"

namespace rapport::dialogs::nlu::detail {

struct sparse_rows {
  std::vector<std::size_t> starts{0};  // row i is entries[starts[i], starts[i + 1])
  std::vector<sparse_entry> entries;
  std::size_t columns = 0;

  void add(const sparse_vector& row) {
    entries.insert(entries.end(), row.begin(), row.end());
    starts.push_back(entries.size());
  }
  std::size_t rows() const { return starts.size() - 1; }
};

struct svm_settings {
  double c = 4.0;       // inverse regularisation strength
  double eps = 0.05;    // stop when no projected gradient exceeds this
  int max_epochs = 8;   // passes over the data
  float bias = 1.0f;    // value of the constant feature
  std::uint64_t seed = 1;
};

// Classes padded to a multiple of this, so rows are whole SIMD vectors.
inline constexpr int class_block = 8;
inline int padded_classes(int classes) {
  return (classes + class_block - 1) / class_block * class_block;
}

// Trained weights, feature-major: weights[f * padded_classes(classes) + k]; row `columns`
// holds the bias weights (already multiplied by the bias value). Labels outside [0, classes)
// are negatives for every class.
std::vector<float> train_one_vs_rest(const sparse_rows& x, const std::vector<int>& labels,
                                     int classes, const svm_settings& settings);

// out[k] += value * row[k] for a padded row.
void add_scaled_row(float* out, const float* row, float value, int padded);

}  // namespace rapport::dialogs::nlu::detail
