#include <doctest/doctest.h>

#include <fstream>
#include <map>

#include "config/server_config.hpp"

using namespace rapport::app::config;
using namespace std::chrono_literals;

namespace {

env_lookup env_of(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

load_result parse(const std::string& text, std::map<std::string, std::string> vars = {}) {
  return parse_config(text, "rapport.yaml", env_of(std::move(vars)));
}

std::string errors_of(const load_result& r) {
  std::string s;
  for (const auto& e : r.errors) s += e.to_string() + "\n";
  return s;
}

}  // namespace

TEST_CASE("config: a full configuration") {
  auto r = parse(R"(
server:
  address: 0.0.0.0
  port: 9090
  threads: 4
  allowed_origins: [https://www.example.com, "http://localhost:3000"]
  trusted_proxies: [127.0.0.1]
data_dir: /var/lib/rapport
bots:
  - examples/cx-opener
  - examples/feedback
limits:
  max_body_bytes: 128KiB
  max_frame_bytes: 32KiB
  max_message_bytes: 2048
  connections_per_ip: 10
  messages_per_minute: 30
  idle_timeout: 90s
  request_timeout: 1m30s
  shutdown_grace: 500ms
engine:
  reload_poll: 2s
  max_queued_events: 500
webhooks:
  ca_file: /etc/ssl/private-ca.pem
)");
  INFO(errors_of(r));
  REQUIRE(r.config);
  const auto& c = *r.config;
  CHECK(c.server.address == "0.0.0.0");
  CHECK(c.server.port == 9090);
  CHECK(c.threads == 4);
  CHECK(c.server.allowed_origins == std::vector<std::string>{"https://www.example.com", "http://localhost:3000"});
  CHECK(c.server.trusted_proxies == std::vector<std::string>{"127.0.0.1"});
  CHECK(c.data_dir == "/var/lib/rapport");
  CHECK(c.bots == std::vector<std::string>{"examples/cx-opener", "examples/feedback"});
  CHECK(c.server.limits.max_body_bytes == 128 * 1024);
  CHECK(c.server.limits.max_frame_bytes == 32 * 1024);
  CHECK(c.server.limits.max_message_bytes == 2048);
  CHECK(c.server.limits.connections_per_ip == 10);
  CHECK(c.server.limits.messages_per_minute == 30);
  CHECK(c.server.limits.idle_timeout == 90s);
  CHECK(c.server.limits.request_timeout == 90s);
  CHECK(c.server.limits.shutdown_grace == 500ms);
  CHECK(c.reload_poll == 2s);
  CHECK(c.max_queued_events == 500);
  CHECK(c.webhooks.extra_ca_file == "/etc/ssl/private-ca.pem");
}

TEST_CASE("config: defaults when only bots are given") {
  auto r = parse("bots: [examples/cx-opener]\n");
  REQUIRE(r.config);
  CHECK(r.config->server.address == "127.0.0.1");
  CHECK(r.config->server.port == 8080);
  CHECK(r.config->data_dir == "data");
  CHECK(r.config->server.limits.max_frame_bytes == 16 * 1024);
}

TEST_CASE("config: the shipped config/rapport.yaml loads") {
  auto r = load_config(std::string(RAPPORT_SOURCE_DIR) + "/config/rapport.yaml", env_of({}));
  INFO(errors_of(r));
  REQUIRE(r.config);
  CHECK(r.config->server.address == "127.0.0.1");
  CHECK(r.config->server.port == 8080);
  CHECK(r.config->data_dir == "data");
  CHECK(r.config->bots == std::vector<std::string>{"examples/cx-opener"});
}

TEST_CASE("config: ${ENV_VAR} substitution, defaults and escapes") {
  auto r = parse(R"(
server:
  port: ${RAPPORT_PORT}
  address: ${RAPPORT_ADDRESS:-127.0.0.1}
data_dir: ${STATE_DIRECTORY}/db
bots: ["$${literal}"]
)",
                 {{"RAPPORT_PORT", "8181"}, {"STATE_DIRECTORY", "/var/lib/rapport"}});
  INFO(errors_of(r));
  REQUIRE(r.config);
  CHECK(r.config->server.port == 8181);
  CHECK(r.config->server.address == "127.0.0.1");
  CHECK(r.config->data_dir == "/var/lib/rapport/db");
  CHECK(r.config->bots == std::vector<std::string>{"${literal}"});
}

TEST_CASE("config: an unset variable is an error naming it, at its position") {
  auto r = parse("bots: [examples/cx-opener]\nserver:\n  port: ${RAPPORT_PORT}\n");
  REQUIRE_FALSE(r.config);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].line == 3);
  CHECK(r.errors[0].column == 9);
  CHECK(r.errors[0].to_string() ==
        "rapport.yaml:3:9: environment variable RAPPORT_PORT is not set (in `server.port`)");
  r = parse("bots: [x]\ndata_dir: /srv/${APP}/data\n");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].column == 16);  // points at ${APP} inside the value
}

TEST_CASE("config: unknown keys with did-you-mean, positions for each") {
  auto r = parse(R"(server:
  adress: 0.0.0.0
  port: 8080
bots: [examples/cx-opener]
limit:
  max_body_bytes: 1KiB
colour: blue
)");
  REQUIRE_FALSE(r.config);
  INFO(errors_of(r));
  REQUIRE(r.errors.size() == 3);
  CHECK(r.errors[0].to_string() == "rapport.yaml:2:3: unknown key `adress` in `server`; did you mean `address`?");
  CHECK(r.errors[1].to_string() == "rapport.yaml:5:1: unknown key `limit` in the configuration; did you mean `limits`?");
  CHECK(r.errors[2].line == 7);
  CHECK(r.errors[2].message.find("unknown key `colour`") == 0);
  CHECK(r.errors[2].message.find("known keys: server, data_dir, bots") != std::string::npos);
}

TEST_CASE("config: wrong types and values are reported together with positions") {
  auto r = parse(R"(server:
  port: 99999
  address: localhost
  allowed_origins: [www.example.com]
bots: examples/cx-opener
limits:
  idle_timeout: 10 minutes
  max_body_bytes: lots
  connections_per_ip: -1
)");
  REQUIRE_FALSE(r.config);
  INFO(errors_of(r));
  REQUIRE(r.errors.size() == 7);
  CHECK(r.errors[0].to_string() == "rapport.yaml:2:9: `server.port` must be an integer from 0 to 65535, not \"99999\"");
  CHECK(r.errors[1].line == 3);
  CHECK(r.errors[1].message.find("must be an IP address") != std::string::npos);
  CHECK(r.errors[2].line == 4);
  CHECK(r.errors[2].column == 21);
  CHECK(r.errors[2].message.find("is not an origin") != std::string::npos);
  CHECK(r.errors[3].to_string() == "rapport.yaml:5:7: `bots` must be a list, not a single value");
  CHECK(r.errors[4].line == 7);
  CHECK(r.errors[4].message.find("must be a duration") != std::string::npos);
  CHECK(r.errors[5].line == 8);
  CHECK(r.errors[6].line == 9);
}

TEST_CASE("config: YAML syntax errors and missing bots") {
  auto r = parse("server:\n  port: [8080\n");
  REQUIRE_FALSE(r.config);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].line >= 2);
  CHECK(r.errors[0].message.find("invalid YAML") == 0);

  r = parse("server:\n  port: 8080\n");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("`bots` is required") == 0);

  r = parse("bots: [a]\nbots: [b]\n");
  REQUIRE_FALSE(r.config);
  CHECK(errors_of(r).find("duplicate key `bots`") != std::string::npos);

  r = load_config("/nonexistent/rapport.yaml", env_of({}));
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].to_string() == "/nonexistent/rapport.yaml: cannot read the configuration file");
}

TEST_CASE("config: durations and sizes") {
  CHECK(parse_duration("500ms") == 500ms);
  CHECK(parse_duration("1h30m") == 90min);
  CHECK(parse_duration("2m") == 2min);
  CHECK_FALSE(parse_duration("10"));
  CHECK(parse_duration("1d") == 24h);
  CHECK_FALSE(parse_duration("1w"));
  CHECK(parse_size("4096") == 4096u);
  CHECK(parse_size("16KiB") == 16384u);
  CHECK(parse_size("1MiB") == 1048576u);
  CHECK_FALSE(parse_size("1GiB"));
  CHECK_FALSE(parse_size("-1"));
}

TEST_CASE("config: the handoff section — teams, hours in a time zone, the CRM webhook") {
  auto r = parse(R"(
bots: [examples/cx-opener]
handoff:
  public_url: https://chat.example.com
  secure_cookie: true
  reconnect_grace: 2m
  teams:
    sales:
      assignment: least_busy
      wait_limit: 90s
      time_zone: Europe/Berlin
      hours:
        mon-fri: 09:00-12:00, 13:00-18:00
    support:
  crm_webhook:
    url: ${CRM_URL}
    secret: ${CRM_SECRET}
)",
                 {{"CRM_URL", "https://crm.example.com/hook"}, {"CRM_SECRET", "s3"}});
  REQUIRE_MESSAGE(r.config.has_value(), errors_of(r));
  const auto& d = r.config->desk;
  CHECK(d.public_url == "https://chat.example.com");
  CHECK(r.config->server.secure_cookies);
  CHECK(d.reconnect_grace == 2min);
  REQUIRE(d.teams.size() == 2);
  CHECK(d.teams[0].name == "sales");
  CHECK(d.teams[0].assign == rapport::engine::team_options::assignment::least_busy);
  CHECK(d.teams[0].wait_limit == 90s);
  CHECK(d.teams[0].hours.time_zone == "Europe/Berlin");
  CHECK(d.teams[0].hours.days[0].size() == 2);
  CHECK(d.teams[0].hours.days[5].empty());
  CHECK(d.teams[1].name == "support");
  CHECK(d.teams[1].hours.always_open());
  CHECK(d.crm.url == "https://crm.example.com/hook");
  CHECK(d.crm.secret == "s3");
}

TEST_CASE("config: handoff mistakes are reported with line and column") {
  auto r = parse(R"(
bots: [examples/cx-opener]
handoff:
  teams:
    sales:
      assignment: fastest
      time_zone: Mars/Base
      hours:
        weekdays: 09:00-18:00
    support: {wait_limt: 5m}
  crm_webhook:
    url: ftp://crm
)");
  CHECK_FALSE(r.config.has_value());
  const auto e = errors_of(r);
  CHECK(e.find("rapport.yaml:6:19: `handoff.teams.sales.assignment` must be round_robin or least_busy") != std::string::npos);
  CHECK(e.find("rapport.yaml:7:18: `handoff.teams.sales.time_zone` is not a time zone ICU knows") != std::string::npos);
  CHECK(e.find("rapport.yaml:9:9: `handoff.teams.sales.hours`: expected weekdays") != std::string::npos);
  CHECK(e.find("unknown key `wait_limt` in `handoff.teams.support`; did you mean `wait_limit`?") != std::string::npos);
  CHECK(e.find("rapport.yaml:12:10: `handoff.crm_webhook.url` must be an http(s) URL") != std::string::npos);
  CHECK(e.find("`handoff.crm_webhook.secret` is required") != std::string::npos);
}
