// Process Management, exec*: every exec runs in a forked child (the test
// process must survive a wrong success); what the child saw comes back
// through a pipe and its exit status. Expected values were checked against
// python3 (3.11) on this machine.
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

#if OSCPP_HAVE_FEXECVE
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
#endif

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

}  // namespace
