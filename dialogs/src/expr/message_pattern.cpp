#include <unicode/numberformatter.h>
#include <unicode/parseerr.h>
#include <unicode/uchar.h>

#include "expr/message_arguments.hpp"
#include "expr/message_fallback.hpp"
#include "expr/message_impl.hpp"
#include "expr/message_syntax.hpp"

namespace rapport::dialogs {

namespace {

using expr::pattern_problem;

std::string utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

format_error error_at(const icu::UnicodeString& pattern, int32_t index, std::string message) {
  index = std::max<int32_t>(0, std::min(index, pattern.length()));
  return format_error{pattern.countChar32(0, index), std::move(message)};
}

// Words for the ICU errors the syntax reader could not explain itself.
std::string describe_icu_error(UErrorCode code) {
  switch (code) {
    case U_UNMATCHED_BRACES:
      return "unmatched '{': expected a '}' to close it";
    case U_DEFAULT_KEYWORD_MISSING:
      return "a plural or select needs an 'other' case";
    case U_INDEX_OUTOFBOUNDS_ERROR:
      return "the message is too long or nested too deeply";
    case U_ARGUMENT_TYPE_MISMATCH:
      return "use named arguments such as {name}";
    default:
      return std::string("invalid message pattern (") + u_errorName(code) + ")";
  }
}

// MessageFormat rejected a pattern MessagePattern accepted: a bad style such as a number
// skeleton or a date pattern. Find the argument by compiling each simple argument alone.
format_error locate_format_error(const icu::UnicodeString& pattern,
                                 const icu::MessagePattern& parts, const icu::Locale& locale,
                                 UErrorCode whole_error) {
  for (int32_t i = 0; i < parts.countParts(); ++i) {
    const auto& part = parts.getPart(i);
    if (part.getType() != UMSGPAT_PART_TYPE_ARG_START ||
        part.getArgType() != UMSGPAT_ARG_TYPE_SIMPLE) {
      continue;
    }
    const int32_t limit = parts.getPart(parts.getLimitPartIndex(i)).getLimit();
    icu::UnicodeString alone = pattern.tempSubStringBetween(part.getIndex(), limit);
    UErrorCode status = U_ZERO_ERROR;
    UParseError parse_error{};
    icu::MessageFormat format(alone, locale, parse_error, status);
    if (U_SUCCESS(status)) continue;
    const std::string name = utf8(parts.getSubstring(parts.getPart(i + 1)));
    const auto& style_part = parts.getPart(i + 3);
    if (style_part.getType() == UMSGPAT_PART_TYPE_ARG_STYLE) {
      int32_t start = style_part.getIndex();
      const int32_t end = style_part.getLimit();
      while (start < end && u_hasBinaryProperty(pattern.charAt(start), UCHAR_PATTERN_WHITE_SPACE)) {
        ++start;
      }
      const std::string style = utf8(pattern.tempSubStringBetween(start, end));
      const bool skeleton = style.rfind("::", 0) == 0;
      return error_at(pattern, start,
                      std::string("invalid ") + (skeleton ? "skeleton" : "style") + " '" + style +
                          "' for argument '" + name + "'");
    }
    return error_at(pattern, part.getIndex(), "invalid format for argument '" + name + "'");
  }
  return error_at(pattern, 0, describe_icu_error(whole_error));
}

}  // namespace

std::variant<message_pattern, format_error> message_pattern::compile(std::string_view pattern,
                                                                     std::string_view locale) {
  auto compiled = std::make_shared<impl>();
  compiled->source = std::string(pattern);
  compiled->pattern = icu::UnicodeString::fromUTF8(
      icu::StringPiece(pattern.data(), static_cast<int32_t>(pattern.size())));
  // "en", "de-CH" and "pt_BR" all work; an empty locale means ICU's root locale, never the
  // process's default, so rendering does not depend on the server's environment.
  compiled->locale =
      locale.empty() ? icu::Locale::getRoot() : icu::Locale(std::string(locale).c_str());
  if (compiled->locale.isBogus()) {
    return format_error{0, "unknown locale '" + std::string(locale) + "'"};
  }
  const icu::UnicodeString& text = compiled->pattern;

  if (auto problem = expr::check_nesting(text)) {
    return error_at(text, problem->index, std::move(problem->message));
  }
  UErrorCode status = U_ZERO_ERROR;
  UParseError parse_error{};
  compiled->parts = std::make_unique<icu::MessagePattern>(UMSGPAT_APOS_DOUBLE_OPTIONAL, status);
  compiled->parts->parse(text, &parse_error, status);
  if (U_FAILURE(status)) {
    if (auto problem = expr::explain_pattern_syntax(text)) {
      return error_at(text, problem->index, std::move(problem->message));
    }
    return error_at(text, parse_error.offset, describe_icu_error(status));
  }
  if (auto problem = expr::check_pattern_parts(*compiled->parts)) {
    return error_at(text, problem->index, std::move(problem->message));
  }

  status = U_ZERO_ERROR;
  compiled->format =
      std::make_unique<icu::MessageFormat>(text, compiled->locale, parse_error, status);
  if (U_FAILURE(status)) {
    return locate_format_error(text, *compiled->parts, compiled->locale, status);
  }

  auto usage = expr::analyse_arguments(*compiled->parts);
  compiled->argument_names = std::move(usage.names);
  compiled->uses = std::move(usage.uses);
  for (const auto& name : compiled->argument_names) {
    compiled->icu_argument_names.push_back(icu::UnicodeString::fromUTF8(name));
  }
  compiled->numbers = icu::number::NumberFormatter::withLocale(compiled->locale)
                          .precision(icu::number::Precision::maxFraction(3));
  status = U_ZERO_ERROR;
  compiled->cardinal_rules.reset(
      icu::PluralRules::forLocale(compiled->locale, UPLURAL_TYPE_CARDINAL, status));
  status = U_ZERO_ERROR;
  compiled->ordinal_rules.reset(
      icu::PluralRules::forLocale(compiled->locale, UPLURAL_TYPE_ORDINAL, status));
  compiled->date_zone.reset(icu::TimeZone::createDefault());

  message_pattern result;
  result.impl_ = std::move(compiled);
  return result;
}

std::string message_pattern::render(const value_map& arguments) const {
  if (!impl_) return {};
  const impl& m = *impl_;
  std::lock_guard lock(m.mutex);  // see message_impl.hpp for why this lock exists

  // Every used argument gets a value (missing → ""), so nothing renders as "{name}".
  std::vector<icu::Formattable> values;
  values.reserve(m.argument_names.size());
  bool icu_can_format = true;
  for (std::size_t i = 0; i < m.argument_names.size() && icu_can_format; ++i) {
    auto it = arguments.find(m.argument_names[i]);
    const value v = it == arguments.end() ? value{} : it->second;
    auto converted = expr::to_formattable(v, m.uses[i], *m.date_zone);
    if (!converted) {
      icu_can_format = false;
    } else {
      values.push_back(std::move(*converted));
    }
  }
  if (icu_can_format) {
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString out;
    m.format->format(m.icu_argument_names.data(), values.data(),
                     static_cast<int32_t>(values.size()), out, status);
    if (U_SUCCESS(status)) return utf8(out);
  }
  return utf8(expr::render_best_effort(m, arguments));
}

const std::vector<std::string>& message_pattern::argument_names() const {
  static const std::vector<std::string> none;
  return impl_ ? impl_->argument_names : none;
}

const std::string& message_pattern::source() const {
  static const std::string empty;
  return impl_ ? impl_->source : empty;
}

}  // namespace rapport::dialogs
