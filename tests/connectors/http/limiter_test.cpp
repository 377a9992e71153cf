#include <doctest/doctest.h>

#include "http/limiter.hpp"

using namespace rapport::connectors::http;
using namespace std::chrono_literals;

TEST_CASE("limiter: connections per address are counted and released") {
  auto limiter = std::make_shared<ip_limiter>(2, 60);
  auto a = limiter->try_connect("10.0.0.1");
  auto b = limiter->try_connect("10.0.0.1");
  CHECK(a);
  CHECK(b);
  CHECK_FALSE(limiter->try_connect("10.0.0.1"));
  CHECK(limiter->try_connect("10.0.0.2"));  // other addresses are not affected
  b.reset();
  CHECK(limiter->connections("10.0.0.1") == 1);
  auto c = limiter->try_connect("10.0.0.1");
  CHECK(c);
  connection_slot moved = std::move(c);
  CHECK(limiter->connections("10.0.0.1") == 2);
}

TEST_CASE("limiter: message rate is a token bucket per address") {
  auto now = std::chrono::steady_clock::time_point{} + 1h;
  auto limiter = std::make_shared<ip_limiter>(10, 3, [&] { return now; });
  CHECK(limiter->allow_message("a"));
  CHECK(limiter->allow_message("a"));
  CHECK(limiter->allow_message("a"));
  CHECK_FALSE(limiter->allow_message("a"));
  CHECK(limiter->allow_message("b"));
  now += 20s;  // one token back (3 per minute)
  CHECK(limiter->allow_message("a"));
  CHECK_FALSE(limiter->allow_message("a"));
  now += 10min;  // refills to the cap, not beyond
  CHECK(limiter->allow_message("a"));
  CHECK(limiter->allow_message("a"));
  CHECK(limiter->allow_message("a"));
  CHECK_FALSE(limiter->allow_message("a"));
  CHECK(limiter->retry_after_seconds() == 20);
}
