// Files and Directories, the nodes topic: mkfifo, mknod and the
// major/minor/makedev macros. Expected values and errors were checked
// against python3's os on Linux.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "files_test_util.hpp"
#include "oscpp/files.hpp"
#include "support/support.hpp"

namespace {

using files_test::kBadFd;
using files_test::lstat_of;
using files_test::raises_in_child;
using oscpp_test::write_file;

class Nodes : public files_test::DirTest {};

// ---------------------------------------------------------------- mkfifo

TEST_F(Nodes, MkfifoMakesAFifo) {
  ::mode_t old = ::umask(0);
  os::mkfifo(path("p"));
  os::mkfifo(path("q"), 0600);
  os::unique_fd d = open_dir();
  EXPECT_TRUE(os::nothrow::mkfifo("r", 0640, {.dir_fd = d}).has_value());
  ::umask(old);
  EXPECT_TRUE(S_ISFIFO(lstat_of(path("p")).st_mode));
  EXPECT_EQ(lstat_of(path("p")).st_mode & 07777, 0666u);
  EXPECT_EQ(lstat_of(path("q")).st_mode & 07777, 0600u);
  EXPECT_TRUE(S_ISFIFO(lstat_of(path("r")).st_mode));
  EXPECT_EQ(lstat_of(path("r")).st_mode & 07777, 0640u);
}

TEST_F(Nodes, MkfifoErrorsNameNoFile) {
  write_file(path("f"), "x");
  // Python's mkfifo errors carry no filename.
  EXPECT_OS_ERROR(os::mkfifo(path("f")), os::FileExistsError, EEXIST);
  EXPECT_OS_ERROR(os::mkfifo(path("no/p")), os::FileNotFoundError, ENOENT);
  EXPECT_RESULT_ERROR(os::nothrow::mkfifo("p", 0666, {.dir_fd = kBadFd}),
                      EBADF);
  ASSERT_EQ(::chmod(dir().c_str(), 0755), 0);
  std::string p = path("p");
  EXPECT_EQ(
      raises_in_child<os::PermissionError>([&] { os::mkfifo(p); }, EACCES), 0);
}

// ---------------------------------------------------------------- mknod

TEST_F(Nodes, MknodMakesFilesAndFifos) {
  ::mode_t old = ::umask(0);
  os::mknod(path("plain"));
  os::mknod(path("fifo"), S_IFIFO | 0640);
  os::unique_fd d = open_dir();
  EXPECT_TRUE(
      os::nothrow::mknod("reg", S_IFREG | 0604, 0, {.dir_fd = d}).has_value());
  ::umask(old);
  // mode 0600 and a regular file by default, as in Python.
  EXPECT_TRUE(S_ISREG(lstat_of(path("plain")).st_mode));
  EXPECT_EQ(lstat_of(path("plain")).st_mode & 07777, 0600u);
  EXPECT_TRUE(S_ISFIFO(lstat_of(path("fifo")).st_mode));
  EXPECT_EQ(lstat_of(path("fifo")).st_mode & 07777, 0640u);
  EXPECT_TRUE(S_ISREG(lstat_of(path("reg")).st_mode));
  EXPECT_EQ(lstat_of(path("reg")).st_mode & 07777, 0604u);
}

TEST_F(Nodes, MknodErrorsNameNoFile) {
  write_file(path("f"), "x");
  EXPECT_OS_ERROR(os::mknod(path("f")), os::FileExistsError, EEXIST);
  EXPECT_RESULT_ERROR(os::nothrow::mknod(path("no/x")), ENOENT);
  // A device node needs CAP_MKNOD.
  ASSERT_EQ(::chmod(dir().c_str(), 0777), 0);
  std::string p = path("null");
  EXPECT_EQ(raises_in_child<os::PermissionError>(
                [&] { os::mknod(p, S_IFCHR | 0600, makedev(1, 3)); }, EPERM),
            0);
}

// ---------------------------------------------------------------- devices

TEST_F(Nodes, DeviceNumberMacros) {
  // Python's major/minor/makedev are the C macros, which files.hpp brings.
  dev_t dev = makedev(8, 17);
  EXPECT_EQ(major(dev), 8u);
  EXPECT_EQ(minor(dev), 17u);
  struct ::stat st {};
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_EQ(major(st.st_rdev), 1u);
  EXPECT_EQ(minor(st.st_rdev), 3u);
}

}  // namespace
