// The standard library's lead_capture says honestly when the team will reply: in office hours,
// later today, or on the next working day.
#include "bot_fixture.hpp"

using namespace rapport::dialogs;
using namespace rapport::dialogs::test;
using namespace std::chrono_literals;

namespace {

constexpr sys_ms thursday_10_00{std::chrono::milliseconds{1'767'261'600'000}};  // 2026-01-01 10:00Z

std::shared_ptr<const bot_model> leaving_a_message(const std::string& extra_flows = "") {
  return load({{"bot.yaml", "name: test\ndefault_locale: en\nlocales: [en, de]\n"
                            "imports: [handoff, opt_out]\n"},
               {"flows/main.yaml", "flows:\n  welcome:\n    triggers: [start]\n    steps:\n"
                                   "      - call: lead_capture\n" +
                                       extra_flows},
               {"messages/en.yaml", "{}\n"},
               {"messages/de.yaml", "{}\n"}});
}

// The e-mail question and the thanks, at `now`.
std::pair<std::string, std::string> texts(const std::shared_ptr<const bot_model>& bot, sys_ms now,
                                          const std::string& locale = "en") {
  simulator_options options;
  options.start_time = now;
  options.locale = locale;
  simulator sim(bot, options);
  auto ask = messages(sim.start());
  sim.say("maria@example.com");
  auto thanks = messages(sim.say("a quote for 40 seats"));
  REQUIRE(ask.size() == 1);
  REQUIRE(thanks.size() == 1);
  CHECK(ask[0].key == "rapport.lead_ask_email");
  CHECK(thanks[0].key == "rapport.lead_thanks");
  return {ask[0].text, thanks[0].text};
}

}  // namespace

TEST_CASE("lead capture in office hours: nobody is free, someone replies when they are") {
  auto [ask, thanks] = texts(leaving_a_message(), thursday_10_00);
  CHECK(ask == "No one from the team is free right now. What's the best e-mail address for them "
               "to reply to?");
  CHECK(thanks == "Got it. The team will reply to maria@example.com as soon as someone is free.");
}

TEST_CASE("lead capture out of hours says whether the team is back today or on a working day") {
  auto bot = leaving_a_message();
  auto [early_ask, early] = texts(bot, thursday_10_00 - 3h);  // Thursday 07:00
  CHECK(early_ask.starts_with("Our team is out of the office right now."));
  CHECK(early == "Got it. The team is back later today and will reply to maria@example.com then.");
  auto [evening_ask, evening] = texts(bot, thursday_10_00 + 10h);  // Thursday 20:00
  CHECK(evening == "Got it. The team is back on the next working day and will reply to "
                   "maria@example.com then.");
  auto [saturday_ask, saturday] = texts(bot, thursday_10_00 + 48h);  // Saturday 10:00
  CHECK(saturday.find("on the next working day") != std::string::npos);
  auto [de_ask, de] = texts(bot, thursday_10_00 + 10h, "de");
  CHECK(de_ask.starts_with("Unser Team ist gerade nicht im Büro."));
  CHECK(de.find("am nächsten Werktag wieder da") != std::string::npos);
}

TEST_CASE("a bot sets its own hours by overriding office_hours") {
  auto bot = leaving_a_message(
      "  office_hours:\n    steps:\n      - set: {team_offline: true, team_back: today}\n");
  auto [ask, thanks] = texts(bot, thursday_10_00);
  CHECK(thanks == "Got it. The team is back later today and will reply to maria@example.com then.");
}
