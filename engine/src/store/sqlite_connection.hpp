#pragma once
// A thin RAII wrapper over one SQLite connection and its prepared statements. Errors are values:
// a statement remembers its first error, so a sequence of binds and steps is checked once.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace rapport::engine::sqlite {

class statement {
 public:
  statement(sqlite3* db, std::string_view sql);
  ~statement();
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;

  // Clears bindings and the latched error so the statement can run again.
  statement& reset();
  statement& bind(int index, std::string_view text);  // copies the text
  statement& bind(int index, std::int64_t number);
  statement& bind_null(int index);
  // Binds ?1, ?2, ... in order: text (string_view, nullopt for NULL) without copying it, so it
  // must stay alive until the statement has run — e.g. `s.bind_values(a, f(b)).run()`, where the
  // temporary f(b) lives to the end of the expression — and integers.
  template <class... Values>
  statement& bind_values(const Values&... values) {
    int index = 0;
    (bind_value(++index, values), ...);
    return *this;
  }

  // Advances: true when a row is available, false when done or on error (see ok()).
  bool step();
  // Runs to completion (INSERT, UPDATE, DELETE); true on success.
  bool run();

  std::int64_t integer(int column) const;
  std::string text(int column) const;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  int result_code() const { return rc_; }

 private:
  void check(int rc);
  void bind_value(int index, std::optional<std::string_view> text);
  void bind_value(int index, std::int64_t number) { bind(index, number); }

  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string error_;
  int rc_ = 0;
};

class connection {
 public:
  // Opens (and creates, unless read_only) the database; nullopt with `error` set on failure.
  static std::unique_ptr<connection> open(const std::string& path, bool read_only,
                                          std::chrono::milliseconds busy_timeout,
                                          std::string& error);
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  // Runs one or more statements without results; empty string on success, else the error.
  // Parses the SQL at every call: for start-up and migrations.
  std::string exec(std::string_view sql);
  // Runs one statement without parameters or results (BEGIN, COMMIT, SAVEPOINT ...), prepared
  // once and cached; empty string on success, else the error.
  std::string run(std::string_view sql);
  // A prepared statement, cached by its SQL text, reset and ready to bind.
  statement& prepare(std::string_view sql);

  sqlite3* handle() const { return db_; }

 private:
  explicit connection(sqlite3* db) : db_(db) {}

  // Looked up by string_view: no allocation per prepare().
  struct sql_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const {
      return std::hash<std::string_view>{}(sql);
    }
  };

  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<statement>, sql_hash, std::equal_to<>>
      statements_;
};

}  // namespace rapport::engine::sqlite
