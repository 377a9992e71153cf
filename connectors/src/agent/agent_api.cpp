#include "agent/agent_api.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "agent/agent_protocol.hpp"
#include "http/json.hpp"
#include "http/origin.hpp"
#include "http/problem.hpp"
#include "rapport/engine/agent_desk.hpp"

namespace rapport::connectors::agent {
namespace json = boost::json;
using http::make_problem;
using http::to_response;

namespace {

response json_response(status s, const json::object& body) {
  response res{s, 11};
  res.set(field::content_type, "application/json");
  res.set(field::cache_control, "no-store");
  res.body() = json::serialize(body);
  return res;
}

response unauthorized(std::string_view detail) {
  return to_response(make_problem(status::unauthorized, "no_session", std::string(detail)));
}

}  // namespace

std::string session_token(std::string_view header) {
  while (!header.empty()) {
    auto semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.starts_with(cookie_name) && pair.size() > cookie_name.size() &&
        pair[cookie_name.size()] == '=')
      return std::string(pair.substr(cookie_name.size() + 1));
  }
  return {};
}

std::string session_cookie(std::string_view token, std::chrono::seconds max_age, bool secure) {
  std::string c = std::string(cookie_name) + "=" + std::string(token) +
                  "; Path=/agent; HttpOnly; SameSite=Strict; Max-Age=" +
                  std::to_string(token.empty() ? 0 : max_age.count());
  if (secure) c += "; Secure";
  return c;
}

bool same_origin(const request& req) {
  return http::origin_allowed(req[field::origin], req[field::host], {});
}

agent_api::agent_api(engine::engine& e, const server_options& options, http::ip_limiter& limiter)
    : engine_(e), options_(options), limiter_(limiter) {}

void agent_api::handle(const http::route& r, request req, const std::string& client_address,
                       std::function<void(response)> done) {
  if (req.method() == verb::post && !same_origin(req))
    return done(to_response(make_problem(status::forbidden, "bad_origin",
                                         "the agent console only accepts requests from its own pages")));
  switch (r.to) {
    case http::endpoint::agent_login:
      if (!limiter_.allow_message(client_address))
        return done(to_response(make_problem(status::too_many_requests, "rate_limited",
                                             "too many attempts from this address; try again in a minute")));
      return login(std::move(req), std::move(done));
    case http::endpoint::agent_me:
      return me(req, std::move(done));
    case http::endpoint::agent_logout:
      return logout(req, std::move(done));
    default:
      return done(to_response(make_problem(status::not_found, "not_found", "nothing is served at this path")));
  }
}

void agent_api::login(request req, std::function<void(response)> done) {
  auto body = http::json_object_body(req);
  if (auto* p = std::get_if<http::problem>(&body)) return done(to_response(*p));
  const auto& o = std::get<json::object>(body);
  std::string id, password;
  for (auto [key, out] : {std::pair<std::string_view, std::string*>{"agent", &id}, {"password", &password}}) {
    if (auto e = http::get_string(o, key, *out, true); !e.empty())
      return done(to_response(make_problem(status::bad_request, "bad_field", e)));
    if (out->empty() || out->size() > 1024)
      return done(to_response(make_problem(status::bad_request, "bad_field",
                                           "`" + std::string(key) + "` must be 1 to 1024 bytes long")));
  }
  auto& desk = engine_.desk();
  desk.login(id, password, [this, &desk, done = std::move(done)](engine::result<std::string> token) {
    if (!token) {
      const bool wrong = token.error() == engine::desk_errc::bad_credentials;
      return done(to_response(make_problem(wrong ? status::unauthorized : status::service_unavailable,
                                           wrong ? "bad_credentials" : "overloaded",
                                           wrong ? "unknown agent or wrong password"
                                                 : "the login could not be stored; try again")));
    }
    desk.session(*token, [this, token = *token, done](engine::result<engine::agent_profile> who) {
      if (!who) return done(unauthorized("the new session could not be read"));
      auto res = json_response(status::ok, {{"agent", profile_json(*who)}});
      res.set(field::set_cookie, session_cookie(token, options_.agent_session_lifetime, options_.secure_cookies));
      done(std::move(res));
    });
  });
}

void agent_api::me(const request& req, std::function<void(response)> done) {
  const auto token = session_token(req[field::cookie]);
  if (token.empty()) return done(unauthorized("not logged in"));
  engine_.desk().session(token, [done = std::move(done)](engine::result<engine::agent_profile> who) {
    if (!who) return done(unauthorized("not logged in, or the session expired"));
    done(json_response(status::ok, {{"agent", profile_json(*who)}}));
  });
}

void agent_api::logout(const request& req, std::function<void(response)> done) {
  auto cleared = [secure = options_.secure_cookies, done = std::move(done)] {
    response res{status::no_content, 11};
    res.set(field::set_cookie, session_cookie("", {}, secure));
    res.set(field::cache_control, "no-store");
    done(std::move(res));
  };
  const auto token = session_token(req[field::cookie]);
  if (token.empty()) return cleared();
  engine_.desk().logout(token, std::move(cleared));  // answered once the session is gone
}

}  // namespace rapport::connectors::agent
