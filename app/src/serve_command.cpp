// rapport serve --config config/rapport.yaml: the engine and the HTTP/WebSocket server on one
// io_context; SIGTERM/SIGINT shut down gracefully (a second signal stops at once).
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "cli_args.hpp"
#include "commands.hpp"
#include "config/server_config.hpp"
#include "rapport/connectors/http_client.hpp"
#include "rapport/connectors/server.hpp"
#include "rapport/engine/engine.hpp"

namespace rapport::app {
namespace {

bool writable(const std::filesystem::path& data_dir) {
  std::error_code ec;
  const auto db = data_dir / "rapport.db";
  if (std::filesystem::exists(db, ec)) return ::access(db.c_str(), W_OK) == 0;
  return ::access(data_dir.c_str(), W_OK) == 0;
}

}  // namespace

int serve_command(const arguments& args) {
  cli_args cli(args, {"config"}, {"help"});
  if (cli.has("help")) {
    std::puts(
        "usage: rapport serve [--config FILE]\n\n"
        "Serves the configured bots: the web widget (/widget.js, WebSocket /widget/ws), the REST\n"
        "API (/api/v1), /healthz, /readyz and /metrics. FILE defaults to config/rapport.yaml;\n"
        "every key is documented in docs/operations/deploy.md.");
    return 0;
  }
  if (!cli.positional().empty()) {
    std::fprintf(stderr, "rapport serve: unexpected argument '%s' (did you mean --config %s?)\n",
                 cli.positional().front().c_str(), cli.positional().front().c_str());
    return 2;
  }
  const std::string file = cli.get("config", "config/rapport.yaml");
  auto loaded = config::load_config(file);
  if (!loaded.config) {
    for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", e.to_string().c_str());
    std::fprintf(stderr, "rapport serve: %zu error%s in %s\n", loaded.errors.size(),
                 loaded.errors.size() == 1 ? "" : "s", file.c_str());
    return 2;
  }
  const config::server_config& c = *loaded.config;

  std::error_code ec;
  std::filesystem::create_directories(c.data_dir, ec);
  if (ec) {
    std::fprintf(stderr, "rapport serve: cannot create data_dir %s: %s\n", c.data_dir.c_str(),
                 ec.message().c_str());
    return 1;
  }

  const unsigned threads = c.threads != 0 ? c.threads : std::max(1u, std::thread::hardware_concurrency());
  boost::asio::io_context io(static_cast<int>(threads));

  engine::engine_options eo;
  eo.data_dir = c.data_dir;
  eo.bot_folders = c.bots;
  eo.reload_poll = c.reload_poll;
  eo.max_queued_events = c.max_queued_events;
  eo.max_message_bytes = c.server.limits.max_message_bytes;
  eo.evict_after = c.evict_after;
  eo.desk = c.desk;
  if (eo.desk.public_url.empty())
    eo.desk.public_url = "http://" + c.server.address + ":" + std::to_string(c.server.port);
  eo.http = connectors::make_http_client(io, c.webhooks);
  // Throws with file:line:column details when a bot does not load (reported by main).
  auto engine = engine::engine::create(eo, io);

  connectors::server_options so = c.server;
  so.store_ready = [dir = std::filesystem::path(c.data_dir)] { return writable(dir); };
  connectors::server server(io, *engine, so);
  server.start();

  std::string bots;
  for (const auto& [name, version] : engine->stats().bots) bots += (bots.empty() ? "" : ", ") + name;
  const std::string host = c.server.address.find(':') != std::string::npos
                               ? "[" + c.server.address + "]"
                               : c.server.address;
  std::fprintf(stderr, "rapport: serving %s on http://%s:%u (%u threads; data in %s)\n",
               bots.c_str(), host.c_str(), server.port(), threads, c.data_dir.c_str());
  std::fflush(stderr);

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  bool stopping = false;
  std::function<void(const boost::system::error_code&, int)> on_signal =
      [&](const boost::system::error_code& e, int signal) {
        if (e) return;
        if (stopping) {
          std::fputs("rapport: second signal, stopping now\n", stderr);
          io.stop();
          return;
        }
        stopping = true;
        std::fprintf(stderr, "rapport: %s received, shutting down\n",
                     signal == SIGTERM ? "SIGTERM" : "SIGINT");
        server.stop([&] {
          std::fputs("rapport: stopped\n", stderr);
          signals.cancel();
          io.stop();
        });
        signals.async_wait(on_signal);
      };
  signals.async_wait(on_signal);

  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&] { io.run(); });
  io.run();
  for (auto& t : pool) t.join();
  return 0;
}

}  // namespace rapport::app
