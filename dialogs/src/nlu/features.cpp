#include "nlu/features.hpp"

#include <algorithm>

namespace rapport::dialogs::nlu::detail {
namespace {

constexpr std::uint64_t fnv_offset = 1469598103934665603ull, fnv_prime = 1099511628211ull;

std::uint64_t mix(std::uint64_t h) {  // murmur3 finaliser: spreads FNV's low bits
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

std::uint64_t hash_bytes(std::uint64_t h, std::string_view s) {
  for (unsigned char c : s) h = (h ^ c) * fnv_prime;
  return h;
}

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

void hash_features(const word_list& words, const feature_settings& settings,
                   std::vector<hashed_feature>& out) {
  out.clear();
  const std::uint64_t word_seed = hash_bytes(fnv_offset, "w:");
  const std::uint64_t bigram_seed = hash_bytes(fnv_offset, "b:");
  const std::uint64_t char_seed = hash_bytes(fnv_offset, "c:");
  thread_local std::vector<std::size_t> starts;  // code point starts in the padded word
  thread_local std::string padded;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string_view w = words[i];
    out.push_back({mix(hash_bytes(word_seed, w)), 0});
    if (settings.word_bigrams) {
      std::uint64_t h = hash_bytes(bigram_seed, i == 0 ? std::string_view("^") : words[i - 1]);
      h = hash_bytes((h ^ ' ') * fnv_prime, w);
      out.push_back({mix(h), 0});
    }
    // Character n-grams of " word " (spaces mark the boundaries), each start's n-grams hashed
    // incrementally: the hash of "abc" continues that of "ab".
    padded.assign(1, ' ');
    padded += w;
    padded += ' ';
    starts.clear();
    for (std::size_t b = 0; b < padded.size(); ++b)
      if (!is_continuation(static_cast<unsigned char>(padded[b]))) starts.push_back(b);
    starts.push_back(padded.size());
    const std::size_t cps = starts.size() - 1;
    const std::size_t shortest = std::max(1, settings.char_min);
    for (std::size_t s = 0; s + shortest <= cps; ++s) {
      std::uint64_t h = char_seed;
      const std::size_t longest = std::min<std::size_t>(settings.char_max, cps - s);
      for (std::size_t n = 1; n <= longest; ++n) {
        h = hash_bytes(h, std::string_view(padded).substr(starts[s + n - 1],
                                                          starts[s + n] - starts[s + n - 1]));
        if (n >= shortest) out.push_back({mix(h), 1});
      }
    }
  }
  if (settings.word_bigrams && !words.empty()) {
    std::uint64_t h = hash_bytes(bigram_seed, words[words.size() - 1]);
    h = hash_bytes((h ^ ' ') * fnv_prime, "$");
    out.push_back({mix(h), 0});
  }
}

feature_index::feature_index(const std::vector<std::uint64_t>& hashes) {
  size_ = hashes.size();
  std::size_t capacity = 16;
  while (capacity < hashes.size() * 3 / 2) capacity *= 2;  // at most two thirds full
  mask_ = capacity - 1;
  slots_.assign(capacity, {0, UINT32_MAX});
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    std::size_t at = hashes[i] & mask_;
    while (slots_[at].value != UINT32_MAX) at = (at + 1) & mask_;
    slots_[at] = {tag_of(hashes[i]), static_cast<std::uint32_t>(i)};
  }
}

std::int64_t feature_index::find(std::uint64_t hash) const {
  if (size_ == 0) return -1;
  const std::uint32_t tag = tag_of(hash);
  for (std::size_t at = hash & mask_;; at = (at + 1) & mask_) {
    if (slots_[at].value == UINT32_MAX) return -1;
    if (slots_[at].tag == tag) return slots_[at].value;
  }
}

}  // namespace rapport::dialogs::nlu::detail

#include <cmath>
#include <unordered_map>

namespace rapport::dialogs::nlu::detail {

void vectorizer::fit(const std::vector<std::vector<hashed_feature>>& docs,
                     const feature_settings& settings, int min_df) {
  settings_ = settings;
  std::unordered_map<std::uint64_t, std::pair<int, int>> df;  // hash → (documents, block)
  std::vector<std::uint64_t> seen;
  for (const auto& doc : docs) {
    seen.clear();
    for (const auto& f : doc) seen.push_back(f.hash);
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    for (auto h : seen) df[h].first++;
    for (const auto& f : doc) df[f.hash].second = f.block;
  }
  // Most frequent features first (ties by hash, so nothing depends on hash-map order): the
  // weight rows of common n-grams then sit together and stay in the cache.
  std::vector<std::pair<int, std::uint64_t>> ranked;
  for (const auto& [h, d] : df)
    if (d.first >= min_df) ranked.emplace_back(-d.first, h);
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::uint64_t> kept;
  kept.reserve(ranked.size());
  for (const auto& [negative_df, h] : ranked) kept.push_back(h);
  index_ = feature_index(kept);
  idf_.assign(index_.size(), 0);
  block_.assign(index_.size(), 0);
  const double n = static_cast<double>(docs.size());
  for (std::size_t i = 0; i < kept.size(); ++i) {
    const auto& d = df[kept[i]];
    idf_[i] = static_cast<float>(std::log((1 + n) / (1 + d.first)) + 1);
    block_[i] = static_cast<std::uint8_t>(d.second);
  }
}

namespace {

// Distinct hashes of one text with their counts, in first-seen order: a small open-addressing
// table per thread, emptied by bumping a generation number instead of clearing it.
class feature_counter {
 public:
  void count(const std::vector<hashed_feature>& features) {
    std::size_t capacity = 64;
    while (capacity < features.size() * 2) capacity *= 2;
    if (slots_.size() < capacity || ++generation_ == 0) {
      slots_.assign(std::max(capacity, slots_.size()), {});
      generation_ = 1;
    }
    const std::size_t mask = capacity - 1;
    distinct_.clear();
    for (const auto& f : features) {
      std::size_t at = f.hash & mask;
      while (slots_[at].generation == generation_ && distinct_[slots_[at].position].hash != f.hash)
        at = (at + 1) & mask;
      if (slots_[at].generation == generation_) {
        distinct_[slots_[at].position].count++;
      } else {
        slots_[at] = {generation_, static_cast<std::uint32_t>(distinct_.size())};
        distinct_.push_back({f.hash, 1});
      }
    }
  }
  struct counted {
    std::uint64_t hash;
    std::uint32_t count;
  };
  const std::vector<counted>& distinct() const { return distinct_; }

 private:
  struct slot {
    std::uint32_t generation = 0, position = 0;
  };
  std::vector<slot> slots_;
  std::uint32_t generation_ = 0;
  std::vector<counted> distinct_;
};

}  // namespace

void vectorizer::transform(const std::vector<hashed_feature>& features, sparse_vector& v) const {
  thread_local feature_counter counter;
  counter.count(features);
  const auto& distinct = counter.distinct();
  v.clear();
  constexpr std::size_t ahead = 8;  // lookups land all over the table: overlap the misses
  for (std::size_t k = 0; k < std::min(ahead, distinct.size()); ++k)
    index_.prefetch(distinct[k].hash);
  for (std::size_t k = 0; k < distinct.size(); ++k) {
    if (k + ahead < distinct.size()) index_.prefetch(distinct[k + ahead].hash);
    auto i = index_.find(distinct[k].hash);
    if (i >= 0) v.push_back({static_cast<std::uint32_t>(i), float(distinct[k].count)});
  }
  double norms[2] = {0, 0};
  for (auto& e : v) {
    const float tf = e.value == 1.0f ? 1.0f : 1.0f + std::log(e.value);  // sublinear TF
    e.value = tf * (settings_.idf ? idf_[e.index] : 1.0f);
    norms[block_[e.index]] += double(e.value) * e.value;
  }
  const float weights[2] = {settings_.word_weight, settings_.char_weight};
  double total = 0;
  float scale[2];
  for (int b = 0; b < 2; ++b) {
    scale[b] = norms[b] > 0 ? static_cast<float>(weights[b] / std::sqrt(norms[b])) : 0.0f;
    total += norms[b] > 0 ? double(weights[b]) * weights[b] : 0;
  }
  float final_scale = total > 0 ? static_cast<float>(1 / std::sqrt(total)) : 0.0f;
  for (auto& e : v) e.value *= scale[block_[e.index]] * final_scale;
}

}  // namespace rapport::dialogs::nlu::detail
