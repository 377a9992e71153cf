// A visitor over the REST API (docs/protocols/rest.md): start a conversation, post each step,
// find the scripted reply in the response.
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include "http_conn.hpp"

namespace rapport::bench {
namespace {
namespace json = boost::json;
using verb = boost::beast::http::verb;

bool has_key(const json::value& body, const std::string& key) {
  if (!body.is_object()) return false;
  const auto* messages = body.get_object().if_contains("messages");
  if (messages == nullptr || !messages->is_array()) return false;
  for (const auto& m : messages->get_array()) {
    const auto* k = m.is_object() ? m.get_object().if_contains("key") : nullptr;
    if (k != nullptr && k->is_string() && k->get_string() == key) return true;
  }
  return false;
}

std::string text_of(const json::value& body, std::string_view key) {
  const auto* v = body.is_object() ? body.get_object().if_contains(key) : nullptr;
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

class rest_visit {
 public:
  rest_visit(generator_thread& t, http_conn& conn, std::size_t visitor, std::uint64_t number)
      : t_(t), conn_(conn), visitor_(visitor), number_(number) {}

  net::awaitable<bool> play() {
    const auto& steps = t_.run.steps.steps;
    json::object open{{"bot", t_.run.opt.bot}, {"locale", "en"},
                      {"context", json::object{{"page", "/features"}, {"utm_source", "bench"}}}};
    auto created = co_await call(verb::post, "/api/v1/conversations", json::serialize(open), 201, steps[0].expect);
    if (!created) co_return false;
    id_ = text_of(created->body, "conversation");
    token_ = text_of(created->body, "token");
    const std::size_t n = t_.run.steps_per_conversation();
    for (std::size_t i = 1; i < n; ++i) {
      if (t_.run.opt.think.count() > 0) {
        net::steady_timer timer(co_await net::this_coro::executor, t_.run.opt.think);
        co_await timer.async_wait(net::use_awaitable);
      }
      const auto& s = steps[i];
      json::object m{{"text", s.text},
                     {"id", "r" + std::to_string(t_.index) + "." + std::to_string(visitor_) + "." +
                                std::to_string(number_) + "." + std::to_string(i)}};
      if (s.what == script_step::kind::click) m["payload"] = s.payload;
      if (!co_await call(verb::post, "/api/v1/conversations/" + id_ + "/messages", json::serialize(m), 200, s.expect))
        co_return false;
    }
    co_return true;
  }

 private:
  net::awaitable<std::optional<http_reply>> call(verb method, std::string target, std::string body,
                                                 unsigned expected_status, const std::string& reply_key) {
    const auto start = steady::now();
    auto reply = co_await conn_.request(method, std::move(target), std::move(body), token_);
    if (!reply) {
      t_.st.error("http_io");
      co_return std::nullopt;
    }
    if (reply->status != expected_status) {
      t_.st.error(reply->status == 429 ? "rate_limited" : "http_" + std::to_string(reply->status));
      co_return std::nullopt;
    }
    if (!has_key(reply->body, reply_key)) {
      t_.st.error("unexpected_reply");
      co_return std::nullopt;
    }
    t_.st.latency_us.push_back(static_cast<std::uint32_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(steady::now() - start).count()));
    ++t_.st.round_trips;
    co_return reply;
  }

  generator_thread& t_;
  http_conn& conn_;
  std::size_t visitor_;
  std::uint64_t number_;
  std::string id_, token_;
};

}  // namespace

net::awaitable<void> rest_visitor(generator_thread& t, std::size_t visitor, bool once) {
  const auto& opt = t.run.opt;
  if (!once && opt.ramp.count() > 0) {
    net::steady_timer timer(co_await net::this_coro::executor,
                            opt.ramp * static_cast<long>(visitor) / static_cast<long>(opt.visitors));
    co_await timer.async_wait(net::use_awaitable);
  }
  ++t.active;
  http_conn conn(opt, t.source_for(visitor));
  for (std::uint64_t n = 0; t.run.take_conversation(); ++n) {
    ++t.st.conversations_started;
    rest_visit v(t, conn, visitor, n);
    if (co_await v.play()) ++t.st.conversations_done;
    if (once) break;
  }
  --t.active;
}

}  // namespace rapport::bench
