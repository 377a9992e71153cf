// Runs conversation tests with the simulator and checks each expectation.
#include <algorithm>
#include <regex>

#include "loader/reporter.hpp"
#include "rapport/dialogs/conversation_tests.hpp"
#include "rapport/dialogs/simulator.hpp"
#include "testing/test_file.hpp"

namespace rapport::dialogs {

namespace {

using testing::conversation_test;
using testing::step_kind;
using testing::test_step;

std::string quote(const std::string& s) {
  return "\"" + s + "\"";
}

std::string describe(const message_out& m) {
  return "'" + m.key + "' (" + quote(m.text) + ")";
}

std::string button_list(const std::vector<button>& buttons) {
  std::string out;
  for (const auto& b : buttons) out += (out.empty() ? "" : ", ") + b.label + " (" + b.payload + ")";
  return out.empty() ? "none" : out;
}

// One test being run: the simulator plus what happened since the visitor's last action.
class test_run {
 public:
  test_run(std::shared_ptr<const bot_model> bot, const conversation_test& test)
      : test_(test), sim_(bot, options(test)) {}

  std::vector<test_failure> run() {
    if (test_.from) {
      if (!checkpoint()) return failures_;
    } else if (test_.start) {
      act(sim_.start());
    }
    for (const auto& s : test_.steps) {
      step(s);
      if (!failures_.empty()) break;  // later steps would only repeat the first problem
    }
    return failures_;
  }

  const simulator& sim() const { return sim_; }

 private:
  static simulator_options options(const conversation_test& t) {
    simulator_options o;
    o.locale = t.locale;
    o.channel = t.channel;
    o.context = t.context;
    o.seed = t.seed;
    return o;
  }

  void fail(const source_pos& pos, std::string message) {
    failures_.push_back({pos, std::move(message)});
  }

  bool checkpoint() {
    const auto& c = *test_.from;
    const flow_def* flow = sim_.bot().find_flow(c.flow);
    if (flow == nullptr) {
      fail(c.pos, "checkpoint flow '" + c.flow + "' does not exist");
      return false;
    }
    int pc = 0;
    if (!c.step.empty()) {
      auto it = flow->step_ids.find(c.step);
      if (it == flow->step_ids.end()) {
        fail(c.pos, "flow '" + c.flow + "' has no step with id '" + c.step + "'");
        return false;
      }
      pc = it->second;
    }
    conversation_state s = sim_.state();
    s.started = true;
    s.locale = sim_.bot().match_locale(test_.locale);
    s.channel = test_.channel;
    s.context = test_.context;
    s.slots = c.slots;
    s.buying_intent = c.buying_intent;
    s.consent = c.consent;
    s.stack = {{c.flow, pc, false}};
    sim_.reset(std::move(s));
    act(sim_.deliver(resume_event{}));
    return true;
  }

  // A new action: what the bot does now replaces the previous window.
  void act(std::vector<output> outputs) {
    window_ = std::move(outputs);
    cursor_ = 0;
    for (const auto& o : window_)
      if (const auto* m = std::get_if<message_out>(&o); m != nullptr && !m->buttons.empty())
        buttons_ = m->buttons;
  }

  void step(const test_step& s) {
    switch (s.kind) {
      case step_kind::user:
        return act(sim_.say(s.text));
      case step_kind::click:
        return click(s);
      case step_kind::wait:
        return act(sim_.wait(s.duration));
      case step_kind::event:
        return act(sim_.deliver(named_event{s.text, s.props}));
      case step_kind::agent:
        return agent(s);
      case step_kind::webhook:
        if (!sim_.pending_webhook()) return fail(s.pos, "no webhook call is waiting for an answer");
        return act(sim_.deliver(webhook_result{s.ok, s.status, s.body}));
      case step_kind::bot:
        return expect_message(s);
      case step_kind::expect:
        return expect_state(s);
    }
  }

  void click(const test_step& s) {
    auto it = std::find_if(buttons_.begin(), buttons_.end(), [&](const button& b) {
      return b.payload == s.text || b.label == s.text;
    });
    if (it == buttons_.end())
      return fail(s.pos,
                  "no button '" + s.text + "' is offered; buttons: " + button_list(buttons_));
    act(sim_.click(it->payload, it->label));
  }

  void agent(const test_step& s) {
    using kind = handoff_event::kind;
    if (s.text == "accept")
      act(sim_.deliver(handoff_event{.what = kind::accepted, .agent = "agent"}));
    if (s.text == "unavailable") act(sim_.deliver(handoff_event{.what = kind::unavailable}));
    if (s.text == "return")
      act(sim_.deliver(handoff_event{.what = kind::returned, .agent = "agent", .flow = s.flow}));
    if (s.text == "close")
      act(sim_.deliver(
          handoff_event{.what = kind::closed, .agent = "agent", .outcome = s.outcome}));
  }

  void expect_message(const test_step& s) {
    const message_out* m = nullptr;
    while (cursor_ < window_.size() && m == nullptr)
      m = std::get_if<message_out>(&window_[cursor_++]);
    std::string wanted = s.bot.key.empty() ? "a bot message" : "bot message '" + s.bot.key + "'";
    if (s.bot.text) wanted += " matching " + quote(*s.bot.text);
    if (m == nullptr) return fail(s.pos, "expected " + wanted + ", but the bot said nothing more");
    if (!s.bot.key.empty() && m->key != s.bot.key)
      return fail(s.pos, "expected " + wanted + ", got " + describe(*m));
    if (s.bot.text) {
      try {
        if (!std::regex_search(m->text, std::regex(*s.bot.text)))
          return fail(s.pos, "expected " + wanted + ", got " + describe(*m));
      } catch (const std::regex_error& e) {
        return fail(s.pos, "bad regular expression " + quote(*s.bot.text) + ": " + e.what());
      }
    }
    if (s.bot.buttons) {
      std::vector<std::string> labels;
      for (const auto& b : m->buttons) labels.push_back(b.label);
      if (labels != *s.bot.buttons)
        return fail(s.pos, "expected buttons [" + join(*s.bot.buttons) + "] on " + describe(*m) +
                               ", got [" + join(labels) + "]");
    }
  }

  static std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
  }

  template <class T, class Pred>
  bool in_window(Pred pred) const {
    return std::any_of(window_.begin(), window_.end(), [&](const output& o) {
      const T* x = std::get_if<T>(&o);
      return x != nullptr && pred(*x);
    });
  }

  // What of one kind happened since the last action, for failure messages.
  static std::string happened(const handoff_request& h) { return "a handoff to '" + h.team + "'"; }
  static std::string happened(const conversation_end& e) {
    return "it ended with '" + e.outcome + "'";
  }
  static std::string happened(const webhook_request& w) { return "a call to '" + w.webhook + "'"; }
  static std::string happened(const policy_block& b) {
    return "'" + b.key + "' (" + b.reason + ")";
  }
  static std::string happened(const analytics_event& e) { return "'" + e.name + "'"; }
  static std::string happened(const message_out& m) { return describe(m); }

  template <class T>
  std::string happened_list(const std::string& none) const {
    std::vector<std::string> items;
    for (const auto& o : window_)
      if (const T* x = std::get_if<T>(&o)) items.push_back(happened(*x));
    return items.empty() ? none : join(items);
  }

  void expect_state(const test_step& step) {
    const auto& x = step.expect;
    const conversation_state& s = sim_.state();
    auto check = [&](bool ok, const std::string& message) {
      if (!ok) fail(step.pos, message);
    };
    for (const auto& [slot, wanted] : x.slots) {
      auto it = s.slots.find(slot);
      value got = it == s.slots.end() ? value{null_value{}} : it->second;
      check(got == wanted,
            "expected slot '" + slot + "' = " + to_literal(wanted) + ", got " + to_literal(got));
    }
    if (x.intent)
      check(s.intent == *x.intent, "expected intent '" + *x.intent + "', got '" + s.intent + "'");
    if (x.owner)
      check(to_string(s.owned_by) == *x.owner,
            "expected owner '" + *x.owner + "', got '" + to_string(s.owned_by) + "'");
    if (x.handoff) {
      const bool want = *x.handoff != "false";
      const bool any = *x.handoff == "true" || !want;
      const bool happened = in_window<handoff_request>(
          [&](const handoff_request& h) { return any || h.team == *x.handoff; });
      check(happened == want, (want ? "expected a handoff" + (any ? "" : " to '" + *x.handoff + "'")
                                    : std::string("expected no handoff")) +
                                  " just now, got " + happened_list<handoff_request>("none"));
    }
    if (x.ended) {
      const bool want = *x.ended != "false";
      const bool happened = in_window<conversation_end>([&](const conversation_end& e) {
        return *x.ended == "true" || !want || e.outcome == *x.ended;
      });
      check(happened == want,
            (want ? "expected the conversation to end" +
                        (*x.ended == "true" ? "" : " with '" + *x.ended + "'") + " just now, "
                  : std::string("expected the conversation not to end just now, ")) +
                happened_list<conversation_end>("but it did not end"));
    }
    if (x.asking) {
      std::string asking;
      if (s.waiting == waiting_for::answer && !s.stack.empty()) {
        const flow_def* f = sim_.bot().find_flow(s.stack.back().flow);
        if (f != nullptr)
          if (const auto* a = std::get_if<ask_step>(&f->steps[s.stack.back().pc].body))
            asking = a->slot;
      }
      check(asking == *x.asking,
            "expected the bot to be asking for '" + *x.asking + "', " +
                (asking.empty() ? "but it asks nothing" : "got '" + asking + "'"));
    }
    if (x.flow) {
      std::string flow = s.stack.empty() ? "" : s.stack.back().flow;
      check(flow == *x.flow, "expected to be in flow '" + *x.flow + "', got '" + flow + "'");
    }
    if (x.webhook)
      check(in_window<webhook_request>(
                [&](const webhook_request& w) { return w.webhook == *x.webhook; }),
            "expected a call to webhook '" + *x.webhook + "' just now, got " +
                happened_list<webhook_request>("none"));
    for (const auto& b : x.blocked)
      check(in_window<policy_block>(
                [&](const policy_block& p) { return p.key == b || p.reason == b; }),
            "expected '" + b + "' to be blocked by a policy just now, got " +
                happened_list<policy_block>("nothing blocked"));
    for (const auto& t : x.tracked)
      check(in_window<analytics_event>([&](const analytics_event& e) { return e.name == t; }),
            "expected event '" + t + "' to be recorded just now, got " +
                happened_list<analytics_event>("none"));
    if (x.silent) {
      const bool said = in_window<message_out>([](const message_out&) { return true; });
      check(said != *x.silent,
            *x.silent
                ? "expected the bot to stay silent, but it said " + happened_list<message_out>("")
                : "expected the bot to say something, but it said nothing");
    }
    auto flag = [&](const std::optional<bool>& want, bool got, const char* name) {
      if (want)
        check(*want == got,
              std::string("expected ") + name + " to be " + (*want ? "true" : "false"));
    };
    flag(x.opted_out, s.opted_out, "opted_out");
    flag(x.buying_intent, s.buying_intent, "buying_intent");
    flag(x.consent, s.consent, "consent");
    if (x.lead_score)
      check(s.lead_score == *x.lead_score,
            "expected lead_score " + to_text(*x.lead_score) + ", got " + to_text(s.lead_score));
  }

  const conversation_test& test_;
  simulator sim_;
  std::vector<output> window_;
  std::size_t cursor_ = 0;
  std::vector<button> buttons_;
  std::vector<test_failure> failures_;
};

}  // namespace

int test_suite_result::passed() const {
  return int(std::count_if(cases.begin(), cases.end(), [](const auto& c) { return c.passed(); }));
}
int test_suite_result::errored() const {
  return int(std::count_if(cases.begin(), cases.end(), [](const auto& c) { return c.errored; }));
}
int test_suite_result::failed() const {
  return int(cases.size()) - passed() - errored();
}

namespace {

test_failure as_failure(const diagnostic& d) {
  return {d.pos, d.message + (d.hint.empty() ? "" : " (" + d.hint + ")")};
}

// The tests of a file with errors are not run. Each error goes to the test it is in; errors
// outside every test (or a file nothing could be read from) make a case of their own.
void report_not_run(test_suite_result& result, const std::string& path,
                    const std::vector<conversation_test>& tests,
                    const std::vector<diagnostic>& diagnostics) {
  std::vector<test_case_result> cases;
  for (const auto& t : tests) cases.push_back({t.name, t.pos, {}, true});
  test_case_result file_case{path, {path, 1, 1}, {}, true};
  for (const auto& d : diagnostics) {
    if (d.level != severity::error) continue;
    auto in = std::find_if(cases.rbegin(), cases.rend(),
                           [&](const test_case_result& c) { return c.pos.line <= d.pos.line; });
    (in == cases.rend() ? file_case : *in).failures.push_back(as_failure(d));
  }
  if (!file_case.failures.empty() || cases.empty()) result.cases.push_back(std::move(file_case));
  for (auto& c : cases) {
    if (c.failures.empty()) c.failures.push_back({c.pos, "not run: " + path + " has errors"});
    result.cases.push_back(std::move(c));
  }
}

}  // namespace

test_suite_result unloadable_bot_suite(const std::string& bot,
                                       const std::vector<diagnostic>& diagnostics) {
  test_suite_result result;
  result.bot = bot;
  test_case_result c{"the bot loads", {bot, 0, 0}, {}, true};
  for (const auto& d : diagnostics)
    if (d.level == severity::error) c.failures.push_back(as_failure(d));
  result.cases.push_back(std::move(c));
  return result;
}

test_suite_result run_conversation_tests(std::shared_ptr<const bot_model> bot,
                                         const bot_files& test_files) {
  test_suite_result result;
  result.bot = bot->name;
  std::set<step_ref> visited;
  std::set<std::string> used;
  for (const auto& [path, text] : test_files) {
    loader::reporter r;
    const auto tests = testing::parse_test_file(text, path, r);
    auto diagnostics = r.take();
    result.diagnostics.insert(result.diagnostics.end(), diagnostics.begin(), diagnostics.end());
    if (has_errors(diagnostics)) {
      report_not_run(result, path, tests, diagnostics);
      continue;
    }
    for (const auto& test : tests) {
      test_run run(bot, test);
      result.cases.push_back({test.name, test.pos, run.run()});
      visited.insert(run.sim().visited_steps().begin(), run.sim().visited_steps().end());
      used.insert(run.sim().used_messages().begin(), run.sim().used_messages().end());
    }
  }

  for (const auto& name : bot->flow_order) {
    const flow_def& flow = bot->flows.find(name)->second;
    if (!flow.origin.empty()) continue;  // the standard library is tested with Rapport
    for (int pc = 0; pc < int(flow.steps.size()); ++pc)
      if (!flow.steps[pc].synthetic && !visited.count({flow.name, pc}))
        result.uncovered_steps.push_back(
            {flow.steps[pc].pos, "step '" + describe(flow.steps[pc]) + "' in flow " + flow.name});
  }
  if (auto cat = bot->catalogs.find(bot->default_locale); cat != bot->catalogs.end())
    for (const auto& [key, m] : cat->second.messages)
      if (!key.starts_with("rapport.") && !key.starts_with("intent.") && !used.count(key) &&
          !m.pos.file.starts_with("<"))
        result.uncovered_messages.push_back({m.pos, "message '" + key + "'"});
  return result;
}

}  // namespace rapport::dialogs
