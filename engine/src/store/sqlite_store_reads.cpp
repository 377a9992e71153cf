// Reads: a pool of read-only connections, used from the calling thread. Each read is one
// statement, hence one consistent snapshot of the last commit.
#include "store/json_columns.hpp"
#include "store/sqlite_store.hpp"

namespace rapport::engine::sqlite {

class sqlite_store::lease {
 public:
  lease(sqlite_store& owner, std::unique_ptr<connection> c) : owner_(owner), c_(std::move(c)) {}
  lease(lease&& other) noexcept : owner_(other.owner_), c_(std::move(other.c_)) {}
  ~lease() {
    if (c_) owner_.release_reader(std::move(c_));
  }
  connection* operator->() const { return c_.get(); }
  explicit operator bool() const { return c_ != nullptr; }

 private:
  sqlite_store& owner_;
  std::unique_ptr<connection> c_;
};

sqlite_store::lease sqlite_store::acquire_reader() {
  {
    std::lock_guard lock(readers_mutex_);
    if (!idle_readers_.empty()) {
      auto c = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return lease(*this, std::move(c));
    }
  }
  std::string error;
  auto c = connection::open(options_.path, true, options_.busy_timeout, error);
  if (!c) log("rapport: store: cannot open a read connection: " + error);
  return lease(*this, std::move(c));
}

void sqlite_store::release_reader(std::unique_ptr<connection> c) {
  std::lock_guard lock(readers_mutex_);
  idle_readers_.push_back(std::move(c));
}

namespace {

const auto read_failed = [] { return make_error_code(errc::store_failed); };

constexpr std::string_view conversation_columns =
    "SELECT id, token_hash, bot, channel, user, bot_version, state, owner, pending, last_seq,"
    " proactive, created_ms, updated_ms FROM conversations ";

stored_conversation conversation_row(const statement& s) {
  stored_conversation c;
  c.id = s.text(0);
  c.token_hash = s.text(1);
  c.bot = s.text(2);
  c.channel = s.text(3);
  c.user = s.text(4);
  c.bot_version = s.text(5);
  c.state_json = s.text(6);
  c.owner = s.text(7);
  c.pending = s.text(8);
  c.last_seq = s.integer(9);
  c.proactive = s.integer(10);
  c.created_ms = s.integer(11);
  c.updated_ms = s.integer(12);
  return c;
}

// Runs `s`, collecting each row through `row`; the statement is reset afterwards.
template <class T, class Row>
result<std::vector<T>> collect(statement& s, Row row) {
  std::vector<T> out;
  while (s.step()) out.push_back(row(s));
  const bool ok = s.ok();
  s.reset();
  if (!ok) return read_failed();
  return out;
}

template <class T>
result<std::optional<T>> first(result<std::vector<T>> rows) {
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<T>{};
  return std::optional<T>(std::move(rows->front()));
}

}  // namespace

result<std::optional<stored_conversation>> sqlite_store::conversation(std::string_view id) {
  auto db = acquire_reader();
  if (!db) return read_failed();
  auto& s = db->prepare(std::string(conversation_columns) + "WHERE id = ?1");
  s.bind(1, id);
  return first(collect<stored_conversation>(s, conversation_row));
}

result<std::optional<stored_conversation>> sqlite_store::conversation_of(
    std::string_view bot, std::string_view channel, std::string_view user) {
  auto db = acquire_reader();
  if (!db) return read_failed();
  auto& s = db->prepare(std::string(conversation_columns) +
                        "WHERE bot = ?1 AND channel = ?2 AND user = ?3");
  s.bind(1, bot).bind(2, channel).bind(3, user);
  return first(collect<stored_conversation>(s, conversation_row));
}

result<std::vector<stored_conversation>> sqlite_store::conversations_pending() {
  auto db = acquire_reader();
  if (!db) return read_failed();
  auto& s = db->prepare(std::string(conversation_columns) + "WHERE pending <> ''");
  return collect<stored_conversation>(s, conversation_row);
}

result<std::vector<transcript_entry>> sqlite_store::transcript(std::string_view conversation_id,
                                                               std::int64_t after_seq,
                                                               std::size_t limit) {
  auto db = acquire_reader();
  if (!db) return read_failed();
  auto& s = db->prepare(
      "SELECT seq, author, text, buttons, key, agent, client_id, at_ms, agent_name FROM transcript"
      " WHERE conversation_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3");
  s.bind(1, conversation_id).bind(2, after_seq).bind(3, std::int64_t(limit));
  return collect<transcript_entry>(s, [](const statement& s) {
    transcript_entry e;
    e.seq = s.integer(0);
    e.by = author_from_string(s.text(1));
    e.text = s.text(2);
    e.buttons = buttons_from_json(s.text(3));
    e.key = s.text(4);
    e.agent = s.text(5);
    e.client_id = s.text(6);
    e.at_ms = s.integer(7);
    e.agent_name = s.text(8);
    return e;
  });
}

result<std::optional<std::int64_t>> sqlite_store::message_seq(std::string_view conversation_id,
                                                               std::string_view client_id) {
  auto db = acquire_reader();
  if (!db) return read_failed();
  auto& s = db->prepare("SELECT seq FROM transcript WHERE conversation_id = ?1 AND client_id = ?2");
  s.bind(1, conversation_id).bind(2, client_id);
  return first(collect<std::int64_t>(s, [](const statement& s) { return s.integer(0); }));
}

result<std::vector<stored_timer>> sqlite_store::timers() {
  auto db = acquire_reader();
  if (!db) return read_failed();
  auto& s = db->prepare("SELECT conversation_id, name, due_ms, seq FROM timers ORDER BY due_ms");
  return collect<stored_timer>(s, [](const statement& s) {
    return stored_timer{s.text(0), s.text(1), s.integer(2), std::uint64_t(s.integer(3))};
  });
}

result<std::optional<dialogs::bot_files>> sqlite_store::bot_version(std::string_view bot,
                                                                    std::string_view version) {
  auto db = acquire_reader();
  if (!db) return read_failed();
  auto& s = db->prepare("SELECT files FROM bot_versions WHERE bot = ?1 AND version = ?2");
  s.bind(1, bot).bind(2, version);
  auto text = first(collect<std::string>(s, [](const statement& s) { return s.text(0); }));
  if (!text) return text.error();
  if (!*text) return std::optional<dialogs::bot_files>{};
  dialogs::bot_files files;
  if (!files_from_json(**text, files)) return read_failed();
  return std::optional<dialogs::bot_files>(std::move(files));
}

result<std::vector<lead_record>> sqlite_store::leads(std::string_view bot) {
  auto db = acquire_reader();
  if (!db) return read_failed();
  auto& s = db->prepare(
      "SELECT conversation_id, bot, email, need, props, at_ms, source, outcome FROM leads"
      " WHERE bot = ?1 ORDER BY id");
  s.bind(1, bot);
  return collect<lead_record>(s, [](const statement& s) {
    return lead_record{s.text(0), s.text(1), s.text(2),    s.text(3),
                       s.text(4), s.integer(5), s.text(6), s.text(7)};
  });
}

result<std::vector<analytics_record>> sqlite_store::analytics(std::string_view conversation_id) {
  auto db = acquire_reader();
  if (!db) return read_failed();
  auto& s = db->prepare(
      "SELECT conversation_id, bot, name, props, at_ms FROM analytics WHERE conversation_id = ?1"
      " ORDER BY id");
  s.bind(1, conversation_id);
  return collect<analytics_record>(s, [](const statement& s) {
    return analytics_record{s.text(0), s.text(1), s.text(2), s.text(3), s.integer(4)};
  });
}

namespace {

constexpr std::string_view handoff_columns =
    "SELECT conversation_id, bot, team, reason, summary, status, agent, requested_ms, updated_ms"
    " FROM handoffs ";

handoff_record handoff_row(const statement& s) {
  return handoff_record{s.text(0), s.text(1), s.text(2),    s.text(3),   s.text(4),
                        s.text(5), s.text(6), s.integer(7), s.integer(8)};
}

}  // namespace

result<std::vector<handoff_record>> sqlite_store::handoffs(std::string_view conversation_id) {
  auto db = acquire_reader();
  if (!db) return read_failed();
  auto& s = db->prepare(std::string(handoff_columns) + "WHERE conversation_id = ?1 ORDER BY id");
  s.bind(1, conversation_id);
  return collect<handoff_record>(s, handoff_row);
}

result<std::vector<handoff_record>> sqlite_store::handoffs_with_people() {
  auto db = acquire_reader();
  if (!db) return read_failed();
  auto& s = db->prepare(std::string(handoff_columns) +
                        "WHERE id IN (SELECT max(h.id) FROM handoffs h JOIN conversations c"
                        " ON c.id = h.conversation_id WHERE c.owner = 'human'"
                        " GROUP BY h.conversation_id) ORDER BY requested_ms");
  return collect<handoff_record>(s, handoff_row);
}

result<bool> sqlite_store::opted_out(std::string_view bot, std::string_view channel,
                                     std::string_view user) {
  auto db = acquire_reader();
  if (!db) return result<bool>(boost::system::in_place_error, read_failed());
  auto& s = db->prepare("SELECT 1 FROM opt_outs WHERE bot = ?1 AND channel = ?2 AND user = ?3");
  s.bind(1, bot).bind(2, channel).bind(3, user);
  auto rows = collect<std::int64_t>(s, [](const statement& s) { return s.integer(0); });
  if (!rows) return result<bool>(boost::system::in_place_error, rows.error());
  return !rows->empty();
}

namespace {

constexpr std::string_view agent_columns =
    "SELECT id, name, password_hash, teams, capacity, created_ms, updated_ms FROM agents ";

agent_record agent_row(const statement& s) {
  return agent_record{s.text(0),        s.text(1),    s.text(2),   strings_from_json(s.text(3)),
                      int(s.integer(4)), s.integer(5), s.integer(6)};
}

constexpr std::string_view outbox_columns =
    "SELECT id, kind, conversation_id, body, attempts, next_attempt_ms, expires_ms, status,"
    " last_error, created_ms FROM outbox ";

outbox_record outbox_row(const statement& s) {
  return outbox_record{s.integer(0), s.text(1),    s.text(2),    s.text(3), int(s.integer(4)),
                       s.integer(5), s.integer(6), s.text(7),    s.text(8), s.integer(9)};
}

}  // namespace

result<std::vector<agent_record>> sqlite_store::agents() {
  auto db = acquire_reader();
  if (!db) return read_failed();
  auto& s = db->prepare(std::string(agent_columns) + "ORDER BY id");
  return collect<agent_record>(s, agent_row);
}

result<std::optional<agent_record>> sqlite_store::agent(std::string_view id) {
  auto db = acquire_reader();
  if (!db) return read_failed();
  auto& s = db->prepare(std::string(agent_columns) + "WHERE id = ?1");
  s.bind(1, id);
  return first(collect<agent_record>(s, agent_row));
}

result<std::optional<agent_session_record>> sqlite_store::agent_session(std::string_view token_hash) {
  auto db = acquire_reader();
  if (!db) return read_failed();
  auto& s = db->prepare("SELECT token_hash, agent, expires_ms FROM agent_sessions WHERE token_hash = ?1");
  s.bind(1, token_hash);
  return first(collect<agent_session_record>(s, [](const statement& s) {
    return agent_session_record{s.text(0), s.text(1), s.integer(2)};
  }));
}

result<std::vector<outbox_record>> sqlite_store::outbox_due(std::int64_t now_ms, std::size_t limit) {
  auto db = acquire_reader();
  if (!db) return read_failed();
  auto& s = db->prepare(std::string(outbox_columns) +
                        "WHERE status = 'pending' AND next_attempt_ms <= ?1 ORDER BY next_attempt_ms, id"
                        " LIMIT ?2");
  s.bind(1, now_ms).bind(2, std::int64_t(limit));
  return collect<outbox_record>(s, outbox_row);
}

result<std::vector<outbox_record>> sqlite_store::outbox(std::string_view conversation_id) {
  auto db = acquire_reader();
  if (!db) return read_failed();
  auto& s = db->prepare(std::string(outbox_columns) + "WHERE conversation_id = ?1 ORDER BY id");
  s.bind(1, conversation_id);
  return collect<outbox_record>(s, outbox_row);
}

}  // namespace rapport::engine::sqlite
