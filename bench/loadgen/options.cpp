#include "options.hpp"

#include <charconv>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>

namespace rapport::bench {
namespace {

const char* usage =
    "usage: loadgen [options]\n"
    "Plays website visitors through a bot over the widget WebSocket (or the REST API, or against\n"
    "bench/echo_server) and reports throughput, latency and the server's CPU and memory.\n\n"
    "  --mode widget|rest|echo   protocol (default widget)\n"
    "  --url URL                 ws://127.0.0.1:8080/widget/ws (widget, echo) or\n"
    "                            http://127.0.0.1:8080 (rest)\n"
    "  --origin ORIGIN           Origin header of the WebSocket upgrade (default: the URL's)\n"
    "  --bot NAME                bot name (default cx-opener)\n"
    "  --script FILE             conversation script (default: built-in cx-opener script)\n"
    "  --visitors N              concurrent visitors (default 100)\n"
    "  --rate R                  open loop: start R conversations per second (default: closed loop)\n"
    "  --duration D              run for D, e.g. 30s (default 10s)\n"
    "  --conversations N         stop after N conversations instead\n"
    "  --turns N                 play only the first N script steps of each conversation\n"
    "  --think D                 pause between a reply and the next message (default 0)\n"
    "  --timeout D               longest wait for one reply (default 10s)\n"
    "  --ramp D                  spread the first connections over D\n"
    "  --threads N               generator threads (default 1)\n"
    "  --sources N               source addresses 127.0.0.1..N (past ~28k connections each)\n"
    "  --server-pid PID          report this process's CPU and RSS\n"
    "  --hold D                  stay connected and idle after the turns; read RSS; stop after D\n"
    "  --settle D                wait before reading RSS in hold mode (default 2s)\n"
    "  --no-batch                widget: one frame per server message (hello without batch)\n"
    "  --reconnect               resume conversations after a disconnect (like the widget)\n"
    "  --verify                  check every conversation against its REST transcript at the end\n"
    "  --silent N                N visitors go quiet after one turn and expect one no-input nudge\n"
    "  --nudge-key KEY           message key of the nudge (default rapport.nudge)\n"
    "  --nudge-wait D            how long a silent visitor waits for it (default 20s)\n"
    "  --label TEXT              also print a markdown table row labelled TEXT\n";

std::optional<std::chrono::milliseconds> duration_of(std::string_view s) {
  double n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc{} || n < 0) return std::nullopt;
  const std::string_view unit(end, s.data() + s.size() - end);
  double ms = unit == "ms" ? n : unit == "s" || unit.empty() ? n * 1000 : unit == "m" ? n * 60'000
              : unit == "h" ? n * 3'600'000 : -1;
  if (ms < 0) return std::nullopt;
  return std::chrono::milliseconds(static_cast<long long>(ms));
}

template <class T>
bool number_of(std::string_view s, T& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size();
}

bool parse_url(std::string_view url, options& o) {
  std::string_view rest;
  unsigned short default_port = 80;
  if (url.starts_with("ws://")) rest = url.substr(5);
  else if (url.starts_with("http://")) rest = url.substr(7);
  else return false;
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  o.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  const auto colon = authority.rfind(':');
  o.port = default_port;
  if (colon != std::string_view::npos) {
    if (!number_of(authority.substr(colon + 1), o.port)) return false;
    authority = authority.substr(0, colon);
  }
  o.host = std::string(authority);
  return !o.host.empty();
}

}  // namespace

std::optional<options> parse_options(int argc, char** argv) {
  options o;
  std::string url, origin;
  bool ok = true, duration_given = false;
  auto fail = [&](const std::string& why) {
    std::fprintf(stderr, "loadgen: %s\n", why.c_str());
    ok = false;
  };
  auto dur = [&](std::chrono::milliseconds& out) {
    return [&out, &fail](std::string_view v) {
      if (auto d = duration_of(v)) out = *d;
      else fail("not a duration (e.g. 500ms, 10s, 2m): " + std::string(v));
    };
  };
  auto num = [&](auto& out) {
    return [&out, &fail](std::string_view v) {
      if (!number_of(v, out)) fail("not a number: " + std::string(v));
    };
  };
  const std::map<std::string, std::function<void(std::string_view)>, std::less<>> with_value = {
      {"--mode",
       [&](std::string_view v) {
         if (v == "widget") o.mode = protocol::widget;
         else if (v == "rest") o.mode = protocol::rest;
         else if (v == "echo") o.mode = protocol::echo;
         else fail("--mode is widget, rest or echo, not " + std::string(v));
       }},
      {"--url", [&](std::string_view v) { url = v; }},
      {"--origin", [&](std::string_view v) { origin = v; }},
      {"--bot", [&](std::string_view v) { o.bot = v; }},
      {"--script", [&](std::string_view v) { o.script_file = v; }},
      {"--visitors", num(o.visitors)},
      {"--rate", num(o.rate)},
      {"--duration", [&](std::string_view v) { duration_given = true; dur(o.duration)(v); }},
      {"--conversations", num(o.conversations)},
      {"--turns", num(o.turns)},
      {"--think", dur(o.think)},
      {"--timeout", dur(o.timeout)},
      {"--ramp", dur(o.ramp)},
      {"--threads", num(o.threads)},
      {"--sources", num(o.sources)},
      {"--server-pid", num(o.server_pid)},
      {"--hold", [&](std::string_view v) { o.hold.emplace(); dur(*o.hold)(v); }},
      {"--settle", dur(o.settle)},
      {"--silent", num(o.silent)},
      {"--nudge-key", [&](std::string_view v) { o.nudge_key = v; }},
      {"--nudge-wait", dur(o.nudge_wait)},
      {"--label", [&](std::string_view v) { o.label = v; }},
  };
  for (int i = 1; i < argc && ok; ++i) {
    const std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      std::fputs(usage, stdout);
      std::exit(0);
    } else if (a == "--no-batch") {
      o.batch = false;
    } else if (a == "--reconnect") {
      o.reconnect = true;
    } else if (a == "--verify") {
      o.verify = true;
    } else if (auto it = with_value.find(a); it != with_value.end()) {
      if (i + 1 >= argc) fail(std::string(a) + " needs a value");
      else it->second(argv[++i]);
    } else {
      fail("unknown option " + std::string(a) + " (see --help)");
    }
  }
  if (!ok) return std::nullopt;
  // --conversations alone: as long as they take.
  if (o.conversations > 0 && !duration_given) o.duration = std::chrono::hours(24);
  if (url.empty()) url = o.mode == protocol::rest ? "http://127.0.0.1:8080" : "ws://127.0.0.1:8080/widget/ws";
  if (!parse_url(url, o)) {
    fail("--url must look like ws://host:port/path or http://host:port, not " + url);
    return std::nullopt;
  }
  o.origin = origin.empty() ? "http://" + o.host + ":" + std::to_string(o.port) : origin;
  if (o.threads == 0 || o.visitors == 0 || o.sources == 0 || o.sources > 254) {
    fail("--threads, --visitors and --sources (at most 254) must be positive");
    return std::nullopt;
  }
  if (o.silent > o.visitors) {
    fail("--silent must not exceed --visitors");
    return std::nullopt;
  }
  return o;
}

}  // namespace rapport::bench
