#pragma once
// Labelled data sets for `rapport nlu eval` and the NLU benchmark: either the CLINC150 layout
// (an object with "train", optional "oos_train", and test splits "val"/"test" with optional
// "oos_val"/"oos_test") or a plain list of [text, label] pairs. Label "oos" is out of scope.
#include <string>
#include <vector>

#include "rapport/dialogs/nlu.hpp"

namespace rapport::app {

struct nlu_dataset {
  std::vector<dialogs::nlu::labelled_example> train, test;
  bool has_split = false;  // false: a plain list in `train`, to be cross-validated
  std::string title;       // "FILE: train + oos_train → val + oos_val"
};

// Throws std::runtime_error naming the file (and the part of it) on unreadable input.
nlu_dataset read_nlu_dataset(const std::string& path, const std::string& split,
                             const std::string& locale);

// Examples grouped by (intent, locale) in first-seen order; out-of-scope ones apart.
dialogs::nlu::training_data to_training(const std::vector<dialogs::nlu::labelled_example>& examples);

}  // namespace rapport::app
