#include "http/origin.hpp"

#include <algorithm>
#include <cctype>

#include <boost/url/parse.hpp>

namespace rapport::connectors::http {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

struct authority {
  std::string scheme, host, port;
};

bool parse_origin(std::string_view text, authority& out) {
  auto u = boost::urls::parse_uri(text);
  if (!u || !u->has_authority()) return false;
  out.scheme = lower(u->scheme());
  if (out.scheme != "http" && out.scheme != "https") return false;
  if (u->has_userinfo() || (!u->encoded_path().empty() && u->encoded_path() != "/")) return false;
  out.host = lower(u->encoded_host());
  if (out.host.empty()) return false;
  out.port = std::string(u->port());
  const std::string default_port = out.scheme == "https" ? "443" : "80";
  if (out.port == default_port) out.port.clear();
  return true;
}

}  // namespace

std::string normalize_origin(std::string_view origin) {
  origin = trim(origin);
  if (origin == "*") return "*";
  authority a;
  if (!parse_origin(origin, a)) return {};
  std::string out = a.scheme + "://" + a.host;
  if (!a.port.empty()) out += ":" + a.port;
  return out;
}

bool origin_allowed(std::string_view origin, std::string_view host_header,
                    const std::vector<std::string>& allowed) {
  origin = trim(origin);
  const bool any = std::find(allowed.begin(), allowed.end(), "*") != allowed.end();
  if (origin.empty()) return true;
  if (any) return true;
  authority a;
  if (!parse_origin(origin, a)) return false;
  const std::string normalized = normalize_origin(origin);
  if (std::find(allowed.begin(), allowed.end(), normalized) != allowed.end()) return true;
  // Same origin: the Host header names the origin's host and port.
  auto h = boost::urls::parse_authority(trim(host_header));
  if (!h) return false;
  std::string host = lower(h->encoded_host());
  std::string port(h->port());
  const std::string default_port = a.scheme == "https" ? "443" : "80";
  if (port == default_port) port.clear();
  return host == a.host && port == a.port;
}

bool is_trusted(std::string_view peer, const std::vector<std::string>& trusted_proxies) {
  return std::find(trusted_proxies.begin(), trusted_proxies.end(), peer) != trusted_proxies.end();
}

std::string client_address(std::string_view peer, std::string_view x_forwarded_for,
                           const std::vector<std::string>& trusted_proxies) {
  if (!is_trusted(peer, trusted_proxies) || trim(x_forwarded_for).empty()) return std::string(peer);
  std::string_view rest = x_forwarded_for;
  std::string_view last;
  while (!rest.empty()) {
    const auto comma = rest.rfind(',');
    std::string_view item = trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(0, comma);
    if (item.empty()) continue;
    last = item;
    if (!is_trusted(item, trusted_proxies)) return std::string(item);
  }
  return std::string(last.empty() ? peer : last);
}

}  // namespace rapport::connectors::http
