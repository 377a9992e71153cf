#pragma once
// A YAML document as a small tree with 1-based positions on every node (keys included), built from
// yaml-cpp's event parser so that nothing of yaml-cpp leaks out and untrusted input never throws.
// A duplicate key is reported by parse_yaml and only its first entry kept; aliases share nodes.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rapport/dialogs/diagnostic.hpp"

namespace rapport::dialogs::loader {

enum class node_kind { null, scalar, sequence, map };

struct node;
using node_ptr = std::shared_ptr<const node>;

struct map_entry {
  node_ptr key;
  node_ptr value;
};

struct node {
  node_kind kind = node_kind::null;
  std::string text;                // scalars: the value; keys are scalars too
  bool plain = false;              // an unquoted scalar: may stand for a number, a boolean or null
  source_pos pos;                  // where the node starts (for an empty value: its key)
  std::vector<node_ptr> items;     // sequence
  std::vector<map_entry> entries;  // map, in document order

  // Where the scalar's characters start in the file, when they appear verbatim on one line
  // (plain or quoted without escapes); lets errors point inside the text.
  std::shared_ptr<const std::string> source;
  std::size_t content_begin = std::string::npos;

  bool is_null() const { return kind == node_kind::null; }
  bool is_scalar() const { return kind == node_kind::scalar; }
  bool is_sequence() const { return kind == node_kind::sequence; }
  bool is_map() const { return kind == node_kind::map; }

  // The value of the first entry with this key, or nullptr.
  const node* find(std::string_view key) const;
  const map_entry* find_entry(std::string_view key) const;

  // Position of the byte at `offset` inside the scalar's text; the node's position when the
  // text does not appear verbatim in the file.
  source_pos pos_at(std::size_t offset) const;
  // Same for the `offset`-th character (code point) after byte `skip` of the text.
  source_pos pos_at_character(std::size_t skip, int offset) const;
};

struct yaml_document {
  node_ptr root;                        // never null: an empty file is a null node
  std::vector<diagnostic> diagnostics;  // syntax errors, duplicate keys, ... (errors)
  bool ok = true;                       // false when the syntax was broken
};

// Nesting and alias expansion limits, so hostile files cannot exhaust the stack or memory.
inline constexpr int max_yaml_depth = 64;
inline constexpr std::size_t max_yaml_nodes = 200000;

yaml_document parse_yaml(std::string_view text, const std::string& file);

// Byte offset of the `characters`-th code point of `text` (clamped to its size).
std::size_t byte_offset(std::string_view text, int characters);
// Byte offset of the first occurrence of `word` in `text` not inside a longer name; npos if none.
std::size_t find_word(std::string_view text, std::string_view word);

// Column (1-based, in characters) of the byte at `offset` in `text`, and its line (1-based).
source_pos position_of(const std::string& text, std::size_t offset, const std::string& file);

}  // namespace rapport::dialogs::loader
