#pragma once
// Who is asking: the WebSocket Origin check and the client address behind trusted proxies.
// Pure functions.
#include <string>
#include <string_view>
#include <vector>

namespace rapport::connectors::http {

// "scheme://host[:port]" in lower case with the scheme's default port dropped; empty when the
// text is not an http(s) origin. "*" stays "*".
std::string normalize_origin(std::string_view origin);

// True when `origin` (the Origin header) is the server's own (its host and port equal the Host
// header's) or one of `allowed` (normalised origins, or "*"). A missing Origin (non-browser
// clients) is allowed; the literal "null" origin is not, unless "*" is allowed.
bool origin_allowed(std::string_view origin, std::string_view host_header,
                    const std::vector<std::string>& allowed);

// The client's address: the peer's, unless the peer is a trusted proxy; then the right-most
// X-Forwarded-For entry that is not itself a trusted proxy.
std::string client_address(std::string_view peer, std::string_view x_forwarded_for,
                           const std::vector<std::string>& trusted_proxies);

bool is_trusted(std::string_view peer, const std::vector<std::string>& trusted_proxies);

}  // namespace rapport::connectors::http
