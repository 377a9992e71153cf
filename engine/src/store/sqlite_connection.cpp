#include "store/sqlite_connection.hpp"

#include <sqlite3.h>

namespace rapport::engine::sqlite {

statement::statement(sqlite3* db, std::string_view sql) : db_(db) {
  check(sqlite3_prepare_v3(db_, sql.data(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt_,
                           nullptr));
}

statement::~statement() { sqlite3_finalize(stmt_); }

void statement::check(int rc) {
  rc_ = rc;
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE || !error_.empty()) return;
  error_ = sqlite3_errmsg(db_);
  if (error_.empty()) error_ = sqlite3_errstr(rc);
}

statement& statement::reset() {
  if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    error_.clear();
  }
  return *this;
}

statement& statement::bind(int index, std::string_view text) {
  if (stmt_ != nullptr && ok())
    check(sqlite3_bind_text(stmt_, index, text.data(), int(text.size()), SQLITE_TRANSIENT));
  return *this;
}

void statement::bind_value(int index, std::optional<std::string_view> text) {
  if (!text)
    bind_null(index);
  else if (stmt_ != nullptr && ok())
    check(sqlite3_bind_text(stmt_, index, text->data(), int(text->size()), SQLITE_STATIC));
}

statement& statement::bind(int index, std::int64_t number) {
  if (stmt_ != nullptr && ok()) check(sqlite3_bind_int64(stmt_, index, number));
  return *this;
}

statement& statement::bind_null(int index) {
  if (stmt_ != nullptr && ok()) check(sqlite3_bind_null(stmt_, index));
  return *this;
}

bool statement::step() {
  if (stmt_ == nullptr || !ok()) return false;
  int rc = sqlite3_step(stmt_);
  check(rc);
  return rc == SQLITE_ROW;
}

bool statement::run() {
  while (step()) {
  }
  if (stmt_ != nullptr) sqlite3_reset(stmt_);
  return ok();
}

std::int64_t statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string statement::text(int column) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return p == nullptr ? std::string{} : std::string(p, std::size_t(sqlite3_column_bytes(stmt_, column)));
}

std::unique_ptr<connection> connection::open(const std::string& path, bool read_only,
                                             std::chrono::milliseconds busy_timeout,
                                             std::string& error) {
  sqlite3* db = nullptr;
  // Each connection is used by one thread at a time: multi-thread mode, no per-call mutex.
  int flags = SQLITE_OPEN_NOMUTEX | (read_only ? SQLITE_OPEN_READONLY
                                                : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    error = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return nullptr;
  }
  sqlite3_busy_timeout(db, int(busy_timeout.count()));
  sqlite3_extended_result_codes(db, 1);
  return std::unique_ptr<connection>(new connection(db));
}

connection::~connection() {
  statements_.clear();
  sqlite3_close(db_);
}

std::string connection::exec(std::string_view sql) {
  char* message = nullptr;
  std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  std::string error;
  if (rc != SQLITE_OK) error = message != nullptr ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  return error;
}

std::string connection::run(std::string_view sql) {
  auto& s = prepare(sql);
  return s.run() ? std::string{} : s.error();
}

statement& connection::prepare(std::string_view sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end())
    it = statements_.emplace(std::string(sql), std::make_unique<statement>(db_, sql)).first;
  return it->second->reset();
}

}  // namespace rapport::engine::sqlite
