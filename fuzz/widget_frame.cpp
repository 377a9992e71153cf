// Fuzz target: frames a widget client sends over the WebSocket (connectors/src/widget/protocol.hpp).
// Any text is a frame or a refusal with one of the protocol's error codes, and whatever is
// accepted or refused serialises back to JSON.
#include <boost/json/parse.hpp>

#include "fuzz_input.hpp"
#include "widget/protocol.hpp"

using namespace rapport;
using namespace rapport::connectors::widget;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = fuzz::as_text(data, size);
  for (const parse_limits& limits : {parse_limits{}, parse_limits{8, 4, 8}}) {
    auto parsed = parse_client_frame(text, limits);
    if (!parsed.ok()) {
      fuzz::expect(!parsed.error().code.empty(), "refusal has a code");
      boost::json::parse(error_json(parsed.error()));  // throws (a crash here) if not JSON
      continue;
    }
    if (const auto* hello = std::get_if<hello_frame>(&parsed.frame())) context_from_hello(*hello);
    if (const auto* message = std::get_if<message_frame>(&parsed.frame()))
      boost::json::parse(ack_json(message->id, 1));
  }
  return 0;
}
