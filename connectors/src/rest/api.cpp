#include "rest/api.hpp"

#include <random>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/url/parse.hpp>

#include "http/json.hpp"

namespace rapport::connectors::rest {
namespace json = boost::json;
using http::make_problem;
using http::problem;

namespace {

problem field_problem(std::string detail, std::string_view pointer) {
  auto p = make_problem(status::bad_request, "bad_field", std::move(detail));
  p.extra["pointer"] = std::string("/") + std::string(pointer);
  return p;
}

std::string unknown_member(const json::object& o, std::initializer_list<std::string_view> known) {
  for (const auto& [k, v] : o) {
    std::string_view key(k.data(), k.size());
    if (std::find(known.begin(), known.end(), key) == known.end()) return std::string(key);
  }
  return {};
}

std::string random_id() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[40];
  std::snprintf(buf, sizeof buf, "rest-%016llx%016llx", static_cast<unsigned long long>(rng()),
                static_cast<unsigned long long>(rng()));
  return buf;
}

// Runs `f`, turning an exception into a 500 so that none escapes a completion handler.
template <class F>
void guarded(const std::function<void(response)>& done, F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    done(http::to_response(make_problem(status::internal_server_error, "internal", e.what())));
  }
}

}  // namespace

#define RAPPORT_FIELD(call, name)                          \
  do {                                                     \
    if (auto field_error_ = (call); !field_error_.empty()) return field_problem(field_error_, name); \
  } while (0)

parsed<create_conversation> parse_create_conversation(const request& req) {
  auto body = http::json_object_body(req);
  if (auto* p = std::get_if<problem>(&body)) return std::move(*p);
  const auto& o = std::get<json::object>(body);
  if (auto k = unknown_member(o, {"bot", "channel", "locale", "context", "start"}); !k.empty())
    return field_problem("unknown field `" + k + "`", k);
  create_conversation c;
  RAPPORT_FIELD(http::get_string(o, "bot", c.bot, true), "bot");
  if (c.bot.empty()) return field_problem("`bot` must not be empty", "bot");
  RAPPORT_FIELD(http::get_string(o, "channel", c.channel), "channel");
  if (c.channel.empty() || c.channel.size() > 32)
    return field_problem("`channel` must be 1 to 32 bytes long", "channel");
  RAPPORT_FIELD(http::get_string(o, "locale", c.locale), "locale");
  if (c.locale.size() > 35) return field_problem("`locale` is not a locale", "locale");
  RAPPORT_FIELD(http::get_value_map(o, "context", c.context), "context");
  RAPPORT_FIELD(http::get_bool(o, "start", c.start), "start");
  return c;
}

parsed<post_message> parse_post_message(const request& req, std::size_t max_message_bytes) {
  auto body = http::json_object_body(req);
  if (auto* p = std::get_if<problem>(&body)) return std::move(*p);
  const auto& o = std::get<json::object>(body);
  if (auto k = unknown_member(o, {"text", "payload", "id"}); !k.empty())
    return field_problem("unknown field `" + k + "`", k);
  post_message m;
  std::string body_id;
  RAPPORT_FIELD(http::get_string(o, "text", m.text), "text");
  RAPPORT_FIELD(http::get_string(o, "payload", m.payload), "payload");
  RAPPORT_FIELD(http::get_string(o, "id", body_id), "id");
  const std::string header_id(req["Idempotency-Key"]);
  if (!header_id.empty() && !body_id.empty() && header_id != body_id)
    return field_problem("the Idempotency-Key header and the body's `id` differ", "id");
  m.client_id = header_id.empty() ? body_id : header_id;
  if (m.client_id.size() > 128)
    return field_problem("the idempotency key is longer than 128 bytes", "id");
  if (m.text.size() > max_message_bytes)
    return make_problem(status::payload_too_large, "too_long",
                        "the message is " + std::to_string(m.text.size()) + " bytes; at most " +
                            std::to_string(max_message_bytes) + " are accepted");
  if (m.payload.size() > 2048) return field_problem("`payload` is longer than 2048 bytes", "payload");
  const bool blank = m.text.find_first_not_of(" \t\r\n") == std::string::npos;
  if (blank && m.payload.empty())
    return field_problem("`text` must not be empty (or give a button's `payload`)", "text");
  return m;
}

parsed<post_event> parse_post_event(const request& req) {
  auto body = http::json_object_body(req);
  if (auto* p = std::get_if<problem>(&body)) return std::move(*p);
  const auto& o = std::get<json::object>(body);
  if (auto k = unknown_member(o, {"name", "props", "locale"}); !k.empty())
    return field_problem("unknown field `" + k + "`", k);
  post_event e;
  RAPPORT_FIELD(http::get_string(o, "name", e.name, true), "name");
  if (e.name.empty() || e.name.size() > 64)
    return field_problem("`name` must be 1 to 64 bytes long", "name");
  RAPPORT_FIELD(http::get_string(o, "locale", e.locale), "locale");
  RAPPORT_FIELD(http::get_value_map(o, "props", e.props), "props");
  return e;
}

#undef RAPPORT_FIELD

parsed<std::int64_t> parse_after(std::string_view query) {
  std::int64_t after = 0;
  if (query.empty()) return after;
  // A '#' would start a fragment; Boost.URL 1.81 then iterates the params past the end of the
  // text (boostorg/url#864: found by fuzz/rest_request).
  if (query.find('#') != std::string_view::npos)
    return make_problem(status::bad_request, "bad_request", "the query string is malformed");
  const std::string ref = "?" + std::string(query);
  auto url = boost::urls::parse_relative_ref(ref);
  if (!url) return make_problem(status::bad_request, "bad_request", "the query string is malformed");
  for (auto p : url->params()) {
    if (p.key != "after") continue;
    const std::string v(p.value);
    std::size_t used = 0;
    try {
      after = std::stoll(v, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (v.empty() || used != v.size() || after < 0)
      return make_problem(status::bad_request, "bad_request",
                          "`after` must be a non-negative integer, not \"" + v.substr(0, 32) + "\"");
  }
  return after;
}

parsed<std::string> bearer_token(const request& req) {
  const auto auth = req[field::authorization];
  auto unauthorized = [](std::string detail) {
    return make_problem(status::unauthorized, "unauthorized", std::move(detail));
  };
  if (auth.empty())
    return unauthorized("send the conversation's token as `Authorization: Bearer <token>`");
  if (auth.size() < 7 || !boost::beast::iequals(auth.substr(0, 7), "Bearer "))
    return unauthorized("the Authorization header must use the Bearer scheme");
  std::string token(auth.substr(7));
  while (!token.empty() && token.front() == ' ') token.erase(0, 1);
  while (!token.empty() && token.back() == ' ') token.pop_back();
  if (token.empty() || token.size() > 256) return unauthorized("the bearer token is empty or malformed");
  return token;
}

json::object entry_json(const engine::transcript_entry& e) {
  json::object o;
  o["seq"] = e.seq;
  o["role"] = engine::to_string(e.by);
  o["text"] = e.text;
  json::array buttons;
  for (const auto& b : e.buttons) buttons.push_back(json::object{{"label", b.label}, {"payload", b.payload}});
  o["buttons"] = std::move(buttons);
  if (!e.key.empty()) o["key"] = e.key;
  if (!e.client_id.empty()) o["client_id"] = e.client_id;
  if (!e.agent.empty()) o["agent"] = e.agent;
  o["at"] = e.at_ms;
  return o;
}

json::array entries_json(const std::vector<engine::transcript_entry>& entries) {
  json::array a;
  a.reserve(entries.size());
  for (const auto& e : entries) a.push_back(entry_json(e));
  return a;
}

response json_response(status s, const json::value& body) {
  response res{s, 11};
  res.set(field::content_type, "application/json");
  res.set(field::cache_control, "no-store");
  res.body() = json::serialize(body);
  return res;
}

problem problem_for(const boost::system::error_code& ec) {
  if (ec.category() == engine::engine_category()) {
    switch (static_cast<engine::errc>(ec.value())) {
      case engine::errc::unknown_bot:
        return make_problem(status::unprocessable_entity, "unknown_bot", "no bot of that name is loaded");
      case engine::errc::no_such_conversation:
        return make_problem(status::not_found, "no_such_conversation",
                            "no conversation has this id and token");
      case engine::errc::bad_request:
        return make_problem(status::bad_request, "bad_request", ec.message());
      case engine::errc::overloaded:
        return make_problem(status::service_unavailable, "overloaded",
                            "too many events are queued; try again shortly");
      case engine::errc::shutting_down:
        return make_problem(status::service_unavailable, "shutting_down",
                            "the server is shutting down; try again shortly");
      case engine::errc::store_failed:
        return make_problem(status::service_unavailable, "store_failed",
                            "the store could not commit; nothing was processed");
    }
  }
  return make_problem(status::internal_server_error, "internal", ec.message());
}

api::api(engine::engine& engine, const server_limits& limits, http::ip_limiter& limiter,
         observability::counters& counters)
    : engine_(engine), limits_(limits), limiter_(limiter), counters_(counters) {}

void api::handle(const http::route& r, request&& req, const std::string& client_address,
                 std::function<void(response)> done) {
  auto fail = [&](const problem& p) {
    auto res = http::to_response(p);
    if (p.status == status::unauthorized) res.set(field::www_authenticate, "Bearer realm=\"rapport\"");
    if (p.status == status::too_many_requests || p.status == status::service_unavailable)
      res.set(field::retry_after, std::to_string(p.status == status::too_many_requests
                                                     ? limiter_.retry_after_seconds()
                                                     : 1));
    done(std::move(res));
  };
  // Engine errors arrive in completions: same treatment.
  auto fail_async = [done, this](const problem& p) {
    auto res = http::to_response(p);
    if (p.status == status::service_unavailable) res.set(field::retry_after, "1");
    done(std::move(res));
  };
  const bool posts = r.to == http::endpoint::create_conversation ||
                     r.to == http::endpoint::post_message || r.to == http::endpoint::post_event;
  if (posts && !limiter_.allow_message(client_address)) {
    counters_.rate_limited_messages.fetch_add(1);
    return fail(make_problem(status::too_many_requests, "rate_limited",
                             "at most " + std::to_string(limits_.messages_per_minute) +
                                 " messages per minute are accepted from one address"));
  }

  switch (r.to) {
    case http::endpoint::create_conversation: {
      auto parsed = parse_create_conversation(req);
      if (auto* p = std::get_if<problem>(&parsed)) return fail(*p);
      auto& c = std::get<create_conversation>(parsed);
      engine::open_request o;
      o.bot = c.bot;
      o.channel = c.channel;
      o.locale = c.locale;
      o.context = std::move(c.context);
      o.start = c.start;
      engine_.open(std::move(o), [done, fail_async](engine::result<engine::open_result> res) {
        guarded(done, [&] {
          if (!res) return fail_async(problem_for(res.error()));
          const auto& ref = res->conversation;
          json::object body{{"conversation", ref.id}, {"token", ref.token}, {"bot", ref.bot},
                            {"channel", ref.channel}, {"owner", ref.owner},
                            {"messages", entries_json(res->replies)}};
          auto out = json_response(status::created, body);
          out.set(field::location, "/api/v1/conversations/" + ref.id);
          done(std::move(out));
        });
      });
      return;
    }
    default: break;
  }

  // Everything below acts on an existing conversation: authenticate first.
  auto token = bearer_token(req);
  if (auto* p = std::get_if<problem>(&token)) return fail(*p);
  const std::string id = r.conversation_id;

  switch (r.to) {
    case http::endpoint::get_conversation: {
      engine_.find(id, std::get<std::string>(token),
                   [done, fail_async](engine::result<engine::conversation_ref> ref) {
                     guarded(done, [&] {
                       if (!ref) return fail_async(problem_for(ref.error()));
                       done(json_response(status::ok, json::object{{"conversation", ref->id},
                                                                   {"bot", ref->bot},
                                                                   {"channel", ref->channel},
                                                                   {"owner", ref->owner}}));
                     });
                   });
      return;
    }
    case http::endpoint::get_transcript: {
      auto after = parse_after(r.query);
      if (auto* p = std::get_if<problem>(&after)) return fail(*p);
      const auto after_seq = std::get<std::int64_t>(after);
      auto& e = engine_;
      engine_.find(id, std::get<std::string>(token),
                   [done, fail_async, after_seq, &e](engine::result<engine::conversation_ref> ref) {
                     guarded(done, [&] {
                       if (!ref) return fail_async(problem_for(ref.error()));
                       e.transcript(ref->id, after_seq,
                                    [done, fail_async, conv = *ref](
                                        engine::result<std::vector<engine::transcript_entry>> t) {
                                      guarded(done, [&] {
                                        if (!t) return fail_async(problem_for(t.error()));
                                        done(json_response(
                                            status::ok,
                                            json::object{{"conversation", conv.id},
                                                         {"owner", conv.owner},
                                                         {"messages", entries_json(*t)}}));
                                      });
                                    });
                     });
                   });
      return;
    }
    case http::endpoint::post_message: {
      auto parsed = parse_post_message(req, limits_.max_message_bytes);
      if (auto* p = std::get_if<problem>(&parsed)) return fail(*p);
      auto m = std::get<post_message>(std::move(parsed));
      if (m.client_id.empty()) m.client_id = random_id();
      auto& e = engine_;
      engine_.find(id, std::get<std::string>(token),
                   [done, fail_async, m = std::move(m), &e](engine::result<engine::conversation_ref> ref) {
        guarded(done, [&] {
          if (!ref) return fail_async(problem_for(ref.error()));
          dialogs::user_message um{m.text, m.payload};
          e.post_message(ref->id, std::move(um), m.client_id,
                         [done, fail_async, client_id = m.client_id](
                             engine::result<engine::post_result> res) {
            guarded(done, [&] {
              if (!res) return fail_async(problem_for(res.error()));
              // A redelivery (same idempotency key) answers what the first delivery answered.
              done(json_response(status::ok, json::object{{"seq", res->seq},
                                                          {"id", client_id},
                                                          {"duplicate", res->duplicate},
                                                          {"messages", entries_json(res->replies)}}));
            });
          });
        });
      });
      return;
    }
    case http::endpoint::post_event: {
      auto parsed = parse_post_event(req);
      if (auto* p = std::get_if<problem>(&parsed)) return fail(*p);
      auto ev = std::get<post_event>(std::move(parsed));
      auto& e = engine_;
      engine_.find(id, std::get<std::string>(token),
                   [done, fail_async, ev = std::move(ev), &e](engine::result<engine::conversation_ref> ref) {
        guarded(done, [&] {
          if (!ref) return fail_async(problem_for(ref.error()));
          dialogs::event event;
          if (ev.name == "start")
            event = dialogs::start_event{ref->channel, ev.locale, ev.props};
          else
            event = dialogs::named_event{ev.name, ev.props};
          e.post_event(ref->id, std::move(event), [done, fail_async](engine::result<engine::post_result> res) {
            guarded(done, [&] {
              if (!res) return fail_async(problem_for(res.error()));
              done(json_response(status::ok, json::object{{"messages", entries_json(res->replies)}}));
            });
          });
        });
      });
      return;
    }
    default:
      return fail(make_problem(status::not_found, "not_found", "no such endpoint"));
  }
}

}  // namespace rapport::connectors::rest
