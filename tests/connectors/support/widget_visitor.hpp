#pragma once
// A visitor on the widget WebSocket, for the loopback conversation tests: it joins or resumes a
// conversation and reads the transcript entries the server pushes, checking on every frame what
// each connection guarantees — entries arrive in seq order, each exactly once, with no gap after
// the `last_seq` of its hello.
#include <map>

#include "support/test_server.hpp"

namespace rapport::testing {

inline json::value str(std::string_view s) { return json::value(json::string(s)); }

inline std::string text_of(const json::object& message) {
  return json::value_to<std::string>(message.at("text"));
}

// The buttons of a message frame as (label, payload) pairs.
inline std::vector<std::pair<std::string, std::string>> buttons_of(const json::object& message) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& b : message.at("buttons").as_array())
    out.emplace_back(json::value_to<std::string>(b.at("label")), json::value_to<std::string>(b.at("payload")));
  return out;
}

class widget_visitor {
 public:
  widget_visitor(const test_server& s, std::string bot) : ws_(s.port(), s.origin()), bot_(std::move(bot)) {
    REQUIRE_FALSE(ws_.handshake_error());
  }

  // Sends hello (a new conversation when `conversation` is empty) and returns the welcome.
  json::object hello(const std::string& conversation = {}, const std::string& token = {},
                     std::int64_t last_seq = 0) {
    last_seq_ = last_seq;
    auto frame = testing::hello(bot_, conversation, token, last_seq);
    frame["page"].as_object()["url"] = page_url;
    if (batch) frame["batch"] = true;
    ws_.send(frame);
    auto welcome = ws_.read_until("welcome");
    REQUIRE(welcome["type"] == "welcome");
    conversation_ = json::value_to<std::string>(welcome["conversation"]);
    token_ = json::value_to<std::string>(welcome["token"]);
    return welcome;
  }

  void start() { ws_.send(json::object{{"type", "start"}}); }
  void event(std::string name, json::object props = {}) {
    ws_.send(json::object{{"type", "event"}, {"name", name}, {"props", props}});
  }
  void say(const std::string& id, const std::string& text, const std::string& payload = {}) {
    ws_.send(message(id, text, payload));
  }
  // A button click: its label as the text, its payload.
  void click(const std::string& id, const json::object& shown, const std::string& payload) {
    for (const auto& [label, p] : buttons_of(shown))
      if (p == payload) return say(id, label, payload);
    FAIL("no button with payload " << payload << " in: " << json::serialize(shown));
  }

  // The next transcript entry pushed to this connection (the acks, owner changes and errors on
  // the way are recorded). Empty when the connection ended first.
  json::object next_message() {
    for (;;) {
      auto f = read_frame();
      if (f.empty() || f["type"] == "message") return f;
    }
  }
  // The next message from the bot (the visitor's own messages on the way are skipped).
  json::object next_bot_message() {
    for (;;) {
      auto m = next_message();
      if (m.empty() || m["role"] != "visitor") return m;
    }
  }
  // Reads until the message with that key; returns it (empty if the connection ended first).
  json::object message_with_key(std::string_view key) {
    for (;;) {
      auto m = next_message();
      if (m.empty() || m["key"] == str(key)) return m;
    }
  }
  // Reads until the ack of message `id` has arrived; returns the seq it acknowledges (0 when the
  // connection ended first).
  std::int64_t wait_for_ack(const std::string& id) {
    while (!acks_.contains(id))
      if (read_frame().empty()) return 0;
    return acks_[id];
  }
  // Reads until this connection has shown every entry the server has committed so far.
  void catch_up(test_server& s) {
    const auto entries = s.transcript(conversation_);
    const std::int64_t last = entries.empty() ? 0 : entries.back().seq;
    while (last_seq_ < last) REQUIRE_FALSE(next_message().empty());
  }

  // How many of the messages shown on this connection carry that key.
  int count_key(std::string_view key) const {
    int n = 0;
    for (const auto& m : messages) n += m.at("key") == str(key);
    return n;
  }

  const std::string& conversation() const { return conversation_; }
  const std::string& token() const { return token_; }
  std::int64_t last_seq() const { return last_seq_; }
  ws_client& socket() { return ws_; }

  std::string page_url = "https://shop.example/?utm_source=test";  // sent with hello
  bool batch = false;  // hello asks for batches (several frames per message)
  std::vector<json::object> messages;  // every transcript entry shown, in order
  std::vector<std::string> owners;     // owner frames, in order
  std::vector<json::object> errors;

 private:
  json::object read_frame() {
    auto f = ws_.read();
    if (f.empty()) return f;
    const auto& type = f["type"];
    if (type == "ack") {
      acks_[json::value_to<std::string>(f["id"])] = f["seq"].as_int64();
    } else if (type == "owner") {
      owners.push_back(json::value_to<std::string>(f["owner"]));
    } else if (type == "error") {
      errors.push_back(f);
    } else if (type == "message") {
      const auto seq = f["seq"].as_int64();
      CHECK_MESSAGE(seq == last_seq_ + 1, "seq " << seq << " arrived after " << last_seq_);
      last_seq_ = std::max(last_seq_, seq);
      messages.push_back(f);
    }
    return f;
  }

  ws_client ws_;
  std::string bot_, conversation_, token_;
  std::int64_t last_seq_ = 0;
  std::map<std::string, std::int64_t> acks_;  // message id → seq
};

}  // namespace rapport::testing
