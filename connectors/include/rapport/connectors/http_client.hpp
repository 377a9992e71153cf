#pragma once
// Outbound HTTP(S) for the engine's webhooks (engine::http_client) and for connectors that call
// platform APIs. Boost.Beast underneath; nothing of it shows here.
//
// - http and https; https verifies the peer against the system's trust store (plus any CA given
//   here) and checks the certificate's host name; SNI is sent.
// - request.timeout bounds the whole exchange (resolve, connect, handshake, send, receive).
// - A response body over request.max_response_bytes is an error, as are transport failures and
//   the timeout; any HTTP status is a response. Redirects are not followed.
// - One connection per request (webhooks are rare; no pooling).
#include <memory>
#include <string>

#include "rapport/engine/http_client.hpp"

namespace boost::asio {
class io_context;
}

namespace rapport::connectors {

struct http_client_options {
  bool verify_peer = true;          // false only for tests against self-signed peers
  std::string extra_ca_file;        // PEM file of further trusted CAs (a private CA)
  std::string extra_ca_pem;         // the same, inline
  std::string user_agent = "rapport/0.1";
};

// Throws std::runtime_error at start-up when a CA file cannot be read.
std::shared_ptr<engine::http_client> make_http_client(boost::asio::io_context& io,
                                                      http_client_options options = {});

}  // namespace rapport::connectors
