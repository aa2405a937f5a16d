// Process Management under PEP 475: wait, waitpid, wait3, wait4, waitid,
// spawnv(P_WAIT) and popen_file::close() are retried when a signal handler
// (installed without SA_RESTART) interrupts their wait, as in Python.
//
// No timing: the child being waited for is the interrupter. It watches
// /proc/<test>/syscall until the test process is blocked in wait4 or
// waitid, sends it SIGUSR1, watches /proc/<test>/status until the signal is
// no longer pending (it was delivered, interrupting the wait), and only
// then exits with 7. A raw ::waitpid in the same set-up returns EINTR,
// which shows the wait really is interrupted.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>

#include "oscpp/processes.hpp"
#include "processes_test_util.hpp"
#include "support/support.hpp"

// The interrupter watches the waiting process through /proc: Linux only.
#if defined(__linux__)
#include <sys/syscall.h>

namespace {

using oscpp_test::self_exe;
using namespace processes_test;  // NOLINT(google-build-using-namespace)

// The number after key in a /proc file (its first number if key is ""),
// or -1 if the file cannot be read.
long long proc_field(const char* path, const char* key, int base) {
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char buf[4096] = {};
  ssize_t n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  if (n <= 0) return -1;
  const char* at = buf;
  if (*key != '\0') {
    at = std::strstr(buf, key);
    if (at == nullptr) return -1;
    at += std::strlen(key);
  }
  return std::strtoll(at, nullptr, base);
}

// Blocks until process `target` is in wait4 or waitid, interrupts it with
// SIGUSR1, waits until the signal has been delivered, then returns 7.
int interrupt(pid_t target) {
  char syscall_path[64], status_path[64];
  std::snprintf(syscall_path, sizeof syscall_path, "/proc/%d/syscall",
                static_cast<int>(target));
  std::snprintf(status_path, sizeof status_path, "/proc/%d/status",
                static_cast<int>(target));
  // ("running" reads as 0: try again.) A read of /proc/<pid>/syscall can
  // also fail for a moment (seen once under ASan in CI): retried while the
  // target lives, a bounded number of times.
  for (long failures = 0;;) {
    long long nr = proc_field(syscall_path, "", 10);
    if (nr == SYS_wait4 || nr == SYS_waitid) break;
    if (nr == -1 && (::kill(target, 0) != 0 || ++failures > 100000)) return 90;
    ::sched_yield();
  }
  if (::kill(target, SIGUSR1) != 0) return 92;
  const long long bit = 1LL << (SIGUSR1 - 1);
  for (;;) {
    long long shared = proc_field(status_path, "\nShdPnd:\t", 16);
    long long own = proc_field(status_path, "\nSigPnd:\t", 16);
    if (shared < 0 || own < 0) return 93;
    if (((shared | own) & bit) == 0) break;
    ::sched_yield();
  }
  return 7;
}

// argv: the pid to interrupt.
OSCPP_CHILD_MODE(interrupt_waiter) {
  if (argc != 1) return 94;
  return interrupt(static_cast<pid_t>(std::atoi(argv[0])));
}

extern "C" void on_usr1(int) {}

// Installs the SIGUSR1 handler without SA_RESTART for the test's duration.
class WaitEintrTest : public ::testing::Test {
 protected:
  void SetUp() override {
    struct sigaction sa {};
    sa.sa_handler = on_usr1;
    sa.sa_flags = 0;  // no SA_RESTART: the wait fails with EINTR
    sigemptyset(&sa.sa_mask);
    ASSERT_EQ(::sigaction(SIGUSR1, &sa, &old_), 0);
  }
  void TearDown() override { ::sigaction(SIGUSR1, &old_, nullptr); }
  // A forked child that interrupts this process's next wait, then exits 7.
  pid_t interrupter() {
    pid_t self = ::getpid();
    pid_t pid = ::fork();
    if (pid == 0) ::_exit(interrupt(self));
    EXPECT_GT(pid, 0);
    return pid;
  }
  struct sigaction old_ {};
};

TEST_F(WaitEintrTest, RawWaitpidIsInterrupted) {
  pid_t pid = interrupter();
  int status = 0;
  errno = 0;
  EXPECT_EQ(::waitpid(pid, &status, 0), -1);
  EXPECT_EQ(errno, EINTR);
  EXPECT_EQ(reap(pid), 7 << 8);
}

TEST_F(WaitEintrTest, WaitpidAndWaitAreRetried) {
  pid_t pid = interrupter();
  auto r = os::waitpid(pid, 0);
  EXPECT_EQ(r.pid, pid);
  EXPECT_EQ(r.status, 7 << 8);
  pid = interrupter();
  auto w = os::nothrow::wait();
  ASSERT_TRUE(w) << os::strerror(w.error().value());
  EXPECT_EQ(w->pid, pid);
  EXPECT_EQ(w->status, 7 << 8);
}

TEST_F(WaitEintrTest, Wait3AndWait4AreRetried) {
  pid_t pid = interrupter();
  auto r = os::wait3(0);
  EXPECT_EQ(r.pid, pid);
  EXPECT_EQ(r.status, 7 << 8);
  pid = interrupter();
  auto r4 = os::wait4(pid, 0);
  EXPECT_EQ(r4.pid, pid);
  EXPECT_EQ(r4.status, 7 << 8);
}

TEST_F(WaitEintrTest, WaitidIsRetried) {
  pid_t pid = interrupter();
  auto r = os::waitid(P_PID, static_cast<id_t>(pid), WEXITED);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->pid, pid);
  EXPECT_EQ(r->status, 7);
}

TEST_F(WaitEintrTest, SpawnvPWaitIsRetried) {
  EXPECT_EQ(os::spawnv(os::P_WAIT, self_exe(),
                       {"x", "--oscpp-child", "interrupt_waiter",
                        std::to_string(::getpid())}),
            7);
}

TEST_F(WaitEintrTest, PopenCloseIsRetried) {
  os::popen_file f = os::popen(self_exe() + " --oscpp-child interrupt_waiter " +
                               std::to_string(::getpid()));
  EXPECT_EQ(f.close(), 7 << 8);
}

}  // namespace
#endif  // defined(__linux__)
