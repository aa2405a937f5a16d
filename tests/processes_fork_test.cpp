// Process Management: fork, forkpty and register_at_fork. Expected values
// were checked against python3 (3.11) on this machine.
#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "oscpp/environ.hpp"
#include "oscpp/processes.hpp"
#include "processes_test_util.hpp"
#include "support/support.hpp"

namespace {

using namespace std::string_literals;
using oscpp_test::raw_pipe;
using namespace processes_test;  // NOLINT(google-build-using-namespace)

// ---------------------------------------------------------------- fork

TEST(Fork, ReturnsZeroInTheChildAndItsPidInTheParent) {
  pid_t parent = ::getpid();
  raw_pipe p;
  pid_t pid = os::fork();
  if (pid == 0) {
    pid_t me = ::getpid();
    write_all(p.w.get(),
              std::string_view(reinterpret_cast<char*>(&me), sizeof me));
    ::_exit(::getppid() == parent ? 3 : 4);
  }
  ASSERT_GT(pid, 0);
  p.w.reset();
  std::string got = read_all(p.r.get());
  int status = reap(pid);
  ASSERT_EQ(got.size(), sizeof(pid_t));
  pid_t child_pid;
  std::memcpy(&child_pid, got.data(), sizeof child_pid);
  EXPECT_EQ(child_pid, pid);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3);
}

TEST(Fork, FailureIsBlockingIOError) {
  // Python, as 65534 with RLIMIT_NPROC 0: os.fork() BlockingIOError
  // errno 11, no filename.
  auto c = without_processes([] {
    return encode(catch_report([] {
      if (os::fork() == 0) ::_exit(0);
    }));
  });
  expect_report<os::BlockingIOError>(decode(c.output), EAGAIN);
  c = without_processes([] {
    auto r = os::nothrow::fork();
    if (r && *r == 0) ::_exit(0);
    return encode(error_report(r));
  });
  expect_result_report(decode(c.output), EAGAIN);
}

// ---------------------------------------------------------------- at fork

// In a child (so that the callbacks stay out of the test process):
// registers callbacks that append to a log, forks, and returns
// "<parent's log>|<child's log>".
TEST(RegisterAtFork, RunsInPythonsOrder) {
  // Python: before callbacks last registered first; after_in_parent and
  // after_in_child in registration order.
  auto c = run_in_child([] {
    static std::string log;
    for (const char* name : {"1", "2", "3"}) {
      std::string n = name;
      os::register_at_fork({.before = [n] { log += "b" + n + " "; },
                            .after_in_child = [n] { log += "c" + n + " "; },
                            .after_in_parent = [n] { log += "p" + n + " "; }});
    }
    os::register_at_fork({.after_in_child = [] { log += "c4 "; }});
    os::register_at_fork({.before = [] { log += "b5 "; }});
    raw_pipe p;
    pid_t pid = os::fork();
    if (pid == 0) {
      write_all(p.w.get(), log);
      ::_exit(0);
    }
    p.w.reset();
    std::string child_log = read_all(p.r.get());
    reap(pid);
    return log + "|" + child_log;
  });
  EXPECT_EQ(c.output, "b5 b3 b2 b1 p1 p2 p3 |b5 b3 b2 b1 c1 c2 c3 c4 ");
}

#if OSCPP_HAVE_LOGIN_TTY
TEST(RegisterAtFork, ForkptyRunsTheCallbacksToo) {
  auto c = run_in_child([] {
    static std::string log;
    os::register_at_fork({.before = [] { log += "b "; },
                          .after_in_child = [] { log += "c "; },
                          .after_in_parent = [] { log += "p "; }});
    auto [pid, master] = os::forkpty();
    if (pid == 0) ::_exit(log == "b c " ? 0 : 1);
    // Drain the pty so the child's exit is not held up.
    char buf[256];
    while (::read(master.get(), buf, sizeof buf) > 0) {
    }
    int status = reap(pid);
    return log + "|" + std::to_string(processes_test::code_of(status));
  });
  EXPECT_EQ(c.output, "b p |0");
}
#endif

TEST(RegisterAtFork, AThrowingCallbackIsIgnored) {
  auto c = run_in_child([] {
    static std::string log;
    os::register_at_fork({.before = [] { log += "b1 "; },
                          .after_in_parent = [] { log += "p1 "; }});
    os::register_at_fork(
        {.before = [] { throw std::runtime_error("x"); },
         .after_in_parent = [] { throw std::runtime_error("y"); }});
    os::register_at_fork({.before = [] { log += "b3 "; },
                          .after_in_parent = [] { log += "p3 "; }});
    pid_t pid = os::fork();
    if (pid == 0) ::_exit(9);
    int status = reap(pid);
    return log + "|" + std::to_string(processes_test::code_of(status));
  });
  EXPECT_EQ(c.output, "b3 b1 p1 p3 |9");
}

TEST(RegisterAtFork, AfterInParentRunsWhenForkFails) {
  // CPython calls the after_in_parent hooks whatever fork returned.
  auto c = without_processes([] {
    static std::string log;
    os::register_at_fork({.before = [] { log += "b "; },
                          .after_in_child = [] { log += "c "; },
                          .after_in_parent = [] { log += "p "; }});
    auto r = os::nothrow::fork();
    if (r && *r == 0) ::_exit(0);
    return log + "|" + std::to_string(r ? 0 : r.error().value());
  });
  EXPECT_EQ(c.output, "b p |" + std::to_string(EAGAIN));
}

TEST(RegisterAtFork, NoCallbackIsValueError) {
  // Python: os.register_at_fork() TypeError "At least one argument is
  // required." (std::invalid_argument here).
  expect_invalid([] { os::register_at_fork({}); },
                 "At least one argument is required.");
  expect_invalid([] { (void)os::nothrow::register_at_fork({}); },
                 "At least one argument is required.");
  // Nothing was registered: a fork in a child runs no callback.
  auto c = run_in_child([] {
    pid_t pid = os::fork();
    if (pid == 0) ::_exit(0);
    return std::to_string(processes_test::code_of(reap(pid)));
  });
  EXPECT_EQ(c.output, "0");
}

// ---------------------------------------------------------------- forkpty

#if OSCPP_HAVE_LOGIN_TTY
TEST(Forkpty, ChildRunsOnANewTerminalAsSessionLeader) {
  auto [pid, master] = os::forkpty();
  if (pid == 0) {
    bool ok = ::isatty(0) && ::isatty(1) && ::isatty(2) &&
              ::getsid(0) == ::getpid() && ::tcgetpgrp(0) == ::getpid();
    const char* msg = ok ? "tty ok\n" : "tty bad\n";
    ssize_t n = ::write(1, msg, std::strlen(msg));
    ::_exit(n > 0 ? 3 : 4);
  }
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(master);
  EXPECT_TRUE(oscpp_test::is_cloexec(master.get()));
  EXPECT_TRUE(::isatty(master.get()));
  // Read until the slave side is gone (EIO on Linux).
  std::string out;
  char buf[256];
  ssize_t n;
  while ((n = ::read(master.get(), buf, sizeof buf)) > 0) out.append(buf, n);
  int status = reap(pid);
  EXPECT_NE(out.find("tty ok"), std::string::npos) << out;
  EXPECT_EQ(processes_test::code_of(status), 3);
}

TEST(Forkpty, FailureIsOSErrorWithoutFilename) {
  // Python: os.forkpty() with no descriptor left: OSError EMFILE, no
  // filename. The limit is set to the lowest free descriptor.
  auto without_fds = [](const std::function<std::string()>& fn) {
    return run_in_child([&] {
      int lowest = ::dup(0);
      ::close(lowest);
      ::rlimit lim{static_cast<rlim_t>(lowest), static_cast<rlim_t>(lowest)};
      if (::setrlimit(RLIMIT_NOFILE, &lim) != 0) return "no setrlimit"s;
      return fn();
    });
  };
  auto c = without_fds([] {
    return encode(catch_report([] {
      auto [pid, fd] = os::forkpty();
      if (pid == 0) ::_exit(0);
    }));
  });
  expect_report<os::OSError>(decode(c.output), EMFILE);
  c = without_fds([] {
    auto r = os::nothrow::forkpty();
    if (r && r->pid == 0) ::_exit(0);
    return encode(error_report(r));
  });
  expect_result_report(decode(c.output), EMFILE);
}
#endif

}  // namespace
