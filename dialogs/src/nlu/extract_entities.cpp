// extract_entities() and parse_number(): run the extractors and resolve overlaps.
#include <algorithm>

#include "nlu/extractors.hpp"

namespace rapport::dialogs::nlu {
namespace {

constexpr std::size_t max_text_bytes = 8192;  // longer messages are read up to this point

bool overlaps(const entity& a, const entity& b) { return a.begin < b.end && b.begin < a.end; }

}  // namespace

std::vector<entity> extract_entities(const request& r, const config& cfg,
                                     const std::vector<lookup_entity>& lookups) {
  return detail::extract_entities(r, cfg, detail::lookup_matcher(lookups));
}

std::vector<entity> detail::extract_entities(const request& r, const config& cfg,
                                             const lookup_matcher& lookups) {
  std::string_view text = r.text.substr(0, std::min(r.text.size(), max_text_bytes));
  auto tokens = detail::tokenize(text, r.locale);
  auto numbers = detail::find_numbers(tokens, r.locale);

  // Built-ins by priority: a span claimed by an earlier kind is not reported again.
  std::vector<entity> accepted;
  auto offer = [&](std::vector<entity> found) {
    for (auto& e : found) {
      bool clash = std::any_of(accepted.begin(), accepted.end(),
                               [&](const entity& a) { return overlaps(a, e); });
      if (!clash) accepted.push_back(std::move(e));
    }
  };
  offer(detail::find_emails(text));
  offer(detail::find_dates(tokens, r.locale, r.now, r.time_zone));
  offer(detail::find_quantities(tokens, numbers, r.locale));
  offer(detail::find_phones(text, cfg.phone_region));
  std::vector<entity> plain;
  for (const auto& n : numbers)
    plain.push_back({"number", value{n.value}, "", tokens[n.first].begin, tokens[n.last - 1].end});
  offer(std::move(plain));

  auto found = lookups.find(tokens, r.locale, cfg.fold_accents);
  accepted.insert(accepted.end(), found.begin(), found.end());
  std::stable_sort(accepted.begin(), accepted.end(), [](const entity& a, const entity& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  return accepted;
}

std::optional<double> parse_number(std::string_view text, std::string_view locale) {
  text = text.substr(0, std::min(text.size(), max_text_bytes));
  auto tokens = detail::tokenize(text, locale);
  auto numbers = detail::find_numbers(tokens, locale);
  if (numbers.empty()) return std::nullopt;
  const auto& n = numbers.front();
  double v = n.value;
  // A minus sign written right before the digits.
  if (!n.spelled && n.first > 0) {
    const auto& prev = tokens[n.first - 1];
    bool minus = prev.raw == "-" || prev.raw == "\xE2\x88\x92";  // U+2212
    bool number_before = n.first > 1 && tokens[n.first - 2].kind == detail::token_kind::number &&
                         tokens[n.first - 2].end == prev.begin;
    if (minus && prev.end == tokens[n.first].begin && !number_before) v = -v;
  }
  return v;
}

}  // namespace rapport::dialogs::nlu
