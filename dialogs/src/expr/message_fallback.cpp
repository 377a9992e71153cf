#include "expr/message_fallback.hpp"

#include <optional>

#include "expr/number_text.hpp"

namespace rapport::dialogs::expr {

namespace {

class best_effort_renderer {
 public:
  best_effort_renderer(const message_pattern::impl& impl, const value_map& arguments)
      : impl_(impl), parts_(*impl.parts), arguments_(arguments) {}

  icu::UnicodeString run() {
    icu::UnicodeString out;
    if (parts_.countParts() > 0) render_message(0, nullptr, out);
    return out;
  }

 private:
  value argument(const icu::UnicodeString& name) const {
    std::string key;
    name.toUTF8String(key);
    auto it = arguments_.find(key);
    return it == arguments_.end() ? value{} : it->second;
  }

  icu::UnicodeString format_number(double d) const {
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString out = impl_.numbers.formatDouble(d, status).toString(status);
    if (U_FAILURE(status)) return icu::UnicodeString::fromUTF8(to_text(d));
    return out;
  }

  icu::UnicodeString display(const value& v) const {
    if (const double* d = std::get_if<double>(&v)) return format_number(*d);
    return icu::UnicodeString::fromUTF8(to_text(v));
  }

  static std::optional<double> numeric(const value& v) {
    if (const double* d = std::get_if<double>(&v)) return *d;
    if (const std::string* s = std::get_if<std::string>(&v)) return parse_number_text(*s);
    return std::nullopt;
  }

  // Mirrors MessageFormat::format: literal text between parts, apostrophes dropped where the
  // pattern quoted, `#` replaced by the enclosing plural's number.
  void render_message(int32_t msg_start, const icu::UnicodeString* number_text,
                      icu::UnicodeString& out) const {
    const icu::UnicodeString& pattern = parts_.getPatternString();
    int32_t previous = parts_.getPart(msg_start).getLimit();
    for (int32_t i = msg_start + 1; i < parts_.countParts(); ++i) {
      const auto& part = parts_.getPart(i);
      const UMessagePatternPartType type = part.getType();
      out.append(pattern, previous, part.getIndex() - previous);
      if (type == UMSGPAT_PART_TYPE_MSG_LIMIT) return;
      previous = part.getLimit();
      if (type == UMSGPAT_PART_TYPE_REPLACE_NUMBER) {
        if (number_text) out.append(*number_text);
        continue;
      }
      if (type != UMSGPAT_PART_TYPE_ARG_START) continue;
      const int32_t arg_limit = parts_.getLimitPartIndex(i);
      render_argument(i, out);
      previous = parts_.getPart(arg_limit).getLimit();
      i = arg_limit;
    }
  }

  struct sub_message {
    icu::UnicodeString selector;
    std::optional<double> exact;  // =N
    int32_t msg_start = 0;
  };

  std::vector<sub_message> sub_messages(int32_t arg_start) const {
    std::vector<sub_message> out;
    const int32_t limit = parts_.getLimitPartIndex(arg_start);
    int32_t k = arg_start + 2;  // after ARG_START and ARG_NAME
    if (k < limit && (parts_.getPartType(k) == UMSGPAT_PART_TYPE_ARG_INT ||
                      parts_.getPartType(k) == UMSGPAT_PART_TYPE_ARG_DOUBLE)) {
      ++k;  // plural offset
    }
    while (k < limit && parts_.getPartType(k) == UMSGPAT_PART_TYPE_ARG_SELECTOR) {
      sub_message sub;
      sub.selector = parts_.getSubstring(parts_.getPart(k++));
      if (parts_.getPartType(k) == UMSGPAT_PART_TYPE_ARG_INT ||
          parts_.getPartType(k) == UMSGPAT_PART_TYPE_ARG_DOUBLE) {
        sub.exact = parts_.getNumericValue(parts_.getPart(k++));
      }
      if (parts_.getPartType(k) != UMSGPAT_PART_TYPE_MSG_START) break;
      sub.msg_start = k;
      out.push_back(sub);
      k = parts_.getLimitPartIndex(k) + 1;
    }
    return out;
  }

  static const sub_message* find_case(const std::vector<sub_message>& subs,
                                      const icu::UnicodeString& keyword) {
    for (const auto& sub : subs) {
      if (!sub.exact && sub.selector == keyword) return &sub;
    }
    for (const auto& sub : subs) {
      if (sub.selector == u"other") return &sub;
    }
    return nullptr;
  }

  void render_argument(int32_t arg_start, icu::UnicodeString& out) const {
    const UMessagePatternArgType type = parts_.getPart(arg_start).getArgType();
    const value v = argument(parts_.getSubstring(parts_.getPart(arg_start + 1)));
    if (type == UMSGPAT_ARG_TYPE_SELECT) {
      const auto subs = sub_messages(arg_start);
      if (const auto* sub = find_case(subs, icu::UnicodeString::fromUTF8(to_text(v)))) {
        render_message(sub->msg_start, nullptr, out);
      }
      return;
    }
    if (type == UMSGPAT_ARG_TYPE_PLURAL || type == UMSGPAT_ARG_TYPE_SELECTORDINAL) {
      render_plural(arg_start, type, v, out);
      return;
    }
    out.append(display(v));  // NONE, SIMPLE (style ignored), CHOICE (rejected at compile)
  }

  void render_plural(int32_t arg_start, UMessagePatternArgType type, const value& v,
                     icu::UnicodeString& out) const {
    const auto subs = sub_messages(arg_start);
    const std::optional<double> number = numeric(v);
    if (!number) {
      const icu::UnicodeString shown = display(v);
      if (const auto* sub = find_case(subs, u"other")) render_message(sub->msg_start, &shown, out);
      return;
    }
    for (const auto& sub : subs) {
      if (sub.exact && *sub.exact == *number) {
        const icu::UnicodeString shown = format_number(*number - parts_.getPluralOffset(arg_start));
        render_message(sub.msg_start, &shown, out);
        return;
      }
    }
    const double relative = *number - parts_.getPluralOffset(arg_start);
    const icu::PluralRules* rules =
        type == UMSGPAT_ARG_TYPE_PLURAL ? impl_.cardinal_rules.get() : impl_.ordinal_rules.get();
    const icu::UnicodeString keyword =
        rules ? rules->select(relative) : icu::UnicodeString(u"other");
    const icu::UnicodeString shown = format_number(relative);
    if (const auto* sub = find_case(subs, keyword)) render_message(sub->msg_start, &shown, out);
  }

  const message_pattern::impl& impl_;
  const icu::MessagePattern& parts_;
  const value_map& arguments_;
};

}  // namespace

icu::UnicodeString render_best_effort(const message_pattern::impl& impl,
                                      const value_map& arguments) {
  return best_effort_renderer(impl, arguments).run();
}

}  // namespace rapport::dialogs::expr
