// Running flows: step execution until the conversation waits for something.
#include "turn_runner.hpp"

#include <boost/json.hpp>

#include "answers.hpp"
#include "variables.hpp"

namespace rapport::dialogs::detail {

namespace {

constexpr int max_steps_per_turn = 1000;

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;  // clang 14 does not deduce aggregates' arguments

boost::json::value to_json(const value& v) {
  struct visitor {
    boost::json::value operator()(null_value) const { return nullptr; }
    boost::json::value operator()(bool b) const { return b; }
    boost::json::value operator()(double d) const { return d; }
    boost::json::value operator()(const std::string& s) const { return boost::json::string(s); }
  };
  return std::visit(visitor{}, v);
}

// Follows a dotted path ("company.name", "items.0.id") into a JSON document.
value json_path(const boost::json::value& root, std::string_view path) {
  const boost::json::value* at = &root;
  while (!path.empty() && at != nullptr) {
    auto dot = path.find('.');
    std::string_view part = path.substr(0, dot);
    path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
    if (at->is_object()) {
      at = at->as_object().if_contains(part);
    } else if (at->is_array()) {
      std::size_t index = 0;
      bool numeric = !part.empty();
      for (char c : part) numeric = numeric && c >= '0' && c <= '9';
      for (char c : part) index = numeric ? index * 10 + std::size_t(c - '0') : index;
      at = numeric ? at->as_array().if_contains(index) : nullptr;
    } else {
      at = nullptr;
    }
  }
  if (at == nullptr) return null_value{};
  if (at->is_bool()) return at->as_bool();
  if (at->is_number()) return at->to_number<double>();
  if (at->is_string()) return std::string(at->as_string());
  if (at->is_null()) return null_value{};
  return std::string(boost::json::serialize(*at));
}

}  // namespace

turn_runner::turn_runner(const bot_model& bot, conversation_state& state, sys_ms now,
                         std::vector<output>& out, std::vector<step_ref>& trace)
    : bot_(bot), state_(state), now_(now), out_(out), trace_(trace) {}

const flow_def* turn_runner::current_flow() const {
  return state_.stack.empty() ? nullptr : bot_.find_flow(state_.stack.back().flow);
}

const ask_step* turn_runner::pending_ask() const {
  if (state_.waiting != waiting_for::answer) return nullptr;
  const flow_def* flow = current_flow();
  const int pc = state_.stack.back().pc;
  if (flow == nullptr || pc < 0 || pc >= int(flow->steps.size())) return nullptr;
  return std::get_if<ask_step>(&flow->steps[pc].body);
}

void turn_runner::push_flow(std::string_view name, bool interrupt) {
  if (bot_.find_flow(name) == nullptr) {
    emit("flow_missing", {{"flow", std::string(name)}});
    return;
  }
  state_.stack.push_back({std::string(name), 0, interrupt});
  emit("flow_started", {{"flow", std::string(name)}});
}

void turn_runner::close(std::string_view outcome) {
  cancel_no_input_timer();
  state_.stack.clear();
  state_.waiting = waiting_for::nothing;
  state_.owned_by = owner::closed;
  out_.push_back(conversation_end{std::string(outcome)});
  emit("conversation_ended", {{"outcome", std::string(outcome)}});
}

void turn_runner::execute() {
  while (!state_.stack.empty() && state_.waiting == waiting_for::nothing &&
         state_.owned_by == owner::bot) {
    if (++steps_run_ > max_steps_per_turn) {
      emit("loop_limit", {{"flow", state_.stack.back().flow}});
      state_.stack.clear();
      return;
    }
    const flow_def* flow = current_flow();
    frame& f = state_.stack.back();
    if (flow == nullptr || f.pc < 0 || f.pc >= int(flow->steps.size())) {
      state_.stack.pop_back();  // flow finished: return to the caller (or resume the question)
      continue;
    }
    if (!flow->steps[f.pc].synthetic) trace_.push_back({flow->name, f.pc});
    run_step(*flow, flow->steps[f.pc]);
  }
}

void turn_runner::run_step(const flow_def& flow, const step& s) {
  frame& f = state_.stack.back();
  std::visit(
      overloaded{
          [&](const say_step& say) {
            ++f.pc;
            if (!send(say.message, message_role::say)) state_.stack.clear();  // cut
          },
          [&](const ask_step& ask) {
            auto filled = state_.slots.find(ask.slot);
            if (!ask.always && filled != state_.slots.end() && !is_null(filled->second)) {
              ++f.pc;
              return;
            }
            state_.retries = 0;
            run_ask(flow, ask, message_role::prompt);
          },
          [&](const branch_step& b) {
            f.pc = b.condition.test(make_context(bot_, state_, now_)) ? f.pc + 1 : b.else_pc;
          },
          [&](const jump_step& j) { f.pc = j.target; },
          [&](const goto_step& g) {
            const flow_def* target = bot_.find_flow(g.flow);
            if (target == nullptr) {
              state_.stack.pop_back();
              return;
            }
            int pc = 0;
            if (auto it = target->step_ids.find(g.step_id); it != target->step_ids.end())
              pc = it->second;
            f.flow = g.flow;
            f.pc = pc;
            emit("flow_started", {{"flow", g.flow}});
          },
          [&](const call_step& c) {
            ++f.pc;
            push_flow(c.flow, false);
          },
          [&](const set_step& set) {
            ++f.pc;
            for (const auto& a : set.assignments) assign(a.name, evaluate(a));
          },
          [&](const handoff_step& h) { run_handoff(h); },
          [&](const webhook_step& w) { run_webhook(w); },
          [&](const track_step& t) {
            ++f.pc;
            value_map props;
            for (const auto& a : t.props) props[a.name] = evaluate(a);
            emit(t.event, std::move(props));
          },
          [&](const end_step& e) { close(e.outcome.empty() ? "completed" : e.outcome); },
          [&](const return_step&) { state_.stack.pop_back(); },
      },
      s.body);
}

void turn_runner::run_ask(const flow_def& flow, const ask_step& ask, message_role role) {
  const std::string& key =
      role == message_role::reprompt && !ask.reprompt.empty() ? ask.reprompt : ask.prompt;
  std::vector<button> buttons;
  if (auto slot = bot_.slots.find(ask.slot); slot != bot_.slots.end())
    buttons = answer_buttons(bot_, slot->second, ask.prompt, state_.locale,
                             message_arguments(state_));
  if (!send(key, role, std::move(buttons))) {
    state_.stack.clear();  // cut by max_unanswered: the question is not asked
    return;
  }
  state_.waiting = waiting_for::answer;
  state_.nudged = false;
  if (ask.no_input.enabled) set_no_input_timer(ask.no_input.nudge_after);
  if (role == message_role::prompt) emit("asked", {{"slot", ask.slot}, {"flow", flow.name}});
}

void turn_runner::run_handoff(const handoff_step& h) {
  cancel_no_input_timer();
  update_lead_score();  // the summary carries the score as of this message
  handoff_request request;
  request.team = h.team.empty() ? bot_.default_team : h.team;
  request.reason = h.reason.empty() ? state_.intent : h.reason;
  request.summary = state_.slots;
  for (const auto& [k, v] : state_.context) request.summary["context." + k] = v;
  request.summary["intent"] = state_.intent;
  request.summary["intent.confidence"] = state_.confidence;
  request.summary["lead_score"] = state_.lead_score;
  request.summary["channel"] = state_.channel;
  request.summary["locale"] = state_.locale;
  request.summary["first_message"] = state_.first_message;
  emit("handoff_requested", {{"team", request.team}, {"reason", request.reason}});
  out_.push_back(std::move(request));
  state_.owned_by = owner::queued;
  state_.waiting = waiting_for::handoff;
}

void turn_runner::run_webhook(const webhook_step& w) {
  auto def = bot_.webhooks.find(w.webhook);
  if (def == bot_.webhooks.end()) {  // the loader rejects this; keep going rather than hang
    frame& f = state_.stack.back();
    f.pc = w.error_pc ? *w.error_pc : f.pc + 1;
    return;
  }
  boost::json::object body;
  for (const auto& a : w.body) body[a.name] = to_json(evaluate(a));
  out_.push_back(webhook_request{def->second.name, def->second.url, def->second.method,
                                 def->second.headers, boost::json::serialize(body),
                                 def->second.timeout});
  state_.waiting = waiting_for::webhook;
}

value turn_runner::evaluate(const assignment& a) const {
  if (const auto* literal = std::get_if<value>(&a.source)) return *literal;
  return std::get<expression>(a.source).evaluate(make_context(bot_, state_, now_));
}

void turn_runner::assign(const std::string& name, value v) {
  if (name == "buying_intent") {
    state_.buying_intent = truthy(v);
  } else if (name == "consent") {
    state_.consent = truthy(v);
  } else if (is_null(v)) {
    state_.slots.erase(name);
  } else {
    emit("slot_set", {{"slot", name}});
    state_.slots[name] = std::move(v);
  }
}

void turn_runner::update_lead_score() {
  if (bot_.lead_score.empty()) return;
  const auto context = make_context(bot_, state_, now_);
  for (int i = 0; i < int(bot_.lead_score.size()); ++i) {
    auto& fired = state_.lead_rules_fired;
    if (std::find(fired.begin(), fired.end(), i) != fired.end()) continue;
    if (!bot_.lead_score[i].condition.test(context)) continue;
    fired.push_back(i);
    state_.lead_score += bot_.lead_score[i].points;
    emit("lead_score", {{"score", state_.lead_score}, {"rule", double(i)}});
  }
}

// ---- events other than visitor messages ------------------------------------------------------

void turn_runner::on(const start_event& e) {
  if (state_.started) return;
  state_.started = true;
  state_.locale = bot_.match_locale(e.locale);
  state_.channel = e.channel.empty() ? "web" : e.channel;
  for (const auto& [k, v] : e.context) state_.context[k] = v;
  emit("conversation_started", {{"channel", state_.channel}, {"locale", state_.locale}});
  start_conversation_flow();
}

void turn_runner::start_conversation_flow() {
  const auto context = make_context(bot_, state_, now_);
  for (const auto& name : bot_.flow_order) {
    const flow_def& flow = bot_.flows.find(name)->second;
    for (const auto& t : flow.triggers) {
      if (t.kind != trigger_kind::start || (t.condition && !t.condition->test(context))) continue;
      push_flow(flow.name, false);
      execute();
      return;
    }
  }
}

void turn_runner::on(const named_event& e) {
  for (const auto& [k, v] : e.props) state_.context[k] = v;
  emit("event", {{"name", e.name}});
  const bool idle = state_.owned_by == owner::bot && !state_.opted_out &&
                    state_.waiting == waiting_for::nothing && state_.stack.empty();
  if (!idle) return;
  const auto context = make_context(bot_, state_, now_);
  for (const auto& name : bot_.flow_order) {
    const flow_def& flow = bot_.flows.find(name)->second;
    for (const auto& t : flow.triggers) {
      if (t.kind != trigger_kind::event || t.name != e.name) continue;
      if (t.condition && !t.condition->test(context)) continue;
      state_.started = true;
      push_flow(flow.name, false);
      execute();
      return;
    }
  }
}

void turn_runner::on(const timer_fired& e) {
  if (e.name != "no_input" || e.seq == 0 || e.seq != state_.timer_seq) return;  // stale
  state_.timer_seq = 0;
  const ask_step* ask = pending_ask();
  if (ask == nullptr || state_.owned_by != owner::bot || state_.opted_out) return;
  if (!state_.nudged) {
    state_.nudged = true;
    ++state_.nudges;
    send(ask->no_input.nudge, message_role::nudge);
    emit("nudge", {{"slot", ask->slot}});
    set_no_input_timer(ask->no_input.close_after);
  } else {
    send(ask->no_input.close, message_role::close);
    close("no_input");
  }
}

void turn_runner::on(const handoff_event& e) {
  using kind = handoff_event::kind;
  const bool at_handoff = state_.waiting == waiting_for::handoff && !state_.stack.empty();
  const bool with_people = state_.owned_by == owner::queued || state_.owned_by == owner::human;
  switch (e.what) {
    case kind::queued:
      if (state_.owned_by != owner::queued) return;  // stale: already answered
      send_handoff_note("rapport.handoff_queued",
                        {{"handoff_position", double(e.position)},
                         {"handoff_wait_minutes", double((e.wait_ms + 59'999) / 60'000)},
                         {"handoff_team", e.team}});
      return;
    case kind::accepted:
      if (!with_people) return;  // the visitor left the queue meanwhile
      cancel_no_input_timer();
      state_.owned_by = owner::human;
      state_.agent = e.agent_name.empty() ? e.agent : e.agent_name;
      emit("handoff_accepted", {{"agent", e.agent}});
      send_handoff_note("rapport.handoff_joined", {});
      return;
    case kind::requeued:
      if (state_.owned_by != owner::human) return;
      state_.owned_by = owner::queued;
      emit("handoff_requeued", {{"reason", e.reason}, {"team", e.team}, {"agent", state_.agent}});
      send_handoff_note(e.reason == "transfer" ? "rapport.handoff_transferred"
                                               : "rapport.handoff_requeued",
                        {{"handoff_team", e.team}});
      state_.agent.clear();
      return;
    case kind::unavailable: {
      if (!at_handoff || !with_people) return;
      const auto& step = current_flow()->steps[state_.stack.back().pc].body;
      const auto& h = std::get<handoff_step>(step);
      state_.owned_by = owner::bot;
      state_.waiting = waiting_for::nothing;
      state_.agent.clear();
      state_.unanswered = 0;  // the visitor waited for a person: this is a new exchange
      // The fallback can tell the visitor why and when: context.handoff_reason, .handoff_back_at
      if (e.reason.empty()) state_.context.erase("handoff_reason");
      else state_.context["handoff_reason"] = e.reason;
      if (e.back_at.empty()) state_.context.erase("handoff_back_at");
      else state_.context["handoff_back_at"] = e.back_at;
      state_.stack.back().pc = h.fallback_pc ? *h.fallback_pc : state_.stack.back().pc + 1;
      emit("handoff_unavailable", {{"reason", e.reason}});
      execute();
      return;
    }
    case kind::returned:
      if (!with_people) return;
      state_.owned_by = owner::bot;
      state_.agent.clear();
      if (at_handoff) {
        state_.waiting = waiting_for::nothing;
        ++state_.stack.back().pc;  // past the handoff (its fallback is jumped over)
      }
      emit("returned_to_bot", {{"agent", e.agent}, {"flow", e.flow}});
      if (!e.flow.empty()) push_flow(e.flow, false);
      state_.unanswered = 0;  // the agent's messages were the bot side of the exchange
      execute();
      return;
    case kind::closed:
      state_.agent.clear();
      close(e.outcome.empty() ? "closed_by_agent" : e.outcome);
      return;
  }
}

void turn_runner::on(const webhook_result& e) {
  if (state_.waiting != waiting_for::webhook || state_.stack.empty()) return;
  const flow_def* flow = current_flow();
  frame& f = state_.stack.back();
  const auto* w = std::get_if<webhook_step>(&flow->steps[f.pc].body);
  if (w == nullptr) return;
  state_.waiting = waiting_for::nothing;
  boost::system::error_code ec;
  boost::json::value body = e.ok ? boost::json::parse(e.body, ec) : boost::json::value{};
  if (!e.ok || ec) {
    emit("webhook_failed", {{"webhook", w->webhook}, {"status", double(e.status)}});
    f.pc = w->error_pc ? *w->error_pc : f.pc + 1;
  } else {
    for (const auto& [slot, path] : w->save) assign(slot, json_path(body, path));
    ++f.pc;
  }
  execute();
}

void turn_runner::on(const resume_event&) {
  if (state_.waiting == waiting_for::nothing && state_.owned_by == owner::bot) execute();
}

}  // namespace rapport::dialogs::detail
