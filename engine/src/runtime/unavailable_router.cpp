#include "rapport/engine/handoff_router.hpp"

namespace rapport::engine {

namespace {

class unavailable_router final : public handoff_router {
 public:
  void route(handoff_ticket, handoff_reply reply) override {
    reply(dialogs::handoff_event{dialogs::handoff_event::kind::unavailable, "", "", ""});
  }
};

}  // namespace

std::shared_ptr<handoff_router> make_unavailable_router() {
  return std::make_shared<unavailable_router>();
}

}  // namespace rapport::engine
