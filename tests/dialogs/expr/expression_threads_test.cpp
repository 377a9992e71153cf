#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "expr_test_support.hpp"

using namespace rapport::dialogs;
using namespace rapport::dialogs::testing;

TEST_CASE("one parsed expression can be evaluated from several threads at once") {
  const expression e = parse_ok(
      "lower(name) + \":\" + text(n * 2) + \":\" + date(zone) + \":\" + "
      "text(n in [1, 3, 5])");
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const char* zones[] = {"UTC", "Asia/Tokyo", "America/New_York", "Europe/Berlin"};
      const char* dates[] = {"2026-11-23", "2026-11-24", "2026-11-23", "2026-11-24"};
      for (int i = 0; i < 300; ++i) {
        value_map vars{{"name", txt("ÄNA")}, {"n", num(t)}, {"zone", txt(zones[t])}};
        value result = e.evaluate(context_for(vars, utc(2026, 11, 23, 23, 30)));
        std::string expected = std::string("äna:") + std::to_string(t * 2) + ":" + dates[t] + ":" +
                               (t % 2 == 1 ? "true" : "false");
        if (result != value{expected}) ++mismatches;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(mismatches == 0);
}
