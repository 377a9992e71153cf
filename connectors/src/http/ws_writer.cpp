#include "http/ws_writer.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/websocket.hpp>

namespace rapport::connectors::http {
namespace {
// A batch stops growing here (a long replay goes out as several messages).
constexpr std::size_t max_batch_bytes = 64 * 1024;
}  // namespace

void ws_writer::send(std::string frame, const std::shared_ptr<void>& owner) {
  if (queue_.size() >= max_queued_) {
    // The client does not read fast enough: drop it rather than buffer without bound.
    counters_.slow_clients_dropped.fetch_add(1);
    failed_();
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).close(ignored);
    return;
  }
  queue_.push_back(std::move(frame));
  if (writing_ || flush_posted_) return;
  // Once this handler has returned: whatever else it sends goes in the same write.
  flush_posted_ = true;
  net::post(ws_.get_executor(), [this, owner] {
    flush_posted_ = false;
    if (!writing_ && !discarded_ && !queue_.empty()) write_next(owner);
  });
}

void ws_writer::close(boost::beast::websocket::close_reason reason, const std::shared_ptr<void>& owner) {
  if (writing_ || !queue_.empty()) {
    // Flush what is queued first (e.g. the error frame that caused this).
    close_after_ = std::make_unique<boost::beast::websocket::close_reason>(reason);
    if (!writing_) write_next(owner);
    return;
  }
  ws_.async_close(reason, [owner](beast::error_code) {});
}

void ws_writer::discard() {
  discarded_ = true;
  while (queue_.size() > (writing_ ? 1u : 0u)) queue_.pop_back();
}

void ws_writer::merge_waiting() {
  auto end = std::next(queue_.begin());
  std::size_t bytes = 2 + queue_.front().size();
  while (end != queue_.end() && bytes + 1 + end->size() <= max_batch_bytes) bytes += 1 + (end++)->size();
  writing_frames_ = static_cast<std::size_t>(std::distance(queue_.begin(), end));
  if (writing_frames_ == 1) return;
  std::string batch;
  batch.reserve(bytes);
  batch += '[';
  for (auto it = queue_.begin(); it != end; ++it) {
    if (it != queue_.begin()) batch += ',';
    batch += *it;
  }
  batch += ']';
  queue_.erase(queue_.begin(), end);
  queue_.push_front(std::move(batch));
}

void ws_writer::write_next(std::shared_ptr<void> owner) {
  writing_ = true;
  writing_frames_ = 1;
  if (batch_ && queue_.size() > 1) merge_waiting();
  ws_.async_write(net::buffer(queue_.front()), [this, owner](beast::error_code ec, std::size_t) {
    writing_ = false;
    queue_.pop_front();
    if (ec) return failed_();
    counters_.frames_out.fetch_add(writing_frames_);
    if (discarded_) return;
    if (!queue_.empty()) return write_next(owner);
    if (close_after_) ws_.async_close(*std::exchange(close_after_, nullptr), [owner](beast::error_code) {});
  });
}

}  // namespace rapport::connectors::http
