#include "loader/names.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

namespace rapport::dialogs::loader {

namespace {
bool lower(char c) {
  return c >= 'a' && c <= 'z';
}
bool digit(char c) {
  return c >= '0' && c <= '9';
}
bool alpha(char c) {
  return lower(c) || (c >= 'A' && c <= 'Z');
}
}  // namespace

bool is_identifier(std::string_view s) {
  if (s.empty() || !lower(s[0]) || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return lower(c) || digit(c) || c == '_'; });
}

bool is_message_key(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  std::size_t start = 0;
  while (true) {
    auto dot = s.find('.', start);
    if (!is_identifier(s.substr(start, dot == std::string_view::npos ? dot : dot - start)))
      return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool is_bot_name(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return alpha(c) || digit(c) || c == '-' || c == '_'; });
}

bool is_locale(std::string_view s) {
  auto sep = s.find_first_of("-_");
  auto language = s.substr(0, sep);
  if (language.size() < 2 || language.size() > 3 ||
      !std::all_of(language.begin(), language.end(), lower))
    return false;
  while (sep != std::string_view::npos) {
    s.remove_prefix(sep + 1);
    sep = s.find_first_of("-_");
    auto sub = s.substr(0, sep);
    if (sub.size() < 2 || sub.size() > 8 ||
        !std::all_of(sub.begin(), sub.end(), [](char c) { return alpha(c) || digit(c); }))
      return false;
  }
  return true;
}

std::string suggest_identifier(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (alpha(c) || digit(c)) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  while (!out.empty() && !lower(out[0])) out.erase(0, 1);
  return out;
}

int edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

std::string closest(std::string_view name, const std::vector<std::string>& candidates) {
  if (name.empty() || name.size() > 64) return {};
  std::string lowered;
  for (char c : name) lowered += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const int limit = name.size() <= 3 ? 1 : name.size() <= 6 ? 2 : 3;
  std::string best;
  int best_distance = std::numeric_limits<int>::max();
  for (const auto& c : candidates) {
    if (c == name || c.size() > 64) continue;
    int d = std::min(edit_distance(name, c), edit_distance(lowered, c));
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best_distance <= limit ? best : std::string{};
}

std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates) {
  auto c = closest(name, candidates);
  return c.empty() ? std::string{} : "did you mean '" + c + "'?";
}

std::string quoted_list(const std::vector<std::string>& names, std::string_view last) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " " + std::string(last) + " " : ", ";
    out += "'" + names[i] + "'";
  }
  return out;
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view s) {
  using namespace std::chrono;
  if (s.empty()) return std::nullopt;
  milliseconds total{0};
  int last_rank = 6;  // units must come in decreasing order: d, h, m, s, ms
  while (!s.empty()) {
    std::size_t i = 0;
    long long n = 0;
    while (i < s.size() && digit(s[i])) {
      n = n * 10 + (s[i] - '0');
      if (n > 1000000000) return std::nullopt;
      ++i;
    }
    if (i == 0) return std::nullopt;
    s.remove_prefix(i);
    int rank;
    milliseconds unit;
    if (s.starts_with("ms")) {
      rank = 1, unit = milliseconds(1), s.remove_prefix(2);
    } else if (s.starts_with("d")) {
      rank = 5, unit = hours(24), s.remove_prefix(1);
    } else if (s.starts_with("h")) {
      rank = 4, unit = hours(1), s.remove_prefix(1);
    } else if (s.starts_with("m")) {
      rank = 3, unit = minutes(1), s.remove_prefix(1);
    } else if (s.starts_with("s")) {
      rank = 2, unit = seconds(1), s.remove_prefix(1);
    } else {
      return std::nullopt;
    }
    if (rank >= last_rank) return std::nullopt;
    last_rank = rank;
    total += unit * n;
  }
  return total;
}

}  // namespace rapport::dialogs::loader
