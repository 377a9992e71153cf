// rapport chat <bot> [--locale de] [--channel web] [--seed N]
// Talk to a bot in the terminal with a fake clock. Buttons are numbered; type the number to click.
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
    "  type a message, or the number of a button to click it\n"
    "  /wait 5m        let time pass (nudges and timeouts fire)\n"
    "  /slots          show the slots\n"
    "  /state          show the whole conversation state (JSON)\n"
    "  /event NAME     send an event (page_view, proactive, ...)\n"
    "  /agent accept | unavailable | return [FLOW] | close [OUTCOME]   play the human side\n"
    "  /webhook ok JSON | fail   answer a pending webhook\n"
    "  /restart        start a new conversation\n"
    "  /quit           leave\n";

class chat_session {
 public:
  chat_session(std::shared_ptr<const bot_model> bot, simulator_options options)
      : bot_(std::move(bot)), options_(std::move(options)), sim_(bot_, options_) {}

  void run() {
    auto opening = sim_.start();
    std::printf("Chatting with %s (%s). Type /help for commands.\n", bot_->name.c_str(),
                sim_.state().locale.c_str());
    show(opening);
    std::string line;
    while (std::printf("> "), std::fflush(stdout), std::getline(std::cin, line)) {
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
      std::fputs(help_text, stdout);
    } else if (name == "/wait") {
      auto d = parse_duration(rest);
      if (!d) return note("expected a duration such as 30s, 5m or 1h30m");
      show(sim_.wait(*d));
    } else if (name == "/slots") {
      for (const auto& [k, v] : sim_.state().slots)
        std::printf("  %s = %s\n", k.c_str(), to_literal(v).c_str());
      if (sim_.state().slots.empty()) note("no slots filled yet");
    } else if (name == "/state") {
      std::printf("%s\n", to_json(sim_.state()).c_str());
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
    if (what == "accept") show(sim_.deliver(handoff_event{kind::accepted, "you", "", ""}));
    else if (what == "unavailable") show(sim_.deliver(handoff_event{kind::unavailable, "", "", ""}));
    else if (what == "return") show(sim_.deliver(handoff_event{kind::returned, "you", arg, ""}));
    else if (what == "close") show(sim_.deliver(handoff_event{kind::closed, "you", "", arg}));
    else note("expected /agent accept | unavailable | return [FLOW] | close [OUTCOME]");
  }

  std::optional<button> button_for(const std::string& line) const {
    if (line.empty() || line.size() > 3 || line.find_first_not_of("0123456789") != std::string::npos)
      return std::nullopt;
    const std::size_t n = std::stoul(line);
    if (n == 0 || n > buttons_.size()) return std::nullopt;
    return buttons_[n - 1];
  }

  void note(const std::string& text) { std::printf("  (%s)\n", text.c_str()); }

  void show(const std::vector<output>& outputs) {
    for (const auto& o : outputs) {
      if (const auto* m = std::get_if<message_out>(&o)) {
        std::printf("%s: %s\n", bot_->name.c_str(), m->text.c_str());
        if (!m->buttons.empty()) {
          buttons_ = m->buttons;
          std::string line = "   ";
          for (std::size_t i = 0; i < m->buttons.size(); ++i)
            line += " [" + std::to_string(i + 1) + "] " + m->buttons[i].label;
          std::printf("%s\n", line.c_str());
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
  std::vector<button> buttons_;
};

}  // namespace

int chat_command(const arguments& args) {
  cli_args cli(args, {"locale", "channel", "seed"}, {});
  if (cli.positional().size() != 1) {
    std::fputs("usage: rapport chat <bot-folder> [--locale de] [--channel web] [--seed N]\n",
               stderr);
    return 2;
  }
  auto loaded = load_bot(std::filesystem::path(cli.positional()[0]));
  for (const auto& d : loaded.diagnostics)
    if (d.level == severity::error) std::fprintf(stderr, "%s\n", format_diagnostic(d).c_str());
  if (!loaded.model) return 1;
  simulator_options options;
  options.locale = cli.get("locale");
  options.channel = cli.get("channel", "web");
  options.seed = std::stoull(cli.get("seed", "1"));
  chat_session(loaded.model, options).run();
  return 0;
}

}  // namespace rapport::app
