// engine::create: the public handle over the runtime. The runtime is shared with the handlers
// it has in flight, so destroying the handle never leaves one pointing at freed memory.
#include <boost/asio/io_context.hpp>

#include "runtime/runtime.hpp"

namespace rapport::engine {

namespace {

class engine_handle final : public engine {
 public:
  explicit engine_handle(std::shared_ptr<detail::runtime> r) : runtime_(std::move(r)) {}
  ~engine_handle() override { runtime_->close(); }

  void open(open_request request, std::function<void(result<open_result>)> done) override {
    runtime_->open(std::move(request), std::move(done));
  }
  void find(std::string id, std::string token,
            std::function<void(result<conversation_ref>)> done) override {
    runtime_->find(std::move(id), std::move(token), std::move(done));
  }
  void post_message(std::string id, dialogs::user_message message, std::string client_id,
                    std::function<void(result<post_result>)> done) override {
    runtime_->post_message(std::move(id), std::move(message), std::move(client_id), std::move(done));
  }
  void post_event(std::string id, dialogs::event e,
                  std::function<void(result<post_result>)> done) override {
    runtime_->post_event(std::move(id), std::move(e), std::move(done));
  }
  void typing(std::string id, author who, bool on) override {
    runtime_->typing(std::move(id), who, on);
  }
  void seen(std::string id, author who, std::int64_t seq) override {
    runtime_->seen(std::move(id), who, seq);
  }
  void transcript(std::string id, std::int64_t after_seq,
                  std::function<void(result<std::vector<transcript_entry>>)> done) override {
    runtime_->transcript(std::move(id), after_seq, std::move(done));
  }
  subscription subscribe(std::string id,
                         std::function<void(const conversation_update&)> listener) override {
    return runtime_->subscribe(std::move(id), std::move(listener));
  }
  engine_stats stats() const override { return runtime_->stats(); }
  agent_desk& desk() override { return runtime_->desk(); }
  void shutdown(std::function<void()> done) override { runtime_->shutdown(std::move(done)); }

 private:
  std::shared_ptr<detail::runtime> runtime_;
};

}  // namespace

std::unique_ptr<engine> engine::create(const engine_options& options, boost::asio::io_context& io) {
  auto r = std::make_shared<detail::runtime>(options, io);
  r->start();
  return std::make_unique<engine_handle>(std::move(r));
}

}  // namespace rapport::engine
