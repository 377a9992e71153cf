#pragma once
// The widget WebSocket protocol's frames (docs/protocols/widget.md) as values: parsing what the
// client sends (errors as values with the protocol's error codes) and writing what the server
// sends. Pure functions, no I/O.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "rapport/dialogs/value.hpp"
#include "rapport/engine/engine.hpp"

namespace rapport::connectors::widget {

struct hello_frame {
  std::string bot;
  std::string conversation;  // empty: start a new one
  std::string token;
  std::int64_t last_seq = 0;
  std::string locale;
  std::string page_url, page_title, referrer;
  bool batch = false;  // the client takes several frames in one message (a JSON array)
};
struct start_frame {};
struct message_frame {
  std::string id;
  std::string text;
  std::string payload;
};
struct event_frame {
  std::string name;
  dialogs::value_map props;
};
struct typing_frame {
  bool on = false;
};
struct seen_frame {
  std::int64_t seq = 0;
};
struct closed_frame {};

using client_frame = std::variant<hello_frame, start_frame, message_frame, event_frame,
                                  typing_frame, seen_frame, closed_frame>;

// A refused frame: the protocol's error code, a message for the developer and, for `message`
// frames, the id of the refused message.
struct frame_error {
  std::string code;  // bad_json, bad_frame, too_long, ...
  std::string message;
  std::string id;
};

struct parsed_frame {
  std::variant<client_frame, frame_error> result;
  bool ok() const { return result.index() == 0; }
  const client_frame& frame() const { return std::get<0>(result); }
  const frame_error& error() const { return std::get<1>(result); }
};

struct parse_limits {
  std::size_t max_message_bytes = 4096;
  std::size_t max_id_bytes = 128;
  std::size_t max_field_bytes = 2048;  // bot, locale, page fields, event names
};

parsed_frame parse_client_frame(std::string_view text, const parse_limits& limits = {});

// The conversation's context from a hello: page (the URL's path), page_url, page_title, referrer
// and the page URL's utm_* parameters.
dialogs::value_map context_from_hello(const hello_frame& hello);

// ---- server → client
std::string welcome_json(const engine::conversation_ref& c, bool resumed);
// `live`: a message the visitor has not seen yet (gets a pacing hint); replays get pace_ms 0.
std::string message_json(const engine::transcript_entry& e, bool live);
std::string ack_json(std::string_view id, std::int64_t seq);
std::string typing_json(engine::author who, bool on);
std::string seen_json(engine::author who, std::int64_t seq);
std::string owner_json(std::string_view owner);
std::string error_json(const frame_error& e);

// A natural typing delay for a bot message: about 30 ms per character, 400 ms to 2.5 s.
int pace_ms(std::string_view text);

// The protocol's error code for an engine error.
std::string error_code_for(const boost::system::error_code& ec);

}  // namespace rapport::connectors::widget
