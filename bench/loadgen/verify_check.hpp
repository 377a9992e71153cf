#pragma once
// The crash test's checks, as a pure function: what a visitor saw of a conversation against the
// conversation's transcript read back from the store.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "script.hpp"

namespace rapport::bench {

// What one visitor saw of one conversation, checked against the transcript by --verify.
struct conversation_record {
  std::string id;
  std::string token;
  bool silent = false;
  std::size_t steps_answered = 0;                 // script steps whose reply arrived
  std::map<std::string, std::int64_t> acked;      // client message id → acknowledged seq
  std::map<std::int64_t, std::string> received;   // seq → "role key" as delivered
};

struct transcript_row {
  std::int64_t seq = 0;
  std::string role, key, client_id;
};

// The entries of a GET /api/v1/conversations/{id}/transcript response.
std::vector<transcript_row> transcript_rows(const boost::json::value& body);

// The problems found, as error kinds (empty: the conversation is as it must be):
//   verify_seq_gap                  the transcript's seqs are not 1, 2, 3, ...
//   verify_visitor_message_twice    one client message id stored twice
//   verify_acked_message_lost       an acknowledged message is not in the transcript
//   verify_acked_seq_differs        ... or not at the seq its ack named
//   verify_delivered_differs        what the visitor was sent at a seq is not what is stored there
//   verify_reply_count / _order     the bot did not answer each step once, in the script's order
//   verify_nudges_N                 a silent visitor's conversation has N nudges, not one
std::vector<std::string> check_conversation(const conversation_record& r,
                                            const std::vector<transcript_row>& transcript,
                                            const script& steps, const std::string& nudge_key);

}  // namespace rapport::bench
