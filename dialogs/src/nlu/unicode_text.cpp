#include "nlu/unicode_text.hpp"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/rbbi.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <cctype>
#include <cstdint>
#include <map>
#include <memory>

namespace rapport::dialogs::nlu::detail {
namespace {

bool is_combining_diacritic(UChar32 c) {
  return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
         (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
         (c >= 0xFE20 && c <= 0xFE2F);
}

// Letters that carry a stroke or ligature rather than a combining mark.
const char16_t* letter_fold(UChar32 c) {
  switch (c) {
    case 0x00F8: return u"o";   // ø
    case 0x0142: return u"l";   // ł
    case 0x0111: return u"d";   // đ
    case 0x00F0: return u"d";   // ð
    case 0x0127: return u"h";   // ħ
    case 0x0131: return u"i";   // dotless ı
    case 0x00E6: return u"ae";  // æ
    case 0x0153: return u"oe";  // œ
    case 0x00FE: return u"th";  // þ
    default: return nullptr;
  }
}

bool is_apostrophe(UChar32 c) { return c == '\'' || c == 0x2019 || c == 0x02BC; }

bool is_alnum(UChar32 c) { return u_hasBinaryProperty(c, UCHAR_ALPHABETIC) || u_isdigit(c); }

// A thread's word BreakIterator for a locale; `root_rules` when its rules are the root
// locale's (no tailoring: the ASCII fast path below gives the same words).
struct word_breaker {
  std::unique_ptr<icu::BreakIterator> iterator;
  bool root_rules = false;
};

const icu::UnicodeString* rules_of(const icu::BreakIterator* bi) {
  const auto* rbbi = dynamic_cast<const icu::RuleBasedBreakIterator*>(bi);
  return rbbi ? &rbbi->getRules() : nullptr;
}

const word_breaker& word_iterator(std::string_view locale) {
  thread_local std::map<std::string, word_breaker, std::less<>> cache;
  auto it = cache.find(locale);
  if (it != cache.end()) return it->second;
  if (cache.size() >= 32) cache.clear();  // locales come from requests: keep the cache bounded
  UErrorCode ec = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> root(
      icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), ec));
  if (U_FAILURE(ec)) root.reset();
  ec = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> bi(
      icu::BreakIterator::createWordInstance(icu::Locale(std::string(locale).c_str()), ec));
  if (U_FAILURE(ec) || !bi) bi = std::move(root);
  word_breaker entry;
  const auto* rules = rules_of(bi.get());
  const auto* root_rules = root ? rules_of(root.get()) : rules;
  entry.root_rules = rules && root_rules && *rules == *root_rules;
  entry.iterator = std::move(bi);
  return cache.emplace(std::string(locale), std::move(entry)).first->second;
}

// How normalize_unicode() and the root word rules treat each ASCII character, from ICU's own
// character properties.
enum class ascii_kind : std::uint8_t { space, letter, digit, apostrophe, number_separator, symbol };

struct ascii_table {
  ascii_kind kind[128];
  char folded[128];
};

const ascii_table& ascii() {
  static const ascii_table table = [] {
    ascii_table t{};
    for (UChar32 c = 0; c < 128; ++c) {
      ascii_kind k = ascii_kind::symbol;  // $ + < = > ^ ` | ~: kept, but never part of a word
      if (u_isUWhiteSpace(c) || u_iscntrl(c))
        k = ascii_kind::space;
      else if (u_isdigit(c))
        k = ascii_kind::digit;
      else if (u_hasBinaryProperty(c, UCHAR_ALPHABETIC))
        k = ascii_kind::letter;
      else if (is_apostrophe(c))
        k = ascii_kind::apostrophe;
      else if (c == '.' || c == ',')
        k = ascii_kind::number_separator;
      else if (u_ispunct(c))
        k = ascii_kind::space;
      t.kind[c] = k;
      t.folded[c] = static_cast<char>(u_foldCase(c, U_FOLD_CASE_DEFAULT));
    }
    return t;
  }();
  return table;
}

bool is_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

// normalized_words() for ASCII text under the root word rules: letters and digits join;
// an apostrophe joins letters ("what's"); "." and "," join digits ("1,000.50"). Everything else
// separates words.
void ascii_words(std::string_view text, word_list& out) {
  const ascii_table& t = ascii();
  auto kind = [&](std::size_t i) {
    return i < text.size() ? t.kind[static_cast<unsigned char>(text[i])] : ascii_kind::space;
  };
  std::string& bytes = out.bytes();
  bool in_word = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const ascii_kind k = kind(i);
    const ascii_kind prev = i > 0 ? kind(i - 1) : ascii_kind::space, next = kind(i + 1);
    bool joins = k == ascii_kind::letter || k == ascii_kind::digit;
    if (k == ascii_kind::apostrophe)  // kept after a digit too, but ICU then splits the word
      joins = in_word && prev == ascii_kind::letter && next == ascii_kind::letter;
    else if (k == ascii_kind::number_separator)
      joins = in_word && prev == ascii_kind::digit && next == ascii_kind::digit;
    if (joins) {
      bytes += t.folded[static_cast<unsigned char>(text[i])];
      in_word = true;
    } else if (in_word) {
      out.end_word();
      in_word = false;
    }
  }
  if (in_word) out.end_word();
}

// Word segments of `normalized` appended to `out`.
void append_words(const icu::UnicodeString& normalized, icu::BreakIterator* bi, word_list& out) {
  if (!bi) return;
  bi->setText(normalized);
  int32_t start = bi->first();
  for (int32_t end = bi->next(); end != icu::BreakIterator::DONE; start = end, end = bi->next()) {
    if (bi->getRuleStatus() == UBRK_WORD_NONE) continue;
    normalized.tempSubStringBetween(start, end).toUTF8String(out.bytes());
    out.end_word();
  }
  bi->setText(icu::UnicodeString());
}

}  // namespace

void normalized_words(std::string_view utf8, std::string_view locale, bool fold_accents,
                      word_list& out) {
  out.clear();
  const word_breaker& breaker = word_iterator(locale);
  if (breaker.root_rules && is_ascii(utf8))
    ascii_words(utf8, out);
  else
    append_words(normalize_unicode(from_utf8(utf8), fold_accents), breaker.iterator.get(), out);
}

decoded_text decode_utf8(std::string_view utf8) {
  decoded_text out;
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  int32_t length = static_cast<int32_t>(std::min<std::size_t>(utf8.size(), INT32_MAX / 2));
  out.byte_offsets.reserve(length + 1);
  int32_t i = 0;
  while (i < length) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) c = 0xFFFD;
    out.text.append(c);
    out.byte_offsets.push_back(start);
    if (U_IS_SUPPLEMENTARY(c)) out.byte_offsets.push_back(start);
  }
  out.byte_offsets.push_back(length);
  return out;
}

icu::UnicodeString from_utf8(std::string_view utf8) {
  return icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(std::min<std::size_t>(
                                        utf8.size(), INT32_MAX / 2))));
}

std::string to_utf8(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}

std::string base_language(std::string_view locale) {
  auto end = locale.find_first_of("-_@.");
  std::string lang(locale.substr(0, end));
  for (auto& ch : lang) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return lang.empty() ? "en" : lang;
}

icu::UnicodeString fold(const icu::UnicodeString& text, bool fold_accents) {
  UErrorCode ec = U_ZERO_ERROR;
  const auto* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(ec);
  if (U_FAILURE(ec)) return text;
  icu::UnicodeString folded = nfkc_cf->normalize(text, ec);
  if (U_FAILURE(ec)) return text;
  if (!fold_accents) return folded;
  const auto* nfd = icu::Normalizer2::getNFDInstance(ec);
  const auto* nfc = icu::Normalizer2::getNFCInstance(ec);
  if (U_FAILURE(ec)) return folded;
  // Quick exit for pure ASCII, the common case.
  bool ascii = true;
  for (int32_t i = 0; i < folded.length() && ascii; ++i) ascii = folded.charAt(i) < 0x80;
  if (ascii) return folded;
  icu::UnicodeString decomposed = nfd->normalize(folded, ec);
  if (U_FAILURE(ec)) return folded;
  icu::UnicodeString kept;
  for (int32_t i = 0; i < decomposed.length();) {
    UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (is_combining_diacritic(c)) continue;
    if (const char16_t* replacement = letter_fold(c)) {
      kept.append(icu::UnicodeString(replacement));
    } else {
      kept.append(c);
    }
  }
  icu::UnicodeString composed = nfc->normalize(kept, ec);
  return U_FAILURE(ec) ? kept : composed;
}

icu::UnicodeString normalize_unicode(const icu::UnicodeString& text, bool fold_accents) {
  icu::UnicodeString folded = fold(text, fold_accents);
  // Collect code points first so neighbours can be inspected.
  std::vector<UChar32> cps;
  cps.reserve(folded.length());
  for (int32_t i = 0; i < folded.length();) {
    UChar32 c = folded.char32At(i);
    i += U16_LENGTH(c);
    cps.push_back(c);
  }
  icu::UnicodeString out;
  bool pending_space = false;
  for (std::size_t i = 0; i < cps.size(); ++i) {
    UChar32 c = cps[i];
    bool keep = true;
    if (u_isUWhiteSpace(c) || u_iscntrl(c) || c == 0xFFFD) {
      keep = false;
    } else if (u_ispunct(c)) {
      UChar32 prev = i > 0 ? cps[i - 1] : 0, next = i + 1 < cps.size() ? cps[i + 1] : 0;
      if (is_apostrophe(c) && is_alnum(prev) && u_hasBinaryProperty(next, UCHAR_ALPHABETIC)) {
        c = '\'';
      } else if ((c == '.' || c == ',') && u_isdigit(prev) && u_isdigit(next)) {
        // decimal or grouping separator inside a number
      } else {
        keep = false;
      }
    }
    if (!keep) {
      pending_space = true;
      continue;
    }
    if (pending_space && !out.isEmpty()) out.append(char16_t(' '));
    pending_space = false;
    out.append(c);
  }
  return out;
}

std::vector<std::string> segment_words(const icu::UnicodeString& normalized,
                                       std::string_view locale) {
  word_list list;
  append_words(normalized, word_iterator(locale).iterator.get(), list);
  return list.strings();
}

std::vector<token> tokenize(std::string_view text, std::string_view locale) {
  std::vector<token> out;
  decoded_text decoded = decode_utf8(text);
  icu::BreakIterator* bi = word_iterator(locale).iterator.get();
  if (!bi) return out;
  bi->setText(decoded.text);
  int32_t start = bi->first();
  for (int32_t end = bi->next(); end != icu::BreakIterator::DONE; start = end, end = bi->next()) {
    int32_t status = bi->getRuleStatus();
    icu::UnicodeString piece = decoded.text.tempSubStringBetween(start, end);
    bool blank = true;
    for (int32_t i = 0; i < piece.length() && blank; ++i) blank = u_isUWhiteSpace(piece.charAt(i));
    if (blank) continue;
    token t;
    t.kind = status >= UBRK_WORD_NUMBER && status < UBRK_WORD_NUMBER_LIMIT ? token_kind::number
             : status == UBRK_WORD_NONE                                    ? token_kind::other
                                                                          : token_kind::word;
    t.begin = decoded.byte_offsets[start];
    t.end = decoded.byte_offsets[end];
    piece.toUTF8String(t.raw);
    icu::UnicodeString exact = fold(piece, false);
    exact.toUTF8String(t.exact);
    fold(exact, true).toUTF8String(t.text);
    out.push_back(std::move(t));
  }
  bi->setText(icu::UnicodeString());
  return out;
}

}  // namespace rapport::dialogs::nlu::detail
