#pragma once
// UTF-8 helpers shared by expressions and messages: counting characters (code points) and
// Unicode-aware case mapping through ICU.
#include <cstddef>
#include <string>
#include <string_view>

namespace rapport::dialogs::expr {

// Number of code points in `text` (continuation bytes of malformed UTF-8 are not counted).
int count_code_points(std::string_view text);

// The character offset of byte `byte_offset` in `text`.
inline int char_offset(std::string_view text, std::size_t byte_offset) {
  return count_code_points(text.substr(0, byte_offset));
}

// The whole UTF-8 sequence starting at `byte_offset` (one character), for error messages;
// control characters are shown as "U+0009".
std::string character_at(std::string_view text, std::size_t byte_offset);

// Full Unicode case mapping, independent of any locale ("STRASSE" ↔ "straße" rules of root).
std::string to_lower(std::string_view text);
std::string to_upper(std::string_view text);

}  // namespace rapport::dialogs::expr
