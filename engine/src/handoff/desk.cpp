#include "handoff/desk.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include <boost/asio/post.hpp>

#include "runtime/random_tokens.hpp"

namespace rapport::engine::detail {

namespace asio = boost::asio;
using kind = dialogs::handoff_event::kind;

namespace {

constexpr std::size_t recent_waits_kept = 20;
const std::vector<double> seconds_buckets = {5, 15, 30, 60, 120, 300, 600, 1800};

void observe(std::vector<std::uint64_t>& counts, double& sum, double seconds) {
  if (counts.empty()) counts.assign(seconds_buckets.size() + 1, 0);
  for (std::size_t i = 0; i < seconds_buckets.size(); ++i)
    if (seconds <= seconds_buckets[i]) ++counts[i];
  ++counts.back();
  sum += seconds;
}

void add(std::vector<std::pair<std::string, std::uint64_t>>& counters, const std::string& name) {
  for (auto& [n, c] : counters)
    if (n == name) return void(++c);
  counters.emplace_back(name, 1);
}

std::string text_of(const dialogs::value_map& m, const char* key) {
  auto it = m.find(key);
  return it == m.end() ? std::string{} : dialogs::to_text(it->second);
}

template <class T>
void answer(std::function<void(result<T>)>& done, boost::system::error_code ec) {
  if (done) done(result<T>(boost::system::in_place_error, ec));
}

}  // namespace

desk::desk(asio::io_context& io, desk_options options, std::shared_ptr<store> storage,
           desk_hooks hooks)
    : io_(io),
      strand_(asio::make_strand(io)),
      tick_timer_(strand_),
      options_(std::move(options)),
      store_(std::move(storage)),
      hooks_(std::move(hooks)),
      board_(options_.teams) {
  stats_.seconds_buckets = seconds_buckets;
  stats_.time_to_human_counts.assign(seconds_buckets.size() + 1, 0);
  stats_.first_response_counts.assign(seconds_buckets.size() + 1, 0);
}

desk::~desk() { hashing_.join(); }

template <class F>
void desk::on_strand(F&& f) {
  asio::post(strand_, [self = shared_from_this(), f = std::forward<F>(f)]() mutable {
    if (!self->stopped_) f(*self);
  });
}

std::int64_t desk::now_ms() const { return hooks_.clock().time_since_epoch().count(); }

void desk::start() {
  started_ms_ = now_ms();
  auto agents = store_->agents();
  if (!agents) throw std::runtime_error("cannot read the agents: " + agents.error().message());
  for (const auto& a : *agents) board_.upsert_agent({a.id, a.name, a.teams, a.capacity});
  auto owned = store_->handoffs_with_people();
  if (!owned) throw std::runtime_error("cannot read open handoffs: " + owned.error().message());
  for (const auto& h : *owned) {
    // The agent gets the reconnect grace from now, like after a dropped connection.
    board_entry e;
    e.ticket = {h.conversation_id, h.bot, "", h.team, h.reason, {}, h.requested_ms};
    e.since_ms = e.queued_ms = h.requested_ms;
    e.agent = h.agent;
    e.accepted_ms = h.updated_ms;
    e.answered = true;  // not measured again
    if (auto c = store_->conversation(h.conversation_id); c && *c) e.ticket.channel = (*c)->channel;
    board_.adopt(std::move(e));
    disconnected_since_.emplace(h.agent, started_ms_);
  }
  asio::post(strand_, [self = shared_from_this()] { self->schedule_tick(); });
}

void desk::stop() {
  asio::post(strand_, [self = shared_from_this()] {
    self->stopped_ = true;
    self->tick_timer_.cancel();
    self->connections_.clear();
  });
}

void desk::schedule_tick() {
  tick_timer_.expires_after(options_.tick);
  tick_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    auto self = weak.lock();
    if (!self || ec || self->stopped_) return;
    self->tick();
    self->schedule_tick();
  });
}

void desk::refresh_agents() {
  auto agents = store_->agents();
  if (!agents) return;  // try again at the next check
  std::set<std::string> present;
  for (const auto& a : *agents) {
    present.insert(a.id);
    board_.upsert_agent({a.id, a.name, a.teams, a.capacity});
  }
  for (auto& c : connections_)
    if (!present.count(c.agent) && *c.open && c.ended) std::exchange(c.ended, nullptr)();
}

bool desk::anyone_coming(const board_entry& e) const {
  if (board_.anyone_for(e)) return true;
  // Right after a start, and while one of them is reconnecting (a reloaded console), wait.
  if (now_ms() - started_ms_ < options_.reconnect_grace.count()) return true;
  for (const auto& [agent, since] : disconnected_since_) {
    const agent_profile* a = board_.agent(agent);
    if (a == nullptr) continue;
    if (e.wanted_agent.empty() ? std::find(a->teams.begin(), a->teams.end(), e.ticket.team) != a->teams.end()
                               : e.wanted_agent == agent)
      return true;
  }
  return false;
}

void desk::tick() {
  const auto now = now_ms();
  if (std::chrono::steady_clock::now().time_since_epoch() / std::chrono::milliseconds(1) - agents_checked_ms_ >= 5000) {
    agents_checked_ms_ = std::chrono::steady_clock::now().time_since_epoch() / std::chrono::milliseconds(1);
    refresh_agents();
  }
  for (const auto& id : board_.past_wait_limit(now)) {
    board_.remove(id);
    unavailable(id, "timeout");
  }
  // Everyone of the team left while visitors wait: they need not wait out the limit.
  for (const auto& id : board_.waiting_ids()) {
    if (const board_entry* e = board_.waiting(id); e != nullptr && !anyone_coming(*e)) {
      board_.remove(id);
      unavailable(id, "no_agents");
    }
  }
  board_.lapse_offers(now, options_.offer_timeout.count());
  for (auto it = disconnected_since_.begin(); it != disconnected_since_.end();) {
    if (now - it->second < options_.reconnect_grace.count()) {
      ++it;
      continue;
    }
    for (const auto& id : board_.owned_by(it->first))
      if (auto e = board_.remove(id)) requeue(std::move(*e), "agent_left");
    it = disconnected_since_.erase(it);
  }
  changed();
}

void desk::changed() {
  const auto now = now_ms();
  for (const auto& o : board_.make_offers(now))
    hooks_.log("rapport: desk: conversation " + o.conversation + " offered to " + o.agent);
  {
    std::lock_guard lock(stats_mutex_);
    stats_.waiting = board_.waiting_count();
    stats_.agents_online = board_.online_count();
  }
  for (auto& c : connections_) {
    if (!*c.open) continue;  // dropped; its disconnection is on its way
    desk_view v = board_.view(c.agent);
    for (const auto& m : v.mine)
      if (std::none_of(v.bot_flows.begin(), v.bot_flows.end(), [&](const auto& b) { return b.first == m.bot; }))
        v.bot_flows.emplace_back(m.bot, hooks_.flows(m.bot));
    if (c.last && *c.last == v) continue;
    c.last = v;
    c.listener(v);
  }
}

std::int64_t desk::expected_wait(const std::string& team) const {
  auto it = recent_waits_.find(team);
  if (it == recent_waits_.end() || it->second.empty()) return 0;
  std::vector<std::int64_t> waits(it->second.begin(), it->second.end());
  std::nth_element(waits.begin(), waits.begin() + waits.size() / 2, waits.end());
  return waits[waits.size() / 2];  // the median: one slow evening does not scare everyone
}

void desk::count_unavailable(const std::string& reason) {
  std::lock_guard lock(stats_mutex_);
  add(stats_.unavailable_by_reason, reason);
}

void desk::unavailable(const std::string& conversation, std::string reason, std::string back_at) {
  count_unavailable(reason);
  dialogs::handoff_event e;
  e.what = kind::unavailable;
  e.reason = std::move(reason);
  e.back_at = std::move(back_at);
  hooks_.deliver(conversation, std::move(e));
}

void desk::requeue(board_entry e, std::string reason) {
  const std::string id = e.ticket.conversation_id;
  const std::string team = e.ticket.team;
  e.queued_ms = now_ms();
  board_.enqueue(std::move(e));
  {
    std::lock_guard lock(stats_mutex_);
    ++stats_.requeued;
  }
  dialogs::handoff_event ev;
  ev.what = kind::requeued;
  ev.reason = std::move(reason);
  ev.team = team;
  hooks_.deliver(id, std::move(ev));
}

// ---- the handoff router ------------------------------------------------------------------------

void desk::route(handoff_ticket ticket, handoff_reply) {
  // Answers go through hooks_.deliver, which also reaches conversations restored at start.
  on_strand([ticket = std::move(ticket)](desk& d) mutable {
    const auto now = d.now_ms();
    const std::string id = ticket.conversation_id;
    const team_options* team = d.board_.team(ticket.team);
    if (team == nullptr) {
      d.hooks_.log("rapport: desk: conversation " + id + " asked for team '" + ticket.team +
                   "', which is not configured (handoff.teams); its fallback runs");
      return d.unavailable(id, d.options_.teams.empty() ? "no_agents" : "no_team");
    }
    if (!dialogs::is_open(team->hours, dialogs::sys_ms(std::chrono::milliseconds(now)))) {
      std::string back;
      if (auto next = dialogs::next_opening(team->hours, dialogs::sys_ms(std::chrono::milliseconds(now))))
        back = dialogs::describe_opening(*next, team->hours.time_zone, text_of(ticket.summary, "locale"));
      return d.unavailable(id, "closed", std::move(back));
    }
    const bool again = d.board_.remove(id).has_value();  // asked again after a restart
    board_entry e;
    e.since_ms = ticket.requested_ms != 0 ? ticket.requested_ms : now;
    e.queued_ms = now;
    e.ticket = std::move(ticket);
    // Nobody of the team is here: say so now rather than keep the visitor waiting.
    if (!d.anyone_coming(e)) return d.unavailable(id, "no_agents");
    const std::string team_name = e.ticket.team;
    d.board_.enqueue(std::move(e));
    if (!again) {
      std::lock_guard lock(d.stats_mutex_);
      ++d.stats_.queued;
    }
    d.changed();  // offers first: the position told below is the one after them
    dialogs::handoff_event q;
    q.what = kind::queued;
    q.team = team_name;
    q.position = d.board_.position(id);
    q.wait_ms = d.expected_wait(team_name);
    if (q.position > 0) d.hooks_.deliver(id, std::move(q));
  });
}

void desk::withdraw(const std::string& conversation_id) {
  on_strand([conversation_id](desk& d) {
    const bool was_waiting = d.board_.waiting(conversation_id) != nullptr;
    if (!d.board_.remove(conversation_id)) return;
    if (was_waiting) {
      std::lock_guard lock(d.stats_mutex_);
      ++d.stats_.abandoned;
    }
    d.changed();
  });
}

// ---- sessions ----------------------------------------------------------------------------------

std::optional<agent_profile> desk::load_agent(const std::string& id) {
  auto a = store_->agent(id);
  if (!a || !*a) return std::nullopt;
  return agent_profile{(*a)->id, (*a)->name, (*a)->teams, (*a)->capacity};
}

namespace {

// Unknown agents are checked against this hash, so they take as long as a wrong password.
const std::string& dummy_hash() {
  static const std::string hash = hash_password("not anybody's password");
  return hash;
}

}  // namespace

void desk::login(std::string agent_id, std::string password,
                 std::function<void(result<std::string>)> done) {
  // The hashing thread holds no reference to the desk, so the desk is never destroyed there.
  asio::post(hashing_, [store = store_, &io = io_, strand = strand_, weak = weak_from_this(),
                        expires = now_ms() + options_.session_lifetime.count(),
                        agent_id = std::move(agent_id), password = std::move(password),
                        done = std::move(done)]() mutable {
    auto finish = [&io](std::function<void(result<std::string>)> done, result<std::string> r) {
      asio::post(io, [done = std::move(done), r = std::move(r)]() mutable { done(std::move(r)); });
    };
    auto failed = [](auto e) { return result<std::string>(boost::system::in_place_error, make_error_code(e)); };
    auto stored = store->agent(agent_id);
    if (!stored) return finish(std::move(done), failed(errc::store_failed));
    const bool known = stored->has_value();
    const bool ok = verify_password(known ? (*stored)->password_hash : dummy_hash(), password);
    if (!known || !ok) return finish(std::move(done), failed(desk_errc::bad_credentials));
    auto token = random_token(32);
    if (!token) return finish(std::move(done), failed(errc::store_failed));
    unit_of_work w;
    w.sessions_set.push_back({hash_token(*token), agent_id, expires});
    const agent_profile profile{(*stored)->id, (*stored)->name, (*stored)->teams, (*stored)->capacity};
    store->commit(std::move(w), [strand, weak, profile, token = *token, finish,
                                 done = std::move(done)](boost::system::error_code ec) mutable {
      asio::post(strand, [weak, profile, token = std::move(token), finish, done = std::move(done), ec]() mutable {
        if (ec) return finish(std::move(done), result<std::string>(boost::system::in_place_error,
                                                                   make_error_code(errc::store_failed)));
        if (auto self = weak.lock()) self->board_.upsert_agent(profile);
        finish(std::move(done), std::move(token));
      });
    });
  });
}

void desk::session(std::string token, std::function<void(result<agent_profile>)> done) {
  auto s = store_->agent_session(hash_token(token));
  if (!s) return answer(done, make_error_code(errc::store_failed));
  if (!*s || (*s)->expires_ms <= now_ms()) return answer(done, make_error_code(desk_errc::no_session));
  auto profile = load_agent((*s)->agent);
  if (!profile) return answer(done, make_error_code(desk_errc::no_session));  // agent removed
  on_strand([profile = *profile, done = std::move(done)](desk& d) mutable {
    d.board_.upsert_agent(profile);  // teams and capacity as they are now
    asio::post(d.io_, [profile = std::move(profile), done = std::move(done)]() mutable { done(profile); });
  });
}

void desk::logout(std::string token, std::function<void()> done) {
  unit_of_work w;
  w.sessions_deleted.push_back(hash_token(token));
  store_->commit(std::move(w), [&io = io_, done = std::move(done)](boost::system::error_code) {
    if (done) asio::post(io, done);
  });
}

// ---- presence ----------------------------------------------------------------------------------

subscription desk::connect(std::string agent_id, std::function<void(const desk_view&)> listener,
                           std::function<void()> ended) {
  const std::uint64_t id = [&] {
    static std::atomic<std::uint64_t> next{1};
    return next++;
  }();
  auto open = std::make_shared<std::atomic<bool>>(true);
  on_strand([id, agent_id, listener = std::move(listener), ended = std::move(ended), open](desk& d) mutable {
    const bool first = std::none_of(d.connections_.begin(), d.connections_.end(),
                                    [&](const connection& c) { return c.agent == agent_id; });
    d.connections_.push_back({id, agent_id, std::move(listener), std::move(ended), open, std::nullopt});
    d.disconnected_since_.erase(agent_id);
    if (first) d.board_.set_presence(agent_id, presence::online);
    d.changed();
  });
  return subscription([weak = weak_from_this(), id, open] {
    *open = false;  // no view is sent after this returns (one being sent may finish)
    if (auto self = weak.lock()) self->disconnected(id);
  });
}

void desk::disconnected(std::uint64_t connection_id) {
  on_strand([connection_id](desk& d) {
    auto it = std::find_if(d.connections_.begin(), d.connections_.end(),
                           [&](const connection& c) { return c.id == connection_id; });
    if (it == d.connections_.end()) return;
    const std::string agent = it->agent;
    d.connections_.erase(it);
    const bool last = std::none_of(d.connections_.begin(), d.connections_.end(),
                                   [&](const connection& c) { return c.agent == agent; });
    if (last) {
      d.board_.set_presence(agent, presence::offline);
      d.disconnected_since_[agent] = d.now_ms();
    }
    d.changed();
  });
}

void desk::set_presence(std::string agent_id, presence p) {
  on_strand([agent_id = std::move(agent_id), p](desk& d) {
    const bool connected = std::any_of(d.connections_.begin(), d.connections_.end(),
                                       [&](const connection& c) { return c.agent == agent_id; });
    if (!connected || p == presence::offline) return;  // offline is what closing the console means
    d.board_.set_presence(agent_id, p);
    d.changed();
  });
}

// ---- conversations -----------------------------------------------------------------------------

result<board_entry*> desk::owned_by(const std::string& agent, const std::string& conversation) {
  board_entry* e = board_.owned(conversation);
  if (e == nullptr || e->agent != agent) return make_error_code(desk_errc::not_yours);
  return e;
}

void desk::may_view(std::string agent_id, std::string conversation_id, std::function<void(bool)> done) {
  on_strand([agent_id, conversation_id, done = std::move(done)](desk& d) {
    bool ok = false;
    if (const board_entry* e = d.board_.owned(conversation_id)) {
      ok = e->agent == agent_id;
    } else if (const board_entry* w = d.board_.waiting(conversation_id)) {
      const agent_profile* a = d.board_.agent(agent_id);
      ok = w->wanted_agent.empty()
               ? a != nullptr && std::find(a->teams.begin(), a->teams.end(), w->ticket.team) != a->teams.end()
               : w->wanted_agent == agent_id;
    }
    asio::post(d.io_, [done, ok] { done(ok); });
  });
}

void desk::accept(std::string agent_id, std::string conversation_id,
                  std::function<void(boost::system::error_code)> done) {
  on_strand([agent_id, conversation_id, done = std::move(done)](desk& d) {
    const auto now = d.now_ms();
    auto refused = d.board_.accept(agent_id, conversation_id, now);
    boost::system::error_code ec;
    if (refused) {
      ec = make_error_code(*refused);
    } else {
      const board_entry* e = d.board_.owned(conversation_id);
      auto& waits = d.recent_waits_[e->ticket.team];
      waits.push_back(now - e->queued_ms);
      if (waits.size() > recent_waits_kept) waits.pop_front();
      {
        std::lock_guard lock(d.stats_mutex_);
        ++d.stats_.accepted;
        observe(d.stats_.time_to_human_counts, d.stats_.time_to_human_sum_s,
                double(now - e->since_ms) / 1000.0);
      }
      dialogs::handoff_event ev;
      ev.what = kind::accepted;
      ev.agent = agent_id;
      if (const agent_profile* a = d.board_.agent(agent_id)) ev.agent_name = a->name;
      d.hooks_.deliver(conversation_id, std::move(ev));
      d.changed();
    }
    if (done) asio::post(d.io_, [done, ec] { done(ec); });
  });
}

void desk::decline(std::string agent_id, std::string conversation_id) {
  on_strand([agent_id, conversation_id](desk& d) {
    d.board_.decline(agent_id, conversation_id);
    d.changed();
  });
}

void desk::send(std::string agent_id, std::string conversation_id, std::string text,
                std::string client_id, std::function<void(result<post_result>)> done) {
  on_strand([agent_id, conversation_id, text = std::move(text), client_id = std::move(client_id),
             done = std::move(done)](desk& d) mutable {
    auto e = d.owned_by(agent_id, conversation_id);
    if (!e) {
      return asio::post(d.io_, [done = std::move(done), ec = e.error()]() mutable { answer(done, ec); });
    }
    transcript_entry m;
    m.by = author::human;
    m.agent = agent_id;
    if (const agent_profile* a = d.board_.agent(agent_id)) m.agent_name = a->name;
    m.text = std::move(text);
    m.client_id = "agent:" + client_id;  // never mistaken for a visitor's message id
    d.hooks_.post_human(conversation_id, std::move(m),
                        [self = d.shared_from_this(), conversation_id, agent_id,
                         done = std::move(done)](result<post_result> r) mutable {
                          if (r && !r->duplicate) {
                            asio::post(self->strand_, [self, conversation_id, agent_id] {
                              board_entry* e = self->board_.owned(conversation_id);
                              if (e == nullptr || e->agent != agent_id || e->answered) return;
                              e->answered = true;
                              std::lock_guard lock(self->stats_mutex_);
                              observe(self->stats_.first_response_counts,
                                      self->stats_.first_response_sum_s,
                                      double(self->now_ms() - e->accepted_ms) / 1000.0);
                            });
                          }
                          if (done) done(std::move(r));
                        });
  });
}

void desk::typing(std::string agent_id, std::string conversation_id, bool on) {
  on_strand([agent_id, conversation_id, on](desk& d) {
    if (d.owned_by(agent_id, conversation_id)) d.hooks_.typing(conversation_id, on);
  });
}

void desk::return_to_bot(std::string agent_id, std::string conversation_id, std::string flow,
                         std::function<void(boost::system::error_code)> done) {
  on_strand([agent_id, conversation_id, flow = std::move(flow), done = std::move(done)](desk& d) {
    boost::system::error_code ec;
    auto e = d.owned_by(agent_id, conversation_id);
    if (!e) {
      ec = e.error();
    } else if (auto flows = d.hooks_.flows((*e)->ticket.bot);
               !flow.empty() && std::find(flows.begin(), flows.end(), flow) == flows.end()) {
      ec = make_error_code(desk_errc::unknown_flow);
    } else {
      d.board_.remove(conversation_id);
      dialogs::handoff_event ev;
      ev.what = kind::returned;
      ev.agent = agent_id;
      ev.flow = flow;
      d.hooks_.deliver(conversation_id, std::move(ev));
      d.changed();
    }
    if (done) asio::post(d.io_, [done, ec] { done(ec); });
  });
}

void desk::transfer(std::string agent_id, std::string conversation_id, std::string team,
                    std::string to_agent, std::function<void(boost::system::error_code)> done) {
  on_strand([agent_id, conversation_id, team = std::move(team), to_agent = std::move(to_agent),
             done = std::move(done)](desk& d) mutable {
    boost::system::error_code ec;
    auto e = d.owned_by(agent_id, conversation_id);
    const agent_profile* target = to_agent.empty() ? nullptr : d.board_.agent(to_agent);
    if (!e) {
      ec = e.error();
    } else if (!to_agent.empty() && (target == nullptr || to_agent == agent_id)) {
      ec = make_error_code(desk_errc::unknown_agent);
    } else if (!team.empty() && d.board_.team(team) == nullptr) {
      ec = make_error_code(desk_errc::unknown_team);
    } else {
      board_entry moved = std::move(*d.board_.remove(conversation_id));
      if (!team.empty()) moved.ticket.team = team;
      else if (target != nullptr && !target->teams.empty() &&
               std::find(target->teams.begin(), target->teams.end(), moved.ticket.team) == target->teams.end())
        moved.ticket.team = target->teams.front();
      moved.wanted_agent = to_agent;
      d.requeue(std::move(moved), "transfer");
      d.changed();
    }
    if (done) asio::post(d.io_, [done, ec] { done(ec); });
  });
}

void desk::close(std::string agent_id, std::string conversation_id, std::string outcome,
                 std::function<void(boost::system::error_code)> done) {
  on_strand([agent_id, conversation_id, outcome = std::move(outcome), done = std::move(done)](desk& d) {
    boost::system::error_code ec;
    const auto& known = close_outcomes();
    auto e = d.owned_by(agent_id, conversation_id);
    if (std::find(known.begin(), known.end(), outcome) == known.end()) {
      ec = make_error_code(desk_errc::bad_outcome);
    } else if (!e) {
      ec = e.error();
    } else {
      board_entry closed = std::move(*d.board_.remove(conversation_id));
      {
        std::lock_guard lock(d.stats_mutex_);
        add(d.stats_.closed_by_outcome, outcome);
      }
      dialogs::handoff_event ev;
      ev.what = kind::closed;
      ev.agent = agent_id;
      ev.outcome = outcome;
      ev.team = closed.ticket.team;
      d.hooks_.deliver(conversation_id, std::move(ev));
      d.changed();
    }
    if (done) asio::post(d.io_, [done, ec] { done(ec); });
  });
}

desk_stats desk::stats() const {
  std::lock_guard lock(stats_mutex_);
  return stats_;
}

}  // namespace rapport::engine::detail
