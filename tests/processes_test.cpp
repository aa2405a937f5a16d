// Process Management: the argument and environment lists, exec*, fork,
// forkpty and register_at_fork. Every exec runs in a forked child (the test
// process must survive a wrong success); what the child saw comes back
// through a pipe and its exit status. Expected values were checked against
// python3 (3.11) on this machine.
#include "oscpp/processes.hpp"

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
#include "processes_test_util.hpp"
#include "support/support.hpp"

extern char** environ;

namespace {

using namespace std::string_literals;
using oscpp_test::in_child;
using oscpp_test::raw_pipe;
using oscpp_test::self_exe;
using namespace processes_test;  // NOLINT(google-build-using-namespace)

// Child modes exec'd by the tests: they print what the new image received.
OSCPP_CHILD_MODE(print_cmdline) { return print_cmdline(); }
OSCPP_CHILD_MODE(print_environ) { return print_environ('\0'); }

// Runs exec_call in a child whose stdout is a pipe: the exec'd program's
// exit code and output, and the report of what exec_call threw (empty if
// the exec succeeded).
struct exec_outcome {
  int code = -1;
  std::string out;
  report thrown;
  bool execd = false;
};
exec_outcome exec_in_child(const std::function<void()>& exec_call) {
  raw_pipe out;
  child_result c = run_in_child([&] {
    ::dup2(out.w.get(), 1);  // inherited by the new image
    return encode(catch_report(exec_call));
  });
  out.w.reset();
  exec_outcome o;
  o.code = c.code;
  o.out = read_all(out.r.get());
  o.execd = c.output.empty();
  if (!o.execd) o.thrown = decode(c.output);
  return o;
}

// The same, for a nothrow call: its error comes back as a report.
exec_outcome nothrow_exec_in_child(
    const std::function<os::result<void>()>& exec_call) {
  child_result c =
      run_in_child([&] { return encode(error_report(exec_call())); });
  exec_outcome o;
  o.code = c.code;
  o.execd = c.output.empty();
  if (!o.execd) o.thrown = decode(c.output);
  return o;
}

std::string nul_joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += p + '\0';
  return out;
}

// ---------------------------------------------------------------- arg_list

TEST(ArgList, FromAnyRangeOfStrings) {
  std::vector<std::string> strings = {"a", "b c", ""};
  std::vector<std::string_view> views = {"a", "b c", ""};
  const char* cstrs[] = {"a", "b c", ""};
  std::vector<std::filesystem::path> paths = {"a", "b c", ""};
  for (const os::arg_list& l :
       {os::arg_list(strings), os::arg_list(views), os::arg_list(cstrs),
        os::arg_list(paths), os::arg_list{"a", "b c", ""}}) {
    ASSERT_EQ(l.size(), 3u);
    EXPECT_FALSE(l.empty());
    EXPECT_EQ(l[0], "a");
    EXPECT_EQ(l[1], "b c");
    EXPECT_EQ(l[2], "");
    EXPECT_STREQ(l.data()[0], "a");
    EXPECT_STREQ(l.data()[1], "b c");
    EXPECT_STREQ(l.data()[2], "");
    EXPECT_EQ(l.data()[3], nullptr);
  }
  os::arg_list empty;
  EXPECT_TRUE(empty.empty());
  ASSERT_NE(empty.data(), nullptr);
  EXPECT_EQ(empty.data()[0], nullptr);
}

TEST(ArgList, CopiesAndMovesKeepTheirOwnPointers) {
  os::arg_list a{"x"};
  for (int i = 0; i < 100; ++i) a.push_back("arg" + std::to_string(i));
  os::arg_list copy(a);
  ASSERT_EQ(copy.size(), 101u);
  EXPECT_NE(copy.data()[1], a.data()[1]);
  EXPECT_STREQ(copy.data()[100], "arg99");
  os::arg_list small{"s"};
  os::arg_list moved(std::move(small));
  EXPECT_STREQ(moved.data()[0], "s");
  EXPECT_EQ(moved.data()[1], nullptr);
  os::arg_list assigned;
  assigned = moved;
  assigned.push_back("t");
  EXPECT_STREQ(assigned.data()[0], "s");
  EXPECT_STREQ(assigned.data()[1], "t");
  EXPECT_EQ(assigned.data()[2], nullptr);
  EXPECT_EQ(moved.size(), 1u);
}

TEST(ArgList, EmbeddedNulIsValueError) {
  // Python: os.execv(p, ['a\0b']) ValueError "embedded null byte".
  expect_invalid([] { os::arg_list{"ok", "a\0b"s}; }, "embedded null byte");
  os::arg_list l{"ok"};
  expect_invalid([&] { l.push_back("x\0"s); }, "embedded null byte");
  EXPECT_EQ(l.size(), 1u);
  std::vector<std::string> v = {"a", "b\0c"s};
  expect_invalid([&] { os::arg_list{v}; }, "embedded null byte");
}

// ---------------------------------------------------------------- env_list

TEST(EnvList, FromAnyRangeOfPairsInOrder) {
  std::map<std::string, std::string> m = {{"A", "1"}, {"B", ""}};
  std::vector<std::pair<std::string, std::string>> v = {{"B", "2"},
                                                        {"A", "x=y"}};
  os::env_list from_map(m);
  ASSERT_EQ(from_map.strings().size(), 2u);
  EXPECT_EQ(from_map.strings()[0], "A=1");
  EXPECT_EQ(from_map.strings()[1], "B=");
  os::env_list from_vec(v);
  EXPECT_EQ(from_vec.strings()[0], "B=2");
  EXPECT_EQ(from_vec.strings()[1], "A=x=y");
  EXPECT_STREQ(from_vec.data()[1], "A=x=y");
  EXPECT_EQ(from_vec.data()[2], nullptr);
  os::env_list braced{{"PATH", "/bin"}, {"PATHX", "no"}};
  EXPECT_EQ(braced.find("PATH"), "/bin");
  EXPECT_EQ(braced.find("PAT"), std::nullopt);
  EXPECT_EQ(braced.find("X"), std::nullopt);
  os::env_list from_environ(os::environ.copy());
  EXPECT_EQ(from_environ.strings().size(), os::environ.size());
  os::env_list none;
  EXPECT_EQ(none.data()[0], nullptr);
}

TEST(EnvList, IllegalNamesAndNulsAreValueErrors) {
  // Python: {'A=B': '1'} and {'': '1'} "illegal environment variable
  // name"; a NUL in a key or a value "embedded null byte".
  expect_invalid(
      [] {
        os::env_list{{"A=B", "1"}};
      },
      "illegal environment variable name");
  expect_invalid(
      [] {
        os::env_list{{"", "1"}};
      },
      "illegal environment variable name");
  expect_invalid([] { os::env_list{{"A\0"s, "1"}}; }, "embedded null byte");
  expect_invalid([] { os::env_list{{"A", "\0"s}}; }, "embedded null byte");
  os::env_list l;
  expect_invalid([&] { l.add("K=", "v"); },
                 "illegal environment variable name");
  EXPECT_TRUE(l.strings().empty());
}

TEST(EnvList, LeadingEqualsIsAllowedAsInPython) {
  // CPython looks for '=' from the key's second character on, so
  // execve(p, args, {'=A': '1'}) passes "=A=1" (env(1) prints it).
  os::env_list l;
  l.add("=A", "1");
  ASSERT_EQ(l.strings().size(), 1u);
  EXPECT_EQ(l.strings()[0], "=A=1");
}

TEST(EnvList, RepeatedKeyIsPassedTwice) {
  os::env_list l{{"K", "1"}, {"K", "2"}};
  ASSERT_EQ(l.strings().size(), 2u);
  EXPECT_EQ(l.find("K"), "1");
}

// ---------------------------------------------------------------- exec*

TEST(Exec, ExecvRunsTheProgram) {
  auto o = exec_in_child([] { os::execv("/bin/sh", {"sh", "-c", "exit 7"}); });
  EXPECT_TRUE(o.execd) << o.thrown.what;
  EXPECT_EQ(o.code, 7);
}

TEST(Exec, ExecvPassesTheArgumentsExactly) {
  std::vector<std::string> args = {
      "zeroth arg", "--oscpp-child", "print_cmdline", "a", "b c", ""};
  auto o = exec_in_child([&] { os::execv(self_exe(), args); });
  EXPECT_TRUE(o.execd) << o.thrown.what;
  EXPECT_EQ(o.code, 0);
  EXPECT_EQ(o.out, nul_joined(args));
}

TEST(Exec, ExecvKeepsTheEnvironmentAndExecveReplacesIt) {
  auto o = exec_in_child([] {
    os::environ.set("OSCPP_EXEC_TEST", "kept");
    os::execv(self_exe(), {"x", "--oscpp-child", "print_environ"});
  });
  EXPECT_EQ(o.code, 0);
  EXPECT_NE(o.out.find("OSCPP_EXEC_TEST=kept\0"s), std::string::npos);

  o = exec_in_child([] {
    os::execve(self_exe(), {"x", "--oscpp-child", "print_environ"},
               {{"B", "2"}, {"A", "x=1"}});
  });
  EXPECT_EQ(o.code, 0);
  EXPECT_EQ(o.out, nul_joined({"B=2", "A=x=1"}));

  // Python passes {'=A': '1'} through: the new image sees "=A=1".
  o = exec_in_child([] {
    os::env_list env;
    env.add("=A", "1");
    os::execve(self_exe(), {"x", "--oscpp-child", "print_environ"}, env);
  });
  EXPECT_TRUE(o.execd) << o.thrown.what;
  EXPECT_EQ(o.out, nul_joined({"=A=1"}));
}

TEST(Exec, ExecveOfADescriptor) {
  auto o = exec_in_child([] {
    os::unique_fd fd(::open(self_exe().c_str(), O_RDONLY | O_CLOEXEC));
    os::execve(fd.get(), {"x", "--oscpp-child", "print_environ"},
               {{"FD", "yes"}});
  });
  EXPECT_TRUE(o.execd) << o.thrown.what;
  EXPECT_EQ(o.code, 0);
  EXPECT_EQ(o.out, nul_joined({"FD=yes"}));
}

TEST(Exec, ExecveOfABadDescriptorIsOSError) {
  // Python: os.execve(99, ['a'], {}) OSError EBADF (its filename is the
  // int 99, which the binding supplies). Far beyond RLIMIT_NOFILE, so that
  // no descriptor the child opens takes the number.
  int bad = 1 << 20;
  auto o = exec_in_child([&] { os::execve(bad, {"a"}, {}); });
  ASSERT_FALSE(o.execd);
  EXPECT_EQ(o.thrown.type, typeid(os::OSError).name()) << o.thrown.what;
  EXPECT_EQ(o.thrown.err, EBADF);
  o = nothrow_exec_in_child(
      [&] { return os::nothrow::execve(bad, {"a"}, {}); });
  EXPECT_EQ(o.thrown.type, "result");
  EXPECT_EQ(o.thrown.err, EBADF);
}

// Python's os.execv attaches no filename (its execve does); oscpp names the
// path for every exec form, on purpose (the binding drops it for execv).
TEST(Exec, ExecvFailureNamesThePath) {
  auto o = exec_in_child([] { os::execv("/nonexist", {"a"}); });
  ASSERT_FALSE(o.execd);
  EXPECT_EQ(o.code, 100);
  expect_report<os::FileNotFoundError>(o.thrown, ENOENT, "/nonexist");
  EXPECT_EQ(o.thrown.what, "[Errno 2] No such file or directory: '/nonexist'");
  o = exec_in_child([] { os::execv("/etc/passwd", {"a"}); });
  expect_report<os::PermissionError>(o.thrown, EACCES, "/etc/passwd");
  o = exec_in_child([] { os::execv("/tmp", {"a"}); });
  expect_report<os::PermissionError>(o.thrown, EACCES, "/tmp");
  o = nothrow_exec_in_child(
      [] { return os::nothrow::execv("/nonexist", {"a"}); });
  expect_result_report(o.thrown, ENOENT, "/nonexist");
}

TEST(Exec, ExecveFailureNamesThePath) {
  // Python: os.execve('/nonexist', ['a'], {}) filename '/nonexist'.
  auto o = exec_in_child([] { os::execve("/nonexist", {"a"}, {}); });
  expect_report<os::FileNotFoundError>(o.thrown, ENOENT, "/nonexist");
  o = exec_in_child([] { os::execve("/etc/passwd", {"a"}, {}); });
  expect_report<os::PermissionError>(o.thrown, EACCES, "/etc/passwd");
  o = nothrow_exec_in_child(
      [] { return os::nothrow::execve("/nonexist", {"a"}, {}); });
  expect_result_report(o.thrown, ENOENT, "/nonexist");
}

TEST(Exec, InvalidArgumentsAreValueErrorsAndExecNothing) {
  // Python: execv(p, []) "execv() arg 2 must not be empty", [''] "execv()
  // arg 2 first element cannot be empty"; execve the same ("execve: argv
  // must not be empty"); a NUL in the path "embedded null byte".
  const std::vector<std::pair<std::function<void()>, std::string>> cases = {
      {[] { os::execv("/bin/true", os::arg_list{}); }, "must not be empty"},
      {[] { os::execv("/bin/true", {""}); }, "first element cannot be empty"},
      {[] { os::execve("/bin/true", os::arg_list{}, {}); },
       "must not be empty"},
      {[] { os::execve("/bin/true", {""}, {}); },
       "first element cannot be empty"},
      {[] { os::execvp("true", os::arg_list{}); }, "must not be empty"},
      {[] { os::execvp("true", {""}); }, "first element cannot be empty"},
      {[] { os::execvpe("true", os::arg_list{}, {}); }, "must not be empty"},
      {[] { os::execvpe("true", {""}, {}); }, "first element cannot be empty"},
      {[] { (void)os::nothrow::execv("/bin/true", os::arg_list{}); },
       "must not be empty"},
      {[] { (void)os::nothrow::execve("/bin/true", {""}, {}); },
       "first element cannot be empty"},
      {[] { os::execv("/bin/true\0"s, {"a"}); }, "embedded null byte"},
      {[] {
         os::execve("/bin/true", {"a"}, {{"A=B", "1"}});
       },
       "illegal environment variable name"},
  };
  for (const auto& [call, message] : cases) {
    auto o = exec_in_child(call);
    ASSERT_FALSE(o.execd) << message << ": the exec happened";
    EXPECT_EQ(o.thrown.type, typeid(std::invalid_argument).name())
        << message << ": " << o.thrown.what;
    EXPECT_NE(o.thrown.what.find(message), std::string::npos)
        << "'" << o.thrown.what << "' lacks '" << message << "'";
  }
}

TEST(Exec, ExeclFamilyPassesItsArguments) {
  auto o = exec_in_child([] {
    os::execl(self_exe(), "l", "--oscpp-child", "print_cmdline", "1");
  });
  EXPECT_EQ(o.code, 0) << o.thrown.what;
  EXPECT_EQ(o.out, nul_joined({"l", "--oscpp-child", "print_cmdline", "1"}));

  std::map<std::string, std::string> env = {{"E", "le"}};
  o = exec_in_child([&] {
    os::execle(self_exe(), "le", "--oscpp-child", "print_environ", env);
  });
  EXPECT_EQ(o.code, 0) << o.thrown.what;
  EXPECT_EQ(o.out, nul_joined({"E=le"}));

  o = exec_in_child([] { os::execlp("sh", "sh", "-c", "exit 4"); });
  EXPECT_EQ(o.code, 4) << o.thrown.what;

  std::map<std::string, std::string> no_path = {{"X", "5"}};
  o = exec_in_child([&] { os::execlpe("sh", "sh", "-c", "exit $X", no_path); });
  EXPECT_EQ(o.code, 5) << o.thrown.what;
}

// The PATH search of execvp/execvpe follows Python's os._execvpe: every
// entry is tried; the error raised is the first one other than ENOENT and
// ENOTDIR, else the last, with the candidate's full path as filename.
TEST_F(PathSearchTest, ExecvpSearchesThePathOfEnviron) {
  auto run = [&](const std::string& path_value) {
    return exec_in_child([&] {
      os::environ.set("PATH", path_value);
      os::execvp("prog", {"prog"});
    });
  };
  auto o = run(path_of({"notadir", "noexec", "good"}));
  EXPECT_TRUE(o.execd) << o.thrown.what;
  EXPECT_EQ(o.code, 7);
  o = run(path_of({"notadir", "noexec"}));
  expect_report<os::PermissionError>(o.thrown, EACCES, path("noexec/prog"));
  o = run(path_of({"notadir", "empty"}));
  expect_report<os::FileNotFoundError>(o.thrown, ENOENT, path("empty/prog"));
  o = run(path_of({"empty", "notadir"}));
  expect_report<os::NotADirectoryError>(o.thrown, ENOTDIR,
                                        path("notadir/prog"));
}

TEST_F(PathSearchTest, ExecvpOfAPathWithASlashDoesNotSearch) {
  auto o = exec_in_child([&] {
    os::environ.set("PATH", path_of({"good"}));
    os::execvp(path("noexec/prog"), {"prog"});
  });
  expect_report<os::PermissionError>(o.thrown, EACCES, path("noexec/prog"));
  o = nothrow_exec_in_child([&] {
    os::environ.set("PATH", path_of({"notadir", "noexec"}));
    return os::nothrow::execvp("prog", {"prog"});
  });
  expect_result_report(o.thrown, EACCES, path("noexec/prog"));
}

TEST_F(PathSearchTest, ExecvpeSearchesThePathOfItsEnvironment) {
  auto o = exec_in_child([&] {
    os::environ.set("PATH", path_of({"empty"}));
    os::execvpe("prog", {"prog"}, {{"PATH", path_of({"noexec", "good"})}});
  });
  EXPECT_TRUE(o.execd) << o.thrown.what;
  EXPECT_EQ(o.code, 7);
  o = exec_in_child([&] {
    os::environ.set("PATH", path_of({"good"}));
    os::execvpe("prog", {"prog"}, {{"PATH", path_of({"notadir", "noexec"})}});
  });
  expect_report<os::PermissionError>(o.thrown, EACCES, path("noexec/prog"));
  o = nothrow_exec_in_child([&] {
    return os::nothrow::execvpe("prog", {"prog"},
                                {{"PATH", path_of({"notadir", "empty"})}});
  });
  expect_result_report(o.thrown, ENOENT, path("empty/prog"));
}

TEST(Exec, ExecvpeWithoutPathUsesTheDefaultPath) {
  // Python: get_exec_path({}) is os.defpath, '/bin:/usr/bin'.
  auto o = exec_in_child([] {
    os::execvpe("sh", {"sh", "-c", "exit 5"}, os::env_list{});
  });
  EXPECT_TRUE(o.execd) << o.thrown.what;
  EXPECT_EQ(o.code, 5);
}

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

}  // namespace
