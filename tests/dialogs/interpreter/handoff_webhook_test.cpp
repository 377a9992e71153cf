// Handoff and webhook steps: the interpreter asks the engine and waits for the answer.
#include "bot_fixture.hpp"

using namespace rapport::dialogs;
using namespace rapport::dialogs::test;
using kind = handoff_event::kind;

namespace {

const char* handoff_flows = R"(
slots:
  email: {type: email}
flows:
  sales:
    triggers: [start]
    steps:
      - say: connecting
      - handoff: sales
        reason: pricing
        fallback:
          - say: nobody
      - say: welcome_back
)";
const char* handoff_messages =
    "connecting: Connecting you.\nnobody: Nobody is free.\nwelcome_back: Back with me!\n";

}  // namespace

TEST_CASE("a handoff queues the conversation for the team with a summary") {
  simulator sim(load(bot(handoff_flows, handoff_messages)), {});
  auto out = sim.start();
  auto requests = all<handoff_request>(out);
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].team == "sales");
  CHECK(requests[0].reason == "pricing");
  CHECK(requests[0].summary.count("lead_score") == 1);
  CHECK(sim.state().owned_by == owner::queued);
  CHECK(sim.state().waiting == waiting_for::handoff);
}

TEST_CASE("while a human owns the conversation the bot says nothing") {
  simulator sim(load(bot(handoff_flows, handoff_messages)), {});
  sim.start();
  sim.deliver(handoff_event{kind::accepted, "ana", "", ""});
  CHECK(sim.state().owned_by == owner::human);
  CHECK(messages(sim.say("hello? how much is it")).empty());
  CHECK(messages(sim.wait(std::chrono::hours(1))).empty());
}

TEST_CASE("nobody available runs the fallback branch") {
  simulator sim(load(bot(handoff_flows, handoff_messages)), {});
  sim.start();
  auto out = sim.deliver(handoff_event{kind::unavailable, "", "", ""});
  CHECK(keys(out) == strings{"nobody", "welcome_back"});
  CHECK(sim.state().owned_by == owner::bot);
}

TEST_CASE("when the agent hands back, the flow continues after the handoff") {
  simulator sim(load(bot(handoff_flows, handoff_messages)), {});
  sim.start();
  sim.deliver(handoff_event{kind::accepted, "ana", "", ""});
  auto out = sim.deliver(handoff_event{kind::returned, "ana", "", ""});
  CHECK(keys(out) == strings{"welcome_back"});
}

TEST_CASE("the agent can close the conversation with an outcome") {
  simulator sim(load(bot(handoff_flows, handoff_messages)), {});
  sim.start();
  sim.deliver(handoff_event{kind::accepted, "ana", "", ""});
  auto ends = all<conversation_end>(sim.deliver(handoff_event{kind::closed, "ana", "", "won"}));
  REQUIRE(ends.size() == 1);
  CHECK(ends[0].outcome == "won");
  CHECK(sim.state().owned_by == owner::closed);
}

namespace {

const char* webhook_bot = R"(
slots:
  email: {type: email}
  company: {type: text}
flows:
  enrich:
    triggers: [start]
    steps:
      - set: {email: ana@example.com}
      - webhook: lookup
        body: {email: =email, source: chat}
        save: {company: company.name}
        on_error:
          - say: lookup_failed
      - say: hello_company
)";
const char* webhook_messages = "lookup_failed: Couldn't look that up.\nhello_company: \"Hi {company}\"\n";
const char* webhook_config = R"(
webhooks:
  lookup:
    url: https://crm.example.com/lookup
    timeout: 2s
)";

}  // namespace

TEST_CASE("a webhook sends its body and saves fields of the response into slots") {
  simulator sim(load(bot(webhook_bot, webhook_messages, webhook_config)), {});
  auto requests = all<webhook_request>(sim.start());
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].url == "https://crm.example.com/lookup");
  CHECK(requests[0].timeout == std::chrono::milliseconds(2000));
  CHECK(requests[0].body.find("\"email\":\"ana@example.com\"") != std::string::npos);
  CHECK(sim.state().waiting == waiting_for::webhook);

  auto out = messages(sim.deliver(webhook_result{true, 200, R"({"company":{"name":"Acme"}})"}));
  REQUIRE(out.size() == 1);
  CHECK(out[0].text == "Hi Acme");
}

TEST_CASE("a failed webhook runs on_error") {
  simulator sim(load(bot(webhook_bot, webhook_messages, webhook_config)), {});
  sim.start();
  CHECK(keys(sim.deliver(webhook_result{false, 503, ""})) ==
        strings{"lookup_failed", "hello_company"});
}

TEST_CASE("a webhook answer that is not JSON counts as a failure") {
  simulator sim(load(bot(webhook_bot, webhook_messages, webhook_config)), {});
  sim.start();
  CHECK(keys(sim.deliver(webhook_result{true, 200, "<html>"}))[0] == "lookup_failed");
}
