#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "fixtures/small_bot.hpp"
#include "rapport/dialogs/nlu.hpp"

using namespace rapport::dialogs::nlu;

namespace {

// Deterministic pseudo-random bytes, biased towards UTF-8 lead and continuation bytes and
// the characters the extractors look for.
std::string noise(std::uint64_t seed, std::size_t length) {
  static const char specials[] = "@.+-/%$€ 0123456789aeiouéß";
  std::string s;
  for (std::size_t i = 0; i < length; ++i) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    auto r = static_cast<unsigned>(seed >> 33);
    s += r % 3 == 0 ? specials[r % (sizeof specials - 1)] : static_cast<char>(r & 0xFF);
  }
  return s;
}

}  // namespace

TEST_CASE("arbitrary bytes never crash any text function") {
  auto m = train(fixtures::small_bot(), {});
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    std::string text = noise(seed, seed % 97);
    for (const char* locale : {"en", "de", "ja", "th", "zz-invalid"}) {
      CHECK_NOTHROW(normalize(text, locale));
      CHECK_NOTHROW(words(text, locale));
      CHECK_NOTHROW(parse_number(text, locale));
      CHECK_NOTHROW(parse_yes_no(text, locale));
      CHECK_NOTHROW(m->parse({text, locale}));
    }
  }
}

TEST_CASE("one model serves several threads at once with the same answers") {
  auto m = train(fixtures::small_bot(), {});
  const std::vector<std::string> texts{"how much does it cost", "book a demo for tomorrow",
                                       "call me on (415) 555-2671", "zweiundvierzig Euro"};
  std::vector<result> expected;
  for (const auto& t : texts) expected.push_back(m->parse({t, "en"}));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int w = 0; w < 4; ++w)
    threads.emplace_back([&, w] {
      for (int round = 0; round < 50; ++round)
        for (std::size_t i = 0; i < texts.size(); ++i) {
          auto r = m->parse({texts[i], "en"});
          if (r.intent != expected[i].intent || r.confidence != expected[i].confidence ||
              r.entities.size() != expected[i].entities.size())
            ++mismatches[w];
        }
    });
  for (auto& t : threads) t.join();
  CHECK(mismatches == std::vector<int>(4, 0));
}
