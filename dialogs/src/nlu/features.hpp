#pragma once
// Text → sparse feature vector for the intent classifier: word unigrams and bigrams plus
// character n-grams inside word boundaries, sublinear TF (× IDF if asked), each block
// L2-normalised, then the whole vector.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nlu/unicode_text.hpp"

namespace rapport::dialogs::nlu::detail {

struct feature_settings {
  int char_min = 2, char_max = 5;  // character n-gram lengths (in code points, inside words)
  bool word_bigrams = true;
  float word_weight = 1.0f, char_weight = 1.0f;  // block weights before the final L2 norm
  bool idf = true;  // off by default in the classifier: IDF lowered CLINC150 accuracy by 0.5

};

// A feature hash with its block (0 = word, 1 = character).
struct hashed_feature {
  std::uint64_t hash;
  int block;
};

// The features of already normalised words, with repetitions (counts matter), into `out`
// (cleared first).
void hash_features(const word_list& words, const feature_settings& settings,
                   std::vector<hashed_feature>& out);

struct sparse_entry {
  std::uint32_t index;
  float value;
};
using sparse_vector = std::vector<sparse_entry>;

// Open-addressing map from feature hash to a dense index; immutable after building.
class feature_index {
 public:
  // hashes[i] gets index i (duplicates must not occur); callers choose a deterministic order.
  explicit feature_index(const std::vector<std::uint64_t>& hashes = {});
  // Dense index, or -1 when the feature was not seen in training.
  std::int64_t find(std::uint64_t hash) const;
  // Starts loading the slot of `hash` into the cache (for lookups a few steps later).
  void prefetch(std::uint64_t hash) const {
    if (size_ != 0) __builtin_prefetch(&slots_[hash & mask_]);
  }
  std::size_t size() const { return size_; }

 private:
  // The slot's position gives the hash's low bits, the tag its high 32 bits: 8 bytes a slot
  // keep CLINC150's table at 1 MB. (A text's unseen n-gram is taken for a known one only if
  // both match, about once in 2^32 lookups.)
  static std::uint32_t tag_of(std::uint64_t hash) { return static_cast<std::uint32_t>(hash >> 32); }
  struct slot {
    std::uint32_t tag;
    std::uint32_t value;  // UINT32_MAX: empty
  };
  std::vector<slot> slots_;  // tag and value side by side: one cache miss per lookup
  std::size_t mask_ = 0, size_ = 0;
};

}  // namespace rapport::dialogs::nlu::detail

namespace rapport::dialogs::nlu::detail {

// Vocabulary and IDF fitted on training texts; turns hashed features into a sparse vector.
class vectorizer {
 public:
  // Keeps features seen in at least `min_df` training texts.
  void fit(const std::vector<std::vector<hashed_feature>>& docs, const feature_settings& settings,
           int min_df);
  // The known features' values into `out`, in the order the features first occur.
  void transform(const std::vector<hashed_feature>& features, sparse_vector& out) const;
  std::size_t size() const { return idf_.size(); }
  const feature_settings& settings() const { return settings_; }

 private:
  feature_settings settings_;
  feature_index index_;
  std::vector<float> idf_;
  std::vector<std::uint8_t> block_;
};

}  // namespace rapport::dialogs::nlu::detail
