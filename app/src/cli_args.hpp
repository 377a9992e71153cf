#pragma once
// A tiny command-line parser: positional arguments, `--name value` options and `--switch` flags.
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace rapport::app {

class cli_args {
 public:
  // `options` take a value; `switches` don't. Anything else starting with "--" is an error.
  cli_args(const std::vector<std::string>& args, std::set<std::string> options,
           std::set<std::string> switches) {
    for (std::size_t i = 0; i < args.size(); ++i) {
      const std::string& a = args[i];
      if (!a.starts_with("--") || a == "--") {
        positional_.push_back(a);
        continue;
      }
      std::string name = a.substr(2), value;
      if (auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name.resize(eq);
      } else if (options.count(name) != 0) {
        if (i + 1 >= args.size()) throw std::invalid_argument("--" + name + " needs a value");
        value = args[++i];
      }
      if (options.count(name) == 0 && switches.count(name) == 0)
        throw std::invalid_argument("unknown option --" + name);
      values_[name] = value;
    }
  }

  const std::vector<std::string>& positional() const { return positional_; }
  bool has(const std::string& name) const { return values_.count(name) != 0; }
  std::string get(const std::string& name, std::string fallback = "") const {
    auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
  }

 private:
  std::vector<std::string> positional_;
  std::map<std::string, std::string> values_;
};

}  // namespace rapport::app
