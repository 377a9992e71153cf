#include "verify_check.hpp"

#include <boost/json.hpp>

namespace rapport::bench {
namespace json = boost::json;

std::vector<transcript_row> transcript_rows(const json::value& body) {
  std::vector<transcript_row> out;
  const auto* messages = body.is_object() ? body.get_object().if_contains("messages") : nullptr;
  if (messages == nullptr || !messages->is_array()) return out;
  for (const auto& m : messages->get_array()) {
    if (!m.is_object()) continue;
    const auto& o = m.get_object();
    transcript_row e;
    if (const auto* s = o.if_contains("seq"); s && s->is_int64()) e.seq = s->get_int64();
    for (auto [name, out_field] : {std::pair<std::string_view, std::string*>{"role", &e.role},
                                   {"key", &e.key}, {"client_id", &e.client_id}})
      if (const auto* v = o.if_contains(name); v && v->is_string()) *out_field = v->get_string();
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<std::string> check_conversation(const conversation_record& r,
                                            const std::vector<transcript_row>& transcript,
                                            const script& steps, const std::string& nudge_key) {
  std::vector<std::string> problems;
  std::map<std::int64_t, const transcript_row*> by_seq;
  std::map<std::string, std::int64_t> visitor_ids;
  std::vector<std::string> bot_keys;
  int nudges = 0;
  std::int64_t expected_seq = 1;
  for (const auto& e : transcript) {
    if (e.seq != expected_seq++) problems.push_back("verify_seq_gap");
    by_seq[e.seq] = &e;
    if (e.role == "visitor" && !visitor_ids.emplace(e.client_id, e.seq).second)
      problems.push_back("verify_visitor_message_twice");
    if (e.role != "bot") continue;
    if (e.key == nudge_key) ++nudges;
    else bot_keys.push_back(e.key);
  }
  for (const auto& [id, seq] : r.acked) {
    auto it = visitor_ids.find(id);
    if (it == visitor_ids.end()) problems.push_back("verify_acked_message_lost");
    else if (it->second != seq) problems.push_back("verify_acked_seq_differs");
  }
  for (const auto& [seq, what] : r.received) {
    auto it = by_seq.find(seq);
    if (it == by_seq.end() || it->second->role + " " + it->second->key != what)
      problems.push_back("verify_delivered_differs");
  }
  // The bot answered each step once, in the script's order: no reply twice, no restart.
  if (bot_keys.size() < r.steps_answered || bot_keys.size() > steps.steps.size())
    problems.push_back("verify_reply_count");
  for (std::size_t i = 0; i < bot_keys.size() && i < steps.steps.size(); ++i)
    if (bot_keys[i] != steps.steps[i].expect) {
      problems.push_back("verify_reply_order");
      break;
    }
  if (r.silent && nudges != 1) problems.push_back("verify_nudges_" + std::to_string(nudges));
  return problems;
}

}  // namespace rapport::bench
