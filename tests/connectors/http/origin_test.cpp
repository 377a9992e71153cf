#include <doctest/doctest.h>

#include "http/origin.hpp"

using namespace rapport::connectors::http;

TEST_CASE("origin: normalisation drops default ports and case") {
  CHECK(normalize_origin("https://WWW.Example.com:443") == "https://www.example.com");
  CHECK(normalize_origin("http://example.com:8080") == "http://example.com:8080");
  CHECK(normalize_origin("ftp://example.com") == "");
  CHECK(normalize_origin("not an origin") == "");
  CHECK(normalize_origin("https://example.com/path") == "");
  CHECK(normalize_origin("*") == "*");
}

TEST_CASE("origin: own origin, listed origins, wildcard") {
  const std::vector<std::string> allowed{"https://www.example.com"};
  CHECK(origin_allowed("http://127.0.0.1:8080", "127.0.0.1:8080", {}));
  CHECK(origin_allowed("https://chat.example.org", "chat.example.org", {}));
  CHECK(origin_allowed("https://chat.example.org", "chat.example.org:443", {}));
  CHECK_FALSE(origin_allowed("http://127.0.0.1:9999", "127.0.0.1:8080", {}));
  CHECK(origin_allowed("https://www.example.com", "rapport.internal:8080", allowed));
  CHECK(origin_allowed("https://WWW.EXAMPLE.COM:443", "rapport.internal:8080", allowed));
  CHECK_FALSE(origin_allowed("https://evil.example", "rapport.internal:8080", allowed));
  CHECK_FALSE(origin_allowed("http://www.example.com", "rapport.internal:8080", allowed));
  CHECK_FALSE(origin_allowed("null", "rapport.internal:8080", allowed));
  CHECK(origin_allowed("https://anything.example", "x", {"*"}));
  CHECK(origin_allowed("", "x", {}));  // non-browser clients send no Origin
}

TEST_CASE("origin: client address behind trusted proxies") {
  const std::vector<std::string> proxies{"127.0.0.1", "10.0.0.5"};
  CHECK(client_address("203.0.113.9", "1.2.3.4", proxies) == "203.0.113.9");  // untrusted peer
  CHECK(client_address("127.0.0.1", "", proxies) == "127.0.0.1");
  CHECK(client_address("127.0.0.1", "1.2.3.4", proxies) == "1.2.3.4");
  CHECK(client_address("127.0.0.1", "6.6.6.6, 1.2.3.4, 10.0.0.5", proxies) == "1.2.3.4");
  CHECK(client_address("127.0.0.1", " 10.0.0.5 ", proxies) == "10.0.0.5");
}
