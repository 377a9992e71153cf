// `rapport agents`: add, list, passwd and remove agents in the configuration's store.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "commands.hpp"
#include "rapport/engine/agent_desk.hpp"
#include "rapport/engine/store.hpp"

namespace fs = std::filesystem;

namespace {

struct setup {
  fs::path dir;
  std::string config;
  setup() {
    std::random_device rd;
    dir = fs::temp_directory_path() / ("rapport-agents-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(dir);
    config = (dir / "rapport.yaml").string();
    std::ofstream(config) << "data_dir: " << (dir / "data").string() << "\nbots: [examples/cx-opener]\n"
                          << "handoff:\n  teams:\n    sales:\n    support:\n";
  }
  ~setup() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  struct result {
    int code;
    std::string out, err;
  };
  result run(std::vector<std::string> args, const std::string& stdin_text = {}) {
    args.push_back("--config");
    args.push_back(config);
    std::istringstream in(stdin_text);
    std::FILE* out = std::tmpfile();
    std::FILE* err = std::tmpfile();
    const int code = rapport::app::agents_command(args, in, out, err);
    return {code, read(out), read(err)};
  }
  static std::string read(std::FILE* f) {
    std::rewind(f);
    std::string text;
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, f)) > 0;) text.append(buffer, n);
    std::fclose(f);
    return text;
  }
  std::optional<rapport::engine::agent_record> stored(const std::string& id) {
    rapport::engine::sqlite_store_options o;
    o.path = (dir / "data/rapport.db").string();
    auto s = rapport::engine::open_sqlite_store(o);
    auto a = s->agent(id);
    REQUIRE(a.has_value());
    return *a;
  }
};

}  // namespace

TEST_CASE("rapport agents: add stores a hashed password; list shows teams and capacity") {
  setup s;
  auto added = s.run({"add", "ana", "--name", "Ana Lima", "--teams", "sales,support", "--capacity", "4"},
                     "correct horse\n");
  CHECK(added.code == 0);
  CHECK(added.out == "saved ana\n");
  auto a = s.stored("ana");
  REQUIRE(a.has_value());
  CHECK(a->name == "Ana Lima");
  CHECK(a->teams == std::vector<std::string>{"sales", "support"});
  CHECK(a->capacity == 4);
  CHECK(a->password_hash.starts_with("$argon2id$"));
  CHECK(rapport::engine::verify_password(a->password_hash, "correct horse"));
  CHECK_FALSE(rapport::engine::verify_password(a->password_hash, "wrong horse"));

  auto list = s.run({"list"});
  CHECK(list.code == 0);
  CHECK(list.out.find("ana") != std::string::npos);
  CHECK(list.out.find("Ana Lima") != std::string::npos);
  CHECK(list.out.find("sales,support") != std::string::npos);
  CHECK(list.out.find("correct horse") == std::string::npos);
}

TEST_CASE("rapport agents: passwd replaces the password, remove deletes the agent") {
  setup s;
  REQUIRE(s.run({"add", "ben", "--teams", "sales"}, "first password\n").code == 0);
  CHECK(s.stored("ben")->name == "ben");  // the name defaults to the id
  CHECK(s.run({"passwd", "ben"}, "second password\n").code == 0);
  CHECK(rapport::engine::verify_password(s.stored("ben")->password_hash, "second password"));
  CHECK(s.run({"remove", "ben"}).code == 0);
  CHECK_FALSE(s.stored("ben").has_value());
  auto again = s.run({"remove", "ben"});
  CHECK(again.code == 1);
  CHECK(again.err.find("no agent 'ben'") != std::string::npos);
}

TEST_CASE("rapport agents: mistakes are explained and change nothing") {
  setup s;
  auto short_password = s.run({"add", "cy", "--teams", "sales"}, "short\n");
  CHECK(short_password.code == 2);
  CHECK(short_password.err.find("at least 8 characters") != std::string::npos);
  auto no_teams = s.run({"add", "cy"}, "long enough\n");
  CHECK(no_teams.code == 2);
  CHECK(no_teams.err.find("--teams is required") != std::string::npos);
  auto bad_capacity = s.run({"add", "cy", "--teams", "sales", "--capacity", "lots"}, "long enough\n");
  CHECK(bad_capacity.code == 2);
  CHECK_FALSE(s.stored("cy").has_value());
  auto unknown_team = s.run({"add", "cy", "--teams", "billing"}, "long enough\n");
  CHECK(unknown_team.code == 0);  // a team the configuration does not have yet: a note
  CHECK(unknown_team.err.find("team 'billing' is not in") != std::string::npos);
  CHECK(s.run({"passwd", "nobody"}, "long enough\n").code == 1);
  CHECK(s.run({"frobnicate"}).code == 2);
}
