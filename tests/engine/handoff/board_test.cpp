// The desk's pure bookkeeping: who is offered which conversation, in which order, and when.
#include <doctest/doctest.h>

#include "handoff/board.hpp"

using namespace rapport::engine;
using namespace rapport::engine::detail;

namespace {

team_options team(std::string name, team_options::assignment a = team_options::assignment::round_robin) {
  team_options t;
  t.name = std::move(name);
  t.assign = a;
  t.wait_limit = std::chrono::minutes(3);
  return t;
}

board_entry waiting(std::string id, std::string team_name, std::int64_t since) {
  board_entry e;
  e.ticket.conversation_id = std::move(id);
  e.ticket.team = std::move(team_name);
  e.since_ms = e.queued_ms = since;
  return e;
}

board with_agents(std::vector<team_options> teams, std::vector<agent_profile> agents) {
  board b(std::move(teams));
  for (const auto& a : agents) {
    b.upsert_agent(a);
    b.set_presence(a.id, presence::online);
  }
  return b;
}

std::vector<std::string> offered(const std::vector<offer>& offers) {
  std::vector<std::string> out;
  for (const auto& o : offers) out.push_back(o.conversation + "→" + o.agent);
  return out;
}

}  // namespace

TEST_CASE("board: round robin offers in turn to online agents of the team, longest waiting first") {
  auto b = with_agents({team("sales"), team("support")},
                       {{"ana", "Ana", {"sales"}, 2}, {"ben", "Ben", {"sales"}, 2}, {"sue", "Sue", {"support"}, 2}});
  b.enqueue(waiting("c2", "sales", 200));
  b.enqueue(waiting("c1", "sales", 100));  // asked earlier: first in line
  b.enqueue(waiting("c3", "sales", 300));
  CHECK(b.position("c1") == 1);
  CHECK(b.position("c3") == 3);
  CHECK(offered(b.make_offers(1000)) == std::vector<std::string>{"c1→ana", "c2→ben", "c3→ana"});
  CHECK(b.make_offers(1001).empty());  // everything is offered already
}

TEST_CASE("board: capacity counts owned conversations and offers; freed capacity goes to the longest waiting") {
  auto b = with_agents({team("sales")}, {{"ana", "Ana", {"sales"}, 1}});
  b.enqueue(waiting("c1", "sales", 100));
  b.enqueue(waiting("c2", "sales", 200));
  CHECK(offered(b.make_offers(1000)) == std::vector<std::string>{"c1→ana"});
  CHECK_FALSE(b.accept("ana", "c1", 1100).has_value());
  CHECK(b.load("ana") == 1);
  CHECK(b.make_offers(1200).empty());  // ana is full; c2 waits
  CHECK(b.accept("ana", "c2", 1300) == desk_errc::at_capacity);
  b.remove("c1");  // ana closed c1
  CHECK(offered(b.make_offers(1400)) == std::vector<std::string>{"c2→ana"});
}

TEST_CASE("board: least busy offers to the agent with the fewest conversations") {
  auto b = with_agents({team("support", team_options::assignment::least_busy)},
                       {{"ana", "Ana", {"support"}, 3}, {"ben", "Ben", {"support"}, 3}});
  b.enqueue(waiting("c1", "support", 1));
  b.make_offers(10);
  REQUIRE_FALSE(b.accept(b.waiting("c1")->offered_to, "c1", 11).has_value());
  const std::string busy = b.owned("c1")->agent;
  b.enqueue(waiting("c2", "support", 2));
  b.enqueue(waiting("c3", "support", 3));
  auto offers = b.make_offers(20);
  REQUIRE(offers.size() == 2);
  CHECK(offers[0].agent != busy);  // the idle one first
}

TEST_CASE("board: away and offline agents get no offers, and lose the ones they had") {
  auto b = with_agents({team("sales")}, {{"ana", "Ana", {"sales"}, 2}, {"ben", "Ben", {"sales"}, 2}});
  b.enqueue(waiting("c1", "sales", 1));
  REQUIRE(offered(b.make_offers(10)) == std::vector<std::string>{"c1→ana"});
  b.set_presence("ana", presence::away);
  CHECK(b.waiting("c1")->offered_to.empty());
  CHECK(offered(b.make_offers(11)) == std::vector<std::string>{"c1→ben"});
  b.set_presence("ben", presence::offline);
  CHECK_FALSE(b.anyone_for(*b.waiting("c1")));
  CHECK(b.make_offers(12).empty());
}

TEST_CASE("board: an offer not taken in time, or declined, passes to the next agent") {
  auto b = with_agents({team("sales")}, {{"ana", "Ana", {"sales"}, 2}, {"ben", "Ben", {"sales"}, 2}});
  b.enqueue(waiting("c1", "sales", 1));
  REQUIRE(offered(b.make_offers(0)) == std::vector<std::string>{"c1→ana"});
  CHECK(b.lapse_offers(29'999, 30'000).empty());
  CHECK(b.lapse_offers(30'000, 30'000) == std::vector<std::string>{"c1"});
  CHECK(offered(b.make_offers(30'001)) == std::vector<std::string>{"c1→ben"});
  b.decline("ben", "c1");
  // Everyone let it go once: a new round starts with the first again.
  CHECK(offered(b.make_offers(30'002)) == std::vector<std::string>{"c1→ana"});
}

TEST_CASE("board: any agent of the team may take a waiting conversation; others may not") {
  auto b = with_agents({team("sales"), team("support")},
                       {{"ana", "Ana", {"sales"}, 2}, {"sue", "Sue", {"support"}, 2}});
  b.enqueue(waiting("c1", "sales", 1));
  b.make_offers(5);  // offered to ana
  CHECK(b.accept("sue", "c1", 6) == desk_errc::not_your_team);
  CHECK(b.accept("nobody", "c1", 6) == desk_errc::unknown_agent);
  CHECK_FALSE(b.accept("ana", "c1", 7).has_value());
  CHECK(b.accept("ana", "c1", 8) == desk_errc::not_waiting);  // taken already
  CHECK(b.owned("c1")->accepted_ms == 7);
  CHECK(b.owned_by("ana") == std::vector<std::string>{"c1"});
}

TEST_CASE("board: a transfer to one agent is offered to them only") {
  auto b = with_agents({team("sales")}, {{"ana", "Ana", {"sales"}, 2}, {"ben", "Ben", {"sales"}, 2}});
  auto e = waiting("c1", "sales", 1);
  e.wanted_agent = "ben";
  b.enqueue(e);
  CHECK(offered(b.make_offers(5)) == std::vector<std::string>{"c1→ben"});
  CHECK(b.accept("ana", "c1", 6) == desk_errc::not_your_team);
  CHECK(b.view("ana").queue.empty());
  CHECK(b.view("ben").queue.size() == 1);
}

TEST_CASE("board: conversations past their team's wait limit are reported") {
  auto b = with_agents({team("sales")}, {});
  b.enqueue(waiting("c1", "sales", 0));
  b.enqueue(waiting("c2", "sales", 100'000));
  CHECK(b.past_wait_limit(179'999).empty());
  CHECK(b.past_wait_limit(180'000) == std::vector<std::string>{"c1"});
}

TEST_CASE("board: an agent's view holds their team's queue with positions, their own, and colleagues") {
  auto b = with_agents({team("sales"), team("support")},
                       {{"ana", "Ana", {"sales"}, 2}, {"sue", "Sue", {"support"}, 2}});
  b.enqueue(waiting("s1", "support", 1));
  b.enqueue(waiting("c1", "sales", 2));
  b.enqueue(waiting("c2", "sales", 3));
  b.make_offers(10);
  REQUIRE_FALSE(b.accept("ana", "c1", 11).has_value());
  auto v = b.view("ana");
  CHECK(v.me.name == "Ana");
  CHECK(v.status == presence::online);
  REQUIRE(v.queue.size() == 1);
  CHECK(v.queue[0].id == "c2");
  CHECK(v.queue[0].position == 1);
  REQUIRE(v.mine.size() == 1);
  CHECK(v.mine[0].id == "c1");
  REQUIRE(v.colleagues.size() == 1);
  CHECK(v.colleagues[0].id == "sue");
  CHECK(v.teams == std::vector<std::string>{"sales", "support"});
}
