// The engine's public operations: admission, validation, and handing work to conversations.
#include <boost/asio/post.hpp>

#include "runtime/random_tokens.hpp"
#include "runtime/runtime.hpp"

namespace rapport::engine::detail {

namespace asio = boost::asio;

namespace {

constexpr std::size_t max_id_bytes = 128;
constexpr std::size_t max_client_id_bytes = 256;
constexpr std::size_t max_name_bytes = 256;  // bot, channel, user, locale, event names
constexpr std::size_t max_context_entries = 64;

bool too_long(std::string_view s, std::size_t limit) { return s.size() > limit; }

bool context_ok(const dialogs::value_map& context, std::size_t max_value_bytes) {
  if (context.size() > max_context_entries) return false;
  for (const auto& [k, v] : context) {
    if (too_long(k, max_name_bytes)) return false;
    if (const auto* s = std::get_if<std::string>(&v); s && too_long(*s, max_value_bytes))
      return false;
  }
  return true;
}

conversation_ref ref_of(const stored_conversation& row, std::string token = {}) {
  return {row.id, std::move(token), row.bot, row.channel, row.user, row.owner};
}

}  // namespace

boost::system::error_code runtime::admit() {
  ++in_flight_;  // first, so shutdown never misses an event that passed the checks below
  if (stopping_) {
    release(false);
    return make_error_code(errc::shutting_down);
  }
  if (++queued_ > options_.max_queued_events) {
    release(true);
    return make_error_code(errc::overloaded);
  }
  return {};
}

void runtime::release(bool counted) {
  if (counted) --queued_;
  if (--in_flight_ == 0 && stopping_) maybe_finish_shutdown();
}

template <class T>
void runtime::fail_soon(std::function<void(result<T>)> done, boost::system::error_code ec) {
  if (!done) return;
  asio::post(io_, [done = std::move(done), ec] { done(result<T>(boost::system::in_place_error, ec)); });
}

void runtime::open(open_request request, std::function<void(result<open_result>)> done) {
  if (request.channel.empty()) request.channel = "web";
  if (too_long(request.bot, max_name_bytes) || too_long(request.channel, max_name_bytes) ||
      too_long(request.user, max_name_bytes) || too_long(request.locale, max_name_bytes) ||
      !context_ok(request.context, options_.max_message_bytes))
    return fail_soon(std::move(done), make_error_code(errc::bad_request));
  auto model = registry_->current(request.bot);
  if (!model) return fail_soon(std::move(done), make_error_code(errc::unknown_bot));
  if (auto ec = admit()) return fail_soon(std::move(done), ec);

  std::string key;
  if (!request.user.empty()) key = request.bot + '\n' + request.channel + '\n' + request.user;
  asio::post(io_, [self = shared_from_this(), request = std::move(request), model,
                   done = std::move(done), key]() mutable {
    if (key.empty()) return self->open_now(std::move(request), model, std::move(done), key);
    // Opens for one user run one after another: the second finds what the first created.
    self->run_keyed(key, [self, request = std::move(request), model, done = std::move(done),
                          key]() mutable {
      self->open_now(std::move(request), model, std::move(done), key);
    });
  });
}

void runtime::open_now(open_request request, std::shared_ptr<const dialogs::bot_model> model,
                       std::function<void(result<open_result>)> done, std::string user_key) {
  auto finish_early = [&](result<open_result> r) {
    if (!user_key.empty()) release_key(user_key);
    --queued_;
    done(std::move(r));
    release(false);
  };
  if (!request.user.empty()) {
    auto existing = store_->conversation_of(request.bot, request.channel, request.user);
    if (!existing) return finish_early({boost::system::in_place_error, existing.error()});
    if (*existing) return finish_early(open_result{ref_of(**existing), false, {}});
  }
  const auto now_ms = clock_().time_since_epoch().count();
  auto id = time_ordered_id(now_ms);
  auto token = random_token(32);
  auto seed = random_seed();
  if (!id || !token || !seed) {
    log("rapport: the random number generator failed; no conversation was created");
    return finish_early({boost::system::in_place_error, make_error_code(errc::store_failed)});
  }

  auto fresh = std::make_shared<fresh_conversation>();
  auto& row = fresh->row;
  row.id = *id;
  row.token_hash = hash_token(*token);
  row.bot = model->name;
  row.channel = request.channel;
  row.user = request.user.empty() ? "anonymous:" + *id : request.user;
  row.bot_version = model->version;
  row.owner = "bot";
  row.created_ms = row.updated_ms = now_ms;
  fresh->state = dialogs::new_conversation(*model, *seed);
  fresh->state.channel = request.channel;
  fresh->model = model;
  fresh->start = request.start;

  job j;
  j.kind = job_kind::open;
  j.counted = true;
  j.fresh = fresh;
  j.ev = dialogs::start_event{request.channel, request.locale, std::move(request.context)};
  j.done = [self = shared_from_this(), ref = ref_of(row, *token), done = std::move(done),
            user_key](result<post_result> r) {
    if (!user_key.empty()) self->release_key(user_key);
    if (!r) return done({boost::system::in_place_error, r.error()});
    done(open_result{ref, true, std::move(r->replies)});
  };
  enqueue(row.id, std::move(j));
}

void runtime::run_keyed(const std::string& key, std::function<void()> task) {
  {
    std::lock_guard lock(opening_mutex_);
    auto [it, first] = opening_.try_emplace(key);
    if (!first) {
      it->second.push_back(std::move(task));
      return;
    }
  }
  task();
}

void runtime::release_key(const std::string& key) {
  std::function<void()> next;
  {
    std::lock_guard lock(opening_mutex_);
    auto it = opening_.find(key);
    if (it == opening_.end()) return;
    if (it->second.empty()) {
      opening_.erase(it);
      return;
    }
    next = std::move(it->second.front());
    it->second.pop_front();
  }
  asio::post(io_, std::move(next));
}

void runtime::find(std::string id, std::string token,
                   std::function<void(result<conversation_ref>)> done) {
  asio::post(io_, [self = shared_from_this(), id = std::move(id), token = std::move(token),
                   done = std::move(done)] {
    const auto missing = make_error_code(errc::no_such_conversation);
    if (id.empty() || too_long(id, max_id_bytes) || too_long(token, max_name_bytes))
      return done({boost::system::in_place_error, missing});
    auto row = self->store_->conversation(id);
    if (!row) return done({boost::system::in_place_error, row.error()});
    // Hash first, then compare hashes in constant time: the work is the same for any token.
    const std::string presented = hash_token(token);
    if (!*row || !same_secret(presented, (*row)->token_hash))
      return done({boost::system::in_place_error, missing});
    done(ref_of(**row));
  });
}

void runtime::post_message(std::string id, dialogs::user_message message, std::string client_id,
                           post_handler done) {
  if (message.text.empty() && message.payload.empty())
    return fail_soon(std::move(done), make_error_code(errc::bad_request));
  if (too_long(message.text, options_.max_message_bytes) ||
      too_long(message.payload, options_.max_message_bytes) ||
      too_long(client_id, max_client_id_bytes))
    return fail_soon(std::move(done), make_error_code(errc::bad_request));
  if (id.empty() || too_long(id, max_id_bytes))
    return fail_soon(std::move(done), make_error_code(errc::no_such_conversation));
  if (auto ec = admit()) return fail_soon(std::move(done), ec);
  job j;
  j.kind = job_kind::message;
  j.counted = true;
  j.ev = std::move(message);
  j.client_id = std::move(client_id);
  j.done = std::move(done);
  enqueue(id, std::move(j));
}

void runtime::post_event(std::string id, dialogs::event e, post_handler done) {
  if (auto* m = std::get_if<dialogs::user_message>(&e))
    return post_message(std::move(id), std::move(*m), {}, std::move(done));
  // Timer and webhook results are the engine's own; nobody else may forge them.
  if (std::holds_alternative<dialogs::timer_fired>(e) ||
      std::holds_alternative<dialogs::webhook_result>(e))
    return fail_soon(std::move(done), make_error_code(errc::bad_request));
  if (auto* n = std::get_if<dialogs::named_event>(&e);
      n && (n->name.empty() || too_long(n->name, max_name_bytes) ||
            !context_ok(n->props, options_.max_message_bytes)))
    return fail_soon(std::move(done), make_error_code(errc::bad_request));
  if (auto* s = std::get_if<dialogs::start_event>(&e);
      s && (too_long(s->locale, max_name_bytes) || !context_ok(s->context, options_.max_message_bytes)))
    return fail_soon(std::move(done), make_error_code(errc::bad_request));
  if (id.empty() || too_long(id, max_id_bytes))
    return fail_soon(std::move(done), make_error_code(errc::no_such_conversation));
  if (auto ec = admit()) return fail_soon(std::move(done), ec);
  job j;
  j.kind = job_kind::event;
  j.counted = true;
  j.ev = std::move(e);
  j.done = std::move(done);
  enqueue(id, std::move(j));
}

void runtime::post_human(std::string id, transcript_entry message, post_handler done) {
  if (message.text.empty() || too_long(message.text, options_.max_message_bytes) ||
      too_long(message.client_id, max_client_id_bytes))
    return fail_soon(std::move(done), make_error_code(errc::bad_request));
  if (id.empty() || too_long(id, max_id_bytes))
    return fail_soon(std::move(done), make_error_code(errc::no_such_conversation));
  if (auto ec = admit()) return fail_soon(std::move(done), ec);
  job j;
  j.kind = job_kind::agent_message;
  j.counted = true;
  j.client_id = message.client_id;
  j.human = std::move(message);
  j.human.by = author::human;
  j.done = std::move(done);
  enqueue(id, std::move(j));
}

void runtime::typing(std::string id, author who, bool on) {
  conversation_update u;
  u.what = conversation_update::kind::typing;
  u.who = who;
  u.typing = on;
  notify_transient(std::move(id), std::move(u));
}

void runtime::seen(std::string id, author who, std::int64_t seq) {
  conversation_update u;
  u.what = conversation_update::kind::seen;
  u.who = who;
  u.seen_seq = seq;
  notify_transient(std::move(id), std::move(u));
}

void runtime::notify_transient(std::string id, conversation_update u) {
  slot_ptr s;
  {
    std::lock_guard lock(slots_mutex_);
    auto it = slots_.find(id);
    if (it == slots_.end()) return;  // nobody is listening
    s = it->second;
  }
  u.conversation_id = s->id;
  asio::post(s->strand, [self = shared_from_this(), s, u = std::move(u)] { self->notify(*s, {u}); });
}

void runtime::transcript(std::string id, std::int64_t after_seq,
                         std::function<void(result<std::vector<transcript_entry>>)> done) {
  asio::post(io_, [self = shared_from_this(), id = std::move(id), after_seq,
                   done = std::move(done)] {
    using entries = std::vector<transcript_entry>;
    if (id.empty() || too_long(id, max_id_bytes))
      return done(result<entries>(boost::system::in_place_error,
                                  make_error_code(errc::no_such_conversation)));
    auto row = self->store_->conversation(id);
    if (!row) return done(result<entries>(boost::system::in_place_error, row.error()));
    if (!*row)
      return done(result<entries>(boost::system::in_place_error,
                                  make_error_code(errc::no_such_conversation)));
    done(self->store_->transcript(id, std::max<std::int64_t>(after_seq, 0),
                                  self->options_.max_transcript_entries));
  });
}

subscription runtime::subscribe(std::string id, listener l) {
  slot_ptr s;
  std::uint64_t key = 0;
  {
    std::lock_guard lock(slots_mutex_);
    auto& p = slots_[id];
    if (!p)
      p = std::make_shared<conversation_slot>(id, asio::make_strand(io_),
                                              clock_().time_since_epoch().count());
    s = p;
    std::lock_guard listeners_lock(s->listeners_mutex);  // order: slots, then listeners
    key = s->next_listener++;
    s->listeners.emplace_back(key, std::move(l));
  }
  return subscription([weak = std::weak_ptr<conversation_slot>(s), key] {
    auto s = weak.lock();
    if (!s) return;
    std::lock_guard lock(s->listeners_mutex);
    std::erase_if(s->listeners, [key](const auto& entry) { return entry.first == key; });
  });
}

engine_stats runtime::stats() const {
  auto out = stats_.snapshot();
  out.bots = registry_->versions();
  return out;
}

}  // namespace rapport::engine::detail
