#include "expr/message_syntax.hpp"

#include <unicode/uchar.h>

#include <algorithm>
#include <set>
#include <vector>

#include "expr/suggest.hpp"

namespace rapport::dialogs::expr {

namespace {

const std::vector<std::string>& all_types() {
  static const std::vector<std::string> types{"plural",   "select",  "selectordinal",
                                              "number",   "date",    "time",
                                              "spellout", "ordinal", "duration"};
  return types;
}

const std::vector<std::string>& plural_cases() {
  static const std::vector<std::string> cases{"zero", "one", "two", "few", "many", "other"};
  return cases;
}

std::string utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

std::string ascii_lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::string unknown_type_message(const std::string& type) {
  std::string message = "unknown argument type '" + type + "'";
  if (auto suggestion = closest_match(type, all_types())) {
    message += " (did you mean '" + *suggestion + "'?)";
  } else {
    message += " (use plural, select, selectordinal, number, date or time)";
  }
  return message;
}

std::string unknown_case_message(const std::string& selector) {
  std::string message = "unknown plural case '" + selector + "'";
  if (auto suggestion = closest_match(selector, plural_cases())) {
    message += " (did you mean '" + *suggestion + "'?)";
  } else {
    message += " (use zero, one, two, few, many, other or an exact value such as =0)";
  }
  return message;
}

bool is_plural_case(const std::string& selector) {
  if (!selector.empty() && selector[0] == '=') return selector.size() > 1;
  const auto& cases = plural_cases();
  return std::find(cases.begin(), cases.end(), selector) != cases.end();
}

bool is_white(UChar c) {
  return u_hasBinaryProperty(c, UCHAR_PATTERN_WHITE_SPACE);
}

// Reads a pattern the way icu::MessagePattern does (apostrophe mode DOUBLE_OPTIONAL) and stops
// at the first problem.
class syntax_reader {
 public:
  explicit syntax_reader(const icu::UnicodeString& p) : p_(p), n_(p.length()) {}

  std::optional<pattern_problem> run() {
    message(false, false, 0);
    return problem_;
  }

 private:
  UChar at(int32_t k) const { return k < n_ ? p_.charAt(k) : 0; }
  bool done() const { return i_ >= n_; }
  void skip_white() {
    while (!done() && is_white(p_.charAt(i_))) ++i_;
  }
  bool fail(int32_t index, std::string message) {
    if (!problem_) problem_ = pattern_problem{index, std::move(message)};
    return false;
  }
  bool unmatched(int32_t open) { return fail(open, "unmatched '{': expected a '}' to close it"); }
  std::string text(int32_t start, int32_t end) const {
    return utf8(p_.tempSubStringBetween(start, end));
  }
  std::string found() const {
    if (done()) return "the end of the message";
    return "'" + text(i_, i_ + (U16_IS_LEAD(p_.charAt(i_)) ? 2 : 1)) + "'";
  }

  // Skips a quoted literal starting at an apostrophe; true when it was one.
  bool skip_quote(bool in_plural) {
    UChar next = at(i_ + 1);
    if (next == u'\'') {
      i_ += 2;
      return true;
    }
    if (next != u'{' && next != u'}' && next != u'|' && !(in_plural && next == u'#')) return false;
    i_ += 1;
    while (!done()) {
      if (p_.charAt(i_) == u'\'') {
        if (at(i_ + 1) == u'\'') {
          i_ += 2;
          continue;
        }
        ++i_;
        return true;
      }
      ++i_;
    }
    return true;  // an unterminated quote runs to the end, as in ICU
  }

  bool message(bool nested, bool in_plural, int32_t open) {
    while (!done()) {
      UChar c = p_.charAt(i_);
      if (c == u'\'' && skip_quote(in_plural)) continue;
      if (c == u'{') {
        if (!argument()) return false;
        continue;
      }
      ++i_;
      if (c == u'}' && nested) return true;
    }
    return nested ? unmatched(open) : true;
  }

  bool argument() {
    const int32_t open = i_++;
    // ICU gives up far earlier (255 levels); this keeps hostile nesting from exhausting the stack.
    if (++depth_ > max_depth) return fail(open, "the message is nested too deeply");
    struct leave {
      int& depth;
      ~leave() { --depth; }
    } guard{depth_};
    skip_white();
    const int32_t name_start = i_;
    while (!done()) {
      UChar c = p_.charAt(i_);
      if (is_white(c) || c == u',' || c == u'{' || c == u'}') break;
      ++i_;
    }
    const std::string name = text(name_start, i_);
    if (done()) return unmatched(open);
    if (name.empty()) return fail(i_, "expected an argument name after '{' but found " + found());
    for (int32_t k = name_start; k < i_; ++k) {
      if (u_hasBinaryProperty(p_.char32At(k), UCHAR_PATTERN_SYNTAX)) {
        return fail(name_start, "invalid argument name '" + name +
                                    "': use letters, digits and '_' (no dots or spaces)");
      }
    }
    skip_white();
    if (done()) return unmatched(open);
    if (p_.charAt(i_) == u'}') {
      ++i_;
      return true;
    }
    if (p_.charAt(i_) != u',') {
      return fail(
          i_, "expected ',' or '}' after the argument name '" + name + "' but found " + found());
    }
    ++i_;
    skip_white();
    const int32_t type_start = i_;
    while (!done() && u_isalpha(p_.charAt(i_))) ++i_;
    if (type_start == i_) {
      if (done()) return unmatched(open);
      return fail(i_,
                  "expected an argument type such as plural, select or number after ',' "
                  "but found " +
                      found());
    }
    const std::string type = ascii_lower(text(type_start, i_));
    if (type == "choice")
      return fail(type_start, "the 'choice' type is not supported; use plural or select");
    if (!is_complex_type(type) && !is_simple_type(type)) {
      return fail(type_start, unknown_type_message(type));
    }
    skip_white();
    if (done()) return unmatched(open);
    if (p_.charAt(i_) == u'}') {
      if (is_complex_type(type)) {
        return fail(i_,
                    "'" + type + "' needs cases, e.g. {" + name + ", " + type +
                        (type == "select" ? ", a {...} other {...}}" : ", one {...} other {...}}"));
      }
      ++i_;
      return true;
    }
    if (p_.charAt(i_) != u',') {
      return fail(i_, "expected ',' or '}' after the type '" + type + "' but found " + found());
    }
    ++i_;
    if (is_complex_type(type)) return cases(type, name, open);
    return style(open);
  }

  // A simple argument's style, up to its closing brace.
  bool style(int32_t open) {
    int depth = 0;
    while (!done()) {
      UChar c = p_.charAt(i_);
      if (c == u'\'' && skip_quote(false)) continue;
      ++i_;
      if (c == u'{') ++depth;
      if (c == u'}' && depth-- == 0) return true;
    }
    return unmatched(open);
  }

  bool cases(const std::string& type, const std::string& name, int32_t open) {
    const bool plural = type != "select";
    bool first = true;
    std::set<std::string> seen;
    while (true) {
      skip_white();
      if (done()) return unmatched(open);
      if (p_.charAt(i_) == u'}') {
        if (!seen.count("other")) {
          return fail(open,
                      "'" + type + "' needs an 'other' case (used when nothing else matches)");
        }
        ++i_;
        return true;
      }
      if (plural && first && p_.compare(i_, 7, u"offset:") == 0) {
        i_ += 7;
        skip_white();
        const int32_t number_start = i_;
        while (!done() && (u_isdigit(p_.charAt(i_)) || p_.charAt(i_) == u'.')) ++i_;
        if (number_start == i_) return fail(i_, "expected a number after 'offset:'");
        first = false;
        continue;
      }
      first = false;
      const int32_t selector_start = i_;
      while (!done()) {
        UChar c = p_.charAt(i_);
        if (is_white(c) || c == u'{' || c == u'}') break;
        ++i_;
      }
      const std::string selector = text(selector_start, i_);
      if (selector.empty()) {
        return fail(i_, std::string("expected a case such as ") +
                            (plural ? "'one' or 'other'" : "'other'") + " before '{'");
      }
      if (plural && !is_plural_case(selector))
        return fail(selector_start, unknown_case_message(selector));
      if (!seen.insert(selector).second) {
        return fail(selector_start, "duplicate case '" + selector + "' in '" + name + "'");
      }
      skip_white();
      if (done()) return unmatched(open);
      if (p_.charAt(i_) != u'{') {
        return fail(i_, "expected '{' after the case '" + selector + "' but found " + found());
      }
      const int32_t sub_open = i_++;
      if (!message(true, plural, sub_open)) return false;
    }
  }

  const icu::UnicodeString& p_;
  const int32_t n_;
  int32_t i_ = 0;
  int depth_ = 0;
  static constexpr int max_depth = 256;
  std::optional<pattern_problem> problem_;
};

}  // namespace

bool is_complex_type(const std::string& type) {
  return type == "plural" || type == "select" || type == "selectordinal";
}

bool is_simple_type(const std::string& type) {
  return type == "number" || type == "date" || type == "time" || type == "spellout" ||
         type == "ordinal" || type == "duration";
}

std::optional<pattern_problem> check_nesting(const icu::UnicodeString& pattern) {
  const int32_t n = pattern.length();
  int depth = 0;
  for (int32_t i = 0; i < n; ++i) {
    const UChar c = pattern.charAt(i);
    if (c == u'\'' && i + 1 < n) {
      const UChar next = pattern.charAt(i + 1);
      if (next == u'\'') {
        ++i;
        continue;
      }
      // In every ICU context an apostrophe before a brace starts a quoted literal; other
      // apostrophes are counted through (over-counting is the safe direction).
      if (next == u'{' || next == u'}') {
        i += 2;
        while (i < n &&
               !(pattern.charAt(i) == u'\'' && (i + 1 >= n || pattern.charAt(i + 1) != u'\''))) {
          i += pattern.charAt(i) == u'\'' ? 2 : 1;
        }
        continue;
      }
    }
    if (c == u'{' && ++depth > max_brace_depth) {
      return pattern_problem{i, "the message is nested too deeply (at most " +
                                    std::to_string(max_brace_depth) + " levels of braces)"};
    }
    if (c == u'}' && depth > 0) --depth;
  }
  return std::nullopt;
}

std::optional<pattern_problem> explain_pattern_syntax(const icu::UnicodeString& pattern) {
  return syntax_reader(pattern).run();
}

std::optional<pattern_problem> check_pattern_parts(const icu::MessagePattern& parts) {
  const icu::UnicodeString& p = parts.getPatternString();
  const int32_t count = parts.countParts();
  for (int32_t i = 0; i < count; ++i) {
    const auto& part = parts.getPart(i);
    switch (part.getType()) {
      case UMSGPAT_PART_TYPE_ARG_NUMBER:
        return pattern_problem{part.getIndex(), "numbered argument {" +
                                                    utf8(parts.getSubstring(part)) +
                                                    "}: use named arguments such as {name}"};
      case UMSGPAT_PART_TYPE_ARG_TYPE: {
        std::string type = ascii_lower(utf8(parts.getSubstring(part)));
        if (type == "choice") {
          return pattern_problem{part.getIndex(),
                                 "the 'choice' type is not supported; use plural or select"};
        }
        if (!is_simple_type(type))
          return pattern_problem{part.getIndex(), unknown_type_message(type)};
        break;
      }
      case UMSGPAT_PART_TYPE_ARG_START: {
        UMessagePatternArgType arg_type = part.getArgType();
        if (arg_type == UMSGPAT_ARG_TYPE_CHOICE) {
          int32_t k = parts.getPart(i + 1).getLimit();
          while (k < p.length() && (is_white(p.charAt(k)) || p.charAt(k) == u',')) ++k;
          return pattern_problem{k, "the 'choice' type is not supported; use plural or select"};
        }
        if (arg_type != UMSGPAT_ARG_TYPE_PLURAL && arg_type != UMSGPAT_ARG_TYPE_SELECT &&
            arg_type != UMSGPAT_ARG_TYPE_SELECTORDINAL) {
          break;
        }
        const std::string name = utf8(parts.getSubstring(parts.getPart(i + 1)));
        std::set<std::string> seen;
        const int32_t limit = parts.getLimitPartIndex(i);
        for (int32_t k = i + 2; k < limit; ++k) {
          const auto& selector = parts.getPart(k);
          if (selector.getType() != UMSGPAT_PART_TYPE_ARG_SELECTOR) continue;
          std::string text = utf8(parts.getSubstring(selector));
          if (arg_type != UMSGPAT_ARG_TYPE_SELECT && !is_plural_case(text)) {
            return pattern_problem{selector.getIndex(), unknown_case_message(text)};
          }
          if (!seen.insert(text).second) {
            return pattern_problem{selector.getIndex(),
                                   "duplicate case '" + text + "' in '" + name + "'"};
          }
          // Skip the sub-message so nested arguments' cases are checked on their own.
          while (k < limit && parts.getPart(k).getType() != UMSGPAT_PART_TYPE_MSG_START) ++k;
          k = parts.getLimitPartIndex(k);
        }
        break;
      }
      default:
        break;
    }
  }
  return std::nullopt;
}

}  // namespace rapport::dialogs::expr
