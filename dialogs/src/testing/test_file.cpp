#include "testing/test_file.hpp"

#include <boost/json.hpp>

#include "loader/names.hpp"
#include "loader/shape.hpp"
#include "loader/yaml_tree.hpp"

namespace rapport::dialogs::testing {

namespace {

using loader::node;
using loader::reporter;

const std::vector<std::string> test_keys = {"name", "locale", "channel", "context", "seed",
                                            "start", "from", "steps"};
const std::vector<std::string> step_kinds = {"user", "click", "wait", "event", "agent",
                                             "webhook", "bot", "expect"};
const std::vector<std::string> expect_keys = {
    "slots",   "intent",    "owner",         "handoff", "ended",  "asking",     "flow",
    "webhook", "blocked",   "tracked",       "silent",  "opted_out", "buying_intent",
    "consent", "lead_score"};

value_map read_values(reporter& r, const node& n, std::string_view what) {
  value_map out;
  const node* map = loader::expect_map(r, n, what);
  if (map == nullptr) return out;
  for (const auto& e : map->entries) {
    if (auto v = loader::scalar_value(*e.value)) out[e.key->text] = *v;
    else loader::wrong_type(r, *e.value, "a text, number, true, false or null");
  }
  return out;
}

boost::json::value to_json(const node& n) {
  if (n.is_map()) {
    boost::json::object o;
    for (const auto& e : n.entries) o[e.key->text] = to_json(*e.value);
    return o;
  }
  if (n.is_sequence()) {
    boost::json::array a;
    for (const auto& i : n.items) a.push_back(to_json(*i));
    return a;
  }
  auto v = loader::scalar_value(n).value_or(null_value{});
  if (auto* b = std::get_if<bool>(&v)) return *b;
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* s = std::get_if<std::string>(&v)) return boost::json::string(*s);
  return nullptr;
}

std::vector<std::string> read_names(reporter& r, const node& n, std::string_view what) {
  std::vector<std::string> out;
  if (auto items = loader::expect_list(r, n, what, true))
    for (const node* i : *items)
      if (auto t = loader::expect_text(r, *i, what)) out.push_back(*t);
  return out;
}

std::optional<std::string> optional_text(reporter& r, const node& map, std::string_view key) {
  const node* v = map.find(key);
  if (v == nullptr) return std::nullopt;
  if (auto b = loader::plain_bool(*v)) return *b ? "true" : "false";
  return loader::expect_text(r, *v, "a text");
}

std::optional<bool> optional_bool(reporter& r, const node& map, std::string_view key) {
  const node* v = map.find(key);
  return v == nullptr ? std::nullopt : loader::expect_bool(r, *v);
}

state_expectation read_expect(reporter& r, const node& n) {
  state_expectation x;
  const node* map = loader::expect_map(r, n, "a map of expectations");
  if (map == nullptr) return x;
  loader::check_keys(r, *map, expect_keys, "an expect step");
  if (const node* s = map->find("slots")) x.slots = read_values(r, *s, "a map of slot values");
  x.intent = optional_text(r, *map, "intent");
  x.owner = optional_text(r, *map, "owner");
  x.handoff = optional_text(r, *map, "handoff");
  x.ended = optional_text(r, *map, "ended");
  x.asking = optional_text(r, *map, "asking");
  x.flow = optional_text(r, *map, "flow");
  x.webhook = optional_text(r, *map, "webhook");
  if (const node* b = map->find("blocked")) x.blocked = read_names(r, *b, "message keys or reasons");
  if (const node* t = map->find("tracked")) x.tracked = read_names(r, *t, "event names");
  x.silent = optional_bool(r, *map, "silent");
  x.opted_out = optional_bool(r, *map, "opted_out");
  x.buying_intent = optional_bool(r, *map, "buying_intent");
  x.consent = optional_bool(r, *map, "consent");
  if (const node* l = map->find("lead_score")) x.lead_score = loader::expect_number(r, *l, "a number");
  return x;
}

std::optional<test_step> read_step(reporter& r, const node& n) {
  const node* map = loader::expect_map(r, n, "a test step such as '- user: hello'", false);
  if (map == nullptr) return std::nullopt;
  if (map->entries.empty()) {
    r.error(n.pos, "empty-step", "empty test step");
    return std::nullopt;
  }
  const auto& head = map->entries.front();
  const std::string kind = head.key->text;
  test_step s;
  s.pos = head.key->pos;
  const node& v = *head.value;
  auto siblings = [&](std::vector<std::string> allowed, std::string_view where) {
    allowed.insert(allowed.begin(), kind);
    loader::check_keys(r, *map, allowed, where);
  };
  if (kind == "user") {
    s.kind = step_kind::user;
    siblings({}, "a user step");
    if (auto t = loader::expect_text(r, v, "the visitor's message")) s.text = *t;
  } else if (kind == "click") {
    s.kind = step_kind::click;
    siblings({}, "a click step");
    if (auto t = loader::expect_text(r, v, "a button's payload or label")) s.text = *t;
  } else if (kind == "wait") {
    s.kind = step_kind::wait;
    siblings({}, "a wait step");
    if (auto d = loader::expect_duration(r, v)) s.duration = *d;
  } else if (kind == "event") {
    s.kind = step_kind::event;
    siblings({"props"}, "an event step");
    if (auto t = loader::expect_text(r, v, "an event name")) s.text = *t;
    if (const node* p = map->find("props")) s.props = read_values(r, *p, "a map of properties");
  } else if (kind == "agent") {
    s.kind = step_kind::agent;
    siblings({"flow", "outcome"}, "an agent step");
    if (auto t = loader::expect_text(r, v, "accept, unavailable, return or close")) s.text = *t;
    static const std::vector<std::string> actions = {"accept", "unavailable", "return", "close"};
    if (std::find(actions.begin(), actions.end(), s.text) == actions.end())
      r.error(v.pos, "bad-agent-action", "expected accept, unavailable, return or close");
    if (auto f = optional_text(r, *map, "flow")) s.flow = *f;
    if (auto o = optional_text(r, *map, "outcome")) s.outcome = *o;
  } else if (kind == "webhook") {
    s.kind = step_kind::webhook;
    siblings({"status", "body"}, "a webhook step");
    auto t = loader::expect_text(r, v, "ok or fail");
    s.ok = t && *t == "ok";
    if (t && *t != "ok" && *t != "fail") r.error(v.pos, "bad-webhook", "expected ok or fail");
    s.status = s.ok ? 200 : 500;
    if (const node* st = map->find("status"))
      if (auto n = loader::expect_integer(r, *st, 0, "an HTTP status")) s.status = *n;
    if (const node* b = map->find("body")) s.body = boost::json::serialize(to_json(*b));
  } else if (kind == "bot") {
    s.kind = step_kind::bot;
    siblings({"text", "buttons"}, "a bot step");
    if (!v.is_null())
      if (auto k = loader::expect_text(r, v, "a message key")) s.bot.key = *k;
    s.bot.text = optional_text(r, *map, "text");
    if (const node* b = map->find("buttons")) s.bot.buttons = read_names(r, *b, "button labels");
    if (v.is_null() && !s.bot.text && !s.bot.buttons)
      r.error(s.pos, "empty-bot-step", "a bot step needs a message key, 'text' or 'buttons'");
  } else if (kind == "expect") {
    s.kind = step_kind::expect;
    siblings({}, "an expect step");
    s.expect = read_expect(r, v);
  } else {
    std::string hint = loader::did_you_mean(kind, step_kinds);
    r.error(s.pos, "unknown-step", "unknown test step '" + kind + "'",
            hint.empty() ? "expected one of user, click, wait, event, agent, webhook, bot, expect"
                         : hint);
    return std::nullopt;
  }
  return s;
}

std::optional<checkpoint> read_checkpoint(reporter& r, const node& n) {
  const node* map = loader::expect_map(r, n, "a checkpoint (flow, step, slots)", false);
  if (map == nullptr) return std::nullopt;
  loader::check_keys(r, *map, {"flow", "step", "slots", "buying_intent", "consent"}, "a checkpoint");
  checkpoint c;
  c.pos = n.pos;
  if (const node* f = loader::required(r, *map, "flow", "a checkpoint"))
    if (auto t = loader::expect_text(r, *f, "a flow name")) c.flow = *t;
  if (auto s = optional_text(r, *map, "step")) c.step = *s;
  if (const node* s = map->find("slots")) c.slots = read_values(r, *s, "a map of slot values");
  c.buying_intent = optional_bool(r, *map, "buying_intent").value_or(false);
  c.consent = optional_bool(r, *map, "consent").value_or(false);
  return c;
}

// Every item of the list is a test, even a broken one, so that reports can name it.
conversation_test read_test(reporter& r, const node& n) {
  conversation_test t;
  t.pos = n.pos;
  t.name = "the test at line " + std::to_string(n.pos.line);
  const node* map = loader::expect_map(r, n, "a test (name, steps)", false);
  if (map == nullptr) return t;
  loader::check_keys(r, *map, test_keys, "a test");
  if (const node* name = loader::required(r, *map, "name", "a test"))
    if (auto text = loader::expect_text(r, *name, "the test's name")) t.name = *text;
  if (auto l = optional_text(r, *map, "locale")) t.locale = *l;
  if (auto c = optional_text(r, *map, "channel")) t.channel = *c;
  if (const node* c = map->find("context")) t.context = read_values(r, *c, "a map of context values");
  if (const node* s = map->find("seed"))
    if (auto seed = loader::expect_integer(r, *s, 0, "a seed")) t.seed = std::uint64_t(*seed);
  t.start = optional_bool(r, *map, "start").value_or(true);
  if (const node* f = map->find("from")) t.from = read_checkpoint(r, *f);
  if (const node* steps = loader::required(r, *map, "steps", "a test"))
    if (auto items = loader::expect_list(r, *steps, "a list of test steps"))
      for (const node* item : *items)
        if (auto s = read_step(r, *item)) t.steps.push_back(std::move(*s));
  return t;
}

}  // namespace

std::vector<conversation_test> parse_test_file(const std::string& text, const std::string& file,
                                               reporter& r) {
  std::vector<conversation_test> tests;
  auto doc = loader::parse_yaml(text, file);
  r.add(doc.diagnostics);
  if (!doc.ok) return tests;
  const node* root = loader::expect_map(r, *doc.root, "a map with 'tests'", false);
  if (root == nullptr) return tests;
  loader::check_keys(r, *root, {"tests"}, "a test file");
  const node* list = loader::required(r, *root, "tests", "a test file");
  if (list == nullptr) return tests;
  if (auto items = loader::expect_list(r, *list, "a list of tests"))
    for (const node* item : *items) tests.push_back(read_test(r, *item));
  return tests;
}

}  // namespace rapport::dialogs::testing
