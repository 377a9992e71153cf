#include "widget/protocol.hpp"

#include <algorithm>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>

#include "http/json.hpp"

namespace rapport::connectors::widget {
namespace json = boost::json;
namespace {

frame_error bad(std::string code, std::string message, std::string id = {}) {
  return frame_error{std::move(code), std::move(message), std::move(id)};
}

std::size_t utf8_chars(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::string check_size(std::string_view field, const std::string& value, std::size_t max) {
  if (value.size() > max)
    return "`" + std::string(field) + "` is longer than " + std::to_string(max) + " bytes";
  return {};
}

}  // namespace

parsed_frame parse_client_frame(std::string_view text, const parse_limits& limits) {
  auto parsed = http::parse_json(text);
  if (!parsed.value) return {bad("bad_json", parsed.error.message)};
  if (!parsed.value->is_object()) return {bad("bad_frame", "a frame must be a JSON object")};
  const json::object& o = parsed.value->get_object();
  std::string type;
  if (auto e = http::get_string(o, "type", type, true); !e.empty()) return {bad("bad_frame", e)};

  std::string err;
  auto fail = [&](std::string code = "bad_frame", std::string id = {}) {
    return parsed_frame{bad(std::move(code), std::move(err), std::move(id))};
  };

  if (type == "hello") {
    hello_frame h;
    if (!(err = http::get_string(o, "bot", h.bot, true)).empty()) return fail();
    if (!(err = http::get_string(o, "conversation", h.conversation)).empty()) return fail();
    if (!(err = http::get_string(o, "token", h.token)).empty()) return fail();
    if (!(err = http::get_int(o, "last_seq", h.last_seq)).empty()) return fail();
    if (!(err = http::get_string(o, "locale", h.locale)).empty()) return fail();
    if (!(err = http::get_bool(o, "batch", h.batch)).empty()) return fail();
    if (h.bot.empty()) {
      err = "`bot` must not be empty";
      return fail();
    }
    if (h.last_seq < 0) {
      err = "`last_seq` must not be negative";
      return fail();
    }
    if (const auto* page = o.if_contains("page"); page != nullptr && !page->is_null()) {
      if (!page->is_object()) {
        err = "`page` must be an object";
        return fail();
      }
      const auto& p = page->get_object();
      for (auto [name, out] : {std::pair<std::string_view, std::string*>{"url", &h.page_url},
                               {"title", &h.page_title}, {"referrer", &h.referrer}}) {
        if (!(err = http::get_string(p, name, *out)).empty()) {
          err = "`page." + err.substr(1);
          return fail();
        }
      }
    }
    for (auto [name, value] : {std::pair<std::string_view, const std::string*>{"bot", &h.bot},
                               {"conversation", &h.conversation}, {"token", &h.token},
                               {"locale", &h.locale}, {"page.url", &h.page_url},
                               {"page.title", &h.page_title}, {"page.referrer", &h.referrer}})
      if (!(err = check_size(name, *value, limits.max_field_bytes)).empty()) return fail();
    return {client_frame{std::move(h)}};
  }
  if (type == "start") {
    return {client_frame{start_frame{}}};
  }
  if (type == "message") {
    message_frame m;
    // The id first, so that later errors can name the refused message.
    if (!(err = http::get_string(o, "id", m.id, true)).empty()) return fail();
    if (m.id.empty()) {
      err = "`id` must not be empty";
      return fail();
    }
    if (!(err = check_size("id", m.id, limits.max_id_bytes)).empty()) return fail();
    if (!(err = http::get_string(o, "text", m.text, true)).empty()) return fail("bad_frame", m.id);
    if (!(err = http::get_string(o, "payload", m.payload)).empty()) return fail("bad_frame", m.id);
    if (m.text.size() > limits.max_message_bytes) {
      err = "the message is " + std::to_string(m.text.size()) + " bytes; at most " +
            std::to_string(limits.max_message_bytes) + " are accepted";
      return fail("too_long", m.id);
    }
    if (!(err = check_size("payload", m.payload, limits.max_field_bytes)).empty())
      return fail("too_long", m.id);
    const bool blank = std::all_of(m.text.begin(), m.text.end(), [](char c) {
      return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    });
    if (blank && m.payload.empty()) {
      err = "the message is empty";
      return fail("bad_frame", m.id);
    }
    return {client_frame{std::move(m)}};
  }
  if (type == "event") {
    event_frame e;
    if (!(err = http::get_string(o, "name", e.name, true)).empty()) return fail();
    if (e.name.empty() || e.name.size() > 64) {
      err = "`name` must be 1 to 64 bytes long";
      return fail();
    }
    if (e.name == "start") {
      err = "`start` is its own frame type, not an event";
      return fail();
    }
    if (!(err = http::get_value_map(o, "props", e.props)).empty()) return fail();
    return {client_frame{std::move(e)}};
  }
  if (type == "typing") {
    typing_frame t;
    if (!(err = http::get_bool(o, "on", t.on, true)).empty()) return fail();
    return {client_frame{t}};
  }
  if (type == "seen") {
    seen_frame s;
    if (!(err = http::get_int(o, "seq", s.seq, true)).empty()) return fail();
    return {client_frame{s}};
  }
  if (type == "closed") {
    return {client_frame{closed_frame{}}};
  }
  err = "unknown frame type `" + type.substr(0, 64) + "`";
  return fail();
}

dialogs::value_map context_from_hello(const hello_frame& hello) {
  dialogs::value_map context;
  if (!hello.page_title.empty()) context["page_title"] = hello.page_title;
  if (!hello.referrer.empty()) context["referrer"] = hello.referrer;
  if (!hello.page_url.empty()) {
    // `page` is the path, as in the widget's page_view and proactive events (flows test
    // `starts_with(context.page, "/pricing")`); `page_url` keeps the whole address.
    context["page_url"] = hello.page_url;
    context["page"] = hello.page_url;
    if (auto url = boost::urls::parse_uri_reference(hello.page_url)) {
      const std::string path = url->path();
      context["page"] = path.empty() ? std::string("/") : path;
      for (auto param : url->params()) {
        if (param.key.rfind("utm_", 0) == 0 && param.key.size() <= 64 && param.has_value)
          context[std::string(param.key)] = std::string(param.value);
      }
    }
  }
  return context;
}

std::string welcome_json(const engine::conversation_ref& c, bool resumed) {
  json::object o;
  o["type"] = "welcome";
  o["conversation"] = c.id;
  o["token"] = c.token;
  o["resumed"] = resumed;
  o["owner"] = c.owner.empty() ? "bot" : c.owner;
  return json::serialize(o);
}

std::string message_json(const engine::transcript_entry& e, bool live) {
  json::object o;
  o["type"] = "message";
  o["seq"] = e.seq;
  o["role"] = engine::to_string(e.by);
  o["text"] = e.text;
  json::array buttons;
  for (const auto& b : e.buttons) buttons.push_back(json::object{{"label", b.label}, {"payload", b.payload}});
  o["buttons"] = std::move(buttons);
  o["key"] = e.key;
  o["at"] = e.at_ms;
  if (e.by == engine::author::visitor && !e.client_id.empty()) o["client_id"] = e.client_id;
  if (e.by == engine::author::human) o["agent"] = e.agent_name;  // the name, never the login
  o["pace_ms"] = live && e.by == engine::author::bot ? pace_ms(e.text) : 0;
  return json::serialize(o);
}

std::string ack_json(std::string_view id, std::int64_t seq) {
  return json::serialize(json::object{{"type", "ack"}, {"id", id}, {"seq", seq}});
}

std::string typing_json(engine::author who, bool on) {
  return json::serialize(json::object{{"type", "typing"}, {"role", engine::to_string(who)}, {"on", on}});
}

std::string seen_json(engine::author who, std::int64_t seq) {
  return json::serialize(json::object{{"type", "seen"}, {"role", engine::to_string(who)}, {"seq", seq}});
}

std::string owner_json(std::string_view owner) {
  return json::serialize(json::object{{"type", "owner"}, {"owner", owner}});
}

std::string error_json(const frame_error& e) {
  json::object o{{"type", "error"}, {"code", e.code}, {"message", e.message}};
  if (!e.id.empty()) o["id"] = e.id;
  return json::serialize(o);
}

int pace_ms(std::string_view text) {
  const auto n = static_cast<long long>(utf8_chars(text));
  return static_cast<int>(std::clamp<long long>(n * 30, 400, 2500));
}

std::string error_code_for(const boost::system::error_code& ec) {
  if (ec.category() == engine::engine_category()) {
    switch (static_cast<engine::errc>(ec.value())) {
      case engine::errc::unknown_bot: return "unknown_bot";
      case engine::errc::no_such_conversation: return "bad_token";
      case engine::errc::bad_request: return "bad_frame";
      case engine::errc::overloaded: return "overloaded";
      case engine::errc::shutting_down: return "overloaded";
      case engine::errc::store_failed: return "overloaded";
    }
  }
  return "overloaded";
}

}  // namespace rapport::connectors::widget
