// The only file that uses libphonenumber (see cmake/dependencies.cmake and scripts/deps for how
// its headers are provided).
#include <phonenumbers/phonenumbermatch.h>
#include <phonenumbers/phonenumbermatcher.h>
#include <phonenumbers/phonenumberutil.h>

#include <cctype>
#include <set>

#include "nlu/extractors.hpp"

namespace rapport::dialogs::nlu::detail {

std::vector<entity> find_phones(std::string_view text, std::string_view region) {
  using i18n::phonenumbers::PhoneNumberMatch;
  using i18n::phonenumbers::PhoneNumberMatcher;
  using i18n::phonenumbers::PhoneNumberUtil;
  std::vector<entity> out;
  // Cheap exits: no phone number without at least five digits; bound the work on huge input.
  int digits = 0;
  for (char c : text) digits += std::isdigit(static_cast<unsigned char>(c)) ? 1 : 0;
  if (digits < 5 || text.size() > 4096) return out;
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  std::string region_code(region);
  for (auto& c : region_code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  static const std::set<std::string> supported = [&] {
    std::set<std::string> regions;
    util.GetSupportedRegions(&regions);
    return regions;
  }();
  if (!supported.count(region_code)) region_code = "ZZ";  // then only +country numbers parse
  std::string sanitized = sanitize_utf8(text);
  PhoneNumberMatcher matcher(util, sanitized, region_code, PhoneNumberMatcher::VALID, 64);
  PhoneNumberMatch match;
  while (matcher.HasNext() && out.size() < 16) {
    if (!matcher.Next(&match)) break;
    std::string e164;
    util.Format(match.number(), PhoneNumberUtil::E164, &e164);
    auto begin = static_cast<std::size_t>(match.start());
    out.push_back({"phone", value{e164}, "", begin, begin + match.length()});
  }
  return out;
}

}  // namespace rapport::dialogs::nlu::detail
