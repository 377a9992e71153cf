#include "rapport/dialogs/model.hpp"

namespace rapport::dialogs {

std::string describe(const step& s) {
  struct visitor {
    std::string operator()(const say_step& x) const { return "say " + x.message; }
    std::string operator()(const ask_step& x) const { return "ask " + x.slot; }
    std::string operator()(const branch_step& x) const { return "if " + x.condition.text(); }
    std::string operator()(const jump_step& x) const { return "jump " + std::to_string(x.target); }
    std::string operator()(const goto_step& x) const {
      return "goto " + x.flow + (x.step_id.empty() ? "" : "." + x.step_id);
    }
    std::string operator()(const call_step& x) const { return "call " + x.flow; }
    std::string operator()(const set_step& x) const {
      std::string out = "set";
      for (const auto& a : x.assignments) out += " " + a.name;
      return out;
    }
    std::string operator()(const handoff_step& x) const {
      return "handoff " + (x.team.empty() ? std::string("(default team)") : x.team);
    }
    std::string operator()(const webhook_step& x) const { return "webhook " + x.webhook; }
    std::string operator()(const track_step& x) const { return "track " + x.event; }
    std::string operator()(const end_step& x) const {
      return "end " + (x.outcome.empty() ? std::string("completed") : x.outcome);
    }
    std::string operator()(const return_step&) const { return "return"; }
  };
  return std::visit(visitor{}, s.body);
}

}  // namespace rapport::dialogs
