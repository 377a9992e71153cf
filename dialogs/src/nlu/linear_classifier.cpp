#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "nlu/intent_model.hpp"
#include "nlu/unicode_text.hpp"

namespace rapport::dialogs::nlu::detail {
namespace {

constexpr double nb_boost_scale = 16;  // NB boosts are stored as round(boost * 16) in a byte

// svm[k] += svm_value * row[k] (signed bytes); nb[k] += nb_value * row[padded + k] (unsigned).
void add_packed_row_portable(float* svm, float* nb, const std::uint8_t* row, float svm_value,
                             float nb_value, int padded) {
  const auto* weights = reinterpret_cast<const std::int8_t*>(row);
  for (int k = 0; k < padded; ++k) svm[k] += svm_value * weights[k];
  for (int k = 0; k < padded; ++k) nb[k] += nb_value * row[padded + k];
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) void add_packed_row_avx2(float* svm, float* nb,
                                                        const std::uint8_t* row,
                                                        float svm_value, float nb_value,
                                                        int padded) {
  const __m256 sv = _mm256_set1_ps(svm_value), nv = _mm256_set1_ps(nb_value);
  for (int k = 0; k < padded; k += 8) {
    __m128i w = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(row + k));
    __m128i c = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(row + padded + k));
    __m256 wf = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(w));
    __m256 cf = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(c));
    _mm256_storeu_ps(svm + k, _mm256_add_ps(_mm256_loadu_ps(svm + k), _mm256_mul_ps(wf, sv)));
    _mm256_storeu_ps(nb + k, _mm256_add_ps(_mm256_loadu_ps(nb + k), _mm256_mul_ps(cf, nv)));
  }
}
#endif

using packed_kernel = void (*)(float*, float*, const std::uint8_t*, float, float, int);

packed_kernel pick_kernel() {
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx2")) return add_packed_row_avx2;
#endif
  return add_packed_row_portable;
}

const packed_kernel add_packed_row = pick_kernel();

// Intents are read from the start of a message: a novel pasted into the chat costs no more
// than its first few thousand bytes.
constexpr std::size_t max_text_bytes = 4096;

std::vector<hashed_feature> featurize(std::string_view text, std::string_view locale,
                                      bool fold_accents, const feature_settings& settings) {
  text = text.substr(0, std::min(text.size(), max_text_bytes));
  std::vector<hashed_feature> out;
  hash_features(segment_words(normalize_unicode(from_utf8(text), fold_accents), locale), settings,
                out);
  return out;
}

constexpr std::size_t scale_bytes = 8;  // the row's float scale, padded for alignment

}  // namespace

packed_rows::packed_rows(std::size_t bytes) {
  constexpr std::size_t huge_page = std::size_t(2) << 20;
  const std::size_t alignment = bytes >= huge_page ? huge_page : 64;
  const std::size_t size = (std::max<std::size_t>(bytes, 1) + alignment - 1) / alignment * alignment;
  auto* p = static_cast<std::uint8_t*>(std::aligned_alloc(alignment, size));
  if (!p) throw std::bad_alloc();
#if defined(__linux__)
  if (alignment == huge_page) madvise(p, size, MADV_HUGEPAGE);  // a hint; failure is harmless
#endif
  std::memset(p, 0, size);
  data_.reset(p);
}

void packed_rows::release::operator()(std::uint8_t* p) const { std::free(p); }

linear_classifier::linear_classifier(const std::vector<labelled_text>& data, int classes,
                                     bool fold_accents, const classifier_settings& settings)
    : classes_(classes), fold_accents_(fold_accents) {
  std::vector<std::vector<hashed_feature>> docs;
  docs.reserve(data.size());
  for (const auto& d : data)
    docs.push_back(featurize(d.text, d.locale, fold_accents, settings.features));
  vectorizer_.fit(docs, settings.features, settings.min_df);
  sparse_rows x;
  x.columns = vectorizer_.size();
  std::vector<int> labels;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    x.add(vectorizer_.transform(docs[i]));
    labels.push_back(data[i].label);
  }
  padded_ = padded_classes(classes_);
  const std::size_t features = x.columns;
  row_bytes_ = scale_bytes + std::size_t(2) * padded_;
  // Wide rows start on a cache line, so a row costs as few line fills as its size allows.
  const std::size_t align_rows = row_bytes_ >= 128 ? 64 : 8;
  row_bytes_ = (row_bytes_ + align_rows - 1) / align_rows * align_rows;
  rows_ = packed_rows(features * row_bytes_);

  // SVM weights, quantised per feature row.
  std::vector<float> weights = train_one_vs_rest(x, labels, classes_, settings.svm);
  bias_.assign(weights.begin() + features * padded_, weights.begin() + (features + 1) * padded_);
  for (std::size_t f = 0; f < features; ++f) {
    const float* w = weights.data() + f * padded_;
    float largest = 0;
    for (int k = 0; k < classes_; ++k) largest = std::max(largest, std::fabs(w[k]));
    if (largest == 0) continue;
    const float scale = largest / 127.0f;
    std::uint8_t* row = rows_.data() + f * row_bytes_;
    std::memcpy(row, &scale, sizeof scale);
    auto* weights_out = reinterpret_cast<std::int8_t*>(row + scale_bytes);
    for (int k = 0; k < classes_; ++k)
      weights_out[k] = static_cast<std::int8_t>(std::lround(w[k] / scale));
  }
  weights = {};

  // Multinomial naive Bayes over the same (normalised) feature values.
  nb_weight_ = settings.nb_weight;
  nb_floor_.assign(classes_, 0.0f);
  if (nb_weight_ <= 0) return;
  std::vector<float> counts(features * classes_, 0.0f);
  std::vector<double> totals(classes_, 0.0);
  for (std::size_t i = 0; i < x.rows(); ++i) {
    if (labels[i] < 0 || labels[i] >= classes_) continue;
    for (std::size_t k = x.starts[i]; k < x.starts[i + 1]; ++k) {
      counts[x.entries[k].index * classes_ + labels[i]] += x.entries[k].value;
      totals[labels[i]] += x.entries[k].value;
    }
  }
  const double alpha = settings.nb_alpha;
  for (int k = 0; k < classes_; ++k)
    nb_floor_[k] = static_cast<float>(std::log(alpha / (totals[k] + alpha * features)));
  for (std::size_t f = 0; f < features; ++f) {
    std::uint8_t* row = rows_.data() + f * row_bytes_ + scale_bytes + padded_;
    for (int k = 0; k < classes_; ++k) {
      const float c = counts[f * classes_ + k];
      if (c > 0)
        row[k] = static_cast<std::uint8_t>(
            std::min(255.0, std::round(std::log1p(c / alpha) * nb_boost_scale)));
    }
  }
}

std::size_t linear_classifier::scores(std::string_view text, std::string_view locale,
                                      std::vector<float>& out) const {
  thread_local std::vector<float> nb;
  out.assign(bias_.begin(), bias_.end());
  nb.assign(padded_, 0.0f);
  auto v = vectorizer_.transform(featurize(text, locale, fold_accents_, vectorizer_.settings()));
  float mass = 0;
  const std::size_t row_bytes = row_bytes_;
  // Rows are scattered over a table larger than the caches: fetching a few rows ahead lets the
  // memory system work on several at once instead of stalling on each in turn.
  constexpr std::size_t ahead = 6;
  auto prefetch = [&](std::size_t i) {
    const std::uint8_t* row = rows_.data() + std::size_t(v[i].index) * row_bytes;
    for (std::size_t b = 0; b < row_bytes; b += 64) __builtin_prefetch(row + b);
  };
  for (std::size_t i = 0; i < std::min(ahead, v.size()); ++i) prefetch(i);
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i + ahead < v.size()) prefetch(i + ahead);
    const auto& e = v[i];
    mass += e.value;
    const std::uint8_t* row = rows_.data() + std::size_t(e.index) * row_bytes;
    float scale;
    std::memcpy(&scale, row, sizeof scale);
    add_packed_row(out.data(), nb.data(), row + scale_bytes, e.value * scale,
                   e.value / nb_boost_scale, padded_);
  }
  out.resize(classes_);
  if (nb_weight_ <= 0 || v.empty()) return v.size();
  // NB log-likelihoods relative to the most likely class, so the SVM's scale is kept.
  float best = -INFINITY;
  for (int k = 0; k < classes_; ++k) best = std::max(best, nb[k] += nb_floor_[k] * mass);
  for (int k = 0; k < classes_; ++k) out[k] += nb_weight_ * (nb[k] - best);
  return v.size();
}

}  // namespace rapport::dialogs::nlu::detail
