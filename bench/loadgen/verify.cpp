// --verify: after the run, every conversation a visitor played is read back through the REST
// transcript endpoint and compared with what the visitor saw. This is what the crash test relies
// on: nothing acknowledged is lost, nothing is delivered or answered twice, conversations went on
// where they were, and a silent visitor got exactly one nudge.
#include <set>

#include <boost/json.hpp>

#include "http_conn.hpp"

namespace rapport::bench {
namespace {
namespace json = boost::json;

struct entry {
  std::int64_t seq = 0;
  std::string role, key, client_id;
};

std::vector<entry> entries_of(const json::value& body) {
  std::vector<entry> out;
  const auto* messages = body.is_object() ? body.get_object().if_contains("messages") : nullptr;
  if (messages == nullptr || !messages->is_array()) return out;
  for (const auto& m : messages->get_array()) {
    if (!m.is_object()) continue;
    const auto& o = m.get_object();
    entry e;
    if (const auto* s = o.if_contains("seq"); s && s->is_int64()) e.seq = s->get_int64();
    for (auto [name, out_field] : {std::pair<std::string_view, std::string*>{"role", &e.role},
                                   {"key", &e.key}, {"client_id", &e.client_id}})
      if (const auto* v = o.if_contains(name); v && v->is_string()) *out_field = v->get_string();
    out.push_back(std::move(e));
  }
  return out;
}

// Problems of one conversation, as error kinds.
std::vector<std::string> check(const conversation_record& r, const std::vector<entry>& transcript,
                               const script& steps, const std::string& nudge_key) {
  std::vector<std::string> problems;
  std::map<std::int64_t, const entry*> by_seq;
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

}  // namespace

net::awaitable<void> verify_records(generator_thread& t) {
  http_conn conn(t.run.opt, t.source_for(t.index));
  for (const auto& r : t.records) {
    auto reply = co_await conn.request(boost::beast::http::verb::get,
                                       "/api/v1/conversations/" + r.id + "/transcript?after=0", {}, r.token);
    if (!reply || reply->status != 200) {
      t.st.error(reply ? "verify_http_" + std::to_string(reply->status) : "verify_http_io");
      continue;
    }
    for (const auto& p : check(r, entries_of(reply->body), t.run.steps, t.run.opt.nudge_key)) t.st.error(p);
  }
}

}  // namespace rapport::bench
