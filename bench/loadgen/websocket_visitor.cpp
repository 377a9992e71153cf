// A website visitor over the widget WebSocket protocol (docs/protocols/widget.md), or the same
// frames against bench/echo_server, where any frame back is the reply.
#include <deque>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include "run.hpp"

namespace rapport::bench {
namespace {
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace json = boost::json;
using error_code = boost::system::error_code;
using ws_stream = websocket::stream<beast::tcp_stream>;
constexpr auto use = net::as_tuple(net::use_awaitable);

net::awaitable<void> sleep_for(std::chrono::milliseconds d) {
  net::steady_timer timer(co_await net::this_coro::executor, d);
  co_await timer.async_wait(use);
}

std::string text_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::int64_t int_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_int64() ? v->get_int64() : 0;
}

// What one step waits for.
struct awaited {
  std::string reply_key;   // a bot message with this key
  std::string ack_id;      // an ack of this message id (empty: none)
  bool replied = false;
  bool acked = false;
  bool resend = false;     // refused for now (rate_limited, overloaded): send again
  bool refused = false;    // refused for good
  bool done() const { return replied && (ack_id.empty() || acked); }
};

class visit {
 public:
  visit(generator_thread& t, std::size_t visitor, bool silent, std::uint64_t number)
      : t_(t), opt_(t.run.opt), visitor_(visitor), number_(number) {
    record_.silent = silent;
  }

  net::awaitable<void> play() {
    ++t_.st.conversations_started;
    const bool ok = co_await converse();
    if (ok) ++t_.st.conversations_done;
    if (opt_.hold && ok) co_await idle();
    if (connected_) co_await ws_->async_close(websocket::close_code::normal, use);
    if (opt_.verify && !record_.id.empty()) t_.records.push_back(std::move(record_));
  }

 private:
  bool echo() const { return opt_.mode == protocol::echo; }

  net::awaitable<bool> converse() {
    const bool joined = !co_await connect() && co_await join() == join_result::joined;
    if (!joined && !(opt_.reconnect && !connected_ && co_await reconnect())) {
      t_.st.error("connect");
      co_return false;
    }
    const auto& steps = t_.run.steps.steps;
    const std::size_t n = record_.silent ? 2 : t_.run.steps_per_conversation();
    for (std::size_t i = 0; i < n; ++i) {
      if (i > 0 && opt_.think.count() > 0) co_await sleep_for(opt_.think);
      if (!co_await step(steps[i], i)) co_return false;
      ++record_.steps_answered;
    }
    if (record_.silent) co_return co_await wait_for_nudge();
    co_return true;
  }

  // ---- connection --------------------------------------------------------------------------

  net::awaitable<error_code> connect() {
    ws_ = std::make_unique<ws_stream>(co_await net::this_coro::executor);
    auto& socket = beast::get_lowest_layer(*ws_).socket();
    if (auto ec = co_await connect_from(socket, opt_, t_.source_for(visitor_))) co_return ec;
    set_idle_timeout(opt_.timeout);
    ws_->set_option(websocket::stream_base::decorator([origin = opt_.origin](websocket::request_type& r) {
      r.set(beast::http::field::origin, origin);
      r.set(beast::http::field::user_agent, "rapport-loadgen");
    }));
    ws_->text(true);
    auto [ec] = co_await ws_->async_handshake(opt_.host + ":" + std::to_string(opt_.port), opt_.path, use);
    connected_ = !ec;
    co_return ec;
  }

  void set_idle_timeout(std::optional<std::chrono::milliseconds> limit) {
    websocket::stream_base::timeout to{};
    to.handshake_timeout = opt_.timeout;
    to.idle_timeout = websocket::stream_base::none();
    if (limit) to.idle_timeout = *limit;
    to.keep_alive_pings = false;  // a read waiting longer than this fails with timeout
    ws_->set_option(to);
  }

  enum class join_result { joined, disconnected, refused };

  // hello → welcome; resumes the conversation when it is known (after a reconnect).
  net::awaitable<join_result> join() {
    json::object hello{{"type", "hello"}, {"bot", opt_.bot}, {"locale", "en"}, {"batch", opt_.batch}};
    if (record_.id.empty()) {
      hello["conversation"] = nullptr;
      hello["page"] = json::object{{"url", "https://www.example.com/features?utm_source=bench"},
                                   {"title", "Features"}};
    } else {
      hello["conversation"] = record_.id;
      hello["token"] = record_.token;
      hello["last_seq"] = last_seq_;
    }
    const bool resuming = !record_.id.empty();
    const auto start = steady::now();
    if (co_await send(json::serialize(hello))) co_return join_result::disconnected;
    for (;;) {
      if (co_await read()) co_return join_result::disconnected;
      if (echo()) break;
      const auto& o = frame_;
      const auto type = text_of(o, "type");
      if (type == "welcome") {
        const bool resumed = o.contains("resumed") && o.at("resumed").is_bool() && o.at("resumed").get_bool();
        if (resuming && !resumed) {
          t_.st.error("resume_refused");
          co_return join_result::refused;
        }
        record_.id = text_of(o, "conversation");
        if (auto token = text_of(o, "token"); !token.empty()) record_.token = token;
        break;
      }
      if (type == "error") {
        t_.st.error("hello_" + text_of(o, "code"));
        co_return join_result::refused;
      }
    }
    if (!resuming) measured(start);  // a resume is not one of the scripted round trips
    co_return join_result::joined;
  }

  // After a disconnection: reconnect with backoff and resume, for up to 30 s.
  net::awaitable<bool> reconnect() {
    ++t_.st.reconnects;
    auto backoff = std::chrono::milliseconds(50);
    const auto give_up = steady::now() + std::chrono::seconds(30);
    while (steady::now() < give_up) {
      co_await sleep_for(backoff);
      backoff = std::min(backoff * 2, std::chrono::milliseconds(1000));
      if (co_await connect()) continue;
      switch (co_await join()) {
        case join_result::joined: co_return true;
        case join_result::refused: co_return false;
        case join_result::disconnected: continue;
      }
    }
    co_return false;
  }

  net::awaitable<error_code> send(std::string frame) {
    outgoing_ = std::move(frame);
    auto [ec, n] = co_await ws_->async_write(net::buffer(outgoing_), use);
    if (ec) connected_ = false;
    co_return ec;
  }

  // Reads the next frame into frame_: the rest of a batch first, else the next message (one
  // frame, or a batch: an array of frames). In echo mode any message is the reply, unparsed.
  net::awaitable<error_code> read() {
    if (!unread_.empty()) {
      frame_ = std::move(unread_.front());
      unread_.pop_front();
      co_return error_code{};
    }
    buffer_.clear();
    auto [ec, n] = co_await ws_->async_read(buffer_, use);
    if (ec) {
      connected_ = false;
      unread_.clear();
      co_return ec;
    }
    if (echo()) co_return ec;
    auto v = json::parse(std::string_view(static_cast<const char*>(buffer_.data().data()), buffer_.size()), ec);
    frame_ = {};
    if (!ec && v.is_object()) {
      frame_ = std::move(v.get_object());
    } else if (!ec && v.is_array() && !v.get_array().empty()) {
      for (auto& f : v.get_array()) unread_.push_back(f.is_object() ? std::move(f.get_object()) : json::object{});
      frame_ = std::move(unread_.front());
      unread_.pop_front();
    } else {
      t_.st.error("bad_json_from_server");
    }
    co_return error_code{};
  }

  void measured(steady::time_point since) {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(steady::now() - since).count();
    t_.st.latency_us.push_back(static_cast<std::uint32_t>(us));
    ++t_.st.round_trips;
  }

  // ---- steps -------------------------------------------------------------------------------

  std::string frame_for(const script_step& s, const std::string& id) const {
    if (s.what == script_step::kind::start) return R"({"type":"start"})";
    json::object m{{"type", "message"}, {"id", id}, {"text", s.text}};
    if (s.what == script_step::kind::click) m["payload"] = s.payload;
    return json::serialize(m);
  }

  // Sends one step and waits for its reply (and the ack of a message). With --reconnect a
  // disconnection is survived: reconnect, resume, re-send what is not acknowledged yet.
  net::awaitable<bool> step(const script_step& s, std::size_t index) {
    const std::string id = "m" + std::to_string(t_.index) + "." + std::to_string(visitor_) + "." +
                           std::to_string(number_) + "." + std::to_string(index);
    const std::string frame = frame_for(s, id);
    awaited want{s.expect, s.what == script_step::kind::start ? "" : id};
    const auto start = steady::now();
    bool must_send = true;
    while (true) {
      if (!connected_) {
        if (!opt_.reconnect || !co_await reconnect()) {
          t_.st.error("disconnected");
          co_return false;
        }
        // A message acknowledged before the crash is in the store; its reply arrives in the replay.
        must_send = want.ack_id.empty() ? !want.replied : !want.acked;
      }
      if (must_send || want.resend) {
        if (want.resend) co_await sleep_for(std::chrono::milliseconds(100));
        want.resend = false;
        if (co_await send(frame)) continue;
        must_send = false;
      }
      if (auto ec = co_await read()) {
        if (ec == beast::error::timeout) {
          t_.st.error("timeout");
          co_return false;
        }
        continue;
      }
      if (echo()) break;
      on_frame(frame_, want);
      if (want.refused) co_return false;
      if (want.done()) break;
    }
    measured(start);
    co_return true;
  }

  void on_frame(const json::object& o, awaited& want) {
    const auto type = text_of(o, "type");
    if (type == "message") {
      const auto seq = int_of(o, "seq");
      if (seq <= last_seq_) return t_.st.error("duplicate_delivery");
      if (seq != last_seq_ + 1) t_.st.error("seq_gap");
      last_seq_ = seq;
      const auto role = text_of(o, "role");
      const auto key = text_of(o, "key");
      if (opt_.verify) record_.received[seq] = role + " " + key;
      if (role != "bot") return;
      if (key == want.reply_key) want.replied = true;
      else if (key == opt_.nudge_key) ++t_.st.nudges;  // a long pause (a restart) may earn one
      else t_.st.error("unexpected_reply " + key);
    } else if (type == "ack") {
      if (text_of(o, "id") != want.ack_id) return;
      want.acked = true;
      if (opt_.verify) record_.acked[want.ack_id] = int_of(o, "seq");
    } else if (type == "error") {
      const auto code = text_of(o, "code");
      t_.st.error(code);
      if (code == "rate_limited" || code == "overloaded") want.resend = true;
      else want.refused = true;
    }
  }

  // A silent visitor: says nothing more and waits for the bot's one no-input nudge.
  net::awaitable<bool> wait_for_nudge() {
    set_idle_timeout(opt_.nudge_wait);
    awaited want{opt_.nudge_key, ""};
    while (!want.done()) {
      if (!connected_) {
        if (!opt_.reconnect || !co_await reconnect()) co_return false;
        set_idle_timeout(opt_.nudge_wait);
      }
      if (auto ec = co_await read()) {
        if (ec == beast::error::timeout) {
          t_.st.error("no_nudge");
          co_return false;
        }
        continue;
      }
      on_frame(frame_, want);
      if (want.refused) co_return false;
    }
    ++t_.st.nudges;
    co_return true;
  }

  // Hold mode: stay connected and idle (answering pings) until the run stops.
  net::awaitable<void> idle() {
    set_idle_timeout(std::nullopt);
    ++t_.run.idle;
    for (;;) {
      const error_code ec = co_await read();
      if (!ec) continue;
      if (!t_.run.stopping.load()) t_.st.error("dropped_while_idle");
      co_return;
    }
  }

  generator_thread& t_;
  const options& opt_;
  std::size_t visitor_;
  std::uint64_t number_;
  std::unique_ptr<ws_stream> ws_;
  beast::flat_buffer buffer_;
  json::object frame_;                // the frame read last
  std::deque<json::object> unread_;   // the rest of its batch
  std::string outgoing_;
  bool connected_ = false;
  std::int64_t last_seq_ = 0;
  conversation_record record_;
};

}  // namespace

net::awaitable<void> websocket_visitor(generator_thread& t, std::size_t visitor, bool silent, bool once) {
  if (!once && t.run.opt.ramp.count() > 0)
    co_await sleep_for(t.run.opt.ramp * static_cast<long>(visitor) / static_cast<long>(t.run.opt.visitors));
  ++t.active;
  for (std::uint64_t n = 0; t.run.take_conversation(); ++n) {
    visit v(t, visitor, silent, n);
    co_await v.play();
    if (once || silent || t.run.opt.hold) break;
  }
  --t.active;
}

}  // namespace rapport::bench
