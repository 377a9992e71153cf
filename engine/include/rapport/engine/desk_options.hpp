#pragma once
// Configuration of the agent desk (see agent_desk.hpp): teams with their assignment rule, wait
// limit and office hours; timeouts; the CRM webhook that receives leads.
#include <chrono>
#include <string>
#include <vector>

#include "rapport/dialogs/office_hours.hpp"

namespace rapport::engine {

struct team_options {
  std::string name;  // e.g. "sales"; a bot's handoff step names it
  enum class assignment { round_robin, least_busy } assign = assignment::round_robin;
  std::chrono::milliseconds wait_limit{std::chrono::minutes(3)};
  dialogs::office_hours hours;  // always open when empty
};

struct crm_webhook_options {
  std::string url;     // empty: leads are only stored
  std::string secret;  // HMAC-SHA256 key of the X-Rapport-Signature header
  std::chrono::milliseconds timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds retry_base{std::chrono::seconds(2)};   // doubles per failed attempt
  std::chrono::milliseconds retry_max{std::chrono::minutes(10)};
  std::chrono::milliseconds expire_after{std::chrono::hours(24)};  // then the delivery is dropped
};

struct desk_options {
  std::vector<team_options> teams;  // none: every handoff runs its fallback
  std::chrono::milliseconds offer_timeout{std::chrono::seconds(30)};  // then the next agent
  std::chrono::milliseconds reconnect_grace{std::chrono::seconds(60)};
  std::chrono::milliseconds session_lifetime{std::chrono::hours(12)};
  crm_webhook_options crm;
  std::string public_url;  // e.g. https://chat.example.com: transcript links in leads
  std::chrono::milliseconds tick{std::chrono::milliseconds(500)};  // offer, wait and grace checks
};

}  // namespace rapport::engine
