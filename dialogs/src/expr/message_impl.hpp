#pragma once
// The compiled form of a message pattern (ICU objects stay out of the public header).
#include <unicode/locid.h>
#include <unicode/messagepattern.h>
#include <unicode/msgfmt.h>
#include <unicode/numberformatter.h>
#include <unicode/plurrule.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "rapport/dialogs/message_format.hpp"

namespace rapport::dialogs::expr {

// How a pattern uses one argument; decides which ICU type its value is passed as.
struct argument_use {
  bool numeric = false;  // plural, selectordinal, number, spellout, ordinal, duration
  bool date = false;     // date, time
  bool select = false;   // select
  bool plain = false;    // {name}
};

}  // namespace rapport::dialogs::expr

namespace rapport::dialogs {

struct message_pattern::impl {
  std::string source;
  icu::Locale locale;
  icu::UnicodeString pattern;  // the source as UTF-16
  // Parsed once at compile time and only read afterwards; the best-effort renderer walks it.
  std::unique_ptr<icu::MessagePattern> parts;
  std::vector<std::string> argument_names;
  std::vector<icu::UnicodeString> icu_argument_names;  // same order
  std::vector<expr::argument_use> uses;                // same order
  // Immutable and documented thread-safe by ICU ("Instances of this class are immutable and
  // thread-safe", numberformatter.h).
  icu::number::LocalizedNumberFormatter numbers;
  std::unique_ptr<const icu::PluralRules> cardinal_rules;
  std::unique_ptr<const icu::PluralRules> ordinal_rules;
  // The zone ICU's date formats inside `format` were created with; ISO dates are passed as
  // local midnight in it so "2026-11-23" renders as that day.
  std::unique_ptr<const icu::TimeZone> date_zone;

  // icu::MessageFormat is not safe for concurrent use: msgfmt.h says "If multiple threads access
  // a format concurrently, it must be synchronized externally", and its const format() lazily
  // creates number formats and plural rules. We guard it with this mutex rather than cloning per
  // call: a render takes microseconds, while a clone copies every cached sub-format. render()
  // holds the lock for the whole call, which also covers the plural rules and the time zone
  // above (ICU does not document their concurrent use either).
  mutable std::mutex mutex;
  mutable std::unique_ptr<icu::MessageFormat> format;  // guarded by `mutex`
};

}  // namespace rapport::dialogs
