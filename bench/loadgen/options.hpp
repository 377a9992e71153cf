#pragma once
// Command-line options of the load generator (loadgen --help lists them).
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

namespace rapport::bench {

enum class protocol { widget, echo, rest };

struct options {
  protocol mode = protocol::widget;
  std::string host = "127.0.0.1";
  unsigned short port = 8080;
  std::string path = "/widget/ws";   // WebSocket path (widget, echo)
  std::string origin = "http://127.0.0.1:8080";
  std::string bot = "cx-opener";
  std::string script_file;           // empty: the built-in cx-opener script
  std::size_t visitors = 100;        // concurrent visitors (closed loop) or the cap (open loop)
  double rate = 0;                   // conversations started per second; 0: closed loop
  std::chrono::milliseconds duration{10'000};
  std::size_t conversations = 0;     // stop after this many started (0: until duration)
  std::size_t turns = 0;             // script steps per conversation (0: all)
  std::chrono::milliseconds think{0};        // pause between a reply and the next message
  std::chrono::milliseconds timeout{10'000}; // longest wait for one reply
  std::chrono::milliseconds ramp{0};         // spread the visitors' first connections over this
  unsigned threads = 1;
  unsigned sources = 1;              // source addresses 127.0.0.1 .. 127.0.0.<sources>
  int server_pid = 0;                // read CPU and RSS of this process
  // Hold: after its turns each visitor stays connected, idle; once all are idle the server's RSS
  // is read, then after `hold` everything stops.
  std::optional<std::chrono::milliseconds> hold;
  std::chrono::milliseconds settle{2000};  // wait before reading RSS in hold mode
  // Crash-test behaviour: reconnect and resume after a disconnect, then check every
  // conversation against the REST transcript at the end.
  bool batch = true;                 // widget: hello asks for batches (several frames per message)
  bool reconnect = false;
  bool verify = false;
  std::size_t silent = 0;            // this many visitors go quiet after one turn and expect one nudge
  std::string nudge_key = "rapport.nudge";
  std::chrono::milliseconds nudge_wait{20'000};
  std::string label;                 // prints a markdown table row with this label as well
};

// Parses argv; on a bad option prints why and returns nullopt (exit code 2).
std::optional<options> parse_options(int argc, char** argv);

}  // namespace rapport::bench
