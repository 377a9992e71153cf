#include "loader/yaml_tree.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <map>
#include <sstream>

namespace rapport::dialogs::loader {

namespace {

bool is_continuation_byte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

int characters_between(const std::string& text, std::size_t begin, std::size_t end) {
  end = std::min(end, text.size());
  int n = 0;
  for (std::size_t i = begin; i < end; ++i) {
    if (!is_continuation_byte(text[i])) ++n;
  }
  return n;
}

std::size_t line_begin_of(const std::string& text, std::size_t offset) {
  offset = std::min(offset, text.size());
  auto nl = offset == 0 ? std::string::npos : text.rfind('\n', offset - 1);
  return nl == std::string::npos ? 0 : nl + 1;
}

// Byte offsets into one document → line:column (columns count code points). Walks on from the
// previous answer, since yaml-cpp's marks come in document order: rescanning the text from its
// start for every node made loading quadratic in the file's size.
class position_finder {
 public:
  position_finder(const std::string& text, std::string file) : text_(text), file_(std::move(file)) {
    for (std::size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') line_starts_.push_back(i + 1);
  }

  source_pos operator()(std::size_t offset) {
    offset = std::min(offset, text_.size());
    if (offset < at_) {  // backwards: restart at the beginning of offset's line
      auto next = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
      line_ = 1 + static_cast<int>(next - line_starts_.begin());
      at_ = next == line_starts_.begin() ? 0 : *(next - 1);
      column_ = 1;
    }
    for (; at_ < offset; ++at_) {
      if (text_[at_] == '\n') {
        ++line_;
        column_ = 1;
      } else if (!is_continuation_byte(text_[at_])) {
        ++column_;
      }
    }
    return {file_, line_, column_};
  }

 private:
  const std::string& text_;
  std::string file_;
  std::vector<std::size_t> line_starts_;  // offsets just after each '\n'
  std::size_t at_ = 0;
  int line_ = 1, column_ = 1;
};

// Thrown from inside the event handler to stop parsing a hostile document.
struct limit_exceeded {
  YAML::Mark mark;
  std::string message;
};

// yaml-cpp accepts a quoted scalar that runs to the end of the file, silently swallowing the rest
// of it; this finds the closing quote of the scalar opened at `at`.
bool has_closing_quote(const std::string& src, std::size_t at) {
  const char quote = src[at];
  for (std::size_t i = at + 1; i < src.size(); ++i) {
    if (quote == '"' && src[i] == '\\') {
      ++i;
    } else if (src[i] == quote) {
      if (quote == '\'' && i + 1 < src.size() && src[i + 1] == '\'') {
        ++i;
      } else {
        return true;
      }
    }
  }
  return false;
}

bool is_null_word(std::string_view s) {
  return s == "~" || s == "null" || s == "Null" || s == "NULL";
}

class tree_builder : public YAML::EventHandler {
 public:
  tree_builder(std::shared_ptr<const std::string> source, std::string file,
               std::vector<diagnostic>& diagnostics)
      : source_(std::move(source)),
        file_(std::move(file)),
        diagnostics_(diagnostics),
        position_of_(*source_, file_) {}

  node_ptr root() const { return root_; }
  int documents() const { return documents_; }
  YAML::Mark second_document() const { return second_document_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ == 2) second_document_ = mark;
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto n = make(node_kind::null, mark);
    bool explicit_null = false;
    if (mark.pos >= 0 && static_cast<std::size_t>(mark.pos) < source_->size()) {
      std::string_view rest(*source_);
      rest.remove_prefix(static_cast<std::size_t>(mark.pos));
      explicit_null = rest.starts_with("~") || rest.starts_with("null") ||
                      rest.starts_with("Null") || rest.starts_with("NULL");
    }
    // An empty value has no position of its own: yaml-cpp marks the next token. Use its key's.
    if (!explicit_null && !stack_.empty() && stack_.back().pending_key)
      n->pos = stack_.back().pending_key->pos;
    add(n, anchor, 1, mark);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end())
      throw limit_exceeded{mark, "this alias refers to a node that contains it"};
    add(it->second.first, 0, it->second.second, mark);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    if (tag == "!" && mark.pos >= 0 && static_cast<std::size_t>(mark.pos) < source_->size()) {
      char first = (*source_)[static_cast<std::size_t>(mark.pos)];
      if ((first == '"' || first == '\'') &&
          !has_closing_quote(*source_, static_cast<std::size_t>(mark.pos)))
        throw limit_exceeded{
            mark, std::string("unterminated quoted text: the closing ") + first + " is missing"};
    }
    auto n = make(node_kind::scalar, mark);
    n->text = value;
    n->plain = tag == "?";
    if (n->plain && is_null_word(value)) {
      n->kind = node_kind::null;
      n->text.clear();
    }
    locate_content(*n, mark, value);
    add(n, anchor, 1, mark);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(node_kind::sequence, mark, anchor);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(node_kind::map, mark, anchor);
  }
  void OnMapEnd() override {
    report_duplicate_keys(*stack_.back().container);
    close();
  }

 private:
  struct frame {
    std::shared_ptr<node> container;
    YAML::anchor_t anchor = 0;
    std::size_t count_at_start = 0;
    node_ptr pending_key;
    YAML::Mark mark;
  };

  std::shared_ptr<node> make(node_kind kind, const YAML::Mark& mark) {
    auto n = std::make_shared<node>();
    n->kind = kind;
    n->pos = position(mark);
    return n;
  }

  source_pos position(const YAML::Mark& mark) {
    if (mark.pos >= 0 && static_cast<std::size_t>(mark.pos) <= source_->size())
      return position_of_(static_cast<std::size_t>(mark.pos));
    return {file_, std::max(mark.line, 0) + 1, std::max(mark.column, 0) + 1};
  }

  void locate_content(node& n, const YAML::Mark& mark, const std::string& value) {
    if (mark.pos < 0 || value.find('\n') != std::string::npos) return;
    auto at = static_cast<std::size_t>(mark.pos);
    const std::string& src = *source_;
    if (at >= src.size()) return;
    std::size_t begin = std::string::npos;
    if (n.plain && src.compare(at, value.size(), value) == 0) {
      begin = at;
    } else if ((src[at] == '"' || src[at] == '\'') &&
               src.compare(at + 1, value.size(), value) == 0 &&
               at + 1 + value.size() < src.size() && src[at + 1 + value.size()] == src[at]) {
      begin = at + 1;
    }
    if (begin == std::string::npos) return;
    n.source = source_;
    n.content_begin = begin;
  }

  void count(std::size_t n, const YAML::Mark& mark) {
    total_ += n;
    if (total_ > max_yaml_nodes)
      throw limit_exceeded{mark, "the document is too large (more than " +
                                     std::to_string(max_yaml_nodes) +
                                     " nodes once aliases are expanded)"};
  }

  void add(node_ptr n, YAML::anchor_t anchor, std::size_t size, const YAML::Mark& mark) {
    count(size, mark);
    if (anchor != 0) anchors_[anchor] = {n, size};
    if (stack_.empty()) {
      if (!root_) root_ = std::move(n);
      return;
    }
    frame& top = stack_.back();
    if (top.container->kind == node_kind::sequence) {
      top.container->items.push_back(std::move(n));
    } else if (!top.pending_key) {
      top.pending_key = std::move(n);
    } else {
      top.container->entries.push_back({std::move(top.pending_key), std::move(n)});
      top.pending_key = nullptr;
    }
  }

  void open(node_kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (static_cast<int>(stack_.size()) >= max_yaml_depth)
      throw limit_exceeded{
          mark, "the document nests deeper than " + std::to_string(max_yaml_depth) + " levels"};
    count(1, mark);
    frame f;
    f.container = make(kind, mark);
    f.anchor = anchor;
    f.count_at_start = total_;
    f.mark = mark;
    stack_.push_back(std::move(f));
  }

  void close() {
    frame f = std::move(stack_.back());
    stack_.pop_back();
    std::size_t size = total_ - f.count_at_start + 1;
    total_ -= size;  // add() counts it again
    add(f.container, f.anchor, size, f.mark);
  }

  // Reports keys that are not text and repeated keys; a repeated key's entry is dropped (the
  // first one counts), so later stages do not report it a second time.
  void report_duplicate_keys(node& map) {
    std::map<std::string, const node*, std::less<>> seen;
    std::erase_if(map.entries, [&](const map_entry& e) {
      if (!e.key->is_scalar()) {
        diagnostics_.push_back(
            {severity::error, e.key->pos, "wrong-type",
             "keys must be text, got a " + std::string(e.key->is_map()        ? "map"
                                                       : e.key->is_sequence() ? "list"
                                                                              : "null"),
             ""});
        return false;
      }
      auto [it, inserted] = seen.emplace(e.key->text, e.key.get());
      if (inserted) return false;
      diagnostics_.push_back({severity::error, e.key->pos, "duplicate-key",
                              "duplicate key '" + e.key->text + "': already defined at line " +
                                  std::to_string(it->second->pos.line),
                              "remove one of them or merge their contents"});
      return true;
    });
  }

  std::shared_ptr<const std::string> source_;
  std::string file_;
  std::vector<diagnostic>& diagnostics_;
  position_finder position_of_;
  std::vector<frame> stack_;
  std::map<YAML::anchor_t, std::pair<node_ptr, std::size_t>> anchors_;
  node_ptr root_;
  std::size_t total_ = 0;
  int documents_ = 0;
  YAML::Mark second_document_;
};

}  // namespace

const map_entry* node::find_entry(std::string_view key) const {
  for (const auto& e : entries) {
    if (e.key->is_scalar() && e.key->text == key) return &e;
  }
  return nullptr;
}

const node* node::find(std::string_view key) const {
  const map_entry* e = find_entry(key);
  return e ? e->value.get() : nullptr;
}

source_pos node::pos_at(std::size_t offset) const {
  if (!source || content_begin == std::string::npos) return pos;
  std::size_t at = std::min(content_begin + std::min(offset, text.size()), source->size());
  return position_of(*source, at, pos.file);
}

source_pos node::pos_at_character(std::size_t skip, int offset) const {
  std::string_view rest(text);
  rest.remove_prefix(std::min(skip, rest.size()));
  return pos_at(skip + byte_offset(rest, offset));
}

std::size_t byte_offset(std::string_view text, int characters) {
  std::size_t i = 0;
  for (int n = 0; i < text.size(); ++i) {
    if (is_continuation_byte(text[i])) continue;
    if (n++ == characters) return i;
  }
  return text.size();
}

std::size_t find_word(std::string_view text, std::string_view word) {
  auto name_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.';
  };
  for (std::size_t at = text.find(word); at != std::string_view::npos;
       at = text.find(word, at + 1)) {
    bool starts = at == 0 || !name_char(text[at - 1]);
    bool ends = at + word.size() >= text.size() || !name_char(text[at + word.size()]);
    if (starts && ends) return at;
  }
  return std::string_view::npos;
}

source_pos position_of(const std::string& text, std::size_t offset, const std::string& file) {
  offset = std::min(offset, text.size());
  std::size_t begin = line_begin_of(text, offset);
  int line =
      1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(begin), '\n'));
  return {file, line, 1 + characters_between(text, begin, offset)};
}

yaml_document parse_yaml(std::string_view text, const std::string& file) {
  yaml_document doc;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 byte order mark
  auto source = std::make_shared<const std::string>(text);
  tree_builder builder(source, file, doc.diagnostics);
  auto syntax_error = [&](source_pos pos, std::string message) {
    doc.ok = false;
    doc.diagnostics.push_back({severity::error, std::move(pos), "yaml-syntax",
                               "YAML syntax error: " + std::move(message), ""});
  };
  try {
    std::istringstream in{*source};
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
      if (builder.documents() > 2) break;
    }
    if (builder.documents() >= 2) {
      const auto& m = builder.second_document();
      doc.diagnostics.push_back(
          {severity::error,
           position_of(*source, static_cast<std::size_t>(std::max(m.pos, 0)), file), "yaml-syntax",
           "a file holds one YAML document; found a second one here",
           "remove the '---' separator or split the file"});
    }
  } catch (const YAML::Exception& e) {
    source_pos pos{file, 1, 1};
    if (!e.mark.is_null() && e.mark.pos >= 0)
      pos = position_of(*source, static_cast<std::size_t>(e.mark.pos), file);
    syntax_error(pos, e.msg);
  } catch (const limit_exceeded& e) {
    syntax_error(position_of(*source, static_cast<std::size_t>(std::max(e.mark.pos, 0)), file),
                 e.message);
  } catch (const std::exception& e) {
    syntax_error({file, 1, 1}, e.what());
  }
  doc.root = doc.ok ? builder.root() : nullptr;
  if (!doc.root) {
    auto empty = std::make_shared<node>();
    empty->pos = {file, 1, 1};
    doc.root = empty;
  }
  return doc;
}

}  // namespace rapport::dialogs::loader
