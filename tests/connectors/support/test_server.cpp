// The loopback support of test_server.hpp: the server and its engine (the clients are in
// test_clients.cpp).
#include "support/test_server.hpp"

#include <sqlite3.h>
#include <stdlib.h>

namespace rapport::testing {
connectors::server_options test_options() {
  connectors::server_options o;
  o.address = "127.0.0.1";
  o.port = 0;
  o.limits.shutdown_grace = 5s;
  return o;
}

std::string fixture_bot() { return std::string(RAPPORT_SOURCE_DIR) + "/tests/connectors/fixtures/echo"; }

temp_dir::temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "rapport-connectors-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

test_server::test_server(connectors::server_options options, engine_setup setup)
    : work_(net::make_work_guard(io_)) {
  engine_ = make_engine(options, std::move(setup));
  start(std::move(options));
}

test_server::test_server(connectors::server_options options, backend b)
    : work_(net::make_work_guard(io_)) {
  if (b == backend::real) {
    engine_ = make_engine(options, engine_setup{});
  } else {
    auto fake = std::make_unique<mocks::fake_engine>(io_);
    fake_ = fake.get();
    engine_ = std::move(fake);
  }
  start(std::move(options));
}

void test_server::stop() {
  if (stopped_) return;
  stopped_ = true;
  auto done = std::make_shared<std::promise<void>>();
  server_->stop([done] { done->set_value(); });
  const bool finished = done->get_future().wait_for(30s) == std::future_status::ready;
  CHECK_MESSAGE(finished, "server::stop did not complete");
  halt();
}

void test_server::crash() {
  if (stopped_) return;
  stopped_ = true;
  halt();
}

void test_server::halt() {
  work_.reset();
  io_.stop();
  for (auto& t : threads_) t.join();
  server_.reset();
  engine_.reset();
}

std::uint16_t test_server::port() const { return server_->port(); }

mocks::fake_engine& test_server::fake() {
  REQUIRE(fake_ != nullptr);
  return *fake_;
}

std::vector<engine::transcript_entry> test_server::transcript(const std::string& id, std::int64_t after) {
  auto p = std::make_shared<std::promise<engine::result<std::vector<engine::transcript_entry>>>>();
  engine_->transcript(id, after, [p](auto r) { p->set_value(std::move(r)); });
  auto f = p->get_future();
  REQUIRE(f.wait_for(safety_deadline) == std::future_status::ready);
  auto r = f.get();
  REQUIRE(r.has_value());
  return *r;
}

int test_server::copies_of(const std::string& id, const std::string& client_id) {
  int n = 0;
  for (const auto& e : transcript(id)) n += e.by == engine::author::visitor && e.client_id == client_id;
  return n;
}

int test_server::visitor_messages(const std::string& id) {
  int n = 0;
  for (const auto& e : transcript(id)) n += e.by == engine::author::visitor;
  return n;
}

std::string test_server::sql(const std::string& query) const {
  sqlite3* db = nullptr;
  const auto path = std::filesystem::path(data_dir_in_use_) / "rapport.db";
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, query.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
  std::string out;
  if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
    out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

std::unique_ptr<engine::engine> test_server::make_engine(const connectors::server_options& options,
                                                         engine_setup setup) {
  engine::engine_options eo;
  eo.data_dir = data_dir_in_use_ = setup.data_dir.empty() ? data_dir_.path().string() : setup.data_dir;
  eo.bot_folders = std::move(setup.bot_folders);
  eo.max_message_bytes = options.limits.max_message_bytes;
  eo.clock = std::move(setup.clock);
  eo.reload_poll = setup.reload_poll;
  eo.timer_check = setup.timer_check;
  eo.log = setup.log ? std::move(setup.log) : [](std::string_view) {};
  eo.http = connectors::make_http_client(io_);
  eo.desk = std::move(setup.desk);
  return engine::engine::create(eo, io_);
}

void test_server::start(connectors::server_options options) {
  server_ = std::make_unique<connectors::server>(io_, *engine_, std::move(options));
  server_->start();
  for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
}

}  // namespace rapport::testing
