// /metrics over loopback with the real engine: the blocked-send series exist before anything was
// blocked, and count the engine's blocks by reason.
#include "observability/metrics.hpp"
#include "support/widget_visitor.hpp"

using namespace rapport;
using namespace rapport::testing;

namespace {

std::string metrics(const test_server& s) {
  auto r = http_call(s.port(), bhttp::verb::get, "/metrics");
  REQUIRE(r.status == 200);
  return r.raw.body();
}

bool has_line(const std::string& text, const std::string& line) {
  return text.starts_with(line + "\n") || text.find("\n" + line + "\n") != std::string::npos;
}

}  // namespace

TEST_CASE("/metrics: every block reason is there at 0 from the start, then counts") {
  test_server s;
  const auto fresh = metrics(s);
  for (auto reason : connectors::observability::block_reasons) {
    INFO(reason);
    CHECK(has_line(fresh, "rapport_blocked_sends_total{reason=\"" + std::string(reason) + "\"} 0"));
  }

  // A second proactive opener in one conversation is blocked by the engine's cap.
  widget_visitor v(s, "echo");
  v.hello();
  v.event("proactive");
  CHECK(v.next_message()["text"] == "Hello there.");
  v.event("proactive");
  v.say("m1", "Pricing", "pricing");  // after the second event: its turn is done once m1 is acked
  REQUIRE(v.wait_for_ack("m1"));
  const auto after = metrics(s);
  CHECK(has_line(after, "rapport_blocked_sends_total{reason=\"proactive_cap\"} 1"));
  CHECK(has_line(after, "rapport_blocked_sends_total{reason=\"promo\"} 0"));
  // Whatever the engine counted is a reason /metrics knows.
  for (const auto& [reason, n] : s.engine().stats().blocked_by_reason) {
    INFO(reason);
    CHECK(std::find(connectors::observability::block_reasons.begin(),
                    connectors::observability::block_reasons.end(),
                    reason) != connectors::observability::block_reasons.end());
  }
}
