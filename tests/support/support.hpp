// Shared test fixtures: a fresh temporary directory per test, the self-exec
// child modes, and helpers to inspect descriptors.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>

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

// Runs fn in a forked child after dropping privileges to uid/gid 65534;
// returns the child's exit code (fn's return value), or 128+signal.
int run_unprivileged(const std::function<int()>& fn);

}  // namespace oscpp_test

#define OSCPP_CHILD_MODE(name)                                       \
  static int oscpp_child_##name(int argc, char** argv);              \
  [[maybe_unused]] static const bool oscpp_child_registered_##name = \
      ::oscpp_test::register_child_mode(#name, &oscpp_child_##name); \
  static int oscpp_child_##name([[maybe_unused]] int argc,           \
                                [[maybe_unused]] char** argv)
