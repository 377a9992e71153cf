// HTTP mechanics over loopback: health, metrics, assets, keep-alive, limits, malformed input,
// graceful shutdown.
#include "support/test_server.hpp"

using namespace rapport;
using namespace rapport::testing;
using bhttp::verb;

TEST_CASE("server: /healthz and /readyz") {
  auto o = test_options();
  bool store_ok = true;
  o.store_ready = [&] { return store_ok; };
  test_server s(o);
  auto r = http_call(s.port(), verb::get, "/healthz");
  CHECK(r.status == 200);
  CHECK(r.json().as_object()["status"] == "ok");
  r = http_call(s.port(), verb::get, "/readyz");
  CHECK(r.status == 200);
  auto body = r.json().as_object();
  CHECK(body["status"] == "ready");
  CHECK(body["bots"].as_array()[0].as_object()["name"] == "echo");
  store_ok = false;
  r = http_call(s.port(), verb::get, "/readyz");
  CHECK(r.status == 503);
  CHECK(r.json().as_object()["failing"].as_array()[0] == "the store is not writable");
}

TEST_CASE("server: /readyz fails without bots and while shutting down (fake engine)") {
  test_server s(backend::fake);
  s.fake().bots.clear();
  auto r = http_call(s.port(), verb::get, "/readyz");
  CHECK(r.status == 503);
  CHECK(r.json().as_object()["failing"].as_array()[0] == "no bot is loaded");
}

TEST_CASE("server: /metrics in Prometheus text format with engine and server counters") {
  test_server s;
  {
    ws_client c(s.port(), s.origin());
    c.send(hello("echo"));
    c.read();
    c.send(message("m", "hi"));
    c.read_until("ack");
  }
  http_call(s.port(), verb::get, "/nope");
  auto r = http_call(s.port(), verb::get, "/metrics");
  REQUIRE(r.status == 200);
  CHECK(r.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
  const auto& text = r.raw.body();
  for (std::string_view line :
       {"# TYPE rapport_conversations_started_total counter", "rapport_conversations_started_total 1",
        "rapport_messages_total{direction=\"in\"} 1", "# TYPE rapport_blocked_sends_total counter",
        "# TYPE rapport_turn_latency_seconds histogram", "rapport_handoffs_total 0",
        "rapport_http_requests_total{status=\"404\"} 1", "rapport_websocket_connections_total 1",
        "rapport_websocket_frames_total{direction=\"in\"} 2"}) {
    INFO(line);
    CHECK(text.find(std::string(line) + "\n") != std::string::npos);
  }
  CHECK(text.find("rapport_connections_active ") != std::string::npos);
  CHECK(text.find("rapport_bot_info{bot=\"echo\",version=\"") != std::string::npos);
  CHECK(text.find("rapport_turn_latency_seconds_bucket{le=\"+Inf\"} ") != std::string::npos);
}

TEST_CASE("server: the demo page and assets with ETag revalidation; HEAD has no body") {
  test_server s;
  http_client c(s.port());
  auto page = c.request(verb::get, "/");
  REQUIRE(page.status == 200);
  CHECK(page.header("Content-Type") == "text/html; charset=utf-8");
  CHECK(page.header("X-Content-Type-Options") == "nosniff");
  const auto etag = page.header("ETag");
  CHECK_FALSE(etag.empty());
  // Same connection (keep-alive).
  auto again = c.request(verb::get, "/", {}, {{"If-None-Match", etag}});
  CHECK(again.status == 304);
  CHECK(again.raw.body().empty());
  auto head = c.request(verb::head, "/");
  CHECK(head.status == 200);
  CHECK(head.header("Content-Length") == std::to_string(page.raw.body().size()));
  auto missing = c.request(verb::get, "/no-such-file.js");
  CHECK(missing.status == 404);
  auto ws_plain = c.request(verb::get, "/widget/ws");
  CHECK(ws_plain.status == 426);
}

TEST_CASE("server: malformed HTTP gets a 400 problem and the connection is closed") {
  test_server s;
  http_client c(s.port());
  CHECK_FALSE(c.write_raw("GARBAGE / HTTP/9.9\r\nHost: x\r\n\r\n"));
  auto r = c.read();
  CHECK(r.status == 400);
  CHECK(r.header("Content-Type") == "application/problem+json");
  CHECK(c.closed_by_server());
  // The server is fine.
  CHECK(http_call(s.port(), verb::get, "/healthz").status == 200);
}

TEST_CASE("server: oversized headers get 431") {
  auto o = test_options();
  o.limits.max_header_bytes = 1024;
  test_server s(o);
  auto r = http_call(s.port(), verb::get, "/healthz", {}, {{"X-Big", std::string(4000, 'a')}});
  CHECK(r.status == 431);
}

TEST_CASE("server: connections over the per-IP limit get 429") {
  auto o = test_options();
  o.limits.connections_per_ip = 2;
  test_server s(o);
  http_client a(s.port());
  http_client b(s.port());
  CHECK(a.request(verb::get, "/healthz").status == 200);
  CHECK(b.request(verb::get, "/healthz").status == 200);
  http_client c(s.port());
  auto r = c.request(verb::get, "/healthz");
  CHECK(r.status == 429);
  CHECK(r.json().as_object()["type"] == "urn:rapport:problem:too_many_connections");
  CHECK(c.closed_by_server());
}

TEST_CASE("server: graceful shutdown closes idle keep-alive connections") {
  test_server s;
  http_client c(s.port());
  CHECK(c.request(verb::get, "/healthz").status == 200);
  s.stop();
  CHECK(c.closed_by_server());
}

TEST_CASE("server: port 0 binds an ephemeral port; a bad address throws at start") {
  test_server s;
  CHECK(s.port() != 0);
  boost::asio::io_context io;
  mocks::fake_engine e(io);
  auto o = test_options();
  o.address = "not-an-ip";
  connectors::server bad(io, e, o);
  CHECK_THROWS_AS(bad.start(), std::system_error);
  o.address = "127.0.0.1";
  o.port = s.port();  // in use
  connectors::server clash(io, e, o);
  CHECK_THROWS_AS(clash.start(), std::system_error);
}
