#include <doctest/doctest.h>

#include <future>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/http/error.hpp>

#include "rapport/connectors/http_client.hpp"
#include "support/http_peer.hpp"

using namespace rapport;
using namespace rapport::testing;
namespace bhttp = boost::beast::http;
using namespace std::chrono_literals;

namespace {

// Runs the client on its own io_context thread and waits for the one completion.
struct client_fixture {
  boost::asio::io_context io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{io.get_executor()};
  std::thread thread{[this] { io.run(); }};
  ~client_fixture() {
    work.reset();
    io.stop();
    thread.join();
  }
  boost::system::result<engine::http_response> send(engine::http_client& c, engine::http_request r) {
    auto p = std::make_shared<std::promise<boost::system::result<engine::http_response>>>();
    auto calls = std::make_shared<std::atomic<int>>(0);
    c.send(std::move(r), [p, calls](boost::system::result<engine::http_response> res) {
      if (calls->fetch_add(1) == 0) p->set_value(std::move(res));
    });
    auto f = p->get_future();
    REQUIRE(f.wait_for(30s) == std::future_status::ready);
    return f.get();
  }
};

http_peer::response reply(unsigned status, std::string body) {
  http_peer::response res{static_cast<bhttp::status>(status), 11};
  res.set(bhttp::field::content_type, "application/json");
  res.body() = std::move(body);
  return res;
}

}  // namespace

TEST_CASE("http client: POST to a local peer with headers, body, query") {
  http_peer peer([](const http_peer::request& req) { return reply(201, R"({"ok":true})"); });
  client_fixture f;
  auto client = connectors::make_http_client(f.io);
  engine::http_request r;
  r.url = "http://127.0.0.1:" + std::to_string(peer.port()) + "/hooks/lead?source=rapport";
  r.headers = {{"X-Source", "rapport"}};
  r.body = R"({"email":"a@b.c"})";
  auto res = f.send(*client, r);
  REQUIRE(res.has_value());
  CHECK(res->status == 201);
  CHECK(res->body == R"({"ok":true})");
  auto got = peer.received();
  REQUIRE(got.size() == 1);
  CHECK(got[0].method() == bhttp::verb::post);
  CHECK(got[0].target() == "/hooks/lead?source=rapport");
  CHECK(got[0]["X-Source"] == "rapport");
  CHECK(got[0][bhttp::field::content_type] == "application/json");
  CHECK(got[0][bhttp::field::host] == "127.0.0.1:" + std::to_string(peer.port()));
  CHECK(got[0].body() == R"({"email":"a@b.c"})");
}

TEST_CASE("http client: any status is a response; GET works") {
  http_peer peer([](const http_peer::request&) { return reply(503, "busy"); });
  client_fixture f;
  auto client = connectors::make_http_client(f.io);
  engine::http_request r;
  r.method = "GET";
  r.url = "http://127.0.0.1:" + std::to_string(peer.port());
  auto res = f.send(*client, r);
  REQUIRE(res.has_value());
  CHECK(res->status == 503);
  CHECK(peer.received().at(0).target() == "/");
}

TEST_CASE("http client: the timeout bounds a peer that never answers") {
  http_peer peer([](const http_peer::request&) { return std::nullopt; });
  client_fixture f;
  auto client = connectors::make_http_client(f.io);
  engine::http_request r;
  r.url = "http://127.0.0.1:" + std::to_string(peer.port()) + "/slow";
  r.timeout = 100ms;
  auto res = f.send(*client, r);
  REQUIRE_FALSE(res.has_value());
  CHECK(res.error() == boost::beast::error::timeout);
}

TEST_CASE("http client: a response body over the limit is an error") {
  http_peer peer([](const http_peer::request&) { return reply(200, std::string(10000, 'x')); });
  client_fixture f;
  auto client = connectors::make_http_client(f.io);
  engine::http_request r;
  r.url = "http://127.0.0.1:" + std::to_string(peer.port());
  r.max_response_bytes = 1000;
  auto res = f.send(*client, r);
  REQUIRE_FALSE(res.has_value());
  CHECK(res.error() == bhttp::error::body_limit);
}

TEST_CASE("http client: bad URLs and refused connections are errors") {
  client_fixture f;
  auto client = connectors::make_http_client(f.io);
  engine::http_request r;
  r.url = "ftp://example.com/x";
  CHECK_FALSE(f.send(*client, r).has_value());
  r.url = "not a url";
  CHECK_FALSE(f.send(*client, r).has_value());
  std::uint16_t closed_port;
  {
    http_peer gone([](const http_peer::request&) { return reply(200, ""); });
    closed_port = gone.port();
  }
  r.url = "http://127.0.0.1:" + std::to_string(closed_port);
  CHECK_FALSE(f.send(*client, r).has_value());
}

TEST_CASE("http client: https verifies the peer and its host name") {
  const auto cert = make_self_signed("localhost");
  http_peer peer([](const http_peer::request&) { return reply(200, "secret"); }, cert);
  client_fixture f;
  engine::http_request r;
  r.url = "https://localhost:" + std::to_string(peer.port()) + "/x";
  {
    // Not in the system store: refused.
    auto client = connectors::make_http_client(f.io);
    auto res = f.send(*client, r);
    REQUIRE_FALSE(res.has_value());
  }
  connectors::http_client_options trusting;
  trusting.extra_ca_pem = cert.cert_pem;
  auto client = connectors::make_http_client(f.io, trusting);
  auto res = f.send(*client, r);
  REQUIRE(res.has_value());
  CHECK(res->status == 200);
  CHECK(res->body == "secret");
  // The certificate names "localhost", not 127.0.0.1: refused.
  r.url = "https://127.0.0.1:" + std::to_string(peer.port()) + "/x";
  CHECK_FALSE(f.send(*client, r).has_value());
}
