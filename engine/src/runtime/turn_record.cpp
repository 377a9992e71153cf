#include "runtime/turn_record.hpp"

#include <type_traits>

#include "runtime/value_json.hpp"

namespace rapport::engine::detail {

namespace {

std::string text_of(const dialogs::value_map& props, const char* key) {
  auto it = props.find(key);
  return it == props.end() ? std::string{} : dialogs::to_text(it->second);
}

}  // namespace

turn_record record_turn(const turn_facts& facts, std::optional<transcript_entry> inbound,
                        const std::vector<dialogs::output>& outputs) {
  turn_record r;
  r.last_seq = facts.last_seq;
  if (inbound) {
    inbound->seq = ++r.last_seq;
    inbound->at_ms = facts.now_ms;
    r.unit.messages.push_back({facts.conversation_id, *inbound});
    r.inbound = std::move(inbound);
  }
  auto analytics = [&](std::string name, const dialogs::value_map& props) {
    r.unit.analytics.push_back(
        {facts.conversation_id, facts.bot, std::move(name), to_json(props), facts.now_ms});
  };

  for (const auto& out : outputs) {
    std::visit(
        [&](const auto& o) {
          using T = std::decay_t<decltype(o)>;
          if constexpr (std::is_same_v<T, dialogs::message_out>) {
            transcript_entry e;
            e.seq = ++r.last_seq;
            e.by = o.role == dialogs::message_role::note ? author::system : author::bot;
            e.text = o.text;
            e.buttons = o.buttons;
            e.key = o.key;
            e.at_ms = facts.now_ms;
            r.unit.messages.push_back({facts.conversation_id, e});
            r.replies.push_back(std::move(e));
          } else if constexpr (std::is_same_v<T, dialogs::timer_set>) {
            r.timers[o.name] = stored_timer{facts.conversation_id, o.name,
                                            o.due.time_since_epoch().count(), o.seq};
          } else if constexpr (std::is_same_v<T, dialogs::timer_cancel>) {
            r.timers[o.name] = std::nullopt;
          } else if constexpr (std::is_same_v<T, dialogs::handoff_request>) {
            r.handoffs.push_back({facts.conversation_id, facts.bot, facts.channel, o.team, o.reason,
                                  o.summary});
            r.unit.handoffs.push_back({facts.conversation_id, facts.bot, o.team, o.reason,
                                       to_json(o.summary), "requested", "", facts.now_ms,
                                       facts.now_ms});
          } else if constexpr (std::is_same_v<T, dialogs::webhook_request>) {
            r.webhooks.push_back(o);
          } else if constexpr (std::is_same_v<T, dialogs::policy_block>) {
            // The engine's record of a blocked send; the interpreter's own analytics event of
            // the same name is not stored twice.
            r.blocked.push_back(o.reason);
            analytics("policy_block", {{"reason", o.reason}, {"key", o.key}, {"text", o.text}});
          } else if constexpr (std::is_same_v<T, dialogs::analytics_event>) {
            if (o.name == "policy_block") return;
            analytics(o.name, o.props);
            if (o.name == "csat") {
              if (auto it = o.props.find("score"); it != o.props.end())
                if (const auto* d = std::get_if<double>(&it->second)) r.csat = int(*d);
            }
            if (o.name == "lead_captured") {
              r.unit.leads.push_back({facts.conversation_id, facts.bot, text_of(o.props, "email"),
                                      text_of(o.props, "need"), to_json(o.props), facts.now_ms,
                                      "lead_capture", ""});
            } else if (o.name == "opt_out" || o.name == "opt_in") {
              r.unit.opt_outs.push_back({facts.bot, facts.channel, facts.user,
                                         facts.conversation_id, o.name == "opt_out",
                                         facts.now_ms});
            }
          } else if constexpr (std::is_same_v<T, dialogs::conversation_end>) {
            r.ended = o.outcome;
          }
        },
        out);
  }

  for (const auto& [name, timer] : r.timers) {
    if (timer)
      r.unit.timers_set.push_back(*timer);
    else
      r.unit.timers_deleted.push_back({facts.conversation_id, name, 0});
  }
  return r;
}

}  // namespace rapport::engine::detail
