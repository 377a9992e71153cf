#pragma once
// The SQLite schema as numbered migrations, applied in order. Never edit a released migration:
// add a new one. docs/operations/storage.md describes the tables.
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite_connection.hpp"

namespace rapport::engine::sqlite {

struct migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

const std::vector<migration>& migrations();

// Brings the database to the newest version; empty string on success, else why not.
std::string migrate(connection& db);

// The version recorded in schema_version; 0 for a new database, -1 when unreadable.
int current_version(connection& db);

}  // namespace rapport::engine::sqlite
