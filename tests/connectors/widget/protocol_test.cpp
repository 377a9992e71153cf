#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include "widget/protocol.hpp"

using namespace rapport;
using namespace rapport::connectors::widget;

namespace {
frame_error error_of(std::string_view text, const parse_limits& l = {}) {
  auto p = parse_client_frame(text, l);
  REQUIRE_FALSE(p.ok());
  return p.error();
}
}  // namespace

TEST_CASE("widget protocol: hello with everything") {
  auto p = parse_client_frame(R"({"type":"hello","bot":"cx","conversation":"c1","token":"t","last_seq":4,
    "locale":"de-DE","page":{"url":"https://shop.example/x?utm_source=news&utm_medium=mail&q=1","title":"Shop","referrer":"https://google.com"}})");
  REQUIRE(p.ok());
  const auto& h = std::get<hello_frame>(p.frame());
  CHECK(h.bot == "cx");
  CHECK(h.conversation == "c1");
  CHECK(h.token == "t");
  CHECK(h.last_seq == 4);
  CHECK(h.locale == "de-DE");
  auto context = context_from_hello(h);
  CHECK(std::get<std::string>(context["page"]) == "/x");
  CHECK(std::get<std::string>(context["page_url"]) == "https://shop.example/x?utm_source=news&utm_medium=mail&q=1");
  CHECK(std::get<std::string>(context["page_title"]) == "Shop");
  CHECK(std::get<std::string>(context["referrer"]) == "https://google.com");
  CHECK(std::get<std::string>(context["utm_source"]) == "news");
  CHECK(std::get<std::string>(context["utm_medium"]) == "mail");
  CHECK(context.count("q") == 0);
}

TEST_CASE("widget protocol: context.page is the URL's path, decoded; / for a bare origin") {
  hello_frame h;
  h.page_url = "https://shop.example/preise/%C3%BCbersicht?x=1#top";
  CHECK(std::get<std::string>(context_from_hello(h)["page"]) == "/preise/übersicht");
  h.page_url = "https://shop.example";
  CHECK(std::get<std::string>(context_from_hello(h)["page"]) == "/");
}

TEST_CASE("widget protocol: null conversation and token start fresh") {
  auto p = parse_client_frame(R"({"type":"hello","bot":"cx","conversation":null,"token":null})");
  REQUIRE(p.ok());
  CHECK(std::get<hello_frame>(p.frame()).conversation.empty());
  CHECK(std::get<hello_frame>(p.frame()).last_seq == 0);
}

TEST_CASE("widget protocol: every client frame type") {
  CHECK(std::holds_alternative<start_frame>(parse_client_frame(R"({"type":"start"})").frame()));
  auto m = std::get<message_frame>(parse_client_frame(R"({"type":"message","id":"m1","text":"Pricing","payload":"pricing"})").frame());
  CHECK(m.id == "m1");
  CHECK(m.payload == "pricing");
  auto e = std::get<event_frame>(parse_client_frame(R"({"type":"event","name":"page_view","props":{"path":"/pricing","n":2}})").frame());
  CHECK(e.name == "page_view");
  CHECK(std::get<std::string>(e.props["path"]) == "/pricing");
  CHECK(std::get<double>(e.props["n"]) == 2);
  CHECK(std::get<typing_frame>(parse_client_frame(R"({"type":"typing","on":true})").frame()).on);
  CHECK(std::get<seen_frame>(parse_client_frame(R"({"type":"seen","seq":7})").frame()).seq == 7);
  CHECK(std::holds_alternative<closed_frame>(parse_client_frame(R"({"type":"closed"})").frame()));
}

TEST_CASE("widget protocol: refusals carry the protocol's codes") {
  CHECK(error_of("{nope").code == "bad_json");
  CHECK(error_of("{nope").message.find("line 1, column 2") != std::string::npos);
  CHECK(error_of("[1,2]").code == "bad_frame");
  CHECK(error_of(R"({"text":"no type"})").message == "`type` is required");
  CHECK(error_of(R"({"type":"dance"})").message == "unknown frame type `dance`");
  CHECK(error_of(R"({"type":"hello"})").message == "`bot` is required");
  CHECK(error_of(R"({"type":"hello","bot":"x","last_seq":"3"})").message == "`last_seq` must be an integer");
  CHECK(error_of(R"({"type":"hello","bot":"x","page":{"url":3}})").message == "`page.url` must be a string");
  CHECK(error_of(R"({"type":"typing","on":"yes"})").message == "`on` must be true or false");
  // Unknown fields are ignored: newer widgets keep working with older servers.
  CHECK(parse_client_frame(R"({"type":"typing","on":true,"extra":1})").ok());

  auto e = error_of(R"({"type":"message","id":"m9","text":42})");
  CHECK(e.code == "bad_frame");
  CHECK(e.id == "m9");
  e = error_of(R"({"type":"message","id":"m9","text":"   "})");
  CHECK(e.message == "the message is empty");
  parse_limits small;
  small.max_message_bytes = 5;
  e = error_of(R"({"type":"message","id":"m3","text":"123456"})", small);
  CHECK(e.code == "too_long");
  CHECK(e.id == "m3");
  CHECK(error_of(R"({"type":"message","text":"hi"})").message == "`id` is required");
  CHECK(error_of(R"({"type":"event","name":"start"})").code == "bad_frame");
  CHECK(error_of(R"({"type":"event","name":"x","props":{"a":{"b":1}}})").message ==
        "`props.a` must be a string, number, boolean or null");
}

TEST_CASE("widget protocol: server frames") {
  engine::transcript_entry e;
  e.seq = 3;
  e.by = engine::author::bot;
  e.text = "Hi <b>there</b>";
  e.buttons = {{"Yes", "yes"}};
  e.key = "greeting";
  e.at_ms = 1700000000000;
  auto live = boost::json::parse(message_json(e, true)).as_object();
  CHECK(live["type"] == "message");
  CHECK(live["seq"] == 3);
  CHECK(live["role"] == "bot");
  CHECK(live["text"] == "Hi <b>there</b>");  // text, rendered as text by the widget
  CHECK(live["buttons"].as_array()[0].as_object()["payload"] == "yes");
  CHECK(live["key"] == "greeting");
  CHECK(live["at"] == 1700000000000);
  CHECK(live["pace_ms"] == 450);
  CHECK(boost::json::parse(message_json(e, false)).as_object()["pace_ms"] == 0);

  e.by = engine::author::visitor;
  e.client_id = "m1";
  auto visitor = boost::json::parse(message_json(e, true)).as_object();
  CHECK(visitor["client_id"] == "m1");
  CHECK(visitor["pace_ms"] == 0);

  CHECK(boost::json::parse(ack_json("m1", 4)) == boost::json::parse(R"({"type":"ack","id":"m1","seq":4})"));
  CHECK(boost::json::parse(typing_json(engine::author::human, true)) ==
        boost::json::parse(R"({"type":"typing","role":"human","on":true})"));
  CHECK(boost::json::parse(owner_json("queued")) == boost::json::parse(R"({"type":"owner","owner":"queued"})"));
  CHECK(boost::json::parse(error_json({"too_long", "x", "m2"})) ==
        boost::json::parse(R"({"type":"error","code":"too_long","message":"x","id":"m2"})"));
  engine::conversation_ref ref{"c1", "tok", "cx", "web", "u", "bot"};
  CHECK(boost::json::parse(welcome_json(ref, true)) ==
        boost::json::parse(R"({"type":"welcome","conversation":"c1","token":"tok","resumed":true,"owner":"bot"})"));
}

TEST_CASE("widget protocol: pacing is about 30 ms per character within bounds") {
  CHECK(pace_ms("ok") == 400);
  CHECK(pace_ms(std::string(50, 'a')) == 1500);
  CHECK(pace_ms(std::string(500, 'a')) == 2500);
  CHECK(pace_ms("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9") == 600);  // characters, not bytes
}

TEST_CASE("widget protocol: engine errors map to codes") {
  CHECK(error_code_for(engine::errc::unknown_bot) == "unknown_bot");
  CHECK(error_code_for(engine::errc::no_such_conversation) == "bad_token");
  CHECK(error_code_for(engine::errc::overloaded) == "overloaded");
}
