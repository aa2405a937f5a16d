// Shared test fixtures: a fresh temporary directory per test, the self-exec
// child modes, and helpers to inspect descriptors.
#pragma once

#include <gtest/gtest.h>

#include <exception>
#include <functional>
#include <initializer_list>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <system_error>
#include <typeinfo>
#include <utility>
#include <vector>

#include "oscpp/error.hpp"
#include "oscpp/fd.hpp"
#include "oscpp/platform.hpp"

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

// The descriptors this process has open now (from /dev/fd).
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

#if defined(__linux__)
// Makes each listed syscall (number, errno) fail with that errno in this
// process, through a seccomp filter: call it only in a child.
bool deny_syscalls(std::initializer_list<std::pair<int, int>> calls);

// Field n (1-based, as in proc(5)) of /proc/self/stat.
long stat_field(int n);
#endif

// The timespec fields of a struct stat: st_atim ... on Linux,
// st_atimespec ... on macOS.
#if defined(__APPLE__)
#define OSCPP_TEST_STAT_TIMESPEC(x) st_##x##timespec
#else
#define OSCPP_TEST_STAT_TIMESPEC(x) st_##x##tim
#endif
template <class Stat>
auto& atim(Stat& st) {
  return st.OSCPP_TEST_STAT_TIMESPEC(a);
}
template <class Stat>
auto& mtim(Stat& st) {
  return st.OSCPP_TEST_STAT_TIMESPEC(m);
}
template <class Stat>
auto& ctim(Stat& st) {
  return st.OSCPP_TEST_STAT_TIMESPEC(c);
}

// A descriptor number that is certainly closed.
int closed_fd();

// ::pipe2(fds, O_CLOEXEC | flags) with plain libc calls; where the platform
// lacks pipe2 (macOS), pipe and then fcntl: not atomic against an exec in
// another thread.
int pipe_cloexec(int fds[2], int flags = 0);

// A close-on-exec pipe made with plain libc calls.
struct raw_pipe {
  os::unique_fd r, w;
  raw_pipe();
};

// ---------------------------------------------------------------- errors
// The one vocabulary for checking an error the way Python reports it: the
// exception type (exactly, not a base class), errno, and filename and
// filename2 (both absent unless given).
//
//   EXPECT_OS_ERROR(os::open("x", O_RDONLY), os::FileNotFoundError, ENOENT,
//                   "x");
//   EXPECT_RESULT_ERROR(os::nothrow::stat("x"), ENOENT, "x");
//
// The expression's value is discarded; wrap it in parentheses if it has a
// comma outside parentheses. os_error<E>(f, ...) and result_error(r, ...)
// are the same checks as predicates: for a callable with several
// statements, and for children (CHILD_CHECK), where gtest does not report.

// The message of the std::invalid_argument f() throws (Python's ValueError),
// or "(no std::invalid_argument)".
template <class F>
std::string invalid_argument_message(F&& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no std::invalid_argument)";
}

template <class E, class F>
::testing::AssertionResult os_error(
    F&& f, int errnum,
    const std::optional<std::string>& filename = std::nullopt,
    const std::optional<std::string>& filename2 = std::nullopt) {
  try {
    f();
  } catch (const os::OSError& e) {
    if (typeid(e) != typeid(E))
      return ::testing::AssertionFailure()
             << "threw " << typeid(e).name() << " (" << e.what()
             << "), expected " << typeid(E).name();
    if (e.code().value() != errnum)
      return ::testing::AssertionFailure()
             << "errno " << e.code().value() << " (" << e.what()
             << "), expected " << errnum;
    if (e.filename() != filename || e.filename2() != filename2)
      return ::testing::AssertionFailure()
             << "filenames of " << e.what() << " are not "
             << filename.value_or("(none)") << ", "
             << filename2.value_or("(none)");
    return ::testing::AssertionSuccess();
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure()
           << "threw " << typeid(e).name() << ": " << e.what();
  }
  return ::testing::AssertionFailure()
         << "no exception, expected errno " << errnum;
}

template <class T>
::testing::AssertionResult result_error(
    const os::result<T>& r, int errnum,
    const std::optional<std::string>& filename = std::nullopt,
    const std::optional<std::string>& filename2 = std::nullopt) {
  if (r.has_value())
    return ::testing::AssertionFailure()
           << "succeeded, expected errno " << errnum;
  const os::error_info& e = r.error();
  if (e.value() != errnum)
    return ::testing::AssertionFailure()
           << "errno " << e.value() << " (" << os::strerror(e.value())
           << "), expected " << errnum;
  if (e.code() != std::error_code(errnum, std::generic_category()))
    return ::testing::AssertionFailure() << "code() is not generic errno";
  if (e.filename() != filename || e.filename2() != filename2)
    return ::testing::AssertionFailure()
           << "filenames " << e.filename().value_or("(none)") << ", "
           << e.filename2().value_or("(none)") << " are not "
           << filename.value_or("(none)") << ", "
           << filename2.value_or("(none)");
  return ::testing::AssertionSuccess();
}

}  // namespace oscpp_test

// A failed check in a child (see in_child): its line number becomes the
// exit code.
#define CHILD_CHECK(cond) \
  if (!(cond)) return __LINE__ % 250 + 1

#define EXPECT_OS_ERROR(expr, E, ...)                                        \
  EXPECT_TRUE(::oscpp_test::os_error<E>([&] { (void)(expr); }, __VA_ARGS__)) \
      << #expr
#define EXPECT_RESULT_ERROR(expr, ...) \
  EXPECT_TRUE(::oscpp_test::result_error((expr), __VA_ARGS__)) << #expr

#define OSCPP_CHILD_MODE(name)                                       \
  static int oscpp_child_##name(int argc, char** argv);              \
  [[maybe_unused]] static const bool oscpp_child_registered_##name = \
      ::oscpp_test::register_child_mode(#name, &oscpp_child_##name); \
  static int oscpp_child_##name([[maybe_unused]] int argc,           \
                                [[maybe_unused]] char** argv)
