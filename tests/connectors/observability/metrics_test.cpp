#include <doctest/doctest.h>

#include "observability/metrics.hpp"

using namespace rapport;
using namespace rapport::connectors;

TEST_CASE("metrics: Prometheus text of engine stats and server counters") {
  engine::engine_stats e;
  e.conversations_started = 7;
  e.conversations_active = 2;
  e.messages_in = 11;
  e.messages_out = 13;
  e.handoffs = 1;
  e.blocked_by_reason = {{"promo", 3}, {"max_unanswered", 1}};
  e.bots = {{"cx-opener", "ab12"}};
  e.turn_latency_buckets_ms = {5, 50};
  e.turn_latency_counts = {4, 9, 10};
  e.turn_latency_sum_ms = 250;
  observability::counters c;
  c.connections_total = 5;
  c.count_response(200);
  c.count_response(200);
  c.count_response(429);
  c.rate_limited_messages = 1;

  const auto text = observability::render_prometheus(e, c);
  auto has = [&](std::string_view line) {
    INFO(line);
    CHECK(text.find(std::string(line) + "\n") != std::string::npos);
  };
  has("# TYPE rapport_conversations_started_total counter");
  has("rapport_conversations_started_total 7");
  has("rapport_conversations_active 2");
  has("rapport_messages_total{direction=\"in\"} 11");
  has("rapport_messages_total{direction=\"out\"} 13");
  has("rapport_blocked_sends_total{reason=\"promo\"} 3");
  has("rapport_handoffs_total 1");
  has("rapport_bot_info{bot=\"cx-opener\",version=\"ab12\"} 1");
  has("# TYPE rapport_turn_latency_seconds histogram");
  has("rapport_turn_latency_seconds_bucket{le=\"0.005\"} 4");
  has("rapport_turn_latency_seconds_bucket{le=\"0.05\"} 9");
  has("rapport_turn_latency_seconds_bucket{le=\"+Inf\"} 10");
  has("rapport_turn_latency_seconds_sum 0.25");
  has("rapport_turn_latency_seconds_count 10");
  has("rapport_connections_total 5");
  has("rapport_http_requests_total{status=\"200\"} 2");
  has("rapport_http_requests_total{status=\"429\"} 1");
  has("rapport_rate_limited_total{limit=\"messages\"} 1");
  CHECK(observability::escape_label("a\"b\\c\nd") == "a\\\"b\\\\c\\nd");
}

TEST_CASE("metrics: every block reason is exported from the start, at 0 until it happens") {
  engine::engine_stats e;
  observability::counters c;
  auto count_lines = [](const std::string& text, const std::string& line) {
    int n = 0;
    for (auto at = text.find(line + "\n"); at != std::string::npos; at = text.find(line + "\n", at + 1))
      n += at == 0 || text[at - 1] == '\n';
    return n;
  };
  const auto fresh = observability::render_prometheus(e, c);
  for (const char* reason : {"max_unanswered", "promo", "opted_out", "human_owner", "proactive_cap"}) {
    INFO(reason);
    CHECK(count_lines(fresh, "rapport_blocked_sends_total{reason=\"" + std::string(reason) + "\"} 0") == 1);
  }

  // Counted reasons show their count, once; a reason the list does not know is still exported.
  e.blocked_by_reason = {{"promo", 3}, {"quiet_hours", 2}};
  const auto text = observability::render_prometheus(e, c);
  CHECK(count_lines(text, "rapport_blocked_sends_total{reason=\"promo\"} 3") == 1);
  CHECK(text.find("rapport_blocked_sends_total{reason=\"promo\"} 0") == std::string::npos);
  CHECK(count_lines(text, "rapport_blocked_sends_total{reason=\"opted_out\"} 0") == 1);
  CHECK(count_lines(text, "rapport_blocked_sends_total{reason=\"quiet_hours\"} 2") == 1);
}
