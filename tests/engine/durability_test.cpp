// What survives a restart: conversations, durable timers (fired once), in-flight work at shutdown.
#include <doctest/doctest.h>

#include "engine_harness.hpp"

namespace rapport::engine {
namespace {

using test::engine_harness;
using test::texts;

int count_key(const std::vector<transcript_entry>& entries, const std::string& key) {
  int n = 0;
  for (const auto& e : entries) n += e.key == key ? 1 : 0;
  return n;
}

TEST_CASE("restart: a conversation continues where it was, with the same token") {
  engine_harness h;
  h.start();
  auto opened = h.open_ok();
  const auto id = opened.conversation.id;
  REQUIRE(h.say(id, "before the restart").has_value());
  h.stop();

  h.start();
  auto found = test::await<result<conversation_ref>>(
      [&](auto d) { h.e().find(id, opened.conversation.token, d); });
  REQUIRE(found.has_value());
  CHECK(found->has_value());
  auto reply = h.say(id, "after the restart");
  REQUIRE(reply.has_value());
  CHECK(reply->seq == 6);
  CHECK(texts(reply->replies) ==
        std::vector<std::string>{"Noted: after the restart", "What should I note?"});
  auto all = h.transcript(id);
  REQUIRE(all.size() == 8);
  CHECK(all[2].text == "before the restart");
  CHECK(all[3].text == "Noted: before the restart");
}

TEST_CASE("restart: a pending no-input timer fires exactly once after a crash") {
  engine_harness h;
  h.start();
  const auto id = h.open_ok().conversation.id;  // asks a question: nudge due in 2 minutes
  CHECK(h.sql("SELECT count(*) FROM timers") == "1");
  const std::string first_seq = h.sql("SELECT seq FROM timers");
  h.kill();  // no shutdown: as if the process died

  h.clock.advance(std::chrono::minutes(3));  // the nudge fell due while the server was down
  h.start();
  CHECK(h.wait_for_key(id, "rapport.nudge") == 1);
  REQUIRE(test::eventually([&] { return h.e().stats().timers_fired == 1; }));
  // The fired timer's row went with the turn that handled it; the row now is the close timer.
  CHECK(h.sql("SELECT count(*) FROM timers") == "1");
  CHECK(h.sql("SELECT seq FROM timers") != first_seq);

  h.kill();
  h.start();  // nothing is due: the nudge is not sent again
  auto reply = h.say(id, "still here");
  REQUIRE(reply.has_value());
  CHECK(count_key(h.transcript(id), "rapport.nudge") == 1);

  // Silence again, past nudge and close: one more nudge, then the polite close ends it.
  h.clock.advance(std::chrono::minutes(3));
  REQUIRE(test::eventually([&] { return count_key(h.transcript(id), "rapport.nudge") == 2; }));
  h.clock.advance(std::chrono::minutes(11));
  CHECK(h.wait_for_key(id, "rapport.no_input_close") == 1);
  REQUIRE(test::eventually([&] { return h.sql("SELECT owner FROM conversations") == "closed"; }));
  CHECK(h.sql("SELECT count(*) FROM timers") == "0");
}

TEST_CASE("shutdown: refuses new events, finishes those in flight, flushes, then reports") {
  auto sqlite = std::shared_ptr<store>();
  engine_harness h;
  std::filesystem::create_directories(h.data_dir());
  sqlite_store_options o;
  o.path = h.db_path();
  auto gate = std::make_shared<test::gated_store>(open_sqlite_store(o));
  h.options.storage = gate;
  h.start();
  const auto id = h.open_ok().conversation.id;

  gate->close_gate();  // the next turn stays "in flight" until the gate opens
  std::mutex mutex;
  std::vector<std::string> order;
  std::atomic<bool> message_ok{false};
  h.e().post_message(id, dialogs::user_message{"in flight", ""}, "m1", [&](result<post_result> r) {
    message_ok = r.has_value() && r->replies.size() == 2;
    std::lock_guard lock(mutex);
    order.push_back("message");
  });
  REQUIRE(test::eventually([&] { return gate->held() == 1; }));

  h.e().shutdown([&] {
    std::lock_guard lock(mutex);
    order.push_back("shutdown");
  });
  auto refused = h.say(id, "too late");
  CHECK(refused.error() == errc::shutting_down);
  open_request r;
  r.bot = "support";
  CHECK(h.open(r).error() == errc::shutting_down);
  {
    std::lock_guard lock(mutex);
    CHECK(order.empty());  // the in-flight turn holds the shutdown
  }

  gate->open_gate();
  REQUIRE(test::eventually([&] {
    std::lock_guard lock(mutex);
    return order.size() == 2;
  }));
  CHECK(order == std::vector<std::string>{"message", "shutdown"});
  CHECK(message_ok);
  auto again = test::await<bool>([&](auto d) { h.e().shutdown([d] { d(true); }); });
  CHECK(again.has_value());  // a second shutdown reports too
  h.kill();
  h.options.storage = nullptr;
  h.start();
  auto all = h.transcript(id);
  REQUIRE(all.size() == 5);
  CHECK(all[2].text == "in flight");
}

TEST_CASE("overload: beyond max_queued_events new events fail with overloaded, queued ones complete") {
  engine_harness h;
  std::filesystem::create_directories(h.data_dir());
  sqlite_store_options o;
  o.path = h.db_path();
  auto gate = std::make_shared<test::gated_store>(open_sqlite_store(o));
  h.options.storage = gate;
  h.options.max_queued_events = 2;
  h.start();
  const auto a = h.open_ok().conversation.id;
  const auto b = h.open_ok().conversation.id;

  gate->close_gate();
  std::atomic<int> ok{0};
  auto count_ok = [&](result<post_result> r) {
    if (r) ++ok;
  };
  h.e().post_message(a, dialogs::user_message{"one", ""}, "", count_ok);
  h.e().post_message(b, dialogs::user_message{"two", ""}, "", count_ok);
  test::eventually([&] { return gate->held() == 2; });
  INFO("held " << gate->held() << " ok " << ok.load());
  REQUIRE(gate->held() == 2);

  CHECK(h.say(a, "three").error() == errc::overloaded);
  open_request r;
  r.bot = "support";
  CHECK(h.open(r).error() == errc::overloaded);

  gate->open_gate();
  REQUIRE(test::eventually([&] { return ok == 2; }));
  CHECK(h.say(a, "four").has_value());  // room again
}

}  // namespace
}  // namespace rapport::engine
