// Conversation state ⇄ JSON. The format is versioned by the "format" field; unknown fields are
// ignored so a newer server can read an older row.
#include <boost/json.hpp>

#include "rapport/dialogs/conversation.hpp"

namespace rapport::dialogs {

namespace json = boost::json;

const char* to_string(owner o) {
  switch (o) {
    case owner::bot: return "bot";
    case owner::queued: return "queued";
    case owner::human: return "human";
    case owner::closed: return "closed";
  }
  return "bot";
}

const char* to_string(waiting_for w) {
  switch (w) {
    case waiting_for::nothing: return "nothing";
    case waiting_for::answer: return "answer";
    case waiting_for::handoff: return "handoff";
    case waiting_for::webhook: return "webhook";
  }
  return "nothing";
}

const char* to_string(message_role r) {
  switch (r) {
    case message_role::say: return "say";
    case message_role::prompt: return "prompt";
    case message_role::reprompt: return "reprompt";
    case message_role::invalid: return "invalid";
    case message_role::nudge: return "nudge";
    case message_role::close: return "close";
    case message_role::system: return "system";
    case message_role::note: return "note";
  }
  return "say";
}

namespace {

json::value value_to_json(const value& v) {
  struct visitor {
    json::value operator()(null_value) const { return nullptr; }
    json::value operator()(bool b) const { return b; }
    json::value operator()(double d) const { return d; }
    json::value operator()(const std::string& s) const { return json::string(s); }
  };
  return std::visit(visitor{}, v);
}

value value_from_json(const json::value& j) {
  if (j.is_bool()) return j.as_bool();
  if (j.is_number()) return j.to_number<double>();
  if (j.is_string()) return std::string(j.as_string());
  return null_value{};
}

json::object map_to_json(const value_map& m) {
  json::object out;
  for (const auto& [k, v] : m) out[k] = value_to_json(v);
  return out;
}

value_map map_from_json(const json::value* j) {
  value_map out;
  if (j == nullptr || !j->is_object()) return out;
  for (const auto& [k, v] : j->as_object()) out[std::string(k)] = value_from_json(v);
  return out;
}

template <typename Enum, std::size_t N>
Enum enum_from(std::string_view text, const Enum (&all)[N], Enum fallback) {
  for (Enum e : all)
    if (text == to_string(e)) return e;
  return fallback;
}

// Typed field access that tolerates absent fields (older rows) but not wrong types.
struct reader {
  const json::object& o;
  std::string* error;
  bool ok = true;

  const json::value* find(std::string_view k) const {
    auto it = o.find(k);
    return it == o.end() ? nullptr : &it->value();
  }
  void fail(std::string_view k) {
    if (ok && error != nullptr) *error = "field '" + std::string(k) + "' has the wrong type";
    ok = false;
  }
  void get(std::string_view k, std::string& out) {
    if (const auto* v = find(k)) v->is_string() ? void(out = std::string(v->as_string())) : fail(k);
  }
  void get(std::string_view k, bool& out) {
    if (const auto* v = find(k)) v->is_bool() ? void(out = v->as_bool()) : fail(k);
  }
  void get(std::string_view k, double& out) {
    if (const auto* v = find(k)) v->is_number() ? void(out = v->to_number<double>()) : fail(k);
  }
  template <typename Int>
  void get_int(std::string_view k, Int& out) {
    const auto* v = find(k);
    if (v == nullptr) return;
    if (v->is_int64()) out = static_cast<Int>(v->as_int64());
    else if (v->is_uint64()) out = static_cast<Int>(v->as_uint64());
    else fail(k);
  }
};

}  // namespace

std::string to_json(const conversation_state& s) {
  json::array stack;
  for (const auto& f : s.stack)
    stack.push_back({{"flow", f.flow}, {"pc", f.pc}, {"interrupt", f.interrupt}});
  json::array offered;
  for (const auto& i : s.offered_intents) offered.push_back(json::string(i));
  json::array fired;
  for (int i : s.lead_rules_fired) fired.push_back(i);

  json::object o{
      {"format", 1},
      {"bot_version", s.bot_version},
      {"locale", s.locale},
      {"channel", s.channel},
      {"owner", to_string(s.owned_by)},
      {"waiting", to_string(s.waiting)},
      {"stack", std::move(stack)},
      {"slots", map_to_json(s.slots)},
      {"context", map_to_json(s.context)},
      {"last_input", s.last_input},
      {"entities", map_to_json(s.entities)},
      {"first_message", s.first_message},
      {"agent", s.agent},
      {"intent", s.intent},
      {"confidence", s.confidence},
      {"offered_intents", std::move(offered)},
      {"turns", s.turns},
      {"fallbacks", s.fallbacks},
      {"nudges", s.nudges},
      {"retries", s.retries},
      {"unanswered", s.unanswered},
      {"nudged", s.nudged},
      {"lead_score", s.lead_score},
      {"lead_rules_fired", std::move(fired)},
      {"started", s.started},
      {"buying_intent", s.buying_intent},
      {"consent", s.consent},
      {"opted_out", s.opted_out},
      {"timer_seq", s.timer_seq},
      {"timers_issued", s.timers_issued},
      {"seed", s.seed},
      {"draws", s.draws},
      {"last_user_ms", s.last_user_ms},
  };
  return json::serialize(o);
}

std::optional<conversation_state> state_from_json(std::string_view text, std::string* error) {
  boost::system::error_code ec;
  json::value parsed = json::parse(text, ec);
  if (ec || !parsed.is_object()) {
    if (error != nullptr) *error = ec ? "not JSON: " + ec.message() : "not a JSON object";
    return std::nullopt;
  }
  const json::object& o = parsed.as_object();
  reader r{o, error};
  conversation_state s;
  std::string owner_text = "bot", waiting_text = "nothing";
  r.get("bot_version", s.bot_version);
  r.get("locale", s.locale);
  r.get("channel", s.channel);
  r.get("owner", owner_text);
  r.get("waiting", waiting_text);
  r.get("last_input", s.last_input);
  r.get("first_message", s.first_message);
  r.get("agent", s.agent);
  r.get("intent", s.intent);
  r.get("confidence", s.confidence);
  r.get_int("turns", s.turns);
  r.get_int("fallbacks", s.fallbacks);
  r.get_int("nudges", s.nudges);
  r.get_int("retries", s.retries);
  r.get_int("unanswered", s.unanswered);
  r.get("nudged", s.nudged);
  r.get("lead_score", s.lead_score);
  r.get("started", s.started);
  r.get("buying_intent", s.buying_intent);
  r.get("consent", s.consent);
  r.get("opted_out", s.opted_out);
  r.get_int("timer_seq", s.timer_seq);
  r.get_int("timers_issued", s.timers_issued);
  r.get_int("seed", s.seed);
  r.get_int("draws", s.draws);
  r.get_int("last_user_ms", s.last_user_ms);

  static constexpr owner owners[] = {owner::bot, owner::queued, owner::human, owner::closed};
  static constexpr waiting_for waits[] = {waiting_for::nothing, waiting_for::answer,
                                          waiting_for::handoff, waiting_for::webhook};
  s.owned_by = enum_from(owner_text, owners, owner::bot);
  s.waiting = enum_from(waiting_text, waits, waiting_for::nothing);
  s.slots = map_from_json(r.find("slots"));
  s.context = map_from_json(r.find("context"));
  s.entities = map_from_json(r.find("entities"));

  if (const auto* stack = r.find("stack"); stack != nullptr && stack->is_array()) {
    for (const auto& f : stack->as_array()) {
      if (!f.is_object()) continue;
      reader fr{f.as_object(), error};
      frame fm;
      fr.get("flow", fm.flow);
      fr.get_int("pc", fm.pc);
      fr.get("interrupt", fm.interrupt);
      if (!fr.ok) return std::nullopt;
      s.stack.push_back(std::move(fm));
    }
  }
  if (const auto* offered = r.find("offered_intents"); offered != nullptr && offered->is_array())
    for (const auto& i : offered->as_array())
      if (i.is_string()) s.offered_intents.emplace_back(i.as_string());
  if (const auto* fired = r.find("lead_rules_fired"); fired != nullptr && fired->is_array())
    for (const auto& i : fired->as_array())
      if (i.is_int64()) s.lead_rules_fired.push_back(static_cast<int>(i.as_int64()));

  if (!r.ok) return std::nullopt;
  return s;
}

}  // namespace rapport::dialogs
