// Files and Directories, ownership and nodes: chown, lchown, mkfifo, mknod,
// major/minor/makedev, pathconf, statvfs, sync, truncate. Expected values
// and errors were checked against python3's os on Linux.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
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
using files_test::raises_in_child;
using oscpp_test::write_file;

constexpr uid_t kNobody = 65534;
constexpr uid_t kKeepUid = static_cast<uid_t>(-1);
constexpr gid_t kKeepGid = static_cast<gid_t>(-1);

struct ::stat lstat_of(const std::string& p) {
  struct ::stat st {};
  EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
  return st;
}

class Nodes : public oscpp_test::TempDirTest {
 protected:
  os::unique_fd open_dir() {
    return os::unique_fd(
        ::open(dir().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  }
};

// ---------------------------------------------------------------- chown

TEST_F(Nodes, ChownChangesOwnerAndGroup) {
  write_file(path("f"), "x");
  os::chown(path("f"), kNobody, kNobody);
  EXPECT_EQ(lstat_of(path("f")).st_uid, kNobody);
  EXPECT_EQ(lstat_of(path("f")).st_gid, kNobody);
  // -1 leaves the id unchanged.
  os::chown(path("f"), 0, kKeepGid);
  EXPECT_EQ(lstat_of(path("f")).st_uid, 0u);
  EXPECT_EQ(lstat_of(path("f")).st_gid, kNobody);
  os::chown(path("f"), kKeepUid, 0);
  EXPECT_EQ(lstat_of(path("f")).st_uid, 0u);
  EXPECT_EQ(lstat_of(path("f")).st_gid, 0u);
}

TEST_F(Nodes, ChownFdDirFdAndSymlinks) {
  write_file(path("f"), "x");
  ASSERT_EQ(::symlink("f", path("l").c_str()), 0);
  int fd = ::open(path("f").c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  os::chown(fd, kNobody, kKeepGid);
  ::close(fd);
  EXPECT_EQ(lstat_of(path("f")).st_uid, kNobody);
  // follow_symlinks=false changes the link, not its target.
  os::unique_fd d = open_dir();
  ASSERT_TRUE(d);
  os::chown("l", 1, 2, {.dir_fd = d, .follow_symlinks = false});
  EXPECT_EQ(lstat_of(path("l")).st_uid, 1u);
  EXPECT_EQ(lstat_of(path("l")).st_gid, 2u);
  EXPECT_EQ(lstat_of(path("f")).st_uid, kNobody);
  EXPECT_TRUE(os::nothrow::chown("l", 3, 3, {.dir_fd = d}).has_value());
  EXPECT_EQ(lstat_of(path("f")).st_uid, 3u);
  EXPECT_EQ(lstat_of(path("l")).st_uid, 1u);
}

TEST_F(Nodes, ChownErrors) {
  EXPECT_OS_ERROR(os::chown(path("missing"), kKeepUid, kKeepGid),
                  os::FileNotFoundError, ENOENT, path("missing"));
  EXPECT_OS_ERROR(os::chown(kBadFd, 0, 0), os::OSError, EBADF,
                  std::to_string(kBadFd));
  EXPECT_RESULT_ERROR(os::nothrow::chown(kBadFd, 0, 0), EBADF,
                      std::to_string(kBadFd));
  EXPECT_RESULT_ERROR(os::nothrow::chown("f", 0, 0, {.dir_fd = kBadFd}), EBADF,
                      "f");
  write_file(path("f"), "x");
  ASSERT_EQ(::chmod(dir().c_str(), 0755), 0);
  std::string p = path("f");
  // Giving root's file away is not allowed to anyone else.
  EXPECT_EQ(raises_in_child<os::PermissionError>(
                [&] { os::chown(p, kNobody, kKeepGid); }, EPERM, p),
            0);
}

TEST_F(Nodes, LchownChangesTheLinkItself) {
  write_file(path("f"), "x");
  ASSERT_EQ(::symlink("f", path("l").c_str()), 0);
  os::lchown(path("l"), kNobody, kNobody);
  EXPECT_EQ(lstat_of(path("l")).st_uid, kNobody);
  EXPECT_EQ(lstat_of(path("f")).st_uid, 0u);
  EXPECT_TRUE(os::nothrow::lchown(path("l"), kKeepUid, 7).has_value());
  EXPECT_EQ(lstat_of(path("l")).st_uid, kNobody);
  EXPECT_EQ(lstat_of(path("l")).st_gid, 7u);
}

TEST_F(Nodes, LchownErrors) {
  EXPECT_OS_ERROR(os::lchown(path("missing"), 0, 0), os::FileNotFoundError,
                  ENOENT, path("missing"));
  EXPECT_RESULT_ERROR(os::nothrow::lchown(path("missing"), 0, 0), ENOENT,
                      path("missing"));
  write_file(path("f"), "x");
  ASSERT_EQ(::chmod(dir().c_str(), 0755), 0);
  std::string p = path("f");
  EXPECT_EQ(raises_in_child<os::PermissionError>(
                [&] { os::lchown(p, kNobody, kNobody); }, EPERM, p),
            0);
}

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

// ---------------------------------------------------------------- pathconf

TEST_F(Nodes, PathconfByNameAndNumber) {
  long expected = ::pathconf(dir().c_str(), _PC_NAME_MAX);
  ASSERT_GT(expected, 0);
  EXPECT_EQ(os::pathconf(dir(), "PC_NAME_MAX"), expected);
  EXPECT_EQ(os::pathconf(dir(), _PC_NAME_MAX), expected);
  EXPECT_EQ(*os::nothrow::pathconf(dir(), _PC_NAME_MAX), expected);
  os::unique_fd d = open_dir();
  ASSERT_TRUE(d);
  EXPECT_EQ(os::pathconf(d, "PC_NAME_MAX"), expected);
  EXPECT_EQ(*os::nothrow::pathconf(d.get(), _PC_NAME_MAX), expected);
  // No limit is -1, not an error.
  long no_limit = ::pathconf(dir().c_str(), _PC_SYMLINK_MAX);
  EXPECT_EQ(os::pathconf(dir(), "PC_SYMLINK_MAX"), no_limit);
}

TEST_F(Nodes, PathconfErrors) {
  EXPECT_OS_ERROR(os::pathconf(path("missing"), "PC_NAME_MAX"),
                  os::FileNotFoundError, ENOENT, path("missing"));
  EXPECT_OS_ERROR(os::pathconf(kBadFd, "PC_NAME_MAX"), os::OSError, EBADF,
                  std::to_string(kBadFd));
  // EINVAL (here a bad name) carries no filename, as in Python.
  EXPECT_OS_ERROR(os::pathconf(dir(), 9999), os::OSError, EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::pathconf(dir(), 9999), EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::pathconf(kBadFd, _PC_NAME_MAX), EBADF,
                      std::to_string(kBadFd));
  EXPECT_THROW(os::pathconf(dir(), "NO_SUCH_NAME"), std::invalid_argument);
  EXPECT_THROW(os::pathconf(0, "NO_SUCH_NAME"), std::invalid_argument);
  // The nothrow forms by name: an unknown name is EINVAL, nothing throws.
  EXPECT_RESULT_ERROR(os::nothrow::pathconf(dir(), "NO_SUCH_NAME"), EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::pathconf(0, "NO_SUCH_NAME"), EINVAL);
  EXPECT_RESULT_ERROR(os::nothrow::pathconf(path("missing"), "PC_NAME_MAX"),
                      ENOENT, path("missing"));
  EXPECT_EQ(os::nothrow::pathconf(dir(), "PC_NAME_MAX").value(),
            ::pathconf(dir().c_str(), _PC_NAME_MAX));
}

// ---------------------------------------------------------------- statvfs

TEST_F(Nodes, StatvfsReportsTheFilesystem) {
  struct ::statvfs expected {};
  ASSERT_EQ(::statvfs(dir().c_str(), &expected), 0);
  os::statvfs_result r = os::statvfs(dir());
  EXPECT_EQ(r.f_bsize, expected.f_bsize);
  EXPECT_EQ(r.f_frsize, expected.f_frsize);
  EXPECT_EQ(r.f_blocks, expected.f_blocks);
  EXPECT_EQ(r.f_files, expected.f_files);
  EXPECT_EQ(r.f_flag, expected.f_flag);
  EXPECT_EQ(r.f_namemax, expected.f_namemax);
  EXPECT_EQ(r.f_fsid, expected.f_fsid);
  os::unique_fd d = open_dir();
  ASSERT_TRUE(d);
  auto by_fd = os::nothrow::statvfs(d);
  ASSERT_TRUE(by_fd.has_value());
  EXPECT_EQ(by_fd->f_bsize, expected.f_bsize);
  EXPECT_EQ(by_fd->f_fsid, expected.f_fsid);
  EXPECT_EQ(by_fd->f_namemax, expected.f_namemax);
}

TEST_F(Nodes, StatvfsErrors) {
  EXPECT_OS_ERROR(os::statvfs(path("missing")), os::FileNotFoundError, ENOENT,
                  path("missing"));
  EXPECT_OS_ERROR(os::statvfs(kBadFd), os::OSError, EBADF,
                  std::to_string(kBadFd));
  EXPECT_RESULT_ERROR(os::nothrow::statvfs(path("missing")), ENOENT,
                      path("missing"));
}

// ---------------------------------------------------------------- sync

TEST_F(Nodes, SyncCannotFail) {
  static_assert(noexcept(os::sync()));
  static_assert(std::is_void_v<decltype(os::sync())>);
  os::sync();
}

// ---------------------------------------------------------------- truncate

TEST_F(Nodes, TruncateByPathAndFd) {
  write_file(path("f"), "hello world");
  os::truncate(path("f"), 5);
  EXPECT_EQ(oscpp_test::read_file(path("f")), "hello");
  os::truncate(path("f"), 8);
  EXPECT_EQ(oscpp_test::read_file(path("f")), std::string("hello\0\0\0", 8));
  int fd = ::open(path("f").c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  os::truncate(fd, 2);
  EXPECT_TRUE(os::nothrow::truncate(fd, 1).has_value());
  ::close(fd);
  EXPECT_EQ(oscpp_test::read_file(path("f")), "h");
}

TEST_F(Nodes, TruncateErrors) {
  write_file(path("f"), "x");
  EXPECT_OS_ERROR(os::truncate(path("missing"), 0), os::FileNotFoundError,
                  ENOENT, path("missing"));
  EXPECT_OS_ERROR(os::truncate(path("f"), -1), os::OSError, EINVAL, path("f"));
  EXPECT_OS_ERROR(os::truncate(dir(), 0), os::IsADirectoryError, EISDIR, dir());
  // The fd form is ftruncate: no filename, as in Python.
  EXPECT_OS_ERROR(os::truncate(kBadFd, 0), os::OSError, EBADF);
  EXPECT_RESULT_ERROR(os::nothrow::truncate(kBadFd, 0), EBADF);
  ASSERT_EQ(::chmod(dir().c_str(), 0755), 0);
  ASSERT_EQ(::chmod(path("f").c_str(), 0644), 0);
  std::string p = path("f");
  EXPECT_EQ(raises_in_child<os::PermissionError>([&] { os::truncate(p, 0); },
                                                 EACCES, p),
            0);
}

}  // namespace
