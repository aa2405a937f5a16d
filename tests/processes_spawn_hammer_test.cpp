// Spawning while the rest of the program is busy (issue 5, "Safety"):
//
//   SpawnHammer      while three threads hammer malloc/free, os::environ
//                    (set, get, contains, erase, copy: the library's main
//                    lock, and the C library's setenv, which reallocates the
//                    ::environ array a spawn without an env reads) and the
//                    library's other lock (fdopen's buffer table), 2000
//                    children per path -- posix_spawn, spawnv(P_WAIT),
//                    system, popen, and fork + execv -- each exit with the
//                    code they were given, and none hangs: a watchdog aborts
//                    the binary, naming the test, rather than stall CI.
//   AtFork           os::register_at_fork callbacks run in Python's order
//                    around os::fork (before: last registered first; after:
//                    in registration order, in the parent and in the child),
//                    a throwing callback is skipped over, and posix_spawn,
//                    spawnv, system and popen run none of them, in the
//                    parent or in the child.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "oscpp/environ.hpp"
#include "oscpp/file_descriptors.hpp"
#include "oscpp/file_objects.hpp"
#include "oscpp/processes.hpp"
#include "spawn_safety_util.hpp"
#include "support/support.hpp"

namespace {

using spawn_safety::helper_argv;
using spawn_safety::helper_command;
using spawn_safety::kHelper;

// ---------------------------------------------------------------- hammer

class SpawnHammer : public ::testing::Test {
 protected:
  void SetUp() override {
    count_ =
        spawn_safety::count_from_env(spawn_safety::kSanitized ? 200 : 2000);
    allowed_ = spawn_safety::inherited_fds();
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dog_.emplace(std::string("SpawnHammer.") + info->name(),
                 std::chrono::seconds(240));
    threads_.emplace_back([this] { hammer_malloc(); });
    threads_.emplace_back([this] { hammer_environ(); });
    threads_.emplace_back([this] { hammer_locks(); });
    // Spawning before the hammers run would prove nothing.
    while (started_.load() < 3) std::this_thread::yield();
  }

  void TearDown() override {
    stop_.store(true);
    for (auto& t : threads_) t.join();
    dog_.reset();
    std::printf(
        "%d children, %d with the wrong status; hammer rounds: malloc %ld, "
        "environ %ld, locks %ld\n",
        spawned_, wrong_, rounds_[0].load(), rounds_[1].load(),
        rounds_[2].load());
    EXPECT_EQ(hammer_errors_.load(), 0) << "a hammer thread's call failed";
    EXPECT_EQ(spawned_, count_);
    EXPECT_EQ(wrong_, 0);
  }

  // Child i exits with this code (the helper adds 1 per stray descriptor).
  static int code_of(int i) { return (i * 7) % 100; }

  // Checks one child's result; a few mismatches are printed.
  void expect_code(int i, int got) {
    ++spawned_;
    dog_->progress(i);
    if (got == code_of(i)) return;
    if (++wrong_ <= 5)
      ADD_FAILURE() << "child " << i << " exited " << got << ", expected "
                    << code_of(i);
  }
  void expect_status(int i, int status) {
    expect_code(
        i, WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status));
  }

  std::vector<std::string> argv(int i) {
    return helper_argv(code_of(i), allowed_);
  }

  int count_ = 0;
  std::vector<std::string> allowed_;
  int spawned_ = 0;
  int wrong_ = 0;

 private:
  void hammer_malloc() {
    started_.fetch_add(1);
    std::minstd_rand rng(1);
    std::vector<void*> held(64, nullptr);
    while (!stop_.load(std::memory_order_relaxed)) {
      std::size_t k = rng() % held.size();
      std::free(held[k]);
      std::size_t size = std::size_t{16} << (rng() % 13);  // 16 B .. 64 KiB
      held[k] = std::malloc(size);
      if (held[k] != nullptr) static_cast<char*>(held[k])[size - 1] = 1;
      std::string grown;
      for (int j = 0; j < 8; ++j) grown += "growing string ";
      rounds_[0].fetch_add(1, std::memory_order_relaxed);
    }
    for (void* p : held) std::free(p);
  }

  void hammer_environ() {
    started_.fetch_add(1);
    std::minstd_rand rng(2);
    try {
      while (!stop_.load(std::memory_order_relaxed)) {
        // Adding and removing names makes setenv grow (reallocate) and
        // shrink ::environ.
        std::string key = "OSCPP_HAMMER_" + std::to_string(rng() % 8);
        // Values from a small set: glibc keeps every distinct string.
        std::string value = std::to_string(rng() % 16);
        os::environ.set(key, value);
        if (os::environ.get(key) != value) hammer_errors_.fetch_add(1);
        if (!os::environ.contains(key)) hammer_errors_.fetch_add(1);
        if (rng() % 16 == 0) {
          std::map<std::string, std::string> copy = os::environ.copy();
          if (copy.count(key) != 1) hammer_errors_.fetch_add(1);
        }
        os::environ.erase(key);
        rounds_[1].fetch_add(1, std::memory_order_relaxed);
      }
    } catch (...) {
      hammer_errors_.fetch_add(1);
    }
  }

  void hammer_locks() {
    started_.fetch_add(1);
    try {
      while (!stop_.load(std::memory_order_relaxed)) {
        // fdopen with a buffer of our size takes the buffer table's lock
        // on the way in and (in the closer) on the way out.
        os::file_ptr f = os::fdopen(os::open("/dev/null", O_RDONLY), "r",
                                    {.buffering = 4096});
        if (std::fgetc(f.get()) != EOF) hammer_errors_.fetch_add(1);
        f.reset();
        // Readers of os::environ, next to the writer above.
        if (!os::environ.contains("PATH")) hammer_errors_.fetch_add(1);
        rounds_[2].fetch_add(1, std::memory_order_relaxed);
      }
    } catch (...) {
      hammer_errors_.fetch_add(1);
    }
  }

  std::optional<spawn_safety::watchdog> dog_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stop_{false};
  std::atomic<int> started_{0};
  std::atomic<long> rounds_[3] = {};
  std::atomic<long> hammer_errors_{0};
};

TEST_F(SpawnHammer, PosixSpawn) {
  for (int i = 0; i < count_; ++i) {
    pid_t pid = os::posix_spawn(kHelper, argv(i));
    expect_status(i, os::waitpid(pid, 0).status);
  }
}

TEST_F(SpawnHammer, SpawnvWait) {
  for (int i = 0; i < count_; ++i)
    expect_code(i, os::spawnv(os::P_WAIT, kHelper, argv(i)));
}

TEST_F(SpawnHammer, System) {
  for (int i = 0; i < count_; ++i)
    expect_status(i, os::system(helper_command(argv(i))));
}

TEST_F(SpawnHammer, Popen) {
  for (int i = 0; i < count_; ++i) {
    os::popen_file f = os::popen(helper_command(argv(i)), "r");
    EXPECT_EQ(f.read(), "");
    std::optional<int> r = f.close();
    expect_code(i, r ? *r >> 8 : 0);
  }
}

TEST_F(SpawnHammer, ForkExecv) {
  for (int i = 0; i < count_; ++i) {
    os::arg_list args(argv(i));
    pid_t pid = os::fork();
    if (pid == 0) {
      (void)os::nothrow::execv(kHelper, args);
      ::_exit(127);
    }
    expect_status(i, os::waitpid(pid, 0).status);
  }
}

// ---------------------------------------------------------------- at fork

// What the callbacks saw: (kind, id) pairs, "b" before, "p" after in the
// parent, "c" after in the child. Callbacks cannot be unregistered, so they
// record only while a test turns recording on.
std::atomic<bool> g_recording{false};
std::atomic<int> g_marker_fd{-1};
char g_events[128];
std::atomic<int> g_length{0};

void record(char kind, char id) {
  if (!g_recording.load()) return;
  int at = g_length.fetch_add(2);
  if (at + 2 > static_cast<int>(sizeof g_events)) return;
  g_events[at] = kind;
  g_events[at + 1] = id;
}

std::string events() {
  int n = std::min(g_length.load(), static_cast<int>(sizeof g_events));
  return std::string(g_events, static_cast<std::size_t>(n));
}

void in_child(char id) {
  record('c', id);
  // Evidence that outlives the child's memory, for paths that must not
  // run the callbacks at all.
  if (int fd = g_marker_fd.load(); fd >= 0) (void)::write(fd, &id, 1);
}

// 1 and 2 set all three callbacks, 3 only after_in_child, 4 a before that
// throws and an after_in_parent.
void register_callbacks_once() {
  static const bool registered = [] {
    os::register_at_fork({.before = [] { record('b', '1'); },
                          .after_in_child = [] { in_child('1'); },
                          .after_in_parent = [] { record('p', '1'); }});
    os::register_at_fork({.before = [] { record('b', '2'); },
                          .after_in_child = [] { in_child('2'); },
                          .after_in_parent = [] { record('p', '2'); }});
    os::register_at_fork({.after_in_child = [] { in_child('3'); }});
    os::register_at_fork({.before =
                              [] {
                                record('b', '4');
                                throw std::runtime_error("ignored");
                              },
                          .after_in_parent = [] { record('p', '4'); }});
    return true;
  }();
  (void)registered;
}

void start_recording(int marker_fd) {
  g_length.store(0);
  g_marker_fd.store(marker_fd);
  g_recording.store(true);
}
void stop_recording() {
  g_recording.store(false);
  g_marker_fd.store(-1);
}

// Everything readable on a non-blocking pipe now.
std::string drain(int fd) {
  std::string out;
  char buf[256];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0)
    out.append(buf, static_cast<std::size_t>(n));
  return out;
}

TEST(AtFork, ForkRunsTheCallbacksInPythonsOrder) {
  register_callbacks_once();
  oscpp_test::raw_pipe report;
  start_recording(-1);
  pid_t pid = os::fork();
  if (pid == 0) {
    std::string seen = events();
    ssize_t n = ::write(report.w.get(), seen.data(), seen.size());
    ::_exit(n == static_cast<ssize_t>(seen.size()) ? 0 : 1);
  }
  stop_recording();
  report.w.reset();
  std::string child;
  char buf[256];
  ssize_t n;
  while ((n = ::read(report.r.get(), buf, sizeof buf)) > 0)
    child.append(buf, static_cast<std::size_t>(n));
  EXPECT_EQ(os::waitpid(pid, 0).status, 0);
  // Python: before hooks last registered first, after hooks in
  // registration order; 4's exception stops neither the others nor fork.
  EXPECT_EQ(events(), "b4b2b1p1p2p4");
  EXPECT_EQ(child, "b4b2b1c1c2c3");
}

TEST(AtFork, SpawnSystemAndPopenRunNoCallbacks) {
  register_callbacks_once();
  oscpp_test::raw_pipe marker;
  ASSERT_EQ(::fcntl(marker.r.get(), F_SETFL, O_NONBLOCK), 0);
  std::vector<std::string> argv = helper_argv(0, spawn_safety::inherited_fds());
  start_recording(marker.w.get());
  pid_t pid = os::posix_spawn(kHelper, argv);
  int spawned = os::waitpid(pid, 0).status;
  pid = os::posix_spawnp("true", {"true"});
  int spawned_p = os::waitpid(pid, 0).status;
  int waited = os::spawnv(os::P_WAIT, kHelper, argv);
  pid = os::spawnv(os::P_NOWAIT, kHelper, argv);
  int nowait = os::waitpid(pid, 0).status;
  int sys = os::system(helper_command(argv));
  os::popen_file f = os::popen(helper_command(argv), "r");
  std::string read = f.read();
  std::optional<int> closed = f.close();
  stop_recording();
  EXPECT_EQ(spawned, 0);
  EXPECT_EQ(spawned_p, 0);
  EXPECT_EQ(waited, 0);
  EXPECT_EQ(nowait, 0);
  EXPECT_EQ(sys, 0);
  EXPECT_EQ(read, "");
  EXPECT_EQ(closed, std::nullopt);
  EXPECT_EQ(events(), "") << "callbacks ran in the parent";
  EXPECT_EQ(drain(marker.r.get()), "") << "after_in_child ran in a child";

  // The check sees callbacks that do run: os::fork's child leaves its mark.
  start_recording(marker.w.get());
  pid = os::fork();
  if (pid == 0) ::_exit(0);
  stop_recording();
  EXPECT_EQ(os::waitpid(pid, 0).status, 0);
  EXPECT_EQ(drain(marker.r.get()), "123");
  EXPECT_EQ(events(), "b4b2b1p1p2p4");
}

}  // namespace
