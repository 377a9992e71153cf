// A restart while a widget conversation waits on a question: the no-input timer is a row in the
// store, so a server that comes back after the nudge fell due sends it — once — to the resumed
// WebSocket, whether the server was stopped gracefully or died without a shutdown. Real engine,
// SQLite in a data directory kept across the restarts, a fake clock moved by hand.
#include "engine/test_support.hpp"
#include "support/widget_visitor.hpp"

using namespace rapport;
using namespace rapport::testing;

namespace {

enum class ending { graceful_stop, crash };

class restarts {
 public:
  engine_setup setup() {
    engine_setup e;
    e.bot_folders = {std::string(RAPPORT_SOURCE_DIR) + "/examples/cx-opener"};
    e.data_dir = data_.path().string();
    e.clock = clock.function();
    e.timer_check = std::chrono::milliseconds(10);
    return e;
  }
  // Ends the server with the visitor still connected.
  static void end(test_server& s, widget_visitor& v, ending how) {
    if (how == ending::crash) return s.crash();
    std::thread stopper([&] { s.stop(); });
    CHECK(v.socket().read_until_closed() == 1001);  // "service restart": the widget reconnects
    stopper.join();
  }

  engine::test::fake_clock clock;

 private:
  temp_dir data_;
};

void nudged_once_across_restarts(ending how) {
  restarts r;
  std::string conversation, token;
  std::int64_t shown = 0;
  {
    test_server s(r.setup());
    widget_visitor v(s, "cx-opener");
    v.hello();
    v.start();
    REQUIRE(v.next_message()["key"] == "ask_visit_reason");  // a question: the nudge is due in 2 minutes
    CHECK(s.sql("SELECT count(*) FROM timers") == "1");
    conversation = v.conversation();
    token = v.token();
    shown = v.last_seq();
    restarts::end(s, v, how);
  }

  r.clock.advance(std::chrono::minutes(3));  // the nudge fell due while the server was down
  {
    test_server s(r.setup());
    widget_visitor v(s, "cx-opener");
    CHECK(v.hello(conversation, token, shown)["resumed"] == true);
    auto nudge = v.next_message();  // replayed or pushed live, depending on who came first
    CHECK(nudge["key"] == "rapport.nudge");
    CHECK(nudge["role"] == "bot");
    CHECK(eventually([&] { return s.engine().stats().timers_fired == 1; }));
    v.catch_up(s);
    CHECK(v.count_key("rapport.nudge") == 1);
    // What is left is the polite close, not due for a while.
    CHECK(s.sql("SELECT count(*) FROM timers") == "1");
    CHECK(std::stoll(s.sql("SELECT due_ms FROM timers")) > r.clock.now().time_since_epoch().count());
    shown = v.last_seq();
    restarts::end(s, v, how);
  }

  {
    test_server s(r.setup());
    widget_visitor v(s, "cx-opener");
    CHECK(v.hello(conversation, token, 0)["resumed"] == true);  // the whole history again
    auto opener = v.next_message();
    CHECK(opener["key"] == "ask_visit_reason");
    CHECK(v.next_message()["key"] == "rapport.nudge");
    // The visitor answers: the conversation goes on, and no second nudge ever came.
    v.click("m1", opener, "browsing");
    CHECK(v.next_bot_message()["key"] == "open_door");
    CHECK(v.wait_for_ack("m1"));
    v.catch_up(s);
    CHECK(v.count_key("rapport.nudge") == 1);
    CHECK(s.engine().stats().timers_fired == 0);
    CHECK(v.errors.empty());
  }
}

}  // namespace

TEST_CASE("restart with a pending no-input timer (graceful stop): the resumed widget gets one nudge, once") {
  nudged_once_across_restarts(ending::graceful_stop);
}

TEST_CASE("restart with a pending no-input timer (crash, no shutdown): the resumed widget gets one nudge, once") {
  nudged_once_across_restarts(ending::crash);
}
