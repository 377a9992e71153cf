#pragma once
// The lead a handoff or a close produces: the row the store keeps and the JSON the CRM webhook
// receives (docs/operations/handoff.md shows it). Pure.
#include <cstdint>
#include <string>

#include "rapport/dialogs/conversation.hpp"
#include "rapport/engine/desk_options.hpp"
#include "rapport/engine/store.hpp"

namespace rapport::engine::detail {

struct lead_event {
  std::string kind;  // "handoff": a person was asked for; "closed": an agent closed it
  std::string conversation_id;
  std::string bot;
  std::string channel;
  std::string team;
  std::string reason;
  std::string agent;
  std::string outcome;
  std::string transcript_url;
  std::int64_t at_ms = 0;
};

lead_record make_lead(const lead_event& e, const dialogs::conversation_state& state);

// The CRM delivery of a lead (kind "crm_lead"), due now.
outbox_record crm_delivery(const lead_record& lead, const crm_webhook_options& crm);

// Where an agent reads the conversation: {public_url}/agent/#conversation=<id>.
std::string transcript_url(const std::string& public_url, const std::string& conversation_id);

}  // namespace rapport::engine::detail
