#pragma once
// Internal ICU helpers shared by the NLU sources: UTF-8 decoding with repair and byte offsets,
// folding (NFKC + case + accents), and word segmentation. ICU types stay inside dialogs/src.
#include <unicode/unistr.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rapport::dialogs::nlu::detail {

// UTF-8 decoded into UTF-16; ill-formed sequences become U+FFFD. byte_offsets[i] is the byte
// offset in the source of UTF-16 unit i (size text.length() + 1, last = source size).
struct decoded_text {
  icu::UnicodeString text;
  std::vector<std::size_t> byte_offsets;
};
decoded_text decode_utf8(std::string_view utf8);

// Repairs invalid UTF-8 (U+FFFD) and converts.
icu::UnicodeString from_utf8(std::string_view utf8);
std::string to_utf8(const icu::UnicodeString& text);

// "de-AT" / "de_AT" → "de"; "" → "en".
std::string base_language(std::string_view locale);

// NFKC + full case folding, then (optionally) accent folding. No punctuation handling.
icu::UnicodeString fold(const icu::UnicodeString& text, bool fold_accents);

// fold() plus punctuation to spaces (apostrophes inside words and separators inside numbers
// survive), collapsed whitespace, trimmed.
icu::UnicodeString normalize_unicode(const icu::UnicodeString& text, bool fold_accents);

enum class token_kind { word, number, other };

// One segment of the original text, for entity extraction.
struct token {
  std::string text;   // folded: NFKC, case and accents ("Café" → "cafe")
  std::string exact;  // folded without accent folding ("café")
  std::string raw;    // the original UTF-8 (repaired)
  token_kind kind = token_kind::other;
  std::size_t begin = 0, end = 0;  // byte offsets in the original text
};

// Every non-space segment of `text` by ICU's word BreakIterator, in order.
std::vector<token> tokenize(std::string_view text, std::string_view locale);

// Word segments (letters, numbers, kana, ideographs) of already normalised text.
std::vector<std::string> segment_words(const icu::UnicodeString& normalized,
                                       std::string_view locale);

// Words back to back in one buffer: reused, it allocates nothing once warm.
class word_list {
 public:
  void clear() {
    bytes_.clear();
    ends_.clear();
  }
  void append(std::string_view word) {
    bytes_ += word;
    ends_.push_back(bytes_.size());
  }
  std::string& bytes() { return bytes_; }  // append a word's bytes, then end_word()
  void end_word() { ends_.push_back(bytes_.size()); }
  std::size_t size() const { return ends_.size(); }
  bool empty() const { return ends_.empty(); }
  std::string_view operator[](std::size_t i) const {
    const std::size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(bytes_).substr(begin, ends_[i] - begin);
  }
  std::vector<std::string> strings() const {
    std::vector<std::string> out;
    out.reserve(size());
    for (std::size_t i = 0; i < size(); ++i) out.emplace_back((*this)[i]);
    return out;
  }

 private:
  std::string bytes_;
  std::vector<std::size_t> ends_;
};

// segment_words(normalize_unicode(text)) into `out`, without ICU for pure ASCII text (the
// common case), with the same result.
void normalized_words(std::string_view utf8, std::string_view locale, bool fold_accents,
                      word_list& out);

}  // namespace rapport::dialogs::nlu::detail
