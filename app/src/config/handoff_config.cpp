#include "config/handoff_config.hpp"

namespace rapport::app::config::detail {

namespace {

void read_team(reader& r, const std::string& name, const YAML::Node& n, engine::team_options& t) {
  const std::string path = "handoff.teams." + name;
  t.name = name;
  if (n.IsNull()) return;  // `support:` alone: a team with the defaults
  if (!n.IsMap()) {
    r.error(n.Mark(), "`" + path + "` must be a mapping of settings, not " + reader::kind(n));
    return;
  }
  r.check_keys(n, path, {"assignment", "wait_limit", "time_zone", "hours"});
  std::string assignment = "round_robin";
  r.string(n, "assignment", path + ".assignment", assignment);
  if (assignment == "least_busy") t.assign = engine::team_options::assignment::least_busy;
  else if (assignment != "round_robin")
    r.error(n["assignment"].Mark(), "`" + path + ".assignment` must be round_robin or least_busy, not \"" +
                                        assignment + "\"");
  r.duration(n, "wait_limit", path + ".wait_limit", t.wait_limit);
  r.string(n, "time_zone", path + ".time_zone", t.hours.time_zone, true);
  if (n["time_zone"] && !dialogs::known_time_zone(t.hours.time_zone))
    r.error(n["time_zone"].Mark(), "`" + path + ".time_zone` is not a time zone ICU knows: \"" +
                                       t.hours.time_zone + "\" (write e.g. Europe/Berlin or America/New_York)");
  const YAML::Node hours = n["hours"];
  if (!hours || hours.IsNull()) return;
  if (!hours.IsMap()) {
    r.error(hours.Mark(), "`" + path + ".hours` must map weekdays to opening times, e.g. mon-fri: 09:00-18:00");
    return;
  }
  if (!n["time_zone"]) r.error(hours.Mark(), "`" + path + ".hours` needs a `time_zone` beside it");
  for (auto it = hours.begin(); it != hours.end(); ++it) {
    const std::string days = it->first.Scalar();
    auto ranges = r.scalar(it->second, path + ".hours." + days);
    if (!ranges) continue;
    if (auto problem = dialogs::add_office_hours(t.hours, days, *ranges); !problem.empty())
      r.error(it->first.Mark(), "`" + path + ".hours`: " + problem);
  }
}

}  // namespace

void read_handoff(reader& r, const YAML::Node& root, server_config& c) {
  auto s = r.section(root, "handoff",
                     {"public_url", "secure_cookie", "session_lifetime", "reconnect_grace",
                      "offer_timeout", "teams", "crm_webhook"});
  if (!s) return;
  auto& d = c.desk;
  r.string(s, "public_url", "handoff.public_url", d.public_url);
  r.boolean(s, "secure_cookie", "handoff.secure_cookie", c.server.secure_cookies);
  r.duration(s, "session_lifetime", "handoff.session_lifetime", d.session_lifetime);
  r.duration(s, "reconnect_grace", "handoff.reconnect_grace", d.reconnect_grace);
  r.duration(s, "offer_timeout", "handoff.offer_timeout", d.offer_timeout);
  c.server.agent_session_lifetime = std::chrono::duration_cast<std::chrono::seconds>(d.session_lifetime);
  if (const YAML::Node teams = s["teams"]; teams && !teams.IsNull()) {
    if (!teams.IsMap()) {
      r.error(teams.Mark(), "`handoff.teams` must map team names to their settings, e.g. sales: {wait_limit: 3m}");
    } else {
      for (auto it = teams.begin(); it != teams.end(); ++it) {
        engine::team_options t;
        read_team(r, it->first.Scalar(), it->second, t);
        d.teams.push_back(std::move(t));
      }
    }
  }
  if (auto crm = s["crm_webhook"]; crm && !crm.IsNull()) {
    if (!crm.IsMap()) {
      r.error(crm.Mark(), "`handoff.crm_webhook` must be a mapping with `url` and `secret`");
      return;
    }
    r.check_keys(crm, "handoff.crm_webhook", {"url", "secret", "timeout", "expire_after"});
    r.string(crm, "url", "handoff.crm_webhook.url", d.crm.url);
    r.string(crm, "secret", "handoff.crm_webhook.secret", d.crm.secret);
    r.duration(crm, "timeout", "handoff.crm_webhook.timeout", d.crm.timeout);
    r.duration(crm, "expire_after", "handoff.crm_webhook.expire_after", d.crm.expire_after);
    const bool web = d.crm.url.starts_with("http://") || d.crm.url.starts_with("https://");
    if (!d.crm.url.empty() && !web)
      r.error(crm["url"].Mark(), "`handoff.crm_webhook.url` must be an http(s) URL, not \"" + d.crm.url + "\"");
    if (!d.crm.url.empty() && d.crm.secret.empty())
      r.error(crm.Mark(), "`handoff.crm_webhook.secret` is required with a url: the receiver checks the signature with it");
  }
}

}  // namespace rapport::app::config::detail
