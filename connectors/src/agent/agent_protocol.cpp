#include "agent/agent_protocol.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "http/json.hpp"

namespace rapport::connectors::agent {
namespace json = boost::json;

namespace {

constexpr std::size_t max_field_bytes = 256;  // ids, names, outcomes, flows

json::value value_json(const dialogs::value& v) {
  if (const auto* b = std::get_if<bool>(&v)) return *b;
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* s = std::get_if<std::string>(&v)) return json::string(*s);
  return nullptr;
}

json::array strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.push_back(json::string(s));
  return a;
}

json::object listed(const engine::desk_conversation& c, const std::string& me) {
  json::object summary;
  for (const auto& [k, v] : c.summary) summary[k] = value_json(v);
  return {{"id", c.id},
          {"bot", c.bot},
          {"channel", c.channel},
          {"team", c.team},
          {"reason", c.reason},
          {"waiting_since", c.waiting_since_ms},
          {"position", c.position},
          {"offered_to_me", !c.offered_to.empty() && c.offered_to == me},
          {"agent", c.agent},
          {"accepted_at", c.accepted_ms},
          {"summary", std::move(summary)}};
}

json::object entry_json(const engine::transcript_entry& e) {
  json::array buttons;
  for (const auto& b : e.buttons) buttons.push_back(json::object{{"label", b.label}, {"payload", b.payload}});
  json::object o{{"seq", e.seq},          {"role", engine::to_string(e.by)},
                 {"text", e.text},        {"key", e.key},
                 {"at", e.at_ms},         {"buttons", std::move(buttons)}};
  if (e.by == engine::author::human) {
    o["agent"] = e.agent_name;
    // The console's own message id (stored as "agent:<id>"), so it can match its pending copy.
    if (e.client_id.starts_with("agent:")) o["client_id"] = e.client_id.substr(6);
  }
  return o;
}

}  // namespace

std::variant<agent_frame, frame_error> parse_agent_frame(std::string_view text,
                                                         std::size_t max_message_bytes) {
  auto parsed = http::parse_json(text);
  if (!parsed.value) return frame_error{"bad_json", parsed.error.message, {}, {}};
  if (!parsed.value->is_object()) return frame_error{"bad_frame", "a frame must be a JSON object", {}, {}};
  const json::object& o = parsed.value->get_object();

  std::string type, conversation, request, id, err;
  auto bad = [&](std::string code = "bad_frame") { return frame_error{std::move(code), err, id, request}; };
  // Reads a string member into `out`; false (with `err` set) when it is wrong.
  auto text_field = [&](std::string_view key, std::string& out, bool required, std::size_t max) {
    err = http::get_string(o, key, out, required);
    if (err.empty() && required && out.empty()) err = "`" + std::string(key) + "` must not be empty";
    if (err.empty() && out.size() > max)
      err = "`" + std::string(key) + "` is longer than " + std::to_string(max) + " bytes";
    return err.empty();
  };
  if (!text_field("type", type, true, max_field_bytes)) return bad();
  if (!text_field("request", request, false, max_field_bytes)) return bad();
  if (type == "presence") {
    std::string status;
    if (!text_field("status", status, true, max_field_bytes)) return bad();
    if (status != "online" && status != "away") {
      err = "`status` must be \"online\" or \"away\"";
      return bad();
    }
    return presence_frame{status == "online" ? engine::presence::online : engine::presence::away};
  }
  if (!text_field("conversation", conversation, true, max_field_bytes)) return bad();
  if (type == "open") return open_frame{conversation};
  if (type == "leave") return leave_frame{conversation};
  if (type == "accept") return accept_frame{conversation, request};
  if (type == "decline") return decline_frame{conversation};
  if (type == "message") {
    message_frame m{conversation, {}, {}};
    if (!text_field("id", id, true, 128)) return bad();
    m.id = id;
    if (!text_field("text", m.text, true, SIZE_MAX)) return bad();
    if (m.text.size() > max_message_bytes) {
      err = "the message is " + std::to_string(m.text.size()) + " bytes; at most " +
            std::to_string(max_message_bytes) + " are accepted";
      return bad("too_long");
    }
    return m;
  }
  if (type == "typing") {
    typing_frame t{conversation, false};
    if (!(err = http::get_bool(o, "on", t.on, true)).empty()) return bad();
    return t;
  }
  if (type == "seen") {
    seen_frame s{conversation, 0};
    if (!(err = http::get_int(o, "seq", s.seq, true)).empty()) return bad();
    return s;
  }
  if (type == "return") {
    return_frame r{conversation, {}, request};
    if (!text_field("flow", r.flow, false, max_field_bytes)) return bad();
    return r;
  }
  if (type == "transfer") {
    transfer_frame t{conversation, {}, {}, request};
    if (!text_field("team", t.team, false, max_field_bytes)) return bad();
    if (!text_field("agent", t.agent, false, max_field_bytes)) return bad();
    if (t.team.empty() == t.agent.empty()) {
      err = "a transfer names a `team` or an `agent`";
      return bad();
    }
    return t;
  }
  if (type == "close") {
    close_frame c{conversation, {}, request};
    if (!text_field("outcome", c.outcome, true, max_field_bytes)) return bad();
    return c;
  }
  err = "unknown frame type \"" + type + "\"";
  return bad();
}

json::object profile_json(const engine::agent_profile& p) {
  return {{"id", p.id}, {"name", p.name}, {"teams", strings(p.teams)}, {"capacity", p.capacity}};
}

std::string desk_json(const engine::desk_view& v) {
  json::array queue, mine, colleagues;
  for (const auto& c : v.queue) queue.push_back(listed(c, v.me.id));
  for (const auto& c : v.mine) mine.push_back(listed(c, v.me.id));
  for (const auto& a : v.colleagues)
    colleagues.push_back(json::object{{"id", a.id},
                                      {"name", a.name},
                                      {"teams", strings(a.teams)},
                                      {"status", engine::to_string(a.status)},
                                      {"load", a.load},
                                      {"capacity", a.capacity}});
  json::object flows;
  for (const auto& [bot, names] : v.bot_flows) flows[bot] = strings(names);
  return json::serialize(json::object{{"type", "desk"},
                                      {"me", profile_json(v.me)},
                                      {"status", engine::to_string(v.status)},
                                      {"queue", std::move(queue)},
                                      {"mine", std::move(mine)},
                                      {"colleagues", std::move(colleagues)},
                                      {"teams", strings(v.teams)},
                                      {"outcomes", strings(engine::close_outcomes())},
                                      {"flows", std::move(flows)}});
}

std::string conversation_json(std::string_view id, std::string_view owner,
                              const std::vector<engine::transcript_entry>& entries) {
  json::array messages;
  for (const auto& e : entries) messages.push_back(entry_json(e));
  return json::serialize(json::object{
      {"type", "conversation"}, {"conversation", id}, {"owner", owner}, {"messages", std::move(messages)}});
}

std::string message_json(std::string_view conversation, const engine::transcript_entry& e) {
  return json::serialize(
      json::object{{"type", "message"}, {"conversation", conversation}, {"message", entry_json(e)}});
}

std::string update_json(const engine::conversation_update& u) {
  using kind = engine::conversation_update::kind;
  json::object o{{"conversation", u.conversation_id}};
  switch (u.what) {
    case kind::typing:
      o["type"] = "typing";
      o["role"] = engine::to_string(u.who);
      o["on"] = u.typing;
      break;
    case kind::seen:
      o["type"] = "seen";
      o["role"] = engine::to_string(u.who);
      o["seq"] = u.seen_seq;
      break;
    case kind::owner:
    case kind::closed:
      o["type"] = "owner";
      o["owner"] = u.owner;
      break;
    case kind::message:
      return message_json(u.conversation_id, u.message);
  }
  return json::serialize(o);
}

std::string gone_json(std::string_view conversation) {
  return json::serialize(json::object{{"type", "gone"}, {"conversation", conversation}});
}

std::string ack_json(std::string_view id, std::string_view conversation, std::int64_t seq) {
  return json::serialize(json::object{{"type", "ack"}, {"id", id}, {"conversation", conversation}, {"seq", seq}});
}

std::string result_json(std::string_view request, const boost::system::error_code& ec) {
  json::object o{{"type", "result"}, {"request", request}, {"ok", !ec}};
  if (ec) {
    o["code"] = code_for(ec);
    o["message"] = ec.message();
  }
  return json::serialize(o);
}

std::string error_json(const frame_error& e) {
  json::object o{{"type", "error"}, {"code", e.code}, {"message", e.message}};
  if (!e.id.empty()) o["id"] = e.id;
  if (!e.request.empty()) o["request"] = e.request;
  return json::serialize(o);
}

std::string code_for(const boost::system::error_code& ec) {
  if (ec.category() == engine::desk_category()) {
    switch (static_cast<engine::desk_errc>(ec.value())) {
      case engine::desk_errc::bad_credentials: return "bad_credentials";
      case engine::desk_errc::no_session: return "no_session";
      case engine::desk_errc::not_waiting: return "not_waiting";
      case engine::desk_errc::not_your_team: return "not_your_team";
      case engine::desk_errc::at_capacity: return "at_capacity";
      case engine::desk_errc::not_yours: return "not_yours";
      case engine::desk_errc::unknown_team: return "unknown_team";
      case engine::desk_errc::unknown_agent: return "unknown_agent";
      case engine::desk_errc::unknown_flow: return "unknown_flow";
      case engine::desk_errc::bad_outcome: return "bad_outcome";
    }
  }
  // The conversation moved on under the desk (e.g. the visitor opted out): not theirs now.
  if (ec == engine::errc::bad_request) return "not_yours";
  return "overloaded";
}

}  // namespace rapport::connectors::agent
