// Process Management: system and popen. Expected values and errors were
// checked against python3 (3.11) on this machine.
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

namespace {

using namespace std::string_literals;
using oscpp_test::raw_pipe;
using oscpp_test::self_exe;
using namespace processes_test;  // NOLINT(google-build-using-namespace)

OSCPP_CHILD_MODE(spawnv_fds) { return print_open_fds(); }

// ---------------------------------------------------------------- system

TEST(System, ReturnsTheWaitStatus) {
  // Python: system('exit 3') 768; system('kill -TERM $$') 15; system('')
  // 0.
  EXPECT_EQ(os::system("exit 3"), 768);
  EXPECT_EQ(os::system("kill -TERM $$"), SIGTERM);
  EXPECT_EQ(os::system(""), 0);
  auto r = os::nothrow::system("exit 1");
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 256);
  auto c = with_stdout_captured(
      [] { return std::to_string(os::system("echo hi; echo there")); });
  EXPECT_EQ(c.result, "0");
  EXPECT_EQ(c.out, "hi\nthere\n");
  expect_no_child();
}

TEST(System, CannotStartTheShell) {
  // Python (glibc's system), with no process allowed: 127 << 8, not an
  // exception.
  auto c = without_processes([] {
    auto r = os::nothrow::system("true");
    return std::to_string(os::system("true")) + " " +
           (r ? std::to_string(*r) : "error");
  });
  EXPECT_EQ(c.output, "32512 32512");
}

TEST(System, NulIsValueError) {
  expect_invalid([] { os::system("true\0false"s); }, "embedded null byte");
  expect_invalid([] { (void)os::nothrow::system("\0"s); },
                 "embedded null byte");
}

// ---------------------------------------------------------------- popen

TEST(Popen, ReadsTheCommandsOutput) {
  os::popen_file f = os::popen("echo hi; echo there");
  EXPECT_FALSE(f.closed());
  EXPECT_GT(f.pid(), 0);
  EXPECT_TRUE(oscpp_test::is_cloexec(f.fileno()));
  EXPECT_EQ(f.read(), "hi\nthere\n");
  EXPECT_EQ(f.read(), "");
  EXPECT_EQ(f.close(), std::nullopt);  // Python: None for exit 0
  EXPECT_TRUE(f.closed());
  EXPECT_EQ(f.fileno(), -1);
  EXPECT_EQ(f.close(), std::nullopt);
  expect_no_child();
}

TEST(Popen, ReadlineAndSizedReads) {
  os::popen_file f = os::popen("printf 'a\\nbc\\n\\nlast'");
  EXPECT_EQ(f.readline(), "a\n");
  EXPECT_EQ(f.read(1), "b");
  EXPECT_EQ(f.readline(), "c\n");
  EXPECT_EQ(f.readline(), "\n");
  EXPECT_EQ(f.readline(), "last");
  EXPECT_EQ(f.readline(), "");
  EXPECT_EQ(f.read(10), "");
  EXPECT_EQ(f.close(), std::nullopt);
  os::popen_file g = os::popen("printf abcdef");
  EXPECT_EQ(g.read(2), "ab");
  EXPECT_EQ(g.read(10), "cdef");  // fewer only at end of file
  EXPECT_EQ(g.read(10), "");
  EXPECT_EQ(g.close(), std::nullopt);
  // A large output, read in pieces, arrives whole.
  os::popen_file h = os::popen("seq 1 20000");
  std::string all = h.readline() + h.read(100) + h.read();
  EXPECT_EQ(h.close(), std::nullopt);
  std::string expected;
  for (int i = 1; i <= 20000; ++i) expected += std::to_string(i) + "\n";
  EXPECT_EQ(all, expected);
}

TEST_F(PathSearchTest, PopenWritesToTheCommandsInput) {
  os::popen_file f = os::popen("cat > '" + path("out") + "'", "w");
  f.write("hello ");
  f.write(std::string(100000, 'x'));  // more than a pipe holds
  EXPECT_EQ(f.close(), std::nullopt);
  EXPECT_EQ(oscpp_test::read_file(path("out")),
            "hello " + std::string(100000, 'x'));
  os::popen_file g = os::popen("read x; exit $x", "w");
  g.write("5\n");
  EXPECT_EQ(g.close(), 5 << 8);
}

TEST(Popen, CloseGivesPythonsStatus) {
  // Python: popen('exit 3').close() 768; popen('kill -TERM $$').close()
  // -3840; popen('exit 3', 'w').close() 768; unread output of `yes`: the
  // shell reports the SIGPIPE as exit 141, so 36096.
  EXPECT_EQ(os::popen("exit 3").close(), 768);
  EXPECT_EQ(os::popen("kill -TERM $$").close(), -3840);
  EXPECT_EQ(os::popen("exit 3", "w").close(), 768);
  EXPECT_EQ(os::popen("yes").close(), 36096);
  auto r = os::popen("exit 2").close(std::nothrow);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 512);
  expect_no_child();
}

TEST(Popen, DestructorClosesAndReaps) {
  { os::popen_file f = os::popen("exit 1"); }
  expect_no_child();
  {
    os::popen_file f = os::popen("yes");  // never read: must not hang
    EXPECT_EQ(f.readline(), "y\n");
  }
  expect_no_child();
  { os::popen_file w = os::popen("cat > /dev/null", "w"); }
  expect_no_child();
}

TEST(Popen, MoveAndRelease) {
  os::popen_file a = os::popen("echo moved");
  pid_t pid = a.pid();
  os::popen_file b(std::move(a));
  EXPECT_EQ(b.pid(), pid);
  os::popen_file c;
  c = std::move(b);
  EXPECT_EQ(c.read(), "moved\n");
  EXPECT_EQ(c.close(), std::nullopt);
  os::popen_file d = os::popen("exit 9");
  auto [fd, child] = d.release();
  EXPECT_TRUE(d.closed());
  EXPECT_EQ(d.close(), std::nullopt);  // nothing left to close or reap
  fd.reset();
  EXPECT_EQ(reap(child), 9 << 8);
  // Assigning over an open popen_file closes and reaps it.
  os::popen_file e = os::popen("exit 0");
  e = os::popen("echo second");
  EXPECT_EQ(e.read(), "second\n");
  EXPECT_EQ(e.close(), std::nullopt);
  expect_no_child();
}

TEST(Popen, ChildInheritsNoOtherPipe) {
  // With one popen open, a second one's child holds only 0, 1 and 2: the
  // first's pipe would keep its reader from ever seeing end of file. Even
  // an inheritable descriptor stays out, as Python's popen (subprocess,
  // close_fds=True) keeps it out.
  auto c = with_stdout_captured([] {
    os::closerange(3, INT_MAX);
    raw_pipe mine;
    os::unique_fd inheritable(::dup2(mine.r.get(), 10));
    os::popen_file writer = os::popen("cat > /dev/null", "w");
    os::popen_file reader = os::popen(self_exe() + " --oscpp-child spawnv_fds");
    std::string fds = reader.read();
    reader.close();
    writer.close();
    write_all(1, fds);  // (the report pipe of run_in_child is closed)
    return ""s;
  });
  EXPECT_EQ(c.out, "0 1 2");
}

TEST(Popen, InvalidArgumentsStartNothing) {
  // Python: popen('echo hi', 'rb') ValueError "invalid mode 'rb'"; '' and
  // 'rw' the same; buffering 0 "popen() does not support unbuffered
  // streams"; a NUL "embedded null byte".
  for (const char* mode : {"rb", "", "rw", "x", "w+"}) {
    expect_invalid([&] { os::popen("echo hi", mode); },
                   "invalid mode '"s + mode + "'");
    expect_invalid([&] { (void)os::nothrow::popen("echo hi", mode); },
                   "invalid mode '"s + mode + "'");
  }
  expect_invalid([] { os::popen("echo hi", "r", {.buffering = 0}); },
                 "popen() does not support unbuffered streams");
  expect_invalid([] { os::popen("echo\0hi"s); }, "embedded null byte");
  // Other bufferings are accepted.
  EXPECT_EQ(os::popen("echo x", "r", {.buffering = 1}).read(), "x\n");
  expect_no_child();
}

TEST(Popen, FailureToStartIsBlockingIOError) {
  // Python, with no process allowed: BlockingIOError errno 11 (its fork
  // failed, so no filename; oscpp's posix_spawn cannot tell a failed clone
  // from a failed exec of /bin/sh, so the filename is not checked); no
  // descriptor is left behind.
  auto c = without_processes([] {
    auto before = oscpp_test::open_fds();
    std::string out = encode(catch_report([] { os::popen("true"); }));
    return out + (oscpp_test::open_fds() == before ? "" : " leaked");
  });
  processes_test::report r = decode(c.output);
  EXPECT_EQ(r.type, typeid(os::BlockingIOError).name()) << r.what;
  EXPECT_EQ(r.err, EAGAIN);
  EXPECT_EQ(c.output.find(" leaked"), std::string::npos);
  c = without_processes(
      [] { return encode(error_report(os::nothrow::popen("true", "w"))); });
  r = decode(c.output);
  EXPECT_EQ(r.type, "result");
  EXPECT_EQ(r.err, EAGAIN);
}

}  // namespace
