#pragma once
// The built-in entity extractors. Each finds its entities in the original text and reports byte
// offsets into it; extract_entities() combines them and resolves overlaps.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "nlu/number_words.hpp"
#include "nlu/unicode_text.hpp"
#include "rapport/dialogs/nlu.hpp"

namespace rapport::dialogs::nlu::detail {

// Copy of `text` with every byte of an ill-formed UTF-8 sequence replaced by '?', so byte offsets
// stay those of the original.
std::string sanitize_utf8(std::string_view text);

std::vector<entity> find_emails(std::string_view text);

// libphonenumber; `region` is the default region ("US") for numbers without +country.
std::vector<entity> find_phones(std::string_view text, std::string_view region);

// ISO dates, today/tomorrow/..., weekday names, next week/month/year, "23 November".
std::vector<entity> find_dates(const std::vector<token>& tokens, std::string_view locale,
                               sys_ms now, std::string_view time_zone);

// Money ("$40", "40 euros"), percentages ("15%"), durations ("two weeks", in seconds).
std::vector<entity> find_quantities(const std::vector<token>& tokens,
                                    const std::vector<number_match>& numbers,
                                    std::string_view locale);

// Lookup entities: a value's synonyms (and the value itself) as whole words. The synonyms are
// normalised and segmented once per locale and remembered (a bot's model keeps one matcher), so
// a parse only compares words.
class lookup_matcher {
 public:
  explicit lookup_matcher(std::vector<lookup_entity> lookups) : lookups_(std::move(lookups)) {}
  lookup_matcher(const lookup_matcher&) = delete;  // its synonyms point into lookups_
  lookup_matcher& operator=(const lookup_matcher&) = delete;

  std::vector<entity> find(const std::vector<token>& tokens, std::string_view locale,
                           bool fold_accents) const;

 private:
  struct synonym {
    std::vector<std::string> words;
    const lookup_entity* entity;
    const lookup_value* value;
  };
  using synonyms = std::vector<synonym>;  // longest first, declaration order among equals
  std::shared_ptr<const synonyms> synonyms_for(std::string_view locale, bool fold_accents) const;

  std::vector<lookup_entity> lookups_;
  mutable std::mutex mutex_;
  // By locale (and accent folding). Bounded: the locale comes from the visitor.
  mutable std::map<std::string, std::shared_ptr<const synonyms>, std::less<>> by_locale_;
};

std::vector<entity> extract_entities(const request& r, const config& cfg, const lookup_matcher& lookups);

}  // namespace rapport::dialogs::nlu::detail
