#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>

#include "nlu/extractors.hpp"

namespace rapport::dialogs::nlu::detail {
namespace {

bool local_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '%' ||
         c == '+' || c == '-' || c == '\'';
}
bool domain_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
}

}  // namespace

std::string sanitize_utf8(std::string_view text) {
  std::string out(text);
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t length = static_cast<int32_t>(std::min<std::size_t>(text.size(), INT32_MAX / 2));
  out.resize(length);
  for (int32_t i = 0; i < length;) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0)
      for (int32_t k = start; k < i; ++k) out[k] = '?';
  }
  return out;
}

std::vector<entity> find_emails(std::string_view text) {
  std::vector<entity> out;
  std::size_t resume = 0;  // never scan a byte twice: linear in the text's length
  for (std::size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    if (at < resume) continue;
    std::size_t begin = at;
    while (begin > resume && local_char(text[begin - 1])) --begin;
    while (begin < at && (text[begin] == '.' || text[begin] == '\'')) ++begin;
    std::size_t end = at + 1;
    while (end < text.size() && domain_char(text[end])) ++end;
    while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-')) --end;
    resume = end;
    if (begin == at || end <= at + 1 || text[at - 1] == '.') continue;
    std::string_view domain = text.substr(at + 1, end - at - 1);
    auto last_dot = domain.rfind('.');
    if (last_dot == std::string_view::npos || domain.front() == '.' || domain.front() == '-' ||
        domain.find("..") != std::string_view::npos)
      continue;
    std::string_view tld = domain.substr(last_dot + 1);
    if (tld.size() < 2 ||
        !std::all_of(tld.begin(), tld.end(), [](char c) { return std::isalpha((unsigned char)c); }))
      continue;
    std::string address(text.substr(begin, at - begin + 1));
    for (char c : domain) address += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.push_back({"email", value{address}, "", begin, end});
  }
  return out;
}

}  // namespace rapport::dialogs::nlu::detail
