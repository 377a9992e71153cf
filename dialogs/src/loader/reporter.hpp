#pragma once
// Collects a load's errors and warnings; every stage reports and carries on.
#include <string>
#include <vector>

#include "rapport/dialogs/diagnostic.hpp"

namespace rapport::dialogs::loader {

class reporter {
 public:
  void error(source_pos pos, std::string code, std::string message, std::string hint = {});
  void warning(source_pos pos, std::string code, std::string message, std::string hint = {});
  void add(diagnostic d);
  void add(const std::vector<diagnostic>& ds);

  bool has_errors() const;
  // Sorted by file, then line and column; exact repeats (a node shared by YAML aliases) dropped.
  std::vector<diagnostic> take();

 private:
  std::vector<diagnostic> list_;
};

}  // namespace rapport::dialogs::loader
