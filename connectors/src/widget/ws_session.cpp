#include "widget/ws_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket.hpp>

namespace rapport::connectors::widget {
namespace websocket = boost::beast::websocket;

ws_session::ws_session(tcp::socket&& socket, std::shared_ptr<http::server_state> state,
                       http::connection_slot slot, std::unique_ptr<http::connection_guard> guard,
                       std::string client_address)
    : ws_(std::move(socket)),
      state_(std::move(state)),
      writer_(ws_, state_->options.limits.write_queue_frames, state_->counters, [this] { finish(); }),
      slot_(std::move(slot)),
      guard_(std::move(guard)),
      client_address_(std::move(client_address)) {
  parse_limits_.max_message_bytes = state_->options.limits.max_message_bytes;
  state_->counters.websockets_total.fetch_add(1);
  state_->counters.websockets_active.fetch_add(1);
}

ws_session::~ws_session() {
  subscription_.reset();
  state_->counters.websockets_active.fetch_sub(1);
  if (registry_id_ != 0) state_->remove_session(registry_id_);
}

template <class F>
void ws_session::on_strand(F&& f) {
  {
    std::lock_guard lock(inbox_mutex_);
    inbox_.emplace_back(std::forward<F>(f));
    if (inbox_.size() > 1) return;  // already posted: it runs with the others
  }
  net::post(ws_.get_executor(), [self = shared_from_this()] {
    std::vector<std::function<void(ws_session&)>> tasks;
    {
      std::lock_guard lock(self->inbox_mutex_);
      tasks.swap(self->inbox_);
    }
    for (auto& task : tasks) self->guarded([&] { task(*self); });
  });
}

template <class F>
void ws_session::guarded(F&& f) {
  // No exception may leave a completion handler: the connection ends instead (1011).
  try {
    f();
  } catch (const std::exception&) {
    if (!closing_ && !finished_) close({websocket::close_code::internal_error, "internal error"});
  }
}

void ws_session::run(request req) {
  registry_id_ = state_->add_session(weak_from_this());
  http::configure_server_stream(ws_, state_->options.limits);
  // The upgrade request is kept alive by the handler until the handshake is done.
  auto shared_req = std::make_shared<request>(std::move(req));
  ws_.async_accept(*shared_req, [self = shared_from_this(), shared_req](beast::error_code ec) {
    self->on_accept(ec);
  });
}

void ws_session::on_accept(beast::error_code ec) {
  accepted_ = true;
  if (ec) return finish();
  if (close_on_accept_ || state_->draining.load()) {
    closing_ = false;
    return close(close_on_accept_ ? *close_on_accept_
                                  : websocket::close_reason{websocket::close_code::going_away, "service restart"});
  }
  hello_deadline_ = std::make_unique<net::steady_timer>(ws_.get_executor());
  hello_deadline_->expires_after(state_->options.limits.request_timeout);
  hello_deadline_->async_wait([weak = weak_from_this()](beast::error_code ec) {
    auto self = weak.lock();
    if (ec || !self || self->conversation_id_.size() > 0) return;
    self->close({websocket::close_code::policy_error, "no hello"});
  });
  do_read();
}

void ws_session::shutdown() {
  on_strand([](ws_session& s) {
    s.close({websocket::close_code::going_away, "service restart"});
  });
}

void ws_session::abort() {
  on_strand([](ws_session& s) {
    s.finish();
    beast::error_code ignored;
    beast::get_lowest_layer(s.ws_).close(ignored);
  });
}

void ws_session::do_read() {
  if (finished_ || closing_) return;
  // A frame is read a little at a time: the read waiting on an idle connection then holds a
  // small buffer, where a whole-message read would take 1.5 KiB up front. Most frames fit in
  // one piece; a longer one takes a few reads (read_message_max still bounds the whole frame).
  constexpr std::size_t piece_bytes = 256;
  ws_.async_read_some(buffer_, piece_bytes, [self = shared_from_this()](beast::error_code ec, std::size_t n) {
    self->on_read(ec, n);
  });
}

void ws_session::on_read(beast::error_code ec, std::size_t) {
  if (ec) {
    // closed: the client closed; message_too_big: Beast has sent 1009; anything else: gone.
    if (ec == websocket::error::message_too_big) state_->counters.bad_requests.fetch_add(1);
    return finish();
  }
  if (!ws_.is_message_done()) return do_read();  // the rest of this frame
  state_->counters.frames_in.fetch_add(1);
  if (!ws_.got_text()) {
    buffer_.consume(buffer_.size());
    send_error({"bad_frame", "frames must be text (UTF-8 JSON)", {}});
    return do_read();
  }
  const std::string text = beast::buffers_to_string(buffer_.data());
  buffer_.consume(buffer_.size());
  buffer_.shrink_to_fit();  // an idle connection keeps no read buffer (~1.5 KiB)
  guarded([&] { handle_frame(text); });
  // A hello pauses reading until the conversation is joined and replayed (see joined()).
  if (phase_ != phase::joining) do_read();
}

void ws_session::handle_frame(std::string_view text) {
  if (closing_) return;
  auto parsed = parse_client_frame(text, parse_limits_);
  if (!parsed.ok()) {
    state_->counters.bad_requests.fetch_add(1);
    return send_error(parsed.error());
  }
  std::visit(
      [this](auto&& f) {
        using T = std::decay_t<decltype(f)>;
        if constexpr (std::is_same_v<T, hello_frame>) {
          if (phase_ != phase::waiting_hello)
            return send_error({"bad_frame", "hello was already received on this connection", {}});
          on_hello(std::move(f));
        } else if constexpr (std::is_same_v<T, message_frame>) {
          on_message(std::move(f));
        } else {
          if (phase_ != phase::joined) return send_error({"no_hello", "send hello first", {}});
          if constexpr (std::is_same_v<T, start_frame>) {
            post_event(dialogs::start_event{"web", hello_.locale, context_from_hello(hello_)});
          } else if constexpr (std::is_same_v<T, event_frame>) {
            on_event(std::move(f));
          } else if constexpr (std::is_same_v<T, typing_frame>) {
            if (f.on != visitor_typing_) {
              visitor_typing_ = f.on;
              state_->engine.typing(conversation_id_, engine::author::visitor, f.on);
            }
          } else if constexpr (std::is_same_v<T, seen_frame>) {
            // Read receipts reach the agent console (an agent sees "read").
            if (f.seq > seen_seq_) {
              seen_seq_ = f.seq;
              state_->engine.seen(conversation_id_, engine::author::visitor, f.seq);
            }
          } else if constexpr (std::is_same_v<T, closed_frame>) {
            visitor_closed_ = true;
          }
        }
      },
      std::get<client_frame>(std::move(parsed.result)));
}

// ---- joining -------------------------------------------------------------------------------

void ws_session::on_hello(hello_frame h) {
  phase_ = phase::joining;
  last_sent_seq_ = h.last_seq;
  writer_.batch(h.batch);
  // Kept as sent (the page context is built when needed): a few strings are much smaller than
  // the context's map, and an idle connection keeps them for as long as it is open.
  hello_ = std::move(h);
  auto conversation = std::exchange(hello_.conversation, {});
  auto token = std::exchange(hello_.token, {});
  if (conversation.empty() || token.empty()) {
    open_new();  // refused: on_read resumes reading (phase_ is waiting_hello again)
    return;
  }
  state_->engine.find(
      std::move(conversation), token,
      [self = shared_from_this(), token](engine::result<engine::conversation_ref> r) {
        self->on_strand([r = std::move(r), token](ws_session& s) mutable {
          if (s.closing_) return;
          if (r && r->bot == s.hello_.bot) {
            r->token = token;
            return s.joined(std::move(*r), true);
          }
          if (!r && r.error() != engine::errc::no_such_conversation) {
            s.send_error({error_code_for(r.error()), r.error().message(), {}});
            s.phase_ = phase::waiting_hello;
            return s.do_read();
          }
          s.send_error({"bad_token",
                        "the conversation does not exist or the token does not match; "
                        "starting a new conversation",
                        {}});
          s.last_sent_seq_ = 0;
          if (!s.open_new()) s.do_read();
        });
      });
}

bool ws_session::open_new() {
  // A new conversation is stored: it counts against the address's rate like a message.
  if (!state_->limiter->allow_message(client_address_)) {
    state_->counters.rate_limited_messages.fetch_add(1);
    send_error({"rate_limited", "too many new conversations from this address; say hello again later", {}});
    phase_ = phase::waiting_hello;
    return false;  // the caller resumes reading
  }
  engine::open_request o;
  o.bot = hello_.bot;
  o.channel = "web";
  o.locale = hello_.locale;
  o.context = context_from_hello(hello_);
  o.start = false;  // the opener runs on `start` (the visitor opened the widget)
  state_->engine.open(std::move(o), [self = shared_from_this()](engine::result<engine::open_result> r) {
    self->on_strand([r = std::move(r)](ws_session& s) mutable {
      if (s.closing_) return;
      if (!r) {
        s.send_error({error_code_for(r.error()),
                      r.error() == engine::errc::unknown_bot
                          ? "no bot named \"" + s.hello_.bot + "\" is served here"
                          : r.error().message(),
                      {}});
        s.phase_ = phase::waiting_hello;
        return s.do_read();
      }
      s.joined(std::move(r->conversation), false);
    });
  });
  return true;
}

void ws_session::joined(engine::conversation_ref ref, bool resumed) {
  conversation_id_ = ref.id;
  hello_deadline_.reset();  // cancels it
  // Subscribe first, then read the transcript: whatever commits in between is buffered and
  // delivered after the replay, de-duplicated by seq. Nothing is lost, nothing repeated.
  replaying_ = true;
  std::weak_ptr<ws_session> weak = shared_from_this();
  subscription_ = state_->engine.subscribe(ref.id, [weak](const engine::conversation_update& u) {
    if (auto self = weak.lock()) self->on_strand([u](ws_session& s) { s.on_update(u); });
  });
  send(welcome_json(ref, resumed));
  state_->engine.transcript(
      ref.id, last_sent_seq_,
      [self = shared_from_this()](engine::result<std::vector<engine::transcript_entry>> r) {
        self->on_strand([r = std::move(r)](ws_session& s) mutable { s.on_replay(std::move(r)); });
      });
}

void ws_session::on_replay(engine::result<std::vector<engine::transcript_entry>> entries) {
  if (closing_) return;
  if (entries) {
    for (const auto& e : *entries) {
      if (e.seq <= last_sent_seq_) continue;
      send(message_json(e, false));
      last_sent_seq_ = e.seq;
    }
  } else {
    send_error({error_code_for(entries.error()), "the transcript could not be read", {}});
  }
  replaying_ = false;
  auto pending = std::move(pending_updates_);
  pending_updates_.clear();
  for (const auto& u : pending) deliver(u);
  phase_ = phase::joined;
  do_read();
}

void ws_session::on_update(const engine::conversation_update& u) {
  if (closing_ || finished_) return;
  if (replaying_) {
    if (pending_updates_.size() >= state_->options.limits.write_queue_frames) {
      state_->counters.slow_clients_dropped.fetch_add(1);
      return abort();
    }
    pending_updates_.push_back(u);
    return;
  }
  deliver(u);
}

void ws_session::deliver(const engine::conversation_update& u) {
  using kind = engine::conversation_update::kind;
  switch (u.what) {
    case kind::message:
      if (u.message.seq <= last_sent_seq_) return;
      last_sent_seq_ = u.message.seq;
      return send(message_json(u.message, true));
    case kind::typing:
      if (u.who == engine::author::visitor) return;  // the visitor knows they are typing
      return send(typing_json(u.who, u.typing));
    case kind::owner:
      return send(owner_json(u.owner));
    case kind::closed:
      return send(owner_json("closed"));
    case kind::seen:
      if (u.who == engine::author::visitor) return;
      return send(seen_json(u.who, u.seen_seq));
  }
}

// ---- visitor frames ------------------------------------------------------------------------

void ws_session::on_message(message_frame m) {
  if (phase_ != phase::joined) return send_error({"no_hello", "send hello first", m.id});
  if (!state_->limiter->allow_message(client_address_)) {
    state_->counters.rate_limited_messages.fetch_add(1);
    return send_error({"rate_limited",
                       "at most " + std::to_string(state_->options.limits.messages_per_minute) +
                           " messages per minute; this one was not processed",
                       m.id});
  }
  auto id = m.id;
  state_->engine.post_message(
      conversation_id_, dialogs::user_message{std::move(m.text), std::move(m.payload)}, id,
      [self = shared_from_this(), id](engine::result<engine::post_result> r) {
        self->on_strand([r = std::move(r), id](ws_session& s) {
          if (r) return s.send(ack_json(id, r->seq));  // committed: safe for the client to forget
          if (r.error() == engine::errc::shutting_down) return;  // re-sent after reconnecting
          s.send_error({error_code_for(r.error()), r.error().message(), id});
        });
      });
}

void ws_session::on_event(event_frame e) {
  // A proactive opener never follows the visitor closing the widget in this visit; the engine
  // runs it at most once per conversation.
  if (e.name == "proactive" && visitor_closed_) return;
  post_event(dialogs::named_event{std::move(e.name), std::move(e.props)});
}

void ws_session::post_event(dialogs::event e) {
  if (!state_->limiter->allow_message(client_address_)) {
    state_->counters.rate_limited_messages.fetch_add(1);
    return send_error({"rate_limited", "too many messages; this event was not processed", {}});
  }
  state_->engine.post_event(conversation_id_, std::move(e),
                            [self = shared_from_this()](engine::result<engine::post_result> r) {
                              if (r || r.error() == engine::errc::shutting_down) return;
                              self->on_strand([ec = r.error()](ws_session& s) {
                                s.send_error({error_code_for(ec), ec.message(), {}});
                              });
                            });
}

// ---- writing -------------------------------------------------------------------------------

void ws_session::send_error(frame_error e) {
  send(error_json(e));
  if (++errors_ >= state_->options.limits.max_errors)
    close({websocket::close_code::policy_error, "too many errors"});
}

void ws_session::send(std::string frame) {
  if (closing_ || finished_) return;
  writer_.send(std::move(frame), shared_from_this());
}

void ws_session::close(websocket::close_reason reason) {
  if (closing_ || finished_) return;
  if (!accepted_) {
    // The handshake's response is still being written: close once it is done.
    closing_ = true;
    close_on_accept_ = std::make_unique<websocket::close_reason>(reason);
    return;
  }
  closing_ = true;  // nothing new is queued from now on
  subscription_.reset();
  writer_.close(reason, shared_from_this());
}

void ws_session::finish() {
  hello_deadline_.reset();  // cancels it
  finished_ = true;
  closing_ = true;
  subscription_.reset();
  writer_.discard();
  pending_updates_.clear();
}

}  // namespace rapport::connectors::widget
