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

namespace {

void histogram(std::string& out, const std::string& name, const char* help,
               const std::vector<double>& bounds, const std::vector<std::uint64_t>& cumulative,
               double sum) {
  header(out, name.c_str(), "histogram", help);
  const std::string bucket = name + "_bucket";
  for (std::size_t i = 0; i < bounds.size(); ++i)
    sample(out, bucket.c_str(), i < cumulative.size() ? cumulative[i] : 0, "le=\"" + number(bounds[i]) + "\"");
  const std::uint64_t total = cumulative.empty() ? 0 : cumulative.back();
  sample(out, bucket.c_str(), total, "le=\"+Inf\"");
  out += name + "_sum " + number(sum) + "\n";
  sample(out, (name + "_count").c_str(), total);
}

void labelled(std::string& out, const char* name, const char* help, const char* label,
              const std::vector<std::string>& known,
              const std::vector<std::pair<std::string, std::uint64_t>>& counts) {
  header(out, name, "counter", help);
  auto count_of = [&](const std::string& k) {
    for (const auto& [n, c] : counts)
      if (n == k) return c;
    return std::uint64_t{0};
  };
  for (const auto& k : known) sample(out, name, count_of(k), std::string(label) + "=\"" + escape_label(k) + "\"");
  for (const auto& [n, c] : counts)
    if (std::find(known.begin(), known.end(), n) == known.end())
      sample(out, name, c, std::string(label) + "=\"" + escape_label(n) + "\"");
}

// The people side: how handoffs go, how fast a human answers, outcomes, CSAT.
void render_desk(std::string& out, const engine::engine_stats& e, const engine::desk_stats& d) {
  metric(out, "rapport_handoffs_queued_total", "counter", "Handoffs that entered a team's queue.", d.queued);
  metric(out, "rapport_handoffs_accepted_total", "counter", "Handoffs a person accepted.", d.accepted);
  metric(out, "rapport_handoffs_abandoned_total", "counter",
         "Visitors who left the queue before a person came.", d.abandoned);
  metric(out, "rapport_handoffs_requeued_total", "counter",
         "Conversations queued again (the agent left, or transferred them).", d.requeued);
  labelled(out, "rapport_handoffs_unavailable_total", "Handoffs whose fallback ran, by reason.", "reason",
           {"closed", "no_agents", "timeout", "no_team"}, d.unavailable_by_reason);
  labelled(out, "rapport_conversations_closed_total", "Conversations agents closed, by outcome.", "outcome",
           engine::close_outcomes(), d.closed_by_outcome);
  metric(out, "rapport_handoffs_waiting", "gauge", "Conversations waiting for a person now.", d.waiting);
  metric(out, "rapport_agents_online", "gauge", "Agents with the console open (online or away).",
         d.agents_online);
  histogram(out, "rapport_time_to_human_seconds",
            "From the visitor asking for a person to a person accepting.", d.seconds_buckets,
            d.time_to_human_counts, d.time_to_human_sum_s);
  histogram(out, "rapport_first_human_response_seconds",
            "From a person accepting to their first message (bot messages do not count).",
            d.seconds_buckets, d.first_response_counts, d.first_response_sum_s);
  header(out, "rapport_csat_responses_total", "counter", "CSAT answers by score (1-5).");
  for (int score = 1; score <= 5; ++score)
    sample(out, "rapport_csat_responses_total",
           std::size_t(score) < e.csat_by_score.size() ? e.csat_by_score[score] : 0,
           "score=\"" + std::to_string(score) + "\"");
}

}  // namespace

std::string render_prometheus(const engine::engine_stats& e, const counters& s,
                              const engine::desk_stats& d) {
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
  render_desk(out, e, d);

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
