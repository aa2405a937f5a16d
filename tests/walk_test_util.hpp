// The tree of CPython's WalkTests, shared by the walk and fwalk tests.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <exception>
#include <functional>
#include <string>
#include <tuple>
#include <vector>

#include "support/support.hpp"

namespace walk_test {

//   TEST1/                a file kid and two directory kids
//     tmp1
//     SUB1/               a file kid and a directory kid
//       tmp2
//       SUB11/            no kids
//     SUB2/               a file kid and a dirsymlink kid
//       tmp3
//       link -> TEST2     (absolute)
//       broken_link -> broken
//       broken_link2 -> tmp3/broken
//       broken_link3 -> SUB21/tmp5
//   TEST2/
//     tmp4
inline void make_tree(const std::string& base) {
  for (const char* d :
       {"/TEST1", "/TEST1/SUB1", "/TEST1/SUB1/SUB11", "/TEST1/SUB2", "/TEST2"})
    ASSERT_EQ(::mkdir((base + d).c_str(), 0755), 0) << d;
  for (const char* f :
       {"/TEST1/tmp1", "/TEST1/SUB1/tmp2", "/TEST1/SUB2/tmp3", "/TEST2/tmp4"})
    oscpp_test::write_file(base + f, std::string("I'm ") + f);
  ASSERT_EQ(
      ::symlink((base + "/TEST2").c_str(), (base + "/TEST1/SUB2/link").c_str()),
      0);
  ASSERT_EQ(::symlink("broken", (base + "/TEST1/SUB2/broken_link").c_str()), 0);
  ASSERT_EQ(
      ::symlink("tmp3/broken", (base + "/TEST1/SUB2/broken_link2").c_str()), 0);
  ASSERT_EQ(
      ::symlink("SUB21/tmp5", (base + "/TEST1/SUB2/broken_link3").c_str()), 0);
}

// The fixture of the walk and fwalk tests: a fresh make_tree under the
// test's temporary directory, with the paths the tests name.
class TreeTest : public oscpp_test::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    make_tree(dir());
    top = path("TEST1");
    sub1 = top + "/SUB1";
    sub11 = sub1 + "/SUB11";
    sub2 = top + "/SUB2";
  }

  // Moves SUB1 aside and puts a symlink to TEST2 in its place (a walk that
  // has listed TEST1 must not follow it).
  void swap_sub1_for_a_symlink() {
    ASSERT_EQ(::rename(sub1.c_str(), path("elsewhere").c_str()), 0);
    ASSERT_EQ(::symlink(path("TEST2").c_str(), sub1.c_str()), 0);
  }

  std::string top, sub1, sub11, sub2;
};

// A step with its lists sorted, for comparisons.
using step =
    std::tuple<std::string, std::vector<std::string>, std::vector<std::string>>;

inline step sorted(std::string dirpath, std::vector<std::string> dirs,
                   std::vector<std::string> files) {
  std::sort(dirs.begin(), dirs.end());
  std::sort(files.begin(), files.end());
  return {std::move(dirpath), std::move(dirs), std::move(files)};
}

using names = std::vector<std::string>;

// The index of dirpath in steps, or -1.
inline int index_of(const std::vector<step>& steps, const std::string& p) {
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (std::get<0>(steps[i]) == p) return static_cast<int>(i);
  return -1;
}

// Deep trees and descriptor limits (the deep tree and parallel walk
// tests).
inline constexpr int kDepth = 5000;
inline constexpr rlim_t kFdLimit = 64;

// base/d/d/.../d, kDepth levels below base, made through descriptors since
// the paths are too long for mkdir.
inline void make_deep(const std::string& base) {
  ASSERT_EQ(::mkdir(base.c_str(), 0755), 0);
  int fd = ::open(base.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  for (int i = 0; i < kDepth; ++i) {
    ASSERT_EQ(::mkdirat(fd, "d", 0755), 0);
    int child = ::openat(fd, "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ::close(fd);
    ASSERT_GE(child, 0);
    fd = child;
  }
  ::close(fd);
}

// Removes what make_deep made (the fixture's cleanup cannot: the paths are
// too long), holding two descriptors at most.
inline void remove_deep(const std::string& base) {
  int fd = ::open(base.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  int depth = 0;
  for (int child;
       (child = ::openat(fd, "d",
                         O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)) >= 0;
       ++depth) {
    ::close(fd);
    fd = child;
  }
  for (; depth > 0; --depth) {
    int parent = ::openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ::close(fd);
    ASSERT_GE(parent, 0);
    ASSERT_EQ(::unlinkat(parent, "d", AT_REMOVEDIR), 0);
    fd = parent;
  }
  ::close(fd);
  ASSERT_EQ(::rmdir(base.c_str()), 0);
}

// Runs fn in a child limited to 64 descriptors; its return value is the
// child's exit code (0: passed; 100: it threw), 128+signal if it crashed.
inline int with_fd_limit(const std::function<int()>& fn) {
  pid_t pid = ::fork();
  if (pid == 0) {
    struct rlimit rl = {kFdLimit, kFdLimit};
    if (::setrlimit(RLIMIT_NOFILE, &rl) != 0) ::_exit(125);
    int rc = 100;
    try {
      rc = fn();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "child: %s\n", e.what());
    }
    ::_exit(rc);
  }
  if (pid < 0) return -1;
  int status = 0;
  while (::waitpid(pid, &status, 0) == -1 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

}  // namespace walk_test
