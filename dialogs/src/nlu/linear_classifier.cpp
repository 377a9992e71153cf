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

constexpr std::size_t scale_bytes = 8;  // the row's float scale, padded for alignment

float row_scale(const std::uint8_t* row) {
  float scale;
  std::memcpy(&scale, row, sizeof scale);
  return scale;
}

// The packed rows of one text's features and the features' values.
struct text_rows {
  std::vector<const std::uint8_t*> rows;
  std::vector<float> values;
};

// svm[k] += Σ_i values[i] * scale_i * svm_i[k] (signed bytes) and
// nb[k] += Σ_i values[i] / 16 * nb_i[k] (unsigned), rows in order for every k.
void add_packed_rows_portable(float* svm, float* nb, const text_rows& r, int padded) {
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    const std::uint8_t* row = r.rows[i] + scale_bytes;
    const float sv = r.values[i] * row_scale(r.rows[i]), nv = r.values[i] / float(nb_boost_scale);
    const auto* weights = reinterpret_cast<const std::int8_t*>(row);
    for (int k = 0; k < padded; ++k) svm[k] += sv * weights[k];
    for (int k = 0; k < padded; ++k) nb[k] += nv * row[padded + k];
  }
}

#if defined(__x86_64__)
// 8 bytes as 8 floats.
__attribute__((target("avx2"), always_inline)) inline __m256 widen_signed(const std::uint8_t* p) {
  return _mm256_cvtepi32_ps(
      _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p))));
}
__attribute__((target("avx2"), always_inline)) inline __m256 widen_unsigned(const std::uint8_t* p) {
  return _mm256_cvtepi32_ps(
      _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p))));
}

// The same sums, 32 classes at a time so the sums stay in registers while every row is added.
// Multiply then add (no FMA): bit for bit the portable result.
__attribute__((target("avx2"))) void add_packed_rows_avx2(float* svm, float* nb,
                                                         const text_rows& r, int padded) {
  constexpr int lanes = 8, width = 4;  // 4 vectors of 8 classes per pass
  const std::size_t count = r.rows.size();
  for (int first = 0; first < padded; first += lanes * width) {
    const int blocks = std::min(width, (padded - first) / lanes);
    __m256 s[width], n[width];
    for (int b = 0; b < blocks; ++b) {
      s[b] = _mm256_loadu_ps(svm + first + b * lanes);
      n[b] = _mm256_loadu_ps(nb + first + b * lanes);
    }
    for (std::size_t i = 0; i < count; ++i) {
      const std::uint8_t* row = r.rows[i] + scale_bytes + first;
      const __m256 sv = _mm256_set1_ps(r.values[i] * row_scale(r.rows[i]));
      const __m256 nv = _mm256_set1_ps(r.values[i] / float(nb_boost_scale));
      for (int b = 0; b < blocks; ++b) {
        s[b] = _mm256_add_ps(s[b], _mm256_mul_ps(widen_signed(row + b * lanes), sv));
        n[b] = _mm256_add_ps(n[b], _mm256_mul_ps(widen_unsigned(row + padded + b * lanes), nv));
      }
    }
    for (int b = 0; b < blocks; ++b) {
      _mm256_storeu_ps(svm + first + b * lanes, s[b]);
      _mm256_storeu_ps(nb + first + b * lanes, n[b]);
    }
  }
}
#endif

using packed_kernel = void (*)(float*, float*, const text_rows&, int);

packed_kernel pick_kernel() {
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx2")) return add_packed_rows_avx2;
#endif
  return add_packed_rows_portable;
}

const packed_kernel add_packed_rows = pick_kernel();

// Intents are read from the start of a message: a novel pasted into the chat costs no more
// than its first few thousand bytes.
constexpr std::size_t max_text_bytes = 4096;

void featurize(std::string_view text, std::string_view locale, bool fold_accents,
               const feature_settings& settings, std::vector<hashed_feature>& out) {
  thread_local word_list words;
  normalized_words(text.substr(0, std::min(text.size(), max_text_bytes)), locale, fold_accents,
                   words);
  hash_features(words, settings, out);
}

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
  std::vector<std::vector<hashed_feature>> docs(data.size());
  for (std::size_t i = 0; i < data.size(); ++i)
    featurize(data[i].text, data[i].locale, fold_accents, settings.features, docs[i]);
  vectorizer_.fit(docs, settings.features, settings.min_df);
  sparse_rows x;
  x.columns = vectorizer_.size();
  std::vector<int> labels;
  sparse_vector row;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    vectorizer_.transform(docs[i], row);
    x.add(row);
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
  thread_local std::vector<hashed_feature> features;
  thread_local sparse_vector v;
  thread_local text_rows rows;
  out.assign(bias_.begin(), bias_.end());
  nb.assign(padded_, 0.0f);
  featurize(text, locale, fold_accents_, vectorizer_.settings(), features);
  vectorizer_.transform(features, v);
  // Rows are scattered over a table larger than the caches: fetching them all first lets the
  // memory system work on several at once instead of stalling on each in turn.
  float mass = 0;
  rows.rows.clear();
  rows.values.clear();
  for (const auto& e : v) {
    const std::uint8_t* row = rows_.data() + std::size_t(e.index) * row_bytes_;
    for (std::size_t b = 0; b < row_bytes_; b += 64) __builtin_prefetch(row + b);
    mass += e.value;
    rows.rows.push_back(row);
    rows.values.push_back(e.value);
  }
  add_packed_rows(out.data(), nb.data(), rows, padded_);
  out.resize(classes_);
  if (nb_weight_ <= 0 || v.empty()) return v.size();
  // NB log-likelihoods relative to the most likely class, so the SVM's scale is kept.
  float best = -INFINITY;
  for (int k = 0; k < classes_; ++k) best = std::max(best, nb[k] += nb_floor_[k] * mass);
  for (int k = 0; k < classes_; ++k) out[k] += nb_weight_ * (nb[k] - best);
  return v.size();
}

}  // namespace rapport::dialogs::nlu::detail
