// Public text functions: normalize() and words().
#include "nlu/unicode_text.hpp"
#include "rapport/dialogs/nlu.hpp"

namespace rapport::dialogs::nlu {

std::string normalize(std::string_view text, std::string_view locale,
                      const normalize_options& options) {
  return detail::to_utf8(detail::normalize_unicode(detail::from_utf8(text), options.fold_accents));
}

std::vector<std::string> words(std::string_view text, std::string_view locale,
                               const normalize_options& options) {
  detail::word_list list;
  detail::normalized_words(text, locale, options.fold_accents, list);
  return list.strings();
}

}  // namespace rapport::dialogs::nlu
