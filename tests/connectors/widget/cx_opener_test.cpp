// The shipped example bot, examples/cx-opener, through the widget WebSocket over loopback, the
// real engine and SQLite: what a visitor sees, message by message and button by button.
#include "engine/test_support.hpp"
#include "support/widget_visitor.hpp"

using namespace rapport;
using namespace rapport::testing;
using namespace std::chrono;

namespace {

std::string cx_opener() { return std::string(RAPPORT_SOURCE_DIR) + "/examples/cx-opener"; }

// A Wednesday, 10:30 in Berlin: the sales team is in the office (but nobody is connected).
dialogs::sys_ms wednesday_morning() { return sys_days{year{2025} / March / 5} + hours{9} + minutes{30}; }

using button_list = std::vector<std::pair<std::string, std::string>>;

}  // namespace

TEST_CASE("cx-opener over the widget: opener, a click, free text, buying intent, nobody free → e-mail") {
  engine::test::fake_clock clock(wednesday_morning());
  engine_setup setup;
  setup.bot_folders = {cx_opener()};
  setup.clock = clock.function();
  test_server s(setup);
  widget_visitor v(s, "cx-opener");
  v.page_url = "https://halyard.example/pricing?utm_source=newsletter";
  auto welcome = v.hello();
  CHECK(welcome["resumed"] == false);
  CHECK(welcome["owner"] == "bot");

  // Nothing is said before the visitor opens the widget (the widget reports the page view first).
  v.event("page_view", json::object{{"page", "/pricing"}});
  v.start();
  auto opener = v.next_message();
  CHECK(opener["role"] == "bot");
  CHECK(opener["key"] == "ask_visit_reason");
  CHECK(text_of(opener) == "Hi, I'm Halyard's assistant. What brought you here today?");
  CHECK(buttons_of(opener) == button_list{{"Exploring analytics tools", "exploring"},
                                          {"I already use Halyard", "customer"},
                                          {"Something isn't working", "problem"},
                                          {"Just looking around", "browsing"}});
  CHECK(opener["pace_ms"].as_int64() > 0);

  // A button click: the visitor's message comes back with its client id, then the next question.
  v.click("m1", opener, "exploring");
  auto mine = v.next_message();
  CHECK(mine["role"] == "visitor");
  CHECK(text_of(mine) == "Exploring analytics tools");
  CHECK(mine["client_id"] == "m1");
  auto tool = v.next_bot_message();
  CHECK(tool["key"] == "ask_current_tool");
  CHECK(text_of(tool) == "What do you use today to see how people use your product?");
  CHECK(buttons_of(tool) == button_list{{"Spreadsheets", "spreadsheets"},
                                        {"Another analytics tool", "other_tool"},
                                        {"Nothing yet", "nothing"}});
  CHECK(v.wait_for_ack("m1"));

  // Free text instead of a button: the entity in it picks the follow-up question.
  v.say("m2", "we export CSVs into Google Sheets");
  auto question = v.next_bot_message();
  CHECK(question["key"] == "ask_key_question");
  CHECK(text_of(question) ==
        "Spreadsheets take you a long way. What's the question about your users they can't answer anymore?");
  CHECK(question["buttons"].as_array().empty());

  // Buying intent instead of an answer: one light qualifying question, no pitch.
  v.say("m3", "honestly I just want to know how much it costs");
  auto size = v.next_bot_message();
  CHECK(size["key"] == "ask_team_size");
  CHECK(text_of(size) ==
        "Happy to help with pricing — it mostly depends on team size. Roughly how many people would use Halyard?");

  // The handoff to sales: nobody is available, so the fallback takes a message.
  v.say("m4", "about 60 people");
  auto connecting = v.next_bot_message();
  CHECK(connecting["key"] == "sales_connecting");
  auto ask_email = v.next_bot_message();
  CHECK(ask_email["key"] == "rapport.lead_ask_email");
  CHECK(text_of(ask_email) ==
        "Everyone on the team is busy right now; someone usually replies within two hours. "
        "What's the best e-mail address to reach you?");
  CHECK(v.owners.size() >= 1);
  CHECK(v.owners.front() == "queued");  // the widget shows "waiting for a person" meanwhile

  // The e-mail address: thanks, and the one promotional message, allowed after buying intent.
  v.say("m5", "it's maria@example.com");
  auto thanks = v.next_bot_message();
  CHECK(thanks["key"] == "rapport.lead_thanks");
  CHECK(text_of(thanks) == "Thanks! They'll write to maria@example.com within two hours.");
  auto offer = v.next_bot_message();
  CHECK(offer["key"] == "trial_offer");
  CHECK(text_of(offer).starts_with("While you wait: you can try every Halyard feature free for 14 days"));
  for (const auto& id : {"m2", "m3", "m4", "m5"}) CHECK(v.wait_for_ack(id));
  v.catch_up(s);
  CHECK(v.errors.empty());

  // The lead is stored for the sales team, with what the visitor asked about.
  CHECK(s.sql("SELECT email || ' ' || need FROM leads WHERE source = 'lead_capture'") == "maria@example.com pricing");
  CHECK(s.sql("SELECT count(*) FROM handoffs WHERE team = 'sales' AND status = 'unavailable'") == "1");
  // The summary the sales team would have seen: the page as a path (the bot's lead-score rule for
  // /pricing counted: 40 buying intent + 20 team of 50+ + 10 exploring + 10 pricing page).
  CHECK(s.sql("SELECT json_extract(summary, '$.\"context.page\"') FROM handoffs") == "/pricing");
  CHECK(s.sql("SELECT json_extract(summary, '$.\"context.utm_source\"') FROM handoffs") == "newsletter");
  CHECK(s.sql("SELECT CAST(json_extract(summary, '$.lead_score') AS INTEGER) FROM handoffs") == "80");
  // Every visitor message was stored once, in order.
  CHECK(s.visitor_messages(v.conversation()) == 5);
  CHECK(int(v.messages.size()) == int(s.transcript(v.conversation()).size()));
}

TEST_CASE("cx-opener over the widget: the proactive opener on a pricing page asks about the decision") {
  engine_setup setup;
  setup.bot_folders = {cx_opener()};
  test_server s(setup);
  widget_visitor v(s, "cx-opener");
  v.hello();
  v.event("proactive", json::object{{"page", "/pricing"}});  // as the widget sends it
  auto teaser = v.next_message();
  CHECK(teaser["key"] == "ask_pricing_need");
  CHECK(text_of(teaser) == "Hi! Weighing up plans? What would help you decide?");
  CHECK(buttons_of(teaser) == button_list{{"Which plan fits my team", "plan_fit"},
                                          {"A call with the team", "talk"},
                                          {"I'm just looking", "just_looking"}});
  // The visitor opens the widget: no second opener on top of the proactive one.
  v.start();
  v.click("p1", teaser, "just_looking");
  auto reply = v.next_bot_message();
  CHECK(reply["key"] == "open_door");
  CHECK(v.wait_for_ack("p1"));
  CHECK(v.count_key("ask_visit_reason") == 0);
}
