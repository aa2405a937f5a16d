// Helpers shared by the Files and Directories tests: checking an OSError or
// a failed result against Python's (type, errno, filenames).
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <optional>
#include <string>
#include <typeinfo>

#include "oscpp/error.hpp"
#include "oscpp/fd.hpp"
#include "support/support.hpp"

namespace files_test {

using name = std::optional<std::string>;

// A descriptor number that is certainly not open (beyond RLIMIT_NOFILE).
inline constexpr int kBadFd = 1 << 30;

// Runs f() as uid/gid 65534 in a child; 0 if it threw exactly E with errnum
// and the filenames, 1 for another exception, 2 if it did not throw.
template <class E, class F>
int raises_in_child(F&& f, int errnum, name filename = std::nullopt,
                    name filename2 = std::nullopt) {
  return oscpp_test::run_unprivileged([&] {
    try {
      f();
      return 2;
    } catch (const os::OSError& e) {
      return typeid(e) == typeid(E) && e.code().value() == errnum &&
                     e.filename() == filename && e.filename2() == filename2
                 ? 0
                 : 1;
    }
  });
}

// The permission bits (07777) of path, following symlinks; fails the test
// if path cannot be stat'ed.
inline unsigned mode_of(const std::string& path) {
  struct ::stat st;
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// True if path names anything, a dangling symlink included.
inline bool lexists(const std::string& path) {
  struct ::stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

// The lstat of path (a zeroed struct if it fails, failing the test).
inline struct ::stat lstat_of(const std::string& path) {
  struct ::stat st {};
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st;
}

// The fixture of the Files and Directories tests: a temporary directory,
// descriptors on it for the dir_fd forms, and a way to let the unprivileged
// child in.
class DirTest : public oscpp_test::TempDirTest {
 protected:
  os::unique_fd open_dir(const std::string& p) {
    return os::unique_fd(::open(p.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  }
  os::unique_fd open_dir() { return open_dir(dir()); }
  // Lets the unprivileged child reach the files in dir().
  void open_up() { ASSERT_EQ(::chmod(dir().c_str(), 0755), 0); }
};

}  // namespace files_test
