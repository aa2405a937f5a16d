// Linux extended attributes. Expected values and errors were checked against
// python3's os.getxattr & co on Linux (ext4).
#include "oscpp/files_xattr.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <vector>

#include "files_test_util.hpp"
#include "oscpp/os.hpp"
#include "support/support.hpp"

// The xattr calls are Linux's (macOS's have other signatures; Python
// leaves them out there).
#if OSCPP_HAVE_XATTR
#include <sys/xattr.h>

namespace {

using files_test::kBadFd;
using oscpp_test::write_file;

class Xattr : public oscpp_test::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    file = path("f");
    write_file(file, "");
    // tmpfs before Linux 6.6, and some other filesystems, refuse user.*.
    if (::setxattr(file.c_str(), "user.probe", "", 0, 0) != 0) {
      int e = errno;
      if (e == ENOTSUP || e == EOPNOTSUPP)
        GTEST_SKIP() << "user.* extended attributes unsupported in " << dir()
                     << " (set TMPDIR to an ext4/xfs/btrfs directory)";
      FAIL() << "setxattr probe: " << std::strerror(e);
    }
    ASSERT_EQ(::removexattr(file.c_str(), "user.probe"), 0);
  }

  os::unique_fd open_file() {
    return os::unique_fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  }

  std::string file;
};

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST_F(Xattr, SetGetListRemove) {
  EXPECT_TRUE(os::listxattr(file).empty());
  os::setxattr(file, "user.a", "1");
  os::setxattr(file, "user.empty", "");
  std::string big(3000, 'x');  // larger than the first read's buffer
  os::setxattr(file, "user.big", big);
  EXPECT_EQ(os::getxattr(file, "user.a"), "1");
  EXPECT_EQ(os::getxattr(file, "user.empty"), "");
  EXPECT_EQ(os::getxattr(file, "user.big"), big);
  EXPECT_EQ(*os::nothrow::getxattr(file, "user.a"), "1");
  EXPECT_EQ(sorted(os::listxattr(file)),
            (std::vector<std::string>{"user.a", "user.big", "user.empty"}));
  os::removexattr(file, "user.a");
  EXPECT_EQ(sorted(os::listxattr(file)),
            (std::vector<std::string>{"user.big", "user.empty"}));
  // Values are bytes: NULs and all.
  os::setxattr(file, "user.bin", std::string("a\0b", 3));
  EXPECT_EQ(os::getxattr(file, "user.bin"), std::string("a\0b", 3));
}

TEST_F(Xattr, ManyNamesNeedALargerListBuffer) {
  for (int i = 0; i < 40; ++i)
    os::setxattr(file, "user.attribute-number-" + std::to_string(i), "v");
  EXPECT_EQ(os::listxattr(file).size(), 40u);
}

TEST_F(Xattr, MissingAttributeIsENODATA) {
  // Python: OSError (no subclass) errno 61, filename the path.
  EXPECT_OS_ERROR(os::getxattr(file, "user.none"), os::OSError, ENODATA, file);
  EXPECT_RESULT_ERROR(os::nothrow::getxattr(file, "user.none"), ENODATA, file);
  EXPECT_OS_ERROR(os::removexattr(file, "user.none"), os::OSError, ENODATA,
                  file);
  EXPECT_RESULT_ERROR(os::nothrow::removexattr(file, "user.none"), ENODATA,
                      file);
}

TEST_F(Xattr, CreateAndReplaceFlags) {
  os::setxattr(file, "user.a", "1", XATTR_CREATE);
  EXPECT_OS_ERROR(os::setxattr(file, "user.a", "2", XATTR_CREATE),
                  os::FileExistsError, EEXIST, file);
  EXPECT_RESULT_ERROR(os::nothrow::setxattr(file, "user.a", "2", XATTR_CREATE),
                      EEXIST, file);
  EXPECT_OS_ERROR(os::setxattr(file, "user.b", "2", XATTR_REPLACE), os::OSError,
                  ENODATA, file);
  os::setxattr(file, "user.a", "3", XATTR_REPLACE);
  EXPECT_EQ(os::getxattr(file, "user.a"), "3");
  EXPECT_OS_ERROR(os::setxattr(file, "user.a", "1", 99), os::OSError, EINVAL,
                  file);
}

TEST_F(Xattr, MissingFileAndBadNamespace) {
  std::string missing = path("missing");
  EXPECT_OS_ERROR(os::getxattr(missing, "user.a"), os::FileNotFoundError,
                  ENOENT, missing);
  EXPECT_OS_ERROR(os::listxattr(missing), os::FileNotFoundError, ENOENT,
                  missing);
  EXPECT_RESULT_ERROR(os::nothrow::listxattr(missing), ENOENT, missing);
  EXPECT_OS_ERROR(os::setxattr(missing, "user.a", "1"), os::FileNotFoundError,
                  ENOENT, missing);
  EXPECT_OS_ERROR(os::removexattr(missing, "user.a"), os::FileNotFoundError,
                  ENOENT, missing);
  // No namespace: EOPNOTSUPP, as Python reports it.
  EXPECT_OS_ERROR(os::setxattr(file, "bad", "1"), os::OSError, EOPNOTSUPP,
                  file);
  EXPECT_THROW((void)os::getxattr(file, std::string("user.\0x", 7)),
               std::invalid_argument);
}

TEST_F(Xattr, FollowSymlinksFalseUsesTheLinkItself) {
  std::string link = path("link");
  ASSERT_EQ(::symlink("f", link.c_str()), 0);
  os::setxattr(link, "user.a", "through");
  EXPECT_EQ(os::getxattr(file, "user.a"), "through");
  EXPECT_EQ(os::listxattr(link), std::vector<std::string>{"user.a"});
  EXPECT_TRUE(os::listxattr(link, {.follow_symlinks = false}).empty());
  EXPECT_OS_ERROR(os::getxattr(link, "user.a", {.follow_symlinks = false}),
                  os::OSError, ENODATA, link);
  // Linux allows no user.* attribute on a symlink.
  EXPECT_OS_ERROR(
      os::setxattr(link, "user.x", "1", 0, {.follow_symlinks = false}),
      os::PermissionError, EPERM, link);
  os::removexattr(link, "user.a");
  EXPECT_TRUE(os::listxattr(file).empty());
}

TEST_F(Xattr, DescriptorForms) {
  os::unique_fd fd = open_file();
  ASSERT_TRUE(fd);
  os::setxattr(fd, "user.a", "fd");
  EXPECT_EQ(os::getxattr(fd, "user.a"), "fd");
  EXPECT_EQ(os::getxattr(file, "user.a"), "fd");
  EXPECT_EQ(os::listxattr(fd), std::vector<std::string>{"user.a"});
  std::string name = std::to_string(fd.get());
  EXPECT_OS_ERROR(os::getxattr(fd, "user.none"), os::OSError, ENODATA, name);
  EXPECT_OS_ERROR(os::setxattr(fd, "user.a", "x", XATTR_CREATE),
                  os::FileExistsError, EEXIST, name);
  os::removexattr(fd, "user.a");
  EXPECT_RESULT_ERROR(os::nothrow::removexattr(fd, "user.a"), ENODATA, name);
  std::string bad = std::to_string(kBadFd);
  EXPECT_OS_ERROR(os::getxattr(kBadFd, "user.a"), os::OSError, EBADF, bad);
  EXPECT_RESULT_ERROR(os::nothrow::listxattr(kBadFd), EBADF, bad);
  EXPECT_RESULT_ERROR(os::nothrow::setxattr(kBadFd, "user.a", "1"), EBADF, bad);
}

TEST_F(Xattr, DefaultPathIsTheWorkingDirectory) {
  std::string cwd(4096, '\0');
  ASSERT_NE(::getcwd(cwd.data(), cwd.size()), nullptr);
  ASSERT_EQ(::chdir(dir().c_str()), 0);
  ASSERT_EQ(::setxattr(".", "user.here", "1", 1, 0), 0);
  auto names = os::nothrow::listxattr();
  ASSERT_EQ(::chdir(cwd.c_str()), 0);
  ASSERT_TRUE(names.has_value());
  EXPECT_EQ(*names, std::vector<std::string>{"user.here"});
}

TEST_F(Xattr, PermissionErrors) {
  os::setxattr(file, "user.a", "1");
  ASSERT_EQ(::chmod(file.c_str(), 0600), 0);
  ASSERT_EQ(::chmod(dir().c_str(), 0755), 0);
  std::string f = file;
  EXPECT_EQ(files_test::raises_in_child<os::PermissionError>(
                [&] { os::setxattr(f, "user.b", "1"); }, EACCES, f),
            0);
  EXPECT_EQ(files_test::raises_in_child<os::PermissionError>(
                [&] { (void)os::getxattr(f, "user.a"); }, EACCES, f),
            0);
}

}  // namespace
#endif  // OSCPP_HAVE_XATTR
