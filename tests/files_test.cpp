// Files and Directories: access, chmod, mkdir, rename, symlink, unlink,
// remove and the supports_* sets. Expected values and errors were checked
// against python3's os on Linux.
#include "oscpp/files.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <stdexcept>
#include <string>
#include <typeinfo>

#include "files_test_util.hpp"
#include "support/support.hpp"

namespace {

using files_test::kBadFd;
using files_test::lexists;
using files_test::mode_of;
using files_test::raises_in_child;
using oscpp_test::run_unprivileged;
using oscpp_test::write_file;

class Files : public oscpp_test::TempDirTest {
 protected:
  // A descriptor on the temporary directory, for the dir_fd forms.
  os::unique_fd open_dir() {
    return os::unique_fd(
        ::open(dir().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  }
  // Lets the unprivileged child reach the files in dir().
  void open_up() { ASSERT_EQ(::chmod(dir().c_str(), 0755), 0); }
};

// ---------------------------------------------------------------- access

TEST_F(Files, AccessReportsWhatIsAllowed) {
  write_file(path("f"), "x");
  ASSERT_EQ(::chmod(path("f").c_str(), 0644), 0);
  EXPECT_TRUE(os::access(path("f"), F_OK));
  EXPECT_TRUE(os::access(path("f"), R_OK | W_OK));
  // Even root needs an execute bit somewhere.
  EXPECT_FALSE(os::access(path("f"), X_OK));
  EXPECT_TRUE(os::access(dir(), X_OK));
  EXPECT_FALSE(os::access(path("missing"), F_OK));
}

TEST_F(Files, AccessFollowSymlinksAndDirFd) {
  ASSERT_EQ(::symlink("nowhere", path("dangling").c_str()), 0);
  EXPECT_FALSE(os::access(path("dangling"), F_OK));
  EXPECT_TRUE(os::access(path("dangling"), F_OK, {.follow_symlinks = false}));
  write_file(path("f"), "x");
  os::unique_fd d = open_dir();
  ASSERT_TRUE(d);
  EXPECT_TRUE(os::access("f", R_OK, {.dir_fd = d}));
  EXPECT_FALSE(os::access("missing", F_OK, {.dir_fd = d}));
}

TEST_F(Files, AccessEffectiveIdsUsesTheEffectiveUser) {
  write_file(path("secret"), "x");
  ASSERT_EQ(::chmod(path("secret").c_str(), 0600), 0);
  open_up();
  std::string p = path("secret");
  // Real uid 65534, effective uid 0: only effective_ids sees root's rights.
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::setreuid(65534, 0) != 0) ::_exit(125);
    bool real = os::access(p, R_OK);
    bool effective = os::access(p, R_OK, {.effective_ids = true});
    ::_exit(!real && effective ? 0 : 1);
  }
  ASSERT_GT(pid, 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST_F(Files, AccessErrorsAreFalseNotExceptions) {
  write_file(path("f"), "x");
  ASSERT_EQ(::chmod(path("f").c_str(), 0600), 0);
  open_up();
  // As Python: a bad dir_fd, a bad mode, an empty path are all False.
  EXPECT_FALSE(os::access("f", F_OK, {.dir_fd = kBadFd}));
  EXPECT_FALSE(os::access(path("f"), 999));
  EXPECT_FALSE(os::access("", F_OK));
  std::string p = path("f");
  EXPECT_EQ(run_unprivileged([&] {
              return !os::access(p, R_OK) && os::access(p, F_OK) ? 0 : 1;
            }),
            0);
  EXPECT_THROW((void)os::access(p + std::string(1, '\0'), F_OK),
               std::invalid_argument);
}

// ---------------------------------------------------------------- chmod

TEST_F(Files, ChmodPathFdAndDirFd) {
  write_file(path("f"), "x");
  os::chmod(path("f"), 0600);
  EXPECT_EQ(mode_of(path("f")), 0600u);
  os::chmod(path("f"), 04751);
  EXPECT_EQ(mode_of(path("f")), 04751u);

  os::unique_fd d = open_dir();
  os::chmod("f", 0640, {.dir_fd = d});
  EXPECT_EQ(mode_of(path("f")), 0640u);

  os::unique_fd fd(::open(path("f").c_str(), O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(fd);
  os::chmod(fd, 0604);
  EXPECT_EQ(mode_of(path("f")), 0604u);
  ASSERT_TRUE(os::nothrow::chmod(fd.get(), 0400));
  EXPECT_EQ(mode_of(path("f")), 0400u);
}

TEST_F(Files, ChmodNoFollowOnAFileWorks) {
  write_file(path("f"), "x");
  os::chmod(path("f"), 0611, {.follow_symlinks = false});
  EXPECT_EQ(mode_of(path("f")), 0611u);
}

TEST_F(Files, ChmodNoFollowOnASymlinkIsNotImplemented) {
  write_file(path("f"), "x");
  ASSERT_EQ(::chmod(path("f").c_str(), 0644), 0);
  ASSERT_EQ(::symlink("f", path("link").c_str()), 0);
  // Python: NotImplementedError("chmod: follow_symlinks unavailable on this
  // platform"); ValueError if dir_fd was given as well.
  try {
    os::chmod(path("link"), 0600, {.follow_symlinks = false});
    ADD_FAILURE() << "no exception";
  } catch (const std::logic_error& e) {
    EXPECT_EQ(typeid(e), typeid(std::logic_error));
    EXPECT_STREQ(e.what(),
                 "chmod: follow_symlinks unavailable on this platform");
  }
  os::unique_fd d = open_dir();
  try {
    os::chmod("link", 0600, {.dir_fd = d, .follow_symlinks = false});
    ADD_FAILURE() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "chmod: cannot use dir_fd and follow_symlinks together");
  }
  auto r = os::nothrow::chmod(path("link"), 0600, {.follow_symlinks = false});
  EXPECT_RESULT_ERROR(r, EOPNOTSUPP, path("link"));
  EXPECT_EQ(mode_of(path("f")), 0644u);
}

TEST_F(Files, ChmodErrors) {
  EXPECT_OS_ERROR(os::chmod(path("missing"), 0600), os::FileNotFoundError,
                  ENOENT, path("missing"));
  EXPECT_RESULT_ERROR(os::nothrow::chmod(path("missing"), 0600), ENOENT,
                      path("missing"));
  // Other errors than EOPNOTSUPP stay OSErrors with follow_symlinks=false.
  EXPECT_OS_ERROR(
      os::chmod("missing", 0600, {.dir_fd = kBadFd, .follow_symlinks = false}),
      os::OSError, EBADF, "missing");
  EXPECT_OS_ERROR(os::chmod("f", 0600, {.dir_fd = kBadFd}), os::OSError, EBADF,
                  "f");
  // Python's filename is the descriptor itself.
  EXPECT_OS_ERROR(os::chmod(kBadFd, 0600), os::OSError, EBADF,
                  std::to_string(kBadFd));
  EXPECT_RESULT_ERROR(os::nothrow::chmod(kBadFd, 0600), EBADF,
                      std::to_string(kBadFd));
}

TEST_F(Files, ChmodOfRootsFileIsPermissionErrorForOthers) {
  write_file(path("f"), "x");
  ASSERT_EQ(::chmod(path("f").c_str(), 0644), 0);
  open_up();
  std::string p = path("f");
  EXPECT_EQ(raises_in_child<os::PermissionError>([&] { os::chmod(p, 0777); },
                                                 EPERM, p),
            0);
  EXPECT_EQ(mode_of(p), 0644u);
}

// ---------------------------------------------------------------- mkdir

TEST_F(Files, MkdirCreatesWithModeMaskedByUmask) {
  mode_t old = ::umask(027);
  os::mkdir(path("d"), 0777);
  os::mkdir(path("e"));  // default mode 0777
  ::umask(old);
  struct ::stat st;
  ASSERT_EQ(::stat(path("d").c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0750u);
  EXPECT_EQ(mode_of(path("e")), 0750u);
  os::mkdir(path("d/sub"), 0700);
  EXPECT_EQ(mode_of(path("d/sub")), 0700u);
}

TEST_F(Files, MkdirDirFd) {
  os::unique_fd d = open_dir();
  os::mkdir("rel", 0755, {.dir_fd = d});
  EXPECT_TRUE(lexists(path("rel")));
  ASSERT_TRUE(os::nothrow::mkdir("rel2", 0755, {.dir_fd = d}));
  EXPECT_TRUE(lexists(path("rel2")));
}

TEST_F(Files, MkdirErrors) {
  os::mkdir(path("d"));
  EXPECT_OS_ERROR(os::mkdir(path("d")), os::FileExistsError, EEXIST, path("d"));
  EXPECT_RESULT_ERROR(os::nothrow::mkdir(path("d")), EEXIST, path("d"));
  EXPECT_OS_ERROR(os::mkdir(path("no/d")), os::FileNotFoundError, ENOENT,
                  path("no/d"));
  EXPECT_OS_ERROR(os::mkdir(""), os::FileNotFoundError, ENOENT, "");
  write_file(path("f"), "x");
  EXPECT_OS_ERROR(os::mkdir(path("f/d")), os::NotADirectoryError, ENOTDIR,
                  path("f/d"));
  EXPECT_OS_ERROR(os::mkdir("x", 0777, {.dir_fd = kBadFd}), os::OSError, EBADF,
                  "x");
  open_up();
  std::string p = path("nobody");
  EXPECT_EQ(
      raises_in_child<os::PermissionError>([&] { os::mkdir(p); }, EACCES, p),
      0);
  EXPECT_FALSE(lexists(p));
}

// ---------------------------------------------------------------- rename

TEST_F(Files, RenameMovesAndReplaces) {
  write_file(path("a"), "A");
  os::rename(path("a"), path("b"));
  EXPECT_FALSE(lexists(path("a")));
  EXPECT_EQ(oscpp_test::read_file(path("b")), "A");
  write_file(path("c"), "C");
  os::rename(path("c"), path("b"));  // replaces an existing file
  EXPECT_EQ(oscpp_test::read_file(path("b")), "C");
}

TEST_F(Files, RenameDirFds) {
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

TEST_F(Files, RenameErrorsCarryBothNames) {
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

// ---------------------------------------------------------------- symlink

TEST_F(Files, SymlinkCreatesALink) {
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

TEST_F(Files, SymlinkErrorsCarrySrcAndDst) {
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

TEST_F(Files, UnlinkAndRemoveDeleteNames) {
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

TEST_F(Files, UnlinkErrors) {
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

// ---------------------------------------------------------------- supports_*

TEST(Supports, SetsAreLinuxPythons) {
  using set = std::set<std::string, std::less<>>;
  // python3: sorted(f.__name__ for f in os.supports_dir_fd) etc.
  EXPECT_EQ(os::supports_dir_fd,
            (set{"access", "chmod", "chown", "link", "mkdir", "mkfifo", "mknod",
                 "open", "readlink", "rename", "rmdir", "stat", "symlink",
                 "unlink", "utime"}));
  EXPECT_EQ(os::supports_fd,
            (set{"chdir", "chmod", "chown", "execve", "listdir", "pathconf",
                 "scandir", "stat", "statvfs", "truncate", "utime"}));
  EXPECT_EQ(os::supports_follow_symlinks,
            (set{"access", "chown", "link", "stat", "utime"}));
  EXPECT_EQ(os::supports_effective_ids, (set{"access"}));
  // Python lists unlink but not remove, stat but not lstat.
  EXPECT_FALSE(os::supports_dir_fd.contains(std::string_view("remove")));
  EXPECT_FALSE(os::supports_dir_fd.contains(std::string_view("lstat")));
}

}  // namespace
