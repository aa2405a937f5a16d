// Files and Directories, the links topic: link, symlink, readlink, rename,
// replace, unlink, remove. Expected values and errors were checked against
// python3's os on Linux.
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
using files_test::lexists;
using files_test::lstat_of;
using files_test::raises_in_child;
using oscpp_test::write_file;

class Links : public files_test::DirTest {};

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

// ---------------------------------------------------------------- rename

TEST_F(Links, RenameMovesAndReplaces) {
  write_file(path("a"), "A");
  os::rename(path("a"), path("b"));
  EXPECT_FALSE(lexists(path("a")));
  EXPECT_EQ(oscpp_test::read_file(path("b")), "A");
  write_file(path("c"), "C");
  os::rename(path("c"), path("b"));  // replaces an existing file
  EXPECT_EQ(oscpp_test::read_file(path("b")), "C");
}

TEST_F(Links, RenameDirFds) {
  os::mkdir(path("sub"));
  write_file(path("a"), "A");
  os::unique_fd d = open_dir();
  os::unique_fd sub(
      ::open(path("sub").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  ASSERT_TRUE(sub);
  os::rename("a", "moved", {.src_dir_fd = d, .dst_dir_fd = sub});
  EXPECT_EQ(oscpp_test::read_file(path("sub/moved")), "A");
  ASSERT_TRUE(os::nothrow::rename("moved", path("back"), {.src_dir_fd = sub}));
  EXPECT_TRUE(lexists(path("back")));
}

TEST_F(Links, RenameErrorsCarryBothNames) {
  std::string src = path("missing"), dst = path("x");
  EXPECT_OS_ERROR(os::rename(src, dst), os::FileNotFoundError, ENOENT, src,
                  dst);
  EXPECT_RESULT_ERROR(os::nothrow::rename(src, dst), ENOENT, src, dst);
  try {
    os::rename(src, dst);
  } catch (const os::OSError& e) {
    EXPECT_EQ(std::string(e.what()), "[Errno 2] No such file or directory: '" +
                                         src + "' -> '" + dst + "'");
  }
  write_file(path("f"), "x");
  os::mkdir(path("d"));
  EXPECT_OS_ERROR(os::rename(path("f"), path("d")), os::IsADirectoryError,
                  EISDIR, path("f"), path("d"));
  EXPECT_OS_ERROR(os::rename(path("d"), path("f")), os::NotADirectoryError,
                  ENOTDIR, path("d"), path("f"));
  os::mkdir(path("full"));
  write_file(path("full/x"), "x");
  EXPECT_OS_ERROR(os::rename(path("d"), path("full")), os::OSError, ENOTEMPTY,
                  path("d"), path("full"));
  EXPECT_OS_ERROR(os::rename("a", "b", {.src_dir_fd = kBadFd}), os::OSError,
                  EBADF, "a", "b");
  EXPECT_OS_ERROR(os::rename("", ""), os::FileNotFoundError, ENOENT, "", "");
}

// ---------------------------------------------------------------- replace

TEST_F(Links, ReplaceOverwritesTheDestination) {
  write_file(path("src"), "new");
  write_file(path("dst"), "old");
  os::replace(path("src"), path("dst"));
  EXPECT_FALSE(lexists(path("src")));
  EXPECT_EQ(oscpp_test::read_file(path("dst")), "new");
  ASSERT_EQ(::mkdir(path("sub").c_str(), 0777), 0);
  os::unique_fd top = open_dir(dir());
  os::unique_fd sub = open_dir(path("sub"));
  ASSERT_TRUE(top && sub);
  EXPECT_TRUE(os::nothrow::replace("dst", "moved",
                                   {.src_dir_fd = top, .dst_dir_fd = sub})
                  .has_value());
  EXPECT_EQ(oscpp_test::read_file(path("sub/moved")), "new");
}

TEST_F(Links, ReplaceErrorsNameBothPaths) {
  EXPECT_OS_ERROR(os::replace(path("missing"), path("x")),
                  os::FileNotFoundError, ENOENT, path("missing"), path("x"));
  ASSERT_EQ(::mkdir(path("d").c_str(), 0777), 0);
  write_file(path("d/f"), "x");
  write_file(path("f"), "x");
  // A file cannot replace a non-empty directory.
  EXPECT_OS_ERROR(os::replace(path("f"), path("d")), os::IsADirectoryError,
                  EISDIR, path("f"), path("d"));
  EXPECT_RESULT_ERROR(os::nothrow::replace("a", "b", {.src_dir_fd = kBadFd}),
                      EBADF, "a", "b");
}

// ---------------------------------------------------------------- symlink

TEST_F(Links, SymlinkCreatesALink) {
  os::symlink("target", path("l"));
  char buf[64];
  ssize_t n = ::readlink(path("l").c_str(), buf, sizeof buf);
  ASSERT_EQ(n, 6);
  EXPECT_EQ(std::string(buf, n), "target");
  os::symlink(dir(), path("dl"), {.target_is_directory = true});
  EXPECT_TRUE(S_ISLNK(os::lstat(path("dl")).st_mode));
  os::unique_fd d = open_dir();
  os::symlink("t2", "rel", {.dir_fd = d});
  n = ::readlink(path("rel").c_str(), buf, sizeof buf);
  EXPECT_EQ(std::string(buf, n > 0 ? n : 0), "t2");
}

TEST_F(Links, SymlinkErrorsCarrySrcAndDst) {
  write_file(path("f"), "x");
  EXPECT_OS_ERROR(os::symlink("a", path("f")), os::FileExistsError, EEXIST, "a",
                  path("f"));
  EXPECT_RESULT_ERROR(os::nothrow::symlink("a", path("f")), EEXIST, "a",
                      path("f"));
  EXPECT_OS_ERROR(os::symlink("a", path("nodir/x")), os::FileNotFoundError,
                  ENOENT, "a", path("nodir/x"));
  EXPECT_OS_ERROR(os::symlink("", ""), os::FileNotFoundError, ENOENT, "", "");
  EXPECT_OS_ERROR(os::symlink("f", "x", {.dir_fd = kBadFd}), os::OSError, EBADF,
                  "f", "x");
  open_up();
  std::string p = path("l");
  EXPECT_EQ(raises_in_child<os::PermissionError>([&] { os::symlink("f", p); },
                                                 EACCES, "f", p),
            0);
}

// ---------------------------------------------------------------- unlink

TEST_F(Links, UnlinkAndRemoveDeleteNames) {
  write_file(path("f"), "x");
  write_file(path("g"), "x");
  ASSERT_EQ(::symlink("g", path("l").c_str()), 0);
  os::unlink(path("f"));
  EXPECT_FALSE(lexists(path("f")));
  os::remove(path("l"));  // the link, not its target
  EXPECT_FALSE(lexists(path("l")));
  EXPECT_TRUE(lexists(path("g")));
  os::unique_fd d = open_dir();
  ASSERT_TRUE(os::nothrow::remove("g", {.dir_fd = d}));
  EXPECT_FALSE(lexists(path("g")));
  write_file(path("h"), "x");
  os::unlink("h", {.dir_fd = d});
  EXPECT_FALSE(lexists(path("h")));
}

TEST_F(Links, UnlinkErrors) {
  EXPECT_OS_ERROR(os::unlink(path("m")), os::FileNotFoundError, ENOENT,
                  path("m"));
  EXPECT_RESULT_ERROR(os::nothrow::unlink(path("m")), ENOENT, path("m"));
  EXPECT_RESULT_ERROR(os::nothrow::remove(path("m")), ENOENT, path("m"));
  EXPECT_OS_ERROR(os::unlink(""), os::FileNotFoundError, ENOENT, "");
  // Linux says EISDIR where POSIX says EPERM; Python passes it on.
  os::mkdir(path("d"));
  EXPECT_OS_ERROR(os::unlink(path("d")), os::IsADirectoryError, EISDIR,
                  path("d"));
  EXPECT_OS_ERROR(os::remove(path("d")), os::IsADirectoryError, EISDIR,
                  path("d"));
  EXPECT_OS_ERROR(os::unlink("f", {.dir_fd = kBadFd}), os::OSError, EBADF, "f");
  write_file(path("f"), "x");
  open_up();
  std::string p = path("f");
  EXPECT_EQ(
      raises_in_child<os::PermissionError>([&] { os::remove(p); }, EACCES, p),
      0);
  EXPECT_TRUE(lexists(p));
}

}  // namespace
