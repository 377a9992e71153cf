// A conversation through the engine: open, answer, transcript, subscribers, tokens, limits.
#include <doctest/doctest.h>

#include <set>

#include "engine_harness.hpp"

namespace rapport::engine {
namespace {

using test::engine_harness;
using test::keys;
using test::texts;

TEST_CASE("engine: a conversation end to end — greeting, answers, transcript, updates, close") {
  engine_harness h;
  h.start();

  auto opened = h.open_ok();
  CHECK(opened.created);
  CHECK(opened.conversation.owner == "bot");
  CHECK(opened.conversation.bot == "support");
  CHECK(texts(opened.replies) ==
        std::vector<std::string>{"Hi! I take notes.", "What should I note?"});
  const std::string id = opened.conversation.id;

  std::mutex mutex;
  std::vector<conversation_update> updates;
  auto sub = h.e().subscribe(id, [&](const conversation_update& u) {
    std::lock_guard lock(mutex);
    updates.push_back(u);
  });

  auto reply = h.say(id, "buy milk");
  REQUIRE(reply.has_value());
  CHECK_FALSE(reply->duplicate);
  CHECK(reply->seq == 3);
  CHECK(texts(reply->replies) == std::vector<std::string>{"Noted: buy milk", "What should I note?"});
  CHECK(reply->replies[0].seq == 4);
  CHECK(reply->replies[0].by == author::bot);

  auto all = h.transcript(id);
  REQUIRE(all.size() == 5);
  CHECK(all[2].by == author::visitor);
  CHECK(all[2].text == "buy milk");
  for (std::size_t i = 0; i < all.size(); ++i) CHECK(all[i].seq == std::int64_t(i + 1));
  CHECK(h.transcript(id, 3).size() == 2);

  // Subscribers saw the visitor's message and both replies, in commit order.
  REQUIRE(test::eventually([&] {
    std::lock_guard lock(mutex);
    return updates.size() >= 3;
  }));
  {
    std::lock_guard lock(mutex);
    CHECK(updates[0].message.text == "buy milk");
    CHECK(updates[1].message.text == "Noted: buy milk");
    CHECK(updates[2].message.seq == 5);
  }

  auto bye = h.say(id, "bye");
  REQUIRE(bye.has_value());
  CHECK(texts(bye->replies) == std::vector<std::string>{"Bye!"});
  REQUIRE(test::eventually([&] {
    std::lock_guard lock(mutex);
    for (const auto& u : updates)
      if (u.what == conversation_update::kind::closed && u.owner == "closed") return true;
    return false;
  }));

  auto found = test::await<result<conversation_ref>>(
      [&](auto d) { h.e().find(id, opened.conversation.token, d); });
  REQUIRE(found.has_value());
  REQUIRE(found->has_value());
  CHECK((*found)->owner == "closed");
  CHECK((*found)->token.empty());  // never shown again

  auto stats = h.e().stats();
  CHECK(stats.conversations_started == 1);
  CHECK(stats.messages_in == 2);
  CHECK(stats.messages_out == 5);
  REQUIRE(stats.bots.size() == 1);
  CHECK(stats.bots[0].first == "support");
  REQUIRE(stats.turn_latency_counts.size() == stats.turn_latency_buckets_ms.size() + 1);
  CHECK(stats.turn_latency_counts.back() == 3);  // open + two messages
}

TEST_CASE("engine: tokens are unguessable, checked in full, and only their hash is stored") {
  engine_harness h;
  h.start();
  auto a = h.open_ok();
  auto b = h.open_ok();
  CHECK(a.conversation.token.size() >= 43);  // 256 bits, base64url
  CHECK(a.conversation.id.size() >= 22);     // 128 bits
  CHECK(a.conversation.token != b.conversation.token);
  CHECK(a.conversation.id != b.conversation.id);

  auto find = [&](const std::string& id, const std::string& token) {
    auto r = test::await<result<conversation_ref>>([&](auto d) { h.e().find(id, token, d); });
    REQUIRE(r.has_value());
    return *r;
  };
  CHECK(find(a.conversation.id, a.conversation.token).has_value());
  CHECK(find(a.conversation.id, b.conversation.token).error() == errc::no_such_conversation);
  std::string almost = a.conversation.token;
  almost.back() = almost.back() == 'A' ? 'B' : 'A';
  CHECK(find(a.conversation.id, almost).error() == errc::no_such_conversation);
  CHECK(find(a.conversation.id, "").error() == errc::no_such_conversation);
  CHECK(find("no-such-id", a.conversation.token).error() == errc::no_such_conversation);

  CHECK(h.sql("SELECT token_hash FROM conversations WHERE id = '" + a.conversation.id + "'") ==
        hash_token(a.conversation.token));
  h.stop();
  for (const char* suffix : {"", "-wal"}) {
    auto bytes = test::read_file(h.db_path() + suffix);
    CHECK(bytes.find(a.conversation.token) == std::string::npos);
  }
}

TEST_CASE("engine: a channel user's conversation is found again, also when opened twice at once") {
  engine_harness h;
  h.start();
  open_request r;
  r.bot = "support";
  r.channel = "telegram";
  r.user = "tg-42";

  std::vector<result<open_result>> results(6, result<open_result>(boost::system::in_place_error,
                                                                  make_error_code(errc::bad_request)));
  std::atomic<int> done{0};
  for (auto& slot : results)
    h.e().open(r, [&slot, &done](result<open_result> x) {
      slot = std::move(x);
      ++done;
    });
  REQUIRE(test::eventually([&] { return done == 6; }));
  std::set<std::string> ids;
  int created = 0;
  for (auto& x : results) {
    REQUIRE(x.has_value());
    ids.insert(x->conversation.id);
    if (x->created) {
      ++created;
      CHECK_FALSE(x->conversation.token.empty());
    } else {
      CHECK(x->conversation.token.empty());
    }
    CHECK(x->conversation.user == "tg-42");
    CHECK(x->conversation.channel == "telegram");
  }
  CHECK(ids.size() == 1);
  CHECK(created == 1);

  r.channel = "slack";  // the same user id on another channel is another conversation
  auto other = h.open(r);
  REQUIRE(other.has_value());
  CHECK(other->created);
  CHECK(other->conversation.id != *ids.begin());
}

TEST_CASE("engine: bad input is refused with a precise error and nothing is stored") {
  engine_harness h;
  h.options.max_message_bytes = 64;
  h.start();
  auto id = h.open_ok().conversation.id;

  open_request unknown;
  unknown.bot = "nobody";
  CHECK(h.open(unknown).error() == errc::unknown_bot);
  CHECK(h.say(id, "").error() == errc::bad_request);
  CHECK(h.say(id, std::string(65, 'x')).error() == errc::bad_request);
  CHECK(h.say(id, "hi", std::string(1000, 'c')).error() == errc::bad_request);
  CHECK(h.say("no-such-conversation", "hi").error() == errc::no_such_conversation);
  CHECK(h.event(id, dialogs::timer_fired{"no_input", 1}).error() == errc::bad_request);
  CHECK(h.event(id, dialogs::webhook_result{true, 200, "{}"}).error() == errc::bad_request);
  auto t = test::await<result<std::vector<transcript_entry>>>(
      [&](auto d) { h.e().transcript("no-such-conversation", 0, d); });
  REQUIRE(t.has_value());
  CHECK(t->error() == errc::no_such_conversation);

  CHECK(h.transcript(id).size() == 2);  // the greeting and the question only
  CHECK(h.e().stats().messages_in == 0);
  CHECK(h.e().stats().conversations_active == 1);  // unknown ids leave nothing behind
}

TEST_CASE("engine: a conversation's events run in order while other conversations run in parallel") {
  engine_harness h(4);
  h.start();
  constexpr int conversations = 4;
  constexpr int messages = 30;
  std::vector<std::string> ids;
  for (int c = 0; c < conversations; ++c) ids.push_back(h.open_ok().conversation.id);

  std::mutex mutex;
  std::map<std::string, std::vector<std::int64_t>> completion_order;
  std::atomic<int> completed{0}, failed{0};
  std::vector<std::thread> senders;
  for (int c = 0; c < conversations; ++c) {
    senders.emplace_back([&, c] {
      for (int m = 0; m < messages; ++m) {
        h.e().post_message(ids[c], dialogs::user_message{"m" + std::to_string(m), ""},
                           "c" + std::to_string(m), [&, c](result<post_result> r) {
                             if (!r) {
                               ++failed;
                             } else {
                               std::lock_guard lock(mutex);
                               completion_order[ids[c]].push_back(r->seq);
                             }
                             ++completed;
                           });
      }
    });
  }
  for (auto& s : senders) s.join();
  REQUIRE(test::eventually([&] { return completed == conversations * messages; }));
  CHECK(failed == 0);

  for (const auto& id : ids) {
    {
      std::lock_guard lock(mutex);
      const auto& order = completion_order[id];
      CHECK(std::is_sorted(order.begin(), order.end()));  // completions in submission order
    }
    auto all = h.transcript(id);
    REQUIRE(all.size() == std::size_t(2 + 3 * messages));
    for (int m = 0; m < messages; ++m) {
      const auto base = std::size_t(2 + 3 * m);
      CHECK(all[base].by == author::visitor);
      CHECK(all[base].text == "m" + std::to_string(m));
      CHECK(all[base + 1].text == "Noted: m" + std::to_string(m));
      CHECK(all[base + 2].key == "ask_note");
    }
  }
}

TEST_CASE("engine: a redelivered client_id is answered as a duplicate and processed once") {
  engine_harness h;
  h.start();
  auto id = h.open_ok().conversation.id;

  auto first = h.say(id, "call the bank", "client-1");
  REQUIRE(first.has_value());
  auto again = h.say(id, "call the bank", "client-1");
  REQUIRE(again.has_value());
  CHECK(again->duplicate);
  CHECK(again->seq == first->seq);
  CHECK(texts(again->replies) == texts(first->replies));

  // Redeliveries racing each other: still one turn.
  std::atomic<int> done{0}, duplicates{0};
  for (int i = 0; i < 5; ++i)
    h.e().post_message(id, dialogs::user_message{"water plants", ""}, "client-2",
                       [&](result<post_result> r) {
                         if (r && r->duplicate) ++duplicates;
                         ++done;
                       });
  REQUIRE(test::eventually([&] { return done == 5; }));
  CHECK(duplicates == 4);

  auto all = h.transcript(id);
  int bank = 0, plants = 0;
  for (const auto& e : all) {
    bank += e.text == "call the bank" ? 1 : 0;
    plants += e.text == "water plants" ? 1 : 0;
  }
  CHECK(bank == 1);
  CHECK(plants == 1);
  CHECK(h.e().stats().messages_in == 2);
}

TEST_CASE("engine: an idle conversation leaves memory and comes back from the store, subscribed or not") {
  // Subscribed: a widget is still open on it. Its slot stays for the listener; the conversation
  // leaves memory all the same, and the listener hears the turns after it came back.
  for (const bool subscribed : {false, true}) {
    CAPTURE(subscribed);
    engine_harness h;
    h.options.evict_after = std::chrono::seconds(30);
    h.start();
    auto opened = h.open_ok();
    const auto id = opened.conversation.id;
    std::mutex mutex;
    std::vector<std::string> heard;
    subscription sub;
    if (subscribed)
      sub = h.e().subscribe(id, [&](const conversation_update& u) {
        std::lock_guard lock(mutex);
        heard.push_back(u.message.text);
      });
    REQUIRE(h.say(id, "first").has_value());
    CHECK(h.e().stats().conversations_active == 1);

    h.clock.advance(std::chrono::minutes(1));  // idle for longer than evict_after (no timer due)
    REQUIRE(test::eventually([&] { return h.e().stats().conversations_active == 0; }));

    auto reply = h.say(id, "second");
    REQUIRE(reply.has_value());
    CHECK(reply->seq == 6);  // read back from the store, where it left off
    CHECK(texts(reply->replies) == std::vector<std::string>{"Noted: second", "What should I note?"});
    CHECK(h.e().stats().conversations_active == 1);
    if (!subscribed) continue;
    REQUIRE(test::eventually([&] {
      std::lock_guard lock(mutex);
      return heard.size() == 6;
    }));
    std::lock_guard lock(mutex);
    CHECK(heard == std::vector<std::string>{"first", "Noted: first", "What should I note?", "second",
                                            "Noted: second", "What should I note?"});
  }
}

}  // namespace
}  // namespace rapport::engine
