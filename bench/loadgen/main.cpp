// loadgen: plays many concurrent website visitors through a bot and reports throughput, latency
// and the server's CPU and memory. See --help and docs/performance.md.
#include <sys/resource.h>

#include <cstdio>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "process_stats.hpp"
#include "run.hpp"

namespace rapport::bench {
namespace {

double own_cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

// The server's CPU time per round trip: what a round trip costs whatever share of the machine
// the server got (the machine is shared; throughput alone depends on the load).
double cpu_per_round_trip_us(const process_sample& before, const process_sample& after, const stats& st) {
  if (!before.valid || !after.valid || st.round_trips == 0) return 0;
  return (after.cpu_seconds - before.cpu_seconds) * 1e6 / static_cast<double>(st.round_trips);
}

double mib(std::uint64_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

// Open loop: conversations start at the given rate, whatever the server's pace, as long as
// fewer than --visitors are in progress on this thread's share.
net::awaitable<void> arrivals(generator_thread& t) {
  const auto& opt = t.run.opt;
  const auto interval = std::chrono::duration<double>(opt.threads / opt.rate);
  const std::size_t cap = std::max<std::size_t>(1, opt.visitors / opt.threads);
  net::steady_timer timer(t.io);
  auto next = steady::now();
  for (std::size_t n = 0; steady::now() < t.run.deadline && !t.run.stopping.load(); ++n) {
    next += std::chrono::duration_cast<steady::duration>(interval);
    timer.expires_at(next);
    co_await timer.async_wait(net::use_awaitable);
    if (t.active >= cap) {
      ++t.st.open_loop_skipped;
      continue;
    }
    const std::size_t visitor = n * opt.threads + t.index;
    if (opt.mode == protocol::rest) net::co_spawn(t.io, rest_visitor(t, visitor, true), net::detached);
    else net::co_spawn(t.io, websocket_visitor(t, visitor, false, true), net::detached);
  }
}

void spawn_visitors(generator_thread& t) {
  const auto& opt = t.run.opt;
  if (opt.rate > 0) {
    net::co_spawn(t.io, arrivals(t), net::detached);
    return;
  }
  for (std::size_t v = t.index; v < opt.visitors; v += opt.threads) {
    if (opt.mode == protocol::rest) net::co_spawn(t.io, rest_visitor(t, v, false), net::detached);
    else net::co_spawn(t.io, websocket_visitor(t, v, v < opt.silent, false), net::detached);
  }
}

void print_report(const options& opt, stats& st, double seconds, double generator_cpu,
                  const process_sample& before, const process_sample& after, const process_sample& held) {
  const char* mode = opt.mode == protocol::widget ? "widget" : opt.mode == protocol::rest ? "rest" : "echo";
  const auto lat = summarize(st.latency_us);
  char loop[64] = "closed loop";
  if (opt.rate > 0) std::snprintf(loop, sizeof loop, "open loop at %.1f conversations/s", opt.rate);
  std::printf("mode %s, %zu visitors, %s, %.1f s, %u generator thread%s\n", mode, opt.visitors, loop,
              seconds, opt.threads, opt.threads == 1 ? "" : "s");
  std::printf("conversations   %llu done of %llu started   %.1f/s\n",
              static_cast<unsigned long long>(st.conversations_done),
              static_cast<unsigned long long>(st.conversations_started), st.conversations_done / seconds);
  std::printf("round trips     %llu   %.1f/s\n", static_cast<unsigned long long>(st.round_trips),
              st.round_trips / seconds);
  std::printf("latency ms      p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n", lat.p50_ms, lat.p90_ms,
              lat.p99_ms, lat.max_ms);
  if (st.reconnects) std::printf("reconnects      %llu\n", static_cast<unsigned long long>(st.reconnects));
  if (st.nudges) std::printf("nudges          %llu\n", static_cast<unsigned long long>(st.nudges));
  if (st.open_loop_skipped)
    std::printf("skipped         %llu arrivals (every visitor busy)\n",
                static_cast<unsigned long long>(st.open_loop_skipped));
  std::printf("generator cpu   %.2f cores\n", generator_cpu / seconds);
  double server_cores = 0;
  if (before.valid && after.valid) {
    server_cores = (after.cpu_seconds - before.cpu_seconds) / seconds;
    std::printf("server          cpu %.2f cores, rss %.1f MiB (before %.1f), peak rss %.1f MiB\n", server_cores,
                mib(after.rss_bytes), mib(before.rss_bytes), mib(after.peak_rss_bytes));
    if (st.round_trips > 0)
      std::printf("server cpu      %.0f us per round trip\n", cpu_per_round_trip_us(before, after, st));
  }
  const process_sample& mem = held.valid ? held : after;
  if (before.valid && mem.valid && st.conversations_started > 0) {
    const double per = (static_cast<double>(mem.rss_bytes) - static_cast<double>(before.rss_bytes)) /
                       static_cast<double>(st.conversations_started);
    std::printf("memory          %.0f bytes resident per conversation (%s, %llu conversations)\n", per,
                held.valid ? "held open, idle" : "after the run", static_cast<unsigned long long>(st.conversations_started));
  }
  std::printf("errors          %llu", static_cast<unsigned long long>(st.error_count()));
  for (const auto& [kind, count] : st.errors) std::printf("  %s: %llu", kind.c_str(), static_cast<unsigned long long>(count));
  std::printf("\n");
  if (!opt.label.empty())
    std::printf("| %s | %zu | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f | %llu | %.2f | %.0f | %.1f |\n", opt.label.c_str(),
                opt.visitors, st.conversations_done / seconds, st.round_trips / seconds, lat.p50_ms, lat.p90_ms,
                lat.p99_ms, lat.max_ms, static_cast<unsigned long long>(st.error_count()), server_cores,
                cpu_per_round_trip_us(before, after, st), after.valid ? mib(after.peak_rss_bytes) : 0.0);
  std::fflush(stdout);
}

int run(const options& opt) {
  script steps = default_script();
  if (!opt.script_file.empty()) {
    std::string error;
    auto loaded = load_script(opt.script_file, error);
    if (!loaded) {
      std::fprintf(stderr, "loadgen: %s\n", error.c_str());
      return 2;
    }
    steps = std::move(*loaded);
  }
  shared_run shared{opt, steps, {}};
  const auto start = steady::now();
  shared.deadline = start + opt.duration;
  std::vector<std::unique_ptr<generator_thread>> threads;
  for (unsigned i = 0; i < opt.threads; ++i) threads.push_back(std::make_unique<generator_thread>(shared, i));

  const process_sample before = sample_process(opt.server_pid);
  const double cpu_before = own_cpu_seconds();
  std::vector<std::thread> workers;
  for (auto& t : threads) {
    spawn_visitors(*t);
    workers.emplace_back([&io = t->io] { io.run(); });
  }

  process_sample held;
  if (opt.hold) {
    // Wait until every visitor is connected and idle (or the run ends), let the server settle,
    // read its memory, hold, stop.
    while (shared.idle.load() < opt.visitors && steady::now() < shared.deadline) {
      bool all_done = true;
      for (auto& t : threads) all_done = all_done && t->io.stopped();
      if (all_done) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::this_thread::sleep_for(opt.settle);
    held = sample_process(opt.server_pid);
    std::printf("holding         %zu idle connections\n", shared.idle.load());
    std::this_thread::sleep_for(*opt.hold);
    shared.stopping = true;
    for (auto& t : threads) t->io.stop();
  }
  for (auto& w : workers) w.join();
  const double seconds = std::chrono::duration<double>(steady::now() - start).count();
  const double generator_cpu = own_cpu_seconds() - cpu_before;
  const process_sample after = sample_process(opt.server_pid);

  stats total;
  for (auto& t : threads) {
    if (opt.verify && !opt.hold) {
      t->io.restart();
      net::co_spawn(t->io, verify_records(*t), net::detached);
      t->io.run();
    }
    total.merge(t->st);
  }
  print_report(opt, total, seconds, generator_cpu, before, after, held);
  return total.error_count() == 0 ? 0 : 1;
}

}  // namespace
}  // namespace rapport::bench

int main(int argc, char** argv) {
  auto opt = rapport::bench::parse_options(argc, argv);
  if (!opt) return 2;
  return rapport::bench::run(*opt);
}
