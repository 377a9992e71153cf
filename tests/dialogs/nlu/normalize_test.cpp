#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "rapport/dialogs/nlu.hpp"

using namespace rapport::dialogs::nlu;

TEST_CASE("normalize folds case, width and accents and drops punctuation") {
  CHECK(normalize("  Hello,   WORLD!! ", "en") == "hello world");
  CHECK(normalize("Café crème", "fr") == "cafe creme");
  CHECK(normalize("Ｆｕｌｌ－ｗｉｄｔｈ", "en") == "full width");  // NFKC
  CHECK(normalize("Straße", "de") == "strasse");                    // full case folding
  CHECK(normalize("¿Cuánto cuesta?", "es") == "cuanto cuesta");
  CHECK(normalize("Øresund Łódź", "da") == "oresund lodz");
}

TEST_CASE("accent folding can be turned off per bot") {
  CHECK(normalize("Café", "fr", {.fold_accents = false}) == "café");
  CHECK(normalize("Ärger", "de", {.fold_accents = false}) == "ärger");
}

TEST_CASE("apostrophes inside words and separators inside numbers survive") {
  CHECK(normalize("What's the price of 1,000.50?", "en") == "what's the price of 1,000.50");
  CHECK(normalize("don’t", "en") == "don't");
  CHECK(normalize("'quoted'", "en") == "quoted");
}

TEST_CASE("non-Latin scripts keep their marks") {
  // Thai vowel and tone marks and the Japanese voiced mark are letters, not accents.
  CHECK(normalize("ราคาเท่าไหร่", "th") == "ราคาเท่าไหร่");
  CHECK(normalize("がぎぐ", "ja") == "がぎぐ");
}

TEST_CASE("invalid UTF-8 is repaired, never a crash") {
  std::string bad = "caf\xC3 ok \xFF\xFE end \xE2\x82";
  std::string out = normalize(bad, "en");
  CHECK(out.find("caf") == 0);
  CHECK(out.find("ok") != std::string::npos);
  CHECK(out.find("end") != std::string::npos);
  CHECK(words(bad, "en").size() == 3);
  CHECK(normalize("", "en").empty());
  CHECK(normalize(std::string("a\0b", 3), "en") == "a b");
}

TEST_CASE("words segments English, German, Spanish") {
  CHECK(words("How much does it cost?", "en") ==
        std::vector<std::string>{"how", "much", "does", "it", "cost"});
  CHECK(words("Was kostet das Paket für 40 Leute?", "de") ==
        std::vector<std::string>{"was", "kostet", "das", "paket", "fur", "40", "leute"});
  CHECK(words("¿Cuánto cuesta el plan?", "es") ==
        std::vector<std::string>{"cuanto", "cuesta", "el", "plan"});
}

TEST_CASE("words segments languages written without spaces") {
  auto ja = words("東京都に住んでいます", "ja");
  CHECK(ja.size() >= 3);
  CHECK(ja.front() == "東京");
  auto th = words("ราคาเท่าไหร่", "th");  // "how much is the price"
  CHECK(th.size() >= 2);
  CHECK(th.front() == "ราคา");
}

TEST_CASE("an unknown locale still segments") {
  CHECK(words("hello there", "xx-unknown") == std::vector<std::string>{"hello", "there"});
  CHECK(words("hello there", "") == std::vector<std::string>{"hello", "there"});
}

// Plain ASCII skips ICU (words() takes a fast path); the same text with a non-ASCII
// punctuation mark after it goes through ICU's normaliser and BreakIterator. Both must agree.
TEST_CASE("words of ASCII text are ICU's words") {
  const std::vector<std::string> tricky{
      "what's up", "rock'n'roll", "1's and 2's", "a1'b", "it''s", "'a' b'", "O'Neil's",
      "1,000.50", "1.2.3", "1..2", "a.b", "a1.5b", "40k", "$40", "x_y", "a$b+c<d=e>f^g`h|i~j",
      "ab'cd'ef", "3'a", "\t\x01\x7f tab", std::string("a\0b", 3), "  ", "", "e-mail me",
      "USD1,000", "#1 fan", "50%off", "it's 5'o'clock", "a'1", "1'a'b"};
  std::vector<std::string> texts = tricky;
  const std::string alphabet = "aZq7 0'.,$_-!?'\t";  // letters, digits, and everything around
  std::uint64_t seed = 7;
  for (int i = 0; i < 3000; ++i) {
    std::string s;
    for (std::size_t n = 1 + i % 12; n > 0; --n) {
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      s += alphabet[(seed >> 33) % alphabet.size()];
    }
    texts.push_back(s);
  }
  for (const char* locale : {"en", "de", "fr", "ja", "th", "", "en_US_POSIX", "fi"}) {
    int mismatches = 0;
    for (const auto& t : texts) {
      auto fast = words(t, locale), icu = words(t + " \xC2\xBF", locale);  // " ¿"
      if (fast != icu && ++mismatches <= 5) CHECK_MESSAGE(fast == icu, locale, ": \"", t, "\"");
    }
    CHECK_MESSAGE(mismatches == 0, locale);
  }
}
