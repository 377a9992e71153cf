#include "nlu_dataset.hpp"

#include <boost/json.hpp>

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace rapport::app {
namespace {

namespace json = boost::json;
namespace nlu = dialogs::nlu;

bool is_out_of_scope_label(std::string_view label) { return label == "oos" || label.empty(); }

// [[text, label], ...]
std::vector<nlu::labelled_example> read_pairs(const json::value& v, const std::string& where,
                                              const std::string& locale) {
  std::vector<nlu::labelled_example> out;
  const auto* list = v.if_array();
  if (!list) throw std::runtime_error(where + ": expected a list of [text, label] pairs");
  for (const auto& item : *list) {
    const auto* pair = item.if_array();
    if (!pair || pair->size() != 2 || !(*pair)[0].is_string() || !(*pair)[1].is_string())
      throw std::runtime_error(where + ": every entry must be [text, label]");
    std::string label((*pair)[1].as_string());
    out.push_back({std::string((*pair)[0].as_string()),
                   is_out_of_scope_label(label) ? std::string() : label, locale});
  }
  return out;
}

json::value read_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  boost::system::error_code ec;
  json::value v = json::parse(buffer.str(), ec);
  if (ec) throw std::runtime_error(path + ": not valid JSON (" + ec.message() + ")");
  return v;
}

// `name` and, when present, `oos_<name>`, appended to `out`; returns the title part.
std::string read_part(const json::object& o, const std::string& path, const std::string& name,
                      const std::string& locale, std::vector<nlu::labelled_example>& out) {
  auto part = read_pairs(o.at(name), path + ": " + name, locale);
  out.insert(out.end(), part.begin(), part.end());
  if (!o.contains("oos_" + name)) return name;
  auto oos = read_pairs(o.at("oos_" + name), path + ": oos_" + name, locale);
  out.insert(out.end(), oos.begin(), oos.end());
  return name + " + oos_" + name;
}

}  // namespace

nlu_dataset read_nlu_dataset(const std::string& path, const std::string& split,
                             const std::string& locale) {
  json::value v = read_json_file(path);
  nlu_dataset d;
  const auto* o = v.if_object();
  if (!o || !o->contains("train")) {
    d.train = read_pairs(v, path, locale);
    d.title = path;
    return d;
  }
  std::string learn = read_part(*o, path, "train", locale, d.train);
  if (!o->contains(split)) throw std::runtime_error(path + ": no \"" + split + "\" split");
  d.has_split = true;
  std::string test = read_part(*o, path, split, locale, d.test);
  d.title = path + ": " + learn + " → " + test;
  return d;
}

nlu::training_data to_training(const std::vector<nlu::labelled_example>& examples) {
  nlu::training_data data;
  std::map<std::pair<std::string, std::string>, std::size_t> slot;  // (intent, locale) → index
  for (const auto& e : examples) {
    if (e.intent.empty()) {
      data.out_of_scope.push_back(e.text);
      continue;
    }
    auto [it, added] = slot.try_emplace({e.intent, e.locale}, data.intents.size());
    if (added) data.intents.push_back({e.intent, e.locale, {}});
    data.intents[it->second].examples.push_back(e.text);
  }
  return data;
}

}  // namespace rapport::app
