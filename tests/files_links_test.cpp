// Files and Directories, the link family: link and readlink. Expected values
// and errors were checked against python3's os on Linux.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "files_test_util.hpp"
#include "oscpp/files.hpp"
#include "support/support.hpp"

namespace {

using files_test::kBadFd;
using files_test::raises_in_child;
using oscpp_test::write_file;

struct ::stat lstat_of(const std::string& p) {
  struct ::stat st {};
  EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
  return st;
}

class Links : public oscpp_test::TempDirTest {
 protected:
  os::unique_fd open_dir(const std::string& p) {
    return os::unique_fd(::open(p.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  }
};

// ---------------------------------------------------------------- link

TEST_F(Links, LinkMakesAHardLink) {
  write_file(path("f"), "x");
  os::link(path("f"), path("g"));
  EXPECT_EQ(lstat_of(path("g")).st_ino, lstat_of(path("f")).st_ino);
  EXPECT_EQ(lstat_of(path("f")).st_nlink, 2u);
  ASSERT_EQ(::mkdir(path("sub").c_str(), 0777), 0);
  os::unique_fd top = open_dir(dir());
  os::unique_fd sub = open_dir(path("sub"));
  ASSERT_TRUE(top && sub);
  EXPECT_TRUE(
      os::nothrow::link("f", "h", {.src_dir_fd = top, .dst_dir_fd = sub})
          .has_value());
  EXPECT_EQ(lstat_of(path("sub/h")).st_ino, lstat_of(path("f")).st_ino);
}

TEST_F(Links, LinkFollowSymlinksAsPython) {
  write_file(path("target"), "x");
  ASSERT_EQ(::symlink("target", path("sym").c_str()), 0);
  // Python on Linux: the plain form is link(2), which links the symlink
  // itself, even with follow_symlinks=True.
  os::link(path("sym"), path("plain"));
  EXPECT_TRUE(S_ISLNK(lstat_of(path("plain")).st_mode));
  os::link(path("sym"), path("nofollow"), {.follow_symlinks = false});
  EXPECT_TRUE(S_ISLNK(lstat_of(path("nofollow")).st_mode));
  // With a dir_fd, Python uses linkat(AT_SYMLINK_FOLLOW): the target.
  os::unique_fd top = open_dir(dir());
  ASSERT_TRUE(top);
  os::link("sym", "followed", {.src_dir_fd = top, .dst_dir_fd = top});
  EXPECT_TRUE(S_ISREG(lstat_of(path("followed")).st_mode));
  EXPECT_EQ(lstat_of(path("followed")).st_ino, lstat_of(path("target")).st_ino);
  os::link("sym", "nofollow_fd",
           {.src_dir_fd = top, .dst_dir_fd = top, .follow_symlinks = false});
  EXPECT_TRUE(S_ISLNK(lstat_of(path("nofollow_fd")).st_mode));
}

TEST_F(Links, LinkErrorsNameBothPaths) {
  EXPECT_OS_ERROR(os::link(path("missing"), path("dst")), os::FileNotFoundError,
                  ENOENT, path("missing"), path("dst"));
  write_file(path("f"), "x");
  write_file(path("g"), "y");
  EXPECT_OS_ERROR(os::link(path("f"), path("g")), os::FileExistsError, EEXIST,
                  path("f"), path("g"));
  ASSERT_EQ(::mkdir(path("d").c_str(), 0777), 0);
  EXPECT_OS_ERROR(os::link(path("d"), path("e")), os::PermissionError, EPERM,
                  path("d"), path("e"));
  EXPECT_RESULT_ERROR(os::nothrow::link("a", "b", {.src_dir_fd = kBadFd}),
                      EBADF, "a", "b");
  EXPECT_RESULT_ERROR(os::nothrow::link(path("missing"), path("dst")), ENOENT,
                      path("missing"), path("dst"));
}

TEST_F(Links, LinkUnprivilegedIsPermissionError) {
  // The destination directory is root's and not writable by others; the
  // source is the child's own, so protected_hardlinks has nothing to say.
  write_file(path("f"), "x");
  ASSERT_EQ(::chown(path("f").c_str(), 65534, 65534), 0);
  ASSERT_EQ(::chmod(dir().c_str(), 0755), 0);
  std::string src = path("f");
  std::string dst = path("l");
  EXPECT_EQ(raises_in_child<os::PermissionError>([&] { os::link(src, dst); },
                                                 EACCES, src, dst),
            0);
}

// ---------------------------------------------------------------- readlink

TEST_F(Links, ReadlinkReturnsTheTarget) {
  ASSERT_EQ(::symlink("some/target", path("l").c_str()), 0);
  EXPECT_EQ(os::readlink(path("l")), "some/target");
  os::unique_fd top = open_dir(dir());
  ASSERT_TRUE(top);
  EXPECT_EQ(*os::nothrow::readlink("l", {.dir_fd = top}), "some/target");
  // Bytes come back as they are, undecodable ones included.
  ASSERT_EQ(::symlink("\xff\xfe", path("raw").c_str()), 0);
  EXPECT_EQ(os::readlink(path("raw")), "\xff\xfe");
}

TEST_F(Links, ReadlinkOfTheLongestTarget) {
  // Linux takes targets of up to PATH_MAX - 1 bytes.
  std::string target(PATH_MAX - 1, 'x');
  ASSERT_EQ(::symlink(target.c_str(), path("long").c_str()), 0);
  EXPECT_EQ(os::readlink(path("long")), target);
  std::string shorter(PATH_MAX - 2, 'y');
  ASSERT_EQ(::symlink(shorter.c_str(), path("shorter").c_str()), 0);
  EXPECT_EQ(os::readlink(path("shorter")), shorter);
}

TEST_F(Links, ReadlinkErrors) {
  write_file(path("f"), "x");
  // Python: OSError (no subclass) EINVAL naming the path.
  EXPECT_OS_ERROR(os::readlink(path("f")), os::OSError, EINVAL, path("f"));
  EXPECT_OS_ERROR(os::readlink(path("missing")), os::FileNotFoundError, ENOENT,
                  path("missing"));
  EXPECT_RESULT_ERROR(os::nothrow::readlink(path("f")), EINVAL, path("f"));
  EXPECT_RESULT_ERROR(os::nothrow::readlink("l", {.dir_fd = kBadFd}), EBADF,
                      "l");
}

}  // namespace
