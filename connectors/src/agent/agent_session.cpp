#include "agent/agent_session.hpp"

#include <set>

#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket.hpp>

namespace rapport::connectors::agent {
namespace websocket = boost::beast::websocket;

agent_session::agent_session(tcp::socket&& socket, std::shared_ptr<http::server_state> state,
                             http::connection_slot slot, std::unique_ptr<http::connection_guard> guard,
                             std::string client_address, engine::agent_profile agent)
    : ws_(std::move(socket)),
      state_(std::move(state)),
      writer_(ws_, state_->options.limits.write_queue_frames, state_->counters, [this] { finish(); }),
      slot_(std::move(slot)),
      guard_(std::move(guard)),
      client_address_(std::move(client_address)),
      agent_(std::move(agent)) {
  state_->counters.websockets_total.fetch_add(1);
  state_->counters.websockets_active.fetch_add(1);
}

agent_session::~agent_session() {
  open_.clear();
  desk_.reset();
  state_->counters.websockets_active.fetch_sub(1);
  if (registry_id_ != 0) state_->remove_session(registry_id_);
}

template <class F>
void agent_session::on_strand(F&& f) {
  net::post(ws_.get_executor(), [self = shared_from_this(), f = std::forward<F>(f)]() mutable {
    try {
      f(*self);
    } catch (const std::exception&) {  // no exception leaves a completion handler
      self->close({websocket::close_code::internal_error, "internal error"});
    }
  });
}

void agent_session::run(request req) {
  registry_id_ = state_->add_session(weak_from_this());
  http::configure_server_stream(ws_, state_->options.limits);
  auto shared_req = std::make_shared<request>(std::move(req));
  ws_.async_accept(*shared_req, [self = shared_from_this(), shared_req](beast::error_code ec) {
    self->on_accept(ec);
  });
}

void agent_session::on_accept(beast::error_code ec) {
  accepted_ = true;
  if (ec) return finish();
  if (closing_ || state_->draining.load()) {
    closing_ = false;
    return close({websocket::close_code::going_away, "service restart"});
  }
  std::weak_ptr<agent_session> weak = shared_from_this();
  auto ex = ws_.get_executor();
  desk_ = state_->engine.desk().connect(
      agent_.id,
      [weak, ex](const engine::desk_view& v) {
        net::post(ex, [weak, v] {
          if (auto s = weak.lock()) s->on_desk(v);
        });
      },
      [weak, ex] {  // the agent was removed
        net::post(ex, [weak] {
          if (auto s = weak.lock()) s->close({websocket::close_code::policy_error, "agent removed"});
        });
      });
  do_read();
}

void agent_session::shutdown() {
  on_strand([](agent_session& s) { s.close({websocket::close_code::going_away, "service restart"}); });
}

void agent_session::abort() {
  on_strand([](agent_session& s) {
    s.finish();
    beast::error_code ignored;
    beast::get_lowest_layer(s.ws_).close(ignored);
  });
}

void agent_session::do_read() {
  if (finished_ || closing_) return;
  ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t n) {
    self->on_read(ec, n);
  });
}

void agent_session::on_read(beast::error_code ec, std::size_t) {
  if (ec) return finish();
  state_->counters.frames_in.fetch_add(1);
  const std::string text = beast::buffers_to_string(buffer_.data());
  buffer_.consume(buffer_.size());
  try {
    handle_frame(text);
  } catch (const std::exception&) {
    return close({websocket::close_code::internal_error, "internal error"});
  }
  do_read();
}

void agent_session::handle_frame(std::string_view text) {
  if (closing_) return;
  auto parsed = parse_agent_frame(text, state_->options.limits.max_message_bytes);
  if (auto* e = std::get_if<frame_error>(&parsed)) {
    state_->counters.bad_requests.fetch_add(1);
    return send_error(std::move(*e));
  }
  auto& desk = state_->engine.desk();
  const std::string& me = agent_.id;
  auto self = shared_from_this();
  auto reply = [self](std::string request) {
    return [self, request = std::move(request)](boost::system::error_code ec) {
      self->on_strand([request, ec](agent_session& s) { s.answer(request, ec); });
    };
  };
  std::visit(
      [&](auto&& f) {
        using T = std::decay_t<decltype(f)>;
        if constexpr (std::is_same_v<T, presence_frame>) {
          desk.set_presence(me, f.status);
        } else if constexpr (std::is_same_v<T, open_frame>) {
          open(f.conversation);
        } else if constexpr (std::is_same_v<T, leave_frame>) {
          leave(f.conversation);
        } else if constexpr (std::is_same_v<T, accept_frame>) {
          desk.accept(me, f.conversation, reply(f.request));
        } else if constexpr (std::is_same_v<T, decline_frame>) {
          desk.decline(me, f.conversation);
        } else if constexpr (std::is_same_v<T, message_frame>) {
          if (!state_->limiter->allow_message(client_address_))
            return send_error({"rate_limited", "too many messages; this one was not sent", f.id, {}});
          desk.send(me, f.conversation, f.text, f.id,
                    [self, id = f.id, conversation = f.conversation](engine::result<engine::post_result> r) {
                      self->on_strand([r = std::move(r), id, conversation](agent_session& s) {
                        if (r) return s.send(ack_json(id, conversation, r->seq));
                        s.send_error({code_for(r.error()), r.error().message(), id, {}});
                      });
                    });
        } else if constexpr (std::is_same_v<T, typing_frame>) {
          desk.typing(me, f.conversation, f.on);
        } else if constexpr (std::is_same_v<T, seen_frame>) {
          if (open_.count(f.conversation)) state_->engine.seen(f.conversation, engine::author::human, f.seq);
        } else if constexpr (std::is_same_v<T, return_frame>) {
          desk.return_to_bot(me, f.conversation, f.flow, reply(f.request));
        } else if constexpr (std::is_same_v<T, transfer_frame>) {
          desk.transfer(me, f.conversation, f.team, f.agent, reply(f.request));
        } else if constexpr (std::is_same_v<T, close_frame>) {
          desk.close(me, f.conversation, f.outcome, reply(f.request));
        }
      },
      std::get<agent_frame>(std::move(parsed)));
}

void agent_session::answer(const std::string& request, boost::system::error_code ec) {
  send(result_json(request, ec));
}

void agent_session::on_desk(const engine::desk_view& v) {
  if (closing_ || finished_) return;
  // A conversation that left this agent's desk (another agent took it, the visitor left the
  // queue) is no longer shown to them.
  std::set<std::string> visible;
  for (const auto& c : v.queue) visible.insert(c.id);
  for (const auto& c : v.mine) visible.insert(c.id);
  for (auto it = open_.begin(); it != open_.end();) {
    if (visible.count(it->first)) {
      ++it;
      continue;
    }
    send(gone_json(it->first));
    it = open_.erase(it);
  }
  view_ = v;
  send(desk_json(v));
}

std::string agent_session::owner_of(const std::string& conversation) const {
  for (const auto& c : view_.mine)
    if (c.id == conversation) return "human";
  return "queued";  // on the desk, not theirs: waiting in a queue
}

void agent_session::open(const std::string& conversation) {
  auto self = shared_from_this();
  state_->engine.desk().may_view(agent_.id, conversation, [self, conversation](bool ok) {
    self->on_strand([ok, conversation](agent_session& s) {
      if (s.closing_) return;
      if (!ok) return s.send_error({"forbidden", "this conversation is not on your desk", {}, {}});
      // Subscribe first, then read the transcript: updates in between are de-duplicated by seq.
      std::weak_ptr<agent_session> weak = s.shared_from_this();
      auto last_seq = std::make_shared<std::int64_t>(-1);  // -1: the transcript is not sent yet
      auto buffered = std::make_shared<std::vector<engine::conversation_update>>();
      s.open_[conversation] = s.state_->engine.subscribe(
          conversation, [weak, ex = s.ws_.get_executor(), last_seq, buffered](const engine::conversation_update& u) {
            net::post(ex, [weak, u, last_seq, buffered] {
              auto s = weak.lock();
              if (!s || !s->open_.count(u.conversation_id)) return;
              if (*last_seq < 0) return buffered->push_back(u);
              if (u.what == engine::conversation_update::kind::message) {
                if (u.message.seq <= *last_seq) return;
                *last_seq = u.message.seq;
              }
              if (u.what == engine::conversation_update::kind::typing && u.who == engine::author::human) return;
              s->send(update_json(u));
            });
          });
      s.state_->engine.transcript(
          conversation, 0,
          [weak, conversation, last_seq, buffered](engine::result<std::vector<engine::transcript_entry>> r) {
            auto s = weak.lock();
            if (!s) return;
            s->on_strand([r = std::move(r), conversation, last_seq, buffered](agent_session& s) {
              if (!s.open_.count(conversation)) return;
              if (!r) return s.send_error({code_for(r.error()), "the transcript could not be read", {}, {}});
              *last_seq = r->empty() ? 0 : r->back().seq;
              s.send(conversation_json(conversation, s.owner_of(conversation), *r));
              for (const auto& u : *buffered) {
                if (u.what == engine::conversation_update::kind::message && u.message.seq <= *last_seq) continue;
                if (u.what == engine::conversation_update::kind::message) *last_seq = u.message.seq;
                s.send(update_json(u));
              }
              buffered->clear();
            });
          });
    });
  });
}

void agent_session::leave(const std::string& conversation) { open_.erase(conversation); }

// ---- writing -----------------------------------------------------------------------------------

void agent_session::send_error(frame_error e) {
  send(error_json(e));
  if (++errors_ >= state_->options.limits.max_errors)
    close({websocket::close_code::policy_error, "too many errors"});
}

void agent_session::send(std::string frame) {
  if (closing_ || finished_) return;
  writer_.send(std::move(frame), shared_from_this());
}

void agent_session::close(websocket::close_reason reason) {
  if (closing_ || finished_) return;
  closing_ = true;
  open_.clear();
  desk_.reset();
  if (!accepted_) return;  // on_accept closes once the handshake is done
  writer_.close(reason, shared_from_this());
}

void agent_session::finish() {
  finished_ = true;
  closing_ = true;
  open_.clear();
  desk_.reset();
  writer_.discard();
}

}  // namespace rapport::connectors::agent
