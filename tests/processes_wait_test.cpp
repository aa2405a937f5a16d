// Process Management: kill, killpg, nice, times, wait, waitpid, wait3,
// wait4, waitid, waitstatus_to_exitcode and pidfd_open. Children are forked
// with plain libc and held on a pipe (closing it lets them exit), so no test
// depends on timing. Expected values were checked against python3 (3.11).
#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <functional>
#include <string>
#include <vector>

#include "oscpp/processes.hpp"
#include "processes_test_util.hpp"
#include "support/support.hpp"

#if defined(__linux__)
#include <sys/syscall.h>
#endif

namespace {

using namespace std::string_literals;
using oscpp_test::raw_pipe;
using namespace processes_test;  // NOLINT(google-build-using-namespace)

// A child that exits with code at once.
pid_t fork_exit(int code) {
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(code);
  EXPECT_GT(pid, 0);
  return pid;
}

// A child that waits for end of file on a pipe, then exits with code;
// release() (or the destructor) closes the pipe. With own_group, the child
// leads its own process group.
class held_child {
 public:
  explicit held_child(int code, bool own_group = false) {
    raw_pipe p;
    pid_ = ::fork();
    if (pid_ == 0) {
      if (own_group) ::setpgid(0, 0);
      // Keep only the read end (as stdin): another held_child's pipe must
      // not be held open by this one.
      ::dup2(p.r.get(), 0);
#if defined(__linux__)
      // The system call: musl has no close_range function.
      ::syscall(SYS_close_range, 3U, ~0U, 0U);
#else
      for (int fd = 3, n = ::getdtablesize(); fd < n; ++fd) ::close(fd);
#endif
      char c;
      while (::read(0, &c, 1) != 0 && errno == EINTR) {
      }
      ::_exit(code);
    }
    EXPECT_GT(pid_, 0);
    // Set it from the parent too, so that it is done before we go on.
    if (own_group) {
      EXPECT_EQ(::setpgid(pid_, pid_), 0);
    }
    hold_ = std::move(p.w);
  }
  ~held_child() { release(); }
  pid_t pid() const { return pid_; }
  void release() { hold_.reset(); }

 private:
  pid_t pid_ = -1;
  os::unique_fd hold_;
};

// Runs fn in a child dropped to uid/gid 65534; what fn returns comes back.
child_result unprivileged(const std::function<std::string()>& fn) {
  return run_in_child([&] {
    if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 ||
        ::setuid(65534) != 0)
      return "cannot drop privileges"s;
    return fn();
  });
}

// ---------------------------------------------------------------- kill

TEST(Kill, DeliversTheSignal) {
  held_child child(0);
  os::kill(child.pid(), SIGTERM);
  int status = reap(child.pid());
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
  held_child other(0);
  ASSERT_TRUE(os::nothrow::kill(other.pid(), SIGKILL));
  EXPECT_EQ(code_of(reap(other.pid())), 128 + SIGKILL);
}

TEST(Kill, SignalZeroOnlyChecksTheProcess) {
  held_child child(5);
  os::kill(child.pid(), 0);
  os::kill(::getpid(), 0);
  child.release();
  EXPECT_EQ(code_of(reap(child.pid())), 5);
}

TEST(Kill, ErrorsAreThoseOfPython) {
  // Python: kill(99999999, 0) ProcessLookupError; kill(getpid(), 999) and
  // kill(getpid(), -1) OSError EINVAL; none has a filename.
  EXPECT_OS_ERROR(os::kill(kNoSuchPid, 0), os::ProcessLookupError, ESRCH);
  EXPECT_RESULT_ERROR(os::nothrow::kill(kNoSuchPid, 0), ESRCH);
  EXPECT_OS_ERROR(os::kill(::getpid(), 999), os::OSError, EINVAL);
  EXPECT_OS_ERROR(os::kill(::getpid(), -1), os::OSError, EINVAL);
  // As 65534, signalling init: PermissionError EPERM.
  auto c =
      unprivileged([] { return encode(catch_report([] { os::kill(1, 0); })); });
  expect_report<os::PermissionError>(decode(c.output), EPERM);
  c = unprivileged(
      [] { return encode(error_report(os::nothrow::kill(1, 0))); });
  expect_result_report(decode(c.output), EPERM);
}

TEST(Killpg, SignalsTheWholeGroup) {
  held_child child(0, true);
  ASSERT_EQ(::getpgid(child.pid()), child.pid());
  os::killpg(child.pid(), SIGUSR1);
  int status = reap(child.pid());
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGUSR1);
  held_child other(0, true);
  ASSERT_TRUE(os::nothrow::killpg(other.pid(), SIGKILL));
  EXPECT_EQ(code_of(reap(other.pid())), 128 + SIGKILL);
  // kill() with a negative pid signals the group too, as in Python.
  held_child third(0, true);
  os::kill(-third.pid(), SIGTERM);
  EXPECT_EQ(code_of(reap(third.pid())), 128 + SIGTERM);
}

TEST(Killpg, ErrorsAreThoseOfPython) {
  // Python: killpg(99999999, 0) ProcessLookupError; killpg(-1, 0) OSError
  // EINVAL.
  EXPECT_OS_ERROR(os::killpg(kNoSuchPid, 0), os::ProcessLookupError, ESRCH);
  EXPECT_RESULT_ERROR(os::nothrow::killpg(kNoSuchPid, 0), ESRCH);
  EXPECT_OS_ERROR(os::killpg(-1, 0), os::OSError, EINVAL);
}

// ---------------------------------------------------------------- nice

TEST(Nice, ReturnsTheNewNiceness) {
  errno = 0;
  int now = ::getpriority(PRIO_PROCESS, 0);
  ASSERT_EQ(errno, 0);
  EXPECT_EQ(os::nice(0), now);
  auto c = run_in_child([] {
    if (::setpriority(PRIO_PROCESS, 0, 0) != 0) return "setpriority"s;
    std::string out = std::to_string(os::nice(3)) + " ";
    // -1 is a niceness, not an error (root may lower it).
    out += std::to_string(os::nice(-4)) + " ";
    auto r = os::nothrow::nice(0);
    out += r ? std::to_string(*r) : "error";
    return out + " " + std::to_string(::getpriority(PRIO_PROCESS, 0));
  });
  EXPECT_EQ(c.output, "3 -1 -1 -1");
}

TEST(Nice, RaisingPriorityUnprivilegedIsPermissionError) {
  // Python, as a normal user: os.nice(-1) PermissionError EPERM.
  auto c =
      unprivileged([] { return encode(catch_report([] { os::nice(-1); })); });
  expect_report<os::PermissionError>(decode(c.output), EPERM);
  c = unprivileged([] { return encode(error_report(os::nothrow::nice(-1))); });
  expect_result_report(decode(c.output), EPERM);
}

// ---------------------------------------------------------------- times

TEST(Times, AgreesWithTheCLibrary) {
  // Every field is a counter: os::times() lies between two ::times().
  // (times cannot fail on Linux, so there is no error path to test.)
  reap(fork_exit(0));  // some children's time, perhaps zero
  const double tick = static_cast<double>(::sysconf(_SC_CLK_TCK));
  ::tms before{}, after{};
  clock_t e0 = ::times(&before);
  os::times_result t = os::times();
  auto r = os::nothrow::times();
  clock_t e1 = ::times(&after);
  ASSERT_TRUE(r);
  auto between = [&](double v, clock_t lo, clock_t hi) {
    EXPECT_GE(v, static_cast<double>(lo) / tick - 1e-6);
    EXPECT_LE(v, static_cast<double>(hi) / tick + 1e-6);
  };
  between(t.user, before.tms_utime, after.tms_utime);
  between(t.system, before.tms_stime, after.tms_stime);
  between(t.children_user, before.tms_cutime, after.tms_cutime);
  between(t.children_system, before.tms_cstime, after.tms_cstime);
  between(t.elapsed, e0, e1);
  between(r->elapsed, e0, e1);
  EXPECT_LE(t.elapsed, r->elapsed);
}

// ---------------------------------------------------------------- wait

TEST(Wait, ReturnsPidAndStatus) {
  pid_t pid = fork_exit(3);
  auto [got, status] = os::wait();
  EXPECT_EQ(got, pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3);
  pid = fork_exit(4);
  auto r = os::nothrow::wait();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->pid, pid);
  EXPECT_EQ(r->status, 4 << 8);
}

TEST(Wait, NoChildIsChildProcessError) {
  // Python: os.wait() with no child: ChildProcessError errno 10.
  EXPECT_OS_ERROR(os::wait(), os::ChildProcessError, ECHILD);
  EXPECT_RESULT_ERROR(os::nothrow::wait(), ECHILD);
  EXPECT_OS_ERROR(os::waitpid(-1, 0), os::ChildProcessError, ECHILD);
  EXPECT_OS_ERROR(os::waitpid(::getpid(), 0), os::ChildProcessError, ECHILD);
  EXPECT_RESULT_ERROR(os::nothrow::waitpid(-1, 0), ECHILD);
  EXPECT_OS_ERROR(os::wait3(0), os::ChildProcessError, ECHILD);
  EXPECT_RESULT_ERROR(os::nothrow::wait3(WNOHANG), ECHILD);
  EXPECT_OS_ERROR(os::wait4(kNoSuchPid, 0), os::ChildProcessError, ECHILD);
  EXPECT_RESULT_ERROR(os::nothrow::wait4(-1, 0), ECHILD);
#if OSCPP_HAVE_WAITID
  EXPECT_OS_ERROR(os::waitid(P_ALL, 0, WEXITED), os::ChildProcessError, ECHILD);
  EXPECT_RESULT_ERROR(os::nothrow::waitid(P_PID, kNoSuchPid, WEXITED), ECHILD);
#endif
}

TEST(Wait, InvalidOptionsAreOSError) {
  // Python: waitpid(-1, 0x7fff0000) and waitid(P_ALL, 0, 0) OSError EINVAL.
  EXPECT_OS_ERROR(os::waitpid(-1, 0x7fff0000), os::OSError, EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::wait4(-1, 0x7fff0000), EINVAL);
#if OSCPP_HAVE_WAITID
  EXPECT_OS_ERROR(os::waitid(P_ALL, 0, 0), os::OSError, EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::waitid(P_ALL, 0, 0), EINVAL);
#endif
}

TEST(Waitpid, WnohangGivesZerosWhileTheChildRuns) {
  held_child child(6);
  auto [pid, status] = os::waitpid(child.pid(), WNOHANG);
  EXPECT_EQ(pid, 0);
  EXPECT_EQ(status, 0);
  child.release();
  auto done = os::waitpid(child.pid(), 0);
  EXPECT_EQ(done.pid, child.pid());
  EXPECT_EQ(done.status, 6 << 8);
}

TEST(Waitpid, ReportsStopsAndContinues) {
  held_child child(0);
  os::kill(child.pid(), SIGSTOP);
  auto stopped = os::waitpid(child.pid(), WUNTRACED);
  EXPECT_EQ(stopped.pid, child.pid());
  ASSERT_TRUE(WIFSTOPPED(stopped.status));
  EXPECT_EQ(WSTOPSIG(stopped.status), SIGSTOP);
  EXPECT_THROW(os::waitstatus_to_exitcode(stopped.status),
               std::invalid_argument);
  os::kill(child.pid(), SIGCONT);
  auto continued = os::waitpid(child.pid(), WCONTINUED);
  EXPECT_EQ(continued.pid, child.pid());
  EXPECT_TRUE(WIFCONTINUED(continued.status));
  os::kill(child.pid(), SIGKILL);
  auto killed = os::waitpid(child.pid(), 0);
  EXPECT_EQ(os::waitstatus_to_exitcode(killed.status), -SIGKILL);
}

TEST(Wait3, ReturnsTheChildsResourceUsage) {
  held_child child(2);
  auto none = os::wait3(WNOHANG);
  EXPECT_EQ(none.pid, 0);
  EXPECT_EQ(none.status, 0);
  child.release();
  auto [pid, status, usage] = os::wait3(0);
  EXPECT_EQ(pid, child.pid());
  EXPECT_EQ(status, 2 << 8);
  EXPECT_GT(usage.ru_maxrss, 0);  // the child's, as Python's ru_maxrss
  pid = fork_exit(1);
  auto r = os::nothrow::wait3(0);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->pid, pid);
  EXPECT_GT(r->rusage.ru_maxrss, 0);
}

TEST(Wait4, WaitsForThatChild) {
  held_child first(1);
  held_child second(2);
  auto none = os::wait4(second.pid(), WNOHANG);
  EXPECT_EQ(none.pid, 0);
  second.release();
  auto [pid, status, usage] = os::wait4(second.pid(), 0);
  EXPECT_EQ(pid, second.pid());
  EXPECT_EQ(status, 2 << 8);
  EXPECT_GT(usage.ru_maxrss, 0);
  first.release();
  auto r = os::nothrow::wait4(first.pid(), 0);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->pid, first.pid());
  EXPECT_EQ(r->status, 1 << 8);
}

#if OSCPP_HAVE_WAITID
TEST(Waitid, ReportsAnExit) {
  // Python: waitid(P_PID, pid, WEXITED) waitid_result(si_pid=pid,
  // si_uid=0, si_signo=17, si_status=3, si_code=1); the fields drop si_
  // (macros of <signal.h>) and unpack in Python's order.
  pid_t pid = fork_exit(3);
  auto peek = os::waitid(P_PID, static_cast<id_t>(pid), WEXITED | WNOWAIT);
  ASSERT_TRUE(peek.has_value());
  EXPECT_EQ(peek->pid, pid);
  auto r = os::waitid(P_PID, static_cast<id_t>(pid), WEXITED);
  ASSERT_TRUE(r.has_value());  // WNOWAIT left it waitable
  EXPECT_EQ(r->pid, pid);
  EXPECT_EQ(r->uid, ::getuid());
  EXPECT_EQ(r->signo, SIGCHLD);
  EXPECT_EQ(r->status, 3);
  EXPECT_EQ(r->code, CLD_EXITED);
  pid = fork_exit(0);
  auto [wpid, uid, signo, status, code] =
      *os::waitid(P_PID, static_cast<id_t>(pid), WEXITED);
  EXPECT_EQ(wpid, pid);
  EXPECT_EQ(uid, ::getuid());
  EXPECT_EQ(signo, SIGCHLD);
  EXPECT_EQ(status, 0);
  EXPECT_EQ(code, CLD_EXITED);
}

TEST(Waitid, ReportsAKillAndNothingWithWnohang) {
  held_child child(0);
  // Python: waitid(P_ALL, 0, WEXITED|WNOHANG) is None while it runs.
  EXPECT_EQ(os::waitid(P_ALL, 0, WEXITED | WNOHANG), std::nullopt);
  auto r = os::nothrow::waitid(P_ALL, 0, WEXITED | WNOHANG);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, std::nullopt);
  os::kill(child.pid(), SIGKILL);
  auto killed = os::waitid(P_PID, static_cast<id_t>(child.pid()), WEXITED);
  ASSERT_TRUE(killed.has_value());
  EXPECT_EQ(killed->code, CLD_KILLED);
  EXPECT_EQ(killed->status, SIGKILL);
}
#endif

#if OSCPP_HAVE_WAITID && OSCPP_HAVE_PIDFD_OPEN
TEST(Waitid, ByProcessGroupAndByPidfd) {
  held_child grouped(4, true);
  grouped.release();
  auto g = os::waitid(P_PGID, static_cast<id_t>(grouped.pid()), WEXITED);
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->pid, grouped.pid());
  EXPECT_EQ(g->status, 4);
  held_child child(5);
  os::unique_fd fd = os::pidfd_open(child.pid());
  child.release();
  auto r = os::waitid(P_PIDFD, static_cast<id_t>(fd.get()), WEXITED);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->pid, child.pid());
  EXPECT_EQ(r->status, 5);
}
#endif

// ---------------------------------------------------------------- status

TEST(WaitstatusToExitcode, MatchesPython) {
  EXPECT_EQ(os::waitstatus_to_exitcode(0), 0);
  EXPECT_EQ(os::waitstatus_to_exitcode(3 << 8), 3);
  EXPECT_EQ(os::waitstatus_to_exitcode(255 << 8), 255);
  EXPECT_EQ(os::waitstatus_to_exitcode(SIGKILL), -SIGKILL);
  EXPECT_EQ(os::waitstatus_to_exitcode(0x80 | SIGSEGV), -SIGSEGV);  // core
  // Python: waitstatus_to_exitcode(0x10000) is 0 (WIFEXITED, code 0).
  EXPECT_EQ(os::waitstatus_to_exitcode(0x10000), 0);
  pid_t pid = fork_exit(42);
  EXPECT_EQ(os::waitstatus_to_exitcode(reap(pid)), 42);
}

TEST(WaitstatusToExitcode, StoppedOrInvalidIsValueError) {
  // Python's messages, checked with python3.
  auto message = [](int status) {
    try {
      os::waitstatus_to_exitcode(status);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return "no exception"s;
  };
#if defined(__GLIBC__)
  EXPECT_EQ(message(0x7f), "process stopped by delivery of signal 0");
#else
  // musl's WIFSTOPPED leaves out signal 0 and its WIFSIGNALED takes 0x7f
  // (signal 127), so Python there returns -127, as this does.
  EXPECT_EQ(os::waitstatus_to_exitcode(0x7f), -127);
#endif
  EXPECT_EQ(message(0x137f), "process stopped by delivery of signal 19");
  EXPECT_EQ(message(0xff7f), "process stopped by delivery of signal 255");
  EXPECT_EQ(message(-1), "invalid wait status: -1");
  EXPECT_EQ(message(0xffff), "invalid wait status: 65535");
}

// ---------------------------------------------------------------- pidfd

#if OSCPP_HAVE_PIDFD_OPEN
TEST(PidfdOpen, RefersToTheProcess) {
  held_child child(0);
  os::unique_fd fd = os::pidfd_open(child.pid());
  ASSERT_TRUE(fd);
  EXPECT_TRUE(oscpp_test::is_cloexec(fd.get()));
  std::string info =
      oscpp_test::read_file("/proc/self/fdinfo/" + std::to_string(fd.get()));
  EXPECT_NE(info.find("Pid:\t" + std::to_string(child.pid()) + "\n"),
            std::string::npos)
      << info;
  // It becomes readable when the process exits.
  pollfd p{fd.get(), POLLIN, 0};
  EXPECT_EQ(::poll(&p, 1, 0), 0);
  child.release();
  EXPECT_EQ(::poll(&p, 1, -1), 1);
  reap(child.pid());
  auto r = os::nothrow::pidfd_open(::getpid());
  ASSERT_TRUE(r);
  EXPECT_TRUE(oscpp_test::is_cloexec(r->get()));
}

TEST(PidfdOpen, ErrorsAreThoseOfPython) {
  // Python: pidfd_open(99999999) ProcessLookupError; pidfd_open(getpid(),
  // 5) and pidfd_open(0) OSError EINVAL; no filename, no descriptor left.
  EXPECT_OS_ERROR(os::pidfd_open(kNoSuchPid), os::ProcessLookupError, ESRCH);
  EXPECT_RESULT_ERROR(os::nothrow::pidfd_open(kNoSuchPid), ESRCH);
  EXPECT_OS_ERROR(os::pidfd_open(::getpid(), 5), os::OSError, EINVAL);
  EXPECT_OS_ERROR(os::pidfd_open(0), os::OSError, EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::pidfd_open(::getpid(), 5), EINVAL);
}
#endif

}  // namespace
