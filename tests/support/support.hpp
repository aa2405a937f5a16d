// Shared test fixtures: a fresh temporary directory per test, the self-exec
// child modes, and helpers to inspect descriptors.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <initializer_list>
#include <set>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

#include "oscpp/error.hpp"
#include "oscpp/fd.hpp"

namespace oscpp_test {

// A fresh, empty temporary directory for each test, removed afterwards.
class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  // dir() + "/" + name
  std::string path(const std::string& name) const;
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

// The descriptors this process has open now (from /proc/self/fd).
std::set<int> open_fds();

// True if fd has FD_CLOEXEC set; fails the test if fd is not open.
bool is_cloexec(int fd);

// Writes data to path (creating or truncating it) with plain libc calls.
void write_file(const std::string& path, const std::string& data);
// Reads the whole file with plain libc calls.
std::string read_file(const std::string& path);

// Self-exec child modes: a test that needs a child process runs this test
// binary as `<self> --oscpp-child <name> [args...]`. Register a mode with
//   OSCPP_CHILD_MODE(name) { ...; return exit_code; }
using child_main = int (*)(int argc, char** argv);
bool register_child_mode(const char* name, child_main fn);
// The path of this test binary.
std::string self_exe();
// Runs `self --oscpp-child name args...` to completion; returns the raw
// wait status.
int run_child_mode(const std::string& name,
                   const std::vector<std::string>& args = {});
// Runs args (args[0] is the program) with extra "K=V" strings ahead of this
// process's environment, its stdout (and stderr too, if with_stderr)
// captured; returns {wait status, output}, or {-1, why} if it did not start.
std::pair<int, std::string> spawn_capture(std::vector<std::string> args,
                                          const std::vector<std::string>& env,
                                          bool with_stderr = false);

// Runs fn in a forked child after dropping privileges to uid/gid 65534;
// returns the child's exit code (fn's return value), or 128+signal.
int run_unprivileged(const std::function<int()>& fn);

// Runs fn in a forked child (with this process's privileges); returns the
// child's exit code (fn's return value), or 128+signal.
int in_child(const std::function<int()>& fn);

// Makes each listed syscall (number, errno) fail with that errno in this
// process, through a seccomp filter: call it only in a child.
bool deny_syscalls(std::initializer_list<std::pair<int, int>> calls);

// True if f() throws exactly E with errno errnum and no filename (for use
// in children, where gtest's checks do not report).
template <class E, class F>
bool throws(F&& f, int errnum) {
  try {
    f();
  } catch (const E& e) {
    return typeid(e) == typeid(E) && e.code().value() == errnum &&
           !e.filename().has_value();
  } catch (...) {
  }
  return false;
}

// Field n (1-based, as in proc(5)) of /proc/self/stat.
long stat_field(int n);

// f() throws exactly E with errno errnum and no filenames.
template <class E, class F>
void expect_throws(F&& f, int errnum) {
  try {
    f();
    ADD_FAILURE() << "no exception";
  } catch (const E& e) {
    EXPECT_EQ(typeid(e), typeid(E));
    EXPECT_EQ(e.code().value(), errnum);
    EXPECT_FALSE(e.filename().has_value());
    EXPECT_FALSE(e.filename2().has_value());
  }
}

// A descriptor number that is certainly closed.
int closed_fd();

// A close-on-exec pipe made with plain libc calls.
struct raw_pipe {
  os::unique_fd r, w;
  raw_pipe();
};

// The error of a nothrow result: errnum, and no filenames.
template <class T>
void expect_error(const os::result<T>& r, int errnum) {
  ASSERT_FALSE(r.has_value()) << "expected errno " << errnum;
  EXPECT_EQ(r.error().value(), errnum) << os::strerror(r.error().value());
  EXPECT_FALSE(r.error().filename().has_value());
  EXPECT_FALSE(r.error().filename2().has_value());
}

// Runs f, expecting exactly the exception type E with errnum and no
// filename.
template <class E, class F>
void expect_raises(F&& f, int errnum) {
  try {
    f();
    ADD_FAILURE() << "no exception, expected errno " << errnum;
  } catch (const os::OSError& e) {
    EXPECT_EQ(typeid(e), typeid(E)) << e.what();
    EXPECT_EQ(e.code().value(), errnum) << e.what();
    EXPECT_FALSE(e.filename().has_value());
  }
}

}  // namespace oscpp_test

// A failed check in a child (see in_child): its line number becomes the
// exit code.
#define CHILD_CHECK(cond) \
  if (!(cond)) return __LINE__ % 250 + 1

#define OSCPP_CHILD_MODE(name)                                       \
  static int oscpp_child_##name(int argc, char** argv);              \
  [[maybe_unused]] static const bool oscpp_child_registered_##name = \
      ::oscpp_test::register_child_mode(#name, &oscpp_child_##name); \
  static int oscpp_child_##name([[maybe_unused]] int argc,           \
                                [[maybe_unused]] char** argv)
