// Fuzz target: frames an agent console sends over its WebSocket (connectors/src/agent/
// agent_protocol.hpp). Any text is a frame or a refusal with one of the protocol's codes, and a
// refusal serialises back to JSON.
#include <boost/json/parse.hpp>

#include "agent/agent_protocol.hpp"
#include "fuzz_input.hpp"

using namespace rapport;
using namespace rapport::connectors::agent;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = fuzz::as_text(data, size);
  for (std::size_t max_message : {std::size_t(4096), std::size_t(4)}) {
    auto parsed = parse_agent_frame(text, max_message);
    if (const auto* e = std::get_if<frame_error>(&parsed)) {
      fuzz::expect(!e->code.empty(), "refusal has a code");
      boost::json::parse(error_json(*e));  // throws (a crash here) if not JSON
      continue;
    }
    if (const auto* m = std::get_if<message_frame>(&std::get<agent_frame>(parsed))) {
      fuzz::expect(!m->id.empty() && m->text.size() <= max_message, "an accepted message has an id and fits");
      boost::json::parse(ack_json(m->id, m->conversation, 1));
    }
  }
  return 0;
}
