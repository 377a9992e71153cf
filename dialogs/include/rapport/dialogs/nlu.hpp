#pragma once
// Natural-language understanding: text normalisation, the intent classifier trained from a bot's
// examples, and entity extraction. Pure and deterministic; no ICU types in this header.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rapport/dialogs/value.hpp"

namespace rapport::dialogs::nlu {

using sys_ms = std::chrono::sys_time<std::chrono::milliseconds>;

struct normalize_options {
  bool fold_accents = true;  // "café" → "cafe"
};

// NFKC, case folding, optional accent folding, punctuation to spaces, collapsed whitespace.
// Invalid UTF-8 is repaired (U+FFFD) rather than rejected.
std::string normalize(std::string_view text, std::string_view locale,
                      const normalize_options& options = {});

// Words of `text` by ICU's word BreakIterator (works for Thai, Japanese, ...), normalised.
std::vector<std::string> words(std::string_view text, std::string_view locale,
                               const normalize_options& options = {});

// Training data, as the loader collects it from the bot's YAML.
struct intent_examples {
  std::string intent;
  std::string locale;  // "en", "de", ...; examples are used for this locale
  std::vector<std::string> examples;
};

struct lookup_value {
  std::string value;                  // canonical value stored in the slot, e.g. "pro"
  std::vector<std::string> synonyms;  // "professional", "pro plan", ...
};

struct lookup_entity {
  std::string name;  // e.g. "plan"
  std::string locale;
  std::vector<lookup_value> values;
};

struct config {
  double threshold = 0.45;         // below this confidence the text is out of scope
  double ambiguity_margin = 0.08;  // top two closer than this → ambiguous
  bool fold_accents = true;
  std::string phone_region = "US";  // default region for phone numbers without +country
};

struct training_data {
  std::vector<intent_examples> intents;
  std::vector<std::string> out_of_scope;  // optional explicit out-of-scope examples (any locale)
  std::vector<lookup_entity> lookups;
};

struct scored_intent {
  std::string name;
  double confidence = 0;  // calibrated probability in [0, 1]
};

struct entity {
  std::string type;  // "email", "phone", "number", "money", "percent", "duration", "date",
                     // or a lookup entity's name
  value val;         // email/phone (E.164)/date (ISO)/lookup value as text; number/money/
                     // percent/duration (seconds) as number
  std::string unit;  // currency code for money ("USD"), empty otherwise
  std::size_t begin = 0, end = 0;  // byte offsets into the original text
};

struct request {
  std::string_view text;
  std::string_view locale = "en";
  sys_ms now{};                       // for relative dates ("tomorrow")
  std::string_view time_zone = "UTC";  // IANA zone for relative dates
};

struct result {
  std::string intent;  // empty when out of scope
  double confidence = 0;
  std::vector<scored_intent> ranking;  // best first, at most 5
  bool ambiguous = false;              // top two within the ambiguity margin
  std::vector<entity> entities;
};

class model {
 public:
  virtual ~model() = default;
  virtual result parse(const request& r) const = 0;
  // The intent part of parse() only (no entities): what `rapport nlu eval` measures.
  virtual result classify(const request& r) const {
    result res = parse(r);
    res.entities.clear();
    return res;
  }
  // Intent names the model knows.
  virtual const std::vector<std::string>& intents() const = 0;
};

// Trains the classifier; deterministic (same data → same model).
std::shared_ptr<const model> train(const training_data& data, const config& cfg);

// Entity extractors, usable on their own (the interpreter uses them for typed slots).
std::vector<entity> extract_entities(const request& r, const config& cfg,
                                     const std::vector<lookup_entity>& lookups = {});
std::optional<double> parse_number(std::string_view text, std::string_view locale);
std::optional<bool> parse_yes_no(std::string_view text, std::string_view locale);

}  // namespace rapport::dialogs::nlu

// ---- Evaluation (`rapport nlu eval`) ------------------------------------------------------------
namespace rapport::dialogs::nlu {

struct labelled_example {
  std::string text;
  std::string intent;  // empty: out of scope
  std::string locale = "en";
};

struct confusion {
  std::string expected, predicted;  // empty: out of scope
  int count = 0;
};

struct evaluation {
  int in_scope = 0, out_of_scope = 0;  // test examples of each kind
  double in_scope_accuracy = 0;        // in-scope examples given exactly their intent
  double oos_recall = 0;               // out-of-scope examples recognised as such
  double oos_precision = 0;            // "out of scope" answers that were right
  double macro_f1 = 0;                 // over the intents, plus out of scope when tested
  std::vector<confusion> most_confused;  // most frequent (expected, predicted) errors, ≤ 10
  double training_seconds = 0;           // wall time of train() (single-threaded)
  double classify_microseconds = 0;      // mean wall time of classify() per utterance
  double training_cpu_seconds = 0;       // the same in CPU time of the process: less noisy
  double classify_cpu_microseconds = 0;  // on a shared machine
  std::size_t training_examples = 0;
};

// Trains on `train_data`, then classifies every example of `test`.
evaluation evaluate(const training_data& train_data, const config& cfg,
                    const std::vector<labelled_example>& test);

// k-fold cross-validation over a bot's own examples (intents and out-of-scope examples are
// split into `folds` parts, deterministically); timings are the means over the folds.
evaluation cross_validate(const training_data& data, const config& cfg, int folds = 5);

}  // namespace rapport::dialogs::nlu
