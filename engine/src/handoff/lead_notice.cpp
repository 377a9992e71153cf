#include "handoff/lead_notice.hpp"

#include <boost/json.hpp>

#include "runtime/value_json.hpp"

namespace rapport::engine::detail {

namespace json = boost::json;

namespace {

std::string slot_text(const dialogs::conversation_state& s, const char* name) {
  auto it = s.slots.find(name);
  return it == s.slots.end() ? std::string{} : dialogs::to_text(it->second);
}

}  // namespace

std::string transcript_url(const std::string& public_url, const std::string& conversation_id) {
  std::string base = public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/agent/#conversation=" + conversation_id;
}

lead_record make_lead(const lead_event& e, const dialogs::conversation_state& state) {
  json::object contact;
  for (const char* field : {"email", "phone", "name", "company"})
    if (auto v = slot_text(state, field); !v.empty()) contact[field] = v;
  json::object summary{{"intent", state.intent},
                       {"confidence", state.confidence},
                       {"lead_score", state.lead_score},
                       {"buying_intent", state.buying_intent},
                       {"first_message", state.first_message},
                       {"locale", state.locale},
                       {"turns", state.turns},
                       {"context", to_json_object(state.context)}};
  json::object body{{"event", e.kind},
                    {"conversation", e.conversation_id},
                    {"bot", e.bot},
                    {"channel", e.channel},
                    {"team", e.team},
                    {"reason", e.reason},
                    {"agent", e.agent},
                    {"outcome", e.outcome},
                    {"contact", std::move(contact)},
                    {"slots", to_json_object(state.slots)},
                    {"summary", std::move(summary)},
                    {"transcript_url", e.transcript_url},
                    {"at_ms", e.at_ms}};
  lead_record lead;
  lead.conversation_id = e.conversation_id;
  lead.bot = e.bot;
  lead.email = slot_text(state, "email");
  lead.need = slot_text(state, "lead_need");
  if (lead.need.empty()) lead.need = state.first_message;
  lead.props_json = json::serialize(body);
  lead.at_ms = e.at_ms;
  lead.source = e.kind;
  lead.outcome = e.outcome;
  return lead;
}

outbox_record crm_delivery(const lead_record& lead, const crm_webhook_options& crm) {
  outbox_record o;
  o.kind = "crm_lead";
  o.conversation_id = lead.conversation_id;
  o.body = lead.props_json;
  o.next_attempt_ms = lead.at_ms;
  o.expires_ms = lead.at_ms + crm.expire_after.count();
  o.created_ms = lead.at_ms;
  return o;
}

}  // namespace rapport::engine::detail
