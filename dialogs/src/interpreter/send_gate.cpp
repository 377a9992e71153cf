// The dialog-level send gate: every message the interpreter sends passes through send().
#include <cstdint>

#include "turn_runner.hpp"
#include "variables.hpp"

namespace rapport::dialogs::detail {

namespace {

// splitmix64: the variant picked for draw n of a conversation with this seed.
std::uint64_t mix(std::uint64_t seed, std::uint64_t n) {
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (n + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

bool turn_runner::send(std::string_view key, message_role role, std::vector<button> buttons,
                       const value_map& extra) {
  const message_def* m = bot_.find_message(state_.locale, key);
  std::string text;
  if (m != nullptr && !m->variants.empty()) {
    std::size_t pick = 0;
    if (m->variants.size() > 1) pick = mix(state_.seed, state_.draws++) % m->variants.size();
    auto args = message_arguments(state_);
    for (const auto& [k, v] : extra) args[k] = v;
    text = m->variants[pick].render(args);
  } else {
    text = std::string(key);  // the loader rejects undefined keys; show the key, never crash
  }

  if (state_.opted_out) {
    block("opted_out", key, std::move(text));
    return false;
  }
  if (role == message_role::note) {  // handoff notes: see send_handoff_note
    out_.push_back(message_out{std::string(key), std::move(text), std::move(buttons), role, false});
    return true;
  }
  if (state_.owned_by == owner::human || state_.owned_by == owner::queued) {
    block("human_owner", key, std::move(text));
    return false;
  }
  // Nudges have their own cap (one per silence) and the polite close ends the conversation.
  const bool capped = role != message_role::nudge && role != message_role::close;
  if (capped && state_.unanswered >= bot_.policy.max_unanswered) {
    block("max_unanswered", key, std::move(text));
    return false;
  }
  if (m != nullptr && m->promo && !state_.buying_intent && !state_.consent) {
    block("promo", key, std::move(text));
    return true;  // the flow goes on without the promotional message
  }
  ++state_.unanswered;
  out_.push_back(message_out{std::string(key), std::move(text), std::move(buttons), role,
                             m != nullptr && m->promo});
  return true;
}

void turn_runner::send_handoff_note(std::string_view key, const value_map& args) {
  send(key, message_role::note, {}, args);
}

void turn_runner::block(std::string_view reason, std::string_view key, std::string text) {
  emit("policy_block", {{"reason", std::string(reason)}, {"key", std::string(key)}});
  out_.push_back(policy_block{std::string(reason), std::string(key), std::move(text)});
}

void turn_runner::set_no_input_timer(milliseconds after) {
  state_.timer_seq = ++state_.timers_issued;
  out_.push_back(timer_set{"no_input", now_ + after, state_.timer_seq});
}

void turn_runner::cancel_no_input_timer() {
  if (state_.timer_seq == 0) return;
  state_.timer_seq = 0;
  out_.push_back(timer_cancel{"no_input"});
}

void turn_runner::emit(std::string name, value_map props) {
  out_.push_back(analytics_event{std::move(name), std::move(props)});
}

}  // namespace rapport::dialogs::detail
