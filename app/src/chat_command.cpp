// rapport chat <bot> [--locale de] [--channel web] [--seed N] [--now 2026-06-01T10:00:00Z]
// Talk to a bot in the terminal with a fake clock that starts at the real time (or --now).
// Buttons are numbered, type the number to click one; buttons labelled with numbers (ratings,
// NPS) are not numbered: type the label.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

#include "cli_args.hpp"
#include "commands.hpp"
#include "rapport/dialogs/loader.hpp"
#include "rapport/dialogs/simulator.hpp"

namespace rapport::app {

namespace {

using namespace rapport::dialogs;

constexpr const char* help_text =
    "  type a message, or the number in [brackets] of a button to click it\n"
    "  /wait 5m        let time pass (nudges and timeouts fire)\n"
    "  /slots          show the slots\n"
    "  /state          show the whole conversation state (JSON)\n"
    "  /event NAME     send an event (page_view, proactive, ...)\n"
    "  /agent accept | unavailable | return [FLOW] | close [OUTCOME]   play the human side\n"
    "  /webhook ok JSON | fail   answer a pending webhook\n"
    "  /restart        start a new conversation\n"
    "  /quit           leave\n";

bool is_number(const std::string& s) {
  return !s.empty() && s.size() <= 3 && s.find_first_not_of("0123456789") == std::string::npos;
}

class chat_session {
 public:
  chat_session(std::shared_ptr<const bot_model> bot, simulator_options options, std::FILE* out)
      : bot_(std::move(bot)), options_(std::move(options)), sim_(bot_, options_), out_(out) {}

  void run(std::istream& in) {
    auto opening = sim_.start();
    std::fprintf(out_, "Chatting with %s (%s). Type /help for commands.\n", bot_->name.c_str(),
                 sim_.state().locale.c_str());
    show(opening);
    std::string line;
    while (std::fputs("> ", out_), std::fflush(out_), std::getline(in, line)) {
      if (line == "/quit" || line == "/exit") break;
      if (!line.empty() && line[0] == '/') {
        command(line);
      } else if (auto b = button_for(line)) {
        show(sim_.click(b->payload, b->label));
      } else if (!line.empty()) {
        show(sim_.say(line));
      }
    }
  }

 private:
  void command(const std::string& line) {
    const auto space = line.find(' ');
    const std::string name = line.substr(0, space);
    const std::string rest = space == std::string::npos ? "" : line.substr(space + 1);
    if (name == "/help") {
      std::fputs(help_text, out_);
    } else if (name == "/wait") {
      auto d = parse_duration(rest);
      if (!d) return note("expected a duration such as 30s, 5m or 1h30m");
      show(sim_.wait(*d));
    } else if (name == "/slots") {
      for (const auto& [k, v] : sim_.state().slots)
        std::fprintf(out_, "  %s = %s\n", k.c_str(), to_literal(v).c_str());
      if (sim_.state().slots.empty()) note("no slots filled yet");
    } else if (name == "/state") {
      std::fprintf(out_, "%s\n", to_json(sim_.state()).c_str());
    } else if (name == "/event") {
      show(sim_.deliver(named_event{rest, {}}));
    } else if (name == "/agent") {
      agent(rest);
    } else if (name == "/webhook") {
      if (!sim_.pending_webhook()) return note("no webhook is waiting");
      const bool ok = rest.starts_with("ok");
      show(sim_.deliver(webhook_result{ok, ok ? 200 : 500, ok ? rest.substr(2) : ""}));
    } else if (name == "/restart") {
      sim_ = simulator(bot_, options_);
      show(sim_.start());
    } else {
      note("unknown command; /help lists them");
    }
  }

  void agent(const std::string& rest) {
    using kind = handoff_event::kind;
    const auto space = rest.find(' ');
    const std::string what = rest.substr(0, space);
    const std::string arg = space == std::string::npos ? "" : rest.substr(space + 1);
    if (what == "accept")
      show(sim_.deliver(handoff_event{.what = kind::accepted, .agent = "you"}));
    else if (what == "unavailable")
      show(sim_.deliver(handoff_event{.what = kind::unavailable}));
    else if (what == "return")
      show(sim_.deliver(handoff_event{.what = kind::returned, .agent = "you", .flow = arg}));
    else if (what == "close")
      show(sim_.deliver(handoff_event{.what = kind::closed, .agent = "you", .outcome = arg}));
    else
      note("expected /agent accept | unavailable | return [FLOW] | close [OUTCOME]");
  }

  // A number typed while buttons are offered: the button with that label or payload (so "10"
  // on an NPS question is 10), else the button at that position when buttons are numbered.
  std::optional<button> button_for(const std::string& line) const {
    if (!is_number(line)) return std::nullopt;
    for (const auto& b : buttons_)
      if (b.label == line || b.payload == line) return b;
    const std::size_t n = std::stoul(line);
    if (!numbered_ || n == 0 || n > buttons_.size()) return std::nullopt;
    return buttons_[n - 1];
  }

  void note(const std::string& text) { std::fprintf(out_, "  (%s)\n", text.c_str()); }

  void show(const std::vector<output>& outputs) {
    for (const auto& o : outputs) {
      if (const auto* m = std::get_if<message_out>(&o)) {
        std::fprintf(out_, "%s: %s\n", bot_->name.c_str(), m->text.c_str());
        // The last message decides: buttons of an earlier question are gone.
        buttons_ = m->buttons;
        numbered_ = std::any_of(buttons_.begin(), buttons_.end(),
                                [](const button& b) { return !is_number(b.label); });
        if (!buttons_.empty()) {
          std::string line = "   ";
          for (std::size_t i = 0; i < buttons_.size(); ++i)
            line += numbered_ ? " [" + std::to_string(i + 1) + "] " + buttons_[i].label
                              : " [" + buttons_[i].label + "]";
          std::fprintf(out_, "%s\n", line.c_str());
        }
      } else if (const auto* b = std::get_if<policy_block>(&o)) {
        note("blocked by policy '" + b->reason + "': " + b->text);
      } else if (const auto* h = std::get_if<handoff_request>(&o)) {
        note("handoff to team '" + h->team + "' (" + h->reason +
             "); play the agent with /agent accept or /agent unavailable");
      } else if (const auto* w = std::get_if<webhook_request>(&o)) {
        note("webhook '" + w->webhook + "' " + w->method + " " + w->url + " " + w->body +
             "; answer with /webhook ok {...} or /webhook fail");
      } else if (const auto* e = std::get_if<conversation_end>(&o)) {
        note("conversation ended: " + e->outcome);
      } else if (const auto* t = std::get_if<timer_set>(&o)) {
        const auto in = std::chrono::duration_cast<std::chrono::seconds>(t->due - sim_.now());
        note(std::string(sim_.state().nudged ? "the conversation closes" : "a nudge comes") +
             " after " + std::to_string(in.count()) + "s of silence (try /wait)");
      }
    }
  }

  std::shared_ptr<const bot_model> bot_;
  simulator_options options_;
  simulator sim_;
  std::FILE* out_;
  std::vector<button> buttons_;
  bool numbered_ = true;
};

// "2026-06-01T10:00:00Z", "2026-06-01T10:00Z", "2026-06-01T12:00:00+02:00"; nullopt when malformed.
std::optional<sys_ms> parse_utc_time(const std::string& text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, used = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &used) != 5)
    return std::nullopt;
  std::string rest = text.substr(std::size_t(used));
  if (rest.size() >= 3 && rest[0] == ':') {
    int n = 0;
    if (std::sscanf(rest.c_str(), ":%2d%n", &sec, &n) != 1 || n != 3) return std::nullopt;
    rest.erase(0, 3);
  }
  int offset_minutes = 0;
  if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    int oh = 0, om = 0, n = 0;
    if (std::sscanf(rest.c_str() + 1, "%2d:%2d%n", &oh, &om, &n) != 2 || n != 5)
      return std::nullopt;
    offset_minutes = (rest[0] == '-' ? -1 : 1) * (oh * 60 + om);
  } else if (rest != "Z") {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year{y}, std::chrono::month(unsigned(mo)),
                                         std::chrono::day(unsigned(d))};
  if (!date.ok() || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  return std::chrono::sys_days(date) + std::chrono::hours(h) + std::chrono::minutes(mi) +
         std::chrono::seconds(sec) - std::chrono::minutes(offset_minutes);
}

}  // namespace

int chat_command(const arguments& args, std::istream& in, std::FILE* out, std::FILE* err) {
  cli_args cli(args, {"locale", "channel", "seed", "now"}, {});
  if (cli.positional().size() != 1) {
    std::fputs(
        "usage: rapport chat <bot-folder> [--locale de] [--channel web] [--seed N] "
        "[--now 2026-06-01T10:00:00Z]\n",
        err);
    return 2;
  }
  simulator_options options;
  options.locale = cli.get("locale");
  options.channel = cli.get("channel", "web");
  options.seed = std::stoull(cli.get("seed", "1"));
  options.start_time =
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  if (cli.has("now")) {
    auto now = parse_utc_time(cli.get("now"));
    if (!now) {
      std::fprintf(err,
                   "rapport chat: --now expects a time such as 2026-06-01T10:00:00Z, got '%s'\n",
                   cli.get("now").c_str());
      return 2;
    }
    options.start_time = *now;
  }
  auto loaded = load_bot(std::filesystem::path(cli.positional()[0]));
  for (const auto& d : loaded.diagnostics)
    if (d.level == severity::error) std::fprintf(err, "%s\n", format_diagnostic(d).c_str());
  if (!loaded.model) return 1;
  chat_session(loaded.model, options, out).run(in);
  return 0;
}

int chat_command(const arguments& args) {
  return chat_command(args, std::cin, stdout, stderr);
}

}  // namespace rapport::app
