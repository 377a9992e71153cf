#include "rapport/dialogs/simulator.hpp"

#include "loader/names.hpp"

namespace rapport::dialogs {

simulator::simulator(std::shared_ptr<const bot_model> bot, simulator_options options)
    : bot_(std::move(bot)),
      options_(std::move(options)),
      state_(new_conversation(*bot_, options_.seed)),
      now_(options_.start_time) {
  // What the start event would set, for tests where the visitor writes first.
  state_.locale = bot_->match_locale(options_.locale);
  state_.channel = options_.channel;
  state_.context = options_.context;
}

std::vector<output> simulator::deliver(const event& e) {
  turn t = advance(*bot_, state_, e, now_);
  state_ = std::move(t.state);
  visited_.insert(t.trace.begin(), t.trace.end());
  track(t.outputs);
  return std::move(t.outputs);
}

std::vector<output> simulator::start() {
  return deliver(start_event{options_.channel, options_.locale, options_.context});
}

std::vector<output> simulator::say(std::string text) {
  return deliver(user_message{std::move(text), ""});
}

std::vector<output> simulator::click(std::string payload, std::string label) {
  return deliver(user_message{label.empty() ? payload : std::move(label), std::move(payload)});
}

std::vector<output> simulator::wait(milliseconds duration) {
  const sys_ms until = now_ + duration;
  std::vector<output> all;
  for (;;) {
    auto next = timers_.end();
    for (auto it = timers_.begin(); it != timers_.end(); ++it)
      if (it->second.due <= until && (next == timers_.end() || it->second.due < next->second.due))
        next = it;
    if (next == timers_.end()) break;
    timer_set fired = next->second;
    timers_.erase(next);
    now_ = std::max(now_, fired.due);
    auto outputs = deliver(timer_fired{fired.name, fired.seq});
    all.insert(all.end(), std::make_move_iterator(outputs.begin()),
               std::make_move_iterator(outputs.end()));
  }
  now_ = until;
  return all;
}

void simulator::reset(conversation_state state) {
  state_ = std::move(state);
  timers_.clear();
  handoff_.reset();
  webhook_.reset();
}

void simulator::track(const std::vector<output>& outputs) {
  for (const auto& o : outputs) {
    if (const auto* t = std::get_if<timer_set>(&o)) timers_[t->name] = *t;
    if (const auto* t = std::get_if<timer_cancel>(&o)) timers_.erase(t->name);
    if (const auto* h = std::get_if<handoff_request>(&o)) handoff_ = *h;
    if (const auto* w = std::get_if<webhook_request>(&o)) webhook_ = *w;
    if (const auto* m = std::get_if<message_out>(&o)) messages_.insert(m->key);
    if (const auto* b = std::get_if<policy_block>(&o)) messages_.insert(b->key);
  }
  if (state_.waiting != waiting_for::handoff) handoff_.reset();
  if (state_.waiting != waiting_for::webhook) webhook_.reset();
}

std::optional<milliseconds> parse_duration(std::string_view text) {
  return loader::parse_duration(text);  // the same durations as in bot files
}

}  // namespace rapport::dialogs
