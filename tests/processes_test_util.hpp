// Helpers shared by the Process Management tests: checking errors against
// Python's (type, errno, filenames), reaping, reading pipes, and running code
// in a forked child that reports what it saw back through a pipe.
#pragma once

#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <exception>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

#include "oscpp/error.hpp"
#include "oscpp/fd.hpp"
#include "oscpp/processes.hpp"  // register_at_fork
#include "support/support.hpp"

extern char** environ;  // <unistd.h> declares it only on glibc

namespace processes_test {

using name = std::optional<std::string>;

// No process has this id: pid_max is at most 2**22.
inline constexpr pid_t kNoSuchPid = INT_MAX;

// The raw wait status of pid (EINTR retried with plain libc).
inline int reap(pid_t pid) {
  int status = -1;
  pid_t got;
  while ((got = ::waitpid(pid, &status, 0)) == -1 && errno == EINTR) {
  }
  EXPECT_EQ(got, pid) << std::strerror(errno);
  return status;
}

// The exit code of a raw wait status, or 128+signal (as in_child reports).
inline int code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// This process has no child at all (none started, or all reaped).
inline void expect_no_child() {
  errno = 0;
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD) << "a child process exists";
}

// Everything readable from fd until end of file.
inline std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      out.append(buf, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  return out;
}

inline void write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

// An inheritable duplicate of fd (plain dup: no close-on-exec).
inline os::unique_fd inheritable_dup(int fd) {
  int d = ::dup(fd);
  EXPECT_GE(d, 0) << std::strerror(errno);
  return os::unique_fd(d);
}

// What an exception (or a nothrow error) looked like, to compare with
// Python's. type is typeid(...).name() of the exception, "result" for a
// nothrow error, "none" if nothing failed.
struct report {
  std::string type = "none";
  int err = 0;
  name filename;
  name filename2;
  std::string what;
};

inline std::string encode(const report& r) {
  auto opt = [](const name& n) { return n ? "1" + *n : std::string("0"); };
  std::string s = r.type + '\x1f' + std::to_string(r.err) + '\x1f' +
                  opt(r.filename) + '\x1f' + opt(r.filename2) + '\x1f' + r.what;
  return s;
}

inline report decode(const std::string& s) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (int i = 0; i < 4; ++i) {
    std::size_t end = s.find('\x1f', start);
    if (end == std::string::npos) return {"garbled: " + s, 0, {}, {}, {}};
    parts.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  auto opt = [](const std::string& p) -> name {
    if (p.empty() || p[0] == '0') return std::nullopt;
    return p.substr(1);
  };
  return {parts[0], std::stoi(parts[1]), opt(parts[2]), opt(parts[3]),
          s.substr(start)};
}

// Runs f() and describes what it threw.
inline report catch_report(const std::function<void()>& f) {
  report r;
  try {
    f();
  } catch (const os::OSError& e) {
    r = {typeid(e).name(), e.code().value(), e.filename(), e.filename2(),
         e.what()};
  } catch (const std::exception& e) {
    r = {typeid(e).name(), 0, {}, {}, e.what()};
  } catch (...) {
    r.type = "unknown";
  }
  return r;
}

// Describes the error of a nothrow result.
template <class T>
report error_report(const os::result<T>& res) {
  if (res) return {};
  return {"result", res.error().value(), res.error().filename(),
          res.error().filename2(), ""};
}

// Runs fn in a forked child (in_child); what fn returns (or the exception
// it let escape) comes back through a close-on-exec pipe, so a successful
// exec (which closes the pipe) gives an empty report and the exec'd
// program's exit code.
struct child_result {
  int code = -1;  // exit code, or 128+signal
  std::string output;
};
inline child_result run_in_child(const std::function<std::string()>& fn) {
  oscpp_test::raw_pipe p;
  int code = oscpp_test::in_child([&] {
    p.r.reset();
    // An exception must not escape: the child would go on running the
    // rest of the test suite.
    std::string out;
    try {
      out = fn();
    } catch (const std::exception& e) {
      out = std::string("uncaught exception in child: ") + e.what();
    } catch (...) {
      out = "uncaught exception in child";
    }
    write_all(p.w.get(), out);
    return 100;
  });
  p.w.reset();
  std::string out = read_all(p.r.get());
  return {code, out};
}

// How many os::register_at_fork callbacks ran during fn, as text (or what
// went wrong): counted in a child, which first registers one callback of
// each kind (a registration cannot be undone).
inline std::string at_fork_calls_during(const std::function<void()>& fn) {
  child_result c = run_in_child([&] {
    static int calls = 0;
    os::register_at_fork({.before = [] { ++calls; },
                          .after_in_child = [] { ++calls; },
                          .after_in_parent = [] { ++calls; }});
    fn();
    return std::to_string(calls);
  });
  return c.output;
}

// Bodies of the child modes the tests exec: what the new image received.
// Its command line, NUL-separated as /proc shows it.
inline int print_cmdline() {
  write_all(1, oscpp_test::read_file("/proc/self/cmdline"));
  return 0;
}
// Its environment, each entry followed by sep.
inline int print_environ(char sep) {
  std::string out;
  for (char** e = ::environ; *e != nullptr; ++e) {
    out += *e;
    out += sep;
  }
  write_all(1, out);
  return 0;
}
// The descriptors open in this process, one line: "0 1 2".
inline int print_open_fds() {
  std::string out;
  for (int fd : oscpp_test::open_fds()) {
    if (!out.empty()) out += ' ';
    out += std::to_string(fd);
  }
  write_all(1, out);
  return 0;
}

// Runs fn in a forked child whose stdout is a pipe; returns what the child
// and whatever it started wrote there, and fn's result.
struct captured {
  std::string out;
  std::string result;
};
inline captured with_stdout_captured(const std::function<std::string()>& fn) {
  oscpp_test::raw_pipe out;
  child_result c = run_in_child([&] {
    ::dup2(out.w.get(), 1);
    return fn();
  });
  out.w.reset();
  return {read_all(out.r.get()), c.output};
}

// run_in_child(fn) as uid/gid 65534 with RLIMIT_NPROC 0, where starting a
// process (fork, clone) fails with EAGAIN (root is exempt from the limit).
inline child_result without_processes(const std::function<std::string()>& fn) {
  return run_in_child([&]() -> std::string {
    if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 ||
        ::setuid(65534) != 0)
      return "cannot drop privileges";
    ::rlimit none{0, 0};
    if (::setrlimit(RLIMIT_NPROC, &none) != 0) return "no setrlimit";
    return fn();
  });
}

// An exception report from a child: run_in_child(fn) where fn's exception
// (or a normal return) is encoded.
inline child_result report_in_child(const std::function<void()>& fn) {
  return run_in_child([&] { return encode(catch_report(fn)); });
}

// Checks a report against Python's exception: exactly type E, errno and
// filenames.
template <class E>
void expect_report(const report& r, int errnum, name filename = std::nullopt,
                   name filename2 = std::nullopt) {
  EXPECT_EQ(r.type, typeid(E).name()) << r.what;
  EXPECT_EQ(r.err, errnum) << r.what;
  EXPECT_EQ(r.filename, filename) << r.what;
  EXPECT_EQ(r.filename2, filename2) << r.what;
}
// The same for a nothrow error.
inline void expect_result_report(const report& r, int errnum,
                                 name filename = std::nullopt,
                                 name filename2 = std::nullopt) {
  EXPECT_EQ(r.type, "result");
  EXPECT_EQ(r.err, errnum);
  EXPECT_EQ(r.filename, filename);
  EXPECT_EQ(r.filename2, filename2);
}

// Expects f() to throw std::invalid_argument (Python's ValueError) whose
// message contains msg, and no child process to exist afterwards.
template <class F>
void expect_invalid(F&& f, std::string_view msg) {
  report r = catch_report(std::forward<F>(f));
  EXPECT_EQ(r.type, typeid(std::invalid_argument).name()) << r.what;
  EXPECT_NE(r.what.find(msg), std::string::npos)
      << "message '" << r.what << "' lacks '" << msg << "'";
  expect_no_child();
}

// A temporary directory laid out for PATH searches: notadir (a regular
// file), noexec/prog (mode 0644), good/prog (exits 7), empty/ (nothing).
class PathSearchTest : public oscpp_test::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    oscpp_test::write_file(path("notadir"), "");
    ASSERT_EQ(::mkdir(path("noexec").c_str(), 0755), 0);
    ASSERT_EQ(::mkdir(path("good").c_str(), 0755), 0);
    ASSERT_EQ(::mkdir(path("empty").c_str(), 0755), 0);
    oscpp_test::write_file(path("noexec/prog"), "#!/bin/sh\nexit 7\n");
    ASSERT_EQ(::chmod(path("noexec/prog").c_str(), 0644), 0);
    oscpp_test::write_file(path("good/prog"), "#!/bin/sh\nexit 7\n");
    ASSERT_EQ(::chmod(path("good/prog").c_str(), 0755), 0);
  }
  // A PATH value: the named entries of dir(), joined with ':'.
  std::string path_of(std::initializer_list<const char*> entries) const {
    std::string out;
    for (const char* e : entries) {
      if (!out.empty()) out += ':';
      out += path(e);
    }
    return out;
  }
};

}  // namespace processes_test
