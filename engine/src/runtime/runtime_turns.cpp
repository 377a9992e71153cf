// A conversation's jobs, one at a time on its strand: load, de-duplicate, advance, commit.
#include <boost/asio/post.hpp>

#include "handoff/lead_notice.hpp"
#include "runtime/runtime.hpp"

namespace rapport::engine::detail {

namespace asio = boost::asio;

struct runtime::turn_in_progress {
  job j;
  turn_record record;
  dialogs::conversation_state state;
  std::shared_ptr<const dialogs::bot_model> model;
  stored_conversation row;  // as committed, without state_json
  std::string previous_owner;
  std::string previous_pending;
  bool outbox = false;  // the unit adds CRM deliveries
};

namespace {

const char* pending_of(const dialogs::conversation_state& s) {
  if (s.waiting == dialogs::waiting_for::webhook) return "webhook";
  if (s.waiting == dialogs::waiting_for::handoff && s.owned_by == dialogs::owner::queued)
    return "handoff";
  return "";
}

const char* handoff_status(dialogs::handoff_event::kind k) {
  switch (k) {
    case dialogs::handoff_event::kind::accepted: return "accepted";
    case dialogs::handoff_event::kind::unavailable: return "unavailable";
    case dialogs::handoff_event::kind::returned: return "returned";
    case dialogs::handoff_event::kind::closed: return "closed";
    case dialogs::handoff_event::kind::queued: return "queued";
    case dialogs::handoff_event::kind::requeued: return "requeued";
  }
  return "requested";
}

bool is_proactive(const dialogs::event& e) {
  const auto* n = std::get_if<dialogs::named_event>(&e);
  return n != nullptr && n->name == "proactive";
}

}  // namespace

void runtime::enqueue(const std::string& id, job j) {
  slot_ptr s;
  {
    std::lock_guard lock(slots_mutex_);
    auto& p = slots_[id];
    if (!p || p->gone)
      p = std::make_shared<conversation_slot>(id, asio::make_strand(io_),
                                              clock_().time_since_epoch().count());
    s = p;
    ++s->pins;  // under the lock: eviction sees it
  }
  asio::post(s->strand, [self = shared_from_this(), s, j = std::move(j)]() mutable {
    s->queue.push_back(std::move(j));
    --s->pins;
    if (s->gone) {  // evicted meanwhile (cannot happen while pinned; kept as a safeguard)
      auto jobs = std::move(s->queue);
      for (auto& queued : jobs) self->enqueue(s->id, std::move(queued));
      return;
    }
    self->pump(s);
  });
}

bool runtime::enqueue_internal(const std::string& id, job_kind kind, dialogs::event e) {
  ++in_flight_;
  if (finishing_) {
    release(false);
    return false;
  }
  job j;
  j.kind = kind;
  j.ev = std::move(e);
  enqueue(id, std::move(j));
  return true;
}

void runtime::pump(const slot_ptr& s) {
  while (!s->busy && !s->queue.empty()) {
    job j = std::move(s->queue.front());
    s->queue.pop_front();
    run_job(s, std::move(j));
  }
  if (!s->busy && s->queue.empty() && !s->loaded) try_evict(s);  // e.g. an unknown id
}

void runtime::complete(job& j, result<post_result> r) {
  // Stats and the queue place first (a caller may look at them as soon as it is called back);
  // the in-flight count last, so shutdown reports only after this completion ran.
  stats_.turn_latency(std::chrono::steady_clock::now() - j.accepted);
  if (j.counted) --queued_;
  if (j.done) j.done(std::move(r));
  release(false);
}

boost::system::error_code runtime::load(conversation_slot& s) {
  auto row = store_->conversation(s.id);
  if (!row) return row.error();
  if (!*row) return make_error_code(errc::no_such_conversation);
  auto model = registry_->version((*row)->bot, (*row)->bot_version);
  if (!model) {
    // The pinned version cannot be rebuilt (its snapshot is missing or no longer loads):
    // continuing on the current version beats a conversation that can never move again.
    model = registry_->current((*row)->bot);
    if (!model) return make_error_code(errc::unknown_bot);
    log("rapport: conversation " + s.id + ": bot '" + (*row)->bot + "' version " +
        (*row)->bot_version + " is not available; continuing on " + model->version);
  }
  std::string error;
  auto state = dialogs::state_from_json((*row)->state_json, &error);
  if (!state) {
    log("rapport: conversation " + s.id + ": stored state is unreadable: " + error);
    return make_error_code(errc::store_failed);
  }
  s.row = std::move(**row);
  s.row.state_json.clear();
  s.state = std::move(*state);
  s.model = std::move(model);
  s.loaded = true;
  ++stats_.conversations_active;
  return {};
}

void runtime::run_job(const slot_ptr& s, job j) {
  if (j.kind == job_kind::open) {
    s->row = j.fresh->row;
    s->state = j.fresh->state;
    s->model = j.fresh->model;
    s->loaded = true;
    ++stats_.conversations_active;
  } else if (!s->loaded) {
    if (auto ec = load(*s)) {
      if (j.kind == job_kind::timer) {  // its conversation is gone: so is the timer
        const auto& t = std::get<dialogs::timer_fired>(j.ev);
        unit_of_work w;
        w.timers_deleted.push_back({s->id, t.name, t.seq});
        store_->commit(std::move(w), nullptr);
      }
      complete(j, {boost::system::in_place_error, ec});
      return;
    }
  }
  if (j.kind == job_kind::recover_handoff) {
    recover_handoff(*s);
    complete(j, post_result{});
    return;
  }
  const bool deduplicated = j.kind == job_kind::message || j.kind == job_kind::agent_message;
  if (deduplicated && !j.client_id.empty() && answer_duplicate(*s, j)) return;
  begin_turn(s, std::move(j));
}

bool runtime::answer_duplicate(conversation_slot& s, job& j) {
  // Earlier turns of this conversation have all committed (one job at a time), so the store
  // knows every client_id this conversation has seen.
  auto seq = store_->message_seq(s.id, j.client_id);
  if (!seq) {
    complete(j, {boost::system::in_place_error, seq.error()});
    return true;
  }
  if (!*seq) return false;
  post_result r;
  r.duplicate = true;
  r.seq = **seq;
  if (auto after = store_->transcript(s.id, r.seq, 100)) {
    for (auto& e : *after) {
      if (e.by == author::visitor) break;  // the replies end at the visitor's next message
      r.replies.push_back(std::move(e));
    }
  }
  complete(j, std::move(r));
  return true;
}

void runtime::begin_turn(const slot_ptr& s, job j) {
  const auto now = clock_();
  const std::int64_t now_ms = now.time_since_epoch().count();
  auto t = std::make_shared<turn_in_progress>();
  t->model = s->model;
  t->row = s->row;
  t->previous_owner = s->row.owner;
  t->previous_pending = s->row.pending;
  dialogs::conversation_state state = s->state;

  // A conversation stays on its version until it ends; a closed one that comes back to life
  // moves to the bot's current version.
  const bool reopening = state.owned_by == dialogs::owner::closed &&
                         (std::holds_alternative<dialogs::user_message>(j.ev) ||
                          std::holds_alternative<dialogs::start_event>(j.ev));
  if (reopening) {
    if (auto current = registry_->current(s->row.bot);
        current && current->version != s->row.bot_version) {
      t->model = current;
      state.bot_version = current->version;
    }
  }

  std::optional<transcript_entry> inbound;
  if (j.kind == job_kind::agent_message) {
    // The desk checked ownership on its strand; the conversation may have moved on since.
    if (state.owned_by != dialogs::owner::human || state.opted_out)
      return complete(j, {boost::system::in_place_error, make_error_code(errc::bad_request)});
    inbound = j.human;
  } else if (const auto* m = std::get_if<dialogs::user_message>(&j.ev)) {
    inbound.emplace();
    inbound->by = author::visitor;
    inbound->text = m->text.empty() ? m->payload : m->text;
    inbound->client_id = j.client_id;
  }

  dialogs::turn result;
  const bool proactive = is_proactive(j.ev);
  if (proactive && s->row.proactive > 0) {
    // The engine's own cap: one proactive opener per conversation, whatever the flows say.
    result.state = std::move(state);
    result.outputs.push_back(dialogs::policy_block{"proactive_cap", "proactive", ""});
  } else if ((j.kind == job_kind::open && !j.fresh->start) || j.kind == job_kind::agent_message) {
    result.state = std::move(state);
  } else {
    result = dialogs::advance(*t->model, std::move(state), j.ev, now);
    if (proactive) ++t->row.proactive;
  }

  t->record = record_turn({s->id, s->row.bot, s->row.channel, s->row.user, now_ms, s->row.last_seq},
                          std::move(inbound), result.outputs);
  auto& unit = t->record.unit;
  if (j.kind == job_kind::timer) {  // fires once: its row goes with the turn that handled it
    const auto& fired = std::get<dialogs::timer_fired>(j.ev);
    unit.timers_deleted.insert(unit.timers_deleted.begin(), {s->id, fired.name, fired.seq});
  }
  if (const auto* h = std::get_if<dialogs::handoff_event>(&j.ev))
    unit.handoff_updates.push_back({s->id, handoff_status(h->what), h->agent, now_ms});

  t->state = std::move(result.state);
  record_leads(*t, j, now_ms);
  t->row.bot_version = t->model->version;
  t->row.owner = dialogs::to_string(t->state.owned_by);
  t->row.pending = pending_of(t->state);
  t->row.last_seq = t->record.last_seq;
  t->row.updated_ms = now_ms;
  unit.conversation = t->row;
  unit.conversation->state_json = dialogs::to_json(t->state);

  t->j = std::move(j);
  s->busy = true;
  store_->commit(std::move(unit), [self = shared_from_this(), s, t](boost::system::error_code ec) mutable {
    // On the store's thread: hop to the conversation's strand, leaving no reference behind.
    auto strand = s->strand;
    asio::post(strand, [self = std::move(self), s = std::move(s), t = std::move(t), ec] {
      self->finish_turn(s, t, ec);
    });
  });
}

void runtime::finish_turn(const slot_ptr& s, std::shared_ptr<turn_in_progress> t,
                          boost::system::error_code ec) {
  s->busy = false;
  s->last_active_ms = clock_().time_since_epoch().count();
  job& j = t->j;
  if (ec) {
    // Nothing of the turn was written: forget the in-memory copy, the next event reloads.
    log("rapport: conversation " + s->id + ": the turn was not committed (" + ec.message() + ")");
    if (s->loaded) --stats_.conversations_active;
    s->loaded = false;
    complete(j, {boost::system::in_place_error, make_error_code(errc::store_failed)});
    pump(s);
    return;
  }

  const turn_record& r = t->record;
  s->state = std::move(t->state);
  s->model = t->model;
  s->row = std::move(t->row);

  if (j.kind == job_kind::open) ++stats_.conversations_started;
  if (j.kind == job_kind::timer) ++stats_.timers_fired;
  if (r.inbound && r.inbound->by == author::visitor) ++stats_.messages_in;
  if (r.inbound && r.inbound->by == author::human) ++stats_.messages_out;
  stats_.messages_out += r.replies.size();
  if (r.csat) stats_.csat(*r.csat);
  if (t->outbox) outbox_->kick();
  stats_.handoffs += r.handoffs.size();
  for (const auto& reason : r.blocked) stats_.blocked(reason);
  for (const auto& [name, timer] : r.timers) {
    if (timer)
      timers_->set(s->id, name, dialogs::sys_ms(std::chrono::milliseconds(timer->due_ms)), timer->seq);
    else
      timers_->cancel(s->id, name);
  }

  std::vector<conversation_update> updates;
  auto message_update = [&](const transcript_entry& e) {
    conversation_update u;
    u.what = conversation_update::kind::message;
    u.conversation_id = s->id;
    u.message = e;
    u.who = e.by;
    updates.push_back(std::move(u));
  };
  if (r.inbound) message_update(*r.inbound);
  for (const auto& e : r.replies) message_update(e);
  if (s->row.owner != t->previous_owner) {
    conversation_update u;
    u.what = s->row.owner == "closed" ? conversation_update::kind::closed
                                      : conversation_update::kind::owner;
    u.conversation_id = s->id;
    u.owner = s->row.owner;
    updates.push_back(std::move(u));
  }
  // Subscribers first: whoever subscribes once this call has completed sees later commits only.
  notify(*s, updates);
  // Side effects before the completion, so shutdown (waiting for the in-flight count) cannot
  // slip in between this job and the webhook call it started.
  route_handoffs(*s, r);
  for (const auto& w : r.webhooks) call_webhook(s->id, w);
  auto with_people = [](const std::string& owner) { return owner == "queued" || owner == "human"; };
  if (with_people(t->previous_owner) && !with_people(s->row.owner) &&
      !std::holds_alternative<dialogs::handoff_event>(j.ev))
    router_->withdraw(s->id);  // the visitor left the queue or the person (opted out, ...)

  post_result answer;
  answer.seq = r.inbound ? r.inbound->seq : 0;
  answer.replies = r.replies;
  complete(j, std::move(answer));
  pump(s);
}

void runtime::record_leads(turn_in_progress& t, const job& j, std::int64_t now_ms) {
  auto& unit = t.record.unit;
  const auto url = transcript_url(options_.desk.public_url, t.row.id);
  auto add = [&](lead_event e) {
    e.conversation_id = t.row.id;
    e.bot = t.row.bot;
    e.channel = t.row.channel;
    e.transcript_url = url;
    e.at_ms = now_ms;
    unit.leads.push_back(make_lead(e, t.state));
    if (options_.desk.crm.url.empty()) return;
    unit.outbox_added.push_back(crm_delivery(unit.leads.back(), options_.desk.crm));
    t.outbox = true;
  };
  for (auto& ticket : t.record.handoffs) {
    ticket.requested_ms = now_ms;
    add({"handoff", {}, {}, {}, ticket.team, ticket.reason, {}, {}, {}, 0});
  }
  if (const auto* h = std::get_if<dialogs::handoff_event>(&j.ev);
      h && h->what == dialogs::handoff_event::kind::closed)
    add({"closed", {}, {}, {}, h->team, {}, h->agent, h->outcome, {}, 0});
}

void runtime::try_evict(const slot_ptr& s) {
  if (s->busy || !s->queue.empty() || s->gone) return;
  {
    std::lock_guard lock(slots_mutex_);
    if (s->pins != 0) return;
    bool subscribed = false;
    {
      std::lock_guard listeners_lock(s->listeners_mutex);
      subscribed = !s->listeners.empty();
    }
    // Someone is listening (a widget left open): the slot stays for them, the conversation
    // leaves memory all the same and its next event loads it again.
    if (!subscribed) {
      auto it = slots_.find(s->id);
      if (it != slots_.end() && it->second == s) slots_.erase(it);
      s->gone = true;
    }
  }
  if (s->loaded) {
    --stats_.conversations_active;
    ++unloaded_since_trim_;
  }
  s->loaded = false;
  s->state = {};
  s->model.reset();
  s->row = {};
}

}  // namespace rapport::engine::detail
