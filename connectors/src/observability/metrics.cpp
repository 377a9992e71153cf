#include "observability/metrics.hpp"

#include <algorithm>
#include <charconv>

namespace rapport::connectors::observability {
namespace {

void header(std::string& out, const char* name, const char* type, const char* help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void sample(std::string& out, const char* name, std::uint64_t value, const std::string& labels = {}) {
  out += name;
  if (!labels.empty()) {
    out += '{';
    out += labels;
    out += '}';
  }
  out += ' ';
  out += std::to_string(value);
  out += '\n';
}

std::string number(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip form
  return ec == std::errc{} ? std::string(buf, end) : std::string("NaN");
}

void metric(std::string& out, const char* name, const char* type, const char* help,
            std::uint64_t value) {
  header(out, name, type, help);
  sample(out, name, value);
}

}  // namespace

server_stats counters::snapshot() const {
  server_stats s;
  s.connections_total = connections_total.load();
  s.connections_active = connections_active.load();
  s.websockets_active = websockets_active.load();
  s.frames_in = frames_in.load();
  s.frames_out = frames_out.load();
  s.rate_limited = rate_limited_messages.load() + rate_limited_connections.load();
  s.slow_clients_dropped = slow_clients_dropped.load();
  return s;
}

std::string escape_label(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string render_prometheus(const engine::engine_stats& e, const counters& s) {
  std::string out;
  out.reserve(4096);

  // ---- engine
  metric(out, "rapport_conversations_started_total", "counter",
         "Conversations started.", e.conversations_started);
  metric(out, "rapport_conversations_active", "gauge",
         "Conversations held in memory now.", e.conversations_active);
  header(out, "rapport_messages_total", "counter", "Messages by direction (in: visitors, out: bot and agents).");
  sample(out, "rapport_messages_total", e.messages_in, "direction=\"in\"");
  sample(out, "rapport_messages_total", e.messages_out, "direction=\"out\"");
  header(out, "rapport_blocked_sends_total", "counter",
         "Outbound messages the send gate stopped, by reason.");
  auto blocked = [&](std::string_view reason, std::uint64_t n) {
    sample(out, "rapport_blocked_sends_total", n, "reason=\"" + escape_label(reason) + "\"");
  };
  for (auto reason : block_reasons) {
    std::uint64_t n = 0;
    for (const auto& [r, count] : e.blocked_by_reason) n += r == reason ? count : 0;
    blocked(reason, n);
  }
  for (const auto& [reason, n] : e.blocked_by_reason)  // one the list does not know (yet)
    if (std::find(block_reasons.begin(), block_reasons.end(), reason) == block_reasons.end())
      blocked(reason, n);
  metric(out, "rapport_handoffs_total", "counter", "Handoffs to a human.", e.handoffs);
  metric(out, "rapport_timers_fired_total", "counter", "Durable timers fired.", e.timers_fired);
  header(out, "rapport_bot_info", "gauge", "Loaded bots and their versions.");
  for (const auto& [bot, version] : e.bots)
    sample(out, "rapport_bot_info", 1,
           "bot=\"" + escape_label(bot) + "\",version=\"" + escape_label(version) + "\"");

  header(out, "rapport_turn_latency_seconds", "histogram",
         "Time from an inbound event to its committed replies.");
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < e.turn_latency_buckets_ms.size(); ++i) {
    const std::uint64_t n = i < e.turn_latency_counts.size() ? e.turn_latency_counts[i] : total;
    total = n;
    sample(out, "rapport_turn_latency_seconds_bucket", n,
           "le=\"" + number(e.turn_latency_buckets_ms[i] / 1000.0) + "\"");
  }
  if (e.turn_latency_counts.size() > e.turn_latency_buckets_ms.size())
    total = e.turn_latency_counts[e.turn_latency_buckets_ms.size()];
  sample(out, "rapport_turn_latency_seconds_bucket", total, "le=\"+Inf\"");
  out += "rapport_turn_latency_seconds_sum " + number(e.turn_latency_sum_ms / 1000.0) + "\n";
  sample(out, "rapport_turn_latency_seconds_count", total);

  // ---- server
  metric(out, "rapport_connections_total", "counter", "TCP connections accepted.",
         s.connections_total.load());
  metric(out, "rapport_connections_active", "gauge", "Open TCP connections (HTTP and WebSocket).",
         s.connections_active.load());
  metric(out, "rapport_websocket_connections_total", "counter", "WebSocket upgrades accepted.",
         s.websockets_total.load());
  metric(out, "rapport_websocket_connections_active", "gauge", "Open widget WebSockets.",
         s.websockets_active.load());
  header(out, "rapport_websocket_frames_total", "counter", "WebSocket frames by direction.");
  sample(out, "rapport_websocket_frames_total", s.frames_in.load(), "direction=\"in\"");
  sample(out, "rapport_websocket_frames_total", s.frames_out.load(), "direction=\"out\"");
  header(out, "rapport_http_requests_total", "counter", "HTTP responses by status code.");
  for (std::size_t code = 100; code < s.responses_by_status.size(); ++code) {
    const auto n = s.responses_by_status[code].load();
    if (n != 0) sample(out, "rapport_http_requests_total", n, "status=\"" + std::to_string(code) + "\"");
  }
  header(out, "rapport_rate_limited_total", "counter",
         "Refusals by the per-IP limits (message rate, connection count).");
  sample(out, "rapport_rate_limited_total", s.rate_limited_messages.load(), "limit=\"messages\"");
  sample(out, "rapport_rate_limited_total", s.rate_limited_connections.load(), "limit=\"connections\"");
  metric(out, "rapport_slow_clients_dropped_total", "counter",
         "WebSocket clients dropped because their write queue was full.",
         s.slow_clients_dropped.load());
  metric(out, "rapport_bad_requests_total", "counter",
         "Malformed HTTP requests, JSON bodies or WebSocket frames.", s.bad_requests.load());
  return out;
}

}  // namespace rapport::connectors::observability
