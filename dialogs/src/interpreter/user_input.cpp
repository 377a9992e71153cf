// A visitor's message: interrupts, answers to questions, digressions, triggers, fallback.
#include <algorithm>

#include "answers.hpp"
#include "turn_runner.hpp"
#include "variables.hpp"

namespace rapport::dialogs::detail {

namespace {

// Interrupts in the order they are checked; the intent that recognises each has its name.
constexpr interrupt_kind interrupt_order[] = {interrupt_kind::stop, interrupt_kind::human,
                                              interrupt_kind::restart, interrupt_kind::help};

// An opt-out must be unmistakable: an exact phrase, or a near-certain classification.
constexpr double stop_confidence = 0.9;
constexpr double interrupt_confidence = 0.7;  // interrupts take over the conversation

const char* slot_type_name(slot_type t) {
  switch (t) {
    case slot_type::text: return "text";
    case slot_type::choice: return "choice";
    case slot_type::yes_no: return "yes_no";
    case slot_type::number: return "number";
    case slot_type::email: return "email";
    case slot_type::phone: return "phone";
    case slot_type::rating: return "rating";
    case slot_type::nps: return "nps";
    case slot_type::date: return "date";
  }
  return "text";
}

bool contains_words(std::string_view text, std::string_view phrase) {
  if (phrase.empty()) return false;
  std::string padded_text = " " + std::string(text) + " ";
  std::string padded_phrase = " " + std::string(phrase) + " ";
  return padded_text.find(padded_phrase) != std::string::npos;
}

std::string intent_label(std::string name) {
  std::replace(name.begin(), name.end(), '_', ' ');
  if (!name.empty() && name[0] >= 'a' && name[0] <= 'z') name[0] = char(name[0] - 'a' + 'A');
  return name;
}

}  // namespace

void turn_runner::on(const user_message& m) {
  ++state_.turns;
  state_.unanswered = 0;
  state_.nudged = false;
  state_.last_user_ms = now_.time_since_epoch().count();
  state_.last_input = m.text;
  state_.entities.clear();
  if (state_.first_message.empty() && m.payload.empty()) state_.first_message = m.text;
  cancel_no_input_timer();

  const std::string normalized =
      nlu::normalize(m.text, state_.locale, {bot_.nlu_config.fold_accents});
  state_.offered_intents.clear();

  // A button the pending question offered is simply its answer: no classifier, no interrupts.
  if (!m.payload.empty() && !state_.opted_out && state_.owned_by == owner::bot &&
      state_.waiting == waiting_for::answer && answer(m, nlu::result{})) {
    state_.fallbacks = 0;
    execute();
    return;
  }

  nlu::result understood;
  if (m.payload.starts_with("intent:")) {  // a disambiguation button
    understood.intent = m.payload.substr(7);
    understood.confidence = 1;
  } else if (!normalized.empty() && bot_.nlu) {
    understood = bot_.nlu->parse({m.text, state_.locale, now_, bot_.time_zone});
  }
  for (const auto& e : understood.entities) state_.entities.emplace(e.type, e.val);

  if (state_.opted_out) {
    on_opted_out(understood, normalized);
    return;
  }
  if (state_.owned_by == owner::closed) {  // a new message reopens the conversation
    state_.owned_by = owner::bot;
    state_.waiting = waiting_for::nothing;
    state_.stack.clear();
    emit("reopened");
  }
  if (state_.owned_by != owner::bot) {  // a person has it: only an opt-out gets through
    record_intent(understood);
    if (detect_interrupt(understood, normalized, true) == interrupt_kind::stop)
      run_interrupt(interrupt_kind::stop);
    return;
  }

  if (state_.waiting == waiting_for::answer) {
    const ask_step& ask = *pending_ask();
    // An exact phrase ("human", "stop") interrupts any question; a classified one only a message
    // that does not answer it ("yes please" answers a yes/no question, it is not an opt-out).
    auto interrupt = detect_interrupt(understood, normalized, false);
    if (interrupt && interrupt_enabled(*interrupt)) {
      run_interrupt(*interrupt);
      return;
    }
    record_intent(understood);
    if (answer(m, understood)) {
      state_.fallbacks = 0;
      execute();
      return;
    }
    interrupt = detect_interrupt(understood, normalized, true);
    if (interrupt && interrupt_enabled(*interrupt)) {
      run_interrupt(*interrupt);
      return;
    }
    const flow_def* digression = match_trigger(understood, normalized);
    if (digression != nullptr && digression != current_flow()) {
      state_.fallbacks = 0;
      state_.waiting = waiting_for::nothing;  // the question is asked again when it returns
      emit("digression", {{"flow", digression->name}, {"slot", ask.slot}});
      push_flow(digression->name, true);
      execute();
      return;
    }
    reject_answer(ask);
    return;
  }

  record_intent(understood);
  if (auto interrupt = detect_interrupt(understood, normalized, true);
      interrupt && interrupt_enabled(*interrupt)) {
    run_interrupt(*interrupt);
    return;
  }
  if (state_.waiting != waiting_for::nothing) return;  // a webhook is under way

  if (const flow_def* flow = match_trigger(understood, normalized)) {
    state_.fallbacks = 0;
    state_.started = true;
    state_.stack.clear();
    push_flow(flow->name, false);
    execute();
    return;
  }
  if (offer_disambiguation(understood)) return;
  if (!state_.started) {  // the visitor wrote first: open as if they had opened the widget
    state_.started = true;
    start_conversation_flow();
    if (!state_.stack.empty() || state_.waiting != waiting_for::nothing) return;
  }
  ++state_.fallbacks;
  emit("fallback", {{"text", m.text}});
  push_flow(bot_.fallback_flow, false);
  execute();
}

void turn_runner::record_intent(const nlu::result& understood) {
  if (understood.intent.empty()) return;
  state_.intent = understood.intent;
  state_.confidence = understood.confidence;
  const auto& buying = bot_.buying_intents;
  if (std::find(buying.begin(), buying.end(), understood.intent) != buying.end())
    state_.buying_intent = true;
  emit("intent", {{"name", understood.intent}, {"confidence", understood.confidence}});
}

std::optional<interrupt_kind> turn_runner::detect_interrupt(const nlu::result& understood,
                                                            std::string_view normalized,
                                                            bool classified) const {
  const auto exact = bot_.exact_examples.find(normalized);
  for (interrupt_kind k : interrupt_order)
    if (exact != bot_.exact_examples.end() && exact->second == to_string(k)) return k;
  if (!classified) return std::nullopt;

  // A free-text answer may mention anything ("you should have let me talk to a human"): only
  // exact phrases interrupt it.
  if (const ask_step* ask = pending_ask()) {
    auto slot = bot_.slots.find(ask->slot);
    if (slot != bot_.slots.end() && slot->second.type == slot_type::text) return std::nullopt;
  }
  if (understood.intent.empty() || understood.ambiguous) return std::nullopt;
  for (interrupt_kind k : interrupt_order) {
    if (understood.intent != to_string(k)) continue;
    const double needed = k == interrupt_kind::stop
                              ? stop_confidence
                              : std::max(bot_.nlu_config.threshold, interrupt_confidence);
    if (understood.confidence >= needed) return k;
  }
  return std::nullopt;
}

bool turn_runner::interrupt_enabled(interrupt_kind k) const {
  if (const ask_step* ask = pending_ask(); ask != nullptr && ask->interrupts[k])
    return *ask->interrupts[k];
  if (const flow_def* flow = current_flow(); flow != nullptr && flow->interrupts[k])
    return *flow->interrupts[k];
  return bot_.interrupts[k].value_or(true);
}

void turn_runner::run_interrupt(interrupt_kind k) {
  emit("interrupt", {{"kind", std::string(to_string(k))}});
  cancel_no_input_timer();
  switch (k) {
    case interrupt_kind::stop:
      state_.owned_by = owner::bot;  // an opt-out also ends a handoff
      state_.waiting = waiting_for::nothing;
      state_.stack.clear();
      push_flow("stop", true);
      execute();
      state_.opted_out = true;
      state_.stack.clear();
      state_.waiting = waiting_for::nothing;
      emit("opt_out");
      return;
    case interrupt_kind::restart:
      state_.slots.clear();
      state_.stack.clear();
      state_.waiting = waiting_for::nothing;
      state_.retries = 0;
      start_conversation_flow();
      return;
    case interrupt_kind::human:
    case interrupt_kind::help:
      // The interrupted question stays on the stack and is asked again afterwards.
      state_.waiting = waiting_for::nothing;
      push_flow(to_string(k), true);
      execute();
      return;
  }
}

bool turn_runner::answer(const user_message& m, const nlu::result& understood) {
  const ask_step* ask = pending_ask();
  auto slot = bot_.slots.find(ask->slot);
  if (slot == bot_.slots.end()) return false;
  auto v = parse_answer(bot_, slot->second, *ask, m, understood, state_.locale);
  if (!v) return false;
  if (ask->validate && !ask->validate->test(make_context(bot_, state_, now_, &*v))) return false;
  emit("slot_filled", {{"slot", ask->slot}});
  state_.slots[ask->slot] = std::move(*v);
  state_.waiting = waiting_for::nothing;
  state_.retries = 0;
  ++state_.stack.back().pc;
  return true;
}

void turn_runner::reject_answer(const ask_step& ask) {
  ++state_.retries;
  emit("answer_invalid", {{"slot", ask.slot}, {"retries", double(state_.retries)}});
  state_.waiting = waiting_for::nothing;
  if (state_.retries > ask.retries) {
    emit("retries_exhausted", {{"slot", ask.slot}});
    state_.retries = 0;
    frame& f = state_.stack.back();
    f.pc = ask.fail_pc ? *ask.fail_pc : f.pc + 1;
    execute();
    return;
  }
  if (!ask.invalid.empty()) {
    send(ask.invalid, message_role::invalid);
  } else if (ask.reprompt.empty()) {
    auto slot = bot_.slots.find(ask.slot);
    if (slot != bot_.slots.end())
      send(std::string("rapport.invalid_") + slot_type_name(slot->second.type),
           message_role::invalid);
  }
  run_ask(*current_flow(), ask, message_role::reprompt);
}

const flow_def* turn_runner::match_trigger(const nlu::result& understood,
                                           std::string_view normalized) const {
  const auto context = make_context(bot_, state_, now_);
  auto applies = [&](const trigger_def& t) { return !t.condition || t.condition->test(context); };
  // The author's explicit keywords win over the classifier.
  for (const auto& name : bot_.flow_order) {
    const flow_def& flow = bot_.flows.find(name)->second;
    for (const auto& t : flow.triggers) {
      if (t.kind != trigger_kind::keyword || !applies(t)) continue;
      for (const auto& keyword : t.keywords)
        if (contains_words(normalized, keyword)) return &flow;
    }
  }
  if (understood.intent.empty() || understood.ambiguous) return nullptr;
  for (const auto& name : bot_.flow_order) {
    const flow_def& flow = bot_.flows.find(name)->second;
    for (const auto& t : flow.triggers)
      if (t.kind == trigger_kind::intent && t.name == understood.intent && applies(t))
        return &flow;
  }
  return nullptr;
}

bool turn_runner::offer_disambiguation(const nlu::result& understood) {
  if (!understood.ambiguous) return false;
  auto starts_flow = [&](const std::string& intent) {
    for (const auto& [name, flow] : bot_.flows)
      for (const auto& t : flow.triggers)
        if (t.kind == trigger_kind::intent && t.name == intent) return true;
    return false;
  };
  std::vector<button> buttons;
  std::vector<std::string> offered;
  for (const auto& candidate : understood.ranking) {
    if (offered.size() == 2) break;
    if (!starts_flow(candidate.name)) continue;
    std::string label = intent_label(candidate.name);
    if (const message_def* m = bot_.find_message(state_.locale, "intent." + candidate.name);
        m != nullptr && !m->variants.empty())
      label = m->variants.front().render(message_arguments(state_));
    buttons.push_back({std::move(label), "intent:" + candidate.name});
    offered.push_back(candidate.name);
  }
  if (offered.size() < 2) return false;
  emit("disambiguation", {{"first", offered[0]}, {"second", offered[1]}});
  if (send("rapport.disambiguate", message_role::system, std::move(buttons)))
    state_.offered_intents = std::move(offered);
  return true;
}

void turn_runner::on_opted_out(const nlu::result& understood, std::string_view normalized) {
  const auto exact = bot_.exact_examples.find(normalized);
  if (exact == bot_.exact_examples.end() || exact->second != "resume") {
    emit("ignored_opted_out");
    return;
  }
  state_.opted_out = false;
  state_.owned_by = owner::bot;
  state_.stack.clear();
  state_.waiting = waiting_for::nothing;
  emit("opt_in");
  start_conversation_flow();
}

}  // namespace rapport::dialogs::detail
