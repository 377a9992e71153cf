#include "handoff/board.hpp"

#include <algorithm>

namespace rapport::engine::detail {

namespace {

bool contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

board::board(std::vector<team_options> teams) : teams_(std::move(teams)) {}

const team_options* board::team(std::string_view name) const {
  for (const auto& t : teams_)
    if (t.name == name) return &t;
  return nullptr;
}

std::vector<std::string> board::team_names() const {
  std::vector<std::string> out;
  for (const auto& t : teams_) out.push_back(t.name);
  return out;
}

// ---- agents ------------------------------------------------------------------------------------

void board::upsert_agent(const agent_profile& profile) {
  agents_[profile.id].profile = profile;
}

const agent_profile* board::agent(std::string_view id) const {
  auto it = agents_.find(id);
  return it == agents_.end() ? nullptr : &it->second.profile;
}

void board::set_presence(const std::string& id, presence p) {
  auto it = agents_.find(id);
  if (it == agents_.end()) return;
  it->second.status = p;
  if (p == presence::online) return;
  for (auto& e : queue_) {
    if (e.offered_to != id) continue;
    e.offered_to.clear();
    e.offered_ms = 0;
  }
}

presence board::status(std::string_view id) const {
  auto it = agents_.find(id);
  return it == agents_.end() ? presence::offline : it->second.status;
}

bool board::on_team(const agent_state& a, const std::string& team) const {
  return contains(a.profile.teams, team);
}

bool board::anyone_for(const board_entry& e) const {
  for (const auto& [id, a] : agents_) {
    if (a.status != presence::online) continue;
    if (e.wanted_agent.empty() ? on_team(a, e.ticket.team) : id == e.wanted_agent) return true;
  }
  return false;
}

int board::load(std::string_view agent) const {
  int n = 0;
  for (const auto& [id, e] : owned_)
    if (e.agent == agent) ++n;
  return n;
}

int board::offers_to(std::string_view agent) const {
  int n = 0;
  for (const auto& e : queue_)
    if (e.offered_to == agent) ++n;
  return n;
}

std::size_t board::online_count() const {
  std::size_t n = 0;
  for (const auto& [id, a] : agents_)
    if (a.status != presence::offline) ++n;
  return n;
}

// ---- the queue ---------------------------------------------------------------------------------

void board::enqueue(board_entry e) {
  e.offered_to.clear();
  e.offered_ms = 0;
  e.passed.clear();
  e.agent.clear();
  e.accepted_ms = 0;
  e.answered = false;
  auto at = std::upper_bound(queue_.begin(), queue_.end(), e.since_ms,
                             [](std::int64_t since, const board_entry& x) { return since < x.since_ms; });
  queue_.insert(at, std::move(e));
}

void board::adopt(board_entry e) {
  const std::string id = e.ticket.conversation_id;
  owned_[id] = std::move(e);
}

std::optional<board_entry> board::remove(std::string_view conversation) {
  for (auto it = queue_.begin(); it != queue_.end(); ++it) {
    if (it->ticket.conversation_id != conversation) continue;
    board_entry e = std::move(*it);
    queue_.erase(it);
    return e;
  }
  if (auto it = owned_.find(conversation); it != owned_.end()) {
    board_entry e = std::move(it->second);
    owned_.erase(it);
    return e;
  }
  return std::nullopt;
}

const board_entry* board::waiting(std::string_view conversation) const {
  for (const auto& e : queue_)
    if (e.ticket.conversation_id == conversation) return &e;
  return nullptr;
}

const board_entry* board::owned(std::string_view conversation) const {
  auto it = owned_.find(conversation);
  return it == owned_.end() ? nullptr : &it->second;
}

board_entry* board::owned(std::string_view conversation) {
  auto it = owned_.find(conversation);
  return it == owned_.end() ? nullptr : &it->second;
}

std::vector<std::string> board::waiting_ids() const {
  std::vector<std::string> out;
  for (const auto& e : queue_) out.push_back(e.ticket.conversation_id);
  return out;
}

int board::position(std::string_view conversation) const {
  const board_entry* e = waiting(conversation);
  if (e == nullptr) return 0;
  int n = 0;
  for (const auto& x : queue_) {
    if (x.ticket.team == e->ticket.team) ++n;
    if (&x == e) return n;
  }
  return 0;
}

std::vector<std::string> board::owned_by(std::string_view agent) const {
  std::vector<std::string> out;
  for (const auto& [id, e] : owned_)
    if (e.agent == agent) out.push_back(id);
  return out;
}

bool board::eligible(const agent_state& a, const board_entry& e) const {
  if (a.status != presence::online) return false;
  if (e.wanted_agent.empty() ? !on_team(a, e.ticket.team) : a.profile.id != e.wanted_agent)
    return false;
  if (contains(e.passed, a.profile.id)) return false;
  return load(a.profile.id) + offers_to(a.profile.id) < a.profile.capacity;
}

std::vector<offer> board::make_offers(std::int64_t now_ms) {
  std::vector<offer> made;
  for (auto& e : queue_) {  // longest-waiting first
    if (!e.offered_to.empty()) continue;
    const team_options* t = team(e.ticket.team);
    const bool least_busy = t != nullptr && t->assign == team_options::assignment::least_busy;
    for (int round = 0; round < 2; ++round) {
      agent_state* best = nullptr;
      for (auto& [id, a] : agents_) {
        if (!eligible(a, e)) continue;
        auto busier = [&](const agent_state& x, const agent_state& y) {  // x after y?
          if (least_busy) {
            const int lx = load(x.profile.id) + offers_to(x.profile.id);
            const int ly = load(y.profile.id) + offers_to(y.profile.id);
            if (lx != ly) return lx > ly;
          }
          return x.last_offer > y.last_offer;
        };
        if (best == nullptr || busier(*best, a)) best = &a;
      }
      if (best != nullptr) {
        e.offered_to = best->profile.id;
        e.offered_ms = now_ms;
        best->last_offer = ++offers_made_;
        made.push_back({e.ticket.conversation_id, best->profile.id});
        break;
      }
      // Everyone eligible let it go once: start another round with all of them.
      if (e.passed.empty()) break;
      e.passed.clear();
    }
  }
  return made;
}

std::vector<std::string> board::lapse_offers(std::int64_t now_ms, std::int64_t timeout_ms) {
  std::vector<std::string> lapsed;
  for (auto& e : queue_) {
    if (e.offered_to.empty() || now_ms - e.offered_ms < timeout_ms) continue;
    e.passed.push_back(std::exchange(e.offered_to, {}));
    e.offered_ms = 0;
    lapsed.push_back(e.ticket.conversation_id);
  }
  return lapsed;
}

void board::decline(std::string_view agent, std::string_view conversation) {
  for (auto& e : queue_) {
    if (e.ticket.conversation_id != conversation || e.offered_to != agent) continue;
    e.passed.push_back(std::exchange(e.offered_to, {}));
    e.offered_ms = 0;
  }
}

std::vector<std::string> board::past_wait_limit(std::int64_t now_ms) const {
  std::vector<std::string> out;
  for (const auto& e : queue_) {
    const team_options* t = team(e.ticket.team);
    if (t != nullptr && now_ms - e.queued_ms >= t->wait_limit.count())
      out.push_back(e.ticket.conversation_id);
  }
  return out;
}

std::optional<desk_errc> board::accept(std::string_view agent, std::string_view conversation,
                                       std::int64_t now_ms) {
  auto a = agents_.find(agent);
  if (a == agents_.end()) return desk_errc::unknown_agent;
  auto it = std::find_if(queue_.begin(), queue_.end(), [&](const board_entry& e) {
    return e.ticket.conversation_id == conversation;
  });
  if (it == queue_.end()) return desk_errc::not_waiting;
  const bool for_them = it->wanted_agent.empty() ? on_team(a->second, it->ticket.team)
                                                 : it->wanted_agent == agent;
  if (!for_them) return desk_errc::not_your_team;
  if (load(agent) >= a->second.profile.capacity) return desk_errc::at_capacity;
  board_entry e = std::move(*it);
  queue_.erase(it);
  e.offered_to.clear();
  e.passed.clear();
  e.agent = std::string(agent);
  e.accepted_ms = now_ms;
  owned_[e.ticket.conversation_id] = std::move(e);
  return std::nullopt;
}

// ---- what an agent sees ------------------------------------------------------------------------

desk_conversation board::listed(const board_entry& e, int position) const {
  desk_conversation c;
  c.id = e.ticket.conversation_id;
  c.bot = e.ticket.bot;
  c.channel = e.ticket.channel;
  c.team = e.ticket.team;
  c.reason = e.ticket.reason;
  c.summary = e.ticket.summary;
  c.waiting_since_ms = e.since_ms;
  c.position = position;
  c.offered_to = e.offered_to;
  c.agent = e.agent;
  c.accepted_ms = e.accepted_ms;
  return c;
}

desk_view board::view(std::string_view agent) const {
  desk_view v;
  auto me = agents_.find(agent);
  if (me == agents_.end()) return v;
  v.me = me->second.profile;
  v.status = me->second.status;
  std::map<std::string, int, std::less<>> positions;
  for (const auto& e : queue_) {
    const int position = ++positions[e.ticket.team];
    const bool for_me = e.wanted_agent.empty() ? on_team(me->second, e.ticket.team)
                                               : e.wanted_agent == agent;
    if (for_me) v.queue.push_back(listed(e, position));
  }
  for (const auto& [id, e] : owned_)
    if (e.agent == agent) v.mine.push_back(listed(e, 0));
  std::sort(v.mine.begin(), v.mine.end(),
            [](const auto& x, const auto& y) { return x.accepted_ms < y.accepted_ms; });
  for (const auto& [id, a] : agents_) {
    if (id == agent) continue;
    v.colleagues.push_back({id, a.profile.name, a.profile.teams, a.status, load(id),
                            a.profile.capacity});
  }
  v.teams = team_names();
  return v;
}

}  // namespace rapport::engine::detail
