// turn_bench: one conversation turn of examples/cx-opener in process, and its parts.
//   interpreter   dialogs::advance on a button click (no NLU) and on free text (with the NLU)
//   nlu           the bot's NLU parse of one visitor sentence
//   store         one turn's unit_of_work committed to SQLite (waiting for it; and pipelined,
//                 where group commit shares the fsync), with synchronous=FULL and NORMAL
//   turn          advance + state to JSON + commit, as the engine does per message
// Run from scripts/bench on a Release build: build/release/bench/turn_bench.
#include <condition_variable>
#include <filesystem>
#include <mutex>

#include <benchmark/benchmark.h>

#include "rapport/dialogs/interpreter.hpp"
#include "rapport/dialogs/loader.hpp"
#include "rapport/engine/store.hpp"

namespace {
using namespace rapport;
namespace fs = std::filesystem;

const dialogs::bot_model& bot() {
  static auto loaded = dialogs::load_bot(fs::path(RAPPORT_SOURCE_DIR) / "examples/cx-opener");
  if (!loaded.model) throw std::runtime_error("examples/cx-opener does not load");
  return *loaded.model;
}

const dialogs::sys_ms now{std::chrono::milliseconds(1'732'381'200'000)};

// The state after the opener: waiting for the answer to ask_visit_reason.
dialogs::conversation_state after_opener() {
  auto t = dialogs::advance(bot(), dialogs::new_conversation(bot(), 42), dialogs::start_event{"web", "en", {}}, now);
  return t.state;
}

// The state after two clicks: waiting for the visitor's own words (ask_key_question).
dialogs::conversation_state at_key_question() {
  auto s = dialogs::advance(bot(), after_opener(), dialogs::user_message{"Exploring analytics tools", "exploring"}, now).state;
  return dialogs::advance(bot(), s, dialogs::user_message{"Another analytics tool", "other_tool"}, now).state;
}

void interpreter_click(benchmark::State& st) {
  const auto state = after_opener();
  const dialogs::event e = dialogs::user_message{"Exploring analytics tools", "exploring"};
  for (auto _ : st) benchmark::DoNotOptimize(dialogs::advance(bot(), state, e, now));
}
BENCHMARK(interpreter_click);

void interpreter_text_with_nlu(benchmark::State& st) {
  const auto state = at_key_question();
  const dialogs::event e = dialogs::user_message{"which onboarding steps do new users skip?", ""};
  for (auto _ : st) benchmark::DoNotOptimize(dialogs::advance(bot(), state, e, now));
}
BENCHMARK(interpreter_text_with_nlu);

void nlu_parse(benchmark::State& st) {
  const dialogs::nlu::request r{"which onboarding steps do new users skip?", "en", now, bot().time_zone};
  for (auto _ : st) benchmark::DoNotOptimize(bot().nlu->parse(r));
}
BENCHMARK(nlu_parse);

void state_to_json(benchmark::State& st) {
  const auto state = at_key_question();
  for (auto _ : st) benchmark::DoNotOptimize(dialogs::to_json(state));
}
BENCHMARK(state_to_json);

// ---- the store -------------------------------------------------------------------------------

struct waiter {
  std::mutex m;
  std::condition_variable cv;
  std::size_t done = 0;
  bool failed = false;
  engine::commit_handler handler() {
    return [this](boost::system::error_code ec) {
      std::lock_guard lock(m);
      ++done;
      failed = failed || ec;
      cv.notify_all();
    };
  }
  void wait_for(std::size_t n) {
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return done >= n; });
  }
};

class store_fixture {
 public:
  explicit store_fixture(bool full) {
    dir_ = fs::temp_directory_path() / ("rapport-turn-bench-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    engine::sqlite_store_options o;
    o.path = (dir_ / "rapport.db").string();
    o.synchronous_full = full;
    store_ = engine::open_sqlite_store(o);
    state_json_ = dialogs::to_json(at_key_question());
  }
  ~store_fixture() {
    store_.reset();
    fs::remove_all(dir_);
  }

  // What one visitor message writes: the conversation row, the message, the bot's reply, the
  // no-input timer and the interpreter's analytics events (cx-opener writes 2.2 per round trip).
  engine::unit_of_work turn(std::int64_t n) {
    engine::unit_of_work w;
    engine::stored_conversation c;
    c.id = "bench-" + std::to_string(n % 1000);
    c.token_hash = std::string(64, 'a');
    c.bot = "cx-opener";
    c.channel = "web";
    c.user = c.id;
    c.bot_version = "v1";
    c.state_json = state_json_;
    c.owner = "bot";
    c.last_seq = 2 * n + 2;
    c.created_ms = c.updated_ms = n;
    w.conversation = c;
    engine::transcript_entry in;
    in.seq = 2 * n + 1;
    in.by = engine::author::visitor;
    in.text = "which onboarding steps do new users skip?";
    in.client_id = "m" + std::to_string(n);
    engine::transcript_entry out;
    out.seq = 2 * n + 2;
    out.text = "Thanks — that's a good place to start. Would it help to see how you'd answer it in Halyard, "
               "on a short call with someone from our team?";
    out.key = "ask_wants_demo";
    w.messages = {{c.id, in}, {c.id, out}};
    w.timers_set = {{c.id, "no_input", n + 120'000, static_cast<std::uint64_t>(n)}};
    w.analytics = {{c.id, c.bot, "slot_filled", R"({"slot":"key_question"})", n},
                   {c.id, c.bot, "asked", R"({"flow":"discovery","slot":"wants_demo"})", n}};
    return w;
  }

  engine::store& store() { return *store_; }

 private:
  fs::path dir_;
  std::unique_ptr<engine::store> store_;
  std::string state_json_;
};

// One commit at a time: the latency a visitor's message waits for.
void store_commit(benchmark::State& st) {
  store_fixture f(st.range(0) != 0);
  waiter w;
  std::int64_t n = 0;
  for (auto _ : st) {
    f.store().commit(f.turn(n++), w.handler());
    w.wait_for(static_cast<std::size_t>(n));
  }
  if (w.failed) st.SkipWithError("a commit failed");
}
BENCHMARK(store_commit)->ArgName("synchronous_full")->Arg(1)->Arg(0)->UseRealTime();

// 64 turns submitted together: what group commit gets out of one fsync.
void store_commit_pipelined(benchmark::State& st) {
  store_fixture f(st.range(0) != 0);
  waiter w;
  std::int64_t n = 0;
  for (auto _ : st) {
    for (int i = 0; i < 64; ++i) f.store().commit(f.turn(n++), w.handler());
    w.wait_for(static_cast<std::size_t>(n));
  }
  st.SetItemsProcessed(n);
  if (w.failed) st.SkipWithError("a commit failed");
}
BENCHMARK(store_commit_pipelined)->ArgName("synchronous_full")->Arg(1)->Arg(0)->UseRealTime();

// The whole turn as the engine runs it for a typed message.
void turn_with_commit(benchmark::State& st) {
  store_fixture f(true);
  const auto state = at_key_question();
  const dialogs::event e = dialogs::user_message{"which onboarding steps do new users skip?", ""};
  waiter w;
  std::int64_t n = 0;
  for (auto _ : st) {
    auto t = dialogs::advance(bot(), state, e, now);
    auto work = f.turn(n++);
    work.conversation->state_json = dialogs::to_json(t.state);
    f.store().commit(std::move(work), w.handler());
    w.wait_for(static_cast<std::size_t>(n));
  }
}
BENCHMARK(turn_with_commit)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
