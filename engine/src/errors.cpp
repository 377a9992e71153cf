// The engine's error category and small enum names.
#include "rapport/engine/engine.hpp"

namespace rapport::engine {

namespace {

class category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "rapport.engine"; }
  std::string message(int e) const override {
    switch (static_cast<errc>(e)) {
      case errc::unknown_bot: return "no bot is loaded under that name";
      case errc::no_such_conversation: return "no such conversation (unknown id or wrong token)";
      case errc::bad_request: return "bad request";
      case errc::overloaded: return "too many events queued; try again later";
      case errc::shutting_down: return "the engine is shutting down";
      case errc::store_failed: return "the store could not commit; nothing was acknowledged";
    }
    return "unknown engine error";
  }
};

}  // namespace

const boost::system::error_category& engine_category() {
  static const category instance;
  return instance;
}

boost::system::error_code make_error_code(errc e) {
  return {static_cast<int>(e), engine_category()};
}

const char* to_string(author a) {
  switch (a) {
    case author::visitor: return "visitor";
    case author::bot: return "bot";
    case author::human: return "human";
    case author::system: return "system";
  }
  return "bot";
}

}  // namespace rapport::engine
