#include "nlu/linear_svm.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace rapport::dialogs::nlu::detail {
namespace {

typedef float block_vector __attribute__((vector_size(class_block * sizeof(float))));

// A small deterministic generator (SplitMix64) so results never depend on the library.
struct rng {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
};

}  // namespace

// The ifunc resolver of target_clones runs before ThreadSanitizer's runtime is set up, and
// crashes the program under it: the tsan build gets the default version only.
#if defined(__SANITIZE_THREAD__)
#define RAPPORT_ADD_SCALED_ROW_CLONES
#else
#define RAPPORT_ADD_SCALED_ROW_CLONES __attribute__((target_clones("avx2", "default")))
#endif

RAPPORT_ADD_SCALED_ROW_CLONES void add_scaled_row(float* out, const float* row, float value,
                                                  int padded) {
  for (int k = 0; k < padded; k += class_block) {
    block_vector o, r;
    __builtin_memcpy(&o, out + k, sizeof o);
    __builtin_memcpy(&r, row + k, sizeof r);
    o += r * value;
    __builtin_memcpy(out + k, &o, sizeof o);
  }
}

std::vector<float> train_one_vs_rest(const sparse_rows& x, const std::vector<int>& labels,
                                     int classes, const svm_settings& settings) {
  const int padded = padded_classes(classes);
  const std::size_t n = x.rows(), bias_row = x.columns;
  std::vector<float> w((x.columns + 1) * padded, 0.0f);
  if (n == 0 || classes == 0) return w;
  const double diag = 0.5 / settings.c;  // squared hinge: D_ii = 1 / (2C), no upper bound
  const float bias = settings.bias;
  std::vector<float> qd(n);
  for (std::size_t i = 0; i < n; ++i) {
    double sum = double(bias) * bias + diag;
    for (std::size_t k = x.starts[i]; k < x.starts[i + 1]; ++k)
      sum += double(x.entries[k].value) * x.entries[k].value;
    qd[i] = static_cast<float>(sum);
  }
  std::vector<float> alpha(n * classes, 0.0f);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::vector<float> scores(padded), delta(padded);
  rng random{settings.seed};
  // An example that needed no update is skipped in the next epoch (and checked in the one
  // after): a cheap form of LIBLINEAR's shrinking. The last epoch checks everything.
  std::vector<std::uint8_t> resting(n, 0);
  for (int epoch = 0; epoch < settings.max_epochs; ++epoch) {
    const bool last = epoch + 1 == settings.max_epochs;
    for (std::size_t i = 0; i + 1 < n; ++i)
      std::swap(order[i], order[i + random.next() % (n - i)]);
    double max_violation = 0;
    bool skipped = false;
    for (std::size_t i : order) {
      if (resting[i] && !last) {
        resting[i] = 0;
        skipped = true;
        continue;
      }
      const sparse_entry* begin = x.entries.data() + x.starts[i];
      const sparse_entry* end = x.entries.data() + x.starts[i + 1];
      std::copy_n(w.data() + bias_row * padded, padded, scores.data());
      for (int k = 0; k < padded; ++k) scores[k] *= bias;
      for (const auto* e = begin; e != end; ++e)
        add_scaled_row(scores.data(), w.data() + std::size_t(e->index) * padded, e->value, padded);
      float* a = alpha.data() + i * classes;
      bool changed = false;
      for (int k = 0; k < classes; ++k) {
        const float y = labels[i] == k ? 1.0f : -1.0f;
        const float g = y * scores[k] - 1.0f + static_cast<float>(diag) * a[k];
        delta[k] = 0;
        if (a[k] == 0 && g >= 0) continue;  // projected gradient is zero
        max_violation = std::max(max_violation, double(std::fabs(g)));
        const float next = std::max(a[k] - g / qd[i], 0.0f);
        delta[k] = (next - a[k]) * y;
        a[k] = next;
        changed |= delta[k] != 0;
      }
      if (!changed) {
        resting[i] = 1;
        continue;
      }
      for (const auto* e = begin; e != end; ++e)
        add_scaled_row(w.data() + std::size_t(e->index) * padded, delta.data(), e->value, padded);
      add_scaled_row(w.data() + bias_row * padded, delta.data(), bias, padded);
    }
    if (max_violation <= settings.eps && !skipped) break;
  }
  // Fold the bias value into its row so scoring adds the row as is.
  for (int k = 0; k < padded; ++k) w[bias_row * padded + k] *= bias;
  return w;
}

}  // namespace rapport::dialogs::nlu::detail
