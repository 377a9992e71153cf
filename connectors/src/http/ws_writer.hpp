#pragma once
// The writing half of a WebSocket session (the widget's and the agent console's): one write in
// flight, a bounded queue behind it, and a close that first flushes what is queued. Used from
// the session's strand only; every operation takes the session as `owner`, which keeps it (and
// this writer, its member) alive until the write completes.
//
// A frame is not written at once: the write starts once the current handler has returned, so
// the frames one handler sends (a turn's replies and their ack) leave together. With batching
// on (the client asked for it), every frame waiting when a write starts goes in that write as
// one message, a JSON array of the frames in order: one message and one system call where there
// were several.
#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <string>

#include "http/types.hpp"
#include "http/ws_stream.hpp"
#include "observability/metrics.hpp"

namespace rapport::connectors::http {

class ws_writer {
 public:
  using stream = ws_stream;

  // `failed` runs when a write fails (the connection is gone), or when a frame finds the queue
  // full (the client does not read fast enough: the connection is then closed).
  ws_writer(stream& ws, std::size_t max_queued, observability::counters& counters,
            std::function<void()> failed)
      : ws_(ws), max_queued_(max_queued), counters_(counters), failed_(std::move(failed)) {}

  void send(std::string frame, const std::shared_ptr<void>& owner);
  // Several frames per message from now on (JSON frames only: they are joined into an array).
  void batch(bool on) { batch_ = on; }
  // Sends the close frame once what is queued has been written.
  void close(boost::beast::websocket::close_reason reason, const std::shared_ptr<void>& owner);
  // The session is over: forget what is queued (the frame being written stays until it completes).
  void discard();

 private:
  void write_next(std::shared_ptr<void> owner);
  // Merges the waiting frames into the front one (batching), up to max_batch_bytes.
  void merge_waiting();

  stream& ws_;
  const std::size_t max_queued_;
  observability::counters& counters_;
  std::function<void()> failed_;
  // A list, not a deque: an idle connection holds no node (a deque allocates ~600 bytes up
  // front), and the frame being written never moves.
  std::list<std::string> queue_;
  std::size_t writing_frames_ = 0;  // how many frames the message being written holds
  bool writing_ = false;
  bool flush_posted_ = false;
  bool batch_ = false;
  bool discarded_ = false;
  // Boxed: a close_reason is ≈ 130 bytes (its reason is inline), and only a closing
  // connection needs one.
  std::unique_ptr<boost::beast::websocket::close_reason> close_after_;
};

}  // namespace rapport::connectors::http
