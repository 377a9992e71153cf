// rapport agents add|list|remove|passwd: the people who answer handed-over conversations. They
// live in the SQLite store of the configuration's data_dir, passwords hashed with argon2id; a
// running server sees changes at the agent's next login.
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <future>
#include <iostream>
#include <sstream>

#include "cli_args.hpp"
#include "commands.hpp"
#include "config/server_config.hpp"
#include "rapport/engine/agent_desk.hpp"
#include "rapport/engine/store.hpp"

namespace rapport::app {
namespace {

constexpr const char* usage =
    "usage: rapport agents add ID --name NAME --teams TEAM[,TEAM...] [--capacity N] [--config FILE]\n"
    "       rapport agents passwd ID [--config FILE]\n"
    "       rapport agents list [--config FILE]\n"
    "       rapport agents remove ID [--config FILE]\n\n"
    "The password is read from standard input (one line; typed without echo on a terminal).\n"
    "FILE defaults to config/rapport.yaml; agents are stored in its data_dir.";

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

std::string read_password(std::istream& in, std::FILE* err) {
  const bool terminal = &in == &std::cin && ::isatty(STDIN_FILENO);
  termios saved{};
  if (terminal) {
    std::fputs("password: ", err);
    ::tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~tcflag_t(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(in, line);
  if (terminal) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::fputs("\n", err);
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

bool commit(engine::store& s, engine::unit_of_work w) {
  std::promise<boost::system::error_code> done;
  s.commit(std::move(w), [&](boost::system::error_code ec) { done.set_value(ec); });
  return !done.get_future().get();
}

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

int agents_command(const arguments& args, std::istream& in, std::FILE* out, std::FILE* err) {
  cli_args cli(args, {"config", "name", "teams", "capacity"}, {"help"});
  const auto& pos = cli.positional();
  if (cli.has("help") || pos.empty()) {
    std::fprintf(cli.has("help") ? out : err, "%s\n", usage);
    return cli.has("help") ? 0 : 2;
  }
  const std::string& action = pos[0];
  const bool needs_id = action == "add" || action == "remove" || action == "passwd";
  if ((action != "list" && !needs_id) || (needs_id && pos.size() != 2) || (action == "list" && pos.size() != 1)) {
    std::fprintf(err, "%s\n", usage);
    return 2;
  }
  const std::string file = cli.get("config", "config/rapport.yaml");
  auto loaded = config::load_config(file);
  if (!loaded.config) {
    for (const auto& e : loaded.errors) std::fprintf(err, "%s\n", e.to_string().c_str());
    return 2;
  }
  engine::sqlite_store_options o;
  o.path = loaded.config->data_dir + "/rapport.db";
  auto store = engine::open_sqlite_store(o);  // throws with the reason (main reports it)

  if (action == "list") {
    auto agents = store->agents();
    if (!agents) {
      std::fprintf(err, "rapport agents: cannot read the agents: %s\n", agents.error().message().c_str());
      return 1;
    }
    std::fprintf(out, "%-16s %-24s %-24s %s\n", "ID", "NAME", "TEAMS", "CAPACITY");
    for (const auto& a : *agents) {
      std::string teams;
      for (const auto& t : a.teams) teams += (teams.empty() ? "" : ",") + t;
      std::fprintf(out, "%-16s %-24s %-24s %d\n", a.id.c_str(), a.name.c_str(), teams.c_str(), a.capacity);
    }
    return 0;
  }

  const std::string& id = pos[1];
  auto existing = store->agent(id);
  if (!existing) {
    std::fprintf(err, "rapport agents: cannot read the agents: %s\n", existing.error().message().c_str());
    return 1;
  }
  engine::unit_of_work w;
  if (action == "remove") {
    if (!*existing) {
      std::fprintf(err, "rapport agents: no agent '%s'\n", id.c_str());
      return 1;
    }
    w.agents_deleted.push_back(id);
  } else {
    if (action == "passwd" && !*existing) {
      std::fprintf(err, "rapport agents: no agent '%s' (add them first)\n", id.c_str());
      return 1;
    }
    engine::agent_record a = existing->value_or(engine::agent_record{});
    a.id = id;
    if (action == "add") {
      a.name = cli.get("name", a.name.empty() ? id : a.name);
      if (cli.has("teams")) a.teams = split(cli.get("teams"));
      if (cli.has("capacity")) {
        try {
          a.capacity = std::stoi(cli.get("capacity"));
        } catch (const std::exception&) {
          a.capacity = 0;
        }
        if (a.capacity < 1 || a.capacity > 100) {
          std::fprintf(err, "rapport agents: --capacity must be a number from 1 to 100\n");
          return 2;
        }
      }
      if (a.teams.empty()) {
        std::fprintf(err, "rapport agents: --teams is required, e.g. --teams sales,support\n");
        return 2;
      }
      for (const auto& t : a.teams) {
        const auto& teams = loaded.config->desk.teams;
        if (std::none_of(teams.begin(), teams.end(), [&](const auto& x) { return x.name == t; }))
          std::fprintf(err, "rapport agents: note: team '%s' is not in %s (handoff.teams)\n", t.c_str(), file.c_str());
      }
    }
    const std::string password = read_password(in, err);
    if (password.size() < 8) {
      std::fprintf(err, "rapport agents: the password must have at least 8 characters\n");
      return 2;
    }
    a.password_hash = engine::hash_password(password);
    if (a.created_ms == 0) a.created_ms = now_ms();
    a.updated_ms = now_ms();
    w.agents_set.push_back(std::move(a));
  }
  if (!commit(*store, std::move(w))) {
    std::fprintf(err, "rapport agents: the change could not be stored\n");
    return 1;
  }
  std::fprintf(out, "%s %s\n", action == "remove" ? "removed" : action == "passwd" ? "new password for" : "saved", id.c_str());
  return 0;
}

int agents_command(const arguments& args) { return agents_command(args, std::cin, stdout, stderr); }

}  // namespace rapport::app
