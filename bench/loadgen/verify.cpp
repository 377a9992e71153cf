// --verify: after the run, every conversation a visitor played is read back through the REST
// transcript endpoint and compared with what the visitor saw. This is what the crash test relies
// on: nothing acknowledged is lost, nothing is delivered or answered twice, conversations went on
// where they were, and a silent visitor got exactly one nudge.
#include "http_conn.hpp"
#include "verify_check.hpp"

namespace rapport::bench {

net::awaitable<void> verify_records(generator_thread& t) {
  http_conn conn(t.run.opt, t.source_for(t.index));
  for (const auto& r : t.records) {
    auto reply = co_await conn.request(boost::beast::http::verb::get,
                                       "/api/v1/conversations/" + r.id + "/transcript?after=0", {}, r.token);
    if (!reply || reply->status != 200) {
      t.st.error(reply ? "verify_http_" + std::to_string(reply->status) : "verify_http_io");
      continue;
    }
    for (const auto& p : check_conversation(r, transcript_rows(reply->body), t.run.steps, t.run.opt.nudge_key)) t.st.error(p);
  }
}

}  // namespace rapport::bench
