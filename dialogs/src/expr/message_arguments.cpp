#include "expr/message_arguments.hpp"

#include <algorithm>
#include <chrono>

#include "expr/message_syntax.hpp"
#include "expr/number_text.hpp"

namespace rapport::dialogs::expr {

namespace {

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

void note_use(argument_use& use, const icu::MessagePattern& parts, int32_t arg_start) {
  switch (parts.getPart(arg_start).getArgType()) {
    case UMSGPAT_ARG_TYPE_NONE:
      use.plain = true;
      break;
    case UMSGPAT_ARG_TYPE_SELECT:
      use.select = true;
      break;
    case UMSGPAT_ARG_TYPE_PLURAL:
    case UMSGPAT_ARG_TYPE_SELECTORDINAL:
    case UMSGPAT_ARG_TYPE_CHOICE:
      use.numeric = true;
      break;
    case UMSGPAT_ARG_TYPE_SIMPLE: {
      std::string type = ascii_lower(utf8(parts.getSubstring(parts.getPart(arg_start + 2))));
      if (type == "date" || type == "time") {
        use.date = true;
      } else {
        use.numeric = true;
      }
      break;
    }
    default:
      break;
  }
}

}  // namespace

argument_usage analyse_arguments(const icu::MessagePattern& parts) {
  argument_usage usage;
  for (int32_t i = 0; i < parts.countParts(); ++i) {
    if (parts.getPart(i).getType() != UMSGPAT_PART_TYPE_ARG_START) continue;
    const auto& name_part = parts.getPart(i + 1);
    if (name_part.getType() != UMSGPAT_PART_TYPE_ARG_NAME) continue;
    std::string name = utf8(parts.getSubstring(name_part));
    auto it = std::find(usage.names.begin(), usage.names.end(), name);
    std::size_t index = static_cast<std::size_t>(it - usage.names.begin());
    if (it == usage.names.end()) {
      usage.names.push_back(std::move(name));
      usage.uses.emplace_back();
    }
    note_use(usage.uses[index], parts, i);
  }
  return usage;
}

std::optional<double> iso_date_to_udate(const std::string& text, const icu::TimeZone& zone) {
  auto digits = [&](std::size_t from, std::size_t count) -> std::optional<int> {
    int n = 0;
    for (std::size_t k = from; k < from + count; ++k) {
      if (text[k] < '0' || text[k] > '9') return std::nullopt;
      n = n * 10 + (text[k] - '0');
    }
    return n;
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto y = digits(0, 4);
  auto m = digits(5, 2);
  auto d = digits(8, 2);
  if (!y || !m || !d) return std::nullopt;
  using namespace std::chrono;
  const year_month_day date{year{*y}, month{static_cast<unsigned>(*m)},
                            day{static_cast<unsigned>(*d)}};
  if (!date.ok()) return std::nullopt;
  const double utc_midnight =
      static_cast<double>(duration_cast<milliseconds>(sys_days{date}.time_since_epoch()).count());
  UErrorCode status = U_ZERO_ERROR;
  int32_t raw = 0;
  int32_t dst = 0;
  zone.getOffset(utc_midnight, true, raw, dst, status);
  if (U_FAILURE(status)) return utc_midnight;
  return utc_midnight - raw - dst;
}

std::optional<icu::Formattable> to_formattable(const value& v, const argument_use& use,
                                               const icu::TimeZone& date_zone) {
  const value shown = std::holds_alternative<bool>(v) ? value{to_text(v)} : v;
  const double* number = std::get_if<double>(&shown);
  const std::string* text = std::get_if<std::string>(&shown);

  if (use.select && (use.numeric || use.date)) return std::nullopt;  // no single ICU type fits
  if (use.numeric) {
    if (number) return icu::Formattable(*number);
    if (text) {
      if (auto parsed = parse_number_text(*text)) return icu::Formattable(*parsed);
    }
    return std::nullopt;
  }
  if (use.date) {
    if (number) return icu::Formattable(*number, icu::Formattable::kIsDate);
    if (text) {
      if (auto date = iso_date_to_udate(*text, date_zone)) {
        return icu::Formattable(*date, icu::Formattable::kIsDate);
      }
    }
    return std::nullopt;
  }
  if (number && !use.select) return icu::Formattable(*number);
  return icu::Formattable(icu::UnicodeString::fromUTF8(to_text(shown)));
}

}  // namespace rapport::dialogs::expr
