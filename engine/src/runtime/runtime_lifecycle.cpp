// Start-up (store, bots, timers, recovery), background work (hot reload, eviction), shutdown.
#include <filesystem>
#include <iostream>

#include <boost/asio/post.hpp>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "runtime/runtime.hpp"

namespace rapport::engine::detail {

namespace asio = boost::asio;

namespace {

// Returns the allocator's free pages to the system (glibc otherwise keeps them, and the
// resident size never goes down after a crowd of conversations has gone).
void release_free_memory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

}  // namespace

runtime::runtime(const engine_options& options, asio::io_context& io)
    : options_(options),
      io_(io),
      background_(asio::make_strand(io)),
      reload_timer_(background_),
      sweep_timer_(background_) {
  clock_ = options_.clock ? options_.clock : [] {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  };
  if (!options_.log) {
    static std::mutex stderr_mutex;
    options_.log = [](std::string_view line) {
      std::lock_guard lock(stderr_mutex);
      std::cerr << line << '\n';
    };
  }
  if (options_.max_queued_events == 0) options_.max_queued_events = 1;
  http_ = options_.http;
}

runtime::~runtime() = default;

void runtime::log(std::string_view line) const { options_.log(line); }

void runtime::start() {
  if (options_.storage) {
    store_ = options_.storage;
  } else {
    sqlite_store_options o;
    o.path = (std::filesystem::path(options_.data_dir) / "rapport.db").string();
    o.log = options_.log;
    store_ = open_sqlite_store(o);  // throws with the reason
  }
  registry_ = std::make_shared<bot_registry>(*store_, options_.log, clock_);
  registry_->load_folders(options_.bot_folders);  // throws with every file:line:column

  timers_ = std::make_shared<timer_schedule>(
      io_, clock_, options_.timer_check,
      [weak = weak_from_this()](const std::string& id, const std::string& name, std::uint64_t seq) {
        if (auto self = weak.lock()) self->on_timer(id, name, seq);
      });
  rearm_timers();
  timers_->start();
  start_desk();
  recover_pending();
  if (!options_.bot_folders.empty()) schedule_reload();
  schedule_sweep();
}

void runtime::start_desk() {
  std::weak_ptr<runtime> weak = weak_from_this();
  desk_hooks hooks;
  hooks.deliver = [weak](const std::string& id, dialogs::handoff_event e) {
    if (auto self = weak.lock()) self->enqueue_internal(id, job_kind::follow_up, std::move(e));
  };
  hooks.post_human = [weak](const std::string& id, transcript_entry m, post_handler done) {
    if (auto self = weak.lock()) self->post_human(id, std::move(m), std::move(done));
  };
  hooks.typing = [weak](const std::string& id, bool on) {
    if (auto self = weak.lock()) self->typing(id, author::human, on);
  };
  hooks.flows = [weak](const std::string& bot) {
    std::vector<std::string> names;
    auto self = weak.lock();
    if (auto model = self ? self->registry_->current(bot) : nullptr) names = model->flow_order;
    return names;
  };
  hooks.clock = clock_;
  hooks.log = options_.log;
  desk_ = std::make_shared<detail::desk>(io_, options_.desk, store_, std::move(hooks));
  desk_->start();  // throws when the store cannot be read
  router_ = options_.handoff ? options_.handoff : desk_;
  outbox_ = std::make_shared<outbox_dispatcher>(io_, store_, http_, options_.desk.crm, clock_,
                                                options_.log, options_.timer_check);
  outbox_->start();
}

void runtime::rearm_timers() {
  auto stored = store_->timers();
  if (!stored) throw std::runtime_error("cannot read the stored timers: " + stored.error().message());
  // Overdue ones (the server was down when they were due) fire at once.
  for (const auto& t : *stored)
    timers_->set(t.conversation_id, t.name, dialogs::sys_ms(std::chrono::milliseconds(t.due_ms)),
                 t.seq);
}

void runtime::recover_pending() {
  auto pending = store_->conversations_pending();
  if (!pending)
    throw std::runtime_error("cannot read conversations to recover: " + pending.error().message());
  for (const auto& c : *pending) {
    if (c.pending == "webhook") {
      // The call was under way when the process stopped; its answer is lost. The step takes
      // its on_error path rather than hang.
      log("rapport: conversation " + c.id + ": a webhook call was interrupted by a restart");
      enqueue_internal(c.id, job_kind::follow_up, dialogs::webhook_result{false, 0, ""});
    } else if (c.pending == "handoff") {
      enqueue_internal(c.id, job_kind::recover_handoff, dialogs::handoff_event{});
    }
  }
}

void runtime::schedule_reload() {
  const auto every = options_.reload_poll.count() > 0 ? options_.reload_poll
                                                      : std::chrono::milliseconds(1000);
  reload_timer_.expires_after(every);
  reload_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    auto self = weak.lock();
    if (ec || !self || self->stopping_) return;
    // Loading a bot takes a while (the NLU trains): do it off the background strand.
    asio::post(self->io_, [self] {
      self->registry_->poll();
      asio::post(self->background_, [self] {
        if (!self->stopping_) self->schedule_reload();
      });
    });
  });
}

void runtime::schedule_sweep() {
  sweep_timer_.expires_after(options_.timer_check.count() > 0 ? options_.timer_check
                                                              : std::chrono::milliseconds(1000));
  sweep_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    auto self = weak.lock();
    if (ec || !self || self->stopping_) return;
    self->sweep();
    self->schedule_sweep();
  });
}

void runtime::sweep() {
  const auto idle_since = clock_().time_since_epoch().count() - options_.evict_after.count();
  std::vector<slot_ptr> candidates;
  {
    std::lock_guard lock(slots_mutex_);
    for (const auto& [id, s] : slots_) {
      if (s->pins != 0 || s->last_active_ms > idle_since) continue;
      if (!s->loaded) {  // out of memory already: only a slot nobody listens to is left to go
        std::lock_guard listeners_lock(s->listeners_mutex);
        if (!s->listeners.empty()) continue;
      }
      candidates.push_back(s);
    }
  }
  for (auto& s : candidates)
    asio::post(s->strand, [self = shared_from_this(), s] { self->try_evict(s); });
  // glibc keeps freed memory for reuse; after many evictions, give it back to the system.
  if (unloaded_since_trim_ >= trim_after_unloads) {
    unloaded_since_trim_ = 0;
    release_free_memory();
  }
}

void runtime::shutdown(std::function<void()> done) {
  {
    std::lock_guard lock(shutdown_mutex_);
    if (shut_down_) {  // called again after it finished
      if (done) asio::post(io_, std::move(done));
      return;
    }
    if (done) shutdown_done_.push_back(std::move(done));
  }
  stopping_ = true;
  timers_->stop();
  desk_->stop();
  outbox_->stop();
  asio::post(background_, [self = shared_from_this()] {
    self->reload_timer_.cancel();
    self->sweep_timer_.cancel();
  });
  maybe_finish_shutdown();
}

void runtime::maybe_finish_shutdown() {
  if (in_flight_ != 0 || finishing_.exchange(true)) return;
  // Everything accepted has completed; make sure it is all on disk, then report.
  store_->flush([self = shared_from_this()](boost::system::error_code) mutable {
    auto& io = self->io_;
    asio::post(io, [self = std::move(self)] {
      std::vector<std::function<void()>> done;
      {
        std::lock_guard lock(self->shutdown_mutex_);
        self->shut_down_ = true;
        done.swap(self->shutdown_done_);
      }
      for (auto& d : done) d();
    });
  });
}

void runtime::close() {
  stopping_ = true;
  finishing_ = true;
  if (timers_) timers_->stop();
  if (desk_) desk_->stop();
  if (outbox_) outbox_->stop();
  asio::post(background_, [self = shared_from_this()] {
    self->reload_timer_.cancel();
    self->sweep_timer_.cancel();
  });
}

}  // namespace rapport::engine::detail
