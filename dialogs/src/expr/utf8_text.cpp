#include "expr/utf8_text.hpp"

#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <cstdio>

namespace rapport::dialogs::expr {

namespace {
bool is_continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}
}  // namespace

int count_code_points(std::string_view text) {
  int count = 0;
  for (unsigned char c : text) {
    if (!is_continuation(c)) ++count;
  }
  return count;
}

std::string character_at(std::string_view text, std::size_t byte_offset) {
  if (byte_offset >= text.size()) return {};
  const auto first = static_cast<unsigned char>(text[byte_offset]);
  if (first < 0x20 || first == 0x7F) {  // control characters are shown by their code
    char code[8];
    std::snprintf(code, sizeof code, "U+%04X", first);
    return code;
  }
  std::size_t end = byte_offset + 1;
  while (end < text.size() && end - byte_offset < 4 &&
         is_continuation(static_cast<unsigned char>(text[end]))) {
    ++end;
  }
  return std::string(text.substr(byte_offset, end - byte_offset));
}

namespace {
icu::UnicodeString from_utf8(std::string_view text) {
  return icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
}
std::string to_utf8(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}
}  // namespace

std::string to_lower(std::string_view text) {
  icu::UnicodeString u = from_utf8(text);
  u.toLower(icu::Locale::getRoot());
  return to_utf8(u);
}

std::string to_upper(std::string_view text) {
  icu::UnicodeString u = from_utf8(text);
  u.toUpper(icu::Locale::getRoot());
  return to_utf8(u);
}

}  // namespace rapport::dialogs::expr
