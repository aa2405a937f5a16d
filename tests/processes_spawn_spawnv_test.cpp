// Process Management: spawn* in every mode (v, ve, vp, vpe and the variadic
// l, le, lp, lpe). Expected values and errors were checked
// against python3 (3.11) on this machine; where Python's fork-based spawn*
// return 127 for a program that cannot run, oscpp raises OSError in the
// parent, as its header documents.
#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "oscpp/environ.hpp"
#include "oscpp/file_descriptors.hpp"
#include "oscpp/processes.hpp"
#include "processes_test_util.hpp"
#include "support/support.hpp"

extern char** environ;

namespace {

using namespace std::string_literals;
using oscpp_test::raw_pipe;
using oscpp_test::self_exe;
using namespace processes_test;  // NOLINT(google-build-using-namespace)

OSCPP_CHILD_MODE(spawnv_environ) { return print_environ('\n'); }
OSCPP_CHILD_MODE(spawnv_cmdline) { return print_cmdline(); }

OSCPP_CHILD_MODE(spawnv_fds) { return print_open_fds(); }

// ---------------------------------------------------------------- spawnv

TEST(Spawnv, PWaitReturnsTheExitCode) {
  // Python: spawnv(P_WAIT, '/bin/sh', ['sh', '-c', 'exit 7']) 7; a child
  // killed by SIGTERM -15.
  EXPECT_EQ(os::spawnv(os::P_WAIT, "/bin/sh", {"sh", "-c", "exit 7"}), 7);
  EXPECT_EQ(os::spawnv(os::P_WAIT, "/bin/sh", {"sh", "-c", "kill -TERM $$"}),
            -SIGTERM);
  auto r = os::nothrow::spawnv(os::P_WAIT, "/bin/sh", {"sh", "-c", "exit 0"});
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 0);
  expect_no_child();
}

TEST(Spawnv, PNowaitReturnsThePid) {
  int pid = os::spawnv(os::P_NOWAIT, "/bin/sh", {"sh", "-c", "exit 3"});
  ASSERT_GT(pid, 0);
  EXPECT_EQ(reap(pid), 3 << 8);
  pid = os::spawnv(os::P_NOWAITO, "/bin/sh", {"sh", "-c", "exit 4"});
  ASSERT_GT(pid, 0);
  EXPECT_EQ(reap(pid), 4 << 8);
}

TEST(Spawnv, PassesArgvAndEnvironment) {
  auto c = with_stdout_captured([] {
    os::spawnv(os::P_WAIT, self_exe(),
               {"zero", "--oscpp-child", "spawnv_cmdline", "a b", ""});
    return ""s;
  });
  EXPECT_EQ(c.out, "zero\0--oscpp-child\0spawnv_cmdline\0a b\0\0"s);
  c = with_stdout_captured([] {
    return std::to_string(os::spawnve(os::P_WAIT, self_exe(),
                                      {"x", "--oscpp-child", "spawnv_environ"},
                                      {{"B", "2"}, {"A", "x=1"}}));
  });
  EXPECT_EQ(c.result, "0");
  EXPECT_EQ(c.out, "B=2\nA=x=1\n");
  c = with_stdout_captured([] {
    os::environ.set("OSCPP_SPAWNV", "inherited");
    os::spawnv(os::P_WAIT, self_exe(),
               {"x", "--oscpp-child", "spawnv_environ"});
    return ""s;
  });
  EXPECT_NE(c.out.find("\nOSCPP_SPAWNV=inherited\n"), std::string::npos);
}

TEST(Spawnv, ChildrenInheritOnlyInheritableDescriptors) {
  auto c = with_stdout_captured([&] {
    os::closerange(3, INT_MAX);  // what this child itself may hold
    raw_pipe mine;               // close-on-exec
    os::unique_fd kept(::dup2(mine.r.get(), 10));  // inheritable
    os::spawnv(os::P_WAIT, self_exe(), {"x", "--oscpp-child", "spawnv_fds"});
    return ""s;
  });
  EXPECT_EQ(c.out, "0 1 2 10");
}

TEST(Spawnv, FailureIsOSErrorInTheParent) {
  // Python's spawnv returns 127 from a child that could not exec; oscpp
  // raises what execv would, with the path, and leaves no child.
  EXPECT_OS_ERROR(os::spawnv(os::P_WAIT, "/nonexist", {"a"}),
                  os::FileNotFoundError, ENOENT, "/nonexist");
  expect_no_child();
  EXPECT_OS_ERROR(os::spawnve(os::P_NOWAIT, "/etc/passwd", {"a"}, {}),
                  os::PermissionError, EACCES, "/etc/passwd");
  expect_no_child();
  EXPECT_RESULT_ERROR(os::nothrow::spawnv(os::P_NOWAIT, "/nonexist", {"a"}),
                      ENOENT, "/nonexist");
  expect_no_child();
  EXPECT_RESULT_ERROR(os::nothrow::spawnve(os::P_WAIT, "/nonexist", {"a"}, {}),
                      ENOENT, "/nonexist");
  expect_no_child();
}

TEST(Spawnv, FailureToStartIsBlockingIOError) {
  auto c = without_processes([] {
    return encode(
        catch_report([] { os::spawnv(os::P_WAIT, "/bin/true", {"true"}); }));
  });
  // (Python's fork fails with the same error; the filename is not checked:
  // oscpp's posix_spawn-based spawnv cannot tell a failed clone from a
  // failed exec.)
  processes_test::report r = decode(c.output);
  EXPECT_EQ(r.type, typeid(os::BlockingIOError).name()) << r.what;
  EXPECT_EQ(r.err, EAGAIN);
}

TEST(Spawnv, InvalidArgumentsStartNothing) {
  // Python: spawnv(P_WAIT, p, []) and [''] ValueError "argv first element
  // cannot be empty"; NULs and bad keys as everywhere.
  const char* msg = "argv first element cannot be empty";
  expect_invalid([] { os::spawnv(os::P_WAIT, "/bin/true", os::arg_list{}); },
                 msg);
  expect_invalid([] { os::spawnv(os::P_NOWAIT, "/bin/true", {""}); }, msg);
  expect_invalid(
      [] { os::spawnve(os::P_WAIT, "/bin/true", os::arg_list{}, {}); }, msg);
  expect_invalid([] { os::spawnvp(os::P_WAIT, "true", {""}); }, msg);
  expect_invalid([] { os::spawnvpe(os::P_WAIT, "true", os::arg_list{}, {}); },
                 msg);
  expect_invalid(
      [] { (void)os::nothrow::spawnv(os::P_WAIT, "/bin/true", {""}); }, msg);
  expect_invalid([] { os::spawnv(os::P_WAIT, "/bin/true\0"s, {"a"}); },
                 "embedded null byte");
  expect_invalid(
      [] {
        os::spawnve(os::P_WAIT, "/bin/true", {"a"}, {{"", "1"}});
      },
      "illegal environment variable name");
}

TEST(Spawnl, VariadicFormsPassTheirArguments) {
  EXPECT_EQ(os::spawnl(os::P_WAIT, "/bin/sh", "sh", "-c", "exit 3"), 3);
  std::map<std::string, std::string> env = {{"X", "5"}};
  EXPECT_EQ(os::spawnle(os::P_WAIT, "/bin/sh", "sh", "-c", "exit $X", env), 5);
  EXPECT_EQ(os::spawnlp(os::P_WAIT, "sh", "sh", "-c", "exit 4"), 4);
  // No PATH in env: Python's default path, /bin:/usr/bin.
  EXPECT_EQ(os::spawnlpe(os::P_WAIT, "sh", "sh", "-c", "exit $X", env), 5);
  int pid = os::spawnl(os::P_NOWAIT, "/bin/sh", "sh", "-c", "exit 6");
  EXPECT_EQ(reap(pid), 6 << 8);
  expect_invalid([] { os::spawnl(os::P_WAIT, "/bin/sh", ""); },
                 "argv first element cannot be empty");
}

// spawnvp/spawnvpe search as execvp/execvpe: os::environ's PATH or env's;
// a program that cannot run raises what execvp would (Python's child would
// exit 127): the first error other than ENOENT/ENOTDIR, else the last, with
// the candidate's path.
TEST_F(PathSearchTest, SpawnvpSearchesThePathOfEnviron) {
  auto c = run_in_child([&] {
    os::environ.set("PATH", path_of({"notadir", "noexec", "good"}));
    std::string out =
        std::to_string(os::spawnvp(os::P_WAIT, "prog", {"prog"})) + " ";
    os::environ.set("PATH", path_of({"notadir", "noexec"}));
    return out + encode(catch_report(
                     [] { os::spawnvp(os::P_WAIT, "prog", {"prog"}); }));
  });
  ASSERT_EQ(c.output.substr(0, 2), "7 ") << c.output;
  expect_report<os::PermissionError>(decode(c.output.substr(2)), EACCES,
                                     path("noexec/prog"));
  c = run_in_child([&] {
    os::environ.set("PATH", path_of({"notadir", "empty"}));
    return encode(
        error_report(os::nothrow::spawnvp(os::P_NOWAIT, "prog", {"prog"})));
  });
  expect_result_report(decode(c.output), ENOENT, path("empty/prog"));
}

TEST_F(PathSearchTest, SpawnvpeSearchesThePathOfItsEnvironment) {
  os::env_list good{{"PATH", path_of({"empty", "good"})}};
  EXPECT_EQ(os::spawnvpe(os::P_WAIT, "prog", {"prog"}, good), 7);
  EXPECT_EQ(os::spawnlpe(os::P_WAIT, "prog", "prog",
                         std::map<std::string, std::string>{
                             {"PATH", path_of({"good"})}}),
            7);
  EXPECT_OS_ERROR(os::spawnvpe(os::P_WAIT, "prog", {"prog"},
                               {{"PATH", path_of({"empty", "notadir"})}}),
                  os::NotADirectoryError, ENOTDIR, path("notadir/prog"));
  expect_no_child();
  EXPECT_RESULT_ERROR(
      os::nothrow::spawnvpe(os::P_WAIT, "prog", {"prog"},
                            {{"PATH", path_of({"noexec", "empty"})}}),
      EACCES, path("noexec/prog"));
  expect_no_child();
}

// ---------------------------------------------------------------- at fork

TEST(AtFork, SpawnSystemAndPopenDoNotRunTheCallbacks) {
  EXPECT_EQ(at_fork_calls_during([] {
              os::spawnv(os::P_WAIT, "/bin/true", {"true"});
              os::spawnvp(os::P_WAIT, "true", {"true"});
              os::system("true");
              os::popen("true").close();
            }),
            "0");
}

}  // namespace
