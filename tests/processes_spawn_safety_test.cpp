// Stray descriptors (issue 5, "Safety"): while another thread churns
// descriptors through the library (os::open, os::pipe, os::dup, dup2,
// eventfd, memfd_create and their nothrow forms, each closed at once),
// children started by every path of processes.hpp -- posix_spawn,
// posix_spawnp, spawnv (P_WAIT and P_NOWAIT + waitpid), system, popen ("r"
// and "w"), fork + execv -- inherit nothing beyond 0, 1, 2, what this
// process inherited itself, and what the caller asked for (a posix_spawn
// dup2 file action; popen's pipe as fd 1 or 0). Each child is
// tests/support/fd_report.c, which counts what it inherited; the test
// asserts 0 strays over 5000 children per path (fewer under sanitizers;
// OSCPP_SPAWN_COUNT sets another count). A watchdog aborts the binary if a
// test is still running after 240 s, so that a hung spawn fails CI.
//
// Each test also holds one inheritable descriptor of its own: every path
// but popen must pass it on (the helper checks it is there, which shows
// the helper sees inherited descriptors at all), and popen must not, since
// Python's popen is subprocess.Popen with close_fds=True (so popen's child
// has nothing beyond its pipe, whatever the parent holds).
//
// The test is seen to fail: with OSCPP_SPAWN_BROKEN_CHURN=1 the churn
// thread makes its descriptors the naive way (::open, ::pipe, ::dup without
// the close-on-exec flag, then F_SETFD), and a child started between the two
// steps inherits one. SpawnStraysGate runs this binary that way and expects
// strays to be reported.
#include <fcntl.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "oscpp/environ.hpp"
#include "oscpp/file_descriptors.hpp"
#include "oscpp/processes.hpp"
#include "spawn_safety_util.hpp"
#include "support/support.hpp"

namespace {

using spawn_safety::helper_argv;
using spawn_safety::helper_command;
using spawn_safety::kHelper;

// The descriptor number the churn thread dup2()s onto, and the one the
// posix_spawn test asks for in its child: out of the way of both.
constexpr int kChurnDup2Fd = 900;
constexpr int kAskedFd = 100;

bool broken_churn() {
  const char* e = std::getenv("OSCPP_SPAWN_BROKEN_CHURN");
  return e != nullptr && e[0] == '1';
}

// Opens, pipes and dups in a tight loop on its own thread, closing each
// descriptor at once, until destroyed.
class descriptor_churn {
 public:
  explicit descriptor_churn(bool two_step)
      : two_step_(two_step), thread_([this] { run(); }) {
    // Spawning before the churn runs would prove nothing.
    while (rounds_.load() == 0 && errors_.load() == 0)
      std::this_thread::yield();
  }
  ~descriptor_churn() {
    stop_.store(true);
    thread_.join();
  }
  long rounds() const { return rounds_.load(); }
  long errors() const { return errors_.load(); }

 private:
  void run() {
    os::unique_fd base(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    while (!stop_.load(std::memory_order_relaxed)) {
      try {
        two_step_ ? round_two_step(base.get()) : round_library(base);
      } catch (...) {
        errors_.fetch_add(1);
      }
      rounds_.fetch_add(1, std::memory_order_relaxed);
    }
  }

  // Every way the library creates a descriptor that is close-on-exec by
  // default (or on request), throwing and nothrow forms.
  static void round_library(const os::unique_fd& base) {
    { os::unique_fd fd = os::open("/dev/null", O_RDONLY); }
    { auto [r, w] = os::pipe(); }
    { os::unique_fd fd = os::dup(base); }
    { auto fd = os::nothrow::open("/dev/null", O_WRONLY); }
#if OSCPP_HAVE_PIPE2
    { auto p = os::nothrow::pipe2(O_CLOEXEC | O_NONBLOCK); }
#endif
    { auto fd = os::nothrow::dup(base); }
    os::dup2(base, kChurnDup2Fd, /*inheritable=*/false);
    os::close(kChurnDup2Fd);
#if OSCPP_HAVE_EVENTFD
    { os::unique_fd fd = os::eventfd(0); }
#endif
#if OSCPP_HAVE_MEMFD_CREATE
    { auto fd = os::nothrow::memfd_create("churn"); }
#endif
  }

  // The broken variant: close-on-exec set in a second step.
  static void round_two_step(int base) {
    int fd = ::open("/dev/null", O_RDONLY);
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    ::close(fd);
    int p[2];
    if (::pipe(p) == 0) {
      ::fcntl(p[0], F_SETFD, FD_CLOEXEC);
      ::fcntl(p[1], F_SETFD, FD_CLOEXEC);
      ::close(p[0]);
      ::close(p[1]);
    }
    fd = ::dup(base);
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    ::close(fd);
  }

  const bool two_step_;
  std::atomic<bool> stop_{false};
  std::atomic<long> rounds_{0};
  std::atomic<long> errors_{0};
  std::thread thread_;
};

class SpawnStrays : public ::testing::Test {
 protected:
  void SetUp() override {
    count_ =
        spawn_safety::count_from_env(spawn_safety::kSanitized ? 500 : 5000);
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dog_.emplace(std::string("SpawnStrays.") + info->name(),
                 std::chrono::seconds(240));
    allowed_ = spawn_safety::inherited_fds();
    // Deliberately without O_CLOEXEC: the caller's choice to pass it on.
    inheritable_ = os::unique_fd(::open("/dev/null", O_RDONLY));
    ASSERT_TRUE(inheritable_);
    churn_.emplace(broken_churn());
  }

  void TearDown() override {
    if (!churn_) return;
    long rounds = churn_->rounds(), errors = churn_->errors();
    churn_.reset();
    dog_.reset();
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::printf(
        "%s: %d children, %ld problems (strays) in %d of them, %d abnormal; "
        "churn: %ld rounds%s\n",
        info->name(), spawned_, problems_, bad_children_, abnormal_, rounds,
        broken_churn() ? " (two-step close-on-exec)" : "");
    EXPECT_EQ(errors, 0) << "the churn thread's calls failed";
    EXPECT_GE(rounds, 1000) << "the churn thread hardly ran";
    EXPECT_EQ(spawned_, count_);
    EXPECT_EQ(abnormal_, 0);
    EXPECT_EQ(problems_, 0)
        << bad_children_ << " of " << spawned_
        << " children inherited a stray descriptor (named on stderr)";
  }

  // The helper's argv for one child: exit 0 if all is well. The child must
  // have our inheritable descriptor, may have what we inherited, and
  // nothing else beyond extra.
  std::vector<std::string> argv(std::vector<std::string> extra = {}) {
    extra.push_back("=" + std::to_string(inheritable_.get()));
    return helper_argv(0, allowed_, extra);
  }
  // popen's child (close_fds=True) has 0, 1, 2 and nothing else.
  std::vector<std::string> popen_argv(const std::vector<std::string>& extra) {
    return helper_argv(0, {}, extra);
  }

  // One child's exit code: the number of problems it found.
  void tally_code(int code) {
    dog_->progress(spawned_);
    ++spawned_;
    problems_ += code;
    bad_children_ += code != 0;
  }
  void tally_status(int status) {
    if (WIFEXITED(status))
      tally_code(WEXITSTATUS(status));
    else
      ++spawned_, ++abnormal_;
  }
  void tally_popen(const std::optional<int>& r) {
    // close() gives nullopt for exit 0, else waitstatus_to_exitcode << 8.
    if (!r)
      tally_code(0);
    else if (*r > 0)
      tally_code(*r >> 8);
    else
      ++spawned_, ++abnormal_;
  }

  int count_ = 0;
  std::vector<std::string> allowed_;
  os::unique_fd inheritable_;
  std::optional<spawn_safety::watchdog> dog_;
  std::optional<descriptor_churn> churn_;
  int spawned_ = 0;
  long problems_ = 0;
  int bad_children_ = 0;
  int abnormal_ = 0;
};

TEST_F(SpawnStrays, PosixSpawn) {
  os::arg_list args(argv());
  for (int i = 0; i < count_; ++i) {
    pid_t pid = os::posix_spawn(kHelper, args);
    tally_status(os::waitpid(pid, 0).status);
  }
}

TEST_F(SpawnStrays, PosixSpawnWithDup2FileAction) {
  // The child asks for exactly one descriptor: a pipe's read end as
  // kAskedFd. The helper checks it is there and allows nothing else.
  auto [r, w] = os::pipe();
  os::posix_spawn_options opts;
  opts.file_actions.push_back(os::spawn_dup2{r, kAskedFd});
  os::arg_list args(argv({"=" + std::to_string(kAskedFd)}));
  for (int i = 0; i < count_; ++i) {
    pid_t pid = os::posix_spawn(kHelper, args, opts);
    tally_status(os::waitpid(pid, 0).status);
  }
}

TEST_F(SpawnStrays, PosixSpawnWithEnv) {
  os::env_list env{{"OSCPP_SPAWN_SAFETY", "1"}};
  os::arg_list args(argv());
  for (int i = 0; i < count_; ++i) {
    pid_t pid = os::posix_spawn(kHelper, args, env);
    tally_status(os::waitpid(pid, 0).status);
  }
}

TEST_F(SpawnStrays, PosixSpawnp) {
  // Found through PATH: the helper's directory goes first.
  std::string helper = kHelper;
  std::size_t slash = helper.rfind('/');
  struct restore_path {
    std::string old = os::environ.get("PATH", "/usr/bin:/bin");
    ~restore_path() { os::environ.set("PATH", old); }
  } restore;
  os::environ.set("PATH", helper.substr(0, slash) + ":" + restore.old);
  std::vector<std::string> a = argv();
  a[0] = helper.substr(slash + 1);
  os::arg_list args(a);
  for (int i = 0; i < count_; ++i) {
    pid_t pid = os::posix_spawnp(a[0], args);
    tally_status(os::waitpid(pid, 0).status);
  }
}

TEST_F(SpawnStrays, SpawnvWait) {
  os::arg_list args(argv());
  for (int i = 0; i < count_; ++i)
    tally_code(os::spawnv(os::P_WAIT, kHelper, args));
}

TEST_F(SpawnStrays, SpawnvNoWait) {
  os::arg_list args(argv());
  for (int i = 0; i < count_; ++i) {
    pid_t pid = os::spawnv(os::P_NOWAIT, kHelper, args);
    tally_status(os::waitpid(pid, 0).status);
  }
}

TEST_F(SpawnStrays, System) {
  std::string cmd = helper_command(argv());
  for (int i = 0; i < count_; ++i) tally_status(os::system(cmd));
}

TEST_F(SpawnStrays, PopenRead) {
  // The pipe is the shell's (and so the helper's) stdout.
  std::string cmd = helper_command(popen_argv({"p1"}));
  for (int i = 0; i < count_; ++i) {
    os::popen_file f = os::popen(cmd, "r");
    EXPECT_EQ(f.read(), "");
    tally_popen(f.close());
  }
}

TEST_F(SpawnStrays, PopenWrite) {
  // The pipe is the shell's (and so the helper's) stdin.
  std::string cmd = helper_command(popen_argv({"p0"}));
  for (int i = 0; i < count_; ++i) {
    os::popen_file f = os::popen(cmd, "w");
    tally_popen(f.close());
  }
}

TEST_F(SpawnStrays, ForkExecv) {
  os::arg_list args(argv());
  for (int i = 0; i < count_; ++i) {
    pid_t pid = os::fork();
    if (pid == 0) {
      (void)os::nothrow::execv(kHelper, args);
      ::_exit(127);
    }
    tally_status(os::waitpid(pid, 0).status);
  }
}

// ---------------------------------------------------------------- the gate

// Runs this binary with extra environment variables, stdout and stderr
// captured; returns {wait status, output}.
std::pair<int, std::string> run_self(std::vector<std::string> args,
                                     const std::vector<std::string>& env) {
  args.insert(args.begin(), oscpp_test::self_exe());
  return oscpp_test::spawn_capture(std::move(args), env, true);
}

TEST(SpawnStraysGate, FailsWhenTheChurnSetsCloseOnExecInASecondStep) {
  if (broken_churn()) GTEST_SKIP() << "already the broken run";
  // A child started between ::open and F_SETFD inherits the descriptor:
  // the gate must see it. posix_spawn and fork + execv, 1000 children each
  // (500 under sanitizers; about 1 in 4 children inherits one).
  auto [status, out] =
      run_self({"--gtest_filter=SpawnStrays.PosixSpawn:SpawnStrays.ForkExecv",
                "--gtest_color=no"},
               {"OSCPP_SPAWN_BROKEN_CHURN=1", spawn_safety::kSanitized
                                                  ? "OSCPP_SPAWN_COUNT=500"
                                                  : "OSCPP_SPAWN_COUNT=1000"});
  ASSERT_TRUE(WIFEXITED(status)) << out.substr(0, 4000);
  EXPECT_NE(WEXITSTATUS(status), 0) << out.substr(0, 4000);
  for (const char* expected :
       {"[  FAILED  ] SpawnStrays.PosixSpawn",
        "[  FAILED  ] SpawnStrays.ForkExecv", "oscpp_fd_report: stray fd",
        "inherited a stray descriptor"})
    EXPECT_NE(out.find(expected), std::string::npos) << expected << "\n"
                                                     << out.substr(0, 4000);
  // What the broken run reported, for the log.
  for (std::size_t at = 0; (at = out.find("children, ", at)) != out.npos;) {
    std::size_t begin = out.rfind('\n', at) + 1, end = out.find('\n', at);
    std::printf("broken run: %s\n", out.substr(begin, end - begin).c_str());
    at = end;
  }
}

}  // namespace
