#include "loader/reporter.hpp"

#include <algorithm>
#include <tuple>

namespace rapport::dialogs::loader {

void reporter::error(source_pos pos, std::string code, std::string message, std::string hint) {
  list_.push_back(
      {severity::error, std::move(pos), std::move(code), std::move(message), std::move(hint)});
}

void reporter::warning(source_pos pos, std::string code, std::string message, std::string hint) {
  list_.push_back(
      {severity::warning, std::move(pos), std::move(code), std::move(message), std::move(hint)});
}

void reporter::add(diagnostic d) {
  list_.push_back(std::move(d));
}

void reporter::add(const std::vector<diagnostic>& ds) {
  list_.insert(list_.end(), ds.begin(), ds.end());
}

bool reporter::has_errors() const {
  return dialogs::has_errors(list_);
}

std::vector<diagnostic> reporter::take() {
  auto key = [](const diagnostic& d) { return std::tie(d.pos.file, d.pos.line, d.pos.column); };
  std::stable_sort(list_.begin(), list_.end(),
                   [&](const diagnostic& a, const diagnostic& b) { return key(a) < key(b); });
  auto same = [&](const diagnostic& a, const diagnostic& b) {
    return key(a) == key(b) && a.level == b.level && a.code == b.code && a.message == b.message;
  };
  list_.erase(std::unique(list_.begin(), list_.end(), same), list_.end());
  return std::move(list_);
}

}  // namespace rapport::dialogs::loader
