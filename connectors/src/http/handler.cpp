#include "http/handler.hpp"

#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "http/origin.hpp"
#include "http/router.hpp"
#include "widget/assets.hpp"

namespace rapport::connectors::http {
namespace json = boost::json;

request_handler::request_handler(server_state& state)
    : state_(state),
      rest_(state.engine, state.options.limits, *state.limiter, state.counters),
      agent_(state.engine, state.options, *state.limiter) {}

void request_handler::handle(request&& req, const request_context& ctx,
                             std::function<void(response)> done) {
  const route r = match_route(req.method(), req.target());
  switch (r.to) {
    case endpoint::asset:
      return done(widget::asset_response(r.asset, req));
    case endpoint::healthz: {
      response res{status::ok, 11};
      res.set(field::content_type, "application/json");
      res.set(field::cache_control, "no-store");
      res.body() = R"({"status":"ok"})";
      return done(std::move(res));
    }
    case endpoint::readyz:
      return done(readyz());
    case endpoint::metrics:
      return done(metrics());
    case endpoint::widget_ws:
    case endpoint::agent_ws: {
      auto res = to_response(make_problem(status::upgrade_required, "bad_request",
                                          "this path only speaks WebSocket (docs/protocols/)"));
      res.set(field::upgrade, "websocket");
      res.set(field::connection, "Upgrade");
      return done(std::move(res));
    }
    case endpoint::not_found:
      return done(to_response(make_problem(status::not_found, "not_found", "nothing is served at this path")));
    case endpoint::method_not_allowed: {
      auto res = to_response(make_problem(status::method_not_allowed, "method_not_allowed",
                                          std::string(req.method_string()) + " is not allowed here; use " + r.allow));
      res.set(field::allow, r.allow);
      return done(std::move(res));
    }
    case endpoint::bad_target:
      state_.counters.bad_requests.fetch_add(1);
      return done(to_response(make_problem(status::bad_request, "bad_request", r.detail)));
    case endpoint::agent_login:
    case endpoint::agent_logout:
    case endpoint::agent_me:
      return agent_.handle(r, std::move(req), ctx.client_address, std::move(done));
    default:
      if (state_.draining.load())
        return done(to_response(make_problem(status::service_unavailable, "shutting_down",
                                             "the server is shutting down; try again shortly")));
      return rest_.handle(r, std::move(req), ctx.client_address, [this, done](response res) {
        if (res.result() == status::bad_request) state_.counters.bad_requests.fetch_add(1);
        done(std::move(res));
      });
  }
}

std::optional<response> request_handler::check_upgrade(const request& req, endpoint& to) const {
  const route r = match_route(req.method(), req.target());
  to = r.to;
  if (r.to != endpoint::widget_ws && r.to != endpoint::agent_ws)
    return to_response(make_problem(status::not_found, "not_found",
                                    "WebSocket connections are served at /widget/ws and /agent/ws"));
  if (state_.draining.load())
    return to_response(make_problem(status::service_unavailable, "shutting_down",
                                    "the server is shutting down; reconnect shortly"));
  const auto origin = req[field::origin];
  if (r.to == endpoint::agent_ws) {
    // Only the server's own console page, and only with a session (checked by the caller).
    if (!agent::same_origin(req))
      return to_response(make_problem(status::forbidden, "bad_origin",
                                      "the agent console connects from its own pages only"));
    if (agent::session_token(req[field::cookie]).empty())
      return to_response(make_problem(status::unauthorized, "no_session", "log in first (POST /agent/api/login)"));
    return std::nullopt;
  }
  if (!origin_allowed(origin, req[field::host], state_.allowed_origins))
    return to_response(make_problem(status::forbidden, "bad_origin",
                                    "the origin " + std::string(origin.substr(0, 200)) +
                                        " may not open the widget; add it to server.allowed_origins"));
  return std::nullopt;
}

response request_handler::readyz() const {
  const auto stats = state_.engine.stats();
  json::array failing;
  if (state_.draining.load()) failing.push_back("shutting down");
  if (stats.bots.empty()) failing.push_back("no bot is loaded");
  const bool store_ok = !state_.options.store_ready || state_.options.store_ready();
  if (!store_ok) failing.push_back("the store is not writable");
  json::array bots;
  for (const auto& [name, version] : stats.bots)
    bots.push_back(json::object{{"name", name}, {"version", version}});
  response res{failing.empty() ? status::ok : status::service_unavailable, 11};
  res.set(field::content_type, "application/json");
  res.set(field::cache_control, "no-store");
  json::object body{{"status", failing.empty() ? "ready" : "not_ready"},
                    {"bots", std::move(bots)},
                    {"store", store_ok ? "writable" : "failing"},
                    {"shutting_down", state_.draining.load()}};
  if (!failing.empty()) body["failing"] = std::move(failing);
  res.body() = json::serialize(body);
  return res;
}

response request_handler::metrics() const {
  response res{status::ok, 11};
  res.set(field::content_type, "text/plain; version=0.0.4; charset=utf-8");
  res.set(field::cache_control, "no-store");
  res.body() = observability::render_prometheus(state_.engine.stats(), state_.counters,
                                                state_.engine.desk().stats());
  return res;
}

void finish_response(response& res, const request* req, bool keep_alive,
                     observability::counters& counters) {
  res.version(req != nullptr ? req->version() : 11);
  res.set(field::server, "rapport");
  res.set("X-Content-Type-Options", "nosniff");
  res.keep_alive(keep_alive);
  const bool head = req != nullptr && req->method() == verb::head;
  const auto s = res.result();
  if (s == status::not_modified || s == status::no_content || static_cast<unsigned>(s) < 200) {
    res.body().clear();
  } else if (head) {
    if (res[field::content_length].empty()) res.content_length(res.body().size());
    res.body().clear();
  } else {
    res.prepare_payload();
  }
  counters.count_response(static_cast<unsigned>(s));
}

}  // namespace rapport::connectors::http
