#include "http/ws_writer.hpp"

#include <boost/beast/websocket.hpp>

namespace rapport::connectors::http {

void ws_writer::send(std::string frame, const std::shared_ptr<void>& owner) {
  if (queue_.size() >= max_queued_) {
    // The client does not read fast enough: drop it rather than buffer without bound.
    counters_.slow_clients_dropped.fetch_add(1);
    failed_();
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
    return;
  }
  queue_.push_back(std::move(frame));
  if (!writing_) write_next(owner);
}

void ws_writer::close(boost::beast::websocket::close_reason reason, const std::shared_ptr<void>& owner) {
  if (writing_ || !queue_.empty()) {
    // Flush what is queued first (e.g. the error frame that caused this).
    close_after_ = reason;
    if (!writing_) write_next(owner);
    return;
  }
  ws_.async_close(reason, [owner](beast::error_code) {});
}

void ws_writer::discard() {
  discarded_ = true;
  while (queue_.size() > (writing_ ? 1u : 0u)) queue_.pop_back();
}

void ws_writer::write_next(std::shared_ptr<void> owner) {
  writing_ = true;
  ws_.async_write(net::buffer(queue_.front()), [this, owner](beast::error_code ec, std::size_t) {
    writing_ = false;
    queue_.pop_front();
    if (ec) return failed_();
    counters_.frames_out.fetch_add(1);
    if (discarded_) return;
    if (!queue_.empty()) return write_next(owner);
    if (close_after_) ws_.async_close(*std::exchange(close_after_, std::nullopt), [owner](beast::error_code) {});
  });
}

}  // namespace rapport::connectors::http
